"""The monthly report to the commune (báo cáo tháng): the month's figures, computed purely.

``monthly_report_build.build_figures`` turns plain inputs (the month's monthly meeting as
marks and votes, the resolution's tasks, the year's dues book, each member's events, the
meeting's score) into one frozen ``ReportFigures``; ``to_dict``/``from_dict`` are its JSON
form, stored in ``monthly_reports.figures`` and sent to the province. The form is versioned
(``FIGURES_VERSION``) and read tolerantly: unknown keys are ignored and missing ones take
their defaults, so a newer PC's report still opens on an older one and the province reads
what it knows.

Conventions:

- The month's meeting is its first *monthly* meeting (a second one is rare and the first is
  the one the commune counts); no meeting: ``meeting is None`` ("not held").
- Tasks are judged on ``as_of``, the month's last day (or the day the report is made, if
  earlier): done = status done with ``done_on`` in the month; overdue = not done nor carried
  over and due before ``as_of``; in progress = status in progress and not overdue.
- Dues: the book's totals for the month; the unpaid members are those owing this month, or
  flagged (2 or 3 unpaid months in the year up to this month).
- Roster changes are the member events dated in the month; party numbers are each member's
  status at the end of ``as_of`` (``lifecycle.state_on``), counted for those on the roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sotay_core.domain import month_text
from sotay_core.domain.dues import Month
from sotay_core.domain.entities import (
    EventKind,
    MemberStatus,
    stored,
)
from sotay_core.domain.errors import DomainError, ValidationError

FIGURES_VERSION = 1
# Statuses counted in the party numbers (đảng số), in the order the paper lists them, then
# members attending here temporarily (not in the branch's numbers, shown apart).
NUMBER_STATUSES = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPTED,
                   MemberStatus.AWAY)


def parse_month(text: str) -> Month:
    """``"2026-02"`` or ``"02/2026"`` -> Month(2026, 2) (``month_text``, as every command
    reads a month); anything else is refused naming the text."""
    try:
        return month_text.parse_month(text)
    except DomainError:
        raise ValidationError("report.bad_month", value=text) from None


def last_day(month: Month) -> dt.date:
    return month.plus(1).first_day - dt.timedelta(days=1)


def check_month(month: Month, today: dt.date) -> None:
    """A report is for a month that has begun: a future month is refused."""
    if month.first_day > today:
        raise ValidationError("report.future_month", month=str(month),
                              today=today.strftime("%d/%m/%Y"))


# --- the figures ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttendanceFigures:
    present: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0
    exempted: int = 0
    away: int = 0
    voting_base: int = 0
    absent_excused_names: tuple[str, ...] = ()
    absent_unexcused_names: tuple[str, ...] = ()

    @property
    def called(self) -> int:
        """Members called to the meeting (not exempted, not away)."""
        return self.present + self.absent_excused + self.absent_unexcused


@dataclass(frozen=True, slots=True)
class ResolutionFigures:
    number: str
    title: str
    adopted: bool
    votes_for: int | None = None
    votes_against: int | None = None
    voting_base: int = 0


@dataclass(frozen=True, slots=True)
class MeetingFigures:
    date: dt.date
    title: str
    attendance: AttendanceFigures = field(default_factory=AttendanceFigures)
    resolution: ResolutionFigures | None = None


@dataclass(frozen=True, slots=True)
class TaskLine:
    text: str
    person: str = ""
    due_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TaskFigures:
    done: int = 0
    overdue: int = 0
    in_progress: int = 0
    overdue_list: tuple[TaskLine, ...] = ()


@dataclass(frozen=True, slots=True)
class UnpaidMember:
    name: str
    months: tuple[str, ...]        # "YYYY-MM", the year's unpaid months up to this month
    flag: str = ""                 # "" / "warn" (2 months) / "strike_off" (3 or more)


@dataclass(frozen=True, slots=True)
class DuesFigures:
    collected: int = 0
    retained: int = 0
    sent_up: int = 0
    payers: int = 0
    owing: int = 0                 # members with dues for the month
    unpaid: tuple[UnpaidMember, ...] = ()


@dataclass(frozen=True, slots=True)
class RosterChange:
    name: str
    kind: EventKind
    date: dt.date
    detail: str = ""               # the decision or the place, when recorded


@dataclass(frozen=True, slots=True)
class ScoreFigures:
    total: int
    grade: str = ""


@dataclass(frozen=True, slots=True)
class ReportFigures:
    month: Month
    meeting: MeetingFigures | None = None
    tasks: TaskFigures = field(default_factory=TaskFigures)
    dues: DuesFigures = field(default_factory=DuesFigures)
    changes: tuple[RosterChange, ...] = ()
    score: ScoreFigures | None = None
    numbers: Mapping[MemberStatus, int] = field(default_factory=dict)
    temporary: int = 0             # attending here temporarily (not in the numbers)
    number: str = ""               # the paper's number, "03-BC/CB" (kept on regenerate)

    @property
    def held(self) -> bool:
        return self.meeting is not None

    @property
    def total_members(self) -> int:
        return sum(self.numbers.get(status, 0) for status in NUMBER_STATUSES)


# --- JSON form -------------------------------------------------------------------------------


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _int(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _dict(data: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    value = data.get(key)
    return value if isinstance(value, dict) else None


def _dicts(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _strs(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def to_dict(figures: ReportFigures) -> dict[str, Any]:
    meeting: dict[str, Any] | None = None
    if figures.meeting is not None:
        m, a, r = figures.meeting, figures.meeting.attendance, figures.meeting.resolution
        meeting = {
            "date": m.date.isoformat(), "title": m.title,
            "attendance": {"present": a.present, "absent_excused": a.absent_excused,
                           "absent_unexcused": a.absent_unexcused, "exempted": a.exempted,
                           "away": a.away, "voting_base": a.voting_base,
                           "absent_excused_names": list(a.absent_excused_names),
                           "absent_unexcused_names": list(a.absent_unexcused_names)},
            "resolution": None if r is None else {
                "number": r.number, "title": r.title, "adopted": r.adopted,
                "votes_for": r.votes_for, "votes_against": r.votes_against,
                "voting_base": r.voting_base}}
    t, d = figures.tasks, figures.dues
    return {
        "version": FIGURES_VERSION, "month": figures.month.key, "number": figures.number,
        "meeting": meeting,
        "tasks": {"done": t.done, "overdue": t.overdue, "in_progress": t.in_progress,
                  "overdue_list": [{"text": line.text, "person": line.person,
                                    "due_on": line.due_on.isoformat() if line.due_on else None}
                                   for line in t.overdue_list]},
        "dues": {"collected": d.collected, "retained": d.retained, "sent_up": d.sent_up,
                 "payers": d.payers, "owing": d.owing,
                 "unpaid": [{"name": u.name, "months": list(u.months), "flag": u.flag}
                            for u in d.unpaid]},
        "changes": [{"name": c.name, "kind": c.kind.value, "date": c.date.isoformat(),
                     "detail": c.detail} for c in figures.changes],
        "score": None if figures.score is None else {"total": figures.score.total,
                                                     "grade": figures.score.grade},
        "numbers": {status.value: figures.numbers.get(status, 0) for status in NUMBER_STATUSES},
        "temporary": figures.temporary,
        "total_members": figures.total_members,
    }


def _meeting(data: dict[str, Any] | None) -> MeetingFigures | None:
    day = _date(data.get("date")) if data else None
    if data is None or day is None:
        return None
    a = _dict(data, "attendance") or {}
    attendance = AttendanceFigures(
        _int(a, "present"), _int(a, "absent_excused"), _int(a, "absent_unexcused"),
        _int(a, "exempted"), _int(a, "away"), _int(a, "voting_base"),
        _strs(a, "absent_excused_names"), _strs(a, "absent_unexcused_names"))
    r = _dict(data, "resolution")
    resolution = None if r is None else ResolutionFigures(
        _str(r, "number"), _str(r, "title"), r.get("adopted") is True,
        _opt_int(r, "votes_for"), _opt_int(r, "votes_against"), _int(r, "voting_base"))
    return MeetingFigures(day, _str(data, "title"), attendance, resolution)


def from_dict(data: Mapping[str, Any]) -> ReportFigures:
    """The figures from their JSON form; unknown keys are ignored, missing ones default.
    Only a missing or bad month is refused (a report without its month means nothing)."""
    month = parse_month(_str(data, "month"))
    t = _dict(data, "tasks") or {}
    tasks = TaskFigures(_int(t, "done"), _int(t, "overdue"), _int(t, "in_progress"), tuple(
        TaskLine(_str(x, "text"), _str(x, "person"), _date(x.get("due_on")))
        for x in _dicts(t, "overdue_list")))
    d = _dict(data, "dues") or {}
    dues = DuesFigures(_int(d, "collected"), _int(d, "retained"), _int(d, "sent_up"),
                       _int(d, "payers"), _int(d, "owing"), tuple(
        UnpaidMember(_str(u, "name"), _strs(u, "months"), _str(u, "flag"))
        for u in _dicts(d, "unpaid")))
    changes = []
    for c in _dicts(data, "changes"):
        kind, day = stored(EventKind, c.get("kind")), _date(c.get("date"))
        if kind is not None and day is not None:   # a kind this version does not know: left out
            changes.append(RosterChange(_str(c, "name"), kind, day, _str(c, "detail")))
    s = _dict(data, "score")
    n = _dict(data, "numbers") or {}
    numbers = {status: _int(n, status.value) for status in NUMBER_STATUSES
               if _int(n, status.value)}
    return ReportFigures(
        month=month, meeting=_meeting(_dict(data, "meeting")), tasks=tasks, dues=dues,
        changes=tuple(changes),
        score=None if s is None else ScoreFigures(_int(s, "total"), _str(s, "grade")),
        numbers=numbers, temporary=_int(data, "temporary"), number=_str(data, "number"))
