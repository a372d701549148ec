"""``sotay-server stats``, ``report`` and ``quarantine``: the figures of the province pages,
the report of Party numbers as a file, and the rows branch PCs set aside."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sync_server.cli.common import Env, command, iso_date, unit_of, with_db

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_quarantine(sub: SubParsers) -> None:
    quarantine = command(sub, "quarantine", list_quarantine,
                         help="rows branch PCs received from this server and set aside")
    quarantine.add_argument("--json", action="store_true")
    with_db(quarantine)


def add_stats(sub: SubParsers) -> None:
    stats = sub.add_parser("stats", help="the figures of the province pages").add_subparsers(
        dest="action", required=True)
    tree = command(stats, "tree", stats_tree)
    tree.add_argument("--unit", required=True)
    tree.add_argument("--month", default="", help="YYYY-MM (default: this month)")
    tree.add_argument("--json", action="store_true")
    rebuild = command(stats, "rebuild", stats_rebuild)
    for p in (tree, rebuild):
        with_db(p)


def add_report(sub: SubParsers) -> None:
    report = command(sub, "report", write_report,
                     help="party numbers and meetings, as XLSX or PDF")
    report.add_argument("--unit", required=True)
    report.add_argument("-o", "--output", required=True, type=Path)
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
            print(f"{len(quarantined)} bản ghi bị máy chi bộ để riêng.")
    return 0


def stats_rebuild(args: argparse.Namespace, env: Env) -> int:
    from sync_server import facts

    with env.transaction() as session:
        count = facts.rebuild_all(session)
        print(f"Đã tính lại số liệu từ {count} bản ghi.")
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
                print(f"{r['name']}\t{r['branches']} chi bộ\t{r['members']} đảng viên\t"
                      f"đã họp {r['held']}\tdự họp {rate}\tNQ {r['adopted']}\t"
                      f"xung đột {r['open_conflicts']}")
    return 0


def write_report(args: argparse.Namespace, env: Env) -> int:
    import datetime as dt

    from sync_server import admin, queries, reports

    with env.transaction() as session:
        target = unit_of(session, args.unit)
        numbers = queries.party_numbers(session, target, dt.date.today())
        months = queries.months(session, target, dt.date.today())
        suffix = args.output.suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise admin.AdminError("server_report_format")
        content = (reports.xlsx(numbers, months) if suffix == ".xlsx"
                   else reports.pdf(numbers, months))
        args.output.write_bytes(content)
        admin.log_action(session, "admin", "report", unit=target.id, format=suffix[1:])
        print(f"Đã ghi {args.output} ({numbers.total} đảng viên).")
    return 0
