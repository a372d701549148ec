"""Writing the dues book: a member's basis, exemptions, payments (one month or an advance),
a cancelled payment, and a new dated rate version.

Every value is checked by the core's rules (``domain.dues``) before anything is written, and
every write goes through ``recording`` (outbox + audit) in the caller's transaction: a
refused payment leaves the book as it was. Each refusal of a payment names the member (by
name) and the month. Reads are in ``services.dues_read``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    check_payment,
    split_advance,
)
from sotay_core.domain.dues_book import MemberDues, due_for
from sotay_core.domain.errors import DomainError, NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.text import clean_line
from sotay_core.i18n import t
from sotay_desktop.db.month_tables import (
    DuesBasisRow,
    DuesExemptionRow,
    DuesPaymentRow,
    DuesRateRow,
)
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.dues_read import member_dues as read_member_dues
from sotay_desktop.services.dues_read import (
    parse_month,
    payments,
    rate_rows,
    rate_table,
)
from sotay_desktop.services.members import live_row
from sotay_desktop.services.recording import apply_update, record_change

MAX_ADVANCE_MONTHS = 24


def _choice(enum: Any, value: object, field: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValidationError("bad_choice", field=field, value=str(value),
                              choices=", ".join(item.value for item in enum)) from None


def _text(value: str, limit: int) -> str:
    return clean_line(value or "")[:limit]


def _member(session: Session, unit_id: str, member_id: str, month: Month) -> MemberDues:
    """The member as the book sees them; refused (naming them) when never admitted."""
    row = live_row(session, member_id)
    found = read_member_dues(session, unit_id=unit_id, member_ids=[member_id])
    if not found:
        raise ValidationError("dues.not_admitted", member=row.full_name, month=str(month))
    return found[0]


def _named(exc: ValidationError, name: str) -> ValidationError:
    """The core's error names the member by id: name them for a person."""
    return ValidationError(exc.code, field=exc.field, **{**exc.params, "member": name})


class MemberRefusal(ValidationError):
    """A refusal of the core's rules (which know no names) after the member's full name,
    in the language the message is read in; ``code`` and ``params`` stay the core's."""

    def __init__(self, exc: DomainError, name: str) -> None:
        self.inner, self.name = exc, name
        super().__init__(exc.code, field=exc.field, **exc.params)

    def message(self, lang: str | None = None) -> str:
        return t("dues.member_refusal", lang=lang, member=self.name,
                 reason=self.inner.message(lang))


def _exemption(name: str, kind: ExemptionKind | str, start: Month | str,
               end: Month | str | None, decision: str, percent: int) -> Exemption:
    try:
        return Exemption(_choice(ExemptionKind, kind, "kind"), parse_month(start),
                         parse_month(end) if end else None, decision, int(percent))
    except ValidationError as exc:
        raise MemberRefusal(exc, name) from None


# --- basis and exemptions ---------------------------------------------------------------


def set_basis(session: Session, *, member_id: str, category: DuesCategory | str, amount: int,
              valid_from: Month | str, note: str = "") -> Changes:
    """The member's basis from ``valid_from`` (a month) on; the same month again replaces it."""
    row = live_row(session, member_id)
    start = parse_month(valid_from)
    basis = DuesBasis(_choice(DuesCategory, category, "category"), int(amount))
    existing = session.scalars(select(DuesBasisRow).where(
        DuesBasisRow.member_id == row.id, DuesBasisRow.valid_from == start.first_day,
        DuesBasisRow.deleted.is_(False))).first()
    values = {"category": basis.category.value, "amount": basis.amount,
              "note": _text(note, 300)}
    if existing is not None:
        changed = apply_update(session, entity="dues_bases", row=existing, values=values)
        return Changes.of("dues_bases") if changed else Changes()
    new = DuesBasisRow(id=new_id(), member_id=row.id, valid_from=start.first_day, **values)
    session.add(new)
    session.flush()
    record_change(session, entity="dues_bases", row_id=new.id, op="create", base_version=0,
                  fields={"member_id": row.id, "valid_from": new.valid_from, **values})
    return Changes.of("dues_bases")


def add_exemption(session: Session, *, member_id: str, kind: ExemptionKind | str,
                  start: Month | str, end: Month | str | None = None, percent: int = 100,
                  decision: str = "", note: str = "") -> tuple[str, Changes]:
    """An exemption or a 30/50/70 % reduction over months ``start``..``end`` (the core
    refuses a waiver or reduction longer than 12 months, or without an end)."""
    row = live_row(session, member_id)
    exemption = _exemption(row.full_name, kind, start, end, _text(decision, 200), percent)
    _refuse_overlap(session, row.id, row.full_name, exemption.start, exemption.end)
    new = DuesExemptionRow(
        id=new_id(), member_id=row.id, kind=exemption.kind.value,
        starts_on=exemption.start.first_day,
        ends_on=exemption.end.first_day if exemption.end else None,
        percent=exemption.percent, decision=exemption.decision, note=_text(note, 300))
    session.add(new)
    session.flush()
    record_change(session, entity="dues_exemptions", row_id=new.id, op="create", base_version=0,
                  fields={"member_id": row.id, "kind": new.kind, "starts_on": new.starts_on,
                          "ends_on": new.ends_on, "percent": new.percent,
                          "decision": new.decision, "note": new.note})
    return new.id, Changes.of("dues_exemptions")


def _refuse_overlap(session: Session, member_id: str, name: str, start: Month,
                    end: Month | None, *, other_than: str = "") -> None:
    """A second exemption over months already exempted would be counted twice: refused,
    naming the member and the first month both cover."""
    for other in session.scalars(select(DuesExemptionRow).where(
            DuesExemptionRow.member_id == member_id, DuesExemptionRow.deleted.is_(False),
            DuesExemptionRow.id != other_than)):
        first, last = Month.of(other.starts_on), (Month.of(other.ends_on) if other.ends_on
                                                  else None)
        if (end is None or first <= end) and (last is None or start <= last):
            raise ValidationError(
                "dues.exemption_overlap", member=name, month=str(max(start, first)),
                start=str(first),
                end=f"–{last}" if last is not None else t("dues.exemption_open_end"))


def _exemption_row(session: Session, exemption_id: str) -> DuesExemptionRow:
    row = session.get(DuesExemptionRow, exemption_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("dues.exemption"), id=exemption_id)
    return row


def end_exemption(session: Session, *, exemption_id: str, end: Month | str) -> Changes:
    """The exemption's last month (checked again by the core's rules)."""
    row = _exemption_row(session, exemption_id)
    last = parse_month(end)
    name = live_row(session, row.member_id).full_name
    _exemption(name, row.kind, Month.of(row.starts_on), last, row.decision, row.percent)
    _refuse_overlap(session, row.member_id, name, Month.of(row.starts_on), last,
                    other_than=row.id)
    changed = apply_update(session, entity="dues_exemptions", row=row,
                           values={"ends_on": last.first_day})
    return Changes.of("dues_exemptions") if changed else Changes()


def remove_exemption(session: Session, *, exemption_id: str) -> Changes:
    """An exemption entered by mistake (kept, marked deleted)."""
    row = _exemption_row(session, exemption_id)
    apply_update(session, entity="dues_exemptions", row=row, values={"deleted": True})
    return Changes.of("dues_exemptions")


# --- payments ----------------------------------------------------------------------------


def record_payment(
    session: Session,
    *,
    unit_id: str,
    member_id: str,
    month: Month | str,
    today: dt.date,
    months: int = 1,
    amount: int | None = None,
    channel: PaymentChannel | str = PaymentChannel.CASH,
    paid_on: dt.date | str | None = None,
    receipt: str = "",
    note: str = "",
) -> tuple[list[Month], Changes]:
    """One month's dues, or an advance over ``months`` months from ``month`` (one row per
    month with something due, each of that month's due; ``amount`` is then the total).
    ``amount`` None: the month's due. Every month is checked before any row is written."""
    first = parse_month(month)
    member = _member(session, unit_id, member_id, first)
    name = member.name
    if not 1 <= int(months) <= MAX_ADVANCE_MONTHS:
        raise ValidationError("dues.bad_advance", member=name, month=str(first),
                              months=months, limit=MAX_ADVANCE_MONTHS)
    pay_channel = _choice(PaymentChannel, channel, "channel")
    day = clean_date_field("date", paid_on or today, today=today)
    assert day is not None
    rates = rate_table(session)

    def due(of: Month) -> int:
        return due_for(member, of, rates)

    def nothing_due() -> ValidationError:
        # outside the membership says so first; otherwise the month is exempt
        check_payment(Payment(member_id, first, 1, day, pay_channel), due=0,
                      admitted_on=member.on_book_from, left_on=member.left_on)
        return ValidationError("dues.nothing_due", member=name, month=str(first))

    wanted = [first.plus(i) for i in range(int(months))]
    try:
        if len(wanted) == 1:
            value = due(first) if amount is None else int(amount)
            if amount is None and value == 0:
                raise nothing_due()
            planned = [Payment(member_id, first, value, day, pay_channel)]
        else:
            planned = split_advance(member_id=member_id, months=wanted, due=due, paid_on=day,
                                    channel=pay_channel, total=amount)
            if not planned:
                raise nothing_due()
        existing = payments(session, [member_id])
        for payment in planned:
            check_payment(payment, due=due(payment.month), admitted_on=member.on_book_from,
                          left_on=member.left_on, existing=existing)
    except ValidationError as exc:
        raise _named(exc, name) from None
    receipt_no = _text(receipt, 40)
    for payment in planned:
        row = DuesPaymentRow(id=new_id(), member_id=member_id, month=payment.month.key,
                             amount=payment.amount, paid_on=day, channel=pay_channel.value,
                             receipt=receipt_no, note=_text(note, 300))
        session.add(row)
        session.flush()
        record_change(session, entity="dues_payments", row_id=row.id, op="create",
                      base_version=0, fields={
                          "member_id": member_id, "month": row.month, "amount": row.amount,
                          "paid_on": row.paid_on, "channel": row.channel,
                          "receipt": row.receipt, "note": row.note})
    return [payment.month for payment in planned], Changes.of("dues_payments")


def cancel_payment(session: Session, *, member_id: str, month: Month | str) -> Changes:
    """The member-month's payment marked deleted (kept for the audit and the sync)."""
    row = live_row(session, member_id)
    which = parse_month(month)
    found = session.scalars(select(DuesPaymentRow).where(
        DuesPaymentRow.member_id == member_id, DuesPaymentRow.month == which.key,
        DuesPaymentRow.deleted.is_(False))).all()
    if not found:
        raise ValidationError("dues.no_payment", member=row.full_name, month=str(which))
    for payment in found:
        apply_update(session, entity="dues_payments", row=payment, values={"deleted": True})
    return Changes.of("dues_payments")


# --- rates --------------------------------------------------------------------------------


def _decimal(value: Decimal | str | float | int, name: str) -> Decimal:
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError("dues.bad_rate", name=name, value=str(value)) from None


def _add_rate_row(session: Session, version: RateVersion, note: str = "") -> None:
    row = DuesRateRow(
        id=new_id(), valid_from=version.valid_from, name=version.name,
        salary_percent=str(version.salary_percent), pension_percent=str(version.pension_percent),
        student_amount=version.student_amount, other_default=version.other_default,
        other_min=version.other_min, other_max=version.other_max,
        retention_percent=str(version.retention_percent), note=note)
    session.add(row)
    session.flush()
    record_change(session, entity="dues_rates", row_id=row.id, op="create", base_version=0,
                  fields={key: getattr(row, key) for key in (
                      "valid_from", "name", "salary_percent", "pension_percent",
                      "student_amount", "other_default", "other_min", "other_max",
                      "retention_percent", "note")})


def add_rate(session: Session, *, valid_from: Month | str, name: str,
             salary_percent: Decimal | str, pension_percent: Decimal | str,
             student_amount: int, other_default: int, other_min: int, other_max: int,
             retention_percent: Decimal | str, note: str = "") -> Changes:
    """A new dated version of the rates; one starting on a month that already has a version
    is refused (``dues.rate_overlap``). With no version recorded yet, the defaults are first
    written as rows, so every rate in force is a setting the secretary can see."""
    title = _text(name, 60) or str(parse_month(valid_from))
    version = RateVersion(
        valid_from=parse_month(valid_from).first_day, name=title,
        salary_percent=_decimal(salary_percent, title),
        pension_percent=_decimal(pension_percent, title),
        student_amount=int(student_amount), other_default=int(other_default),
        other_min=int(other_min), other_max=int(other_max),
        retention_percent=_decimal(retention_percent, title))
    current: RateTable = rate_table(session)
    current.with_version(version)   # raises dues.rate_overlap
    if not rate_rows(session):
        for default in DEFAULT_RATES.versions:
            _add_rate_row(session, default, note=t("dues.default_rate_note"))
    _add_rate_row(session, version, note=_text(note, 300))
    return Changes.of("dues_rates")

