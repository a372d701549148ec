"""``sotay-server stats``, ``report`` and ``quarantine``: the figures of the province pages,
the report of Party numbers as a file, and the rows branch PCs set aside."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.i18n import t
from sync_server.cli.common import Env, command, group, iso_date, say, unit_of, with_db, with_json

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_quarantine(sub: SubParsers) -> None:
    quarantine = command(sub, "quarantine", list_quarantine, "server_cli.help.quarantine")
    with_db(with_json(quarantine))


def add_stats(sub: SubParsers) -> None:
    stats = group(sub, "stats", "server_cli.help.stats")
    tree = command(stats, "tree", stats_tree, "server_cli.help.stats_tree")
    tree.add_argument("--unit", required=True, help=t("server_cli.help.unit_id"))
    tree.add_argument("--month", default="", help=t("server_cli.help.stats_month"))
    with_json(tree)
    rebuild = command(stats, "rebuild", stats_rebuild, "server_cli.help.stats_rebuild")
    for p in (tree, rebuild):
        with_db(p)


def add_report(sub: SubParsers) -> None:
    report = command(sub, "report", write_report, "server_cli.help.report")
    report.add_argument("--unit", required=True, help=t("server_cli.help.unit_id"))
    report.add_argument("-o", "--output", required=True, type=Path,
                        help=t("server_cli.help.report_output"))
    when = report.add_mutually_exclusive_group()
    when.add_argument("--month", metavar="YYYY-MM", help=t("server_cli.help.report_month"))
    when.add_argument("--year", type=int, metavar="YYYY", help=t("server_cli.help.report_year"))
    with_db(report)


def list_quarantine(args: argparse.Namespace, env: Env) -> int:
    from sync_server.quarantine import quarantine_reports

    with env.transaction() as session:
        quarantined = quarantine_reports(session)
        if args.json:
            print(json.dumps(quarantined, ensure_ascii=False))
        else:
            for r in quarantined:
                print(f"{r['at']}\t{r['unit_name']}\t{r['pc']}\t{r['entity']}\t"
                      f"{r['row_id']}\t{r['reason']}")
            say("server_cli.quarantined_count", count=len(quarantined))
    return 0


def stats_rebuild(args: argparse.Namespace, env: Env) -> int:
    from sync_server import facts

    with env.transaction() as session:
        count = facts.rebuild_all(session)
        say("server_cli.stats_rebuilt", count=count)
    return 0


def stats_tree(args: argparse.Namespace, env: Env) -> int:
    import datetime as dt

    from sync_server import queries

    with env.transaction() as session:
        today = dt.date.today()
        year, month = today.year, today.month
        if args.month:
            year, month = iso_date(args.month + "-01").timetuple()[:2]
        tree = queries.tree(session, unit_of(session, args.unit), year, month)
        rows = [{"unit_id": r.unit.id, "name": r.unit.name, "level": r.unit.level,
                 "branches": r.branches, "members": r.members,
                 "open_conflicts": r.open_conflicts, "held": r.held,
                 "attendance": r.attendance, "adopted": r.adopted,
                 "last_sync": r.last_sync.isoformat() if r.last_sync else None}
                for r in [*tree.rows, tree.total]]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for r in rows:
                rate = "—" if r["attendance"] is None else f"{100 * r['attendance']:.0f}%"
                say("server_cli.stats_row", name=r["name"], branches=r["branches"],
                    members=r["members"], held=r["held"], rate=rate, adopted=r["adopted"],
                    conflicts=r["open_conflicts"])
    return 0


def write_report(args: argparse.Namespace, env: Env) -> int:
    import datetime as dt

    from sync_server import admin, month_queries, queries, reports

    if args.month or args.year is not None:
        return write_month_report(args, env)
    with env.transaction() as session:
        target = unit_of(session, args.unit)
        numbers = queries.party_numbers(session, target, dt.date.today())
        months = queries.months(session, target, dt.date.today())
        suffix = args.output.suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise admin.AdminError("server_report_format")
        content = (reports.xlsx(numbers, months) if suffix == ".xlsx"
                   else reports.pdf(numbers, months,
                                    month_queries.series(session, target, dt.date.today())))
        args.output.write_bytes(content)
        admin.log_action(session, "admin", "report", unit=target.id, format=suffix[1:])
        say("server_cli.report_written", path=args.output, members=numbers.total)
    return 0


def write_month_report(args: argparse.Namespace, env: Env) -> int:
    """``report --month YYYY-MM`` or ``--year YYYY``: dues and monthly reports."""
    from sync_server import admin, reports_month

    suffix = args.output.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise admin.AdminError("server_report_format")
    if args.month:
        day = iso_date(f"{args.month}-01")
        year, month = day.year, day.month
    else:
        year, month = args.year, 0
        if not 2000 <= year <= 2100:
            raise admin.AdminError("server_bad_year", value=year)
    with env.transaction() as session:
        target = unit_of(session, args.unit)
        made = (reports_month.month_report(session, target, year, month) if month
                else reports_month.year_report(session, target, year))
        content = reports_month.xlsx(made) if suffix == ".xlsx" else reports_month.pdf(made)
        args.output.write_bytes(content)
        admin.log_action(session, "admin", "report", unit=target.id, format=suffix[1:],
                         month=args.month or "", year=args.year or "")
        say("server_cli.month_report_written", path=args.output,
            collected=made.total.figures.collected, sent=made.total.figures.reports_sent)
    return 0
