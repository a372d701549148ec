"""The core's rules for Home's reminders of the secretary's year (issue 20): a candidate's
deadline shows from the window before it (boundary to the day) and stays once overdue; the
full-membership review is the member's own probation reminder, opening the candidate; the annual
review is reminded while a campaign is open or held and not sent, and from December when
the year has no campaign."""

from __future__ import annotations

import datetime as dt

import pytest

from sotay_core.domain.entities import EventKind, MemberEvent
from sotay_core.domain.reminders import (
    CampaignState,
    CandidateDeadline,
    MemberHistory,
    ReminderKind,
    ReminderRules,
    admission_reminders,
    reminders_for,
    review_reminders,
    with_candidates,
)

pytestmark = pytest.mark.server   # the core only

D = dt.date
TODAY = D(2026, 11, 22)
K = ReminderKind


def deadline(kind: ReminderKind, due: dt.date, cid: str = "c1",
             member: str = "") -> CandidateDeadline:
    return CandidateDeadline(kind, cid, f"Ứng viên {cid}", due, member)


def test_a_deadline_shows_from_the_window_before_it_and_stays_when_overdue() -> None:
    edge = TODAY + dt.timedelta(days=60)
    found = admission_reminders([deadline(K.CANDIDATE_CEREMONY, edge, "edge"),
                                 deadline(K.CANDIDATE_CEREMONY, edge + dt.timedelta(1), "far"),
                                 deadline(K.CANDIDATE_CERTIFICATE, TODAY - dt.timedelta(1),
                                          "late"),
                                 deadline(K.CANDIDATE_CERTIFICATE, TODAY, "today")], TODAY)
    assert [(r.ref, r.overdue) for r in found] == [("late", True), ("today", False),
                                                   ("edge", False)]
    assert found[0].full_name == "Ứng viên late" and found[0].member_id == ""
    wider = admission_reminders([deadline(K.CANDIDATE_CEREMONY, edge + dt.timedelta(1))],
                                TODAY, rules=ReminderRules(probation_window_days=61))
    assert len(wider) == 1


def test_the_full_membership_review_is_the_members_probation_reminder() -> None:
    admitted = MemberHistory("m1", "Hồ Ngọc Ơn", (
        MemberEvent("e1", "m1", EventKind.ADMITTED, D(2025, 12, 1)),))
    other = MemberHistory("m2", "Lê Thị Dự", (
        MemberEvent("e2", "m2", EventKind.ADMITTED, D(2025, 12, 10)),))
    own = reminders_for([admitted, other], TODAY)
    assert [(r.kind, r.member_id, r.ref) for r in own] == [(K.PROBATION, "m1", ""),
                                                          (K.PROBATION, "m2", "")]
    year = admission_reminders([deadline(K.CANDIDATE_OFFICIAL, D(2027, 1, 12), "c1", "m1"),
                                deadline(K.CANDIDATE_CEREMONY, TODAY, "c2")], TODAY)
    joined, rest = with_candidates(own, year)
    # one line for m1: its probation reminder (day and words kept), opening candidate c1
    assert [(r.kind, r.member_id, r.ref, r.due) for r in joined] == [
        (K.PROBATION, "m1", "c1", D(2026, 12, 1)), (K.PROBATION, "m2", "", D(2026, 12, 10))]
    assert [(r.kind, r.ref) for r in rest] == [(K.CANDIDATE_CEREMONY, "c2")]
    # a member with no probation reminder of their own keeps the candidate's
    joined, rest = with_candidates([], year)
    assert joined == [] and [r.kind for r in rest] == [K.CANDIDATE_CEREMONY,
                                                       K.CANDIDATE_OFFICIAL]


def campaign(status: str, year: int = 2026, quarter: int = 0) -> CampaignState:
    ref = f"{year}-q{quarter}" if quarter else str(year)
    end = D(year, 12, 31) if not quarter else D(year, 3 * quarter, 30 if quarter in (2, 3)
                                                else 31)
    return CampaignState(ref, year, f"Năm {year}", end, status, whole_year=not quarter)


def test_an_open_or_held_campaign_is_reminded_until_it_is_sent() -> None:
    found = review_reminders([campaign("open")], TODAY, year_label="Năm 2026")
    assert [(r.kind, r.due, r.overdue, r.ref, r.years) for r in found] == [
        (K.REVIEW_NOT_HELD, D(2026, 12, 31), False, "2026", 2026)]
    held = review_reminders([campaign("held")], TODAY, year_label="Năm 2026")
    assert [r.kind for r in held] == [K.REVIEW_NOT_SENT]
    assert review_reminders([campaign("sent")], TODAY, year_label="Năm 2026") == []
    # last year's campaign never held: overdue, and this year's is still reminded apart
    both = review_reminders([campaign("open", 2025), campaign("open", 2026, 3)], TODAY,
                            year_label="Năm 2026")
    assert [(r.ref, r.overdue) for r in both] == [("2025", True), ("2026-q3", True)]


def test_from_december_a_year_without_a_campaign_is_reminded() -> None:
    assert review_reminders([], D(2026, 11, 30), year_label="Năm 2026") == []
    [first] = review_reminders([], D(2026, 12, 1), year_label="Năm 2026")
    assert (first.kind, first.due, first.full_name, first.ref) == (
        K.REVIEW_NOT_OPENED, D(2026, 12, 31), "Năm 2026", "2026")
    # a quarter's campaign is not the year's; a sent year's is
    quarter = review_reminders([campaign("sent", 2026, 4)], D(2026, 12, 1),
                               year_label="Năm 2026")
    assert [r.kind for r in quarter] == [K.REVIEW_NOT_OPENED]
    assert review_reminders([campaign("sent")], D(2026, 12, 1), year_label="Năm 2026") == []
    early = review_reminders([], D(2026, 11, 1), year_label="Năm 2026",
                             rules=ReminderRules(review_month=11))
    assert [r.kind for r in early] == [K.REVIEW_NOT_OPENED]
