"""R1: power cuts during real app writes (see powercut.py for how a cut is simulated).

FULL (the app's setting) must survive every cut: the folder opens in the app, passes
``PRAGMA integrity_check``, holds exactly a prefix of the edits with their outbox and audit
rows, and no edit the app acknowledged is missing. The same check run on weaker settings
and on an app that acknowledges before committing must fail, so the check is not blind.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.reliability.powercut import Matrix, power_cut_matrix
from tests.reliability.report import budget, record

pytestmark = pytest.mark.slow  # power cuts in child processes: `make check` leaves it out

STEPS = budget(300, 600)


def _figures(m: Matrix) -> list[tuple[str, str]]:
    counts = ", ".join(f"{k} {v}" for k, v in sorted(m.outcomes.items()))
    return [(m.setting, f"{m.cuts} cuts over {m.log_ops:,} logged writes/syncs, "
                        f"{m.acked} edits acknowledged: {counts}")]


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "sqlcipher"])
def test_power_cuts_never_lose_an_acknowledged_edit(powercut_shim: Path, tmp_path: Path,
                                                    encrypted: bool) -> None:
    cuts = budget(100, 1000) if not encrypted else budget(50, 500)
    start = time.perf_counter()
    m = power_cut_matrix(tmp_path, powercut_shim, synchronous="FULL", cuts=cuts, steps=STEPS,
                         seed=11 + encrypted, encrypted=encrypted)
    record("R1", "Power cuts during real app writes" + (" (SQLCipher)" if encrypted else ""),
           injected="power cut at a random point of the write log: unsynced writes kept with "
                    "p = 0.6, a quarter of those torn to a 512-byte prefix, -shm lost",
           trials=f"{cuts} cuts, one workload of {STEPS} member edits and comments",
           held=("every cut: opened by the app, integrity_check ok, a prefix of the edits "
                 "each with its outbox and audit row, no acknowledged edit lost")
           if m.outcomes.get("ok") == cuts else "NO: " + "; ".join(m.examples),
           figures=_figures(m), seconds=time.perf_counter() - start)
    assert dict(m.outcomes) == {"ok": cuts}, m.examples


@pytest.mark.parametrize("setting", ["NORMAL", "OFF", "FULL-ACK-EARLY"])
def test_the_same_check_fails_weaker_settings(powercut_shim: Path, tmp_path: Path,
                                              setting: str) -> None:
    cuts = budget(40, 300)
    start = time.perf_counter()
    m = power_cut_matrix(tmp_path, powercut_shim, synchronous=setting, cuts=cuts, steps=STEPS,
                         seed=21)
    failed = cuts - m.outcomes.get("ok", 0)
    record("R1", f"Control: {m.setting}",
           injected="the same cuts; a weaker setting or an acknowledgement before the commit",
           trials=f"{cuts} cuts", held=f"the check failed {failed} of {cuts} cuts, as it must",
           figures=_figures(m), seconds=time.perf_counter() - start)
    assert m.outcomes.get("rolled_back", 0) > 0, dict(m.outcomes)  # acknowledged edits lost
    if setting == "OFF":
        assert failed >= cuts // 2, dict(m.outcomes)
