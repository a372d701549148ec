"""Several nodes (issue 22): no-change syncs per second with one server node and with two
behind HAProxy, on this VM, with the CPU each request costs the nodes, HAProxy and PostgreSQL.

The nodes are ``sotay-server serve`` processes (one uvicorn process each, so one node uses
one core at most), with their files in an S3 bucket (moto's server) and one PostgreSQL, as in
tests/cluster_support.py. The load comes from wrk (Debian's ``wrk``: C, two threads, kept-alive
connections, the branches' devices in turn, each asking from its branch's current cursor),
or without it from 8 Python processes as in bench/sync.py. It runs on the same 2 cores, so
the achieved rate is bounded by the machine, and the CPU per request (from /proc: the nodes,
HAProxy, and the PostgreSQL backends of this database only) is the figure that carries to
machines of the nodes' own.

Runnable alone: ``.venv/bin/python -m bench.cluster``.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.sync import _cpu_seconds, _setup_load
from tests.sync_support import children, pg_reachable

TITLE = "Several nodes (issue 22)"


def _missing() -> str:
    if shutil.which("haproxy") is None:
        return "haproxy not installed"
    if not pg_reachable():
        return "no PostgreSQL"
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        return "boto3 or moto[server] not installed"
    return ""


def _nochange(args: tuple[str, list[dict[str, Any]], float]) -> list[float]:
    """One load process: its devices sync in turn, each from its branch's current cursor,
    so every request is a no-change sync; latencies, -1 an error. ``seconds`` 0: each
    device once (the warm-up: a PC's first sync is seen once and costs more)."""
    import json
    import time

    import requests

    from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS

    url, devices, seconds = args
    latencies: list[float] = []
    sessions = {d["token"]: requests.Session() for d in devices}
    stop = time.monotonic() + seconds
    i = 0
    while (time.monotonic() < stop) if seconds else (i < len(devices)):
        d = devices[i % len(devices)]
        i += 1
        body = {"protocol": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSIONS[-1],
                "cursors": {d["unit"]: d["cursor"]}}
        start = time.perf_counter()
        try:
            r = sessions[d["token"]].post(url + "/api/v1/sync", data=json.dumps(body), headers={
                "Authorization": f"Bearer {d['token']}", "Content-Type": "application/json"},
                timeout=30)
            ok = r.status_code == 200 and not r.json()["changes"]
        except requests.RequestException:
            ok = False
        latencies.append(time.perf_counter() - start if ok else -1.0)
    return latencies


def _cursors(db_url: str, devices: list[dict[str, Any]]) -> None:
    from sqlalchemy import select

    from sync_server.db import make_engine
    from sync_server.models import ScopeSeq

    engine = make_engine(db_url)
    with engine.connect() as conn:
        seqs = {r.scope_id: r.seq for r in conn.execute(select(ScopeSeq.scope_id,
                                                                ScopeSeq.seq))}
    engine.dispose()
    for d in devices:
        d["cursor"] = seqs.get(d["unit"], 0)


def _backends(db_url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving our database (not the other
    databases of a shared machine, nor the cluster's own background processes)."""
    from sqlalchemy import text

    from sync_server.db import make_engine

    engine = make_engine(db_url)
    with engine.connect() as conn:
        pids = conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = "
                                 "current_database() AND pid <> pg_backend_pid()")).all()
    engine.dispose()
    return {int(p): _cpu_seconds([int(p)]) for p in pids}


def _measure(url: str, devices: list[dict[str, Any]], pids: dict[str, list[int]],
             clients: int, seconds: float, db_url: str) -> dict[str, Any]:
    chunks = [devices[i::clients] for i in range(clients)]
    with ProcessPoolExecutor(clients) as pool:   # warm-up: pools, every device seen once
        list(pool.map(_nochange, [(url, c, 0.0) for c in chunks]))
    before = {k: _cpu_seconds(v) for k, v in pids.items()}
    pg_before = _backends(db_url)
    if shutil.which("wrk"):
        out = _wrk(url, devices, seconds, clients)
    else:
        with ProcessPoolExecutor(clients) as pool:
            results = list(pool.map(_nochange, [(url, c, seconds) for c in chunks]))
        lat = sorted(x for r in results for x in r if x >= 0)
        out = {"requests": len(lat), "errors": sum(1 for r in results for x in r if x < 0),
               "p50": statistics.median(lat) * 1000 if lat else 0.0,
               "p99": lat[max(0, int(len(lat) * 0.99) - 1)] * 1000 if lat else 0.0,
               "by": f"{clients} Python load processes"}
    cpu = {k: _cpu_seconds(v) - before[k] for k, v in pids.items()}
    cpu["postgres"] = sum(t - pg_before.get(p, 0.0) for p, t in _backends(db_url).items())
    n = max(1, out["requests"])
    return out | {"rate": out["requests"] / seconds,
                  "cpu_ms": {k: v / n * 1000 for k, v in cpu.items()}}


WRK_SCRIPT = """\
local devices = {%s}
local i = 0
request = function()
  i = i + 1
  local d = devices[(i %% #devices) + 1]
  return wrk.format("POST", "/api/v1/sync", {["Authorization"] = "Bearer " .. d[1],
                    ["Content-Type"] = "application/json"}, d[2])
end
"""


def _wrk(url: str, devices: list[dict[str, Any]], seconds: float, connections: int
         ) -> dict[str, Any]:
    """The load from wrk (C, 2 threads, kept-alive connections), the devices in turn: it
    costs the 2 cores much less than Python clients, so the server gets more of them."""
    import json
    import re
    import subprocess

    from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS

    entries = []
    for d in devices:
        body = json.dumps({"protocol": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSIONS[-1],
                           "cursors": {d["unit"]: d["cursor"]}})
        entries.append(f'{{"{d["token"]}", [[{body}]]}}')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % ",\n".join(entries))
    try:
        text = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s",
                               "--latency", "-s", fh.name, url], capture_output=True,
                              text=True, check=True, timeout=seconds + 60).stdout
    finally:
        Path(fh.name).unlink()

    def ms(label: str) -> float:
        found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", text)
        if found is None:
            return 0.0
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]

    done = re.search(r"(\d+) requests in", text)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                     text)
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(x) for x in sock.groups()) if sock else 0)
    return {"requests": int(done.group(1)) if done else 0, "errors": errors,
            "p50": ms("50%"), "p99": ms("99%"), "by": f"wrk, {connections} connections"}


def _row(what: str, m: dict[str, Any], nodes: int) -> dict[str, str]:
    cpu = m["cpu_ms"]
    parts = [f"nodes {cpu['nodes']:.1f} ms"]
    if "haproxy" in cpu:
        parts.append(f"HAProxy {cpu['haproxy']:.2f} ms")
    parts.append(f"PostgreSQL {cpu['postgres']:.1f} ms")
    total = sum(cpu.values())
    return {"what": what,
            "figure": f"{m['rate']:.0f}/s achieved ({m['by']}); p50 {m['p50']:.0f} ms, "
                      f"p99 {m['p99']:.0f} ms; {m['errors']} errors; CPU per request: "
                      f"{', '.join(parts)} "
                      f"(= {total:.1f} ms → ≈ {2000 / total:.0f}/s per 2 cores); "
                      f"{nodes} node process(es), one core each at most: ≤ "
                      f"{1000 * nodes / cpu['nodes']:.0f}/s",
            "target": "", "ok": str(m["errors"] == 0)}


def run(branches: int = 400, seconds: float = 8.0, clients: int = 8) -> list[dict[str, str]]:
    missing = _missing()
    if missing:
        return [{"what": "Two nodes behind HAProxy", "figure": f"not run: {missing}",
                 "target": "", "ok": ""}]
    from tests.cluster_support import cluster_db_url, running_cluster

    url = cluster_db_url()
    devices = _setup_load(url, branches)
    _cursors(url, devices)
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        figures: dict[str, dict[str, Any]] = {}
        with running_cluster(tmp / "one", 1, fresh=False, inter_ms=2000) as one:
            node = one.nodes[0]
            assert node.proc is not None
            pids = [node.proc.pid, *children(node.proc.pid)]
            figures["direct"] = _measure(node.url, devices, {"nodes": pids}, clients, seconds,
                                        url)
            figures["one"] = _measure(one.url, devices, {
                "nodes": pids, "haproxy": [one.balancer.proc.pid]}, clients, seconds, url)
        with running_cluster(tmp / "two", 2, fresh=False, inter_ms=2000) as two:
            pids = [p for n in two.nodes if n.proc is not None
                    for p in (n.proc.pid, *children(n.proc.pid))]
            figures["two"] = _measure(two.url, devices, {
                "nodes": pids, "haproxy": [two.balancer.proc.pid]}, clients, seconds, url)
            served = {name: int(s["stot"]) for name, s in two.balancer.stats().items()}
    load = f"{branches} branches, the load generator on the same 2 cores"
    rows.append(_row(f"No-change syncs, one node (one process), straight to it; {load}",
                     figures["direct"], 1))
    rows.append(_row(f"No-change syncs, one node behind HAProxy; {load}", figures["one"], 1))
    two_row = _row(f"No-change syncs, two nodes behind HAProxy (round-robin); {load}",
                   figures["two"], 2)
    two_row["figure"] += " — requests per node: " + ", ".join(
        f"{k} {v}" for k, v in sorted(served.items()))
    gain = figures["two"]["rate"] / max(1.0, figures["one"]["rate"])
    two_row["figure"] += f"; {gain:.2f}× the rate of one node behind HAProxy"
    two_row["target"] = "every request answered, each node half of them"
    two_row["ok"] = str(figures["two"]["errors"] == 0
                        and min(served.values()) >= 0.45 * sum(served.values()))
    rows.append(two_row)
    return rows


if __name__ == "__main__":
    for row in run():
        sys.stdout.write(f"{row['what']}\n    {row['figure']}\n")
