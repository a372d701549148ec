"""``sotay meeting …`` (list, export a paper) and ``sotay packet`` (the printed meeting
packet for members with poor sight)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import command, database, group, print_json, workspace
from sotay_desktop.services.papers import KINDS as PAPER_KINDS
from sotay_desktop.usecases import papers


def cmd_meeting_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.meetings import list_meetings

    with database(args) as db, db.reads() as session:
        meetings = list_meetings(session)
    if args.json:
        print_json(meetings, out)
        return 0
    for m in meetings:
        present = i18n.t("cli.present", present=m.present, called=m.called)
        resolution = (i18n.t("cli.resolution_short", number=m.resolution_number)
                      if m.resolution_number else "")
        out.write(f"{m.date.strftime('%d/%m/%Y')}  {m.title:<40} {present}"
                  f"  {resolution:<14} {m.id}\n")
    return 0


def cmd_meeting_export(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:   # refused before any file or audit row: no names, no NQ
        papers.save_meeting_paper(ws, args.id, args.what, args.format, Path(args.output))
    out.write(f"{args.output}\n")
    return 0


def cmd_packet(args: argparse.Namespace, out: TextIO) -> int:
    documents = tuple(d.strip() for d in (args.documents or "").split(",") if d.strip())
    members = "" if args.members in (None, "none") else args.members
    with workspace(args) as ws:
        made = papers.packet(ws, args.id, Path(args.output), members=members,
                             document_ids=documents, font_size=args.font_size,
                             paper=args.paper)
    out.write(i18n.t("cli.packet_made", path=args.output, pages=made.pages,
                     copies=made.copies) + "\n")
    return 0


def register(sub: Any) -> None:
    """``meeting`` and its subcommands, then ``packet``."""
    meeting = group(sub, "meeting", "cli.meeting")
    mt_list = command(meeting, "list", "cli.meeting_list", json_flag=True)
    mt_list.set_defaults(func=cmd_meeting_list)
    mt_export = command(meeting, "export", "cli.meeting_export", json_flag=False)
    mt_export.add_argument("id", help=i18n.t("cli.meeting_id"))
    mt_export.add_argument("--what", choices=PAPER_KINDS, required=True, help=i18n.t("cli.what"))
    mt_export.add_argument("--format", choices=("docx", "pdf"), default="pdf",
                           help=i18n.t("cli.format"))
    mt_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    mt_export.set_defaults(func=cmd_meeting_export)

    packet = command(sub, "packet", "cli.packet", json_flag=False)
    packet.add_argument("id", help=i18n.t("cli.meeting_id"))
    packet.add_argument("--font-size", type=int, default=20, choices=(18, 20, 24),
                        help=i18n.t("cli.font_size"))
    packet.add_argument("--members", help=i18n.t("cli.packet_members"))
    packet.add_argument("--documents", help=i18n.t("cli.packet_documents"))
    packet.add_argument("--paper", choices=("a4", "a5"), default="a4", help=i18n.t("cli.paper"))
    packet.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    packet.set_defaults(func=cmd_packet)
