"""What a branch PC's mutation must pass before anything is written: the wire's value checks
(``protocol.entities.check_value``) and the Party's rules (``domain.record_rules``: values,
references, a member's possible history, unique values). A refusal raises ``Rejected`` with
the reason the PC shows. The batch's lookups are cached in ``session.info`` and kept in step
with each write (``note_written``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules, study_rules, year_rules
from sotay_core.domain.entities import MemberEvent
from sotay_core.domain.record_rules import RecordError
from sotay_core.protocol import Mutation
from sotay_core.protocol.entities import ENTITIES, EntitySpec, FieldError, check_value
from sync_server.models import Record, utcnow


class Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason



def _field_reason(exc: FieldError) -> str:
    """The wire's own codes (sync_…) name no field; a record rule's code does."""
    return exc.code if exc.code.startswith("sync_") else f"{exc.code}:{exc.field}"


def clean_row(spec: EntitySpec, fields: dict[str, Any]) -> dict[str, Any]:
    try:
        return {k: check_value(spec, k, v) for k, v in fields.items()}
    except FieldError as exc:
        raise Rejected(_field_reason(exc)) from None


def clean_update(spec: EntitySpec, fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
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



# --- the Party's rules (domain.record_rules) ---------------------------------------


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


def prefetch_references(session: Session, scope_id: str, mutations: list[Mutation]) -> None:
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


def check_rules(session: Session, scope_id: str, entity: str, fields: dict[str, Any],
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
        if entity == "review_entries":
            _check_grade(session, scope_id, fields, rec)
        elif entity in ("study_plans", "study_reports"):
            _check_study(session, scope_id, entity, fields, rec)
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


def _check_grade(session: Session, scope_id: str, fields: dict[str, Any],
                 rec: Record | None) -> None:
    """A review entry's grade no better than its points allow (the values as they will be
    stored: the record's with this mutation's on top)."""
    values = {**(json.loads(rec.data) if rec is not None else {}), **fields}
    campaign = session.get(Record, (scope_id, "review_campaigns",
                                    str(values.get("campaign_id") or "")))
    scheme = str(json.loads(campaign.data).get("scheme") or "") if campaign is not None else ""
    field = year_rules.grade_fits_points(values, scheme)
    if field is not None:
        raise RecordError("invalid_value", field)


def _check_study(session: Session, scope_id: str, entity: str, fields: dict[str, Any],
                 rec: Record | None) -> None:
    """A plan's quiz, survey, audience and documents readable; a report's figures possible
    for its plan (tallies within those present, sheets that add up, names only for a
    contest). The values as they will be stored."""
    values = {**(json.loads(rec.data) if rec is not None else {}), **fields}
    if entity == "study_plans":
        field = study_rules.plan_fits(values)
        if field is not None:
            raise RecordError("invalid_value", field)
        return
    if rec is not None and "plan_id" in fields and fields["plan_id"] != json.loads(
            rec.data).get("plan_id"):
        # a report is its plan's (natural key): moved onto another plan it would be a
        # second report there beside the branch's own
        raise RecordError("invalid_value", "plan_id")
    plan = session.get(Record, (scope_id, "study_plans", str(values.get("plan_id") or "")))
    if not study_rules.report_fits(values, json.loads(plan.data) if plan is not None else None):
        raise RecordError("invalid_value", "figures")


def _unique_index(session: Session, scope_id: str, entity: str, name: str
                  ) -> dict[str, set[str]]:
    """value -> ids of the scope's live records holding it, read once per batch (one query,
    however many members a first upload creates) and kept in step by ``note_written``."""
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


def note_written(session: Session, scope_id: str, rec: Record) -> None:
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

