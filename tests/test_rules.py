from __future__ import annotations

import datetime as dt

import pytest

from sotay_core.domain.dates import add_months, parse_date, whole_years
from sotay_core.domain.entities import Attendance, EventKind, MemberEvent
from sotay_core.domain.rules import (
    CommitteeTerm,
    DocumentNumber,
    Voter,
    VotingRules,
    badges_in_year,
    is_adopted,
    majority_needed,
    next_badge,
    next_document_number,
    parse_document_number,
    party_age,
    probation_end,
    two_thirds_needed,
    voting_base,
)

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

D = dt.date


def ev(kind: EventKind, day: dt.date, seq: int = 0) -> MemberEvent:
    return MemberEvent(f"{kind}-{day}", "m", kind, day, seq=seq)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),    # leap February
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),   # leap day anniversary
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2025, 12, 31), 2, D(2026, 2, 28)),   # year end
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
    (D(2026, 5, 15), 12, D(2027, 5, 15)),
])
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def test_probation_end_is_twelve_months_and_configurable() -> None:
    assert probation_end(D(2025, 3, 15)) == D(2026, 3, 15)
    assert probation_end(D(2024, 2, 29)) == D(2025, 2, 28)
    assert probation_end(D(2025, 8, 31), months=18) == D(2027, 2, 28)


def test_whole_years_around_leap_days() -> None:
    assert whole_years(D(2000, 2, 29), D(2030, 2, 27)) == 29
    assert whole_years(D(2000, 2, 29), D(2030, 2, 28)) == 30


def test_parse_date_accepts_iso_and_vietnamese_order_and_rejects_nonsense() -> None:
    assert parse_date("2026-03-05") == D(2026, 3, 5)
    assert parse_date("05/03/2026") == D(2026, 3, 5)
    for bad in ("2026-02-30", "31/02/2026", "2026-3-5", "hôm qua", "05/03/26"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_party_age_counts_from_admission_once_official() -> None:
    history = [ev(EventKind.ADMITTED, D(1996, 2, 3)), ev(EventKind.MADE_OFFICIAL, D(1997, 2, 3))]
    assert party_age(history[:1], D(1996, 12, 1)) is None  # still probationary
    age = party_age(history, D(2026, 2, 3))
    assert age is not None and age.years == 30 and age.gap_days == 0
    assert party_age(history, D(2026, 2, 2)).years == 29  # type: ignore[union-attr]


def test_party_age_subtracts_time_outside_the_party() -> None:
    history = [
        ev(EventKind.ADMITTED, D(1980, 1, 1)),
        ev(EventKind.MADE_OFFICIAL, D(1981, 1, 1)),
        ev(EventKind.STRUCK_OFF, D(1990, 1, 1)),
        ev(EventKind.ADMITTED, D(1992, 1, 1)),   # re-admitted: two years (730 days) outside
        ev(EventKind.MADE_OFFICIAL, D(1993, 1, 1)),
    ]
    age = party_age(history, D(2026, 1, 1))
    assert age is not None
    assert age.gap_days == 730
    # the gap is subtracted in days; 1980 was a leap year, so the start lands on 31 Dec 1981
    assert age.start == D(1981, 12, 31)
    assert age.years == 44


def test_party_age_stops_at_death() -> None:
    history = [ev(EventKind.ADMITTED, D(1970, 5, 19)), ev(EventKind.MADE_OFFICIAL, D(1971, 5, 19)),
               ev(EventKind.DECEASED, D(2000, 5, 18))]
    assert party_age(history, D(2026, 1, 1)).years == 29  # type: ignore[union-attr]


def test_next_badge_and_badges_in_year() -> None:
    history = [ev(EventKind.ADMITTED, D(1976, 9, 2)), ev(EventKind.MADE_OFFICIAL, D(1977, 9, 2))]
    badge = next_badge(history, D(2026, 11, 22))
    assert badge is not None and badge.years == 55 and badge.reached_on == D(2031, 9, 2)
    assert [b.years for b in badges_in_year(history, 2026)] == [50]
    assert badges_in_year(history, 2027) == []
    # a leap-day admission reaches its milestones on 28 February
    leap = [ev(EventKind.ADMITTED, D(1996, 2, 29)), ev(EventKind.MADE_OFFICIAL, D(1997, 3, 1))]
    assert next_badge(leap, D(2026, 1, 1)).reached_on == D(2026, 2, 28)  # type: ignore[union-attr]


def test_no_future_badges_after_death_or_removal() -> None:
    history = [ev(EventKind.ADMITTED, D(1976, 9, 2)), ev(EventKind.MADE_OFFICIAL, D(1977, 9, 2)),
               ev(EventKind.DECEASED, D(2020, 1, 1))]
    assert next_badge(history, D(2026, 1, 1)) is None
    assert [b.years for b in badges_in_year(history, 2016)] == [40]


def test_voting_base_excludes_the_listed_categories() -> None:
    voters = [
        Voter("1", True, Attendance.PRESENT),
        Voter("2", True, Attendance.PRESENT),
        Voter("3", True, Attendance.ABSENT_UNEXCUSED),   # counts: absent without reason
        Voter("4", True, Attendance.ABSENT_EXCUSED),     # excluded
        Voter("5", True, Attendance.EXEMPTED),           # excluded: exempted, not attending
        Voter("6", True, Attendance.AWAY),               # excluded: temporarily away
        Voter("7", True, Attendance.PRESENT, suspended=True),
        Voter("8", True, Attendance.PRESENT, detained=True),
        Voter("9", False, Attendance.PRESENT),           # probationary: no vote
    ]
    assert voting_base(voters) == 3
    assert voting_base(voters, VotingRules(exclude_absent_excused=False)) == 4
    assert voting_base(voters, VotingRules(probationary_vote=True)) == 4


def test_exempted_member_who_attends_counts() -> None:
    # an exempted member who comes is marked present and is in the base
    assert voting_base([Voter("1", True, Attendance.PRESENT)]) == 1


@pytest.mark.parametrize(("base", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (9, 5), (10, 6)])
def test_majority_is_more_than_half(base: int, needed: int) -> None:
    assert majority_needed(base) == needed
    assert is_adopted(needed, base)
    assert not is_adopted(needed - 1, base)


def test_nothing_is_adopted_with_an_empty_base() -> None:
    assert not is_adopted(0, 0)


@pytest.mark.parametrize(("members", "needed"), [(3, 2), (9, 6), (10, 7), (12, 8)])
def test_two_thirds(members: int, needed: int) -> None:
    assert two_thirds_needed(members) == needed


def test_document_number_format_and_parse() -> None:
    number = DocumentNumber(5, "NQ", "CB")
    assert str(number) == "05-NQ/CB"
    assert number.with_prefix == "Số 05-NQ/CB"
    assert parse_document_number("Số 05-NQ/CB") == number
    assert parse_document_number("số: 112 - QĐ/ĐU") == DocumentNumber(112, "QĐ", "ĐU")
    assert parse_document_number("Nghị quyết tháng 3") is None


def test_numbering_runs_per_type_per_term_not_per_year() -> None:
    terms = [CommitteeTerm(D(2022, 7, 1), D(2025, 7, 14)), CommitteeTerm(D(2025, 7, 15))]
    issued = [
        (D(2025, 3, 5), "14-NQ/CB"),    # previous term
        (D(2025, 8, 5), "01-NQ/CB"),
        (D(2025, 12, 5), "05-NQ/CB"),
        (D(2026, 1, 5), "06-NQ/CB"),    # new year, same term: keeps counting
        (D(2026, 1, 5), "03-BC/CB"),    # another type
        (D(2026, 1, 5), "09-NQ/ĐU"),    # another body
    ]
    nxt = next_document_number(issued, type_code="NQ", body_symbol="CB", on=D(2026, 3, 5),
                               terms=terms)
    assert str(nxt) == "07-NQ/CB"
    first_bc = next_document_number(issued, type_code="KH", body_symbol="CB", on=D(2026, 3, 5),
                                    terms=terms)
    assert str(first_bc) == "01-KH/CB"
    old_term = next_document_number(issued, type_code="NQ", body_symbol="CB", on=D(2025, 4, 1),
                                    terms=terms)
    assert str(old_term) == "15-NQ/CB"
