"""The branch database's side of sync: what to push, how to apply what comes back.

No network here: ``sync_client`` carries the request and the answer. Each
answer is applied in one transaction together with its cursor, so a power cut
either keeps the whole page or none of it; rows arrive by version, so an old
page (a stale offline bundle) never overwrites newer data.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules
from sotay_core.domain.errors import DomainError
from sotay_core.domain.ids import new_id
from sotay_core.domain.lifecycle import check_history
from sotay_core.domain.text import name_sort_key
from sotay_core.protocol import (
    MAX_MUTATIONS,
    PROTOCOL_VERSION,
    Change,
    Mutation,
    SyncRequest,
    SyncResponse,
)
from sotay_core.protocol.entities import (
    ENTITIES,
    ENTITY_ORDER,
    QUARANTINE_REPORT,
    FieldError,
    check_value,
    to_column,
    to_wire,
)
from sotay_desktop.db import schema_version
from sotay_desktop.db.mapping import event_from_row
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import (
    AttendanceRow,
    AuditRow,
    BookmarkRow,
    CommentRow,
    CommitteeTermRow,
    ConflictRow,
    DocumentRow,
    FileRow,
    MeetingRow,
    MemberEventRow,
    MemberRow,
    MinutesRow,
    OrgUnitRow,
    OutboxRow,
    ResolutionRow,
    SyncNoticeRow,
    SyncParkedRow,
    SyncQuarantineRow,
    TaskRow,
)
from sotay_desktop.services import documents, outbox
from sotay_desktop.services.branch import BRANCH_KEY
from sotay_desktop.services.members import search_key_for

TABLES: dict[str, Any] = {
    "org_units": OrgUnitRow, "committee_terms": CommitteeTermRow, "members": MemberRow,
    "member_events": MemberEventRow, "documents": DocumentRow, "bookmarks": BookmarkRow,
    "meetings": MeetingRow, "attendance": AttendanceRow, "minutes": MinutesRow,
    "resolutions": ResolutionRow, "tasks": TaskRow, "comments": CommentRow,
    "conflicts": ConflictRow, "audit_log": AuditRow,
}

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


def account(session: Session) -> SyncAccount | None:
    url, device, unit = (get_meta(session, k) for k in (SERVER_KEY, DEVICE_KEY, UNIT_KEY))
    if not (url and device and unit):
        return None
    return SyncAccount(url, device, unit)


def cursors(session: Session) -> dict[str, int]:
    raw = get_meta(session, CURSOR_KEY)
    return {str(k): int(v) for k, v in json.loads(raw).items()} if raw else {}


# --- push ---------------------------------------------------------------------------


def row_fields(entity: str, row: Any) -> dict[str, Any]:
    """A local row as a create carries it (wire types; ``deleted`` only when set)."""
    spec = ENTITIES[entity]
    fields = {k: to_wire(getattr(row, k)) for k in spec.fields if k not in spec.wire_only}
    if row.deleted:
        fields["deleted"] = True
    return fields


def pending_mutations(session: Session, limit: int = MAX_MUTATIONS) -> list[Mutation]:
    rows = session.scalars(select(OutboxRow).order_by(OutboxRow.mutation_id).limit(limit))
    out = []
    for row in rows:
        fields = json.loads(row.fields)
        if row.op in ("create", "add") and row.entity in TABLES:
            # A create carries the whole row as it is now: services record only what the
            # user typed, and the other PCs must get every column (extracted text too).
            current = session.get(TABLES[row.entity], row.row_id)
            if current is not None:
                fields = row_fields(row.entity, current)
        if row.entity == "documents" and row.op == "create" and fields.get("file_sha256"):
            f = session.get(FileRow, fields["file_sha256"])
            if f is not None:
                fields |= {"file_size": f.size, "file_mime": f.mime}
        out.append(Mutation(id=row.mutation_id, entity=row.entity, row_id=row.row_id,
                            op=row.op, base_version=row.base_version,
                            fields=fields, schema_version=row.schema_version))
    return out


def build_request(session: Session, *, pull: bool = True,
                  limit: int = MAX_MUTATIONS) -> SyncRequest:
    return SyncRequest(protocol=PROTOCOL_VERSION, schema_version=schema_version.HEAD,
                       mutations=pending_mutations(session, limit), cursors=cursors(session),
                       pull=pull)


# --- pull ---------------------------------------------------------------------------


@dataclass
class Applied:
    acked: int = 0
    rejected: int = 0
    changes: int = 0
    conflicts: int = 0


def _pending_fields(session: Session) -> dict[tuple[str, str], dict[str, Any]]:
    """New values of this PC's not yet acknowledged edits, by row (rebased on pulls)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in session.scalars(select(OutboxRow).where(OutboxRow.op == "update")
                               .order_by(OutboxRow.mutation_id)):
        out.setdefault((row.entity, row.row_id), {}).update(
            {k: v[1] for k, v in json.loads(row.fields).items()})
    return out


def _chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _existing_versions(session: Session, cls: Any, ids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(ids):
        out.update(session.execute(select(cls.id, cls.version).where(cls.id.in_(chunk))).all())
    return out


def _file_rows(session: Session, group: list[Change]) -> None:
    wanted = {c.data["file_sha256"]: c for c in group if c.data.get("file_sha256")}
    if not wanted:
        return
    have = set(session.scalars(select(FileRow.sha256).where(FileRow.sha256.in_(list(wanted)))))
    for sha, c in wanted.items():
        if sha not in have:
            session.add(FileRow(sha256=sha, size=int(c.data.get("file_size") or 0),
                                mime=str(c.data.get("file_mime") or "application/octet-stream"),
                                present=False, uploaded=True))
    session.flush()


def _drop_local_twins(session: Session, cls: Any, spec: Any, values: dict[str, Any]) -> None:
    """This PC's own copy of a row the server merged with another PC's (same natural key)."""
    twins = session.scalars(select(cls).where(
        *(getattr(cls, k) == values.get(k) for k in spec.natural_key),
        cls.id != values["id"], cls.version == 0)).all()
    for twin in twins:
        session.execute(delete(OutboxRow).where(OutboxRow.row_id == twin.id))
        session.delete(twin)
    if twins:
        session.flush()


def _apply_group(session: Session, entity: str, group: list[Change],
                 pending: dict[tuple[str, str], dict[str, Any]], force: bool) -> list[Change]:
    """Write one entity's pulled rows in bulk; returns the rows written."""
    spec, cls = ENTITIES[entity], TABLES[entity]
    columns = set(cls.__table__.columns.keys())
    existing = _existing_versions(session, cls, [c.id for c in group])
    if entity == "documents":
        _file_rows(session, group)
    unsynced_here = bool(spec.natural_key) and session.execute(
        select(cls.id).where(cls.version == 0).limit(1)).first() is not None
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    written: list[Change] = []
    for c in group:
        if c.id in existing and existing[c.id] >= c.version and not force:
            continue
        values = {k: to_column(spec, k, v) for k, v in c.data.items()
                  if k in columns and k not in spec.wire_only}
        values |= {k: to_column(spec, k, v) for k, v in pending.get((entity, c.id), {}).items()
                   if k in columns}
        # An unsent removal stays a removal over a newer copy of the row (until it is sent).
        mine = pending.get((entity, c.id), {})
        values.update(id=c.id, version=c.version, deleted=bool(mine.get("deleted", c.deleted)))
        if unsynced_here and not c.deleted:
            _drop_local_twins(session, cls, spec, values)
        (updates if c.id in existing else inserts).append(values)
        written.append(c)
    for chunk in _chunks(inserts):
        session.execute(insert(cls), chunk)
    for chunk in _chunks(updates):
        session.execute(update(cls), chunk)
    return written


def _rederive_members(session: Session, member_ids: Iterable[str]) -> None:
    ids = sorted(set(member_ids))
    for chunk in _chunks(ids):
        events: dict[str, list[Any]] = {}
        for e in session.scalars(select(MemberEventRow).where(
                MemberEventRow.member_id.in_(chunk), MemberEventRow.deleted.is_(False))
                .order_by(MemberEventRow.date, MemberEventRow.seq)):
            event = event_from_row(e)
            if event is not None:
                events.setdefault(e.member_id, []).append(event)
        for row in session.scalars(select(MemberRow).where(MemberRow.id.in_(chunk))):
            row.search_key = search_key_for(row.full_name)
            row.sort_key = name_sort_key(row.full_name)
            try:
                state = check_history(events.get(row.id, []), date_of_birth=row.date_of_birth)
            except DomainError:
                continue  # merged histories that do not fit: status stays, the roster flags it
            row.status = state.status.value
            row.admitted_on = state.first_admitted_on
            row.official_on = state.official_on


def _reindex_documents(session: Session, ids: Iterable[str]) -> None:
    for doc_id in set(ids):
        row = session.get(DocumentRow, doc_id)
        if row is not None:
            documents.reindex(session, row)


def _unpark(session: Session) -> list[Change]:
    rows = session.scalars(select(SyncParkedRow).order_by(SyncParkedRow.id)).all()
    out = [Change.model_validate_json(r.change) for r in rows]
    session.execute(delete(SyncParkedRow))
    return out


def _park_orphans(session: Session) -> int:
    """Set aside rows whose parent is not here yet (pages come in sequence order, and a
    parent edited after its child comes later); they return with the next page."""
    parked = 0
    for _ in range(20):
        orphans = session.execute(text("PRAGMA foreign_key_check")).all()
        if not orphans:
            break
        for table, rowid, _parent, _fk in orphans:
            cls = TABLES.get(table)
            if cls is None:
                continue
            row_id = session.execute(text(f"SELECT id FROM {table} WHERE rowid = :r"),
                                     {"r": rowid}).scalar()
            row = session.get(cls, row_id) if row_id else None
            if row is None:
                continue
            change = Change(entity=table, id=row.id, version=row.version, deleted=row.deleted,
                            data=row_fields(table, row))
            session.add(SyncParkedRow(change=change.model_dump_json()))
            session.delete(row)
            parked += 1
        session.flush()
    return parked


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
    return None


def _quarantine(session: Session, c: Change, reason: str) -> None:
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


def _unique_clashes(session: Session, latest: dict[tuple[str, str], Change]) -> set[
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
            for chunk in _chunks([k for k in keys if k is not None]):
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
        _quarantine(session, c, f"unknown_reference:{missing[0] if missing else 'id'}")
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


def apply_changes(session: Session, changes: list[Change], *, force: bool = False) -> int:
    """Write pulled rows, each only if newer than what this PC holds. Foreign keys are checked
    at commit, so order inside a page is free, and a row whose parent is on a later page
    waits in ``sync_parked``."""
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    latest: dict[tuple[str, str], Change] = {}
    today = dt.date.today()
    for c in _unpark(session) + list(changes):
        if c.entity not in TABLES:
            continue  # a newer server's entity: ignored by this version
        problem = row_problem(session, c, today=today)
        if problem is not None:
            _quarantine(session, c, problem)  # never written; the rest of the page goes on
            continue
        key = (c.entity, c.id)
        if key not in latest or c.version >= latest[key].version:
            latest[key] = c
    for key in _unique_clashes(session, latest):
        _quarantine(session, latest.pop(key),
                    f"duplicate_value:{UNIQUE_KEYS[key[0]][0][0]}")
    pending = _pending_fields(session)
    members: list[str] = []
    docs: list[str] = []
    written = 0
    session.flush()
    with session.no_autoflush:
        for entity in ENTITY_ORDER:
            group = [c for (e, _i), c in latest.items() if e == entity]
            if not group:
                continue
            done = _apply_group(session, entity, group, pending, force)
            written += len(done)
            if entity == "members":
                members += [c.id for c in done]
            elif entity == "member_events":
                members += [str(c.data.get("member_id")) for c in done]
            elif entity == "documents":
                docs += [c.id for c in done]
    session.expire_all()  # bulk statements went around the identity map
    _park_orphans(session)
    _rederive_members(session, members)
    _reindex_documents(session, docs)
    session.flush()
    return written


def apply_response(session: Session, request: SyncRequest, response: SyncResponse) -> Applied:
    """Acknowledge, record refusals, write the page and its cursor: all in the caller's
    transaction."""
    done = Applied()
    sent = {m.id: m for m in request.mutations}
    last = response.last_mutation_id
    for result in response.results:
        m = sent.get(result.id)
        if m is None:
            continue
        if result.status == "rejected":
            done.rejected += 1
            session.add(SyncNoticeRow(mutation_id=m.id, entity=m.entity, row_id=m.row_id,
                                      reason=result.reason or "sync_server_error",
                                      fields=json.dumps(m.fields, ensure_ascii=False)))
            session.execute(delete(OutboxRow).where(OutboxRow.mutation_id == m.id))
            if result.current is not None:
                apply_changes(session, [result.current], force=True)
        if result.status == "conflict":
            done.conflicts += len(result.conflicts)
    if last is not None:
        acked = [i for i in sent if i <= last]
        done.acked = len(acked)
        if acked:
            session.execute(delete(OutboxRow).where(OutboxRow.mutation_id.in_(acked)))
    done.changes = apply_changes(session, list(response.changes))
    if not response.has_more:
        quarantine_orphans(session)
    report_quarantine(session)
    merged = cursors(session)
    for scope, value in response.cursors.items():
        merged[scope] = max(value, merged.get(scope, 0))
    set_meta(session, CURSOR_KEY, json.dumps(merged))
    set_meta(session, LAST_SYNC_KEY, response.server_time)
    return done


# --- enrolment ----------------------------------------------------------------------


_UNIT_REFERENCES = (
    ("org_units", "parent_id"), ("committee_terms", "unit_id"), ("members", "unit_id"),
    ("documents", "unit_id"), ("meetings", "unit_id"), ("resolutions", "unit_id"),
)


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
        for table, column in _UNIT_REFERENCES:
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
