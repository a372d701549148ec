"""A resolution's tasks as rows (issue 19): made when the resolution is saved, followed up
by the secretary (status, notes, due date, person in charge), reviewed at the next meeting.

Saving the resolution again keeps what the secretary set on each task (status, notes): a
task whose words did not change is the same row; a task reworded in place keeps its row; a
task taken out of the resolution is marked deleted. Every write goes to the outbox in the
caller's transaction (``recording``). The rules (due dates, names, overdue) are in
``sotay_core.domain.resolution_tasks``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules
from sotay_core.domain.entities import MeetingKind, MemberStatus, TaskStatus, stored
from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.reminders import Reminder, ReminderKind
from sotay_core.domain.resolution_tasks import (
    TaskLine,
    due_for,
    is_overdue,
    match_member,
    parse_due,
    split_in_charge,
)
from sotay_core.domain.text import clean_block, clean_line, fold
from sotay_core.i18n import t
from sotay_desktop.db.tables import MeetingRow, MemberRow, ResolutionRow, TaskRow
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update, record_change

TASK_CHANGES = Changes.of("tasks")
# The review in the minutes is a Party paper's draft: Vietnamese whatever the UI language.
REVIEW_WORDS = {TaskStatus.NOT_STARTED: "chưa thực hiện",
                TaskStatus.IN_PROGRESS: "đang thực hiện",
                TaskStatus.DONE: "đã hoàn thành",
                TaskStatus.CARRIED_OVER: "chuyển sang tháng sau"}
FAR_FUTURE = dt.date(2100, 12, 31)


@dataclass(frozen=True, slots=True)
class TaskView:
    id: str
    resolution_id: str
    resolution_number: str
    meeting_date: dt.date | None
    text: str
    responsible_id: str | None
    responsible: str            # the member's name, else the words of the resolution
    due_on: dt.date | None
    status: TaskStatus
    notes: str
    done_on: dt.date | None
    overdue: bool


def _members(session: Session, unit_id: str) -> list[tuple[str, str]]:
    return [(mid, name) for mid, name in session.execute(
        select(MemberRow.id, MemberRow.full_name).where(
            MemberRow.unit_id == unit_id, MemberRow.deleted.is_(False)))]


def _live_tasks(session: Session, resolution_id: str) -> list[TaskRow]:
    return list(session.scalars(select(TaskRow).where(
        TaskRow.resolution_id == resolution_id, TaskRow.deleted.is_(False))
        .order_by(TaskRow.created_at, TaskRow.id)))


def _pair(lines: Sequence[TaskLine], rows: list[TaskRow]
          ) -> tuple[list[tuple[TaskLine, TaskRow | None]], list[TaskRow]]:
    """Each line with its row: same words first, then the rest in order (a reworded task);
    rows left over were taken out of the resolution."""
    free = list(rows)
    chosen: dict[int, TaskRow] = {}
    for index, line in enumerate(lines):
        same = next((r for r in free if fold(r.description) == fold(line.text)), None)
        if same is not None:
            chosen[index] = same
            free.remove(same)
    pairs: list[tuple[TaskLine, TaskRow | None]] = []
    for index, line in enumerate(lines):
        row = chosen.get(index)
        if row is None and free:
            row = free.pop(0)
        pairs.append((line, row))
    return pairs, free


def sync_resolution_tasks(session: Session, *, resolution: ResolutionRow,
                          tasks: Sequence[tuple[str, str]], meeting_day: dt.date) -> bool:
    """Make the task rows say what the resolution's tasks say; True if any row changed."""
    lines = [split_in_charge(clean_block(text), clean_line(who)) for text, who in tasks
             if clean_block(text)]
    people = _members(session, resolution.unit_id)
    pairs, removed = _pair(lines, _live_tasks(session, resolution.id))
    changed = False
    for line, row in pairs:
        member_id = match_member(line.responsible, people) if line.responsible else None
        values: dict[str, Any] = {"description": line.text, "responsible_id": member_id,
                                  "responsible_text": line.responsible[:200]}
        if row is None:
            values |= {"due_on": due_for(line.text, meeting_day),
                       "status": TaskStatus.NOT_STARTED.value, "notes": "", "done": False}
            row = TaskRow(id=new_id(), resolution_id=resolution.id, **values)
            session.add(row)
            session.flush()
            record_change(session, entity="tasks", row_id=row.id, op="create",
                          base_version=0, fields={"resolution_id": resolution.id, **values})
            changed = True
            continue
        if fold(row.description) != fold(line.text):   # reworded: a date it names wins
            values["due_on"] = parse_due(line.text, meeting_day) or row.due_on or \
                due_for(line.text, meeting_day)
        changed |= apply_update(session, entity="tasks", row=row, values=values)
    for row in removed:
        changed |= apply_update(session, entity="tasks", row=row, values={"deleted": True})
    return changed


def task_row(session: Session, task_id: str) -> TaskRow:
    row = session.get(TaskRow, task_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("task.what"), id=task_id)
    return row


def update_task(session: Session, *, task_id: str, today: dt.date, **fields: Any) -> Changes:
    """Change ``status``, ``notes``, ``due_on`` or ``responsible_id`` (a member, or None to
    keep only the resolution's words). Done sets ``done`` and the day it was done."""
    row = task_row(session, task_id)
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "status":
            try:
                status = TaskStatus(value)
            except ValueError:
                raise ValidationError("bad_choice", field="status", value=value,
                                      choices=", ".join(s.value for s in TaskStatus)) from None
            values["status"] = status.value
            values["done"] = status is TaskStatus.DONE
            if status is not TaskStatus.DONE:
                values["done_on"] = None
            elif row.done_on is None:
                values["done_on"] = today
        elif name == "notes":
            values["notes"] = clean_block(value or "")
            limit = record_rules.rule("tasks", "notes").max_length   # the server's rule
            if len(values["notes"]) > limit:
                raise ValidationError("task.notes_too_long", count=len(values["notes"]),
                                      limit=limit)
        elif name == "due_on":
            values["due_on"] = clean_date_field("due_on", value, today=FAR_FUTURE)
        elif name == "responsible_id":
            if value:
                member = session.get(MemberRow, value)
                if member is None or member.deleted:
                    raise NotFoundError("not_found", what=t("member"), id=value)
                standing = stored(MemberStatus, member.status, MemberStatus.NONE)
                if not (standing.on_roster or standing is MemberStatus.TEMPORARY):
                    raise ValidationError("task.member_not_on_roster", name=member.full_name,
                                          status=t(f"status.{standing.value}"))
                values["responsible_text"] = member.full_name
            values["responsible_id"] = value or None
        else:
            raise ValidationError("unknown_field", field=name)
    return TASK_CHANGES if apply_update(session, entity="tasks", row=row,
                                        values=values) else Changes()


def _views(session: Session, query: Any, today: dt.date) -> list[TaskView]:
    names = dict(session.execute(select(MemberRow.id, MemberRow.full_name).where(
        MemberRow.deleted.is_(False))).all())
    found = []
    for task, number, day in session.execute(query):
        status = stored(TaskStatus, task.status, TaskStatus.NOT_STARTED)
        found.append(TaskView(
            task.id, task.resolution_id or "", number, day, task.description,
            task.responsible_id if task.responsible_id in names else None,
            names.get(task.responsible_id or "", task.responsible_text),
            task.due_on, status, task.notes, task.done_on,
            is_overdue(task.due_on, status, today)))
    return found


def _base_query() -> Any:
    return (select(TaskRow, ResolutionRow.number, MeetingRow.date)
            .join(ResolutionRow, ResolutionRow.id == TaskRow.resolution_id)
            .outerjoin(MeetingRow, MeetingRow.id == ResolutionRow.meeting_id)
            .where(TaskRow.deleted.is_(False), ResolutionRow.deleted.is_(False)))


def list_tasks(session: Session, *, today: dt.date, since: dt.date | None = None,
               overdue: bool = False, member_id: str | None = None,
               resolution_id: str | None = None) -> list[TaskView]:
    """Tasks of live resolutions, newest meeting first, each resolution's in their order."""
    query = _base_query()
    if since is not None:
        query = query.where(ResolutionRow.issued_on >= since)
    if member_id:
        query = query.where(TaskRow.responsible_id == member_id)
    if resolution_id:
        query = query.where(TaskRow.resolution_id == resolution_id)
    query = query.order_by(ResolutionRow.issued_on.desc(), TaskRow.created_at, TaskRow.id)
    views = _views(session, query, today)
    return [v for v in views if v.overdue] if overdue else views


def previous_resolution(session: Session, meeting: MeetingRow) -> ResolutionRow | None:
    """The resolution of the unit's last monthly meeting before ``meeting``."""
    return session.scalars(
        select(ResolutionRow).join(MeetingRow, MeetingRow.id == ResolutionRow.meeting_id)
        .where(MeetingRow.unit_id == meeting.unit_id, MeetingRow.deleted.is_(False),
               MeetingRow.kind == MeetingKind.MONTHLY.value, MeetingRow.date < meeting.date,
               ResolutionRow.deleted.is_(False))
        .order_by(MeetingRow.date.desc())).first()


def review_lines(session: Session, meeting: MeetingRow) -> list[str]:
    """The draft of "Kiểm điểm việc thực hiện nghị quyết tháng trước" from the task rows of
    the previous monthly meeting's resolution: one line per task (who, status, notes)."""
    resolution = previous_resolution(session, meeting)
    if resolution is None:
        return []
    tasks = list_tasks(session, today=meeting.date, resolution_id=resolution.id)
    if not tasks:
        return []
    issued = resolution.issued_on.strftime("%d/%m/%Y") if resolution.issued_on else ""
    lines = [f"Thực hiện Nghị quyết số {resolution.number}"
             + (f" ngày {issued}" if issued else "") + ":"]
    for number, task in enumerate(tasks, start=1):
        who = f" (Phụ trách: {task.responsible})" if task.responsible else ""
        notes = f" {task.notes}" if task.notes else ""
        lines.append(f"{number}. {task.text}{who}: {REVIEW_WORDS[task.status]}.{notes}")
    return lines


def overdue_reminders(session: Session, today: dt.date) -> list[Reminder]:
    """Home's reminders of tasks past their due date: the person in charge (or no one) and
    the task's words in the member column."""
    found = []
    for task in list_tasks(session, today=today, overdue=True):
        assert task.due_on is not None
        who = f" ({task.responsible})" if task.responsible else ""
        found.append(Reminder(ReminderKind.TASK_OVERDUE, task.responsible_id or "",
                              f"{task.text}{who}", task.due_on, overdue=True))
    return found
