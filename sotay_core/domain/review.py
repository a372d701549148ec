"""Annual review and quality rating of party members (kiểm điểm, đánh giá, xếp loại chất
lượng), issue 20: the pure rules. No storage, no UI.

The scheme as a JSON setting is in review_setting.py.

Sources (searched 12/2026; see shared/reference/domain.md §7):
* QĐ 366-QĐ/TW (30/8/2025) art. 11: four grades on a 100-point scale: Hoàn thành xuất sắc
  nhiệm vụ from 90, Hoàn thành tốt nhiệm vụ from 70 to under 90, Hoàn thành nhiệm vụ from 50
  to under 70, Không hoàn thành nhiệm vụ under 50 (thanhnien.vn, laodong.vn, 9/2025).
  Individuals graded "good" or "excellent" must also have done 100 % of their tasks on time
  (laodong.vn summary of art. 11) -> ``late_tasks_cap``.
* The framework has a common group of 30 points (political quality, ethics, lifestyle and
  example; innovative thinking, daring to act; self-criticism and criticism) and a group of
  70 points for the results of the tasks (vietnamnet.vn, 22/9/2025, on the five appendices).
* HD 43-HD/BTCTW (31/10/2025): self-review on Mẫu 2A/2B/2C, the branch proposes, the level
  above decides (encovietnam.com).

UNCONFIRMED (settings, never constants in the logic):
* how the 30 common points split among its three criteria (10 each here) and how the 70
  points split for members outside the political system (one criterion here);
* a member disciplined in the year graded at most "fulfilled" (old HD 25 practice);
* "excellent" at most 20 % of those graded "good" or better, rounded down (the old QĐ 124
  rule; NĐ 335/2025 says 20 % of those graded "good" for civil servants);
* the branch meeting's proposal passes with more than half of the voting base.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sotay_core.domain.errors import ValidationError

MAX_POINTS = Decimal(100)
STEP = Decimal("0.1")


class Grade(enum.StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FULFILLED = "fulfilled"
    NOT_FULFILLED = "not_fulfilled"

    @property
    def rank(self) -> int:
        """0 for the best grade, 3 for the worst."""
        return list(Grade).index(self)

    @property
    def label(self) -> str:
        """The official Vietnamese term (used as is in both languages' messages)."""
        return _LABELS[self]


_LABELS = {Grade.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
           Grade.GOOD: "Hoàn thành tốt nhiệm vụ",
           Grade.FULFILLED: "Hoàn thành nhiệm vụ",
           Grade.NOT_FULFILLED: "Không hoàn thành nhiệm vụ"}


def worse(a: Grade, b: Grade) -> Grade:
    return a if a.rank >= b.rank else b


class Period(enum.StrEnum):
    """What a review campaign covers: the year, or a quarter when the setting enables it."""

    YEAR = "year"
    Q1 = "q1"
    Q2 = "q2"
    Q3 = "q3"
    Q4 = "q4"


class CampaignStatus(enum.StrEnum):
    OPEN = "open"      # self-reviews being gathered
    HELD = "held"      # the branch meeting has voted the proposals
    SENT = "sent"      # proposals sent up; the level above decides


class CapBase(enum.StrEnum):
    """What the share of "excellent" is counted on."""

    GOOD_OR_BETTER = "good_or_better"
    GOOD_ONLY = "good_only"
    ALL = "all"


def points(value: object, *, where: str = "points") -> Decimal:
    """Points as an exact Decimal with at most one decimal place, 0..100. No floats."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError("review.points", where=where, value=value)
    if isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(value.strip()):
        # Decimal() reads "1_0", "1E1", "NaN" too: not points as a person writes them
        raise ValidationError("review.points", where=where, value=value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValidationError("review.points", where=where, value=value) from None
    if not number.is_finite() or number != number.quantize(STEP) or not (
            0 <= number <= MAX_POINTS):
        raise ValidationError("review.points", where=where, value=value)
    return number.quantize(STEP).copy_abs()   # "-0" is 0, never printed "-0.0"


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    label: str
    max_points: Decimal


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The lowest points of each grade; under ``fulfilled`` is "not fulfilled"."""

    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(70)
    fulfilled: Decimal = Decimal(50)


@dataclass(frozen=True, slots=True)
class Conditions:
    """The extra conditions, as data. ``None`` switches a condition off."""

    disciplined_cap: Grade | None = Grade.FULFILLED     # UNCONFIRMED
    late_tasks_cap: Grade | None = Grade.FULFILLED      # QĐ 366 art. 11
    excellent_cap_percent: Decimal | None = Decimal(20)  # UNCONFIRMED
    excellent_cap_base: CapBase = CapBase.GOOD_OR_BETTER  # UNCONFIRMED
    excellent_cap_round_up: bool = False                  # UNCONFIRMED
    vote_more_than_percent: Decimal = Decimal(50)         # UNCONFIRMED


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    criteria: tuple[Criterion, ...]
    thresholds: Thresholds = Thresholds()
    conditions: Conditions = field(default_factory=Conditions)

    def __post_init__(self) -> None:
        check_scheme(self)


def bad(problem: str, **params: Any) -> ValidationError:
    return ValidationError(problem, field="review_scheme", **params)


def check_scheme(scheme: Scheme) -> None:
    codes = [c.code for c in scheme.criteria]
    if not codes or len(set(codes)) != len(codes) or not all(c.strip() for c in codes):
        raise bad("review.scheme_codes")
    total = Decimal(0)
    for criterion in scheme.criteria:
        top = points(criterion.max_points, where=criterion.code)
        if top <= 0:
            raise bad("review.points", where=criterion.code, value=criterion.max_points)
        total += top
    if total != MAX_POINTS:
        raise bad("review.scheme_sum", total=total, expected=MAX_POINTS)
    t = scheme.thresholds
    marks = [points(t.excellent, where="excellent"), points(t.good, where="good"),
             points(t.fulfilled, where="fulfilled")]
    if not marks[0] > marks[1] > marks[2] > 0:
        raise bad("review.scheme_thresholds", excellent=t.excellent, good=t.good,
                   fulfilled=t.fulfilled)
    c = scheme.conditions
    for share in (c.excellent_cap_percent, c.vote_more_than_percent):
        if share is not None and (not isinstance(share, Decimal) or not 0 <= share < 100):
            raise bad("review.scheme_percent", value=share)


DEFAULT_SCHEME = Scheme(
    name="QĐ 366-QĐ/TW, HD 43-HD/BTCTW (chia điểm chi tiết CHƯA XÁC NHẬN)",
    criteria=(
        Criterion("politics", "Phẩm chất chính trị, đạo đức, lối sống; trách nhiệm nêu gương",
                  Decimal(10)),
        Criterion("innovation", "Tư duy đổi mới, khát vọng cống hiến; dám nghĩ, dám làm",
                  Decimal(10)),
        Criterion("self_criticism", "Tự phê bình và phê bình; tự soi, tự sửa, khắc phục "
                  "hạn chế, khuyết điểm", Decimal(10)),
        Criterion("tasks", "Kết quả thực hiện nhiệm vụ được giao", Decimal(70)),
    ),
)


def total(scores: Mapping[str, object], scheme: Scheme = DEFAULT_SCHEME) -> Decimal:
    """The sum of the criteria's points (a missing one counts 0); each within its most."""
    unknown = sorted(set(scores) - {c.code for c in scheme.criteria})
    if unknown:
        raise ValidationError("review.unknown_criterion", codes=", ".join(unknown))
    result = Decimal(0)
    for criterion in scheme.criteria:
        value = points(scores.get(criterion.code, 0), where=criterion.label)
        if value > criterion.max_points:
            raise ValidationError("review.criterion_over", label=criterion.label,
                                  value=value, max=criterion.max_points)
        result += value
    return result


def grade_by_points(value: object, scheme: Scheme = DEFAULT_SCHEME) -> Grade:
    number, t = points(value), scheme.thresholds
    if number >= t.excellent:
        return Grade.EXCELLENT
    if number >= t.good:
        return Grade.GOOD
    if number >= t.fulfilled:
        return Grade.FULFILLED
    return Grade.NOT_FULFILLED


def grade_for(value: object, scheme: Scheme = DEFAULT_SCHEME, *, disciplined: bool = False,
              tasks_on_time: bool = True) -> Grade:
    """The grade the points and the extra conditions give."""
    grade = grade_by_points(value, scheme)
    c = scheme.conditions
    if disciplined and c.disciplined_cap is not None:
        grade = worse(grade, c.disciplined_cap)
    if not tasks_on_time and c.late_tasks_cap is not None:
        grade = worse(grade, c.late_tasks_cap)
    return grade


def check_grade(proposed: Grade, value: object, scheme: Scheme = DEFAULT_SCHEME, *,
                who: str, disciplined: bool = False, tasks_on_time: bool = True) -> Grade:
    """The proposed grade if the points and conditions give it; otherwise a refusal that
    names the rule broken."""
    number = points(value)
    by_points = grade_by_points(number, scheme)
    allowed = grade_for(number, scheme, disciplined=disciplined, tasks_on_time=tasks_on_time)
    if proposed is allowed:
        return proposed
    if proposed.rank < allowed.rank and by_points.rank <= proposed.rank:
        # the points would allow it: an extra condition caps the grade
        key = ("review.grade_disciplined" if disciplined and scheme.conditions.disciplined_cap
               is not None and proposed.rank < scheme.conditions.disciplined_cap.rank
               else "review.grade_tasks_late")
        raise ValidationError(key, who=who, grade=proposed.label, allowed=allowed.label)
    t = scheme.thresholds
    raise ValidationError("review.grade_contradicts_points", who=who, points=number,
                          grade=proposed.label, allowed=allowed.label,
                          excellent=t.excellent, good=t.good, fulfilled=t.fulfilled)


# --- the branch meeting's vote on a proposed grade ------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """Votes on one proposal. ``base``: the voting base (members entitled to vote);
    ``invalid``: spoilt ballots of a secret vote. Those not voting are the rest."""

    base: int
    yes: int
    no: int
    abstain: int = 0
    invalid: int = 0
    secret: bool = False


def check_tally(tally: Tally, *, who: str) -> Tally:
    counts = {"base": tally.base, "yes": tally.yes, "no": tally.no,
              "abstain": tally.abstain, "invalid": tally.invalid}
    for name, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValidationError("review.tally_count", who=who, name=name, value=count)
    if tally.base == 0:
        raise ValidationError("review.tally_no_base", who=who)
    if tally.invalid and not tally.secret:
        raise ValidationError("review.tally_invalid_open", who=who, invalid=tally.invalid)
    cast = tally.yes + tally.no + tally.abstain + tally.invalid
    if cast > tally.base:
        raise ValidationError("review.tally_over_base", who=who, cast=cast, base=tally.base)
    return tally


def passes(tally: Tally, scheme: Scheme = DEFAULT_SCHEME, *, who: str = "—") -> bool:
    """More than the set share (half) of the voting base said yes."""
    check_tally(tally, who=who)
    return tally.yes * 100 > tally.base * scheme.conditions.vote_more_than_percent


def check_passes(tally: Tally, scheme: Scheme = DEFAULT_SCHEME, *, who: str) -> Tally:
    if not passes(tally, scheme, who=who):
        raise ValidationError("review.tally_no_majority", who=who, yes=tally.yes,
                              base=tally.base,
                              percent=scheme.conditions.vote_more_than_percent)
    return tally


# --- the share of "excellent" across a branch's proposals -----------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    who: str
    points: Decimal
    grade: Grade


@dataclass(frozen=True, slots=True)
class CapCheck:
    allowed: int | None   # None: no cap set
    base: int
    proposed: int
    over: tuple[Proposal, ...]  # the excellent proposals past the cap, lowest points first


def excellent_cap(proposals: Sequence[Proposal],
                  scheme: Scheme = DEFAULT_SCHEME) -> CapCheck:
    c = scheme.conditions
    excellent = [p for p in proposals if p.grade is Grade.EXCELLENT]
    counted = {CapBase.GOOD_OR_BETTER: (Grade.EXCELLENT, Grade.GOOD),
               CapBase.GOOD_ONLY: (Grade.GOOD,), CapBase.ALL: tuple(Grade)}
    base = sum(1 for p in proposals if p.grade in counted[c.excellent_cap_base])
    if c.excellent_cap_percent is None:
        return CapCheck(None, base, len(excellent), ())
    share = base * c.excellent_cap_percent / 100
    allowed = math.ceil(share) if c.excellent_cap_round_up else math.floor(share)
    ranked = sorted(excellent, key=lambda p: (-p.points, p.who))
    return CapCheck(allowed, base, len(excellent), tuple(reversed(ranked[allowed:])))


def check_excellent_cap(proposals: Sequence[Proposal],
                        scheme: Scheme = DEFAULT_SCHEME) -> CapCheck:
    result = excellent_cap(proposals, scheme)
    if result.over:
        raise ValidationError("review.excellent_over_cap",
                              percent=scheme.conditions.excellent_cap_percent,
                              allowed=result.allowed, base=result.base,
                              proposed=result.proposed,
                              names=", ".join(p.who for p in result.over),
                              excellent=scheme.thresholds.excellent)
    return result
