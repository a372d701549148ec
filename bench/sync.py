"""Sync figures (issue 5): requests and bytes per scenario on the reference dataset, and the
server's throughput on PostgreSQL under a loopback load generator.

Bytes are counted by the in-repo TCP proxy between client and server (HTTP headers and
bodies, no TCP/IP overhead), as in shared/reference/sync-design.md §4. Link times are the
reference's "plain" estimate: requests × 0.3 s + bytes / 32,000 B/s (300 ms, 256 kbit/s).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from sotay_desktop.db.engine import Database, open_database
from sotay_desktop.db.tables import MemberRow, Meta
from sotay_desktop.services.demo import create_demo
from sotay_desktop.services.members import update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync.transport import SyncFailure
from sync_server import admin
from tests.fault_proxy import FaultProxy, proxy_to
from tests.sync_support import (
    PG_URL,
    ROOT,
    children,
    free_port,
    pg_reachable,
    reset_pg,
    rss_kib,
    running_server,
)

AS_OF = dt.date(2026, 11, 22)
RTT, BW = 0.3, 32_000


class Counted:
    """A transport whose requests are counted, talking through the proxy."""

    def __init__(self, db: Database, proxy: FaultProxy) -> None:
        with db.sessions.begin() as s:
            s.get(Meta, "sync_server_url").value = proxy.url
        self.transport = sync_client.transport_for(db)
        self.requests = 0
        self.transport.http.hooks["response"].append(self._count)

    def _count(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.requests += 1


def _measure(proxy: FaultProxy, counted: Counted, fn: Any) -> dict[str, float]:
    proxy.counters.reset()
    before = counted.requests
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    up, down = proxy.counters.up, proxy.counters.down
    n = counted.requests - before
    return {"requests": n, "up": up, "down": down, "wall": wall,
            "link": n * RTT + (up + down) / BW, "connections": proxy.counters.connections}


def _row(what: str, m: dict[str, float], target: str, ok: bool | None) -> dict[str, str]:
    figure = (f"{m['requests']:.0f} req, {m['up'] / 1024:.1f} KiB up, "
              f"{m['down'] / 1024:.1f} KiB down ({(m['up'] + m['down']) / 1000:.2f} KB "
              f"together); link ≈ {m['link']:.1f} s; loopback {m['wall'] * 1000:.0f} ms")
    return {"what": what, "figure": figure, "target": target,
            "ok": "" if ok is None else str(ok)}


def _fresh(server: Any, branch: str, path: Path, label: str) -> Database:
    db = open_database(path)
    sync_client.enroll(db, server.url, server.code(branch), label=label)
    return db


def protocol_figures() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with running_server(tmp / "srv") as server:
            [branch] = server.tree()
            # The reference branch: 150 members, 300 documents, 48 meetings, 20 × 200 KB files.
            a = open_database(tmp / "pc1")
            with a.sessions.begin() as s:
                create_demo(s, members=150, documents=300, meetings=48, as_of=AS_OF, seed=11)
            sync_client.enroll(a, server.url, server.code(branch), label="PC-1")
            sync_client.run_sync(a)
            rng = random.Random(5)
            with server.session() as s:
                for i in range(20):
                    path = tmp / f"van-ban-{i:02d}.pdf"
                    path.write_bytes(rng.randbytes(200_000))
                    admin.publish(s, server.files_dir, path, to_unit=branch,
                                  title=f"Văn bản {i}")
            with proxy_to(server.port) as proxy:
                b = _fresh(server, branch, tmp / "pc2", "PC-2")
                cb = Counted(b, proxy)
                records = _measure(proxy, cb, lambda: sync_client.run_sync(
                    b, cb.transport, files=False))
                rows.append(_row("First sync, records only (150 members, 300 documents, "
                                 "48 meetings)", records,
                                 "1–2 requests, ~160 KB gzip (PouchDB: 29 req, ~255 KB)",
                                 records["requests"] <= 2))
                files = _measure(proxy, cb, lambda: sync_client.run_sync(
                    b, cb.transport, budget=10**9))
                first_down = records["down"] + files["down"]
                rows.append(_row("First sync, then the 20 files of 200 KB", files,
                                 "PouchDB whole first sync: 49 req, 4,205 KiB down", None))
                nochange = _measure(proxy, cb, lambda: sync_client.run_sync(b, cb.transport))
                rows.append(_row("No-change sync (warm connection)", nochange,
                                 "1 request, ≤ 1.5 KB both ways (PouchDB: 9 req, 5.6 KB)",
                                 nochange["requests"] == 1
                                 and nochange["up"] + nochange["down"] <= 1500))
                with b.reads() as s:
                    ids = sorted(s.query(MemberRow.id).all())
                with b.sessions.begin() as s:
                    update_member(s, member_id=ids[0][0], data={"phone": "0912 000 001"},
                                  today=AS_OF)
                one = _measure(proxy, cb, lambda: sync_client.run_sync(b, cb.transport))
                rows.append(_row("Sync with 1 change made on this PC", one,
                                 "1 request, ≤ 2 KB (PouchDB: 12–15 req, 9 KB)",
                                 one["requests"] == 1 and one["up"] + one["down"] <= 2000))
                with b.sessions.begin() as s:
                    for i in range(10):
                        update_member(s, member_id=ids[10 + i][0],
                                      data={"residence": f"Xóm {i}"}, today=AS_OF)
                with server.session() as s:
                    for i in range(10):
                        admin.province_edit(s, scope_id=branch, entity="members",
                                            row_id=ids[40 + i][0],
                                            values={"card_number": f"79.{i:06d}"},
                                            actor="Tỉnh")
                ten = _measure(proxy, cb, lambda: sync_client.run_sync(b, cb.transport))
                rows.append(_row("Sync with 10 changes here and 10 on the server", ten,
                                 "1 request, ~6 KB gzip (PouchDB: 16–20 req, 23–27 KB)",
                                 ten["requests"] == 1))
                # A first sync cut after 2 MB, then resumed.
                c = _fresh(server, branch, tmp / "pc3", "PC-3")
                cc = Counted(c, proxy)
                proxy.faults.cut_after = 2_000_000
                cut_total = {"up": 0.0, "down": 0.0, "requests": 0.0}

                def cut_run() -> None:
                    try:
                        sync_client.run_sync(c, cc.transport, budget=10**9)
                    except SyncFailure:
                        pass

                cut = _measure(proxy, cc, cut_run)
                proxy.faults.cut_after = None
                resumed = _measure(proxy, cc, lambda: sync_client.run_sync(
                    c, cc.transport, budget=10**9))
                for k in cut_total:
                    cut_total[k] = cut[k] + resumed[k]
                extra = (cut_total["down"] - first_down) / first_down * 100
                rows.append({
                    "what": "First sync cut after 2,000,000 B on the wire, then resumed",
                    "figure": f"cut at {cut['down'] / 1024:.0f} KiB down; resumed: "
                              f"{resumed['requests']:.0f} req, {resumed['down'] / 1024:.0f} "
                              f"KiB down; in all {cut_total['down'] / 1024:.0f} KiB vs "
                              f"{first_down / 1024:.0f} KiB uncut = {extra:+.2f} %",
                    "target": "≤ 2 % extra (PouchDB: +43 %)",
                    "ok": str(extra <= 2.0)})
                for db in (a, b, c):
                    db.close()
    return rows


def run() -> list[dict[str, str]]:
    return protocol_figures() + load_figures()


# --- server load on PostgreSQL -----------------------------------------------------------


def _setup_load(url: str, branches: int) -> list[dict[str, Any]]:
    from sqlalchemy.orm import Session

    from sotay_core.domain.ids import new_id
    from sync_server.db import make_engine, upgrade
    from sync_server.records import put_record

    reset_pg(url)
    engine = make_engine(url)
    upgrade(engine)
    devices = []
    with Session(engine) as s, s.begin():
        p = admin.add_unit(s, name="Tỉnh tải", level="province", parent_id=None)
        communes = [admin.add_unit(s, name=f"Xã {i}", level="commune", parent_id=p.id)
                    for i in range(max(1, branches // 20))]
        for i in range(branches):
            b = admin.add_unit(s, name=f"Chi bộ {i}", level="branch",
                               parent_id=communes[i % len(communes)].id)
            for j in range(20):
                put_record(s, scope_id=b.id, entity="members", row_id=new_id(),
                           data={"unit_id": b.id, "full_name": f"Đảng viên {j}"}, by="load")
            resolution = new_id()   # what the load's comments are on (a target must exist)
            put_record(s, scope_id=b.id, entity="resolutions", row_id=resolution,
                       data={"unit_id": b.id, "title": "Nghị quyết", "status": "draft"},
                       by="load")
            e = admin.enroll_device(s, unit_id=b.id)
            cred = admin.redeem_code(s, e.code)
            devices.append({"token": cred.token, "unit": b.id, "resolution": resolution})
    engine.dispose()
    return devices


def _load_worker(args: tuple[str, list[dict[str, Any]], str, float]) -> list[float]:
    url, devices, mode, seconds = args
    from sotay_core.domain.ids import new_id

    latencies: list[float] = []
    sessions = {d["token"]: requests.Session() for d in devices}
    cursors = {d["token"]: 0 for d in devices}
    next_id = {d["token"]: 1 for d in devices}
    stop = time.monotonic() + seconds
    i = 0
    while time.monotonic() < stop:
        d = devices[i % len(devices)]
        i += 1
        token = d["token"]
        body: dict[str, Any] = {"protocol": 1, "schema_version": "0003",
                                "cursors": {d["unit"]: cursors[token]}}
        if mode == "push":
            first = next_id[token]
            body["mutations"] = [
                {"id": first + k, "entity": "comments", "row_id": new_id(), "op": "add",
                 "base_version": 0, "schema_version": "0003",
                 "fields": {"target_type": "resolution", "target_id": d["resolution"],
                            "author_text": "Tải thử", "body": f"Ý kiến {first + k}"}}
                for k in range(10)]
            next_id[token] = first + 10
        start = time.perf_counter()
        try:
            r = sessions[token].post(url + "/api/v1/sync", data=json.dumps(body),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"}, timeout=30)
        except requests.RequestException:
            latencies.append(-1.0)
            continue
        latencies.append(time.perf_counter() - start)
        if r.status_code != 200:
            latencies[-1] = -1.0
            continue
        cursors[token] = r.json()["cursors"][d["unit"]]
    return latencies


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def _postgres_pids() -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


def load_figures(branches: int = 400, seconds: float = 8.0, clients: int = 8
                 ) -> list[dict[str, str]]:
    from concurrent.futures import ProcessPoolExecutor

    if not pg_reachable():
        return [{"what": "Server load on PostgreSQL", "figure": "not run: no PostgreSQL",
                 "target": "", "ok": ""}]
    devices = _setup_load(PG_URL, branches)
    port = free_port()
    env = os.environ | {"SOTAY_SERVER_DB": PG_URL, "SOTAY_SERVER_AUTO_MIGRATE": "false",
                        "SOTAY_SERVER_FILES_DIR": tempfile.mkdtemp()}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "sync_server.asgi:app",
                             "--port", str(port), "--workers", "2", "--log-level", "warning",
                             "--timeout-keep-alive", "75"],
                            cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for _ in range(100):
            try:
                if requests.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        rss_start = rss_kib(proc.pid)
        chunks = [devices[i::clients] for i in range(clients)]
        for mode, target, floor in (("nochange", "≥ 300 syncs/s, p99 ≤ 300 ms", 300),
                                    ("push", "≥ 100 pushes/s, p99 ≤ 300 ms", 100)):
            server_pids = [proc.pid, *children(proc.pid)]
            cpu_before = (_cpu_seconds(server_pids), _cpu_seconds(_postgres_pids()))
            with ProcessPoolExecutor(clients) as pool:
                results = list(pool.map(_load_worker,
                                        [(url, c, mode, seconds) for c in chunks]))
            cpu_app = _cpu_seconds(server_pids) - cpu_before[0]
            cpu_pg = _cpu_seconds(_postgres_pids()) - cpu_before[1]
            lat = sorted(x for r in results for x in r if x >= 0)
            errors = sum(1 for r in results for x in r if x < 0)
            rate = len(lat) / seconds
            p50 = statistics.median(lat) * 1000
            p99 = lat[int(len(lat) * 0.99) - 1] * 1000
            what = ("No-change syncs" if mode == "nochange" else "Pushes of 10 mutations")
            per_request = (cpu_app + cpu_pg) / max(1, len(lat)) * 1000
            capacity = 2000 / per_request  # two cores given to the server alone
            rows.append({
                "what": f"{what}, {branches} branches, {clients} load processes on the same "
                        "2 cores as the server (uvicorn 2 workers) and PostgreSQL",
                "figure": f"{rate:.0f}/s achieved; p50 {p50:.0f} ms, p99 {p99:.0f} ms; "
                          f"{errors} errors; server CPU {cpu_app / len(lat) * 1000:.1f} ms + "
                          f"PostgreSQL {cpu_pg / len(lat) * 1000:.1f} ms per request → "
                          f"≈ {capacity:.0f}/s on 2 cores of its own",
                "target": target,
                "ok": str(rate >= floor and p99 <= 300 and errors == 0)})
        rss_end = rss_kib(proc.pid)
        rows.append({"what": "Server memory (all worker processes) before → after the load",
                     "figure": f"{rss_start / 1024:.0f} → {rss_end / 1024:.0f} MiB",
                     "target": "", "ok": ""})
    finally:
        proc.terminate()
        proc.wait(10)
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
