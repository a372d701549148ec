"""Applying a device's mutations and answering its pull: the heart of the server.

Everything here runs inside the caller's transaction and never commits; the
route commits once, after the answer is built, so a lost answer is replayed
from ``applied_mutations`` and creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules
from sotay_core.domain.entities import MemberEvent
from sotay_core.domain.ids import new_id
from sotay_core.domain.record_rules import RecordError
from sotay_core.protocol import (
    PROTOCOL_VERSION,
    Change,
    Mutation,
    MutationResult,
    SyncRequest,
    SyncResponse,
)
from sotay_core.protocol.entities import (
    ENTITIES,
    QUARANTINE_REPORT,
    EntitySpec,
    FieldError,
    check_value,
)
from sync_server import facts
from sync_server.models import AdminLog, AppliedMutation, Device, Record, ScopeSeq, utcnow

log = logging.getLogger(__name__)
PROVINCE = "province"


class Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        if row is None:
            row = ScopeSeq(scope_id=scope_id, seq=0)
            session.add(row)
            session.flush()
        cache[scope_id] = row
    row.seq += 1
    return row.seq


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


def _natural_key(spec: EntitySpec, data: dict[str, Any]) -> str | None:
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
    rec.natural_key = None if rec.deleted else _natural_key(spec, data)
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


# --- push ---------------------------------------------------------------------------


def _field_reason(exc: FieldError) -> str:
    """The wire's own codes (sync_…) name no field; a record rule's code does."""
    return exc.code if exc.code.startswith("sync_") else f"{exc.code}:{exc.field}"


def _clean_row(spec: EntitySpec, fields: dict[str, Any]) -> dict[str, Any]:
    try:
        return {k: check_value(spec, k, v) for k, v in fields.items()}
    except FieldError as exc:
        raise Rejected(_field_reason(exc)) from None


def _clean_update(spec: EntitySpec, fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    out: dict[str, tuple[Any, Any]] = {}
    for name, pair in fields.items():
        if not isinstance(pair, list) or len(pair) != 2:
            raise Rejected("sync_bad_type")
        try:
            out[name] = (check_value(spec, name, pair[0]), check_value(spec, name, pair[1]))
        except FieldError as exc:
            raise Rejected(_field_reason(exc)) from None
    if not out:
        raise Rejected("sync_empty_update")
    return out


def _conflict(
    session: Session, target: Record, *, field: str, base: Any, current: Any, proposed: Any,
    device: Device,
) -> str:
    conflict_id = new_id()
    put_record(session, scope_id=target.scope_id, entity="conflicts", row_id=conflict_id,
               by=PROVINCE, province_owned=True, data={
                   "entity": target.entity, "row_id": target.id, "field": field,
                   "base_value": json.dumps(base, ensure_ascii=False),
                   "current_value": json.dumps(current, ensure_ascii=False),
                   "proposed_value": json.dumps(proposed, ensure_ascii=False),
                   "proposed_by": device.label, "proposed_device": device.id,
                   "current_by": target.updated_by,
                   "made_at": utcnow().isoformat(timespec="seconds"),
                   "status": "open", "resolution": "", "resolved_at": None})
    return conflict_id


def _merge(
    session: Session, rec: Record, changes: dict[str, tuple[Any, Any]], *, base_version: int,
    device: Device,
) -> tuple[str, list[str]]:
    """Three-way merge of field edits into ``rec``; returns (status, conflict ids)."""
    data = json.loads(rec.data)
    conflicts: list[str] = []
    by = device.label or device.id
    deleting = changes.get("deleted", (False, False))[1] is True
    # Undoing a removal, by a PC that saw the row deleted and nothing changed since: a
    # restore, not an edit racing someone else's deletion.
    restoring = (list(changes.get("deleted", ())) == [True, False]
                 and rec.version == base_version)
    if rec.deleted and not ("deleted" in changes and deleting) and not restoring:
        # An edit of a row someone deleted: keep it deleted, ask.
        edits = {k: new for k, (_old, new) in changes.items() if k != "deleted"}
        conflicts.append(_conflict(session, rec, field="deleted", base=False, current=True,
                                   proposed=edits, device=device))
        return "conflict", conflicts
    if deleting and not rec.deleted and rec.version != base_version:
        # A delete of a row someone changed since: ask.
        conflicts.append(_conflict(session, rec, field="deleted", base=False, current=False,
                                   proposed=True, device=device))
        return "conflict", conflicts
    applied = False
    merged = False
    for name, (old, new) in changes.items():
        current = rec.deleted if name == "deleted" else data.get(name)
        if current == new:
            merged = True
        elif rec.version == base_version or current == old:
            if name == "deleted":
                rec.deleted = bool(new)
            else:
                data[name] = new
            applied = True
        else:
            conflicts.append(_conflict(session, rec, field=name, base=old, current=current,
                                       proposed=new, device=device))
    if applied:
        stamp(session, rec, data, by=by)
    if conflicts:
        return "conflict", conflicts
    return ("merged" if merged or not applied else "applied"), conflicts


# --- the Party's rules (domain.record_rules), checked before anything is written ----------


def _exists(session: Session, scope_id: str, entity: str, row_id: str) -> bool:
    cache: dict[tuple[str, str, str], Record | None] = session.info.setdefault("records", {})
    key = (scope_id, entity, row_id)
    if key in cache:
        return cache[key] is not None
    if key in session.info.get("present", ()):
        return True
    if key in session.info.get("absent", ()):
        return False
    return session.get(Record, key) is not None


def _prefetch_references(session: Session, scope_id: str, mutations: list[Mutation]) -> None:
    """Load the records a batch's rows name (parents, and the members of new events) in one
    query per entity, into the session's identity map: checking a reference or a birth date
    then costs no query. Not locked: a parent is only read."""
    wanted: dict[str, set[str]] = {}
    for m in mutations:
        spec = ENTITIES.get(m.entity)
        if spec is None or m.op not in ("create", "add", "update"):
            continue
        values = m.fields if m.op != "update" else {
            k: v[1] for k, v in m.fields.items() if isinstance(v, list) and len(v) == 2}
        for _name, target, row_id in record_rules.references(m.entity, values):
            if len(row_id) <= 36:
                wanted.setdefault(target, set()).add(row_id)
    absent: set[tuple[str, str, str]] = session.info.setdefault("absent", set())
    present: set[tuple[str, str, str]] = session.info.setdefault("present", set())
    for entity, ids in wanted.items():
        chunks = sorted(ids)
        for i in range(0, len(chunks), 500):
            chunk = chunks[i:i + 500]
            found = set(session.scalars(select(Record.id).where(
                Record.scope_id == scope_id, Record.entity == entity, Record.id.in_(chunk))))
            if entity == "members":   # their birth dates, for new events' histories
                members: dict[tuple[str, str, str], Record | None] = session.info.setdefault(
                    "members", {})
                for rec in session.scalars(select(Record).where(
                        Record.scope_id == scope_id, Record.entity == entity,
                        Record.id.in_(list(found)))):
                    members[(scope_id, entity, rec.id)] = rec
            present.update((scope_id, entity, row_id) for row_id in found)
            absent.update((scope_id, entity, row_id) for row_id in chunk
                          if row_id not in found)


def _events_by_member(session: Session, scope_id: str) -> dict[str, dict[str, MemberEvent]]:
    """The scope's live member events by member, read once per batch and kept in step."""
    cache: dict[str, dict[str, dict[str, MemberEvent]]] = session.info.setdefault("events", {})
    if scope_id not in cache:
        by_member: dict[str, dict[str, MemberEvent]] = {}
        for row_id, data in session.execute(select(Record.id, Record.data).where(
                Record.scope_id == scope_id, Record.entity == "member_events",
                Record.deleted.is_(False))):
            event = record_rules.event_from_wire(row_id, json.loads(data))
            if event is not None:
                by_member.setdefault(event.member_id, {})[row_id] = event
        cache[scope_id] = by_member
    return cache[scope_id]


def _birth(session: Session, scope_id: str, member_id: str) -> dt.date | None:
    key = (scope_id, "members", member_id)
    rec = session.info.get("records", {}).get(key) or session.info.get("members", {}).get(key) \
        or session.get(Record, key)
    if rec is None:
        return None
    value = json.loads(rec.data).get("date_of_birth")
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _check_history(session: Session, scope_id: str, member_id: str, *,
                   add: MemberEvent | None = None, remove: str | None = None,
                   birth: dt.date | str | None = "same", field: str = "kind") -> None:
    events = _events_by_member(session, scope_id).get(member_id, {})
    before = list(events.values())
    after = [e for e in before if e.id != remove] + ([add] if add is not None else [])
    born = _birth(session, scope_id, member_id)
    born_after = born if isinstance(birth, str) else birth
    if record_rules.history_possible(after, born_after):
        return
    if record_rules.history_possible(before, born):
        raise RecordError("impossible_history", field)


def _note_event(session: Session, scope_id: str, rec: Record) -> None:
    """Keep the batch's event index in step with a written member event."""
    cache = session.info.get("events", {}).get(scope_id)
    if cache is None:
        return
    event = record_rules.event_from_wire(rec.id, json.loads(rec.data))
    if event is None:
        return
    cache.get(event.member_id, {}).pop(rec.id, None)   # an event's member never changes
    if not rec.deleted:
        cache.setdefault(event.member_id, {})[rec.id] = event


def _check_rules(session: Session, scope_id: str, entity: str, fields: dict[str, Any],
                 rec: Record | None, *, row_id: str) -> None:
    """Values, references and the lifecycle of a create's row or an update's new values;
    raises Rejected with ``code:field``."""
    today = utcnow().date()
    values = {k: v for k, v in fields.items() if k != "deleted"}
    try:
        record_rules.check_fields(entity, values, today=today)
        if entity == "comments" and rec is not None and "target_id" in values:
            values.setdefault("target_type", json.loads(rec.data).get("target_type"))
        record_rules.check_references(
            entity, values, lambda target, row_id: _exists(session, scope_id, target, row_id))
        _check_lifecycle(session, scope_id, entity, fields, rec, row_id)
        _check_unique(session, scope_id, entity, fields, rec, row_id)
    except RecordError as exc:
        raise Rejected(exc.reason) from None


def _check_lifecycle(session: Session, scope_id: str, entity: str, fields: dict[str, Any],
                     rec: Record | None, row_id: str) -> None:
    """A new event must leave its member's history possible (deleting or restoring events,
    as an undo does in any order, is not checked: the roster flags what does not fit)."""
    if entity == "member_events":
        if rec is not None or fields.get("deleted"):
            return
        event = record_rules.event_from_wire(row_id, fields)
        if event is not None:
            _check_history(session, scope_id, event.member_id, add=event, remove=row_id)
    elif entity == "members" and rec is not None and "date_of_birth" in fields:
        value = fields["date_of_birth"]
        birth = dt.date.fromisoformat(value) if isinstance(value, str) else None
        _check_history(session, scope_id, rec.id, birth=birth, field="date_of_birth")


def _unique_index(session: Session, scope_id: str, entity: str, name: str
                  ) -> dict[str, set[str]]:
    """value -> ids of the scope's live records holding it, read once per batch (one query,
    however many members a first upload creates) and kept in step by ``_note_written``."""
    cache: dict[tuple[str, str, str], dict[str, set[str]]] = session.info.setdefault(
        "unique", {})
    key = (scope_id, entity, name)
    if key not in cache:
        index: dict[str, set[str]] = {}
        for row_id, data in session.execute(select(Record.id, Record.data).where(
                Record.scope_id == scope_id, Record.entity == entity,
                Record.deleted.is_(False))):
            value = json.loads(data).get(name)
            if isinstance(value, str) and value:
                index.setdefault(value, set()).add(row_id)
        cache[key] = index
    return cache[key]


def _check_unique(session: Session, scope_id: str, entity: str, fields: dict[str, Any],
                  rec: Record | None, row_id: str) -> None:
    deleted = fields.get("deleted", rec.deleted if rec is not None else False)
    if deleted:
        return
    for name in record_rules.UNIQUE_FIELDS.get(entity, ()):
        value = fields.get(name)
        if not isinstance(value, str) or not value:
            continue
        if _unique_index(session, scope_id, entity, name).get(value, set()) - {row_id}:
            raise RecordError("duplicate_value", name)


def _note_written(session: Session, scope_id: str, rec: Record) -> None:
    """Keep the batch's indexes (events by member, unique values) in step with a write."""
    if rec.entity == "member_events":
        _note_event(session, scope_id, rec)
    if rec.entity not in record_rules.UNIQUE_FIELDS:
        return
    data = json.loads(rec.data)
    for name in record_rules.UNIQUE_FIELDS[rec.entity]:
        index = session.info.get("unique", {}).get((scope_id, rec.entity, name))
        if index is None:
            continue
        for ids in index.values():
            ids.discard(rec.id)
        value = data.get(name)
        if not rec.deleted and isinstance(value, str) and value:
            index.setdefault(value, set()).add(rec.id)


def _report(session: Session, device: Device, scope_id: str, m: Mutation) -> MutationResult:
    """A PC's word that it set a pulled row aside (quarantine): kept in the admin log."""
    detail = {k: (v if isinstance(v, int | bool) else str(v)[:200])
              for k, v in list(m.fields.items())[:12]}
    session.add(AdminLog(actor=(device.label or device.id)[:120], action="pc_quarantine",
                         detail=json.dumps({"unit": scope_id, "device": device.id,
                                            "report": m.row_id, **detail},
                                           ensure_ascii=False)))
    return MutationResult(id=m.id, status="applied")


def quarantine_reports(session: Session) -> list[dict[str, Any]]:
    """What branch PCs reported setting aside (``sotay-server quarantine``), oldest first."""
    from sync_server.models import Unit

    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    out = []
    for at, actor, detail in session.execute(
            select(AdminLog.at, AdminLog.actor, AdminLog.detail)
            .where(AdminLog.action == "pc_quarantine").order_by(AdminLog.id)):
        try:
            info = json.loads(detail)
        except ValueError:
            continue
        out.append({"at": at.isoformat(timespec="seconds"), "pc": actor,
                    "unit_id": info.get("unit"), "unit_name": names.get(info.get("unit"), ""),
                    "entity": info.get("entity"), "row_id": info.get("row_id"),
                    "version": info.get("version"), "reason": info.get("reason")})
    return out


def _apply(session: Session, device: Device, scope_id: str, m: Mutation) -> MutationResult:
    if m.entity == QUARANTINE_REPORT and m.op == "add":
        return _report(session, device, scope_id, m)
    spec = ENTITIES.get(m.entity)
    if spec is None:
        raise Rejected("sync_unknown_entity")
    if m.op == "resolve":
        return _resolve(session, device, scope_id, m)
    if not spec.branch_writable:
        raise Rejected("sync_read_only")
    rec = get_record(session, scope_id, m.entity, m.row_id)
    by = device.label or device.id
    if m.op in ("create", "add"):
        row = _clean_row(spec, m.fields)
        if "unit_id" in spec.fields and row.get("unit_id") != scope_id:
            raise Rejected("sync_wrong_unit")
        deleted = bool(row.pop("deleted", False))
        if deleted and not spec.deletable:
            raise Rejected("sync_add_only")
        if rec is None or not rec.province_owned:
            if rec is None:
                try:
                    record_rules.check_complete(m.entity, row)
                except RecordError as exc:
                    raise Rejected(exc.reason) from None
            _check_rules(session, scope_id, m.entity, row | {"deleted": deleted}, rec,
                         row_id=m.row_id)
        if rec is not None:
            if rec.province_owned:
                raise Rejected("sync_read_only")
            # A create sent again (a re-enrolled PC): the same row; merge what differs.
            old = json.loads(rec.data)
            changes = {k: (old.get(k), v) for k, v in row.items() if old.get(k) != v}
            if not changes:
                return MutationResult(id=m.id, status="duplicate", version=rec.version)
            if spec.add_only:
                raise Rejected("sync_add_only")     # written once: never rewritten by a create
            status, conflicts = _merge(session, rec, changes, base_version=rec.version,
                                       device=device)
            _note_written(session, scope_id, rec)
            return _result(m.id, status, rec, conflicts)
        key = _natural_key(spec, row)
        if key is not None and not deleted:
            twin = session.execute(select(Record).where(
                Record.scope_id == scope_id, Record.entity == m.entity,
                Record.natural_key == key, Record.deleted.is_(False))).scalar_one_or_none()
            if twin is not None:
                old = json.loads(twin.data)
                changes = {k: (old.get(k), v) for k, v in row.items() if old.get(k) != v}
                conflicts = [
                    _conflict(session, twin, field=k, base=None, current=cur, proposed=new,
                              device=device) for k, (cur, new) in changes.items()]
                return MutationResult(id=m.id, status="conflict" if conflicts else "merged",
                                      version=twin.version, conflicts=conflicts,
                                      current=change_of(twin))
        rec = put_record(session, scope_id=scope_id, entity=m.entity, row_id=m.row_id, data=row,
                         by=by, deleted=deleted)
        _note_written(session, scope_id, rec)
        return MutationResult(id=m.id, status="applied", version=rec.version)
    # update
    if rec is None:
        raise Rejected("sync_not_found")
    if rec.province_owned:
        raise Rejected("sync_read_only")
    changes = _clean_update(spec, m.fields)
    if spec.add_only and set(changes) - {"deleted"}:
        raise Rejected("sync_add_only")
    if not spec.deletable and "deleted" in changes:
        raise Rejected("sync_add_only")
    _check_rules(session, scope_id, m.entity, {k: new for k, (_old, new) in changes.items()},
                 rec, row_id=m.row_id)
    status, conflicts = _merge(session, rec, changes, base_version=m.base_version,
                               device=device)
    _note_written(session, scope_id, rec)
    return _result(m.id, status, rec, conflicts)


def _result(mutation_id: int, status: str, rec: Record, conflicts: list[str]) -> MutationResult:
    return MutationResult.model_validate({"id": mutation_id, "status": status,
                                          "version": rec.version, "conflicts": conflicts})


def resolve_conflict(
    session: Session, scope_id: str, conflict_id: str, keep: str, *, by: str
) -> Record:
    """Close a conflict: ``keep`` "current" leaves the row, "proposed" writes the other value."""
    if keep not in ("current", "proposed"):
        raise Rejected("sync_bad_type")
    conflict = get_record(session, scope_id, "conflicts", conflict_id)
    if conflict is None:
        raise Rejected("sync_not_found")
    info = json.loads(conflict.data)
    if info.get("status") != "open":
        return conflict  # resolved already (by another PC): the first choice stands
    target = get_record(session, scope_id, info["entity"], info["row_id"])
    if keep == "proposed" and target is not None:
        proposed = json.loads(info["proposed_value"])
        data = json.loads(target.data)
        field = info["field"]
        if field == "deleted" and isinstance(proposed, dict):
            target.deleted = False
            data.update(proposed)
        elif field == "deleted":
            target.deleted = bool(proposed)
        else:
            data[field] = proposed
        stamp(session, target, data, by=by)
    info.update(status="resolved", resolution=keep,
                resolved_at=utcnow().isoformat(timespec="seconds"))
    stamp(session, conflict, info, by=by)
    return conflict


def _resolve(session: Session, device: Device, scope_id: str, m: Mutation) -> MutationResult:
    if m.entity != "conflicts":
        raise Rejected("sync_bad_op")
    conflict = resolve_conflict(session, scope_id, m.row_id, str(m.fields.get("keep")),
                                by=device.label or device.id)
    return MutationResult(id=m.id, status="applied", version=conflict.version)


def _result_json(result: MutationResult) -> str:
    return result.model_dump_json(exclude={"current"})


def push(session: Session, device: Device, mutations: list[Mutation]) -> list[MutationResult]:
    """Apply mutations in id order; replays answer from the log; a gap stops the batch.

    The batch runs under one savepoint; only if a mutation fails unexpectedly (a bug, a
    database error) is it run again mutation by mutation, so the failing one is rejected
    alone and the device's queue moves on."""
    batch = session.begin_nested()
    try:
        prefetch(session, device.unit_id, [(m.entity, m.row_id) for m in mutations])
        prefetch(session, device.unit_id, [("conflicts", m.row_id) for m in mutations
                                           if m.op == "resolve"])
        _prefetch_references(session, device.unit_id, mutations)
        results = _push(session, device, mutations, careful=False)
        batch.commit()
        return results
    except Exception:
        batch.rollback()
        forget_locks(session)
        log.warning("batch of device %s failed; retrying one by one", device.id)
    return _push(session, device, mutations, careful=True)


def _push(session: Session, device: Device, mutations: list[Mutation], *, careful: bool
          ) -> list[MutationResult]:
    results: list[MutationResult] = []
    scope_id = device.unit_id
    for m in sorted(mutations, key=lambda x: x.id):
        last = device.last_mutation_id or 0
        if m.id <= last:
            stored = session.get(AppliedMutation, (device.id, m.id))
            if stored is not None:
                results.append(MutationResult.model_validate_json(stored.result))
            else:
                results.append(MutationResult(id=m.id, status="duplicate"))
            continue
        if m.id != last + 1:
            break  # a gap: the client resends from last + 1
        savepoint = session.begin_nested() if careful else None
        try:
            result = _apply(session, device, scope_id, m)
            if savepoint is not None:
                savepoint.commit()
        except Rejected as exc:  # raised before anything is written
            if savepoint is not None:
                savepoint.rollback()
                forget_locks(session)
            current = get_record(session, scope_id, m.entity, m.row_id)
            result = MutationResult(id=m.id, status="rejected", reason=exc.reason,
                                    current=change_of(current) if current is not None else None)
        except Exception:  # a server bug must not wedge the device's queue
            if savepoint is None:
                raise
            savepoint.rollback()
            forget_locks(session)
            log.exception("mutation %s of device %s failed", m.id, device.id)
            result = MutationResult(id=m.id, status="rejected", reason="sync_server_error")
        session.add(AppliedMutation(device_id=device.id, mutation_id=m.id,
                                    result=_result_json(result)))
        device.last_mutation_id = m.id
        results.append(result)
    session.flush()
    return results


# --- pull ---------------------------------------------------------------------------


def pull(session: Session, scope_id: str, cursor: int, page_bytes: int
         ) -> tuple[list[Change], int, bool]:
    """Changes after ``cursor`` in sequence order, cut at about ``page_bytes`` of JSON."""
    changes: list[Change] = []
    size = 0
    new_cursor = cursor
    batch = 200
    while True:
        rows = session.execute(
            select(Record.entity, Record.id, Record.version, Record.deleted, Record.data)
            .where(Record.scope_id == scope_id, Record.version > new_cursor)
            .order_by(Record.version).limit(batch)
        ).all()
        for entity, row_id, version, deleted, data in rows:
            if changes and size + len(data) + 100 > page_bytes:
                return changes, new_cursor, True
            changes.append(Change(entity=entity, id=row_id, version=version, deleted=deleted,
                                  data=json.loads(data)))
            size += len(data) + 100
            new_cursor = version
        if len(rows) < batch:
            return changes, new_cursor, False


def handle(session: Session, device: Device, request: SyncRequest) -> SyncResponse:
    results = push(session, device, request.mutations) if request.mutations else []
    scope_id = device.unit_id
    cursor = max(0, request.cursors.get(scope_id, 0))
    changes: list[Change] = []
    has_more = False
    if request.pull:
        changes, cursor, has_more = pull(session, scope_id, cursor, request.page_bytes)
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > dt.timedelta(seconds=60):
        session.execute(update(Device).where(Device.id == device.id).values(last_seen_at=now))
    return SyncResponse(
        protocol=PROTOCOL_VERSION, server_time=dt.datetime.now(dt.UTC).isoformat(),
        unit_id=scope_id, last_mutation_id=device.last_mutation_id, results=results,
        changes=changes, cursors={scope_id: cursor}, has_more=has_more,
    )
