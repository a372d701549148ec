"""Writing what the server sends: each answer in one transaction with its cursor.

No network here (``client`` carries the request and the answer). A power cut either keeps
a whole page or none of it; rows arrive by version, so an old page (a stale offline bundle)
never overwrites newer data. A row that breaks the record rules is set aside
(``quarantine``), a row whose parent has not come yet waits in ``sync_parked``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from sotay_core.domain.errors import DomainError
from sotay_core.domain.lifecycle import check_history
from sotay_core.domain.text import name_sort_key
from sotay_core.protocol import Change, SyncRequest, SyncResponse
from sotay_core.protocol.entities import ENTITIES, ENTITY_ORDER, to_column
from sotay_desktop.db.mapping import event_from_row
from sotay_desktop.db.meta import set_meta
from sotay_desktop.db.tables import (
    DocumentRow,
    FileRow,
    MemberEventRow,
    MemberRow,
    OutboxRow,
    SyncNoticeRow,
    SyncParkedRow,
)
from sotay_desktop.services import documents, outbox
from sotay_desktop.services.members import search_key_for
from sotay_desktop.services.sync.account import CURSOR_KEY, LAST_SYNC_KEY, cursors
from sotay_desktop.services.sync.quarantine import (
    UNIQUE_KEYS,
    quarantine,
    quarantine_orphans,
    report_quarantine,
    row_problem,
    unique_clashes,
)
from sotay_desktop.services.sync.rows import TABLES, chunks, row_fields


@dataclass
class Applied:
    acked: int = 0
    rejected: int = 0
    changes: int = 0
    conflicts: int = 0
    renumbered: int = 0     # waiting mutations numbered again past a gap (outbox.close_gap)


def _pending_fields(session: Session) -> dict[tuple[str, str], dict[str, Any]]:
    """New values of this PC's not yet acknowledged edits, by row (rebased on pulls)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in session.scalars(select(OutboxRow).where(OutboxRow.op == "update")
                               .order_by(OutboxRow.mutation_id)):
        out.setdefault((row.entity, row.row_id), {}).update(
            {k: v[1] for k, v in json.loads(row.fields).items()})
    return out


def _existing_versions(session: Session, cls: Any, ids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in chunks(ids):
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
    for chunk in chunks(inserts):
        session.execute(insert(cls), chunk)
    for chunk in chunks(updates):
        session.execute(update(cls), chunk)
    return written


def _rederive_members(session: Session, member_ids: Iterable[str]) -> None:
    ids = sorted(set(member_ids))
    for chunk in chunks(ids):
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
            quarantine(session, c, problem)  # never written; the rest of the page goes on
            continue
        key = (c.entity, c.id)
        if key not in latest or c.version >= latest[key].version:
            latest[key] = c
    for key in unique_clashes(session, latest):
        quarantine(session, latest.pop(key),
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
        done.renumbered = outbox.close_gap(session, last)
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
