"""``sotay transfer …``: the introduction letters (giấy giới thiệu sinh hoạt đảng) sent and
received: ``out``, ``in``, ``present``, ``end`` (a temporary stay over), ``list``, ``show``,
``cancel``, ``restore`` and the deadline setting ``rules``. MEMBER is a card number, an exact
full name or an id; LETTER is a letter's number or id; dates are dd/mm/yyyy or ISO; a month
is 10/2026 or 2026-10. The same use cases as the "Chuyển sinh hoạt" screen."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_core.domain.transfers import TransferKind, TransferRules, with_holidays
from sotay_desktop.cli.common import command, group, print_json, workspace
from sotay_desktop.services.transfers_read import LetterView, status_words
from sotay_desktop.usecases import dues, transfers

KINDS = tuple(kind.value for kind in TransferKind)


def letter_json(view: LetterView) -> dict[str, Any]:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {"id": view.id, "member_id": view.member_id, "full_name": view.name,
            "direction": view.direction.value, "kind": view.kind.value, "number": view.number,
            "issued_on": iso(view.issued_on), "valid_until": iso(view.valid_until),
            "from_place": view.from_place, "to_place": view.to_place,
            "dues_paid_to": view.dues_paid_to.key if view.dues_paid_to else None,
            "presented_on": iso(view.presented_on), "event_id": view.event_id,
            "event_kind": view.event_kind.value if view.event_kind else None,
            "event_date": iso(view.event_date), "ended_on": iso(view.ended_on),
            "status": view.status.value, "late": view.late, "days_late": view.days_late,
            "note": view.note}


def line(view: LetterView) -> str:
    way = i18n.t(f"transfers.direction_{view.direction.value}")
    place = view.to_place if view.direction.value == "out" else view.from_place
    return i18n.t("cli.transfer_line", number=view.number, direction=way, name=view.name,
                  kind=i18n.t(f"transfers.kind_{view.kind.value}"),
                  issued=format_vn(view.issued_on), place=place, status=status_words(view))


def _said(ws: Any, transfer_id: str, out: TextIO) -> None:
    view = transfers.letter(ws, transfer_id)
    out.write(i18n.t("cli.transfer_saved") + "\n" + line(view) + "\n")


def _person(args: argparse.Namespace) -> dict[str, Any] | None:
    if not args.name:
        return None
    person = {"full_name": args.name, "admitted_on": args.admitted or "",
              "official_on": args.official or "", "date_of_birth": args.born or "",
              "card_number": args.card or ""}
    if args.gender:
        person["gender"] = args.gender
    return person


def cmd_out(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = dues.find_member(ws, args.member)
        transfer_id, _ = transfers.record_letter(
            ws, direction="out", kind=args.kind, number=args.number, issued_on=args.issued,
            member_id=member_id, valid_until=args.deadline, from_place=args.from_place or "",
            to_place=args.to_place, dues_paid_to="auto" if args.dues is None else args.dues,
            presented_on=args.presented, moved_on=args.left, note=args.note)
        _said(ws, transfer_id, out)
    return 0


def cmd_in(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = dues.find_member(ws, args.member) if args.member else None
        transfer_id, _ = transfers.record_letter(
            ws, direction="in", kind=args.kind, number=args.number, issued_on=args.issued,
            member_id=member_id, person=_person(args), valid_until=args.deadline,
            from_place=args.from_place, to_place=args.to_place or "",
            dues_paid_to=args.dues or "", presented_on=args.presented, note=args.note)
        _said(ws, transfer_id, out)
    return 0


def cmd_present(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = transfers.find_letter(ws, args.letter)
        transfers.present(ws, view.id, args.date)
        _said(ws, view.id, out)
    return 0


def cmd_end(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = transfers.find_letter(ws, args.letter)
        transfers.end_stay(ws, view.id, args.date)
        _said(ws, view.id, out)
    return 0


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        found = transfers.letters(ws, late_only=args.late)
    if args.json:
        print_json([letter_json(view) for view in found], out)
        return 0
    for view in found:
        out.write(line(view) + "\n")
    if not found:
        out.write(i18n.t("cli.transfer_none") + "\n")
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = transfers.find_letter(ws, args.letter)
    if args.json:
        print_json(letter_json(view), out)
        return 0
    out.write(line(view) + "\n")
    out.write(i18n.t("cli.transfer_detail", deadline=format_vn(view.valid_until),
                     origin=view.from_place, target=view.to_place,
                     dues=str(view.dues_paid_to) if view.dues_paid_to else "—") + "\n")
    if view.event_kind is not None and view.event_date is not None:
        out.write(i18n.t("cli.transfer_event", event=i18n.t(f"event.{view.event_kind.value}"),
                         date=format_vn(view.event_date)) + "\n")
    if view.ended_on is not None:
        out.write(i18n.t("cli.transfer_ended", date=format_vn(view.ended_on)) + "\n")
    return 0


def cmd_cancel(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = transfers.find_letter(ws, args.letter)
        transfers.cancel_letter(ws, view.id)
    out.write(i18n.t("cli.transfer_cancelled", number=view.number, name=view.name) + "\n")
    return 0


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        transfer_id, _ = transfers.restore_last(ws)
        _said(ws, transfer_id, out)
    return 0


def _day(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(i18n.t("cli.transfer_bad_date", value=text)) from None


def cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        if args.default:
            transfers.set_rules(ws, None)
        elif args.days is not None or args.calendar or args.working or args.holiday is not None:
            now = transfers.rules(ws)
            working = now.working_days if not (args.calendar or args.working) else args.working
            new = TransferRules(args.days if args.days is not None else now.present_within_days,
                                working, now.holidays)
            if args.holiday is not None:
                new = with_holidays(new, args.holiday)
            transfers.set_rules(ws, new)
        current = transfers.rules(ws)
    if args.json:
        print_json({"present_within_days": current.present_within_days,
                    "working_days": current.working_days,
                    "holidays": sorted(d.isoformat() for d in current.holidays)}, out)
        return 0
    unit = i18n.t("cli.transfer_working_days" if current.working_days
                  else "cli.transfer_calendar_days")
    out.write(i18n.t("cli.transfer_rules", days=current.present_within_days, unit=unit,
                     holidays=", ".join(format_vn(d) for d in sorted(current.holidays))
                     or "—") + "\n")
    return 0


def _letter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", required=True, choices=KINDS, help=i18n.t("cli.transfer_kind"))
    parser.add_argument("--number", required=True, help=i18n.t("cli.transfer_number"))
    parser.add_argument("--issued", required=True, help=i18n.t("cli.transfer_issued"))
    parser.add_argument("--deadline", help=i18n.t("cli.transfer_deadline"))
    parser.add_argument("--presented", help=i18n.t("cli.transfer_presented"))
    parser.add_argument("--note", default="", help=i18n.t("cli.transfer_note"))


def register(sub: Any) -> None:
    actions = group(sub, "transfer", "cli.transfer")
    leave = command(actions, "out", "cli.transfer_out", json_flag=False)
    leave.add_argument("member", help=i18n.t("cli.dues_member"))
    _letter_options(leave)
    leave.add_argument("--to", dest="to_place", required=True, help=i18n.t("cli.transfer_to"))
    leave.add_argument("--from", dest="from_place", help=i18n.t("cli.transfer_from_here"))
    leave.add_argument("--left", help=i18n.t("cli.transfer_left"))
    leave.add_argument("--dues", help=i18n.t("cli.transfer_dues_out"))
    leave.set_defaults(func=cmd_out)
    come = command(actions, "in", "cli.transfer_in", json_flag=False)
    come.add_argument("member", nargs="?", help=i18n.t("cli.transfer_member_in"))
    _letter_options(come)
    come.add_argument("--from", dest="from_place", required=True,
                      help=i18n.t("cli.transfer_from"))
    come.add_argument("--to", dest="to_place", help=i18n.t("cli.transfer_to_here"))
    come.add_argument("--dues", help=i18n.t("cli.transfer_dues_in"))
    come.add_argument("--name", help=i18n.t("cli.transfer_name"))
    come.add_argument("--admitted", help=i18n.t("cli.transfer_admitted"))
    come.add_argument("--official", help=i18n.t("cli.transfer_official"))
    come.add_argument("--born", help=i18n.t("cli.transfer_born"))
    come.add_argument("--gender", choices=("male", "female"), help=i18n.t("cli.transfer_gender"))
    come.add_argument("--card", help=i18n.t("cli.transfer_card"))
    come.set_defaults(func=cmd_in)
    for name, key, func in (("present", "cli.transfer_present", cmd_present),
                            ("end", "cli.transfer_end", cmd_end)):
        act = command(actions, name, key, json_flag=False)
        act.add_argument("letter", help=i18n.t("cli.transfer_letter"))
        act.add_argument("date", help=i18n.t("cli.transfer_date"))
        act.set_defaults(func=func)
    listing = command(actions, "list", "cli.transfer_list", json_flag=True)
    listing.add_argument("--late", action="store_true", help=i18n.t("cli.transfer_late"))
    listing.set_defaults(func=cmd_list)
    show = command(actions, "show", "cli.transfer_show", json_flag=True)
    show.add_argument("letter", help=i18n.t("cli.transfer_letter"))
    show.set_defaults(func=cmd_show)
    cancel = command(actions, "cancel", "cli.transfer_cancel", json_flag=False)
    cancel.add_argument("letter", help=i18n.t("cli.transfer_letter"))
    cancel.set_defaults(func=cmd_cancel)
    command(actions, "restore", "cli.transfer_restore", json_flag=False).set_defaults(
        func=cmd_restore)
    rules = command(actions, "rules", "cli.transfer_rules_help", json_flag=True)
    rules.add_argument("--days", type=int, help=i18n.t("cli.transfer_days"))
    unit = rules.add_mutually_exclusive_group()
    unit.add_argument("--working", action="store_true", help=i18n.t("cli.transfer_working"))
    unit.add_argument("--calendar", action="store_true", help=i18n.t("cli.transfer_calendar"))
    rules.add_argument("--holiday", type=_day, nargs="*", help=i18n.t("cli.transfer_holiday"))
    rules.add_argument("--default", action="store_true", help=i18n.t("cli.transfer_default"))
    rules.set_defaults(func=cmd_rules)
