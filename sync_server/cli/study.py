"""``sotay-server study``: political study (issue 21) from a shell. ``publish`` a plan down
to the branches (the same ``study_publish.publish_plan`` as the page; the quiz and survey
from text files in the form the page's help shows, or their JSON), ``list`` the plans
reaching a unit, ``show`` one plan's completion per unit below with its quiz and survey
totals (counts only), ``edit`` its deadline or title on every copy, ``withdraw`` it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sotay_core.i18n import t
from sync_server.cli.common import Env, command, emit, group, say, unit_of, with_db, with_json

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers
    from sync_server.study_queries import Completion


def add_study(sub: SubParsers) -> None:
    study = group(sub, "study", "server_cli.help.study")
    publish = command(study, "publish", study_publish, "server_cli.help.study_publish")
    publish.add_argument("--to", required=True, help=t("server_cli.help.study_to"))
    publish.add_argument("--title", required=True, help=t("server_cli.help.study_title"))
    publish.add_argument("--due", required=True, help=t("server_cli.help.study_due"))
    publish.add_argument("--number", default="", help=t("server_cli.help.study_number"))
    publish.add_argument("--issued", default="", help=t("server_cli.help.study_issued"))
    publish.add_argument("--starts", default="", help=t("server_cli.help.study_starts"))
    publish.add_argument("--document", action="append", default=[], metavar="DOCUMENT_ID",
                         help=t("server_cli.help.study_document"))
    publish.add_argument("--audience", default="all", choices=("all", "statuses", "secretary"),
                         help=t("server_cli.help.study_audience"))
    publish.add_argument("--status", action="append", default=[],
                         help=t("server_cli.help.study_status"))
    publish.add_argument("--kind", default="study", choices=("study", "contest"),
                         help=t("server_cli.help.study_kind"))
    publish.add_argument("--quiz", type=Path, help=t("server_cli.help.study_quiz"))
    publish.add_argument("--survey", type=Path, help=t("server_cli.help.study_survey"))
    publish.add_argument("--pass-percent", type=int, default=50,
                         help=t("server_cli.help.study_pass_percent"))
    publish.add_argument("--points", type=int, help=t("server_cli.help.study_points"))
    publish.add_argument("--note", default="", help=t("server_cli.help.study_note"))
    listing = command(study, "list", study_list, "server_cli.help.study_list")
    listing.add_argument("--unit", required=True, help=t("server_cli.help.unit_id"))
    show = command(study, "show", study_show, "server_cli.help.study_show")
    show.add_argument("--unit", default="", help=t("server_cli.help.study_show_unit"))
    edit = command(study, "edit", study_edit, "server_cli.help.study_edit")
    edit.add_argument("--due", default="", help=t("server_cli.help.study_new_due"))
    edit.add_argument("--title", help=t("server_cli.help.study_title"))
    withdraw = command(study, "withdraw", study_withdraw, "server_cli.help.study_withdraw")
    for p in (show, edit, withdraw):
        p.add_argument("plan_id", help=t("server_cli.help.study_plan_id"))
    for p in (publish, listing, show, edit, withdraw):
        with_db(with_json(p))


def _read(path: Path | None) -> str:
    from sync_server.admin import AdminError

    if path is None:
        return ""
    try:
        if path.stat().st_size > 4 * 2**20:
            raise AdminError("server_study_text_too_long", field=str(path), most=4 * 2**20)
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise AdminError("server_study_file", path=str(path)) from None


def study_publish(args: argparse.Namespace, env: Env) -> int:
    from sync_server import study_publish as sp

    with env.transaction() as session:
        due = sp.parse_day(args.due, "server_field.due_on", required=True)
        assert due is not None
        done = sp.publish_plan(
            session, to_unit=args.to, title=args.title, number=args.number, due_on=due,
            issued_on=sp.parse_day(args.issued, "server_field.issued_on"),
            starts_on=sp.parse_day(args.starts, "server_field.starts_on"),
            document_ids=args.document, audience=args.audience, statuses=args.status,
            kind=args.kind, quiz=_read(args.quiz), survey=_read(args.survey),
            pass_percent=args.pass_percent, points=args.points, note=args.note,
            actor="admin")
        emit(args, {"plan_id": done.plan_id, "branches": done.branches},
             t("server_cli.study_published", plan_id=done.plan_id, branches=done.branches))
    return 0


def _figures(c: Completion) -> dict[str, Any]:
    return {"branches": c.branches, "reported": c.reported, "silent": c.silent,
            "targeted": c.targeted, "studied": c.studied, "not_reached": c.not_reached,
            "members_silent": c.members_silent, "sessions": c.sessions,
            "quiz_sat": c.quiz_sat, "quiz_passed": c.quiz_passed,
            "survey_present": c.survey_present}


def _share(c: Completion) -> str:
    return "—" if c.share is None else f"{100 * c.share:.0f} %"


def study_list(args: argparse.Namespace, env: Env) -> int:
    from sync_server import study_queries

    with env.transaction() as session:
        unit = unit_of(session, args.unit)
        lines, rows = [], []
        for line in study_queries.plans(session, unit):
            p, f = line.pub, line.figures
            rows.append({"plan_id": p.id, "title": p.title, "number": p.number,
                         "kind": p.kind, "to_unit": p.to_unit,
                         "due_on": p.due_on.isoformat() if p.due_on else None,
                         "withdrawn": p.withdrawn_at is not None, **_figures(f)})
            state = t("server_cli.study_withdrawn") if p.withdrawn_at else ""
            lines.append(t("server_cli.study_row", plan_id=p.id, title=p.title,
                           due=f"{p.due_on:%d/%m/%Y}" if p.due_on else "—",
                           reported=f.reported, branches=f.branches, studied=f.studied,
                           targeted=f.targeted, share=_share(f), state=state).rstrip())
        emit(args, {"unit": unit.id, "plans": rows},
             "\n".join(lines) or t("server_cli.study_none", unit=unit.name))
    return 0


def study_show(args: argparse.Namespace, env: Env) -> int:
    from sync_server import study_publish as sp
    from sync_server import study_queries

    with env.transaction() as session:
        pub = sp.publication(session, args.plan_id)
        unit = unit_of(session, args.unit or pub.to_unit)
        plan = study_queries.content(session, pub)
        tree = study_queries.plan_tree(session, pub.id, unit)
        found = study_queries.results(session, plan, pub.id, unit)
        total = tree.total
        lines = [t("server_cli.study_heading", title=pub.title, unit=unit.name,
                   due=f"{pub.due_on:%d/%m/%Y}" if pub.due_on else "—"),
                 t("server_cli.study_total", reported=total.reported,
                   branches=total.branches, studied=total.studied, targeted=total.targeted,
                   share=_share(total), not_reached=total.not_reached, silent=total.silent)]
        for u, c in tree.rows:
            lines.append(t("server_cli.study_unit_row", name=u.name, reported=c.reported,
                           branches=c.branches, studied=c.studied, targeted=c.targeted,
                           share=_share(c), not_reached=c.not_reached))
        if plan.quiz is not None and total.quiz_sat:
            lines.append(t("server_cli.study_quiz", sat=total.quiz_sat,
                           passed=total.quiz_passed,
                           histogram=", ".join(f"{k}:{n}" for k, n in
                                               enumerate(found.histogram))))
            for i, right in enumerate(found.question_correct, 1):
                lines.append(t("server_cli.study_question", n=i, right=right,
                               sat=total.quiz_sat,
                               share=f"{100 * right / total.quiz_sat:.0f} %"))
        if plan.survey is not None:
            for i, q in enumerate(plan.survey.questions):
                counts = ", ".join(f"{chr(65 + j)} {n}" for j, n in enumerate(found.tallies[i]))
                lines.append(t("server_cli.study_survey_row", n=i + 1, text=q.text[:60],
                               counts=counts or t("server_cli.study_written",
                                                  n=found.texts_count[i]),
                               present=total.survey_present))
        emit(args, {"plan_id": pub.id, "unit": unit.id, "total": _figures(total),
                    "rows": [{"id": u.id, "name": u.name, **_figures(c)}
                             for u, c in tree.rows],
                    "histogram": found.histogram, "question_correct": found.question_correct,
                    "survey_tallies": found.tallies, "survey_texts": found.texts_count},
             "\n".join(lines))
    return 0


def study_edit(args: argparse.Namespace, env: Env) -> int:
    from sync_server import study_publish as sp
    from sync_server.admin import AdminError

    changes: dict[str, Any] = {}
    if args.due:
        changes["due_on"] = sp.parse_day(args.due, "server_field.due_on", required=True)
    if args.title is not None:
        changes["title"] = args.title
    if not changes:
        raise AdminError("server_study_nothing_to_change")
    with env.transaction() as session:
        n = sp.edit_plan(session, plan_id=args.plan_id, changes=changes, actor="admin")
        emit(args, {"plan_id": args.plan_id, "copies": n},
             t("server_cli.study_edited", plan_id=args.plan_id, copies=n))
    return 0


def study_withdraw(args: argparse.Namespace, env: Env) -> int:
    from sync_server import study_publish as sp

    with env.transaction() as session:
        n = sp.withdraw_plan(session, plan_id=args.plan_id, actor="admin")
        if args.json:
            emit(args, {"plan_id": args.plan_id, "copies": n}, "")
        else:
            say("server_cli.study_withdrawn_done", plan_id=args.plan_id, copies=n)
    return 0
