"""Capacity on paper (issue 22): the sync routes' CPU cost per request and PostgreSQL's size
on disk at the size of a merged province, for the sizing in docs/install.md.

Run after ``python -m bench.province`` has generated the province into the same database at
the capacity size (not part of ``make bench``; about 10 minutes on the 2-core VM)::

    export SOTAY_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:5432/test_capacity
    SOTAY_BENCH_DB=test_capacity SOTAY_BENCH_BRANCHES=50000 SOTAY_BENCH_MEMBERS=1500000 \\
        SOTAY_BENCH_COMMUNES=166 python -m bench.province
    python -m bench.capacity

It adds to that province: 30 member records per branch (so ``records`` and its indexes have
1.5 million rows more; the province bench writes only the statistics rows), then enrols one
PC in each of 400 of its branches, each with a published 200 KB file, and measures under
load (8 processes, uvicorn with 2 workers, all on the same 2 cores): no-change syncs, pushes
of 10 mutations, and downloads of the 200 KB file; the server's and PostgreSQL's CPU time
per request are read from /proc, as in ``bench.sync``. Then the database's size, per table.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select, text

from bench.sync import _cpu_seconds, _load_worker, _postgres_pids
from sotay_core.protocol import ROUTE_FILES
from tests.sync_support import PG_URL, ROOT, children, free_port

MEMBERS_PER_BRANCH = 30
LOAD_BRANCHES = 400
FILE_BYTES = 200_000


def _member(branch: str, i: int) -> str:
    """A member's record as a PC sends it (the fields a roster holds), ~450 bytes of JSON."""
    return json.dumps({
        "unit_id": branch, "full_name": f"Nguyễn Văn Thử {i}", "gender": "male",
        "birth_date": "1968-05-17", "ethnicity": "Kinh", "religion": "Không",
        "hometown": "Xã Thử Nghiệm, tỉnh Thử Nghiệm", "address": "Thôn 3, xã Thử Nghiệm",
        "phone": "0912345678", "card_number": f"{i:08d}", "joined_on": "1995-03-02",
        "official_on": "1996-03-02", "status": "official", "education": "12/12",
        "theory": "Trung cấp", "occupation": "Nông dân", "note": ""}, ensure_ascii=False)


def add_member_records(url: str) -> tuple[int, float]:
    """30 member records per branch of the generated province (COPY); (rows, seconds)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    start = time.perf_counter()
    rows = 0
    with engine.begin() as conn:
        if conn.scalar(text("SELECT count(*) FROM records WHERE entity = 'members'")):
            return 0, 0.0
        branches = list(conn.scalars(text("SELECT id FROM units WHERE level = 'branch'")))
        raw: Any = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(
                "COPY records (scope_id, entity, id, version, deleted, data, province_owned, "
                "updated_at, updated_by, natural_key) FROM STDIN") as copy:
            for b in branches:
                for i in range(MEMBERS_PER_BRANCH):
                    copy.write_row((b, "members", str(uuid.uuid4()), i + 1, False,
                                    _member(b, i), False, "2026-11-01 08:00", "bench", None))
                    rows += 1
        conn.execute(text("ANALYZE records"))
    engine.dispose()
    return rows, time.perf_counter() - start


def setup_load(url: str, files_dir: Path) -> list[dict[str, Any]]:
    """A PC in each of 400 branches of the province, a resolution to comment on and a
    published 200 KB file per branch."""
    from sqlalchemy.orm import Session

    from sotay_core.domain.ids import new_id
    from sync_server import admin, files
    from sync_server.db import make_engine
    from sync_server.models import Unit
    from sync_server.records import put_record

    engine = make_engine(url)
    devices = []
    blob = files_dir / "published.bin"
    blob.write_bytes(os.urandom(FILE_BYTES))
    with Session(engine) as s, s.begin():
        stored = files.store_path(s, files_dir, blob, mime="application/octet-stream")
        branches = list(s.scalars(select(Unit.id).where(Unit.level == "branch")
                                  .order_by(Unit.id).limit(LOAD_BRANCHES)))
        for b in branches:
            resolution = new_id()
            put_record(s, scope_id=b, entity="resolutions", row_id=resolution,
                       data={"unit_id": b, "title": "Nghị quyết", "status": "draft"},
                       by="load")
            files.grant(s, b, stored.sha256, how="published", via="bench")
            e = admin.enroll_device(s, unit_id=b)
            cred = admin.redeem_code(s, e.code)
            devices.append({"token": cred.token, "unit": b, "resolution": resolution,
                            "sha": stored.sha256})
    engine.dispose()
    return devices


def _file_worker(args: tuple[str, list[dict[str, Any]], str, float]) -> list[float]:
    """Download the branch's 200 KB file again and again (each PC in turn)."""
    url, devices, _mode, seconds = args
    latencies: list[float] = []
    sessions = {d["token"]: requests.Session() for d in devices}
    stop = time.monotonic() + seconds
    i = 0
    while time.monotonic() < stop:
        d = devices[i % len(devices)]
        i += 1
        start = time.perf_counter()
        try:
            r = sessions[d["token"]].get(f"{url}{ROUTE_FILES}/{d['sha']}", timeout=30,
                                         headers={"Authorization": f"Bearer {d['token']}"})
            ok = r.status_code == 200 and len(r.content) == FILE_BYTES
        except requests.RequestException:
            ok = False
        latencies.append(time.perf_counter() - start if ok else -1.0)
    return latencies


def _wal_lsn(url: str, since: str | None = None) -> str:
    """The cluster's WAL position, or the bytes written since ``since`` (the whole cluster:
    other databases' writes in that time count too)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:
        if since is None:
            out = str(conn.scalar(text("SELECT pg_current_wal_lsn()")))
        else:
            out = str(conn.scalar(text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
                                       "CAST(:s AS pg_lsn))"), {"s": since}))
    engine.dispose()
    return out


def measure_load(url: str, devices: list[dict[str, Any]], files_dir: Path,
                 seconds: float = 10.0, clients: int = 8) -> list[dict[str, str]]:
    from concurrent.futures import ProcessPoolExecutor

    port = free_port()
    env = os.environ | {"SOTAY_SERVER_DB": url, "SOTAY_SERVER_AUTO_MIGRATE": "false",
                        "SOTAY_SERVER_FILES_DIR": str(files_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "sync_server.asgi:app",
                             "--port", str(port), "--workers", "2", "--log-level", "warning",
                             "--timeout-keep-alive", "75"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        chunks = [devices[i::clients] for i in range(clients)]
        for mode in ("nochange", "push", "file"):
            worker = _file_worker if mode == "file" else _load_worker
            pids = [proc.pid, *children(proc.pid)]
            wal = _wal_lsn(url)
            before = (_cpu_seconds(pids), _cpu_seconds(_postgres_pids()))
            with ProcessPoolExecutor(clients) as pool:
                results = list(pool.map(worker, [(base, c, mode, seconds) for c in chunks]))
            app = _cpu_seconds(pids) - before[0]
            pg = _cpu_seconds(_postgres_pids()) - before[1]
            wal_bytes = _wal_lsn(url, since=wal)
            lat = sorted(x for r in results for x in r if x >= 0)
            errors = sum(1 for r in results for x in r if x < 0)
            n = max(1, len(lat))
            what = {"nochange": "No-change sync", "push": "Push of 10 mutations (and pull)",
                    "file": f"Download of a {FILE_BYTES // 1000} KB file"}[mode]
            rows.append({"what": f"{what}: {LOAD_BRANCHES} PCs of the province, {clients} "
                                 "load processes, uvicorn 2 workers, same 2 cores",
                         "figure": f"{len(lat) / seconds:.0f}/s achieved, p50 "
                                   f"{statistics.median(lat) * 1000:.0f} ms, {errors} errors; "
                                   f"server CPU {app / n * 1000:.1f} ms + PostgreSQL "
                                   f"{pg / n * 1000:.1f} ms per request; WAL "
                                   f"{int(wal_bytes) / n / 1024:.1f} KiB per request",
                         "target": "", "ok": ""})
    finally:
        proc.terminate()
        proc.wait(10)
    return rows


def sizes(url: str) -> list[dict[str, str]]:
    """The database's size and its largest tables (with their indexes and TOAST)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.scalar(text("SELECT pg_database_size(current_database())"))
        tables = conn.execute(text(
            "SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), "
            "c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 14")).all()
    engine.dispose()
    mib = 1024 * 1024
    rows = [{"what": "PostgreSQL database size (pg_database_size)",
             "figure": f"{total / mib:,.0f} MiB", "target": "", "ok": ""}]
    for name, whole, heap, count in tables:
        rows.append({"what": f"… {name} ({count:,} rows)",
                     "figure": f"{whole / mib:,.0f} MiB with indexes ({heap / mib:,.0f} MiB "
                               f"heap, {whole / max(1, count):,.0f} B per row)",
                     "target": "", "ok": ""})
    return rows


def run() -> list[dict[str, str]]:
    from bench.province import bench_url

    url = bench_url()
    added, took = add_member_records(url)
    rows = [{"what": "Member records added (COPY)", "figure": f"{added:,} in {took:.0f} s",
             "target": "", "ok": ""}]
    with tempfile.TemporaryDirectory() as tmp:
        files_dir = Path(tmp)
        devices = setup_load(url, files_dir)
        rows += measure_load(url, devices, files_dir)
    return rows + sizes(url)


if __name__ == "__main__":
    assert PG_URL
    for row in run():
        print(f"{row['what']}: {row['figure']}")
