"""Budgets and results of the reliability suite (issue 9).

The same tests run in two tiers: in ``make test`` / CI with small budgets, and in
``make reliability`` (``SOTAY_RELIABILITY=long``) with the larger ones, which also collects
each test's figures into ``SOTAY_RELIABILITY_RESULTS`` (JSON lines) for
``python -m tests.reliability.write_report`` to turn into docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

LONG = os.environ.get("SOTAY_RELIABILITY") == "long"


def budget(ci: int, long: int) -> int:
    """The count for this tier."""
    return long if LONG else ci


def record(rid: str, title: str, *, injected: str, trials: str, held: str,
           figures: list[tuple[str, str]] | None = None, seconds: float | None = None) -> None:
    """One result row of the report (a no-op unless the suite is writing one)."""
    target = os.environ.get("SOTAY_RELIABILITY_RESULTS")
    if not target:
        return
    row = {"id": rid, "title": title, "injected": injected, "trials": trials, "held": held,
           "figures": figures or [], "seconds": None if seconds is None else round(seconds, 1),
           "tier": "long" if LONG else "ci", "at": time.strftime("%Y-%m-%d %H:%M")}
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
