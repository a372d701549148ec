"""The built one-folder bundle (issue 8): its size and its start-up, when `make dist` has run."""

from __future__ import annotations

import os
import re
import statistics
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bundle() -> Path:
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version is not None
    return ROOT / "dist" / f"SoTay-{version[1]}"


def run() -> list[dict[str, str]]:
    from bench.desktop import _spawn

    bundle = _bundle()
    if not (bundle / "SoTay").exists():
        return [{"what": "Linux bundle", "figure": "not built (run `make dist` first)",
                 "target": "—", "ok": ""}]
    # PyInstaller links some libraries into _internal: count each file once and its disk
    # blocks, like `du -sm` (the target's measure; a few libraries are sparse).
    size = sum(f.lstat().st_blocks * 512 for f in bundle.rglob("*")
               if f.is_file() and not f.is_symlink())
    tarballs = list((ROOT / "dist").glob("SoTay-*-linux-x86_64.tar.gz"))
    results = [{
        "what": "Linux one-folder bundle (desktop only; PyInstaller)",
        "figure": f"{size / 1048576:.1f} MiB ({size / 1e6:.1f} MB); tarball "
                  f"{tarballs[0].stat().st_size / 1048576:.0f} MiB" if tarballs else
                  f"{size / 1048576:.1f} MiB",
        "target": "≤ 120 MB (du -sm)", "ok": str(size / 1048576 <= 120),
    }]
    with tempfile.TemporaryDirectory() as tmp:
        import datetime as dt

        from sotay_desktop.db.engine import open_database
        from sotay_desktop.usecases import branch
        from sotay_desktop.usecases.workspace import Workspace

        db = open_database(Path(tmp) / "branch")
        branch.create_demo(Workspace(db, today=lambda: dt.date(2026, 11, 22)), members=5000,
                           documents=200)
        db.close()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SOTAY_EXIT_AFTER_LOAD": "1",
               "SOTAY_CONFIG_DIR": str(Path(tmp) / "cfg")}
        argv = [str(bundle / "SoTay"), "--data-dir", str(Path(tmp) / "branch")]
        _spawn(argv, env)   # warm the cache
        runs = [_spawn(argv, env)[0] for _ in range(7)]
    median = statistics.median(runs)
    results.append({
        "what": "Built app: process start to the first painted roster (5,000 members, warm "
                "cache, offscreen)",
        "figure": f"{median:.2f} s median of 7", "target": "≤ 0.5 s", "ok": str(median <= 0.5)})
    return results
