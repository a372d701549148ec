"""``sotay tasks …`` (the resolution's tasks: list, set) and ``sotay score …`` (the
meeting's score: show, set, list the year, the scheme). Issue 19."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.entities import TaskStatus
from sotay_desktop.cli.common import CliError, command, group, print_json, workspace, year
from sotay_desktop.usecases import meeting_scores, tasks


def _status(value: TaskStatus) -> str:
    return i18n.t(f"task.status.{value.value}")


def _cut(text: str, width: int) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[:width - 1].rstrip() + "…"


def cmd_tasks_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = tasks.find_member(ws, args.member) if args.member else None
        rows = tasks.tasks(ws, overdue=args.overdue, member_id=member_id)
    if args.json:
        print_json(rows, out)
        return 0
    for row in rows:
        due = row.due_on.strftime("%d/%m/%Y") if row.due_on else "—"
        late = f" {i18n.t('cli.tasks_overdue_mark')}" if row.overdue else ""
        # columns two spaces apart; words cut short end in "…" (they never run into the name)
        out.write(f"{row.resolution_number:<10}  {due:<10}  {_status(row.status):<22}  "
                  f"{_cut(row.text, 50):<50}  {_cut(row.responsible, 28):<28}  "
                  f"{row.id}{late}\n")
    out.write(i18n.t("cli.tasks_count", count=len(rows)) + "\n")
    return 0


def cmd_tasks_set(args: argparse.Namespace, out: TextIO) -> int:
    fields: dict[str, Any] = {}
    if args.status is not None:
        fields["status"] = args.status
    if args.notes is not None:
        fields["notes"] = args.notes
    if args.due is not None:
        fields["due_on"] = args.due or None
    with workspace(args) as ws:
        if args.member is not None:
            fields["responsible_id"] = (tasks.find_member(ws, args.member)
                                        if args.member else None)
        if not fields:
            raise CliError(i18n.t("cli.tasks_nothing"))
        changes = tasks.update_task(ws, task_id=args.id, fields=fields)  # type: ignore[arg-type]
    out.write(i18n.t("cli.tasks_saved" if changes else "cli.tasks_unchanged") + "\n")
    return 0


def _sheet_lines(sheet: Any, out: TextIO) -> None:
    for item in sheet.items:
        how = i18n.t(f"score.source.{item.source.value}")
        measure = "" if item.measure is None else f" ({item.measure})"
        out.write(f"  {item.code:<14} {item.points:>3}/{item.max_points:<3} {how}{measure}"
                  f"  {item.label}\n")
    out.write(i18n.t("cli.score_total", total=sheet.total, max=sheet.max_total,
                     grade=sheet.grade.label) + "\n")


def cmd_score_show(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        form = meeting_scores.score_form(ws, args.id)
    if args.json:
        print_json({"saved": form.saved, "note": form.note, "sheet": form.sheet}, out)
        return 0
    if not form.saved:
        out.write(i18n.t("cli.score_not_saved") + "\n")
    _sheet_lines(form.sheet, out)
    return 0


def _points(pairs: list[str]) -> dict[str, int]:
    points = {}
    for pair in pairs:
        code, sep, value = pair.partition("=")
        if not sep or not value.strip().lstrip("-").isdigit():
            raise CliError(i18n.t("cli.score_bad_pair", pair=pair))
        points[code.strip()] = int(value)
    return points


def cmd_score_set(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        known = {c.code for c in meeting_scores.scheme(ws).criteria}
        points = _points(args.points or [])
        unknown = sorted(set(points) - known)
        if unknown:
            raise CliError(i18n.t("cli.score_unknown", codes=", ".join(unknown),
                                  known=", ".join(sorted(known))))
        # The criteria and note not given keep what was saved (one criterion scored
        # again does not zero the others).
        form = meeting_scores.score_form(ws, args.id)
        sheet, _changes = meeting_scores.save_score(
            ws, meeting_id=args.id, points={**form.manual, **points},
            note=form.note if args.note is None else args.note)
    _sheet_lines(sheet, out)
    return 0


def cmd_score_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        rows = meeting_scores.year_scores(ws, args.year or ws.today().year)
    if args.json:
        print_json(rows, out)
        return 0
    for row in rows:
        out.write(f"{row.date.strftime('%d/%m/%Y')}  {row.total:>3}/{row.max_total:<3} "
                  f"{row.grade:<12} {row.title}\n")
    out.write(i18n.t("cli.score_count", count=len(rows)) + "\n")
    return 0


def cmd_score_scheme(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_core.domain.meeting_score import scheme_to_json

    with workspace(args) as ws:
        if args.reset:
            meeting_scores.set_scheme(ws, None)
        elif args.set:
            try:
                text = Path(args.set).read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise CliError(i18n.t("bad_json", detail=exc)) from exc
            meeting_scores.set_scheme(ws, text)
        scheme = meeting_scores.scheme(ws)
    out.write(scheme_to_json(scheme) + "\n")
    return 0


def register(sub: Any) -> None:
    """``tasks`` and ``score`` and their subcommands."""
    group_ = group(sub, "tasks", "cli.tasks")
    listing = command(group_, "list", "cli.tasks_list", json_flag=True)
    listing.add_argument("--overdue", action="store_true", help=i18n.t("cli.tasks_overdue"))
    listing.add_argument("--member", help=i18n.t("cli.tasks_member"))
    listing.set_defaults(func=cmd_tasks_list)
    setting = command(group_, "set", "cli.tasks_set", json_flag=False)
    setting.add_argument("id", help=i18n.t("cli.tasks_id"))
    setting.add_argument("--status", choices=[s.value for s in TaskStatus],
                         help=i18n.t("cli.tasks_status"))
    setting.add_argument("--notes", help=i18n.t("cli.tasks_notes"))
    setting.add_argument("--due", help=i18n.t("cli.tasks_due"))
    setting.add_argument("--member", help=i18n.t("cli.tasks_set_member"))
    setting.set_defaults(func=cmd_tasks_set)

    score = group(sub, "score", "cli.score")
    show = command(score, "show", "cli.score_show", json_flag=True)
    show.add_argument("id", help=i18n.t("cli.meeting_id"))
    show.set_defaults(func=cmd_score_show)
    give = command(score, "set", "cli.score_set", json_flag=False)
    give.add_argument("id", help=i18n.t("cli.meeting_id"))
    give.add_argument("--points", nargs="+", metavar="CODE=N", help=i18n.t("cli.score_points"))
    give.add_argument("--note", help=i18n.t("cli.score_note"))
    give.set_defaults(func=cmd_score_set)
    listing_year = command(score, "list", "cli.score_list", json_flag=True)
    listing_year.add_argument("--year", type=year, help=i18n.t("cli.score_year"))
    listing_year.set_defaults(func=cmd_score_list)
    scheme = command(score, "scheme", "cli.score_scheme", json_flag=False)
    scheme.add_argument("--set", metavar="FILE", help=i18n.t("cli.score_scheme_set"))
    scheme.add_argument("--reset", action="store_true", help=i18n.t("cli.score_scheme_reset"))
    scheme.set_defaults(func=cmd_score_scheme)
