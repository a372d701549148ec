"""The dues book (sổ thu nộp đảng phí) of one calendar year, computed from the records.

Pure: the caller passes each member's admission and leaving dates, dues bases over time,
exemptions, the payments and the rate table; ``build_book`` returns one line per member
(due and paid per month, unpaid months, the 2/3-month flag, the paid-up month) and the
branch's monthly totals. The desktop's grid, the printed book (PDF/XLSX), the receipt slips,
the monthly report and the province's figures all read this one computation.

Conventions beyond ``domain.dues``:

- A member's basis for a month is the basis whose ``valid_from`` is the latest on or before
  the month's 1st day. A member with no basis yet owes the "other" category's default (most
  village members are farmers or retired without a pension), and ``BookLine.no_basis`` says
  so, so the secretary can set it.
- Months after ``through`` (normally the current month) are shown but never counted unpaid.
- The book starts at the earliest month any payment of the branch is recorded for
  (``DuesBook.starts``): a secretary who begins the book in the app in November, without
  copying the paper book's earlier months, does not see every member flagged for January
  to October. Copying those months in moves the start back. No payment at all: nothing is
  counted unpaid.
- The paid-up month counts from the admission (for a member who transferred in: the arrival,
  ``MemberDues.joined_on``), or from the first payment recorded when the book was started
  later than that (the app does not know the paper book's past).
- Payments of the year outside a member's membership are still listed (they were refused
  on entry; a row merged from elsewhere is shown, never hidden), but a month outside the
  membership owes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sotay_core.domain.dues import (
    DEFAULT_RATES,
    DuesBasis,
    DuesCategory,
    Exemption,
    Month,
    MonthTotals,
    Payment,
    PaymentChannel,
    RateTable,
    UnpaidFlag,
    amount_due,
    branch_totals,
    is_member_in,
    months_between,
    paid_up_to,
    unpaid_flag,
    unpaid_months,
)

NO_BASIS = DuesBasis(DuesCategory.OTHER, 0)


@dataclass(frozen=True)
class MemberDues:
    """What the book needs to know of one member."""

    member_id: str
    name: str
    admitted_on: dt.date
    left_on: dt.date | None = None
    bases: Sequence[tuple[Month, DuesBasis]] = ()  # (valid from, basis), any order
    exemptions: Sequence[Exemption] = ()
    # The first day on this branch's roster when later than the admission (a member admitted
    # elsewhere who transferred in): dues are owed here from that month; the party age (the
    # 50 years' exemption) still counts from ``admitted_on``.
    joined_on: dt.date | None = None

    @property
    def on_book_from(self) -> dt.date:
        return max(self.admitted_on, self.joined_on) if self.joined_on else self.admitted_on

    def basis_for(self, month: Month) -> DuesBasis | None:
        found = [(start, basis) for start, basis in self.bases if start <= month]
        return max(found, key=lambda pair: pair[0])[1] if found else None


@dataclass(frozen=True)
class BookCell:
    month: Month
    due: int
    member: bool  # a member of the branch that month
    exempt: bool  # due reduced to 0 by an exemption or 50 years' membership
    payment: Payment | None = None

    @property
    def paid(self) -> int:
        return self.payment.amount if self.payment is not None else 0


@dataclass(frozen=True)
class BookLine:
    member_id: str
    name: str
    cells: tuple[BookCell, ...]
    unpaid: tuple[Month, ...]  # months of the year up to ``through`` with dues and no payment
    flag: UnpaidFlag | None
    paid_up_to: Month | None
    no_basis: bool

    @property
    def due_total(self) -> int:
        return sum(cell.due for cell in self.cells)

    @property
    def paid_total(self) -> int:
        return sum(cell.paid for cell in self.cells)

    def cell(self, month: Month) -> BookCell:
        return self.cells[month.month - 1]


@dataclass(frozen=True)
class DuesBook:
    year: int
    through: Month
    lines: tuple[BookLine, ...]
    totals: Mapping[Month, MonthTotals] = field(default_factory=dict)
    starts: Month | None = None  # the first month the book holds a payment for

    @property
    def months(self) -> list[Month]:
        return months_between(Month(self.year, 1), Month(self.year, 12))

    def month_totals(self, month: Month) -> MonthTotals:
        return self.totals.get(month) or MonthTotals(month, 0, 0, 0, 0, {})

    @property
    def collected(self) -> int:
        return sum(total.collected for total in self.totals.values())

    @property
    def retained(self) -> int:
        return sum(total.retained for total in self.totals.values())

    @property
    def sent_up(self) -> int:
        return sum(total.sent_up for total in self.totals.values())

    def flagged(self, flag: UnpaidFlag) -> list[BookLine]:
        return [line for line in self.lines if line.flag is flag]


def due_for(member: MemberDues, month: Month, rates: RateTable = DEFAULT_RATES) -> int:
    if month < Month.of(member.on_book_from):
        return 0
    basis = member.basis_for(month) or NO_BASIS
    return amount_due(basis, member.exemptions, month, rates, admitted_on=member.admitted_on,
                      left_on=member.left_on)


def _line(member: MemberDues, payments: Sequence[Payment], year: int, through: Month,
          rates: RateTable, starts: Month | None) -> BookLine:
    by_month = {payment.month: payment for payment in payments}
    cells: list[BookCell] = []
    dues: dict[Month, int] = {}
    for month in months_between(Month(year, 1), Month(year, 12)):
        inside = is_member_in(month, admitted_on=member.on_book_from, left_on=member.left_on)
        due = due_for(member, month, rates) if inside else 0
        exempt = inside and due == 0  # 50 years' membership or a full exemption
        dues[month] = due
        cells.append(BookCell(month, due, inside, exempt, by_month.get(month)))
    counted = {month: due for month, due in dues.items()
               if starts is not None and month >= starts}
    unpaid = unpaid_months(counted, payments, year, through=through)
    # Paid up from the first month the book knows of: the admission, or the first payment
    # recorded when the book was started later.
    paid = sorted(payment.month for payment in payments)
    joined = Month.of(member.on_book_from)
    start = max(joined, paid[0]) if paid else joined
    all_dues = {month: dues[month] if month in dues else due_for(member, month, rates)
                for month in months_between(start, paid[-1])} if paid else {}
    return BookLine(
        member_id=member.member_id, name=member.name, cells=tuple(cells),
        unpaid=tuple(unpaid), flag=unpaid_flag(len(unpaid)),
        paid_up_to=paid_up_to(payments, start=start, due_months=all_dues),
        no_basis=not member.bases)


def build_book(members: Iterable[MemberDues], payments: Iterable[Payment], year: int, *,
               through: Month, rates: RateTable = DEFAULT_RATES) -> DuesBook:
    """The year's book. ``payments``: every payment of these members (any year: the paid-up
    month looks back to admission). Totals count the year's payments by the month they are
    for, members' or not (a payment is money in the book either way)."""
    mine: dict[str, list[Payment]] = {}
    year_payments: list[Payment] = []
    for payment in payments:
        mine.setdefault(payment.member_id, []).append(payment)
        if payment.month.year == year:
            year_payments.append(payment)
    starts = min((p.month for found in mine.values() for p in found), default=None)
    lines = tuple(_line(member, mine.get(member.member_id, []), year, through, rates, starts)
                  for member in members)
    return DuesBook(year, through, lines, branch_totals(year_payments, rates), starts)


def channel_total(book: DuesBook, channel: PaymentChannel) -> int:
    return sum(total.by_channel.get(channel, 0) for total in book.totals.values())
