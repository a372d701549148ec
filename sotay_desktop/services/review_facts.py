"""The year's record as the self-review form prints it (``review_sheet.YearFacts``), read
from the branch's records at the opening of a review campaign and again on each refresh
while it is open, and kept as JSON in ``review_entries.facts``.

What is read, for a period (a year or a quarter) and a day ``today``:

* meetings: the branch's meetings of the period held by ``today`` at which the member was
  marked (present, absent with or without reason). Marked exempted or away, or not marked,
  the meeting is not counted for them (they were not called to it).
* tasks: the tasks put in the member's charge by a resolution of the period (the
  resolution's day, else its meeting's). ``on_time``: done by the due day; a task still
  running is on time until its due day has passed on ``today`` (not late yet); a task not
  done and without a due day is not on time.
* dues: the dues book (``services.dues_read.book``, never recomputed here): the months of
  the period the book counts with dues, the months paid, the money paid, the paid-up month.
* life events: the member's events of the period, in the paper's Vietnamese words; a
  discipline event sets ``disciplined``; an exemption at any time sets ``exempted``.
* political study (issue 21, ``services.study_read.period_study``): the study plans of the
  period (due in it, or first held in it) meant for the member or attended by them, those
  studied (present at a session) and the points earned (the ``study_points`` setting).

The branch's own facts: the meetings held (all attended by the branch), every task of the
period, and the dues of all members together.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules
from sotay_core.domain.dues import Month, months_between
from sotay_core.domain.dues_book import BookCell, BookLine, DuesBook
from sotay_core.domain.entities import Attendance, EventKind, MemberEvent, TaskStatus, stored
from sotay_core.domain.errors import DomainError
from sotay_core.domain.lifecycle import event_label
from sotay_core.domain.review_setting import member_state
from sotay_core.domain.review_sheet import LifeEvent, MeetingMiss, TaskLine, YearFacts
from sotay_desktop.db.tables import AttendanceRow, MeetingRow, ResolutionRow, TaskRow
from sotay_desktop.services import dues_read
from sotay_desktop.services.study_read import period_study


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _short(text: str, most: int | None) -> str:
    return text if most is None or len(text) <= most else text[:most - 1].rstrip() + "…"


def facts_to_json(facts: YearFacts) -> str:
    """The facts as kept with the entry, within what the record holds (``record_rules``:
    the province refuses a longer one at sync). A busy year is summarised: long texts
    shortened, then, past that, tasks done on time left out (the late ones, which cap the
    grade, are always kept); the records themselves keep every word."""
    limit = record_rules.rule("review_entries", "facts").max_length
    tasks = list(facts.tasks)
    for most in (None, 400, 160, 80):
        text = _facts_json(facts, tasks, most)
        if len(text) <= limit:
            return text
    while len(text) > limit and any(t.on_time for t in tasks):
        done = max(i for i, t in enumerate(tasks) if t.on_time)
        del tasks[done]
        text = _facts_json(facts, tasks, 80)
    return text


def _facts_json(facts: YearFacts, tasks: Sequence[TaskLine], most: int | None) -> str:
    return json.dumps({
        "meetings_held": facts.meetings_held, "meetings_attended": facts.meetings_attended,
        "misses": [{"day": _iso(m.day), "title": _short(m.title, most), "excused": m.excused,
                    "reason": _short(m.reason, most)} for m in facts.misses],
        "tasks": [{"description": _short(t.description, most), "due_on": _iso(t.due_on),
                   "status": t.status, "done_on": _iso(t.done_on), "on_time": t.on_time}
                  for t in tasks],
        "dues_months_due": facts.dues_months_due, "dues_months_paid": facts.dues_months_paid,
        "dues_amount_paid": facts.dues_amount_paid, "dues_paid_to": facts.dues_paid_to,
        "events": [{"day": _iso(e.day), "text": _short(e.text, most)} for e in facts.events],
        "disciplined": facts.disciplined, "exempted": facts.exempted,
        "study_plans": facts.study_plans, "study_plans_studied": facts.study_plans_studied,
        "study_points": facts.study_points,
    }, ensure_ascii=False, sort_keys=True)


def facts_from_json(text: str) -> YearFacts:
    """The stored facts; what does not read (a row merged from elsewhere) is left out."""
    try:
        raw = json.loads(text or "{}")
    except json.JSONDecodeError:
        return YearFacts()
    if not isinstance(raw, dict):
        return YearFacts()

    def count(key: str) -> int:
        value = raw.get(key, 0)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def items(key: str) -> list[dict[str, Any]]:
        found = raw.get(key)
        return [i for i in found if isinstance(i, dict)] if isinstance(found, list) else []

    misses = tuple(MeetingMiss(day, str(m.get("title", "")), bool(m.get("excused")),
                               str(m.get("reason", "")))
                   for m in items("misses") if (day := _day(m.get("day"))) is not None)
    tasks = tuple(TaskLine(str(t.get("description", "")), _day(t.get("due_on")),
                           str(t.get("status", "")), _day(t.get("done_on")),
                           bool(t.get("on_time", True))) for t in items("tasks"))
    events = tuple(LifeEvent(day, str(e.get("text", "")))
                   for e in items("events") if (day := _day(e.get("day"))) is not None)
    paid_to = raw.get("dues_paid_to")
    return YearFacts(count("meetings_held"), count("meetings_attended"), misses, tasks,
                     count("dues_months_due"), count("dues_months_paid"),
                     count("dues_amount_paid"), paid_to if isinstance(paid_to, str) else "",
                     events, bool(raw.get("disciplined")), bool(raw.get("exempted")),
                     study_plans=count("study_plans"),
                     study_plans_studied=count("study_plans_studied"),
                     study_points=count("study_points"))


# --- reading the records --------------------------------------------------------------


def on_time(status: TaskStatus, due_on: dt.date | None, done_on: dt.date | None,
            today: dt.date) -> bool:
    if status is TaskStatus.DONE:
        return due_on is None or done_on is None or done_on <= due_on
    return due_on is not None and due_on >= today


def _meetings(session: Session, unit_id: str, start: dt.date, end: dt.date
              ) -> list[tuple[str, dt.date, str]]:
    return [(row.id, row.date, row.title) for row in session.execute(
        select(MeetingRow.id, MeetingRow.date, MeetingRow.title).where(
            MeetingRow.unit_id == unit_id, MeetingRow.deleted.is_(False),
            MeetingRow.date >= start, MeetingRow.date <= end).order_by(MeetingRow.date))]


def _marks(session: Session, meeting_ids: Sequence[str]
           ) -> dict[str, list[tuple[str, Attendance, str]]]:
    """Per member: (meeting id, mark, reason) of the meetings given."""
    found: dict[str, list[tuple[str, Attendance, str]]] = {}
    if not meeting_ids:
        return found
    for row in session.execute(select(AttendanceRow.meeting_id, AttendanceRow.member_id,
                                      AttendanceRow.status, AttendanceRow.reason).where(
            AttendanceRow.meeting_id.in_(list(meeting_ids)), AttendanceRow.deleted.is_(False))):
        mark = stored(Attendance, row.status)
        if mark is not None:
            found.setdefault(row.member_id, []).append((row.meeting_id, mark, row.reason))
    return found


def _tasks(session: Session, unit_id: str, start: dt.date, end: dt.date,
           today: dt.date) -> list[tuple[str | None, TaskLine]]:
    """(member in charge, line) of every task of the period's resolutions, in order."""
    day = ResolutionRow.issued_on
    rows = session.execute(
        select(TaskRow, ResolutionRow.issued_on, MeetingRow.date)
        .join(ResolutionRow, ResolutionRow.id == TaskRow.resolution_id)
        .outerjoin(MeetingRow, MeetingRow.id == ResolutionRow.meeting_id)
        .where(TaskRow.deleted.is_(False), ResolutionRow.deleted.is_(False),
               ResolutionRow.unit_id == unit_id)
        .order_by(day, TaskRow.created_at, TaskRow.id))
    found = []
    for task, issued, held in rows:
        when = issued or held
        if when is None or not start <= when <= end:
            continue
        status = stored(TaskStatus, task.status, TaskStatus.NOT_STARTED)
        found.append((task.responsible_id, TaskLine(
            task.description, task.due_on, status.value, task.done_on,
            on_time(status, task.due_on, task.done_on, today))))
    return found


def dues_book(session: Session, *, unit_id: str, year: int, today: dt.date) -> DuesBook | None:
    """The year's dues book; None for a year before any dues rate (no dues to show)."""
    try:
        return dues_read.book(session, unit_id=unit_id, year=year, today=today)
    except DomainError:
        return None


def _period_cells(line: BookLine, months: Iterable[Month]) -> list[BookCell]:
    wanted = set(months)
    return [cell for cell in line.cells if cell.month in wanted]


def _dues(book: DuesBook, line: BookLine, months: Sequence[Month]) -> tuple[int, int, int]:
    """(months due, months paid, money paid) of the period as the book counts them."""
    cells = _period_cells(line, months)
    counted = [c for c in cells if c.member and c.due > 0 and c.month <= book.through
               and book.starts is not None and c.month >= book.starts]
    paid = [c for c in cells if c.payment is not None]
    return len(counted), len(paid), sum(c.paid for c in paid)


def _event_text(event: MemberEvent) -> str:
    words = event_label(event.kind, lang="vi")   # the paper's words, whatever the UI speaks
    text = words[:1].upper() + words[1:]
    extra = " – ".join(part for part in (event.detail.strip(), event.decision.strip()) if part)
    return f"{text} ({extra})" if extra else text


def member_facts(session: Session, *, unit_id: str, year: int, start: dt.date,
                 end: dt.date, today: dt.date, people: Mapping[str, Sequence[MemberEvent]],
                 book: DuesBook | None) -> dict[str, YearFacts]:
    """The facts of each member in ``people`` (member id -> events) for the period;
    ``book``: the year's dues book (``dues_book``), read once for the members and the
    branch."""
    until = min(end, today)
    meetings = _meetings(session, unit_id, start, until)
    titles = {mid: (day, title) for mid, day, title in meetings}
    marks = _marks(session, list(titles))
    tasks: dict[str, list[TaskLine]] = {}
    for member_id, task in _tasks(session, unit_id, start, end, today):
        if member_id:
            tasks.setdefault(member_id, []).append(task)
    lines = {line.member_id: line for line in book.lines} if book else {}
    months = months_between(Month.of(start), Month.of(end))
    studied = period_study(session, unit_id=unit_id, start=start, end=end, today=today,
                           member_ids=people)
    found: dict[str, YearFacts] = {}
    for member_id, events in people.items():
        called = [(titles[mid], mark, reason) for mid, mark, reason in marks.get(member_id, ())
                  if mark not in (Attendance.EXEMPTED, Attendance.AWAY)]
        misses = tuple(sorted(
            (MeetingMiss(day, title, mark is Attendance.ABSENT_EXCUSED, reason)
             for (day, title), mark, reason in called if mark is not Attendance.PRESENT),
            key=lambda miss: miss.day))
        line = lines.get(member_id)
        due, paid, money = _dues(book, line, months) if book and line else (0, 0, 0)
        paid_to = line.paid_up_to.key if line and line.paid_up_to else ""
        during = [e for e in events if start <= e.date <= end]
        found[member_id] = YearFacts(
            meetings_held=len(called), meetings_attended=len(called) - len(misses),
            misses=misses, tasks=tuple(tasks.get(member_id, ())), dues_months_due=due,
            dues_months_paid=paid, dues_amount_paid=money, dues_paid_to=paid_to,
            events=tuple(LifeEvent(e.date, _event_text(e))
                         for e in sorted(during, key=lambda e: (e.date, e.seq))),
            disciplined=any(e.kind is EventKind.DISCIPLINED for e in during),
            exempted=member_state(events, start).exempted
            or any(e.kind is EventKind.EXEMPTED for e in during),
            study_plans=len(studied[member_id].lines),
            study_plans_studied=studied[member_id].plans_studied,
            study_points=studied[member_id].total_points)
    return found


def branch_facts(session: Session, *, unit_id: str, start: dt.date, end: dt.date,
                 today: dt.date, book: DuesBook | None) -> YearFacts:
    held = len(_meetings(session, unit_id, start, min(end, today)))
    months = months_between(Month.of(start), Month.of(end))
    counts = [_dues(book, line, months) for line in book.lines] if book is not None else []
    due, paid, money = (sum(c[i] for c in counts) for i in range(3))
    return YearFacts(meetings_held=held, meetings_attended=held,
                     tasks=tuple(line for _who, line in _tasks(session, unit_id, start, end,
                                                               today)),
                     dues_months_due=due, dues_months_paid=paid, dues_amount_paid=money)
