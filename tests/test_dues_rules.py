"""The dues book's pure rules (sotay_core/domain/dues.py): amounts under each category,
exemption and date (before and after 1/2/2026), dated rate versions, the refusals, the unpaid
flags across a year end, paid-up month and the branch totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sotay_core.domain import dues
from sotay_core.domain.dues import (
    DEFAULT_RATES,
    DuesBasis,
    DuesCategory,
    Exemption,
    ExemptionKind,
    Month,
    Payment,
    PaymentChannel,
    RateTable,
    RateVersion,
    UnpaidFlag,
)
from sotay_core.domain.errors import DomainError

pytestmark = pytest.mark.server

JAN26, FEB26 = Month(2026, 1), Month(2026, 2)
ADMITTED = dt.date(2000, 5, 19)


def due(basis: DuesBasis, month: Month, *exemptions: Exemption,
        admitted_on: dt.date = ADMITTED, left_on: dt.date | None = None) -> int:
    return dues.amount_due(basis, exemptions, month, DEFAULT_RATES,
                           admitted_on=admitted_on, left_on=left_on)


# --- amounts ----------------------------------------------------------------------------


@pytest.mark.parametrize(("basis", "january", "february"), [
    (DuesBasis(DuesCategory.INSURED_SALARY, 8_450_050), 84_501, 84_501),  # 84,500.5 → half up
    (DuesBasis(DuesCategory.PENSION, 6_000_100), 30_001, 30_001),  # 30,000.5 → half up
    (DuesBasis(DuesCategory.PENSION, 6_000_099), 30_000, 30_000),  # 30,000.495 → down
    (DuesBasis(DuesCategory.STUDENT), 2_000, 5_000),  # QĐ 342 (UNCONFIRMED) then QĐ 01
    (DuesBasis(DuesCategory.OTHER, 10_000), 10_000, 10_000),
    (DuesBasis(DuesCategory.OTHER), 2_000, 2_000),  # the rate's default
])
def test_amount_under_each_category_before_and_after_1_2_2026(
        basis: DuesBasis, january: int, february: int) -> None:
    assert due(basis, JAN26) == january
    assert due(basis, FEB26) == february


def test_the_rate_is_picked_by_the_months_first_day() -> None:
    assert DEFAULT_RATES.rate_for(JAN26).name == "QĐ 342-QĐ/TW"
    assert DEFAULT_RATES.rate_for(FEB26).name == "QĐ 01-QĐ/TW"
    assert DEFAULT_RATES.rate_for(Month(2030, 12)).name == "QĐ 01-QĐ/TW"
    with pytest.raises(DomainError) as refused:
        DEFAULT_RATES.rate_for(Month(2009, 12))
    assert refused.value.code == "dues.no_rate"


def _version(valid_from: dt.date, name: str, salary: str = "1") -> RateVersion:
    return RateVersion(valid_from=valid_from, name=name, salary_percent=Decimal(salary),
                       pension_percent=Decimal("0.5"), student_amount=5_000,
                       other_default=2_000, other_min=2_000, other_max=30_000,
                       retention_percent=Decimal("40"))


def test_a_new_dated_version_applies_from_its_month_and_an_overlap_is_refused() -> None:
    table = DEFAULT_RATES.with_version(_version(dt.date(2027, 7, 1), "later", salary="2"))
    salary = DuesBasis(DuesCategory.INSURED_SALARY, 10_000_000)
    assert dues.amount_due(salary, (), Month(2027, 6), table, admitted_on=ADMITTED) == 100_000
    assert dues.amount_due(salary, (), Month(2027, 7), table, admitted_on=ADMITTED) == 200_000
    with pytest.raises(DomainError) as refused:
        table.with_version(_version(dt.date(2026, 2, 1), "again"))
    assert refused.value.code == "dues.rate_overlap"
    assert refused.value.params["valid_from"] == "01/02/2026"   # as the papers write dates
    with pytest.raises(DomainError) as refused:
        RateTable((_version(dt.date(2027, 1, 1), "a"), _version(dt.date(2027, 1, 1), "b")))
    assert refused.value.code == "dues.rate_overlap"
    with pytest.raises(DomainError) as refused:
        _version(dt.date(2027, 1, 15), "mid-month")
    assert refused.value.code == "dues.rate_not_month_start"


# --- exemptions and reductions ----------------------------------------------------------


@pytest.mark.parametrize(("percent", "left"), [(30, 3_500), (50, 2_500), (70, 1_500)])
def test_the_30_50_70_percent_cuts(percent: int, left: int) -> None:
    cut = Exemption(ExemptionKind.REDUCTION, FEB26, Month(2027, 1), "QĐ 12-QĐ/ĐU", percent)
    student = DuesBasis(DuesCategory.STUDENT)
    assert due(student, FEB26, cut) == left
    assert due(student, Month(2027, 1), cut) == left
    assert due(student, Month(2027, 2), cut) == 5_000  # the 13th month: the cut is over
    assert due(student, JAN26, cut) == 2_000  # before it


def test_a_cut_beyond_12_months_or_of_another_percent_is_refused() -> None:
    for end in (Month(2027, 2), None):
        with pytest.raises(DomainError) as refused:
            Exemption(ExemptionKind.REDUCTION, FEB26, end, "QĐ", 50)
        assert refused.value.code == "dues.reduction_too_long"
    with pytest.raises(DomainError) as refused:
        Exemption(ExemptionKind.HARDSHIP_WAIVER, FEB26, Month(2027, 2), "QĐ")
    assert refused.value.code == "dues.reduction_too_long"
    for percent in (40, 100, 0):
        with pytest.raises(DomainError) as refused:
            Exemption(ExemptionKind.REDUCTION, FEB26, Month(2026, 3), "QĐ", percent)
        assert refused.value.code == "dues.bad_reduction_percent"
    with pytest.raises(DomainError) as refused:
        Exemption(ExemptionKind.SOCIAL_PENSION, FEB26, JAN26, "QĐ")
    assert refused.value.code == "dues.exemption_end_before_start"


@pytest.mark.parametrize("kind", [ExemptionKind.SOCIAL_PENSION, ExemptionKind.POOR_OR_ILL])
def test_full_exemptions_may_be_open_ended(kind: ExemptionKind) -> None:
    exempt = Exemption(kind, FEB26, None, "Nghị quyết chi bộ 3/2026")
    pension = DuesBasis(DuesCategory.PENSION, 5_000_000)
    assert due(pension, JAN26, exempt) == 25_000
    assert due(pension, FEB26, exempt) == 0
    assert due(pension, Month(2040, 6), exempt) == 0


@pytest.mark.parametrize(("admitted_on", "first_exempt"), [
    (dt.date(1976, 3, 1), Month(2026, 3)),  # the anniversary on the 1st: that month
    (dt.date(1976, 3, 15), Month(2026, 4)),  # mid-month: the month after
    (dt.date(1975, 12, 31), Month(2026, 1)),  # across the year end
])
def test_the_fifty_years_exemption_starts_the_right_month(
        admitted_on: dt.date, first_exempt: Month) -> None:
    assert dues.fifty_years_month(admitted_on) == first_exempt
    pension = DuesBasis(DuesCategory.PENSION, 4_000_000)
    assert due(pension, first_exempt.plus(-1), admitted_on=admitted_on) > 0
    assert due(pension, first_exempt, admitted_on=admitted_on) == 0


def test_nothing_is_due_outside_membership() -> None:
    student = DuesBasis(DuesCategory.STUDENT)
    joined, left = dt.date(2026, 3, 20), dt.date(2026, 9, 2)
    expected = {FEB26: 0, Month(2026, 3): 5_000, Month(2026, 9): 5_000, Month(2026, 10): 0}
    for month, amount in expected.items():
        assert due(student, month, admitted_on=joined, left_on=left) == amount


# --- payments and their refusals --------------------------------------------------------


def _pay(month: Month, amount: int = 5_000, member: str = "m1") -> Payment:
    return Payment(member, month, amount, dt.date(2026, 3, 5), PaymentChannel.CASH)


@pytest.mark.parametrize(("payment", "code", "existing"), [
    (_pay(Month(2026, 2)), "dues.before_admission", ()),
    (_pay(Month(2026, 10)), "dues.after_leaving", ()),
    (_pay(Month(2026, 4), -5_000), "dues.amount_not_positive", ()),
    (_pay(Month(2026, 4), 0), "dues.amount_not_positive", ()),
    (_pay(Month(2026, 4), 500_001), "dues.amount_absurd", ()),  # > 100 × 5,000
    (_pay(Month(2026, 4)), "dues.duplicate_payment", (_pay(Month(2026, 4), 6_000),)),
])
def test_each_refusal_names_the_member_and_the_month(
        payment: Payment, code: str, existing: tuple[Payment, ...]) -> None:
    with pytest.raises(DomainError) as refused:
        dues.check_payment(payment, due=5_000, admitted_on=dt.date(2026, 3, 20),
                           left_on=dt.date(2026, 9, 2), existing=existing)
    assert refused.value.code == code
    assert refused.value.params["member"] == "m1"
    assert refused.value.params["month"] == str(payment.month)
    assert "m1" in refused.value.message("vi") and str(payment.month) in refused.value.message("en")


def test_a_fair_payment_passes_and_the_absolute_cap_holds_when_nothing_is_due() -> None:
    other_member = (_pay(Month(2026, 4), member="m2"),)
    dues.check_payment(_pay(Month(2026, 4), 500_000), due=5_000, admitted_on=ADMITTED,
                       left_on=None, existing=other_member)
    dues.check_payment(_pay(Month(2026, 4), 5_000), due=0, admitted_on=ADMITTED, left_on=None)
    with pytest.raises(DomainError) as refused:
        dues.check_payment(_pay(Month(2026, 4), dues.MAX_PAYMENT + 1), due=0,
                           admitted_on=ADMITTED, left_on=None)
    assert refused.value.code == "dues.amount_absurd"


def test_an_advance_splits_into_one_payment_per_month_due() -> None:
    exempt_may = Exemption(ExemptionKind.HARDSHIP_WAIVER, Month(2026, 5), Month(2026, 5), "QĐ")
    student = DuesBasis(DuesCategory.STUDENT)
    payments = dues.split_advance(
        member_id="m1", months=dues.months_between(JAN26, Month(2026, 6)),
        due=lambda month: due(student, month, exempt_may), paid_on=dt.date(2026, 1, 3),
        channel=PaymentChannel.PORTAL, total=2_000 + 4 * 5_000)
    assert [(p.month, p.amount) for p in payments] == [
        (JAN26, 2_000), (FEB26, 5_000), (Month(2026, 3), 5_000), (Month(2026, 4), 5_000),
        (Month(2026, 6), 5_000)]
    assert {p.channel for p in payments} == {PaymentChannel.PORTAL}
    with pytest.raises(DomainError) as refused:
        dues.split_advance(member_id="m1", months=[FEB26, JAN26], due=lambda _: 5_000,
                           paid_on=dt.date(2026, 1, 3), total=9_000)
    assert refused.value.code == "dues.advance_mismatch"
    assert refused.value.params["member"] == "m1" and refused.value.params["month"] == "01/2026"


# --- unpaid months, paid-up month -------------------------------------------------------


def test_unpaid_flags_restart_each_calendar_year_and_skip_exempt_months() -> None:
    months = dues.months_between(Month(2025, 9), Month(2026, 3))
    owed = {month: 5_000 for month in months} | {Month(2026, 2): 0}  # February exempt
    paid = [_pay(Month(2025, 9)), _pay(Month(2025, 10))]
    unpaid_2025 = dues.unpaid_months(owed, paid, 2025)
    assert unpaid_2025 == [Month(2025, 11), Month(2025, 12)]
    assert dues.unpaid_flag(len(unpaid_2025)) is UnpaidFlag.WARN
    # January 2026 is unpaid too, yet the count restarts: 1, no flag.
    assert dues.unpaid_months(owed, paid, 2026, through=Month(2026, 2)) == [JAN26]
    assert dues.unpaid_flag(1) is None
    # The exempt February does not count; March makes two.
    assert dues.unpaid_months(owed, paid, 2026) == [JAN26, Month(2026, 3)]
    assert dues.unpaid_flag(3) is UnpaidFlag.STRIKE_OFF
    assert dues.unpaid_flag(5) is UnpaidFlag.STRIKE_OFF


def test_paid_up_to_is_the_last_month_without_a_gap() -> None:
    start = Month(2025, 11)
    paid = [_pay(Month(2025, 11)), _pay(Month(2025, 12)), _pay(FEB26), _pay(Month(2026, 4))]
    assert dues.paid_up_to(paid, start=start) == Month(2025, 12)
    assert dues.paid_up_to(paid, start=start, due_months={JAN26: 0}) == FEB26
    assert dues.paid_up_to(paid, start=start, due_months={JAN26: 0, Month(2026, 3): 0}) == \
        Month(2026, 4)
    assert dues.paid_up_to(paid[1:], start=start) is None
    assert dues.paid_up_to([], start=start) is None


# --- branch totals ----------------------------------------------------------------------


def test_branch_totals_equal_the_sum_of_payments_under_each_months_share() -> None:
    payments = [_pay(JAN26, 84_501, "a"), _pay(JAN26, 2_000, "b"),
                Payment("a", FEB26, 84_501, dt.date(2026, 2, 3), PaymentChannel.PORTAL),
                _pay(FEB26, 5_000, "b")]
    table = DEFAULT_RATES.with_version(_version(dt.date(2026, 3, 1), "forty"))
    payments.append(_pay(Month(2026, 3), 5_001, "b"))
    totals = dues.branch_totals(payments, table)
    assert totals[JAN26].collected == 86_501
    assert totals[JAN26].retained == 25_950  # 30 % of 86,501 = 25,950.3
    assert totals[FEB26].by_channel == {PaymentChannel.PORTAL: 84_501, PaymentChannel.CASH: 5_000}
    assert totals[Month(2026, 3)].retained == 2_000  # 40 % of 5,001 = 2,000.4
    assert sum(total.collected for total in totals.values()) == sum(p.amount for p in payments)
    for total in totals.values():
        assert total.retained + total.sent_up == total.collected


# --- a property: an independent computation agrees --------------------------------------


_month_index = st.integers(min_value=0, max_value=35)  # Jan 2025 … Dec 2027


@settings(max_examples=200, deadline=None)
@given(owed=st.dictionaries(_month_index, st.sampled_from([0, 2_000, 5_000, 84_501])),
       paid=st.dictionaries(_month_index, st.integers(min_value=1, max_value=200_000)),
       year=st.sampled_from([2025, 2026, 2027]))
def test_unpaid_months_and_totals_agree_with_an_independent_count(
        owed: dict[int, int], paid: dict[int, int], year: int) -> None:
    def to_month(index: int) -> Month:
        return Month(2025 + index // 12, index % 12 + 1)

    payments = [Payment("m", to_month(i), amount, dt.date(2025, 1, 1)) for i, amount in
                paid.items()]
    got = dues.unpaid_months({to_month(i): amount for i, amount in owed.items()}, payments, year)
    # Independently: walk the 12 index slots of the year and count by hand.
    expected = []
    for slot in range((year - 2025) * 12, (year - 2025) * 12 + 12):
        if owed.get(slot, 0) != 0 and slot not in paid:
            expected.append(slot)
    assert [(m.year - 2025) * 12 + m.month - 1 for m in got] == expected
    flag = dues.unpaid_flag(len(got))
    assert flag == (None if len(expected) < 2 else
                    UnpaidFlag.WARN if len(expected) == 2 else UnpaidFlag.STRIKE_OFF)

    totals = dues.branch_totals(payments)
    for i, amount in paid.items():
        share = 30  # both default versions keep 30 % (UNCONFIRMED)
        month_total = totals[to_month(i)]
        assert month_total.collected == amount
        assert month_total.retained == (amount * share + 50) // 100  # half up, integers
        assert month_total.sent_up == amount - month_total.retained
    assert sum(t.collected for t in totals.values()) == sum(paid.values())
