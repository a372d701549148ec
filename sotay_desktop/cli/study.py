"""``sotay study …``: political study (issue 21), the same use cases as the "Học tập" screen:
``list``, ``show``, ``add`` (the branch's own plan, or a paper plan from above typed here),
``edit``, ``remove``, ``session add|list|remove``, ``scan`` (a card scanner types codes, one a
line), ``makeup``, ``member``, ``points``, ``survey enter|list``, ``reminders`` and ``read``
(a document read aloud into a WAV file). PLAN is a plan's id, the start of it, or its exact
title; MEMBER a card's 14-digit code, a Party card number, an exact full name or an id;
dates are dd/mm/yyyy or ISO. ``sotay quiz …`` is in ``cli/quiz.py``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.dates import format_vn
from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.study import Audience, PlanKind
from sotay_core.domain.study_plan import PointsRule
from sotay_core.domain.study_view import PlanSummary
from sotay_desktop.cli import study_sessions
from sotay_desktop.cli.common import command, group, print_json, to_json, workspace
from sotay_desktop.cli.study_common import (
    day,
    find_member,
    find_plan,
    member_json,
    plan_json,
    score_words,
    short,
)
from sotay_desktop.usecases import read_aloud, study


def summary_line(p: PlanSummary) -> str:
    text = i18n.t("study_cli.plan_line", title=p.title, due=day(p.due_on),
                  studied=p.studied, targeted=p.targeted, sessions=p.sessions, id=short(p.id))
    if p.has_quiz:
        text += i18n.t("study_cli.plan_quiz", sat=p.quiz_sat)
    if p.has_survey:
        text += i18n.t("study_cli.plan_survey")
    if p.overdue:
        text += i18n.t("study_cli.plan_overdue")
    return text


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        found = study.plans(ws)
    if args.json:
        print_json(found, out)
        return 0
    for p in found:
        out.write(summary_line(p) + "\n")
    if not found:
        out.write(i18n.t("study_cli.no_plans") + "\n")
    return 0


def number_only(number: str) -> str:
    """A paper's number without the "Số" it was typed with: the line says "Số:" already."""
    number = number.strip()
    return number[3:].strip() if number[:3].casefold() == "số " else number


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = study.view(ws, find_plan(ws, args.plan))
    if args.json:
        print_json(plan_json(view), out)
        return 0
    info = view.plan
    origin = "study_cli.from_above" if info.from_above else "study_cli.own"
    out.write(i18n.t("study_cli.show_head", title=info.title, id=info.id,
                     origin=i18n.t(origin), due=day(info.due_on),
                     studied=len(view.progress.studied),
                     targeted=len(view.progress.targeted)) + "\n")
    if info.number or info.issuer:
        out.write(i18n.t("study_cli.show_issued", number=number_only(info.number) or "—",
                         issuer=info.issuer or "—", issued=day(info.issued_on)) + "\n")
    for doc in info.documents:
        out.write("  " + i18n.t("study_cli.show_document", title=doc.title or doc.id,
                                number=number_only(doc.number) or "—") + "\n")
    names = {m.member_id: m.name for m in view.members}
    for s in view.sessions:
        out.write(study_sessions.session_line(s, names) + "\n")
    for m in view.members:
        mark = "✓" if m.studied else "·"
        extra = "" if m.targeted else " " + i18n.t("study_cli.guest")
        out.write(f"  {mark} {m.name} ({m.code}){extra}: "
                  + i18n.t("study_cli.member_sessions", count=len(m.sessions))
                  + (f"; {score_words(m.score)}" if info.quiz else "")
                  + "; " + i18n.t("study_cli.points", points=m.points) + "\n")
    if view.makeup:
        out.write(i18n.t("study_cli.makeup_head", count=len(view.makeup)) + " "
                  + ", ".join(m.name for m in view.makeup) + "\n")
    if view.overdue:
        out.write(i18n.t("study_cli.overdue_words") + "\n")
    return 0


def _plan_fields(args: argparse.Namespace) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in ("title", "number", "issuer", "note"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name)
    for name in ("issued_on", "starts_on", "due_on"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name) or None
    if args.kind is not None:
        fields["kind"] = args.kind
    if args.document is not None:
        fields["documents"] = tuple(args.document)
    if args.audience is not None:
        fields["audience"] = args.audience
    if args.status is not None:
        fields["statuses"] = tuple(args.status)
    if args.points is not None:
        fields["points"] = None if args.points < 0 else args.points
    return fields


def cmd_add(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        fields = _plan_fields(args)
        plan_id, _ = study.add_plan(ws, from_above=args.from_above, **fields)
        summary = next(p for p in study.plans(ws) if p.id == plan_id)
    out.write(i18n.t("study_cli.plan_added", id=plan_id) + "\n" + summary_line(summary) + "\n")
    return 0


def cmd_edit(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        fields = _plan_fields(args)
        changes = study.edit_plan(ws, plan_id, **fields) if fields else None
        summary = next(p for p in study.plans(ws) if p.id == plan_id)
    out.write(i18n.t("study_cli.plan_saved" if changes else "cli.unchanged") + "\n"
              + summary_line(summary) + "\n")
    return 0


def cmd_remove(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        title = next(p.title for p in study.plans(ws) if p.id == plan_id)
        study.remove_plan(ws, plan_id)
    out.write(i18n.t("study_cli.plan_removed", title=title) + "\n")
    return 0


def cmd_makeup(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = study.view(ws, find_plan(ws, args.plan))
    if args.json:
        print_json([member_json(m) for m in view.makeup], out)
        return 0
    if not view.makeup:
        out.write(i18n.t("study_cli.makeup_none") + "\n")
    else:
        out.write(i18n.t("study_cli.makeup_head", count=len(view.makeup)) + "\n")
    for n, m in enumerate(view.makeup, 1):
        out.write(f"{n:3d}. {m.name} ({m.code}) – {i18n.t(f'status.{m.status.value}')}\n")
    return 0


def cmd_member(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        member_id = find_member(ws, args.member)
        year = args.year or ws.today().year
        record = study.member_study(ws, member_id, year)
    if args.json:
        print_json({"member_id": member_id, "year": year, "plans": len(record.lines),
                    "plans_studied": record.plans_studied,
                    "total_points": record.total_points, "lines": to_json(record.lines)}, out)
        return 0
    out.write(i18n.t("study_cli.member_head", year=year, studied=record.plans_studied,
                     plans=len(record.lines), points=record.total_points) + "\n")
    for line in record.lines:
        sessions = ", ".join(format_vn(d) for d in line.sessions) or i18n.t(
            "study_cli.not_studied")
        out.write(f"  {line.title} ({day(line.due_on)}): {sessions}; "
                  f"{score_words(line.score)}; "
                  + i18n.t("study_cli.points", points=line.points) + "\n")
    return 0


def cmd_points(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        if args.default:
            study.set_points_rule(ws, None)
        elif (args.per_plan, args.per_session, args.quiz_passed) != (None, None, None):
            now = study.points_rule(ws)
            study.set_points_rule(ws, PointsRule(
                now.per_plan if args.per_plan is None else args.per_plan,
                now.per_session if args.per_session is None else args.per_session,
                now.quiz_passed if args.quiz_passed is None else args.quiz_passed))
        rule = study.points_rule(ws)
    if args.json:
        print_json({"per_plan": rule.per_plan, "per_session": rule.per_session,
                    "quiz_passed": rule.quiz_passed}, out)
        return 0
    out.write(i18n.t("study_cli.points_rule", per_plan=rule.per_plan,
                     per_session=rule.per_session, quiz_passed=rule.quiz_passed) + "\n")
    return 0


def cmd_reminders(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        found = study.reminders(ws)
    if args.json:
        print_json(found, out)
        return 0
    for r in found:
        words = i18n.t(f"reminder.{r.kind.value}", years=r.years)
        out.write(f"{day(r.due)}: {r.full_name} – {words}\n")
    if not found:
        out.write(i18n.t("study_cli.no_reminders") + "\n")
    return 0


def cmd_read(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        spoken = read_aloud.read_document(ws, args.document, Path(args.out))
    out.write(i18n.t("study_cli.read_done", path=str(spoken.path), words=spoken.words,
                     minutes=int(spoken.seconds // 60), seconds=int(spoken.seconds % 60))
              + "\n")
    return 0


def _plan_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    parser.add_argument("--title", required=adding, help=i18n.t("study_cli.h_title"))
    parser.add_argument("--kind", choices=[k.value for k in PlanKind],
                        help=i18n.t("study_cli.h_kind"))
    parser.add_argument("--number", help=i18n.t("study_cli.h_number"))
    parser.add_argument("--issuer", help=i18n.t("study_cli.h_issuer"))
    parser.add_argument("--issued", dest="issued_on", help=i18n.t("study_cli.h_issued"))
    parser.add_argument("--starts", dest="starts_on", help=i18n.t("study_cli.h_starts"))
    parser.add_argument("--due", dest="due_on", help=i18n.t("study_cli.h_due"))
    parser.add_argument("--document", action="append", help=i18n.t("study_cli.h_document"))
    parser.add_argument("--audience", choices=[a.value for a in Audience],
                        help=i18n.t("study_cli.h_audience"))
    parser.add_argument("--status", action="append", choices=[
        s.value for s in MemberStatus if s.on_roster], help=i18n.t("study_cli.h_status"))
    parser.add_argument("--points", type=int, help=i18n.t("study_cli.h_plan_points"))
    parser.add_argument("--note", help=i18n.t("study_cli.h_note"))


def register(sub: Any) -> None:
    actions = group(sub, "study", "study_cli.h_study")
    listing = command(actions, "list", "study_cli.h_list", json_flag=True)
    listing.set_defaults(func=cmd_list)
    show = command(actions, "show", "study_cli.h_show", json_flag=True)
    show.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    show.set_defaults(func=cmd_show)
    add = command(actions, "add", "study_cli.h_add", json_flag=False)
    _plan_options(add, adding=True)
    add.add_argument("--from-above", action="store_true", help=i18n.t("study_cli.h_from_above"))
    add.set_defaults(func=cmd_add)
    edit = command(actions, "edit", "study_cli.h_edit", json_flag=False)
    edit.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    _plan_options(edit, adding=False)
    edit.set_defaults(func=cmd_edit)
    remove = command(actions, "remove", "study_cli.h_remove", json_flag=False)
    remove.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    remove.set_defaults(func=cmd_remove)
    study_sessions.register(actions)
    makeup = command(actions, "makeup", "study_cli.h_makeup", json_flag=True)
    makeup.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    makeup.set_defaults(func=cmd_makeup)
    member = command(actions, "member", "study_cli.h_member_record", json_flag=True)
    member.add_argument("member", help=i18n.t("study_cli.h_member"))
    member.add_argument("--year", type=int, help=i18n.t("study_cli.h_year"))
    member.set_defaults(func=cmd_member)
    points = command(actions, "points", "study_cli.h_points", json_flag=True)
    points.add_argument("--per-plan", type=int, help=i18n.t("study_cli.h_per_plan"))
    points.add_argument("--per-session", type=int, help=i18n.t("study_cli.h_per_session"))
    points.add_argument("--quiz-passed", type=int, help=i18n.t("study_cli.h_quiz_passed"))
    points.add_argument("--default", action="store_true", help=i18n.t("study_cli.h_default"))
    points.set_defaults(func=cmd_points)
    reminders = command(actions, "reminders", "study_cli.h_reminders", json_flag=True)
    reminders.set_defaults(func=cmd_reminders)
    read = command(actions, "read", "study_cli.h_read", json_flag=False)
    read.add_argument("document", help=i18n.t("study_cli.h_read_document"))
    read.add_argument("--out", "-o", required=True, help=i18n.t("study_cli.h_read_out"))
    read.set_defaults(func=cmd_read)
    from sotay_desktop.cli.study_papers import add_paper_commands

    add_paper_commands(actions)      # cards, sheets, key, attendance, makeup-list, results…
