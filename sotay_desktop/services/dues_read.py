"""Reading the dues book: the rate table in force, each member's basis, exemptions and
payments, the year's book, a member's paid-up month and the 2/3-unpaid-month reminders.

The rules are the core's (``domain.dues``, ``domain.dues_book``); this module only turns
rows into their values. A member's admission and leaving come from their events (the
lifecycle fold), never from a copy. Writes are in ``services.dues``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.dues import (
    DuesBasis,
    Exemption,
    ExemptionKind,
    Month,
    Payment,
    RateTable,
    UnpaidFlag,
)
from sotay_core.domain.dues_book import DuesBook, MemberDues, build_book, due_for
from sotay_core.domain.dues_records import (
    RATE_FIELDS,
    basis_of,
    membership,
    rate_table_of,
    rate_version_of,
)
from sotay_core.domain.dues_records import exemption_of as stored_exemption
from sotay_core.domain.dues_records import payment_of as stored_payment
from sotay_core.domain.entities import MemberEvent, MemberStatus
from sotay_core.domain.errors import DomainError, NotFoundError, ValidationError
from sotay_core.domain.month_text import parse_month as parse_text
from sotay_core.domain.reminders import MemberHistory, Reminder, ReminderKind
from sotay_core.i18n import t
from sotay_desktop.db.month_tables import (
    DuesBasisRow,
    DuesExemptionRow,
    DuesPaymentRow,
    DuesRateRow,
)
from sotay_desktop.services.members import histories


def parse_month(value: Month | str) -> Month:
    """``"2026-02"`` (stored, CLI) or ``"02/2026"`` (as shown) to a Month."""
    return value if isinstance(value, Month) else parse_text(str(value))


# --- rates -------------------------------------------------------------------------------


def rate_rows(session: Session) -> list[DuesRateRow]:
    return list(session.scalars(select(DuesRateRow).where(DuesRateRow.deleted.is_(False))
                                .order_by(DuesRateRow.valid_from)))


def rate_table(session: Session) -> RateTable:
    """The settings' dated versions; none recorded: ``dues.DEFAULT_RATES``. A row that is
    not a valid version (merged from elsewhere) is left out rather than failing the book."""
    return rate_table_of(
        rate_version_of(**{name: getattr(row, name) for name in RATE_FIELDS})
        for row in rate_rows(session))


# --- members --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A member's time in the branch, from the events (``joined_on``: the first day on this
    roster, later than the admission for a member who transferred in; None for one who only
    attends here temporarily, whose dues are paid at their own branch)."""

    admitted_on: dt.date | None
    joined_on: dt.date | None
    left_on: dt.date | None
    status: MemberStatus


def span_of(events: Sequence[MemberEvent]) -> Span:
    return Span(*membership(events))


def _bases(session: Session, ids: Iterable[str] | None) -> dict[str, list[tuple[Month, DuesBasis]]]:
    query = select(DuesBasisRow).where(DuesBasisRow.deleted.is_(False))
    if ids is not None:
        query = query.where(DuesBasisRow.member_id.in_(list(ids)))
    found: dict[str, list[tuple[Month, DuesBasis]]] = {}
    for row in session.scalars(query):
        basis = basis_of(row.category, row.amount)
        if basis is None:
            continue
        found.setdefault(row.member_id, []).append((Month.of(row.valid_from), basis))
    return found


def exemption_of(row: DuesExemptionRow) -> Exemption | None:
    return stored_exemption(kind=row.kind, starts_on=row.starts_on, ends_on=row.ends_on,
                            decision=row.decision, percent=row.percent)


def _exemptions(session: Session, ids: Iterable[str] | None) -> dict[str, list[Exemption]]:
    query = select(DuesExemptionRow).where(DuesExemptionRow.deleted.is_(False))
    if ids is not None:
        query = query.where(DuesExemptionRow.member_id.in_(list(ids)))
    found: dict[str, list[Exemption]] = {}
    for row in session.scalars(query):
        exemption = exemption_of(row)
        if exemption is not None:
            found.setdefault(row.member_id, []).append(exemption)
    return found


def payment_of(row: DuesPaymentRow) -> Payment | None:
    return stored_payment(member_id=row.member_id, month=row.month, amount=row.amount,
                          paid_on=row.paid_on, channel=row.channel)


def payments(session: Session, ids: Iterable[str] | None = None) -> list[Payment]:
    # Columns, not ORM objects: a 5,000-member branch has ~80,000 payments.
    query = select(DuesPaymentRow.member_id, DuesPaymentRow.month, DuesPaymentRow.amount,
                   DuesPaymentRow.paid_on, DuesPaymentRow.channel).where(
        DuesPaymentRow.deleted.is_(False))
    if ids is not None:
        query = query.where(DuesPaymentRow.member_id.in_(list(ids)))
    found = (stored_payment(member_id=member_id, month=month, amount=amount, paid_on=paid_on,
                            channel=channel)
             for member_id, month, amount, paid_on, channel in session.execute(query))
    return [payment for payment in found if payment is not None]


def _in_year(span: Span, year: int) -> bool:
    if span.joined_on is None or span.joined_on.year > year:
        return False
    return span.left_on is None or span.left_on.year >= year


def member_dues(session: Session, *, unit_id: str, year: int | None = None,
                member_ids: Iterable[str] | None = None) -> list[MemberDues]:
    """The branch's members for the book, in roster order: everyone admitted, and (with
    ``year``) on the roster at some time in that year, including those who left in it."""
    people: list[tuple[MemberHistory, Span]] = []
    wanted = set(member_ids) if member_ids is not None else None
    for history in histories(session, unit_id=unit_id):
        if wanted is not None and history.member_id not in wanted:
            continue
        span = span_of(history.events)
        if span.admitted_on is None or span.joined_on is None or (
                year is not None and not _in_year(span, year)):
            continue
        people.append((history, span))
    ids = [history.member_id for history, _span in people]
    bases, exemptions = _bases(session, ids), _exemptions(session, ids)
    return [MemberDues(history.member_id, history.full_name, span.admitted_on,
                       span.left_on, tuple(bases.get(history.member_id, ())),
                       tuple(exemptions.get(history.member_id, ())), span.joined_on)
            for history, span in people if span.admitted_on is not None]


def book(session: Session, *, unit_id: str, year: int, today: dt.date) -> DuesBook:
    """The year's book, counted through the current month (a past year: through December)."""
    members = member_dues(session, unit_id=unit_id, year=year)
    through = min(Month.of(today), Month(year, 12))
    return build_book(members, payments(session, [m.member_id for m in members]), year,
                      through=through, rates=rate_table(session))


# --- one member --------------------------------------------------------------------------


def find_member(session: Session, *, unit_id: str, words: str) -> str:
    """A member of the branch by id, card number or exact full name (case and accents as
    typed or not); two members of that name are refused, asking for the card number."""
    from sotay_core.domain.text import fold
    from sotay_desktop.db.tables import MemberRow

    wanted = words.strip()
    rows = session.execute(select(MemberRow.id, MemberRow.full_name, MemberRow.card_number)
                           .where(MemberRow.unit_id == unit_id,
                                  MemberRow.deleted.is_(False))).all()
    for exact in (lambda r: r.id == wanted, lambda r: bool(r.card_number) and
                  r.card_number == wanted, lambda r: r.full_name == wanted,
                  lambda r: fold(r.full_name) == fold(wanted)):
        found = [row for row in rows if exact(row)]
        if len(found) == 1:
            return str(found[0].id)
        if len(found) > 1:
            raise ValidationError("dues_ui.member_ambiguous", name=wanted, count=len(found))
    raise NotFoundError("not_found", what=t("member"), id=wanted)



@dataclass(frozen=True, slots=True)
class ExemptionView:
    id: str
    kind: ExemptionKind
    start: Month
    end: Month | None
    percent: int
    decision: str


@dataclass(frozen=True, slots=True)
class MemberDuesView:
    """What the member panel and the basis dialog show of one member's dues."""

    member_id: str
    full_name: str
    bases: tuple[tuple[Month, DuesBasis], ...]   # oldest first
    exemptions: tuple[ExemptionView, ...]
    basis: DuesBasis | None                       # in force this month
    due_now: int                                  # this month's due
    paid_up_to: Month | None
    unpaid: tuple[Month, ...]                     # this year, through this month
    admitted_on: dt.date | None


def member_view(session: Session, *, unit_id: str, member_id: str,
                today: dt.date) -> MemberDuesView | None:
    """None when the member is not (or was never) an admitted member of the branch."""
    found = member_dues(session, unit_id=unit_id, member_ids=[member_id])
    if not found:
        return None
    member = found[0]
    rates = rate_table(session)
    line = build_book([member], payments(session, [member_id]), today.year,
                      through=Month.of(today), rates=rates).lines[0]
    rows = session.scalars(select(DuesExemptionRow).where(
        DuesExemptionRow.member_id == member_id, DuesExemptionRow.deleted.is_(False))
        .order_by(DuesExemptionRow.starts_on))
    views = tuple(ExemptionView(row.id, e.kind, e.start, e.end, e.percent, e.decision)
                  for row in rows if (e := exemption_of(row)) is not None)
    now = Month.of(today)
    try:
        due_now = due_for(member, now, rates)
    except DomainError:
        due_now = 0
    return MemberDuesView(member_id, member.name, tuple(sorted(member.bases, key=lambda b: b[0])),
                          views, member.basis_for(now), due_now, line.paid_up_to, line.unpaid,
                          member.admitted_on)


# --- reminders ---------------------------------------------------------------------------


def reminders(session: Session, *, unit_id: str, today: dt.date) -> list[Reminder]:
    """Members on the roster with 2 (warn) or 3+ (strike off) unpaid months this calendar
    year; ``years`` carries the count, ``due`` the first unpaid month's 1st day."""
    found: list[Reminder] = []
    current = book(session, unit_id=unit_id, year=today.year, today=today)
    for line in current.lines:
        if line.flag is None or not line.unpaid:
            continue
        if not line.cell(Month.of(today)).member:
            continue   # left the branch: no longer the secretary's to act on
        kind = (ReminderKind.DUES_STRIKE_OFF if line.flag is UnpaidFlag.STRIKE_OFF
                else ReminderKind.DUES_WARN)
        found.append(Reminder(kind, line.member_id, line.name, line.unpaid[0].first_day,
                              overdue=line.flag is UnpaidFlag.STRIKE_OFF,
                              years=len(line.unpaid)))
    return found
