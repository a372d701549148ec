"""What one sync did, and how it reports progress and asks whether to stop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[str, int, int], None]   # (stage, done, total)
Cancelled = Callable[[], bool]


@dataclass
class SyncReport:
    requests: int = 0
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    conflicts: int = 0
    files_down: int = 0
    files_up: int = 0
    bytes_files: int = 0
    files_waiting: int = 0
    files_skipped: int = 0   # files the server could not give or take this time (one each)
    clock_skew_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    check: Any = None        # sync.convergence.CheckOutcome: the end-of-sync comparison
