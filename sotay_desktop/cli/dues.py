"""``sotay dues …``: a member's basis and exemptions, payments (one month or in advance), the
year's grid, the book as PDF/XLSX, the month's receipt slips, and the dated rates. MEMBER
is a card number, an exact full name or an id. The same use cases as the "Đảng phí" screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.month_text import parse_amount
from sotay_desktop.cli.common import CliError, command, group, print_json, workspace, year
from sotay_desktop.cli.common import month as _month
from sotay_desktop.usecases import dues, dues_papers


def _amount(text: str) -> int:
    """Đồng as a secretary writes them (``month_text.parse_amount``)."""
    try:
        amount = parse_amount(text)
    except ValidationError:
        amount = None
    if amount is None:
        raise argparse.ArgumentTypeError(i18n.t("cli.dues_bad_amount", value=text))
    return amount


def cmd_basis(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = dues.find_member(ws, args.member)
        dues.set_basis(ws, member_id=member_id, category=args.category, amount=args.amount,
                       valid_from=args.valid_from, note=args.note)
    out.write(i18n.t("dues_ui.basis_saved") + "\n")
    return 0


def cmd_exempt(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = dues.find_member(ws, args.member)
        dues.add_exemption(
            ws, member_id=member_id, kind=args.kind, start=args.start, end=args.end,
            percent=args.percent, decision=args.decision)
        view = dues.member_dues(ws, member_id)
    start = _month(args.start)
    period = i18n.t("cli.dues_period", start=start, end=_month(args.end)) if args.end \
        else i18n.t("dues_ui.from_month", month=str(start))
    name = view.full_name if view else member_id
    out.write(i18n.t("cli.dues_exempted", name=name, kind=i18n.t(f"dues_ui.kind_{args.kind}"),
                     period=period, percent=args.percent) + "\n")
    return 0


def cmd_pay(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = dues.find_member(ws, args.member)
        months, _ = dues.record_payment(
            ws, member_id=member_id, month=args.month, months=args.months, amount=args.amount,
            channel=args.channel, paid_on=args.date, receipt=args.receipt)
    out.write(i18n.t("cli.dues_paid", months=", ".join(str(m) for m in months)) + "\n")
    return 0


def cmd_cancel(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = dues.find_member(ws, args.member)
        dues.cancel_payment(ws, member_id=member_id, month=args.month)
    out.write(i18n.t("cli.dues_cancelled", month=str(_month(args.month))) + "\n")
    return 0


def _grid_json(book: Any) -> dict[str, Any]:
    def iso(month: Any) -> str | None:
        return None if month is None else month.key

    return {
        "year": book.year, "through": iso(book.through),
        "collected": book.collected, "retained": book.retained, "sent_up": book.sent_up,
        "totals": [{"month": iso(m), "collected": t.collected, "retained": t.retained,
                    "sent_up": t.sent_up, "payers": t.payers}
                   for m in book.months for t in [book.month_totals(m)]],
        "members": [{
            "member_id": line.member_id, "name": line.name, "paid_total": line.paid_total,
            "due_total": line.due_total, "unpaid": [iso(m) for m in line.unpaid],
            "flag": line.flag.value if line.flag else None,
            "paid_up_to": iso(line.paid_up_to), "no_basis": line.no_basis,
            "months": [{"month": iso(cell.month), "due": cell.due, "member": cell.member,
                        "exempt": cell.exempt, "paid": cell.paid,
                        "channel": cell.payment.channel.value if cell.payment else None,
                        "paid_on": cell.payment.paid_on.isoformat() if cell.payment else None}
                       for cell in line.cells]}
            for line in book.lines],
    }


def _cell(line: Any, cell: Any) -> str:
    """Paid: the amount; late: the due in brackets; exempt: the word; else blank."""
    from sotay_desktop.documents.dues_paper import Mark, mark

    kind = mark(line, cell)
    if kind is Mark.PAID:
        return str(cell.paid)
    if kind is Mark.UNPAID:
        return f"({cell.due})"
    return i18n.t("dues_ui.exempt") if kind is Mark.EXEMPT else ""


def cmd_grid(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        book = dues.book(ws, args.year)
    if args.json:
        print_json(_grid_json(book), out)
        return 0
    width = max((len(line.name) for line in book.lines), default=10)
    heads = [i18n.t("dues_ui.col_month", month=m) for m in range(1, 13)]
    out.write(f"{'':{width}}  " + " ".join(f"{h:>9}" for h in heads)
              + f" {i18n.t('dues_ui.col_total'):>10}\n")
    for line in book.lines:
        cells = " ".join(f"{_cell(line, cell)[:9]:>9}" for cell in line.cells)
        flag = f"  {i18n.t(f'dues_ui.flag_{line.flag.value}', count=len(line.unpaid))}" \
            if line.flag else ""
        out.write(f"{line.name:{width}}  {cells} {line.paid_total:>10}{flag}\n")
    out.write(i18n.t("cli.dues_year_totals", year=book.year, collected=book.collected,
                     retained=book.retained, sent_up=book.sent_up) + "\n")
    return 0


def _target(path: str, allowed: tuple[str, ...]) -> Path:
    """The file to write, refused (naming the suffixes allowed) before anything is read."""
    target = Path(path)
    if target.suffix.lower() not in allowed:
        raise CliError(i18n.t("cli.dues_bad_suffix", path=path, allowed=", ".join(allowed)))
    return target


def cmd_book(args: argparse.Namespace, out: TextIO) -> int:
    target = _target(args.output, (".pdf", ".xlsx"))
    with workspace(args) as ws:
        saved = dues_papers.save_book(ws, args.year, target)
    out.write(i18n.t("ui.exported", path=str(saved)) + "\n")
    return 0


def cmd_receipts(args: argparse.Namespace, out: TextIO) -> int:
    month = _month(args.month)
    target = _target(args.output, (".pdf",))
    with workspace(args) as ws:
        ids = [dues.find_member(ws, words) for words in args.member] if args.member else None
        saved = dues_papers.save_receipts(ws, month, target, member_ids=ids)
    out.write(i18n.t("ui.exported", path=str(saved)) + "\n")
    return 0


def cmd_rates_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        settings = dues.rates(ws)
    if args.json:
        print_json({"recorded": settings.recorded, "versions": [
            {"valid_from": v.valid_from.isoformat(), "name": v.name,
             "salary_percent": str(v.salary_percent), "pension_percent": str(v.pension_percent),
             "student_amount": v.student_amount, "other_default": v.other_default,
             "other_min": v.other_min, "other_max": v.other_max,
             "retention_percent": str(v.retention_percent)} for v in settings.versions]}, out)
        return 0
    for v in settings.versions:
        out.write(i18n.t("cli.dues_rate_line", valid_from=v.valid_from.strftime("%d/%m/%Y"),
                         name=v.name, salary=v.salary_percent, pension=v.pension_percent,
                         student=v.student_amount, other=v.other_default, low=v.other_min,
                         high=v.other_max, retention=v.retention_percent) + "\n")
    if not settings.recorded:
        out.write(i18n.t("dues_ui.rates_unconfirmed") + "\n")
    return 0


def cmd_rates_add(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        dues.add_rate(ws, valid_from=args.valid_from, name=args.name,
                      salary_percent=args.salary, pension_percent=args.pension,
                      student_amount=args.student, other_default=args.other_default,
                      other_min=args.other_min, other_max=args.other_max,
                      retention_percent=args.retention, note=args.note)
    out.write(i18n.t("dues_ui.rate_added") + "\n")
    return 0


def register(sub: Any) -> None:
    actions = group(sub, "dues", "cli.dues")
    basis = command(actions, "basis", "cli.dues_basis", json_flag=False)
    basis.add_argument("member", help=i18n.t("cli.dues_member"))
    basis.add_argument("--category", required=True, help=i18n.t("cli.dues_category"),
                       choices=("insured_salary", "pension", "student", "other"))
    basis.add_argument("--amount", type=_amount, default=0, help=i18n.t("cli.dues_basis_amount"))
    basis.add_argument("--from", dest="valid_from", required=True,
                       help=i18n.t("cli.dues_from"))
    basis.add_argument("--note", default="", help=i18n.t("cli.dues_note"))
    basis.set_defaults(func=cmd_basis)
    exempt = command(actions, "exempt", "cli.dues_exempt", json_flag=False)
    exempt.add_argument("member", help=i18n.t("cli.dues_member"))
    exempt.add_argument("--kind", required=True, help=i18n.t("cli.dues_kind"),
                        choices=("social_pension", "poor_or_ill", "hardship_waiver",
                                 "reduction"))
    exempt.add_argument("--from", dest="start", required=True, help=i18n.t("cli.dues_from"))
    exempt.add_argument("--to", dest="end", help=i18n.t("cli.dues_to"))
    exempt.add_argument("--percent", type=int, default=100, help=i18n.t("cli.dues_percent"))
    exempt.add_argument("--decision", default="", help=i18n.t("cli.dues_decision"))
    exempt.set_defaults(func=cmd_exempt)
    pay = command(actions, "pay", "cli.dues_pay", json_flag=False)
    pay.add_argument("member", help=i18n.t("cli.dues_member"))
    pay.add_argument("month", help=i18n.t("cli.dues_month"))
    pay.add_argument("--months", type=int, default=1, help=i18n.t("cli.dues_months"))
    pay.add_argument("--amount", type=_amount, help=i18n.t("cli.dues_amount"))
    pay.add_argument("--channel", default="cash", choices=("cash", "portal"),
                     help=i18n.t("cli.dues_channel"))
    pay.add_argument("--date", help=i18n.t("cli.dues_date"))
    pay.add_argument("--receipt", default="", help=i18n.t("cli.dues_receipt"))
    pay.set_defaults(func=cmd_pay)
    cancel = command(actions, "cancel", "cli.dues_cancel", json_flag=False)
    cancel.add_argument("member", help=i18n.t("cli.dues_member"))
    cancel.add_argument("month", help=i18n.t("cli.dues_month"))
    cancel.set_defaults(func=cmd_cancel)
    grid = command(actions, "grid", "cli.dues_grid", json_flag=True)
    grid.add_argument("year", type=year, help=i18n.t("cli.dues_year"))
    grid.set_defaults(func=cmd_grid)
    book = command(actions, "book", "cli.dues_book", json_flag=False)
    book.add_argument("year", type=year, help=i18n.t("cli.dues_year"))
    book.add_argument("-o", "--output", required=True, help=i18n.t("cli.dues_book_output"))
    book.set_defaults(func=cmd_book)
    receipts = command(actions, "receipts", "cli.dues_receipts", json_flag=False)
    receipts.add_argument("month", help=i18n.t("cli.dues_month"))
    receipts.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    receipts.add_argument("--member", action="append", help=i18n.t("cli.dues_receipt_member"))
    receipts.set_defaults(func=cmd_receipts)
    rates = command(actions, "rates", "cli.dues_rates").add_subparsers(dest="rates_action",
                                                                          required=True)
    listing = command(rates, "list", "cli.dues_rates_list", json_flag=True)
    listing.set_defaults(func=cmd_rates_list)
    adding = command(rates, "add", "cli.dues_rates_add", json_flag=False)
    adding.add_argument("--from", dest="valid_from", required=True,
                        help=i18n.t("cli.dues_from"))
    adding.add_argument("--name", required=True, help=i18n.t("cli.dues_rate_name"))
    for option, key, default in (("--salary", "cli.dues_rate_salary", "1"),
                                 ("--pension", "cli.dues_rate_pension", "0.5"),
                                 ("--retention", "cli.dues_rate_retention", "30")):
        adding.add_argument(option, default=default, help=i18n.t(key))
    for option, key, number in (("--student", "cli.dues_rate_student", 5_000),
                                ("--other-default", "cli.dues_rate_other_default", 2_000),
                                ("--other-min", "cli.dues_rate_other_min", 2_000),
                                ("--other-max", "cli.dues_rate_other_max", 30_000)):
        adding.add_argument(option, type=int, default=number, help=i18n.t(key))
    adding.add_argument("--note", default="", help=i18n.t("cli.dues_note"))
    adding.set_defaults(func=cmd_rates_add)
