"""``sotay report month MM/YYYY|YYYY-MM -o file.docx|file.pdf``: the monthly report to the commune,
saved as the month's report (it goes up with the next sync) and written as a paper."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import CliError, command, group, month, print_json, workspace
from sotay_desktop.usecases import report

FORMATS = {".pdf": "pdf", ".docx": "docx"}


def cmd_report_month(args: argparse.Namespace, out: TextIO) -> int:
    target = Path(args.output)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise CliError(i18n.t("cli.report_bad_suffix", path=args.output))
    which = month(args.month)   # 11/2026 or 2026-11, as ``sotay dues`` reads a month
    with workspace(args) as ws:
        # refused before anything is written: a bad or future month, a paper without signer
        report.report_paper(ws, which, fmt)
        report.save_report(ws, which, remarks=args.remarks, regenerate=args.regenerate)
        if args.send:
            report.mark_sent(ws, which)
        report.save_report_paper(ws, which, fmt, target)
        view = report.month_report(ws, which)
    if args.json:
        from sotay_core.domain.monthly_report import to_dict

        print_json({"path": str(target), "status": view.status, "sent_on": view.sent_on,
                    "remarks": view.remarks, "figures": to_dict(view.figures)}, out)
        return 0
    out.write(f"{target}\n")
    key = "cli.report_sent" if view.sent_on else "cli.report_saved"
    out.write(i18n.t(key, month=str(view.month), number=view.figures.number) + "\n")
    return 0


def register(sub: Any) -> None:
    """``report`` and its one subcommand, ``month``."""
    reports = group(sub, "report", "cli.report")
    one = command(reports, "month", "cli.report_month", json_flag=True)
    one.add_argument("month", help=i18n.t("cli.report_month_arg"))
    one.add_argument("-o", "--output", required=True, help=i18n.t("cli.report_output"))
    one.add_argument("--remarks", help=i18n.t("cli.report_remarks"))
    one.add_argument("--regenerate", action="store_true", help=i18n.t("cli.report_regenerate"))
    one.add_argument("--send", action="store_true", help=i18n.t("cli.report_send"))
    one.set_defaults(func=cmd_report_month)
