"""This folder's sync account: the server, device and unit it is enrolled as, its cursors,
and the enrolment itself (``bind_to_server``). Kept in the ``meta`` table."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from sotay_core.protocol.entities import ENTITIES, ENTITY_ORDER
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import OrgUnitRow, OutboxRow
from sotay_desktop.services import outbox
from sotay_desktop.services.branch import BRANCH_KEY
from sotay_desktop.services.sync.rows import TABLES, row_fields

SERVER_KEY = "sync_server_url"
DEVICE_KEY = "sync_device_id"
UNIT_KEY = "sync_unit_id"
CURSOR_KEY = "sync_cursor"
LAST_SYNC_KEY = "sync_last_at"


@dataclass(frozen=True)
class SyncAccount:
    server_url: str
    device_id: str
    unit_id: str



# Province-written entities whose rows a PC only ever pulls (not the unit rows, which the
# enrolment re-points, nor conflicts, which name the PC's own edits).
PROVINCE_MADE: tuple[str, ...] = ("review_decisions",)

def account(session: Session) -> SyncAccount | None:
    url, device, unit = (get_meta(session, k) for k in (SERVER_KEY, DEVICE_KEY, UNIT_KEY))
    if not (url and device and unit):
        return None
    return SyncAccount(url, device, unit)


def cursors(session: Session) -> dict[str, int]:
    raw = get_meta(session, CURSOR_KEY)
    return {str(k): int(v) for k, v in json.loads(raw).items()} if raw else {}


def _unit_references() -> list[tuple[str, str]]:
    """(table, column) of every column that refers to a unit, read from the tables
    themselves so a new table (a monthly report's unit) cannot be forgotten."""
    return sorted(
        (table.name, fk.parent.name)
        for table in OrgUnitRow.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "org_units" and fk.column.name == "id")


def mutation_floor(session: Session) -> int:
    """The highest outbox id ever handed out (AUTOINCREMENT keeps it in sqlite_sequence)."""
    value = session.execute(text(
        "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")).scalar()
    return int(value or 0)


def bind_to_server(session: Session, *, server_url: str, device_id: str, unit_id: str,
                   unit_name: str = "") -> int:
    """Make this folder the enrolled branch ``unit_id``; returns how many rows will be sent.

    A branch made on this PC before enrolment takes the server's id for its unit,
    and every row never sent becomes one "create" in the outbox (the demo and
    early work included), so the first sync uploads the branch as it is.
    """
    local_branch = get_meta(session, BRANCH_KEY)
    if local_branch and local_branch != unit_id:
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        session.execute(text("UPDATE org_units SET id = :new WHERE id = :old"),
                        {"new": unit_id, "old": local_branch})
        for table, column in _unit_references():
            session.execute(text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"),
                            {"new": unit_id, "old": local_branch})
    if session.get(OrgUnitRow, unit_id) is None:
        # Work can start before the first sync: the unit row comes down later (version > 0).
        session.add(OrgUnitRow(id=unit_id, level="branch", name=unit_name or "Chi bộ",
                               symbol="CB"))
        session.flush()
    set_meta(session, BRANCH_KEY, unit_id)
    set_meta(session, SERVER_KEY, server_url)
    set_meta(session, DEVICE_KEY, device_id)
    set_meta(session, UNIT_KEY, unit_id)
    set_meta(session, CURSOR_KEY, json.dumps({}))
    # Rows never synced: replace their pending edits by one create each, in parent order.
    session.execute(delete(OutboxRow).where(OutboxRow.base_version == 0))
    # Other pending edits (a folder enrolled again) get new ids above the floor sent at
    # enrolment, so the server takes them as new, never as replays.
    for old in session.scalars(select(OutboxRow).order_by(OutboxRow.mutation_id)).all():
        session.add(OutboxRow(entity=old.entity, row_id=old.row_id, op=old.op,
                              base_version=old.base_version, fields=old.fields,
                              schema_version=old.schema_version, created_at=old.created_at))
        session.delete(old)
        session.flush()
    # Rows only the province writes (its decisions on the review) that this folder holds
    # before enrolling (the demo's, as if pulled) were never made by this server: they go,
    # and the full pull that follows (cursor reset above) brings the server's own.
    for entity in PROVINCE_MADE:
        session.execute(delete(TABLES[entity]))
    queued = 0
    for entity in ENTITY_ORDER:
        spec = ENTITIES[entity]
        if not spec.branch_writable:
            continue
        cls = TABLES[entity]
        # Events in the order they happened: the server checks each new one against the
        # member's history so far.
        order = ((cls.date, cls.seq, cls.id) if entity == "member_events" else (cls.id,))
        for row in session.scalars(select(cls).where(cls.version == 0).order_by(*order)):
            outbox.append(session, entity=entity, row_id=row.id,
                          op="add" if spec.add_only else "create", base_version=0,
                          fields=row_fields(entity, row))
            queued += 1
    session.flush()
    return queued
