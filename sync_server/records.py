"""The server's copy of the records: each scope's sequence counter (locked until commit, so
commit order is sequence order), reading records (locked, prefetched by batch), and writing
one with the scope's next sequence number. Everything runs inside the caller's transaction
and never commits.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sotay_core.protocol import Change
from sotay_core.protocol.entities import ENTITIES, EntitySpec
from sync_server import facts
from sync_server.models import Record, ScopeSeq, utcnow

PROVINCE = "province"


def next_seq(session: Session, scope_id: str) -> int:
    """The scope's next sequence number; the counter row stays locked until commit,
    so commit order equals sequence order (no reader can step over a late commit).

    The locked row is kept in ``session.info`` so later stamps of the same transaction cost
    no query; ``forget_locks`` drops it when a savepoint is rolled back (that releases the
    lock in PostgreSQL)."""
    cache: dict[str, ScopeSeq] = session.info.setdefault("scope_seq", {})
    row = cache.get(scope_id)
    if row is None:
        row = session.execute(
            select(ScopeSeq).where(ScopeSeq.scope_id == scope_id).with_for_update()
        ).scalar_one_or_none()
        if row is None:   # a counter never used: made (once, whoever else makes it), locked
            _new_counters(session, [scope_id])
            row = session.execute(select(ScopeSeq).where(ScopeSeq.scope_id == scope_id)
                                  .with_for_update()).scalar_one()
        cache[scope_id] = row
    row.seq += 1
    return row.seq


def _new_counters(session: Session, scopes: list[str]) -> None:
    """Counters at 0 for scopes that have none, skipping any another transaction makes at
    the same moment (on PostgreSQL the insert waits for it, then leaves its row): a branch's
    first push and a publication to it never fail on the counter's key."""
    dialect = session.get_bind().dialect.name
    make: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(make(ScopeSeq).values([{"scope_id": s, "seq": 0} for s in scopes])
                    .on_conflict_do_nothing(index_elements=["scope_id"]))


def forget_locks(session: Session) -> None:
    session.info.pop("scope_seq", None)
    session.info.pop("records", None)
    session.info.pop("events", None)
    session.info.pop("unique", None)
    session.info.pop("absent", None)
    session.info.pop("present", None)
    session.info.pop("members", None)


def get_record(session: Session, scope_id: str, entity: str, row_id: str) -> Record | None:
    """A record, locked for this transaction; from the batch's prefetch when it has it."""
    cache: dict[tuple[str, str, str], Record | None] = session.info.setdefault("records", {})
    key = (scope_id, entity, row_id)
    if key not in cache:
        cache[key] = session.get(Record, key, with_for_update=True)
    return cache[key]


def prefetch(session: Session, scope_id: str, keys: list[tuple[str, str]]) -> None:
    """Load (and lock) every record a batch names in one query per entity."""
    cache: dict[tuple[str, str, str], Record | None] = session.info.setdefault("records", {})
    by_entity: dict[str, list[str]] = {}
    for entity, row_id in keys:
        by_entity.setdefault(entity, []).append(row_id)
    for entity, ids in by_entity.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found = {r.id: r for r in session.scalars(select(Record).where(
                Record.scope_id == scope_id, Record.entity == entity,
                Record.id.in_(chunk)).with_for_update())}
            for row_id in chunk:
                cache[(scope_id, entity, row_id)] = found.get(row_id)


def put_copies(session: Session, *, entity: str, row_id: str,
               copies: dict[str, dict[str, Any]], by: str) -> None:
    """One new province-owned record with the same id in many scopes (a publication to a
    province: 50,000 branches). The copies are written first with a placeholder version
    (-1: no committed record has one, and nobody sees them before the commit); then each
    scope's counter is locked, advanced and stamped on its copy in a few statements per 500
    scopes, in order. The counters, which every push of those branches waits on, are thus
    held for that last part only, not while the copies are built and written."""
    scopes = sorted(copies)
    spec = ENTITIES[entity]
    now = utcnow()
    for i in range(0, len(scopes), 1000):
        session.execute(insert(Record), [{
            "scope_id": scope, "entity": entity, "id": row_id, "version": -1,
            "deleted": False, "data": _dumps(copies[scope]), "province_owned": True,
            "updated_at": now, "updated_by": by,
            "natural_key": natural_key(spec, copies[scope])} for scope in scopes[i:i + 1000]])
    # Counters this transaction holds as objects would be stale after the update below.
    held: dict[str, ScopeSeq] = session.info.setdefault("scope_seq", {})
    known: dict[tuple[str, str, str], Record | None] = session.info.setdefault("records", {})
    for scope in scopes:
        row = held.pop(scope, None)
        if row is not None:
            session.flush([row])
            session.expire(row)
        known.pop((scope, entity, row_id), None)
    for i in range(0, len(scopes), 500):
        part = scopes[i:i + 500]
        seqs = {scope: int(seq) for scope, seq in session.execute(
            update(ScopeSeq).where(ScopeSeq.scope_id.in_(part))
            .values(seq=ScopeSeq.seq + 1).returning(ScopeSeq.scope_id, ScopeSeq.seq)
            .execution_options(synchronize_session=False))}
        new = [scope for scope in part if scope not in seqs]
        if new:   # a branch whose counter was never used
            _new_counters(session, new)
            seqs.update({scope: int(seq) for scope, seq in session.execute(
                update(ScopeSeq).where(ScopeSeq.scope_id.in_(new))
                .values(seq=ScopeSeq.seq + 1).returning(ScopeSeq.scope_id, ScopeSeq.seq)
                .execution_options(synchronize_session=False))})
        session.execute(update(Record), [
            {"scope_id": scope, "entity": entity, "id": row_id, "version": seqs[scope]}
            for scope in part])
    if entity in facts.FACT_ENTITIES:
        session.info.setdefault("touched", set()).update(
            (scope, entity, row_id) for scope in scopes)


def natural_key(spec: EntitySpec, data: dict[str, Any]) -> str | None:
    if not spec.natural_key:
        return None
    return "|".join(str(data.get(k)) for k in spec.natural_key)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def stamp(session: Session, rec: Record, data: dict[str, Any], *, by: str,
          seq: int | None = None) -> None:
    """Write a record's new state with the scope's next sequence number."""
    rec.version = seq if seq is not None else next_seq(session, rec.scope_id)
    rec.data = _dumps(data)
    rec.updated_at = utcnow()
    rec.updated_by = by
    spec = ENTITIES[rec.entity]
    rec.natural_key = None if rec.deleted else natural_key(spec, data)
    facts.note(session, rec)  # statistics rows follow before the commit


def put_record(
    session: Session, *, scope_id: str, entity: str, row_id: str, data: dict[str, Any],
    by: str, province_owned: bool = False, deleted: bool = False,
) -> Record:
    """Create a record (or overwrite one): used by admin commands and province edits."""
    rec = get_record(session, scope_id, entity, row_id)
    seq = next_seq(session, scope_id)
    if rec is None:
        rec = Record(scope_id=scope_id, entity=entity, id=row_id, version=seq, data="{}")
        session.add(rec)
        session.info.setdefault("records", {})[(scope_id, entity, row_id)] = rec
    rec.province_owned = province_owned
    rec.deleted = deleted
    stamp(session, rec, data, by=by, seq=seq)
    return rec


def change_of(rec: Record) -> Change:
    return Change(entity=rec.entity, id=rec.id, version=rec.version, deleted=rec.deleted,
                  data=json.loads(rec.data))

