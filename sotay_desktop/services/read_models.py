"""Plain read models shared by services and screens, importable without SQLAlchemy.

The window's first paint uses these before SQLAlchemy is imported (see
``services/first_paint.py``), so this module imports only the domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sotay_core.domain.entities import Gender, MemberStatus, OrgUnit

INTERNAL = {"internal": True}   # a field's metadata: never printed by the CLI's --json


@dataclass(frozen=True, slots=True)
class MemberSummary:
    """One roster line: what the table and `members list` show."""

    id: str
    full_name: str
    gender: Gender | None
    date_of_birth: dt.date | None
    status: MemberStatus
    admitted_on: dt.date | None
    official_on: dt.date | None
    card_number: str
    residence: str
    search_key: str = field(metadata=INTERNAL)   # for the search and the order, not output
    sort_key: str = field(metadata=INTERNAL)


@dataclass(frozen=True, slots=True)
class BranchInfo:
    branch: OrgUnit
    parents: tuple[OrgUnit, ...]      # nearest first: commune, then province …

    @property
    def superior(self) -> OrgUnit | None:
        return self.parents[0] if self.parents else None


@dataclass(frozen=True)
class BranchSnapshot:
    """Everything the window shows after a load, gathered off the UI thread."""

    branch: BranchInfo | None
    roster: list[MemberSummary]
    counts: dict[MemberStatus, int]
    pending: int


@dataclass(frozen=True)
class SyncStatus:
    """What the Sync screen shows: gathered off the UI thread."""

    enrolled: bool
    server_url: str
    last_sync: str            # ISO time of the last answer from the server, "" if never
    pending: int              # changes waiting to be sent
    conflicts: list[object]   # services.conflicts.ConflictView
    notices: list[object]     # services.conflicts.Notice (refused changes)
    files_waiting: int
    # services.conflicts.Notice: rows from the server set aside (sync.quarantine)
    quarantined: list[object] = field(default_factory=list)
    # services.sync.convergence.CheckOutcome: the last end-of-sync comparison with the server
    check: object | None = None
