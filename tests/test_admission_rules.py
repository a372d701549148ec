"""The admission pipeline's pure rules (sotay_core/domain/admission.py) at every boundary:
age to the day and 29 Feb birthdays, sponsors' official status and party age, the training
certificate, the branch majority, the ceremony deadline in working days and 12 months'
probation to the day."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pytest

from sotay_core.domain import admission
from sotay_core.domain.admission import (
    AdmissionRules,
    Step,
    add_working_days,
    check_candidate_age,
    check_ceremony,
    check_certificate,
    check_official_resolution,
    check_resolution_votes,
    check_sponsor,
)
from sotay_core.domain.entities import EventKind, MemberEvent
from sotay_core.domain.errors import ValidationError

pytestmark = pytest.mark.server

D = dt.date


@contextlib.contextmanager
def refused(code: str) -> Iterator[None]:
    """The block is refused with ``code``, and the message reads with every placeholder."""
    with pytest.raises(ValidationError) as caught:
        yield
    assert caught.value.code == code
    for lang in ("vi", "en"):
        message = caught.value.message(lang)
        assert message and "{" not in message


def events(*pairs: tuple[EventKind, dt.date]) -> list[MemberEvent]:
    return [MemberEvent(f"e{i}", "m1", kind, day) for i, (kind, day) in enumerate(pairs)]


# --- age --------------------------------------------------------------------------------


def test_eighteen_years_to_the_day_is_allowed_one_day_short_refused() -> None:
    check_candidate_age("Lê Văn An", D(2008, 3, 15), D(2026, 3, 15))
    with refused("admission.too_young"):
        check_candidate_age("Lê Văn An", D(2008, 3, 15), D(2026, 3, 14))


def test_born_on_29_february_comes_of_age_on_28_february_in_a_common_year() -> None:
    check_candidate_age("Trần Thị Bình", D(2008, 2, 29), D(2026, 2, 28))
    with refused("admission.too_young"):
        check_candidate_age("Trần Thị Bình", D(2008, 2, 29), D(2026, 2, 27))
    # In a leap year the birthday is 29 Feb itself.
    check_candidate_age("Trần Thị Bình", D(2008, 2, 29), D(2028, 2, 29))
    with refused("admission.too_young"):
        check_candidate_age("Trần Thị Bình", D(2010, 2, 28), D(2028, 2, 27))
    check_candidate_age("Trần Thị Bình", D(2010, 2, 28), D(2028, 2, 28))


def test_over_the_upper_age_needs_consent_and_none_means_no_limit() -> None:
    check_candidate_age("Phạm Văn Cư", D(1966, 6, 1), D(2026, 6, 1))     # exactly 60
    with refused("admission.too_old"):
        check_candidate_age("Phạm Văn Cư", D(1966, 6, 1), D(2026, 6, 2))
    check_candidate_age("Phạm Văn Cư", D(1966, 6, 1), D(2026, 6, 2), over_limit_approved=True)
    check_candidate_age("Phạm Văn Cư", D(1940, 6, 1), D(2026, 6, 2),
                        rules=AdmissionRules(maximum_age=None))


# --- certificate ------------------------------------------------------------------------


def test_training_certificate_valid_to_the_day_before_its_expiry() -> None:
    issued = D(2021, 5, 10)
    assert admission.certificate_expires(issued) == D(2026, 5, 10)
    check_certificate("Lê Văn An", issued, D(2026, 5, 9))
    with refused("admission.certificate_expired"):
        check_certificate("Lê Văn An", issued, D(2026, 5, 10))
    with refused("admission.certificate_future"):
        check_certificate("Lê Văn An", issued, D(2021, 5, 9))
    check_certificate("Lê Văn An", issued, D(2027, 1, 1),
                      AdmissionRules(certificate_valid_months=72))


# --- sponsors ---------------------------------------------------------------------------


def test_sponsor_on_probation_is_refused() -> None:
    history = events((EventKind.ADMITTED, D(2026, 1, 10)))
    with refused("admission.sponsor_probationary"):
        check_sponsor("Nguyễn Văn Dũng", history, D(2026, 6, 1))
    with refused("admission.sponsor_not_member"):
        check_sponsor("Nguyễn Văn Dũng", history, D(2025, 6, 1))


def test_sponsor_party_age_exactly_n_years_allowed_one_day_short_refused() -> None:
    history = events((EventKind.ADMITTED, D(2022, 3, 1)), (EventKind.MADE_OFFICIAL, D(2023, 3, 1)))
    rules = AdmissionRules(sponsor_min_party_years=3)
    check_sponsor("Nguyễn Văn Dũng", history, D(2025, 3, 1), rules=rules)
    with refused("admission.sponsor_party_age"):
        check_sponsor("Nguyễn Văn Dũng", history, D(2025, 2, 28), rules=rules)
    # Default: one year, which an official member always has.
    check_sponsor("Nguyễn Văn Dũng", history, D(2023, 3, 1))


def test_sponsor_party_age_subtracts_time_outside_the_party() -> None:
    history = events((EventKind.ADMITTED, D(2010, 1, 1)), (EventKind.MADE_OFFICIAL, D(2011, 1, 1)),
                     (EventKind.STRUCK_OFF, D(2012, 1, 1)), (EventKind.ADMITTED, D(2020, 1, 1)),
                     (EventKind.MADE_OFFICIAL, D(2021, 1, 1)))
    rules = AdmissionRules(sponsor_min_party_years=5)
    check_sponsor("Hoàng Thị Em", history, D(2023, 1, 1), rules=rules)  # 2 + 3 years
    with refused("admission.sponsor_party_age"):
        check_sponsor("Hoàng Thị Em", history, D(2022, 12, 31), rules=rules)


def test_sponsor_must_have_worked_with_the_candidate_twelve_months() -> None:
    history = events((EventKind.ADMITTED, D(2000, 1, 1)), (EventKind.MADE_OFFICIAL, D(2001, 1, 1)))
    check_sponsor("Nguyễn Văn Dũng", history, D(2026, 4, 30), together_since=D(2025, 4, 30))
    with refused("admission.sponsor_together"):
        check_sponsor("Nguyễn Văn Dũng", history, D(2026, 4, 29), together_since=D(2025, 4, 30))
    with refused("admission.too_few_sponsors"):
        admission.check_sponsor_count("Lê Văn An", 1)
    admission.check_sponsor_count("Lê Văn An", 2)


# --- majority ---------------------------------------------------------------------------


def test_two_thirds_of_official_members_by_default() -> None:
    assert admission.votes_needed(9) == 6
    assert admission.votes_needed(10) == 7
    check_resolution_votes("Lê Văn An", 6, 9)
    with refused("admission.no_majority"):
        check_resolution_votes("Lê Văn An", 5, 9)
    with refused("admission.bad_votes"):
        check_resolution_votes("Lê Văn An", 10, 9)
    with refused("admission.bad_votes"):
        check_resolution_votes("Lê Văn An", 0, 0)


def test_more_than_half_setting_refuses_exact_half() -> None:
    half = AdmissionRules(majority_numerator=1, majority_denominator=2, majority_strict=True)
    with refused("admission.no_majority"):
        check_resolution_votes("Lê Văn An", 5, 10, half)
    check_resolution_votes("Lê Văn An", 6, 10, half)
    assert admission.votes_needed(7, half) == 4


# --- working days and the ceremony ------------------------------------------------------


def test_working_days_skip_weekends_and_holidays() -> None:
    friday = D(2026, 12, 4)
    assert add_working_days(friday, 1) == D(2026, 12, 7)         # Monday
    assert add_working_days(friday, 5) == D(2026, 12, 11)        # next Friday
    assert add_working_days(D(2026, 12, 5), 1) == D(2026, 12, 7)  # from a Saturday
    assert add_working_days(friday, 0) == friday
    holiday = D(2026, 12, 7)
    assert add_working_days(friday, 1, [holiday]) == D(2026, 12, 8)
    assert add_working_days(D(2026, 12, 1), 30) == D(2027, 1, 12)
    with pytest.raises(ValueError):
        add_working_days(friday, -1)


def test_ceremony_on_the_thirtieth_working_day_allowed_the_next_refused() -> None:
    decided = D(2026, 12, 1)                                      # Tuesday
    deadline = admission.ceremony_deadline(decided)
    assert deadline == D(2027, 1, 12)
    check_ceremony("Lê Văn An", decided, deadline)
    with refused("admission.ceremony_late"):
        check_ceremony("Lê Văn An", decided, D(2027, 1, 13))
    with refused("admission.ceremony_before_decision"):
        check_ceremony("Lê Văn An", decided, D(2026, 11, 30))
    tet = AdmissionRules(public_holidays=frozenset({D(2027, 1, 1)}))
    assert admission.ceremony_deadline(decided, tet) == D(2027, 1, 13)
    check_ceremony("Lê Văn An", decided, D(2027, 1, 13), tet)


# --- probation --------------------------------------------------------------------------


def test_full_membership_at_twelve_months_to_the_day_not_before() -> None:
    check_official_resolution("Lê Văn An", D(2025, 6, 15), D(2026, 6, 15))
    with refused("admission.probation_not_over"):
        check_official_resolution("Lê Văn An", D(2025, 6, 15), D(2026, 6, 14))
    assert admission.official_from(D(2025, 6, 15)) == D(2026, 6, 15)


def test_probation_from_29_february_ends_28_february() -> None:
    assert admission.official_from(D(2024, 2, 29)) == D(2025, 2, 28)
    check_official_resolution("Lê Văn An", D(2024, 2, 29), D(2025, 2, 28))
    with refused("admission.probation_not_over"):
        check_official_resolution("Lê Văn An", D(2024, 2, 29), D(2025, 2, 27))
    # Across a leap day: 1 Mar 2023 → 1 Mar 2024 (366 days).
    with refused("admission.probation_not_over"):
        check_official_resolution("Lê Văn An", D(2023, 3, 1), D(2024, 2, 29))


def test_official_review_deadline_is_thirty_working_days_after_probation() -> None:
    assert admission.official_review_deadline(D(2025, 12, 1)) == D(2027, 1, 12)


def test_steps_in_order_and_next_step() -> None:
    assert admission.STEPS[0] is Step.OUTSTANDING
    assert admission.STEPS[-1] is Step.OFFICIAL_RESOLUTION
    assert len(admission.STEPS) == 12
    assert admission.next_step([]) is Step.OUTSTANDING
    assert admission.next_step([Step.OUTSTANDING, Step.TRAINING]) is Step.APPLICATION
    assert admission.next_step(admission.STEPS) is None
