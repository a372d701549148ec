"""The review scheme (sotay_core/domain/review.py) as a setting: versioned JSON, tolerant of
unknown keys; points and shares are written as strings so they stay exact Decimals.

Below it, the second setting of the review: its policy (who a campaign reviews, quarters on
or off) and the rule that reads a member's history against it (``exclusion``)."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sotay_core.domain.dates import add_months
from sotay_core.domain.entities import MemberEvent
from sotay_core.domain.lifecycle import IN_PARTY, State, fold_fitting
from sotay_core.domain.review import (
    CapBase,
    Conditions,
    Criterion,
    Grade,
    Period,
    Scheme,
    Thresholds,
    bad,
    points,
)

SCHEME_VERSION = 1
E = TypeVar("E", bound=enum.StrEnum)



def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    t, c = scheme.thresholds, scheme.conditions

    def opt(value: object) -> str | None:
        return None if value is None else str(value)

    return {"version": SCHEME_VERSION, "name": scheme.name,
            "criteria": [{"code": k.code, "label": k.label, "max": str(k.max_points)}
                         for k in scheme.criteria],
            "thresholds": {"excellent": str(t.excellent), "good": str(t.good),
                           "fulfilled": str(t.fulfilled)},
            "conditions": {"disciplined_cap": opt(c.disciplined_cap),
                           "late_tasks_cap": opt(c.late_tasks_cap),
                           "excellent_cap_percent": opt(c.excellent_cap_percent),
                           "excellent_cap_base": c.excellent_cap_base.value,
                           "excellent_cap_round_up": c.excellent_cap_round_up,
                           "vote_more_than_percent": str(c.vote_more_than_percent)}}


def scheme_to_json(scheme: Scheme) -> str:
    return json.dumps(scheme_to_dict(scheme), ensure_ascii=False, indent=2)


def _enum(kind: type[E], value: Any, where: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise bad("review.scheme_choice", where=where, value=value,
                   choices=", ".join(m.value for m in kind)) from None


def _percent(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise bad("review.scheme_percent", value=value)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise bad("review.scheme_percent", value=value) from None


def scheme_from_dict(raw: Any) -> Scheme:
    """A scheme read from its setting. Unknown keys are ignored; a newer version, a wrong
    shape or a broken rule raises ValidationError."""
    if not isinstance(raw, dict) or not isinstance(raw.get("criteria"), list):
        raise bad("review.scheme_shape", where="scheme")
    version = raw.get("version", SCHEME_VERSION)
    if not isinstance(version, int) or not 1 <= version <= SCHEME_VERSION:
        raise bad("review.scheme_version", version=version, known=SCHEME_VERSION)
    criteria = []
    for index, item in enumerate(raw["criteria"]):
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) \
                or not isinstance(item.get("label"), str):
            raise bad("review.scheme_shape", where=f"criteria[{index}]")
        criteria.append(Criterion(item["code"].strip(), item["label"].strip(),
                                  points(item.get("max"), where=item["code"])))
    marks = raw.get("thresholds") or {}
    conds = raw.get("conditions") or {}
    if not isinstance(marks, dict) or not isinstance(conds, dict):
        raise bad("review.scheme_shape", where="thresholds/conditions")
    default_t, default_c = Thresholds(), Conditions()
    thresholds = Thresholds(
        *(points(marks.get(k, str(getattr(default_t, k))), where=k)
          for k in ("excellent", "good", "fulfilled")))

    def cap(key: str) -> Grade | None:
        value = conds.get(key, getattr(default_c, key))
        return None if value is None else _enum(Grade, value, key)

    share = conds.get("excellent_cap_percent", str(default_c.excellent_cap_percent))
    conditions = Conditions(
        disciplined_cap=cap("disciplined_cap"), late_tasks_cap=cap("late_tasks_cap"),
        excellent_cap_percent=None if share is None else _percent(share, "excellent"),
        excellent_cap_base=_enum(CapBase, conds.get("excellent_cap_base",
                                                   default_c.excellent_cap_base.value),
                                 "excellent_cap_base"),
        excellent_cap_round_up=bool(conds.get("excellent_cap_round_up", False)),
        vote_more_than_percent=_percent(conds.get(
            "vote_more_than_percent", str(default_c.vote_more_than_percent)), "vote"))
    name = raw.get("name")
    return Scheme(name.strip() if isinstance(name, str) and name.strip() else "—",
                  tuple(criteria), thresholds, conditions)


def scheme_from_json(text: str) -> Scheme:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad("review.scheme_json", detail=str(exc)) from None
    return scheme_from_dict(raw)


# --- who a campaign reviews, over which days: the policy, a second setting (issue 20) ---


@dataclass(frozen=True, slots=True)
class Policy:
    """Who a campaign reviews and whether quarters may be reviewed.

    UNCONFIRMED under QĐ 366 / HD 43 (2025): the defaults follow QĐ 124-QĐ/TW (2023) art. 5.2
    and HD 21-HD/BTCTW (2019) §II (dansinh.dantri.com.vn, lawnet.vn, searched 12/2026):
    members exempted from work and party life, and members admitted less than 6 months
    before, are not graded; members attending temporarily (sinh hoạt tạm thời) are graded
    by their official branch. Quarterly reviews are optional (QĐ 366), so off unless set."""

    quarters: bool = False
    exempted_reviewed: bool = False
    min_months_admitted: int = 6
    temporary_in_reviewed: bool = False


DEFAULT_POLICY = Policy()


class Exclusion(enum.StrEnum):
    """Why a member of the branch has no entry in a campaign."""

    NOT_ON_ROSTER = "not_on_roster"     # not (or no longer) on this branch's roster
    EXEMPTED = "exempted"               # miễn công tác và sinh hoạt đảng
    ADMITTED_LATE = "admitted_late"     # admitted less than the set months before
    TEMPORARY = "temporary"             # attends here temporarily; graded at home


def period_bounds(year: int, period: Period) -> tuple[dt.date, dt.date]:
    """The first and last day a campaign covers."""
    if period is Period.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    quarter = int(period.value[1])
    start = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, after - dt.timedelta(days=1)


def member_state(events: Sequence[MemberEvent], on: dt.date) -> State:
    """The member's state at the end of ``on``; an event that cannot follow is skipped (a
    history merged from two PCs is still read, as the roster reads it), and an admission
    made at another branch before an arrival is read as such (a temporary member here)."""
    return fold_fitting(events, until=on)


def exclusion(events: Sequence[MemberEvent], *, on: dt.date,
              policy: Policy = DEFAULT_POLICY) -> Exclusion | None:
    """None when the member is reviewed by a campaign whose roster is taken on ``on`` (the
    period's last day, or the day the campaign is opened if earlier); else why not."""
    state = member_state(events, on)
    if state.stage not in IN_PARTY or state.transferred_out:
        return Exclusion.NOT_ON_ROSTER
    if not state.here:
        if state.temporary_in and policy.temporary_in_reviewed:
            return None
        return Exclusion.TEMPORARY if state.temporary_in else Exclusion.NOT_ON_ROSTER
    if state.exempted and not policy.exempted_reviewed:
        return Exclusion.EXEMPTED
    if state.admitted_on is not None and \
            add_months(state.admitted_on, policy.min_months_admitted) > on:
        return Exclusion.ADMITTED_LATE
    return None


def policy_to_json(policy: Policy) -> str:
    return json.dumps({"version": SCHEME_VERSION, "quarters": policy.quarters,
                       "exempted_reviewed": policy.exempted_reviewed,
                       "min_months_admitted": policy.min_months_admitted,
                       "temporary_in_reviewed": policy.temporary_in_reviewed}, indent=2)


def policy_from_json(text: str) -> Policy:
    """Unknown keys are ignored, missing ones take the default; a wrong type is refused."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad("review.scheme_json", detail=str(exc)) from None
    if not isinstance(raw, dict):
        raise bad("review.scheme_shape", where="policy")
    flags = {}
    for key in ("quarters", "exempted_reviewed", "temporary_in_reviewed"):
        value = raw.get(key, getattr(DEFAULT_POLICY, key))
        if not isinstance(value, bool):
            raise bad("review.scheme_shape", where=key)
        flags[key] = value
    months = raw.get("min_months_admitted", DEFAULT_POLICY.min_months_admitted)
    if isinstance(months, bool) or not isinstance(months, int) or not 0 <= months <= 24:
        raise bad("review.policy_months", value=months)
    return Policy(min_months_admitted=months, **flags)
