"""Party dues (đảng phí): the pure rules of the chi bộ's dues book.

What a member owes for a month, under which rate version, with which exemption; what a payment
may be; which months are unpaid in a calendar year; how far a member has paid without a gap;
the branch's monthly totals. No storage, no clock: the caller passes the dates.

Conventions (one rule each, used everywhere below):

- Money is an ``int`` of đồng. A percentage of a salary or pension, a reduction and the chi
  bộ's retention share are each rounded **to the đồng, half up** (``_percent_of``).
- A month is judged on its first day: the rate version in force on the 1st applies to the
  whole month (January 2026 is under QĐ 342, February 2026 under QĐ 01-QĐ/TW).
- A member owes dues from the month of admission through the month they leave, both included.
- Full exemption at ≥ 50 years of membership: from the first month whose 1st day is on or after
  the 50th anniversary of ``admitted_on`` (the caller passes the date party age counts from).
- A month is paid when a payment is recorded for it; one with 0 due never counts as unpaid.
  Unpaid months count per calendar year (restarting on 1 January): 2 warn, 3 strike off.
- Branch totals are grouped by the month the dues are for (not the day cash changed hands),
  and the retention share is that month's rate version's, rounded on the month's total.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sotay_core.domain.dates import add_years, format_vn
from sotay_core.domain.errors import DomainError, ValidationError

# A month's payment above MAX_PAYMENT đồng, or above ABSURD_FACTOR × that month's due when
# something is due, is refused as absurd; paying more than the due (approved above) is allowed.
MAX_PAYMENT, ABSURD_FACTOR = 50_000_000, 100
MAX_REDUCTION_MONTHS, REDUCTION_PERCENTS = 12, frozenset({30, 50, 70})


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise ValidationError("dues.bad_month", value=f"{self.month}/{self.year}")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def key(self) -> str:
        """The stored and wire form, ``"2026-02"`` (records, JSON, file names)."""
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"


def months_between(first: Month, last: Month) -> list[Month]:
    """``first`` to ``last``, both included (empty when ``last`` is before ``first``)."""
    out: list[Month] = []
    month = first
    while month <= last:
        out.append(month)
        month = month.plus(1)
    return out


# --- rates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateVersion:
    """The rates in force from ``valid_from`` until the next version's ``valid_from``."""

    valid_from: dt.date
    name: str
    salary_percent: Decimal
    pension_percent: Decimal
    student_amount: int
    other_default: int
    other_min: int
    other_max: int
    retention_percent: Decimal

    def __post_init__(self) -> None:
        if self.valid_from.day != 1:
            start = format_vn(self.valid_from)
            raise ValidationError("dues.rate_not_month_start", valid_from=start)
        for percent in (self.salary_percent, self.pension_percent, self.retention_percent):
            if not Decimal(0) <= percent <= Decimal(100):
                raise ValidationError("dues.bad_rate", name=self.name, value=str(percent))
        if self.student_amount < 0 or not (
                0 <= self.other_min <= self.other_default <= self.other_max):
            raise ValidationError("dues.bad_rate", name=self.name, value=str(self.other_default))


@dataclass(frozen=True)
class RateTable:
    """Dated rate versions; two versions may not start on the same month (an overlap)."""

    versions: tuple[RateVersion, ...]

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.versions, key=lambda version: version.valid_from))
        for before, after in itertools.pairwise(ordered):
            if before.valid_from == after.valid_from:
                raise DomainError("dues.rate_overlap", valid_from=format_vn(after.valid_from),
                                  name=after.name, other=before.name)
        object.__setattr__(self, "versions", ordered)

    def with_version(self, version: RateVersion) -> RateTable:
        """A new table with ``version`` added; refused when it overlaps one already there."""
        return RateTable((*self.versions, version))

    def rate_for(self, month: Month) -> RateVersion:
        index = bisect.bisect_right([v.valid_from for v in self.versions], month.first_day)
        if index == 0:
            raise DomainError("dues.no_rate", month=str(month))
        return self.versions[index - 1]


DEFAULT_RATES = RateTable((
    # QĐ 342-QĐ/TW (2010). 1 % of salary and 0.5 % of a pension are the commonly quoted
    # figures; UNCONFIRMED here: the pupil/student amount (2,000 đ, the bottom of the
    # "other" range — we could not confirm a separate student rate), the non-salaried range
    # 2,000–30,000 đ (shared/reference/domain.md, from a secondary source) and its default,
    # and the chi bộ's retention share (historically 30–50 %; 30 % chosen).
    RateVersion(valid_from=dt.date(2010, 1, 1), name="QĐ 342-QĐ/TW",
                salary_percent=Decimal("1"), pension_percent=Decimal("0.5"),
                student_amount=2_000, other_default=2_000, other_min=2_000,
                other_max=30_000, retention_percent=Decimal("30")),
    # QĐ 01-QĐ/TW, from 1/2/2026: 1 % of the insured salary, 0.5 % of a pension, 5,000 đ for
    # pupils and students (confirmed by two press reports). UNCONFIRMED: the non-salaried
    # amount (QĐ 342's range is kept; the secretary sets each member's amount) and the chi
    # bộ's retention share (30 % kept).
    RateVersion(valid_from=dt.date(2026, 2, 1), name="QĐ 01-QĐ/TW",
                salary_percent=Decimal("1"), pension_percent=Decimal("0.5"),
                student_amount=5_000, other_default=2_000, other_min=2_000,
                other_max=30_000, retention_percent=Decimal("30")),
))


def _percent_of(amount: int, percent: Decimal) -> int:
    """``percent`` % of ``amount`` đồng, to the đồng, half up."""
    exact = Decimal(amount) * percent / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- a member's basis and exemptions ----------------------------------------------------


class DuesCategory(StrEnum):
    INSURED_SALARY = "insured_salary"
    PENSION = "pension"
    STUDENT = "student"
    OTHER = "other"


@dataclass(frozen=True)
class DuesBasis:
    """``amount``: the insured salary, the pension, or (other) the flat monthly dues the
    secretary set; ignored for a student. ``OTHER`` with amount 0 takes the rate's default."""

    category: DuesCategory
    amount: int = 0

    def __post_init__(self) -> None:
        if self.amount < 0 or self.amount > 10_000_000_000:
            raise ValidationError("dues.bad_basis_amount", amount=self.amount)


class ExemptionKind(StrEnum):
    SOCIAL_PENSION = "social_pension"
    POOR_OR_ILL = "poor_or_ill"  # poor or near-poor household, serious illness
    HARDSHIP_WAIVER = "hardship_waiver"  # other hardship: waived, ≤ 12 months
    REDUCTION = "reduction"  # other hardship: 30/50/70 % cut, ≤ 12 months


@dataclass(frozen=True)
class Exemption:
    """Months ``start`` to ``end`` (both included; ``end`` None: open) under ``decision``."""

    kind: ExemptionKind
    start: Month
    end: Month | None
    decision: str
    percent: int = 100

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValidationError("dues.exemption_end_before_start", start=str(self.start),
                                  end=str(self.end))
        if self.kind is ExemptionKind.REDUCTION:
            if self.percent not in REDUCTION_PERCENTS:
                raise ValidationError("dues.bad_reduction_percent", percent=self.percent)
        elif self.percent != 100:
            raise ValidationError("dues.bad_reduction_percent", percent=self.percent)
        if self.kind in (ExemptionKind.REDUCTION, ExemptionKind.HARDSHIP_WAIVER):
            months = None if self.end is None else len(months_between(self.start, self.end))
            if months is None or months > MAX_REDUCTION_MONTHS:
                raise ValidationError("dues.reduction_too_long", start=str(self.start),
                                      months=months or 0, limit=MAX_REDUCTION_MONTHS)

    def covers(self, month: Month) -> bool:
        return self.start <= month and (self.end is None or month <= self.end)


def fifty_years_month(admitted_on: dt.date) -> Month:
    """The first month exempt for 50 years of membership (its 1st day ≥ the anniversary)."""
    anniversary = add_years(admitted_on, 50)
    month = Month.of(anniversary)
    return month if anniversary.day == 1 else month.plus(1)


def is_member_in(month: Month, *, admitted_on: dt.date, left_on: dt.date | None) -> bool:
    return Month.of(admitted_on) <= month and (left_on is None or month <= Month.of(left_on))


def amount_due(
    basis: DuesBasis,
    exemptions: Iterable[Exemption],
    month: Month,
    rates: RateTable = DEFAULT_RATES,
    *,
    admitted_on: dt.date,
    left_on: dt.date | None = None,
) -> int:
    """The đồng due for ``month``: 0 when not a member that month or fully exempt."""
    if (not is_member_in(month, admitted_on=admitted_on, left_on=left_on)
            or month >= fifty_years_month(admitted_on)):
        return 0
    rate = rates.rate_for(month)
    if basis.category is DuesCategory.INSURED_SALARY:
        due = _percent_of(basis.amount, rate.salary_percent)
    elif basis.category is DuesCategory.PENSION:
        due = _percent_of(basis.amount, rate.pension_percent)
    elif basis.category is DuesCategory.STUDENT:
        due = rate.student_amount
    else:
        due = basis.amount or rate.other_default
    # Overlapping exemptions (two PCs, or one entered twice) cut once, by the largest.
    cut = max((e.percent for e in exemptions if e.covers(month)), default=0)
    if cut:
        due -= _percent_of(due, Decimal(cut))
    return max(due, 0)


# --- payments ---------------------------------------------------------------------------


class PaymentChannel(StrEnum):
    CASH = "cash"
    PORTAL = "portal"  # Cổng Dịch vụ công Quốc gia


@dataclass(frozen=True)
class Payment:
    member_id: str
    month: Month
    amount: int
    paid_on: dt.date
    channel: PaymentChannel = PaymentChannel.CASH


def check_payment(payment: Payment, *, due: int, admitted_on: dt.date, left_on: dt.date | None,
                  existing: Iterable[Payment] = ()) -> None:
    """Refuse a payment this member cannot have made; each error names member and month."""
    where = {"member": payment.member_id, "month": str(payment.month)}
    if payment.month < Month.of(admitted_on):
        raise ValidationError("dues.before_admission", admitted=format_vn(admitted_on), **where)
    if left_on is not None and payment.month > Month.of(left_on):
        raise ValidationError("dues.after_leaving", left=format_vn(left_on), **where)
    if payment.amount <= 0:
        raise ValidationError("dues.amount_not_positive", amount=payment.amount, **where)
    limit = MAX_PAYMENT if due <= 0 else min(MAX_PAYMENT, ABSURD_FACTOR * due)
    if payment.amount > limit:
        raise ValidationError("dues.amount_absurd", amount=payment.amount, limit=limit, **where)
    for other in existing:
        if other.member_id == payment.member_id and other.month == payment.month:
            raise ValidationError("dues.duplicate_payment", **where)


def split_advance(
    *,
    member_id: str,
    months: Sequence[Month],
    due: Callable[[Month], int],
    paid_on: dt.date,
    channel: PaymentChannel = PaymentChannel.CASH,
    total: int | None = None,
) -> list[Payment]:
    """One advance payment over ``months`` as one payment per month, each of that month's
    due; months with nothing due are skipped. ``total``, if given, must be the sum."""
    payments = [Payment(member_id, month, due(month), paid_on, channel)
                for month in sorted(set(months)) if due(month) > 0]
    expected = sum(payment.amount for payment in payments)
    if total is not None and total != expected:
        raise ValidationError("dues.advance_mismatch", member=member_id, total=total,
                              month=str(min(months)) if months else "", expected=expected)
    return payments


# --- unpaid months, paid-up month -------------------------------------------------------


class UnpaidFlag(StrEnum):
    WARN = "warn"  # 2 unpaid months in the calendar year
    STRIKE_OFF = "strike_off"  # 3 or more: proposal to strike off (xoá tên)


WARN_AT, STRIKE_OFF_AT = 2, 3


def unpaid_months(
    due_months: Mapping[Month, int],
    payments: Iterable[Payment],
    year: int,
    *,
    through: Month | None = None,
) -> list[Month]:
    """Months of ``year`` (up to ``through``) with something due and no payment recorded.
    ``due_months``: one member's due per month; ``payments``: that member's payments."""
    paid = {payment.month for payment in payments}
    return sorted(month for month, due in due_months.items()
                  if month.year == year and due > 0 and month not in paid
                  and (through is None or month <= through))


def unpaid_flag(count: int) -> UnpaidFlag | None:
    if count >= STRIKE_OFF_AT:
        return UnpaidFlag.STRIKE_OFF
    if count >= WARN_AT:
        return UnpaidFlag.WARN
    return None


def paid_up_to(
    payments: Iterable[Payment],
    *,
    start: Month,
    due_months: Mapping[Month, int] | None = None,
) -> Month | None:
    """The last month paid without a gap from ``start`` (the first month due); a month with
    0 due in ``due_months`` is no gap. None when ``start`` itself is unpaid."""
    paid = {payment.month for payment in payments if payment.month >= start}
    dues = due_months or {}
    reached: Month | None = None
    for month in months_between(start, max(paid, default=start.plus(-1))):
        if month in paid or dues.get(month, 1) == 0:
            reached = month
        else:
            break
    return reached


# --- the branch's monthly totals --------------------------------------------------------


@dataclass(frozen=True)
class MonthTotals:
    month: Month
    collected: int
    retained: int
    sent_up: int
    payers: int
    by_channel: Mapping[PaymentChannel, int] = field(default_factory=dict)


def branch_totals(payments: Iterable[Payment], rates: RateTable = DEFAULT_RATES,
                  ) -> dict[Month, MonthTotals]:
    """Per dues month: collected, retained by the chi bộ (that month's retention share of the
    total, half up) and sent up (the rest), so retained + sent up = collected exactly."""
    collected: dict[Month, int] = defaultdict(int)
    channels: dict[Month, dict[PaymentChannel, int]] = defaultdict(lambda: defaultdict(int))
    payers: dict[Month, set[str]] = defaultdict(set)
    for payment in payments:
        collected[payment.month] += payment.amount
        channels[payment.month][payment.channel] += payment.amount
        payers[payment.month].add(payment.member_id)
    totals: dict[Month, MonthTotals] = {}
    for month in sorted(collected):
        retained = _percent_of(collected[month], rates.rate_for(month).retention_percent)
        totals[month] = MonthTotals(month, collected[month], retained,
                                    collected[month] - retained, len(payers[month]),
                                    dict(channels[month]))
    return totals
