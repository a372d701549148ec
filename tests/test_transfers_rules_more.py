"""Transfers in the core beyond the letter itself: the deadline as a setting (working or
calendar days, holidays, leap years), and a member admitted at another branch who arrives
here, counted from the arrival (``lifecycle.admitted_elsewhere``) — in the status, in
``state_on`` and in the dues book."""

from __future__ import annotations

import datetime as dt

import pytest

from sotay_core.domain.dues import DuesBasis, DuesCategory, Month, Payment, PaymentChannel
from sotay_core.domain.dues_book import MemberDues, build_book
from sotay_core.domain.dues_records import membership
from sotay_core.domain.entities import EventKind, MemberEvent, MemberStatus
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.lifecycle import admitted_elsewhere, check_history, state_on
from sotay_core.domain.transfers import (
    DEFAULT_TRANSFER_RULES,
    TransferRules,
    deadline,
    rules_from_json,
    rules_to_json,
)

pytestmark = pytest.mark.server
D = dt.date


def ev(kind: EventKind, day: dt.date, seq: int = 0) -> MemberEvent:
    return MemberEvent(f"{kind.value}-{day}", "m", kind, day, seq=seq)


# --- the deadline ------------------------------------------------------------------------


def test_default_is_thirty_working_days_weekends_skipped() -> None:
    assert DEFAULT_TRANSFER_RULES.working_days
    # Mon 2 Nov 2026 + 30 working days = six weeks later, Mon 14 Dec 2026
    assert deadline(D(2026, 11, 2)) == D(2026, 12, 14)
    # issued on a Saturday: the first working day counted is the Monday
    assert deadline(D(2026, 11, 7), TransferRules(1)) == D(2026, 11, 9)


def test_calendar_days_and_leap_years() -> None:
    calendar = TransferRules(30, working_days=False)
    assert deadline(D(2028, 2, 1), calendar) == D(2028, 3, 2)     # 29 days in February 2028
    assert deadline(D(2027, 2, 1), calendar) == D(2027, 3, 3)
    assert deadline(D(2028, 2, 28), TransferRules(1, working_days=False)) == D(2028, 2, 29)
    # working days across 29/2/2028 (a Tuesday): it is one of them
    assert deadline(D(2028, 2, 28), TransferRules(1)) == D(2028, 2, 29)


def test_holidays_are_not_working_days() -> None:
    tet = frozenset({D(2027, 2, 8), D(2027, 2, 9)})
    plain = deadline(D(2027, 2, 5), TransferRules(2))
    assert plain == D(2027, 2, 9)
    assert deadline(D(2027, 2, 5), TransferRules(2, holidays=tet)) == D(2027, 2, 11)


def test_rules_round_trip_and_bad_values_refused() -> None:
    rules = TransferRules(45, working_days=False, holidays=frozenset({D(2027, 2, 8)}))
    assert rules_from_json(rules_to_json(rules)) == rules
    assert rules_from_json('{"present_within_days": 20, "later_key": 1}') == TransferRules(20)
    for bad in ('[]', '{"present_within_days": "30"}', '{"holidays": ["31/02/2027"]}', "x"):
        with pytest.raises(ValidationError) as caught:
            rules_from_json(bad)
        assert caught.value.code == "transfer.bad_rules"
    with pytest.raises(ValidationError) as zero:
        TransferRules(0)
    assert zero.value.code == "transfer.bad_days"


# --- admitted elsewhere, then arrived ------------------------------------------------------

ADMITTED, OFFICIAL, ARRIVED = D(2015, 3, 1), D(2016, 3, 1), D(2026, 11, 20)


def arrival(kind: EventKind = EventKind.TRANSFERRED_IN) -> list[MemberEvent]:
    return [ev(EventKind.ADMITTED, ADMITTED), ev(EventKind.MADE_OFFICIAL, OFFICIAL),
            ev(kind, ARRIVED)]


def test_an_official_arrival_counts_from_the_day_it_was_presented() -> None:
    events = arrival()
    assert admitted_elsewhere(events) == [True, False, False]
    state = check_history(events)
    assert state.status is MemberStatus.OFFICIAL and state.joined_on == ARRIVED
    assert state.first_admitted_on == ADMITTED
    before = state_on(events, ARRIVED - dt.timedelta(days=1)).status
    assert before is MemberStatus.TRANSFERRED_OUT and not before.on_roster
    assert state_on(events, ARRIVED).status.on_roster


def test_a_temporary_arrival_is_not_in_the_party_numbers_here() -> None:
    events = arrival(EventKind.TEMP_IN)
    state = check_history(events)
    assert state.status is MemberStatus.TEMPORARY and not state.status.on_roster
    ended = check_history([*events, ev(EventKind.TEMP_IN_ENDED, D(2027, 5, 2))])
    assert ended.status is MemberStatus.TRANSFERRED_OUT
    # then transferred here officially: on the roster from that day
    moved = check_history([*events, ev(EventKind.TRANSFERRED_IN, D(2027, 5, 2))])
    assert moved.status is MemberStatus.OFFICIAL and moved.joined_on == D(2027, 5, 2)


def test_an_admission_here_stays_here_whatever_comes_later() -> None:
    here = [ev(EventKind.ADMITTED, ADMITTED), ev(EventKind.TEMP_OUT, D(2020, 1, 1)),
            ev(EventKind.RETURNED, D(2020, 6, 1)), ev(EventKind.TRANSFERRED_OUT, D(2024, 1, 1)),
            ev(EventKind.TRANSFERRED_IN, D(2025, 1, 1))]
    assert not any(admitted_elsewhere(here))
    assert state_on(here, D(2016, 1, 1)).status is MemberStatus.PROBATIONARY
    assert check_history(here).joined_on == ADMITTED
    # a member who transferred out and comes back for a while is "temporary", not "left"
    back = [*here[:4], ev(EventKind.TEMP_IN, D(2025, 1, 1))]
    assert check_history(back).status is MemberStatus.TEMPORARY


def test_a_roster_event_before_the_arrival_makes_the_admission_one_of_here() -> None:
    events = [*arrival()[:2], ev(EventKind.TEMP_OUT, D(2020, 1, 1)),
              ev(EventKind.RETURNED, D(2020, 6, 1)), ev(EventKind.TRANSFERRED_IN, ARRIVED)]
    assert not any(admitted_elsewhere(events))
    assert check_history(events).joined_on == ADMITTED


def test_dues_are_owed_here_from_the_month_of_arrival() -> None:
    admitted, joined, left, status = membership(arrival())
    assert (admitted, joined, left, status) == (ADMITTED, ARRIVED, None, MemberStatus.OFFICIAL)
    member = MemberDues("m", "An", admitted or ADMITTED, left,
                        ((Month(2000, 1), DuesBasis(DuesCategory.OTHER, 10_000)),),
                        joined_on=joined)
    other = MemberDues("o", "Bình", D(2000, 1, 5),
                       bases=((Month(2000, 1), DuesBasis(DuesCategory.OTHER, 10_000)),))
    paid = [Payment("o", Month(2026, m), 10_000, D(2026, m, 5), PaymentChannel.CASH)
            for m in range(1, 12)]
    book = build_book([member, other], paid, 2026, through=Month(2026, 12))
    line = book.lines[0]
    assert [c.due for c in line.cells[:10]] == [0] * 10
    assert line.cell(Month(2026, 11)).due == 10_000
    assert line.unpaid == (Month(2026, 11), Month(2026, 12))   # not January to October
    # temporarily here: on no book of this branch
    assert membership(arrival(EventKind.TEMP_IN))[1] is None


def test_the_fitting_fold_reads_an_arrival_too() -> None:
    from sotay_core.domain.lifecycle import fold_fitting

    events = [*arrival(EventKind.TEMP_IN), ev(EventKind.RETURNED, D(2026, 12, 1))]  # no fit
    assert fold_fitting(events).status is MemberStatus.TEMPORARY
    assert fold_fitting(events, until=ARRIVED - dt.timedelta(days=1)).status \
        is MemberStatus.TRANSFERRED_OUT
