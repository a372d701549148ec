"""Applying a device's mutations and answering its pull: the heart of the server. Its parts:
``records`` (the sequence counter and writing a record), ``rule_checks`` (what a mutation
must pass), ``conflicts`` (the three-way merge) and ``quarantine`` (the PCs' reports).

Everything here runs inside the caller's transaction and never commits; the
route commits once, after the answer is built, so a lost answer is replayed
from ``applied_mutations`` and creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules
from sotay_core.domain.record_rules import RecordError
from sotay_core.protocol import (
    PROTOCOL_VERSION,
    Change,
    Mutation,
    MutationResult,
    SyncRequest,
    SyncResponse,
)
from sotay_core.protocol.columns import COLUMNS1, encode_changes
from sotay_core.protocol.entities import ENTITIES, QUARANTINE_REPORT
from sync_server import rollup
from sync_server.conflicts import merge, open_conflict, resolve_conflict
from sync_server.models import AppliedMutation, Device, Record, utcnow
from sync_server.quarantine import report_quarantine
from sync_server.records import (
    change_of,
    forget_locks,
    get_record,
    natural_key,
    prefetch,
    put_record,
)
from sync_server.rule_checks import (
    Rejected,
    check_rules,
    clean_row,
    clean_update,
    note_written,
    prefetch_references,
)

log = logging.getLogger(__name__)


# --- push ---------------------------------------------------------------------------


def _apply(session: Session, device: Device, scope_id: str, m: Mutation) -> MutationResult:
    if m.entity == QUARANTINE_REPORT and m.op == "add":
        return report_quarantine(session, device, scope_id, m)
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
        row = clean_row(spec, m.fields)
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
            check_rules(session, scope_id, m.entity, row | {"deleted": deleted}, rec,
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
            status, conflicts = merge(session, rec, changes, base_version=rec.version,
                                       device=device)
            note_written(session, scope_id, rec)
            return _result(m.id, status, rec, conflicts)
        key = natural_key(spec, row)
        if key is not None and not deleted:
            twin = session.execute(select(Record).where(
                Record.scope_id == scope_id, Record.entity == m.entity,
                Record.natural_key == key, Record.deleted.is_(False))).scalar_one_or_none()
            if twin is not None:
                old = json.loads(twin.data)
                changes = {k: (old.get(k), v) for k, v in row.items() if old.get(k) != v}
                conflicts = [
                    open_conflict(session, twin, field=k, base=None, current=cur, proposed=new,
                              device=device) for k, (cur, new) in changes.items()]
                return MutationResult(id=m.id, status="conflict" if conflicts else "merged",
                                      version=twin.version, conflicts=conflicts,
                                      current=change_of(twin))
        rec = put_record(session, scope_id=scope_id, entity=m.entity, row_id=m.row_id, data=row,
                         by=by, deleted=deleted)
        note_written(session, scope_id, rec)
        return MutationResult(id=m.id, status="applied", version=rec.version)
    # update
    if rec is None:
        raise Rejected("sync_not_found")
    if rec.province_owned:
        raise Rejected("sync_read_only")
    changes = clean_update(spec, m.fields)
    if "unit_id" in changes and changes["unit_id"][1] != scope_id:
        raise Rejected("sync_wrong_unit")     # a row may not be moved under another unit
    if spec.add_only and set(changes) - {"deleted"}:
        raise Rejected("sync_add_only")
    if not spec.deletable and "deleted" in changes:
        raise Rejected("sync_add_only")
    check_rules(session, scope_id, m.entity, {k: new for k, (_old, new) in changes.items()},
                 rec, row_id=m.row_id)
    status, conflicts = merge(session, rec, changes, base_version=m.base_version,
                               device=device)
    note_written(session, scope_id, rec)
    return _result(m.id, status, rec, conflicts)


def _result(mutation_id: int, status: str, rec: Record, conflicts: list[str]) -> MutationResult:
    return MutationResult.model_validate({"id": mutation_id, "status": status,
                                          "version": rec.version, "conflicts": conflicts})


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
        prefetch_references(session, device.unit_id, mutations)
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
        first = device.last_seen_at is None
        session.execute(update(Device).where(Device.id == device.id).values(last_seen_at=now))
        rollup.seen(session, device, now, first=first)
    columns = None
    # Only when asked (old PCs get the list), and from two changes up (one is ~20 B smaller
    # as the list).
    if COLUMNS1 in request.encodings and len(changes) > 1:
        changes, columns = [], encode_changes(changes)
    return SyncResponse(
        protocol=PROTOCOL_VERSION, server_time=dt.datetime.now(dt.UTC).isoformat(),
        unit_id=scope_id, last_mutation_id=device.last_mutation_id, results=results,
        changes=changes, cursors={scope_id: cursor}, has_more=has_more, columns=columns,
    )
