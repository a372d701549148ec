"""A really full disk for tests: a small tmpfs mounted in a private mount namespace.

``unshare -r -m`` gives an unprivileged user its own mount namespace (no root needed, and
nothing is mounted on the host), so a test can fill a 8 MB tmpfs and see the real
``ENOSPC`` and SQLite's real ``SQLITE_FULL``/``SQLITE_IOERR_SHMSIZE``, not a mock. Where user
namespaces are disabled (some CI runners, Windows), the tests using it are skipped; the
fallback tests in ``test_faults.py`` raise ENOSPC at the edge of the process instead.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def available() -> bool:
    if shutil.which("unshare") is None or not sys.platform.startswith("linux"):
        return False
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"sotay-tmpfs-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        done = subprocess.run(["unshare", "-r", "-m", "sh", "-c",
                               f"mount -t tmpfs -o size=64k tmpfs {probe}"],
                              capture_output=True, timeout=30, check=False)
        return done.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.rmdir()


def run(mounts: dict[Path, str], script: str, timeout: float = 180) -> Any:
    """Mount a tmpfs of the given size (e.g. "8m") at each folder, run ``script`` (Python)
    there with the project importable, and return the JSON it printed last."""
    for folder in mounts:
        folder.mkdir(parents=True, exist_ok=True)
    mount = " && ".join(f"mount -t tmpfs -o size={size} tmpfs '{folder}'"
                        for folder, size in mounts.items())
    code = textwrap.dedent(script)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(["unshare", "-r", "-m", "sh", "-c",
                           f"{mount} && exec \"$0\" -c \"$1\"", sys.executable, code],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=timeout, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise AssertionError(f"script failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# Python run inside the namespace before each scenario: helpers to fill a disk and to run
# the CLI in process, capturing what it says.
PRELUDE = '''
import errno, io, json, os, sys
from pathlib import Path
from sotay_desktop.cli import main

def fill(folder):
    """Write until the disk says ENOSPC; returns the filler file."""
    path = Path(folder) / "filler"
    with open(path, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return path

def sotay(*argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv), out=out, err=err)
    finally:
        sys.stdin = old
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}
'''
