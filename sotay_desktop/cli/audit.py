"""``sotay audit …``: list, verify and export the audit log."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import (
    EXIT_FAILED,
    command,
    database,
    group,
    print_json,
    workspace,
)
from sotay_desktop.usecases import audit_log


def cmd_audit_list(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services import audit

    with database(args) as db, db.reads() as session:
        items = audit.entries(session, limit=args.limit)
    if args.json:
        print_json(items, out)
        return 0
    for e in items:
        out.write(f"{e.at}  {e.actor:<16} {e.action:<7} {e.entity:<12} {e.row_id}  {e.detail}\n")
    return 0


def cmd_audit_verify(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services import audit

    with database(args) as db, db.reads() as session:
        problems = audit.verify(session)
    if not problems:
        out.write(i18n.t("audit_intact") + "\n")
        return 0
    for p in problems:
        out.write(i18n.t("audit_broken", pc=p.pc[:8], seq=p.seq,
                         what=i18n.t(f"audit_what.{p.what}")) + "\n")
    return EXIT_FAILED


def cmd_audit_export(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        count = audit_log.export_audit(ws, Path(args.output))   # itself audited, as in the window
    out.write(f"{args.output} ({count})\n")
    return 0


def register(sub: Any) -> None:
    """``audit`` and its subcommands."""
    audit_cmd = group(sub, "audit", "cli.audit")
    a_list = command(audit_cmd, "list", "cli.audit_list", json_flag=True)
    a_list.add_argument("--limit", type=int, default=200, help=i18n.t("cli.limit"))
    a_list.set_defaults(func=cmd_audit_list)
    a_verify = command(audit_cmd, "verify", "cli.audit_verify", json_flag=False)
    a_verify.set_defaults(func=cmd_audit_verify)
    a_export = command(audit_cmd, "export", "cli.audit_export", json_flag=False)
    a_export.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    a_export.set_defaults(func=cmd_audit_export)
