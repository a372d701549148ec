"""The monthly report's figures from plain inputs (see ``monthly_report`` for the
conventions): the month's monthly meeting as marks and votes, the resolution's tasks, the
year's dues book, each member's events and the meeting's score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sotay_core.domain.dues import Month, unpaid_flag
from sotay_core.domain.dues_book import DuesBook
from sotay_core.domain.entities import Attendance, MemberEvent, MemberStatus, TaskStatus
from sotay_core.domain.errors import DomainError
from sotay_core.domain.lifecycle import state_on
from sotay_core.domain.monthly_report import (
    NUMBER_STATUSES,
    AttendanceFigures,
    DuesFigures,
    MeetingFigures,
    ReportFigures,
    ResolutionFigures,
    RosterChange,
    ScoreFigures,
    TaskFigures,
    TaskLine,
    UnpaidMember,
    last_day,
)
from sotay_core.domain.rules import Voter, voting_base


@dataclass(frozen=True, slots=True)
class Mark:
    name: str
    official: bool
    attendance: Attendance


@dataclass(frozen=True, slots=True)
class MeetingInput:
    date: dt.date
    title: str
    marks: Sequence[Mark] = ()
    resolution: ResolutionFigures | None = None   # voting_base filled in by the builder
    score: ScoreFigures | None = None


@dataclass(frozen=True, slots=True)
class TaskInput:
    text: str
    person: str = ""
    due_on: dt.date | None = None
    status: TaskStatus = TaskStatus.NOT_STARTED
    done_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PersonInput:
    name: str
    events: Sequence[MemberEvent]


def meeting_figures(meeting: MeetingInput) -> MeetingFigures:
    def names(kind: Attendance) -> tuple[str, ...]:
        return tuple(mark.name for mark in meeting.marks if mark.attendance is kind)

    count = {kind: sum(1 for m in meeting.marks if m.attendance is kind) for kind in Attendance}
    base = voting_base(Voter(str(i), m.official, m.attendance)
                       for i, m in enumerate(meeting.marks))
    attendance = AttendanceFigures(
        present=count[Attendance.PRESENT], absent_excused=count[Attendance.ABSENT_EXCUSED],
        absent_unexcused=count[Attendance.ABSENT_UNEXCUSED],
        exempted=count[Attendance.EXEMPTED], away=count[Attendance.AWAY], voting_base=base,
        absent_excused_names=names(Attendance.ABSENT_EXCUSED),
        absent_unexcused_names=names(Attendance.ABSENT_UNEXCUSED))
    resolution = meeting.resolution
    if resolution is not None:
        resolution = ResolutionFigures(resolution.number, resolution.title, resolution.adopted,
                                       resolution.votes_for, resolution.votes_against, base)
    return MeetingFigures(meeting.date, meeting.title, attendance, resolution)


def task_figures(tasks: Iterable[TaskInput], month: Month, as_of: dt.date) -> TaskFigures:
    first = month.first_day
    done = overdue = in_progress = 0
    late: list[TaskLine] = []
    for task in tasks:
        if task.status is TaskStatus.DONE:
            done += task.done_on is not None and first <= task.done_on <= as_of
            continue
        if task.status is TaskStatus.CARRIED_OVER:
            continue
        if task.due_on is not None and task.due_on < as_of:
            overdue += 1
            late.append(TaskLine(task.text, task.person, task.due_on))
        elif task.status is TaskStatus.IN_PROGRESS:
            in_progress += 1
    late.sort(key=lambda line: (line.due_on or first, line.text))
    return TaskFigures(done, overdue, in_progress, tuple(late))


def dues_figures(book: DuesBook | None, month: Month) -> DuesFigures:
    if book is None or book.year != month.year:
        return DuesFigures()
    totals = book.month_totals(month)
    unpaid = []
    owing = 0
    for line in book.lines:
        cell = line.cell(month)
        owing += cell.due > 0
        upto = tuple(m for m in line.unpaid if m <= month)
        flag = unpaid_flag(len(upto))
        if month in upto or flag:
            unpaid.append(UnpaidMember(line.name, tuple(m.key for m in upto),
                                       flag.value if flag else ""))
    return DuesFigures(totals.collected, totals.retained, totals.sent_up, totals.payers,
                       owing, tuple(unpaid))


def build_figures(
    month: Month,
    *,
    as_of: dt.date,
    meeting: MeetingInput | None = None,
    tasks: Iterable[TaskInput] = (),
    book: DuesBook | None = None,
    people: Iterable[PersonInput] = (),
    number: str = "",
) -> ReportFigures:
    """The month's figures. ``as_of``: the month's last day, or today if the month is not
    over; ``book``: the dues book of ``month.year`` built ``through`` this month."""
    first, end = month.first_day, min(last_day(month), as_of)
    changes: list[RosterChange] = []
    numbers: dict[MemberStatus, int] = {}
    temporary = 0
    for person in people:
        for event in person.events:
            if first <= event.date <= end:
                changes.append(RosterChange(person.name, event.kind, event.date,
                                            event.decision or event.place))
        try:
            status = state_on(person.events, end).status
        except DomainError:   # a history that no longer adds up: counted by nobody
            continue
        if status in NUMBER_STATUSES:
            numbers[status] = numbers.get(status, 0) + 1
        temporary += status is MemberStatus.TEMPORARY
    changes.sort(key=lambda change: (change.date, change.name))
    return ReportFigures(
        month=month, meeting=meeting_figures(meeting) if meeting else None,
        tasks=task_figures(tasks, month, end), dues=dues_figures(book, month),
        changes=tuple(changes), score=meeting.score if meeting else None,
        numbers=numbers, temporary=temporary, number=number)
