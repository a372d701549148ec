"""The first paint's data, read with plain SQL before SQLAlchemy is imported.

Start-up is dominated by importing SQLAlchemy (docs/benchmarks.md), so the
window shows the roster from this read and SQLAlchemy loads afterwards in a
worker. Anything unusual (no file, an old schema, no branch) returns None and
the normal path handles it. ``tests/test_first_paint.py`` checks these rows are
the ones the use cases return.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sotay_core.domain.entities import Gender, MemberStatus, OrgLevel, OrgUnit, stored
from sotay_desktop.db import schema_version
from sotay_desktop.db.connection import looks_like_sqlite, raw_connect
from sotay_desktop.db.layout import DB_NAME
from sotay_desktop.services.read_models import BranchInfo, BranchSnapshot, MemberSummary

_GENDERS = {g.value: g for g in Gender}
_STATUSES = {s.value: s for s in MemberStatus}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _unit(row: tuple[str, str, str, str | None, str, int, int]) -> OrgUnit:
    unit_id, level, name, parent, symbol, grassroots, chi_uy = row
    return OrgUnit(unit_id, stored(OrgLevel, level, OrgLevel.BRANCH), name, parent, symbol,
                   bool(grassroots), bool(chi_uy))


def quick_read(data_dir: Path) -> BranchSnapshot | None:
    path = Path(data_dir) / DB_NAME
    try:
        if not path.is_file() or not looks_like_sqlite(path):
            return None
        connection = raw_connect(path)
    except (OSError, sqlite3.Error):
        return None
    try:
        return _read(connection)
    except (sqlite3.Error, ValueError, KeyError):
        return None
    finally:
        connection.close()


def _read(connection: sqlite3.Connection) -> BranchSnapshot | None:
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] != schema_version.HEAD:
        return None
    meta = connection.execute("SELECT value FROM meta WHERE key = 'branch_unit_id'").fetchone()
    if meta is None:
        return None
    units = {row[0]: _unit(row) for row in connection.execute(
        "SELECT id, level, name, parent_id, symbol, is_grassroots, has_chi_uy FROM org_units")}
    branch = units.get(meta[0])
    if branch is None:
        return None
    parents: list[OrgUnit] = []
    parent_id = branch.parent_id
    while parent_id in units and len(parents) < 16:
        parents.append(units[parent_id])
        parent_id = units[parent_id].parent_id
    roster = [
        MemberSummary(
            id=row[0], full_name=row[1], gender=_GENDERS.get(row[2]) if row[2] else None,
            date_of_birth=_date(row[3]), status=_STATUSES.get(row[4], MemberStatus.NONE),
            admitted_on=_date(row[5]),
            official_on=_date(row[6]), card_number=row[7], residence=row[8],
            search_key=row[9], sort_key=row[10])
        for row in connection.execute(
            "SELECT id, full_name, gender, date_of_birth, status, admitted_on, official_on, "
            "card_number, residence, search_key, sort_key FROM members "
            "WHERE deleted = 0 AND unit_id = ? ORDER BY sort_key, id", (branch.id,))
    ]
    counts: dict[MemberStatus, int] = {}
    for status, count in connection.execute(
            "SELECT status, count(*) FROM members WHERE deleted = 0 AND unit_id = ? "
            "GROUP BY status", (branch.id,)):
        key = _STATUSES.get(status, MemberStatus.NONE)  # a bad stored value: not a crash
        counts[key] = counts.get(key, 0) + count
    pending = connection.execute(  # as outbox.pending_count: audit rows not counted
        "SELECT count(*) FROM outbox WHERE entity NOT IN ('audit_log', "
        "'quarantine_reports')").fetchone()[0]
    return BranchSnapshot(BranchInfo(branch, tuple(parents)), roster, counts, int(pending))
