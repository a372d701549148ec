"""Statistics rows (``stat_*`` tables) kept in step with the records.

``records.stamp`` notes every record it writes in ``session.info["touched"]``; before the
transaction commits, ``refresh`` rewrites the statistics rows of what was touched from the
records' current state (so a rolled-back savepoint or a retried batch leaves nothing
wrong behind: the rows are recomputed, never incremented). A member's status is the same
fold over its events as on the desktop (``domain.lifecycle.check_history``).

``rebuild_all`` recomputes everything (migration s0002, ``sotay-server stats rebuild``);
``tests/province/test_pages_tree.py`` checks that the kept rows equal a rebuild.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import EventKind, MemberEvent
from sotay_core.domain.errors import DomainError
from sotay_core.domain.lifecycle import check_history
from sync_server import month_facts, review_facts, rollup, study_facts
from sync_server.models import (
    Record,
    StatBranch,
    StatMeeting,
    StatMember,
    StatMemberEvent,
    StatResolution,
    Unit,
)
from sync_server.party_numbers import IN_PARTY

FACT_ENTITIES = frozenset(
    {"members", "member_events", "meetings", "attendance", "resolutions", "conflicts"}
) | month_facts.MONTH_ENTITIES | review_facts.REVIEW_ENTITIES | study_facts.STUDY_ENTITIES

# Attendance rows that count towards the attendance rate (exempted and away members do not).
EXPECTED = frozenset({"present", "absent_excused", "absent_unexcused"})

Key = tuple[str, str]  # (scope_id, id)


def note(session: Session, rec: Record) -> None:
    if rec.entity in FACT_ENTITIES:
        session.info.setdefault("touched", set()).add((rec.scope_id, rec.entity, rec.id))


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _records(session: Session, entity: str, keys: Iterable[Key]) -> dict[Key, Record]:
    by_scope: dict[str, list[str]] = defaultdict(list)
    for scope, row_id in keys:
        by_scope[scope].append(row_id)
    found: dict[Key, Record] = {}
    for scope, ids in by_scope.items():
        for i in range(0, len(ids), 500):
            for rec in session.scalars(select(Record).where(
                    Record.scope_id == scope, Record.entity == entity,
                    Record.id.in_(ids[i:i + 500]))):
                found[(scope, rec.id)] = rec
    return found


def _upsert(session: Session, cls: Any, key: Key, **values: Any) -> Any:
    row = session.get(cls, key)
    if row is None:
        row = cls(scope_id=key[0], id=key[1], **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return row


def _path(session: Session, scope: str) -> str:
    unit = session.get(Unit, scope)
    return unit.path if unit is not None else ""


def refresh(session: Session) -> None:
    touched: set[tuple[str, str, str]] = session.info.pop("touched", set())
    if not touched:
        return
    # what the branches add to their commune's roll-ups before their rows change (the
    # study's are kept by ``study_facts``)
    entities: dict[str, set[str]] = defaultdict(set)
    for scope, entity, _ in touched:
        if entity not in study_facts.STUDY_ENTITIES:
            entities[scope].add(entity)
    rollup.before(session, entities)
    by_entity: dict[str, set[Key]] = defaultdict(set)
    for scope, entity, row_id in touched:
        by_entity[entity].add((scope, row_id))
    members: set[Key] = set()
    meetings: set[Key] = set()
    months: set[tuple[str, int]] = set()
    scopes: set[str] = set()

    for key, rec in _records(session, "members", by_entity["members"]).items():
        data = json.loads(rec.data)
        born = _date(data.get("date_of_birth"))
        _upsert(session, StatMember, key, path=_path(session, key[0]),
                gender=str(data.get("gender") or "")[:16],
                birth_year=born.year if born else None,
                ethnicity=str(data.get("ethnicity") or "").strip()[:60], deleted=rec.deleted)
        members.add(key)
        scopes.add(key[0])
    for key, rec in _records(session, "member_events", by_entity["member_events"]).items():
        data = json.loads(rec.data)
        day = _date(data.get("date"))
        member_id = str(data.get("member_id") or "")
        if day is None or not member_id:
            continue
        _upsert(session, StatMemberEvent, key, member_id=member_id,
                kind=str(data.get("kind") or "")[:32], date=day,
                seq=int(data.get("seq") or 0), deleted=rec.deleted)
        members.add((key[0], member_id))
        scopes.add(key[0])
    for key, rec in _records(session, "meetings", by_entity["meetings"]).items():
        data = json.loads(rec.data)
        day = _date(data.get("date"))
        if day is None:
            continue
        old = session.get(StatMeeting, key)
        if old is not None and old.month != day.year * 100 + day.month:
            months.add((key[0], old.month))       # moved to another month
        _upsert(session, StatMeeting, key, path=_path(session, key[0]), date=day,
                month=day.year * 100 + day.month, kind=str(data.get("kind") or "")[:16],
                deleted=rec.deleted)
        meetings.add(key)
    for (scope, _), rec in _records(session, "attendance", by_entity["attendance"]).items():
        meeting_id = json.loads(rec.data).get("meeting_id")
        if isinstance(meeting_id, str):
            meetings.add((scope, meeting_id))
    for key, rec in _records(session, "resolutions", by_entity["resolutions"]).items():
        data = json.loads(rec.data)
        old_resolution = session.get(StatResolution, key)
        if old_resolution is not None and old_resolution.meeting_id:
            meetings.add((key[0], old_resolution.meeting_id))
        meeting_id = data.get("meeting_id")
        _upsert(session, StatResolution, key, meeting_id=meeting_id,
                status=str(data.get("status") or "draft")[:16], deleted=rec.deleted)
        if isinstance(meeting_id, str):
            meetings.add((key[0], meeting_id))
    scopes.update(scope for scope, _ in by_entity["conflicts"])

    session.flush()
    _statuses(session, members)
    months |= _meetings(session, meetings)
    session.flush()
    _held(session, months)
    for scope in scopes:
        _branch(session, scope)
    month_facts.refresh(session, by_entity, members, meetings)
    review_facts.refresh(session, by_entity)
    study_facts.refresh(session, by_entity)


def _statuses(session: Session, members: set[Key]) -> None:
    by_scope: dict[str, list[str]] = defaultdict(list)
    for scope, member_id in members:
        by_scope[scope].append(member_id)
    for scope, ids in by_scope.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            events: dict[str, list[MemberEvent]] = defaultdict(list)
            for e in session.scalars(select(StatMemberEvent).where(
                    StatMemberEvent.scope_id == scope, StatMemberEvent.member_id.in_(chunk),
                    StatMemberEvent.deleted.is_(False))):
                try:
                    kind = EventKind(e.kind)
                except ValueError:
                    continue
                events[e.member_id].append(MemberEvent(e.id, e.member_id, kind, e.date,
                                                       seq=e.seq))
            for row in session.scalars(select(StatMember).where(
                    StatMember.scope_id == scope, StatMember.id.in_(chunk))):
                try:
                    row.status = check_history(events.get(row.id, [])).status.value
                except DomainError:
                    continue  # a merged history that does not fit: as on the desktop, kept


def _meetings(session: Session, meetings: set[Key]) -> set[tuple[str, int]]:
    """Recount attendance and adopted resolutions of these meetings; returns their months."""
    months: set[tuple[str, int]] = set()
    for scope, meeting_id in meetings:
        row = session.get(StatMeeting, (scope, meeting_id))
        if row is None:
            continue
        present = marked = 0
        for data in session.scalars(select(Record.data).where(
                Record.scope_id == scope, Record.entity == "attendance",
                Record.natural_key.like(f"{meeting_id}|%"), Record.deleted.is_(False))):
            status = json.loads(data).get("status")
            marked += status in EXPECTED
            present += status == "present"
        row.present, row.marked = present, marked
        row.adopted = session.scalar(select(func.count()).select_from(StatResolution).where(
            StatResolution.scope_id == scope, StatResolution.meeting_id == meeting_id,
            StatResolution.status == "adopted", StatResolution.deleted.is_(False))) or 0
        months.add((scope, row.month))
    return months


def _held(session: Session, months: set[tuple[str, int]]) -> None:
    """Mark the first attended meeting of each branch-month (``held``), unmark the others."""
    for scope, month in months:
        first = True
        for row in session.scalars(select(StatMeeting).where(
                StatMeeting.scope_id == scope, StatMeeting.month == month)
                .order_by(StatMeeting.date, StatMeeting.id)):
            counts = not row.deleted and row.present > 0 and first
            row.held = int(counts)
            first = first and not counts


def _branch(session: Session, scope: str) -> None:
    if session.get(Unit, scope) is None:
        return
    members = session.scalar(select(func.count()).select_from(StatMember).where(
        StatMember.scope_id == scope, StatMember.deleted.is_(False),
        StatMember.status.in_(IN_PARTY))) or 0
    conflicts = 0
    for data in session.scalars(select(Record.data).where(
            Record.scope_id == scope, Record.entity == "conflicts",
            Record.deleted.is_(False))):
        conflicts += json.loads(data).get("status") == "open"
    row = session.get(StatBranch, scope)
    if row is None:
        session.add(StatBranch(scope_id=scope, members=members, open_conflicts=conflicts))
    else:
        row.members, row.open_conflicts = members, conflicts


def rebuild_all(session: Session) -> int:
    """Recompute every statistics row from the records; returns the records read."""
    for cls in (StatMember, StatMemberEvent, StatMeeting, StatResolution, StatBranch,
                *month_facts.STAT_CLASSES, *review_facts.STAT_CLASSES,
                *study_facts.STAT_CLASSES):
        session.execute(delete(cls))
    count = 0
    session.info["rollup_off"] = True      # rebuilt whole at the end
    for scope in session.scalars(select(Unit.id).where(Unit.level == "branch")):
        touched = {(scope, entity, row_id) for entity, row_id in session.execute(
            select(Record.entity, Record.id).where(
                Record.scope_id == scope, Record.entity.in_(FACT_ENTITIES)))}
        count += len(touched)
        touched.add((scope, "conflicts", ""))  # every branch gets its row
        session.info["touched"] = touched
        refresh(session)
    session.info.pop("rollup_off", None)
    rollup.rebuild(session)
    return count


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every statistics row, sorted (tests compare kept rows with a rebuild)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for cls in (StatMember, StatMemberEvent, StatMeeting, StatResolution, StatBranch,
                *month_facts.STAT_CLASSES, *review_facts.STAT_CLASSES,
                *study_facts.STAT_CLASSES, *rollup.ROLLUP_CLASSES):
        cols = [c.key for c in cls.__table__.columns]
        out[cls.__tablename__] = sorted(
            tuple(getattr(r, c) for c in cols) for r in session.scalars(select(cls)))
    return out


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.info.get("touched"):
        refresh(session)
    # the communes' roll-ups once, at the outer commit (a push commits a savepoint per
    # mutation; the commune stays locked from the first rewrite to the commit anyway)
    if (session.info.get("rollup") or session.info.get("rollup_before")) and \
            not session.in_nested_transaction():
        rollup.refresh(session)
