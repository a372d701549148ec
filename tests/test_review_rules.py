"""The annual review's pure rules (sotay_core/domain/review.py, review_setting.py): grades at
every points boundary, the extra conditions, a grade that contradicts the points, the vote
tally, the share of "excellent" across a branch, the scheme's checks and its JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sotay_core.domain import review_setting
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.review import (
    DEFAULT_SCHEME,
    CapBase,
    Conditions,
    Criterion,
    Grade,
    Proposal,
    Scheme,
    Tally,
    Thresholds,
    check_excellent_cap,
    check_grade,
    check_passes,
    excellent_cap,
    grade_by_points,
    grade_for,
    passes,
    points,
    total,
)

pytestmark = pytest.mark.server

D = Decimal


@pytest.mark.parametrize(("value", "grade"), [
    ("0", Grade.NOT_FULFILLED), ("49.9", Grade.NOT_FULFILLED), ("50", Grade.FULFILLED),
    ("50.0", Grade.FULFILLED), ("69.9", Grade.FULFILLED), ("70", Grade.GOOD),
    ("89.9", Grade.GOOD), ("90", Grade.EXCELLENT), ("100", Grade.EXCELLENT),
    (D("49.9"), Grade.NOT_FULFILLED), (70, Grade.GOOD), (" 90.0 ", Grade.EXCELLENT),
])
def test_grade_at_every_boundary(value: object, grade: Grade) -> None:
    assert grade_for(value) is grade


@pytest.mark.parametrize("value", ["-0.1", "100.1", "101", "-1", "49.95", "abc", "NaN",
                                   "Infinity", 49.9, True, None, [50]])
def test_impossible_points_are_refused(value: object) -> None:
    with pytest.raises(ValidationError) as err:
        grade_for(value)
    assert err.value.code == "review.points"
    assert "0" in err.value.message("vi") and "100" in err.value.message("en")


def test_points_are_exact_decimals() -> None:
    assert points("89.9") == D("89.9") and str(points(90)) == "90.0"
    assert grade_by_points(D("89.9") + D("0.1")) is Grade.EXCELLENT


def test_disciplined_member_is_at_most_fulfilled() -> None:
    assert grade_for("95", disciplined=True) is Grade.FULFILLED
    assert grade_for("75", disciplined=True) is Grade.FULFILLED
    assert grade_for("60", disciplined=True) is Grade.FULFILLED
    assert grade_for("40", disciplined=True) is Grade.NOT_FULFILLED  # never raised


def test_late_tasks_cap_good_and_excellent() -> None:
    assert grade_for("95", tasks_on_time=False) is Grade.FULFILLED
    assert grade_for("95", tasks_on_time=True) is Grade.EXCELLENT


def test_conditions_can_be_switched_off_or_changed() -> None:
    lenient = Scheme("x", DEFAULT_SCHEME.criteria,
                     conditions=Conditions(disciplined_cap=None, late_tasks_cap=Grade.GOOD))
    assert grade_for("95", lenient, disciplined=True) is Grade.EXCELLENT
    assert grade_for("95", lenient, tasks_on_time=False) is Grade.GOOD


def test_check_grade_accepts_the_grade_the_points_give() -> None:
    assert check_grade(Grade.GOOD, "70", who="Nguyễn Văn An") is Grade.GOOD
    assert check_grade(Grade.FULFILLED, "95", who="An", disciplined=True) is Grade.FULFILLED


@pytest.mark.parametrize(("proposed", "value", "allowed"), [
    (Grade.EXCELLENT, "89.9", Grade.GOOD), (Grade.GOOD, "69.9", Grade.FULFILLED),
    (Grade.FULFILLED, "49.9", Grade.NOT_FULFILLED), (Grade.GOOD, "90", Grade.EXCELLENT),
    (Grade.NOT_FULFILLED, "50", Grade.FULFILLED),
])
def test_a_grade_contradicting_the_points_is_refused(proposed: Grade, value: str,
                                                     allowed: Grade) -> None:
    with pytest.raises(ValidationError) as err:
        check_grade(proposed, value, who="Nguyễn Văn An")
    assert err.value.code == "review.grade_contradicts_points"
    assert err.value.params["allowed"] == allowed.label
    text = err.value.message("vi")
    assert "Nguyễn Văn An" in text and proposed.label in text and value in text


def test_a_grade_above_a_condition_names_that_condition() -> None:
    with pytest.raises(ValidationError) as err:
        check_grade(Grade.GOOD, "80", who="Bình", disciplined=True)
    assert err.value.code == "review.grade_disciplined"
    assert "kỷ luật" in err.value.message("vi")
    with pytest.raises(ValidationError) as err:
        check_grade(Grade.EXCELLENT, "95", who="Bình", tasks_on_time=False)
    assert err.value.code == "review.grade_tasks_late"
    assert "366" in err.value.message("en") and "Điều 11" in err.value.message("vi")


def test_criteria_total() -> None:
    assert total({"politics": "9.5", "innovation": 8, "self_criticism": "10",
                  "tasks": "62.4"}) == D("89.9")
    assert total({}) == D(0)
    with pytest.raises(ValidationError) as err:
        total({"politics": "10.1"})
    assert err.value.code == "review.criterion_over"
    with pytest.raises(ValidationError) as err:
        total({"bogus": 1})
    assert err.value.code == "review.unknown_criterion"


# --- the vote -------------------------------------------------------------------------


def test_exact_half_does_not_pass_one_more_does() -> None:
    assert not passes(Tally(base=10, yes=5, no=5))
    assert passes(Tally(base=10, yes=6, no=4))
    assert not passes(Tally(base=9, yes=4, no=0, abstain=5))
    assert passes(Tally(base=9, yes=5, no=0))


def test_majority_is_of_the_voting_base_not_of_those_present() -> None:
    assert not passes(Tally(base=10, yes=4, no=0))  # everybody present said yes, 4 of 10


def test_secret_ballot_with_spoilt_ballots() -> None:
    assert passes(Tally(base=7, yes=4, no=1, abstain=0, invalid=2, secret=True))
    with pytest.raises(ValidationError) as err:
        passes(Tally(base=7, yes=4, no=1, invalid=2))
    assert err.value.code == "review.tally_invalid_open"


@pytest.mark.parametrize(("tally", "code"), [
    (Tally(base=5, yes=4, no=2), "review.tally_over_base"),
    (Tally(base=5, yes=3, no=1, abstain=1, invalid=1, secret=True), "review.tally_over_base"),
    (Tally(base=5, yes=-1, no=0), "review.tally_count"),
    (Tally(base=-5, yes=0, no=0), "review.tally_count"),
    (Tally(base=0, yes=0, no=0), "review.tally_no_base"),
])
def test_impossible_tallies_are_refused(tally: Tally, code: str) -> None:
    with pytest.raises(ValidationError) as err:
        passes(tally, who="Trần Thị Bình")
    assert err.value.code == code
    assert "Trần Thị Bình" in err.value.message("vi")


def test_check_passes_names_the_rule() -> None:
    assert check_passes(Tally(base=4, yes=3, no=1), who="An").yes == 3
    with pytest.raises(ValidationError) as err:
        check_passes(Tally(base=4, yes=2, no=2), who="An")
    assert err.value.code == "review.tally_no_majority"
    assert "2/4" in err.value.message("vi") and "50" in err.value.message("en")


# --- the share of "excellent" ---------------------------------------------------------


def _branch(excellent: int, good: int, fulfilled: int = 0) -> list[Proposal]:
    rows = [Proposal(f"X{i}", D(90) + i, Grade.EXCELLENT) for i in range(excellent)]
    rows += [Proposal(f"G{i}", D(80), Grade.GOOD) for i in range(good)]
    rows += [Proposal(f"F{i}", D(60), Grade.FULFILLED) for i in range(fulfilled)]
    return rows


def test_excellent_cap_is_twenty_percent_of_good_or_better() -> None:
    result = excellent_cap(_branch(2, 8, 5))
    assert (result.allowed, result.base, result.proposed, result.over) == (2, 10, 2, ())
    assert check_excellent_cap(_branch(2, 8)).allowed == 2


def test_excellent_over_cap_names_the_lowest_scored_and_the_counts() -> None:
    result = excellent_cap(_branch(3, 7))
    assert result.allowed == 2 and [p.who for p in result.over] == ["X0"]
    with pytest.raises(ValidationError) as err:
        check_excellent_cap(_branch(3, 7))
    assert err.value.code == "review.excellent_over_cap"
    text = err.value.message("vi")
    assert "20%" in text and "X0" in text and "(3)" in text


def test_small_branch_rounding_and_other_bases() -> None:
    assert excellent_cap(_branch(1, 3)).allowed == 0
    up = Scheme("x", DEFAULT_SCHEME.criteria, conditions=Conditions(
        excellent_cap_round_up=True, excellent_cap_base=CapBase.GOOD_ONLY))
    assert excellent_cap(_branch(1, 3), up).allowed == 1
    off = Scheme("x", DEFAULT_SCHEME.criteria,
                 conditions=Conditions(excellent_cap_percent=None))
    assert check_excellent_cap(_branch(5, 0), off).allowed is None


# --- the scheme -----------------------------------------------------------------------


def test_default_scheme_sums_to_one_hundred() -> None:
    assert sum(c.max_points for c in DEFAULT_SCHEME.criteria) == 100
    assert DEFAULT_SCHEME.thresholds == Thresholds(D(90), D(70), D(50))


@pytest.mark.parametrize(("criteria", "thresholds", "code"), [
    ((Criterion("a", "A", D(60)), Criterion("b", "B", D(30))), Thresholds(), "review.scheme_sum"),
    ((Criterion("a", "A", D(60)), Criterion("a", "B", D(40))), Thresholds(),
     "review.scheme_codes"),
    ((Criterion("a", "A", D(100)),), Thresholds(D(70), D(90), D(50)),
     "review.scheme_thresholds"),
    ((Criterion("a", "A", D(100)),), Thresholds(D(90), D(70), D(70)),
     "review.scheme_thresholds"),
    ((Criterion("a", "A", D("100.5")),), Thresholds(), "review.points"),
])
def test_scheme_validation(criteria: tuple[Criterion, ...], thresholds: Thresholds,
                           code: str) -> None:
    with pytest.raises(ValidationError) as err:
        Scheme("x", criteria, thresholds)
    assert err.value.code == code
    assert err.value.message("vi")


def test_custom_thresholds_move_the_boundaries() -> None:
    scheme = Scheme("x", (Criterion("a", "A", D(100)),), Thresholds(D(85), D(65), D(45)))
    assert grade_for("84.9", scheme) is Grade.GOOD and grade_for("85", scheme) is Grade.EXCELLENT
    assert grade_for("44.9", scheme) is Grade.NOT_FULFILLED


def test_json_round_trip() -> None:
    text = review_setting.scheme_to_json(DEFAULT_SCHEME)
    assert review_setting.scheme_from_json(text) == DEFAULT_SCHEME
    odd = Scheme("Tỉnh X", (Criterion("a", "A", D("33.3")), Criterion("b", "B", D("66.7"))),
                 Thresholds(D("85.5"), D(65), D(45)),
                 Conditions(disciplined_cap=None, excellent_cap_percent=D("15.5"),
                            excellent_cap_base=CapBase.ALL, vote_more_than_percent=D(66)))
    assert review_setting.scheme_from_json(review_setting.scheme_to_json(odd)) == odd


def test_json_tolerates_unknown_keys_and_refuses_bad_settings() -> None:
    raw = review_setting.scheme_to_dict(DEFAULT_SCHEME)
    raw["future"] = {"x": 1}
    raw["conditions"]["new_rule"] = True
    raw["criteria"][0]["hint"] = "…"
    assert review_setting.scheme_from_dict(raw) == DEFAULT_SCHEME
    bad_cases = [
        ({**raw, "version": 99}, "review.scheme_version"),
        ({**raw, "criteria": "x"}, "review.scheme_shape"),
        ({**raw, "conditions": {"disciplined_cap": "best"}}, "review.scheme_choice"),
        ({**raw, "conditions": {"vote_more_than_percent": "100"}}, "review.scheme_percent"),
        ({**raw, "thresholds": {"excellent": "50"}}, "review.scheme_thresholds"),
        ({**raw, "criteria": raw["criteria"][:1]}, "review.scheme_sum"),
    ]
    for case, code in bad_cases:
        with pytest.raises(ValidationError) as err:
            review_setting.scheme_from_dict(json.loads(json.dumps(case)))
        assert err.value.code == code, case
        assert err.value.message("en")
    with pytest.raises(ValidationError) as err:
        review_setting.scheme_from_json("{nope")
    assert err.value.code == "review.scheme_json"


@given(st.integers(0, 1000), st.integers(0, 1000), st.booleans(), st.booleans())
def test_grade_for_is_monotone_in_points(a: int, b: int, disciplined: bool,
                                         on_time: bool) -> None:
    low, high = sorted((D(a) / 10, D(b) / 10))
    assert grade_for(low, disciplined=disciplined, tasks_on_time=on_time).rank >= grade_for(
        high, disciplined=disciplined, tasks_on_time=on_time).rank


# --- who is reviewed: a member attending here temporarily ---------------------------------


def test_a_member_attending_temporarily_is_reviewed_at_home_not_here() -> None:
    """Admitted elsewhere, then arrived on a temporary letter: not on this roster, so not
    reviewed here (nor in the voting base) unless the policy says so."""
    import datetime as dt

    from sotay_core.domain.entities import EventKind, MemberEvent, MemberStatus

    events = [MemberEvent("e1", "m", EventKind.ADMITTED, dt.date(2015, 3, 1)),
              MemberEvent("e2", "m", EventKind.MADE_OFFICIAL, dt.date(2016, 3, 1)),
              MemberEvent("e3", "m", EventKind.TEMP_IN, dt.date(2025, 4, 2))]
    on = dt.date(2025, 12, 31)
    assert review_setting.member_state(events, on).status is MemberStatus.TEMPORARY
    assert review_setting.exclusion(events, on=on) is review_setting.Exclusion.TEMPORARY
    policy = review_setting.Policy(temporary_in_reviewed=True)
    assert review_setting.exclusion(events, on=on, policy=policy) is None
    # The same member before arriving is no one's business here.
    assert review_setting.exclusion(events, on=dt.date(2025, 1, 1)) is \
        review_setting.Exclusion.NOT_ON_ROSTER
