"""``sotay members …``: list, show, add, update, record an event, import and export the roll."""

from __future__ import annotations

import argparse
import datetime as dt
import enum
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import (
    CliError,
    branch_id,
    command,
    database,
    group,
    print_json,
    read_json,
    status_label,
    to_json,
    workspace,
)
from sotay_desktop.usecases import members as member_cases
from sotay_desktop.usecases import roster as roster_cases


def cmd_members_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_core.domain.entities import MemberStatus
    from sotay_desktop.services.members import list_members

    statuses = None
    if args.status:
        try:
            statuses = [MemberStatus(s.strip()) for s in args.status.split(",") if s.strip()]
        except ValueError:
            raise CliError(i18n.t("bad_choice", value=args.status,
                                  choices=", ".join(s.value for s in MemberStatus))) from None
    with database(args) as db:
        with db.reads() as session:
            rows = list_members(session, unit_id=branch_id(session, args.data_dir),
                                search=args.search, statuses=statuses)
    if args.json:
        print_json(rows, out)
        return 0
    for number, row in enumerate(rows, 1):
        born = row.date_of_birth.strftime("%d/%m/%Y") if row.date_of_birth else "—"
        out.write(f"{number:4d}  {row.full_name:<28} {born:<11} {row.card_number:<10} "
                  f"{status_label(row.status.value):<16} {row.id}\n")
    out.write(i18n.t("cli.member_count", count=len(rows)) + "\n")
    return 0


def _member_json(record: Any) -> dict[str, Any]:
    data = to_json(record)
    member = data.pop("member")
    data.pop("extras", None)
    return {**member, **data}


def cmd_members_show(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_core.domain.lifecycle import event_label

    with workspace(args) as ws:
        record = member_cases.member(ws, args.id)   # the read, then its audit row, as in the window
    if args.json:
        print_json(_member_json(record), out)
        return 0
    m = record.member
    out.write(f"{m.full_name}  ({status_label(record.status.value)})\n")
    for name in ("date_of_birth", "gender", "hometown", "residence", "card_number",
                 "record_number", "phone"):
        value = getattr(m, name)
        if value:
            shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else (
                i18n.t(f"gender.{value.value}") if isinstance(value, enum.Enum) else value)
            out.write(f"  {i18n.field_label(name)}: {shown}\n")
    out.write(f"  {i18n.t('ui.history')}:\n")
    for event in record.events:
        extra = " — ".join(x for x in (event.decision, event.place, event.detail) if x)
        out.write(f"    {event.date.strftime('%d/%m/%Y')}  {event_label(event.kind)}"
                  f"{'  (' + extra + ')' if extra else ''}\n")
    return 0


def cmd_members_add(args: argparse.Namespace, out: TextIO) -> int:
    data = read_json(args.file)
    with workspace(args) as ws:
        member_id, _ = member_cases.add_member(ws, data)
    if args.json:
        print_json({"id": member_id}, out)
    else:
        out.write(f"{member_id}\n")
    return 0


def cmd_members_update(args: argparse.Namespace, out: TextIO) -> int:
    data = read_json(args.file)
    with workspace(args) as ws:
        changes = member_cases.update_member(ws, args.id, data)
    out.write(i18n.t("cli.updated" if changes else "cli.unchanged") + "\n")
    return 0


def cmd_members_event(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        event_id, _ = member_cases.record_event(ws, args.id, args.kind, args.date,
                                                decision=args.decision, place=args.place,
                                                detail=args.detail)
    out.write(f"{event_id}\n")
    return 0


def cmd_members_import(args: argparse.Namespace, out: TextIO) -> int:
    if not Path(args.file).is_file():  # said before the database is even opened
        raise CliError(i18n.t("file_missing", path=args.file))
    with workspace(args) as ws:
        preview = roster_cases.preview_import(ws, Path(args.file))
        imported = 0 if args.dry_run else roster_cases.import_valid(ws, preview)[0]
    report = {"file": preview.file_name, "imported": imported, "valid": len(preview.valid),
              "rejected": [{"line": r.line, "full_name": r.full_name, "errors": list(r.errors)}
                           for r in preview.rejected],
              "ignored_columns": list(preview.ignored_columns),
              "not_members": [{"line": line, "text": text} for line, text in preview.skipped]}
    if args.json:
        print_json(report, out)
    else:
        out.write(i18n.t("cli.import_report", valid=len(preview.valid), imported=imported,
                         rejected=len(preview.rejected)) + "\n")
        for row in preview.rejected:
            out.write("  " + i18n.t("cli.import_line", line=row.line, name=row.full_name or "—",
                                    errors="; ".join(row.errors)) + "\n")
        if preview.skipped:   # totals, captions, signatures: never members
            lines = ", ".join(str(line) for line, _text in preview.skipped)
            out.write(i18n.t("ui.import_skipped", count=len(preview.skipped), lines=lines)
                      + "\n")
    return 0


def cmd_members_export(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        roster_cases.export_roster(ws, Path(args.output))   # audited once the file is written
    out.write(f"{args.output}\n")
    return 0


def register(sub: Any) -> None:
    """``members`` and its subcommands."""
    members = group(sub, "members", "cli.members")
    m_list = command(members, "list", "cli.members_list", json_flag=True)
    m_list.add_argument("--search", help=i18n.t("cli.search"))
    m_list.add_argument("--status", help=i18n.t("cli.status"))
    m_list.set_defaults(func=cmd_members_list)
    m_show = command(members, "show", "cli.members_show", json_flag=True)
    m_show.add_argument("id", help=i18n.t("cli.member_id"))
    m_show.set_defaults(func=cmd_members_show)
    m_add = command(members, "add", "cli.members_add", json_flag=True)
    m_add.add_argument("--file", default="-", help=i18n.t("cli.json_file"))
    m_add.set_defaults(func=cmd_members_add)
    m_update = command(members, "update", "cli.members_update", json_flag=False)
    m_update.add_argument("id", help=i18n.t("cli.member_id"))
    m_update.add_argument("--file", default="-", help=i18n.t("cli.json_file"))
    m_update.set_defaults(func=cmd_members_update)
    m_event = command(members, "event", "cli.members_event", json_flag=False)
    m_event.add_argument("id", help=i18n.t("cli.member_id"))
    m_event.add_argument("--kind", required=True, help=i18n.t("cli.event_kind"))
    m_event.add_argument("--date", required=True, help=i18n.t("cli.event_date"))
    m_event.add_argument("--decision", default="", help=i18n.t("cli.event_decision"))
    m_event.add_argument("--place", default="", help=i18n.t("cli.event_place"))
    m_event.add_argument("--detail", default="", help=i18n.t("cli.event_detail"))
    m_event.set_defaults(func=cmd_members_event)
    m_import = command(members, "import", "cli.members_import", json_flag=True)
    m_import.add_argument("file", help=i18n.t("cli.import_file"))
    m_import.add_argument("--dry-run", action="store_true", help=i18n.t("cli.dry_run"))
    m_import.set_defaults(func=cmd_members_import)
    m_export = command(members, "export", "cli.members_export", json_flag=False)
    m_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    m_export.set_defaults(func=cmd_members_export)
