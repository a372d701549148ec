"""Value rules of the secretary's year (issue 20): the review campaign and its entries, the
level above's decisions, the admission candidates and their steps, and the transfer letters.
Merged into ``record_rules.RULES`` and ``REQUIRED``. The rules of the work itself (a grade
that contradicts the points, a sponsor on probation …) are in review.py, admission.py and
transfers.py and are checked by the use cases; these are the rules any stored value obeys,
checked on push and pull."""

from __future__ import annotations

import dataclasses
import enum

from sotay_core.domain import field_rules
from sotay_core.domain.admission import CandidateStatus, Step
from sotay_core.domain.entities import Gender
from sotay_core.domain.field_rules import (
    DATE,
    MONTH,
    PAST,
    FieldRule,
    block,
    int_rule,
    line,
    ref,
)
from sotay_core.domain.review import CampaignStatus, Grade, Period
from sotay_core.domain.transfers import Direction, TransferKind


def choice(kind: type[enum.StrEnum], *, empty_ok: bool = False) -> FieldRule:
    """One of the enum's values; a longer text is refused as not one of them (not as too
    long), as the enums here are short ("in", "q1"); their columns hold 12 characters."""
    rule = field_rules.choice(kind, empty_ok=empty_ok)
    return dataclasses.replace(rule, max_length=max(12, rule.max_length))


# Points with at most one decimal, 0..100; "" when not given yet.
POINTS = FieldRule(max_length=5, pattern=r"(?:100(?:\.0)?|\d{1,2}(?:\.\d)?)")
VOTES = int_rule(0, 100_000)

YEAR_RULES: dict[str, dict[str, FieldRule]] = {
    "review_campaigns": {
        "unit_id": ref("org_units"), "year": int_rule(1930, 2200),
        "period": choice(Period), "scheme": block(50_000),
        "status": choice(CampaignStatus), "meeting_id": ref("meetings"), "held_on": PAST,
        "note": block(20_000),
    },
    "review_entries": {
        "campaign_id": ref("review_campaigns"), "member_id": ref("members"),
        "facts": block(50_000), "self_points": POINTS, "self_grade": choice(Grade, empty_ok=True),
        "self_text": block(50_000), "scores": block(5_000), "points": POINTS,
        "grade": choice(Grade, empty_ok=True), "comments": block(50_000),
        "votes_yes": VOTES, "votes_no": VOTES, "votes_abstain": VOTES,
        "votes_invalid": VOTES, "voting_base": VOTES,
    },
    "review_decisions": {
        "entry_id": ref("review_entries"), "campaign_id": ref("review_campaigns"),
        "member_id": ref("members"), "grade": choice(Grade), "number": line(60),
        "decided_on": PAST, "issuer": line(200), "note": block(20_000),
    },
    "candidates": {
        "unit_id": ref("org_units"), "full_name": line(200, required=True),
        "gender": choice(Gender), "date_of_birth": PAST, "residence": line(300),
        "occupation": line(200), "phone": line(40), "status": choice(CandidateStatus),
        "sponsor1_id": ref("members"), "sponsor1_since": PAST,
        "sponsor2_id": ref("members"), "sponsor2_since": PAST,
        "member_id": ref("members"), "note": block(20_000),
    },
    "candidate_steps": {
        "candidate_id": ref("candidates"), "step": choice(Step), "done_on": PAST,
        "number": line(60), "issuer": line(200), "detail": block(20_000),
        "votes_for": VOTES, "votes_against": VOTES, "voting_base": VOTES,
    },
    "transfers": {
        "member_id": ref("members"), "direction": choice(Direction),
        "kind": choice(TransferKind), "number": line(60, required=True), "issued_on": PAST,
        "valid_until": DATE, "from_place": line(300), "to_place": line(300),
        "dues_paid_to": MONTH, "presented_on": PAST, "event_id": ref("member_events"),
        "note": block(20_000),
    },
}

# Fields a new record must carry (not null).
YEAR_REQUIRED: dict[str, tuple[str, ...]] = {
    "review_campaigns": ("unit_id", "year"),
    "review_entries": ("campaign_id",),
    "review_decisions": ("entry_id", "campaign_id", "grade", "decided_on"),
    "candidates": ("unit_id", "full_name"),
    "candidate_steps": ("candidate_id", "step", "done_on"),
    "transfers": ("member_id", "direction", "kind", "number", "issued_on", "valid_until"),
}


def grade_fits_points(values: dict[str, object], scheme_json: str = "") -> str | None:
    """The field of a review entry whose grade is better than its points allow under the
    campaign's scheme (``scheme`` JSON of the campaign; empty: the default), or None.

    A grade may be lower than the points give (a discipline or a late task caps it: the
    facts behind that live on the PC), never higher: the province counts what it is sent, so
    a modified PC must not send "excellent" at 10 points. Unreadable points or grades are
    left to the value rules."""
    from sotay_core.domain.errors import DomainError
    from sotay_core.domain.review import DEFAULT_SCHEME, grade_by_points
    from sotay_core.domain.review_setting import scheme_from_json

    try:
        scheme = scheme_from_json(scheme_json) if scheme_json.strip() else DEFAULT_SCHEME
    except (DomainError, ValueError):
        scheme = DEFAULT_SCHEME
    for points_field, grade_field in (("points", "grade"), ("self_points", "self_grade")):
        points, grade = values.get(points_field), values.get(grade_field)
        if not isinstance(points, str) or not points or grade not in {g.value for g in Grade}:
            continue
        try:
            allowed = grade_by_points(points, scheme)
        except DomainError:
            continue
        if Grade(str(grade)).rank < allowed.rank:
            return grade_field
    return None
