"""The branch database's side of sync: what to push, how to apply what comes back.

No network here: ``sync_client`` carries the request and the answer. Each
answer is applied in one transaction together with its cursor, so a power cut
either keeps the whole page or none of it; rows arrive by version, so an old
page (a stale offline bundle) never overwrites newer data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from sotay_desktop.db import schema_version
from sotay_desktop.db.mapping import event_from_row
from sotay_desktop.db.tables import (
    AttendanceRow,
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
    TaskRow,
)
from sotay_desktop.domain.errors import DomainError
from sotay_desktop.domain.lifecycle import check_history
from sotay_desktop.domain.text import name_sort_key
from sotay_desktop.protocol import (
    MAX_MUTATIONS,
    PROTOCOL_VERSION,
    Change,
    Mutation,
    SyncRequest,
    SyncResponse,
)
from sotay_desktop.protocol.entities import ENTITIES, ENTITY_ORDER, to_column, to_wire
from sotay_desktop.services import documents, outbox
from sotay_desktop.services.branch import BRANCH_KEY, get_meta, set_meta
from sotay_desktop.services.members import search_key_for

TABLES: dict[str, Any] = {
    "org_units": OrgUnitRow, "committee_terms": CommitteeTermRow, "members": MemberRow,
    "member_events": MemberEventRow, "documents": DocumentRow, "bookmarks": BookmarkRow,
    "meetings": MeetingRow, "attendance": AttendanceRow, "minutes": MinutesRow,
    "resolutions": ResolutionRow, "tasks": TaskRow, "comments": CommentRow,
    "conflicts": ConflictRow,
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


def _pending_fields(session: Session, entity: str, row_id: str) -> dict[str, Any]:
    """New values of this PC's not yet acknowledged edits of a row (rebased on pulls)."""
    out: dict[str, Any] = {}
    for row in session.scalars(select(OutboxRow).where(
            OutboxRow.entity == entity, OutboxRow.row_id == row_id,
            OutboxRow.op == "update").order_by(OutboxRow.mutation_id)):
        out |= {k: v[1] for k, v in json.loads(row.fields).items()}
    return out


def _apply_change(session: Session, change: Change, *, force: bool = False) -> bool:
    """Write one pulled row unless this PC already holds that version or newer."""
    spec = ENTITIES.get(change.entity)
    cls = TABLES.get(change.entity)
    if spec is None or cls is None:
        return False  # a newer server's entity: ignored by this version
    local = session.get(cls, change.id)
    if local is not None and local.version >= change.version and not force:
        return False
    columns = cls.__table__.columns
    values = {k: to_column(spec, k, v) for k, v in change.data.items()
              if k in columns and k not in spec.wire_only}
    if change.entity == "documents" and change.data.get("file_sha256"):
        sha = change.data["file_sha256"]
        if session.get(FileRow, sha) is None:
            session.add(FileRow(sha256=sha, size=int(change.data.get("file_size") or 0),
                                mime=str(change.data.get("file_mime") or
                                         "application/octet-stream"),
                                present=False, uploaded=True))
            session.flush()
    if spec.natural_key and not change.deleted:
        twins = session.scalars(select(cls).where(
            *(getattr(cls, k) == values.get(k) for k in spec.natural_key),
            cls.id != change.id)).all()
        for twin in twins:  # this PC's copy of the same thing, merged on the server
            session.execute(delete(OutboxRow).where(OutboxRow.row_id == twin.id))
            session.delete(twin)
        session.flush()
    values |= {k: v for k, v in _pending_fields(session, change.entity, change.id).items()
               if k in columns}
    if local is None:
        local = cls(id=change.id, **values)
        session.add(local)
    else:
        for k, v in values.items():
            setattr(local, k, v)
    local.version = change.version
    local.deleted = change.deleted
    return True


def _rederive_members(session: Session, member_ids: Iterable[str]) -> None:
    for member_id in set(member_ids):
        row = session.get(MemberRow, member_id)
        if row is None:
            continue
        row.search_key = search_key_for(row.full_name)
        row.sort_key = name_sort_key(row.full_name)
        events = [event_from_row(e) for e in session.scalars(
            select(MemberEventRow).where(MemberEventRow.member_id == member_id,
                                         MemberEventRow.deleted.is_(False))
            .order_by(MemberEventRow.date, MemberEventRow.seq))]
        try:
            state = check_history(events, date_of_birth=row.date_of_birth)
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


def apply_changes(session: Session, changes: list[Change], *, force: bool = False) -> int:
    """Write pulled rows; foreign keys are checked at commit, so order inside a page is free."""
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    members: list[str] = []
    docs: list[str] = []
    written = 0
    for change in changes:
        if not _apply_change(session, change, force=force):
            continue
        written += 1
        if change.entity == "members":
            members.append(change.id)
        elif change.entity == "member_events":
            members.append(str(change.data.get("member_id")))
        elif change.entity == "documents":
            docs.append(change.id)
    session.flush()
    _rederive_members(session, members)
    _reindex_documents(session, docs)
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
        for row in session.scalars(select(cls).where(cls.version == 0).order_by(cls.id)):
            outbox.record(session, entity=entity, row_id=row.id,
                          op="add" if spec.add_only else "create", base_version=0,
                          fields=row_fields(entity, row))
            queued += 1
    session.flush()
    return queued
