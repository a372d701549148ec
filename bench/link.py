"""Sync on a weak link, measured (issue 22): the real ``sotay sync`` process against a real
server (uvicorn on loopback) through the link emulator (tests/link_emulator.py: 300 ms RTT,
256 kbit/s each way, 0 and 2 % segment loss), as in the PouchDB comparison
(shared/reference/sync-design.md §4).

Figures: the whole process's wall time, the sync's own time (``SOTAY_SYNC_TIMINGS`` makes the
CLI print it to stderr) and their difference (Python start-up, imports, opening the folder);
the first sync of a fresh PC with the reference branch and 20 files of 200 KB: its wall time
against HTTP bytes / 32,000 B/s.

Runnable alone: ``python -m bench.link`` (``--quick``: 0 % loss and 5 files only).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sotay_desktop.db.engine import open_database
from sotay_desktop.db.tables import Meta
from sotay_desktop.services.demo import create_demo
from sotay_desktop.services.sync import client as sync_client
from sync_server import admin
from tests.link_emulator import LinkProxy
from tests.sync_support import ROOT, running_server

AS_OF = dt.date(2026, 11, 22)
RTT, BW = 0.3, 32_000
QUICK = bool(os.environ.get("SOTAY_BENCH_QUICK"))


def _sotay() -> list[str]:
    script = Path(sys.executable).with_name("sotay")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sotay_desktop.cli"]


def timed_sync(data_dir: Path, proxy: LinkProxy) -> dict[str, float]:
    """One ``sotay sync`` process: wall time, the sync's own time, bytes through the link."""
    proxy.counters.reset()
    env = os.environ | {"SOTAY_SYNC_TIMINGS": "1", "SOTAY_LANG": "en"}
    start = time.perf_counter()
    done = subprocess.run([*_sotay(), "sync", "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"sotay sync failed: {done.stdout}{done.stderr}")
    own = [float(line.split("=", 1)[1]) for line in done.stderr.splitlines()
           if line.startswith("sync_seconds=")]
    c = proxy.counters
    return {"wall": wall, "sync": own[0] if own else float("nan"), "up": c.up, "down": c.down,
            "wire": c.wire_up + c.wire_down, "connections": c.connections, "lost": c.lost}


def _fresh_pc(server: Any, branch: str, path: Path, proxy: LinkProxy) -> Path:
    """A PC enrolled on loopback (the code is not what is measured), then pointed at the link."""
    db = open_database(path)
    sync_client.enroll(db, server.url, server.code(branch), label=path.name)
    with db.sessions.begin() as s:
        meta = s.get(Meta, "sync_server_url")
        assert meta is not None
        meta.value = proxy.url
    db.close()
    return path


def _branch(server: Any, tmp: Path, files: int) -> str:
    """The reference branch (150 members, 300 documents, 48 meetings) on the server, pushed by
    a first PC, and ``files`` published files of 200 KB random bytes."""
    [branch] = server.tree()
    a = open_database(tmp / "pc-origin")
    with a.sessions.begin() as s:
        create_demo(s, members=150, documents=300, meetings=48, as_of=AS_OF, seed=11)
    sync_client.enroll(a, server.url, server.code(branch), label="PC-origin")
    sync_client.run_sync(a)
    a.close()
    rng = random.Random(5)
    with server.session() as s:
        for i in range(files):
            path = tmp / f"van-ban-{i:02d}.pdf"
            path.write_bytes(rng.randbytes(200_000))
            admin.publish(s, server.files_dir, path, to_unit=branch, title=f"Văn bản {i}")
    return branch


def figures(losses: tuple[float, ...], files: int, repeats: int = 3) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with running_server(tmp / "srv") as server:
            branch = _branch(server, tmp, files)
            for loss in losses:
                proxy = LinkProxy(server.port, rtt=RTT, bandwidth=BW, loss=loss, seed=22)
                try:
                    pc = _fresh_pc(server, branch, tmp / f"pc-{loss:.2f}", proxy)
                    first = timed_sync(pc, proxy)
                    http = first["up"] + first["down"]
                    ideal = http / BW
                    ratio = first["wall"] / ideal
                    rows.append({
                        "what": f"First sync of a fresh PC, records and {files} files of "
                                f"200 KB, {loss:.0%} loss",
                        "figure": f"process {first['wall']:.1f} s (sync {first['sync']:.1f} s) "
                                  f"for {http / 1e6:.2f} MB HTTP ({first['wire'] / 1e6:.2f} MB "
                                  f"on the wire with TCP/IP headers and "
                                  f"{first['lost']:.0f} lost segments), "
                                  f"{first['connections']:.0f} connections: {ratio:.3f}× of "
                                  f"HTTP bytes / 32,000 B/s ({ideal:.1f} s); the sync alone "
                                  f"{first['sync'] / ideal:.3f}×; against the wire's bytes "
                                  f"{first['wall'] * BW / first['wire']:.3f}×",
                        "target": "≤ 1.05× (PouchDB whole first sync: 152.8 s at 0 %, "
                                  "157.0 s at 2 % loss)",
                        "ok": str(ratio <= 1.05) if files == 20 else ""})
                    runs = [timed_sync(pc, proxy) for _ in range(repeats)]
                    wall = statistics.median(r["wall"] for r in runs)
                    own = statistics.median(r["sync"] for r in runs)
                    over = statistics.median(r["wall"] - r["sync"] for r in runs)
                    rows.append({
                        "what": f"No-change `sotay sync` process, {loss:.0%} loss "
                                f"(median of {repeats})",
                        "figure": f"process {wall:.2f} s, sync {own:.2f} s, overhead "
                                  f"(process − sync) {over:.2f} s; "
                                  f"{runs[-1]['up'] + runs[-1]['down']:.0f} B HTTP",
                        "target": "overhead ≤ 0.4 s (PouchDB whole sync: 3.8 s)",
                        "ok": str(over <= 0.4)})
                finally:
                    proxy.close()
    return rows


def run(quick: bool = QUICK) -> list[dict[str, str]]:
    if quick:
        return figures((0.0,), files=5, repeats=3)
    return figures((0.0, 0.02), files=20, repeats=3)


if __name__ == "__main__":
    for row in run(quick=QUICK or "--quick" in sys.argv):
        print(f"{row['what']}: {row['figure']} [{row['target']}] {row['ok']}")
