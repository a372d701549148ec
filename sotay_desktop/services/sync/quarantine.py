"""Pulled rows this PC will not write: checked against the record rules, set aside in
``sync_quarantine`` (never a crash), reported to the province."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules, study_rules
from sotay_core.domain.ids import new_id
from sotay_core.protocol import Change
from sotay_core.protocol.entities import (
    ENTITIES,
    QUARANTINE_REPORT,
    FieldError,
    check_value,
    to_column,
)
from sotay_desktop.db.tables import SyncParkedRow, SyncQuarantineRow
from sotay_desktop.services import outbox
from sotay_desktop.services.sync.rows import TABLES, chunks


@functools.cache
def _required_columns(cls: Any) -> frozenset[str]:
    return frozenset(
        c.name for c in cls.__table__.columns
        if not c.nullable and c.default is None and c.server_default is None
        and not c.primary_key)


def row_problem(session: Session, c: Change, *, today: dt.date) -> str | None:
    """Why a pulled row may not be written (``code:field``), or None: the wire types, the
    columns a new row needs, and the record rules' values (domain.record_rules)."""
    spec, cls = ENTITIES[c.entity], TABLES[c.entity]
    for name, value in c.data.items():
        if name not in spec.fields:
            continue  # a newer server's field: ignored by this version
        try:
            check_value(spec, name, value)
        except FieldError as exc:
            return f"{'invalid_value' if exc.code.startswith('sync_') else exc.code}:{name}"
    if c.id is None or not (0 < len(c.id) <= 36):
        return "invalid_value:id"
    missing = [name for name in sorted(_required_columns(cls))
               if name in spec.fields and c.data.get(name) is None]
    if missing and session.get(cls, c.id) is None:
        return f"required:{missing[0]}"
    try:
        record_rules.check_fields(
            c.entity, {k: v for k, v in c.data.items() if k in spec.fields}, today=today)
    except record_rules.RecordError as exc:
        return exc.reason
    if c.entity == "study_plans" and not c.deleted:
        # A quiz or survey this PC could not read would break the study screens.
        field = study_rules.plan_fits(c.data)
        if field is not None:
            return f"invalid_value:{field}"
    return None


def quarantine(session: Session, c: Change, reason: str) -> None:
    session.add(SyncQuarantineRow(entity=c.entity, row_id=c.id[:36], version=c.version,
                                  reason=reason[:96], change=c.model_dump_json()))


# Values this PC's tables hold once (their unique constraints and indexes); the server does
# not enforce them all, so a pulled row that would break one is set aside, not written.
UNIQUE_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    # entity: (columns, among live rows with a non-empty value only)
    "members": (("card_number",), True),
    "attendance": (("meeting_id", "member_id"), False),
    "minutes": (("meeting_id",), False),
    "audit_log": (("pc", "seq"), False),
}


def unique_clashes(session: Session, latest: dict[tuple[str, str], Change]) -> set[
        tuple[str, str]]:
    """Pulled rows that would hold a value another row keeps (later versions give way)."""
    clashes: set[tuple[str, str]] = set()
    for entity, (columns, live_only) in UNIQUE_KEYS.items():
        group = sorted((c for (e, _i), c in latest.items() if e == entity),
                       key=lambda c: c.version)
        if not group:
            continue
        cls = TABLES[entity]
        incoming = {c.id for c in group}
        keys = [c.data.get(col) for c in group for col in columns]
        taken: dict[tuple[Any, ...], str] = {}
        query = select(cls.id, *(getattr(cls, col) for col in columns))
        if live_only:
            query = query.where(cls.deleted.is_(False))
        if ENTITIES[entity].natural_key:
            query = query.where(cls.version > 0)  # a twin never sent gives way (merged)
        if len(columns) == 1:
            for chunk in chunks([k for k in keys if k is not None]):
                for row_id, *values in session.execute(
                        query.where(getattr(cls, columns[0]).in_(chunk))):
                    if row_id not in incoming:
                        taken[tuple(values)] = row_id
        else:
            for row_id, *values in session.execute(query):
                if row_id not in incoming:
                    taken[tuple(values)] = row_id
        for c in group:
            key = tuple(to_column(ENTITIES[entity], col, c.data.get(col)) for col in columns)
            if live_only and (c.deleted or any(v in (None, "") for v in key)):
                continue
            owner = taken.setdefault(key, c.id)
            if owner != c.id:
                clashes.add((entity, c.id))
    return clashes


def quarantine_orphans(session: Session) -> int:
    """After the last page: a parked row whose parent never came names a record the server
    does not have for this branch; it leaves the waiting room for the quarantine."""
    moved = 0
    for parked in session.scalars(select(SyncParkedRow).order_by(SyncParkedRow.id)).all():
        c = Change.model_validate_json(parked.change)
        missing = [name for name, target, row_id in record_rules.references(c.entity, c.data)
                   if target in TABLES and session.get(TABLES[target], row_id) is None]
        quarantine(session, c, f"unknown_reference:{missing[0] if missing else 'id'}")
        session.delete(parked)
        moved += 1
    return moved


def report_quarantine(session: Session) -> int:
    """Queue a report of each newly quarantined row for the province (the server keeps it in
    its admin log); returns how many."""
    rows = session.scalars(select(SyncQuarantineRow).where(
        SyncQuarantineRow.reported.is_(False)).order_by(SyncQuarantineRow.id)).all()
    for row in rows:
        outbox.append(session, entity=QUARANTINE_REPORT, row_id=new_id(), op="add",
                      base_version=0, fields={
                          "entity": row.entity, "row_id": row.row_id,
                          "version": row.version, "reason": row.reason})
        row.reported = True
    return len(rows)
