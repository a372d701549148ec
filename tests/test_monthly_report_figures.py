"""The monthly report's figures (sotay_core.domain.monthly_report): built from plain inputs,
and their JSON form (round trip, unknown keys ignored, missing keys defaulted)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sotay_core.domain import monthly_report as mr
from sotay_core.domain import monthly_report_build as mb
from sotay_core.domain.dues import DuesBasis, DuesCategory, Month, Payment
from sotay_core.domain.dues_book import DuesBook, MemberDues, build_book
from sotay_core.domain.entities import (
    Attendance,
    EventKind,
    MemberEvent,
    MemberStatus,
    TaskStatus,
)
from sotay_core.domain.errors import ValidationError

MONTH = Month(2026, 3)
END = dt.date(2026, 3, 31)
D = dt.date


def _event(member: str, kind: EventKind, day: dt.date, seq: int = 0) -> MemberEvent:
    return MemberEvent(f"{member}-{kind}-{day}", member, kind, day, decision="", seq=seq)


def _people() -> list[mb.PersonInput]:
    return [
        mb.PersonInput("An", [_event("a", EventKind.ADMITTED, D(2000, 1, 5)),
                              _event("a", EventKind.MADE_OFFICIAL, D(2001, 1, 5))]),
        mb.PersonInput("Bình", [_event("b", EventKind.ADMITTED, D(2026, 3, 10))]),
        mb.PersonInput("Cúc", [_event("c", EventKind.ADMITTED, D(1990, 2, 1)),
                               _event("c", EventKind.MADE_OFFICIAL, D(1991, 2, 1)),
                               _event("c", EventKind.DECEASED, D(2026, 3, 20))]),
        mb.PersonInput("Dũng", [_event("d", EventKind.ADMITTED, D(2010, 4, 1)),
                                _event("d", EventKind.MADE_OFFICIAL, D(2011, 4, 1)),
                                _event("d", EventKind.EXEMPTED, D(2020, 1, 1))]),
        # an event after the month changes neither the changes nor the numbers
        mb.PersonInput("Em", [_event("e", EventKind.ADMITTED, D(2026, 4, 2))]),
    ]


def _meeting() -> mb.MeetingInput:
    marks = [mb.Mark("An", True, Attendance.PRESENT), mb.Mark("Bình", False, Attendance.PRESENT),
             mb.Mark("Cúc", True, Attendance.ABSENT_EXCUSED),
             mb.Mark("Dũng", True, Attendance.EXEMPTED),
             mb.Mark("Giang", True, Attendance.ABSENT_UNEXCUSED),
             mb.Mark("Hà", True, Attendance.PRESENT)]
    return mb.MeetingInput(D(2026, 3, 5), "Sinh hoạt chi bộ tháng 3 năm 2026", marks,
                           mr.ResolutionFigures("03-NQ/CB", "về nhiệm vụ tháng 3", True, 3, 0),
                           mr.ScoreFigures(88, "Tốt"))


def _book() -> DuesBook:
    basis = [(Month(2026, 1), DuesBasis(DuesCategory.OTHER, 10_000))]
    members = [MemberDues("a", "An", D(2000, 1, 5), bases=basis),
               MemberDues("g", "Giang", D(2005, 1, 5), bases=basis)]
    payments = [Payment("a", Month(2026, m), 10_000, D(2026, m, 5)) for m in (1, 2, 3)]
    payments.append(Payment("g", Month(2026, 1), 10_000, D(2026, 1, 5)))
    return build_book(members, payments, 2026, through=MONTH)


def _figures() -> mr.ReportFigures:
    tasks = [
        mb.TaskInput("Sửa đường", "An", D(2026, 3, 15), TaskStatus.DONE, D(2026, 3, 14)),
        mb.TaskInput("Thu quỹ", "Bình", D(2026, 3, 20), TaskStatus.IN_PROGRESS),
        mb.TaskInput("Trồng cây", "Hà", D(2026, 4, 30), TaskStatus.IN_PROGRESS),
        mb.TaskInput("Họp dân", "", D(2026, 3, 1), TaskStatus.CARRIED_OVER),
        mb.TaskInput("Cũ đã xong", "An", D(2026, 1, 1), TaskStatus.DONE, D(2026, 1, 2)),
    ]
    return mb.build_figures(MONTH, as_of=END, meeting=_meeting(), tasks=tasks, book=_book(),
                            people=_people(), number="02-BC/CB")


def test_meeting_attendance_and_vote() -> None:
    figures = _figures()
    assert figures.held
    meeting = figures.meeting
    assert meeting is not None and meeting.date == D(2026, 3, 5)
    a = meeting.attendance
    assert (a.present, a.absent_excused, a.absent_unexcused, a.exempted, a.away) == (3, 1, 1, 1, 0)
    assert a.called == 5
    # full members not exempted, not absent with a reason: An, Giang, Hà
    assert a.voting_base == 3
    assert a.absent_unexcused_names == ("Giang",)
    assert meeting.resolution is not None
    assert (meeting.resolution.number, meeting.resolution.votes_for,
            meeting.resolution.voting_base) == ("03-NQ/CB", 3, 3)
    assert figures.score == mr.ScoreFigures(88, "Tốt")


def test_tasks_done_overdue_in_progress() -> None:
    tasks = _figures().tasks
    assert (tasks.done, tasks.overdue, tasks.in_progress) == (1, 1, 1)
    assert tasks.overdue_list == (mr.TaskLine("Thu quỹ", "Bình", D(2026, 3, 20)),)


def test_tasks_judged_on_the_report_day_in_a_month_not_over() -> None:
    tasks = [mb.TaskInput("Thu quỹ", "Bình", D(2026, 3, 20), TaskStatus.IN_PROGRESS)]
    early = mb.task_figures(tasks, MONTH, D(2026, 3, 10))
    assert (early.overdue, early.in_progress) == (0, 1)


def test_dues_totals_and_unpaid_members() -> None:
    dues = _figures().dues
    assert dues.collected == 10_000 and dues.retained + dues.sent_up == dues.collected
    assert dues.payers == 1 and dues.owing == 2
    assert dues.unpaid == (mr.UnpaidMember("Giang", ("2026-02", "2026-03"), "warn"),)


def test_roster_changes_and_numbers_at_month_end() -> None:
    figures = _figures()
    assert [(c.name, c.kind, c.date) for c in figures.changes] == [
        ("Bình", EventKind.ADMITTED, D(2026, 3, 10)),
        ("Cúc", EventKind.DECEASED, D(2026, 3, 20))]
    assert figures.numbers == {MemberStatus.OFFICIAL: 1, MemberStatus.PROBATIONARY: 1,
                               MemberStatus.EXEMPTED: 1}
    assert figures.total_members == 3


def test_no_meeting_no_book() -> None:
    figures = mb.build_figures(MONTH, as_of=END)
    assert not figures.held and figures.score is None
    assert figures.dues == mr.DuesFigures() and figures.total_members == 0


def test_json_round_trip() -> None:
    figures = _figures()
    data = mr.to_dict(figures)
    assert data["version"] == mr.FIGURES_VERSION and data["month"] == "2026-03"
    again = mr.from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again == figures
    assert mr.to_dict(again) == data


def test_json_tolerates_unknown_and_missing_keys() -> None:
    data = mr.to_dict(_figures())
    data["from_the_future"] = {"x": 1}
    data["version"] = mr.FIGURES_VERSION + 1
    data["dues"]["new_total"] = 5
    data["changes"].append({"name": "X", "kind": "reborn", "date": "2026-03-02"})
    del data["tasks"]
    data["score"] = "not a dict"
    figures = mr.from_dict(data)
    assert figures.tasks == mr.TaskFigures()
    assert figures.score is None
    assert [c.name for c in figures.changes] == ["Bình", "Cúc"]
    assert figures.dues.collected == 10_000
    minimal = mr.from_dict({"month": "2026-03"})
    assert minimal == mr.ReportFigures(MONTH)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "26-3", "tháng 3", "2026/03"])
def test_bad_month_text_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        mr.parse_month(text)
    assert caught.value.code == "report.bad_month"
    assert text in caught.value.message("vi")


def test_future_month_refused() -> None:
    mr.check_month(Month(2026, 3), D(2026, 3, 1))
    with pytest.raises(ValidationError) as caught:
        mr.check_month(Month(2026, 4), D(2026, 3, 31))
    assert "04/2026" in caught.value.message("vi")
    assert mr.parse_month(" 2026-3 ") == MONTH and mr.last_day(Month(2028, 2)) == D(2028, 2, 29)
