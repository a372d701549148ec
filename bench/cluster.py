"""Several nodes (issue 22): no-change syncs per second with one server node and with two
behind HAProxy, on this VM, with the CPU each request costs the nodes, HAProxy and PostgreSQL.

The nodes are ``sotay-server serve`` processes (one uvicorn process each, so one node uses
one core at most), with their files in an S3 bucket (moto's server) and one PostgreSQL, as in
tests/cluster_support.py. The load generator is bench/sync.py's: 8 Python processes, each
syncing its share of the branches' devices in turn on kept-alive connections; it runs on the
same 2 cores, so the achieved rate is bounded by it, and the CPU per request (from /proc) is
the figure that carries to a machine of the nodes' own.

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
    """One load process: its devices sync in turn, each from its branch's current cursor
    (set at the warm-up), so every request is a no-change sync; latencies, -1 an error."""
    import json
    import time

    import requests

    from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS

    url, devices, seconds = args
    latencies: list[float] = []
    sessions = {d["token"]: requests.Session() for d in devices}
    stop = time.monotonic() + seconds
    i = 0
    while time.monotonic() < stop:
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
    with ProcessPoolExecutor(clients) as pool:   # warm-up: the nodes' connections and pools
        list(pool.map(_nochange, [(url, c, 1.0) for c in chunks]))
    before = {k: _cpu_seconds(v) for k, v in pids.items()}
    pg_before = _backends(db_url)
    with ProcessPoolExecutor(clients) as pool:
        results = list(pool.map(_nochange, [(url, c, seconds) for c in chunks]))
    cpu = {k: _cpu_seconds(v) - before[k] for k, v in pids.items()}
    cpu["postgres"] = sum(t - pg_before.get(p, 0.0) for p, t in _backends(db_url).items())
    lat = sorted(x for r in results for x in r if x >= 0)
    n = max(1, len(lat))
    return {"rate": len(lat) / seconds, "errors": sum(1 for r in results for x in r if x < 0),
            "p50": statistics.median(lat) * 1000 if lat else 0.0,
            "p99": lat[max(0, int(len(lat) * 0.99) - 1)] * 1000 if lat else 0.0,
            "cpu_ms": {k: v / n * 1000 for k, v in cpu.items()}}


def _row(what: str, m: dict[str, Any], nodes: int) -> dict[str, str]:
    cpu = m["cpu_ms"]
    parts = [f"nodes {cpu['nodes']:.1f} ms"]
    if "haproxy" in cpu:
        parts.append(f"HAProxy {cpu['haproxy']:.2f} ms")
    parts.append(f"PostgreSQL {cpu['postgres']:.1f} ms")
    total = sum(cpu.values())
    return {"what": what,
            "figure": f"{m['rate']:.0f}/s achieved; p50 {m['p50']:.0f} ms, p99 {m['p99']:.0f} "
                      f"ms; {m['errors']} errors; CPU per request: {', '.join(parts)} "
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
    load = f"{branches} branches, {clients} load processes on the same 2 cores"
    rows.append(_row(f"No-change syncs, one node (one process), straight to it; {load}",
                     figures["direct"], 1))
    rows.append(_row(f"No-change syncs, one node behind HAProxy; {load}", figures["one"], 1))
    two_row = _row(f"No-change syncs, two nodes behind HAProxy (round-robin); {load}",
                   figures["two"], 2)
    two_row["figure"] += " — requests per node: " + ", ".join(
        f"{k} {v}" for k, v in sorted(served.items()))
    gain = figures["two"]["rate"] / max(1.0, figures["one"]["rate"])
    two_row["target"] = "more than one node (the generator shares the cores)"
    two_row["ok"] = str(gain > 1.0 and figures["two"]["errors"] == 0)
    rows.append(two_row)
    return rows


if __name__ == "__main__":
    for row in run():
        sys.stdout.write(f"{row['what']}\n    {row['figure']}\n")
