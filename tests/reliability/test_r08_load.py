"""R8: a bounded load on loopback against the real server (uvicorn, 2 workers) on
PostgreSQL: many simulated branches doing no-change syncs, pushes and file downloads.

Reported: requests per second, p50/p99 per kind, errors by status, the server's memory
sampled every half second. Pass: no errors; every acknowledged pushed comment is on the
server exactly once; memory at the end of a second equal phase is within 20 % (or 40 MiB)
of the end of the first, so it does not grow without bound.

On PostgreSQL always in CI (tests/sync_support.database_url fails there if it is
unreachable); elsewhere it falls back to skipping.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync_server import admin
from sync_server.db import make_engine, upgrade
from sync_server.models import Record
from tests.reliability.load import worker
from tests.reliability.report import budget, record
from tests.sync_support import ROOT, database_url, free_port, rss_kib

pytestmark = pytest.mark.slow  # load on the server: `make check` leaves it out

BRANCHES = budget(40, 400)
PHASE_S = budget(6, 60)
PROCESSES = budget(4, 8)


def _setup(url: str, files: Path) -> tuple[list[dict[str, Any]], str]:
    engine = make_engine(url)
    upgrade(engine)
    devices = []
    document = files.parent / "chi-thi.pdf"
    document.write_bytes(os.urandom(256 * 1024))
    with Session(engine) as s, s.begin():
        p = admin.add_unit(s, name="Tỉnh tải thử", level="province", parent_id=None)
        c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
        for i in range(BRANCHES):
            b = admin.add_unit(s, name=f"Chi bộ {i}", level="branch", parent_id=c.id)
            code = admin.enroll_device(s, unit_id=b.id).code
            cred = admin.redeem_code(s, code)
            devices.append({"token": cred.token, "unit": b.id})
        published = admin.publish(s, files, document, to_unit=p.id)
        sha = published.sha256
        for d in devices:
            d["doc"] = published.document_id   # what their comments are on
    engine.dispose()
    return devices, sha


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[max(0, int(len(values) * q) - 1)] * 1000 if values else 0.0


@pytest.mark.postgres
@pytest.mark.timeout(900)
def test_bounded_load_on_postgresql(tmp_path: Path) -> None:
    url = database_url("postgresql", tmp_path)
    files = tmp_path / "files"
    devices, sha = _setup(url, files)
    port = free_port()
    env = os.environ | {"SOTAY_SERVER_DB": url, "SOTAY_SERVER_AUTO_MIGRATE": "false",
                        "SOTAY_SERVER_FILES_DIR": str(files)}
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "sync_server.asgi:app",
                               "--port", str(port), "--workers", "2", "--log-level",
                               "warning", "--timeout-keep-alive", "75"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    memory: list[tuple[float, int]] = []
    stop = threading.Event()
    try:
        for _ in range(150):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        started = time.monotonic()

        def sample() -> None:
            while not stop.is_set():
                memory.append((time.monotonic() - started, rss_kib(server.pid)))
                stop.wait(0.5)

        threading.Thread(target=sample, daemon=True).start()
        shares = [devices[i::PROCESSES] for i in range(PROCESSES)]
        phases: list[list[dict[str, Any]]] = []
        phase_end_rss = []
        for phase in range(2):
            with ProcessPoolExecutor(PROCESSES) as pool:
                results = list(pool.map(worker, [(base, share, float(PHASE_S), phase * 100 + i,
                                                  sha) for i, share in enumerate(shares)]))
            phases.append(results)
            phase_end_rss.append(rss_kib(server.pid))
            for share, result in zip(shares, results, strict=True):
                for d in share:                       # mutation ids go on in phase two
                    d["next_id"] = result["next_id"][d["token"]]
        stop.set()
        alive = server.poll() is None
    finally:
        stop.set()
        server.terminate()
        server.wait(20)
    samples = [x for results in phases for r in results for x in r["samples"]]
    acked: dict[str, int] = {}
    for results in phases:
        for r in results:
            for unit, n in r["acked"].items():
                acked[unit] = acked.get(unit, 0) + n
    engine = make_engine(url)
    with Session(engine) as s:
        stored = dict(s.execute(select(Record.scope_id, func.count()).where(
            Record.entity == "comments").group_by(Record.scope_id)).all())
    engine.dispose()
    errors: dict[int, int] = {}
    for _kind, _lat, status in samples:
        if status != 200:
            errors[status] = errors.get(status, 0) + 1
    total_s = 2 * PHASE_S
    kinds = {}
    for kind in ("nochange", "push", "download"):
        lat = [x for k, x, st in samples if k == kind and st == 200]
        kinds[kind] = (len(lat), statistics.median(lat) * 1000 if lat else 0,
                       _pct(lat, 0.99))
    growth = (phase_end_rss[1] - phase_end_rss[0]) / max(1, phase_end_rss[0])
    peak = max(m for _, m in memory) if memory else 0
    figures = [(k, f"{n / total_s:.0f} req/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms")
               for k, (n, p50, p99) in kinds.items()]
    figures += [("all", f"{len(samples) / total_s:.0f} req/s, {len(samples):,} requests"),
                ("errors by status", str(errors or "none")),
                ("server memory (2 workers)",
                 f"start {memory[0][1] / 1024 if memory else 0:.0f} MiB, end of phase 1 "
                 f"{phase_end_rss[0] / 1024:.0f} MiB, end of phase 2 "
                 f"{phase_end_rss[1] / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB "
                 f"({growth:+.1%} between the phases)"),
                ("comments acknowledged / stored", f"{sum(acked.values()):,} / "
                                                   f"{sum(stored.values()):,}")]
    record("R8", "Bounded load on PostgreSQL",
           injected=f"{BRANCHES} branches over {PROCESSES} load processes on the same 2 cores "
                    "as the server (uvicorn, 2 workers) and PostgreSQL: 60 % no-change syncs, "
                    "30 % pushes of 5 comments, 10 % downloads of a 256 KiB file",
           trials=f"two phases of {PHASE_S} s, 30 s timeout per request",
           held=("no errors; every acknowledged comment stored exactly once; memory did not "
                 "grow between equal phases") if not errors and acked == {
                     k: v for k, v in stored.items() if k in acked} else "NO",
           figures=figures, seconds=total_s)
    assert alive, "the server died under load"
    assert not errors, errors
    assert {u: stored.get(u, 0) for u in acked} == acked      # exactly once, none lost
    assert sum(acked.values()) > 0                            # the pushes were applied
    assert growth < 0.20 or phase_end_rss[1] - phase_end_rss[0] < 40 * 1024, figures
