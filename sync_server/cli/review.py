"""``sotay-server review``: the annual review (issue 20) from a shell. ``list`` the grade
distribution of a year per unit below, ``show`` one branch's campaign, ``decide`` it (the
same ``review_decide.decide`` as the branch's review page)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from sotay_core.i18n import t
from sync_server.cli.common import Env, command, emit, group, say, unit_of, with_db, with_json

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers
    from sync_server.review_queries import ReviewFigures


def add_review(sub: SubParsers) -> None:
    review = group(sub, "review", "server_cli.help.review")
    listing = command(review, "list", review_list, "server_cli.help.review_list")
    listing.add_argument("--unit", required=True, help=t("server_cli.help.unit_id"))
    show = command(review, "show", review_show, "server_cli.help.review_show")
    decide = command(review, "decide", review_decide, "server_cli.help.review_decide")
    for p in (show, decide):
        p.add_argument("--branch", required=True, help=t("server_cli.help.branch_id"))
        p.add_argument("--period", default="year", help=t("server_cli.help.review_period"))
    for p in (listing, show, decide):
        p.add_argument("--year", required=p is decide, help=t("server_cli.help.review_year"))
        with_db(with_json(p))
    decide.add_argument("--number", required=True, help=t("server_cli.help.review_number"))
    decide.add_argument("--date", required=True, help=t("server_cli.help.review_date"))
    decide.add_argument("--issuer", default="", help=t("server_cli.help.review_issuer"))
    decide.add_argument("--grade", action="append", default=[], metavar="MEMBER=GRADE",
                        help=t("server_cli.help.review_grade"))
    decide.add_argument("--branch-grade", default="", help=t("server_cli.help.review_branch_grade"))
    decide.add_argument("--note", default="", help=t("server_cli.help.review_note"))


def _year(args: argparse.Namespace) -> int:
    from sync_server import review_decide
    from sync_server.pages import vn_today
    from sync_server.routers.province_review import default_year

    return review_decide.parse_year(args.year) if args.year else default_year(vn_today())


def _grades(counts: dict[str, int]) -> str:
    return ", ".join(t("server_cli.review_grade_count", grade=t(f"review.grade.{g}"), n=n)
                     for g, n in counts.items())


def _figures(f: ReviewFigures) -> dict[str, Any]:
    return {"branches": f.branches, "sent": f.sent, "not_sent": f.not_sent,
            "decided": f.decided, "members": f.members, "grades": f.grades,
            "branch_grades": f.branch_grades}


def review_list(args: argparse.Namespace, env: Env) -> int:
    from sqlalchemy import select

    from sync_server import review_queries
    from sync_server.models import Unit

    year = _year(args)
    with env.transaction() as session:
        unit = unit_of(session, args.unit)
        tree = review_queries.review_tree(session, unit, year)
        names = {u.id: u for u in session.scalars(select(Unit).where(
            Unit.id.in_([k for k in tree.rows if k])))}
        rows = []
        lines = []
        for key, f in sorted(tree.rows.items(), key=lambda kv: names[kv[0]].name
                             if kv[0] in names else ""):
            child = names.get(key, unit)
            rows.append({"id": child.id, "name": child.name, "level": child.level,
                         **_figures(f), "status": f.status, "branch_grade": f.branch_grade,
                         "decision_number": f.decision_number})
            if child.level == "branch":
                state = "decided" if f.decided else (f.status or "none")
                sent = t(f"server_cli.review_status.{state}")
                own = t(f"review.grade.{f.branch_grade}") if f.branch_grade else t(
                    "server_cli.review_none")
            else:
                sent = f"{f.sent}/{f.branches}"
                own = _grades(f.branch_grades)
            lines.append(t("server_cli.review_row", name=child.name, sent=sent,
                           grades=_grades(f.grades), branch_grades=own))
        total = tree.total
        lines.append(t("server_cli.review_total", name=unit.name, year=year, sent=total.sent,
                       of=total.branches, decided=total.decided, not_sent=total.not_sent,
                       members=total.members, grades=_grades(total.grades)))
        emit(args, {"unit": unit.id, "year": year, "rows": rows, "total": _figures(total)},
             "\n".join(lines))
    return 0


def review_show(args: argparse.Namespace, env: Env) -> int:
    from sync_server import review_decide, review_queries
    from sync_server.admin import AdminError

    year = _year(args)
    period = review_decide.parse_period(args.period)
    with env.transaction() as session:
        branch = unit_of(session, args.branch)
        page = review_queries.campaign_page(session, branch, year, period)
        if page is None:
            raise AdminError("server_review_no_campaign", branch=branch.name,
                             when=review_decide.when_words(year, period))
        lines_out = [*page.lines, *([page.branch_line] if page.branch_line else [])]

        def grade(g: Any) -> str:
            return t(f"review.grade.{g.value}") if g is not None else t("server_cli.review_none")

        if args.json:
            print(json.dumps({
                "campaign_id": page.campaign_id, "branch": branch.id, "year": year,
                "period": period.value, "status": page.status,
                "decision": {"number": page.decision_number, "issuer": page.issuer,
                             "decided_on": page.decided_on.isoformat()
                             if page.decided_on else None},
                "proposed": page.counts("proposed"), "decided": page.counts("decided"),
                "standing": page.counts("stands"),
                "entries": [{"entry_id": x.entry_id, "member_id": x.member_id, "name": x.name,
                             "points": x.points,
                             "proposed": x.proposed.value if x.proposed else None,
                             "decided": x.decided.value if x.decided else None}
                            for x in lines_out]}, ensure_ascii=False))
            return 0
        decision = t("server_cli.review_show_decision", number=page.decision_number,
                     day=page.decided_on.strftime("%d/%m/%Y") if page.decided_on else "",
                     issuer=page.issuer) if page.decision_number else ""
        say("server_cli.review_show_head", branch=branch.name,
            when=review_decide.when_words(year, period),
            status=t(f"server_cli.review_status.{page.status}"), decision=decision)
        for x in lines_out:
            say("server_cli.review_show_line",
                name=x.name if x.member_id else t("server_cli.review_branch_itself"),
                points=x.points or "—", proposed=grade(x.proposed), decided=grade(x.decided))
    return 0


def review_decide(args: argparse.Namespace, env: Env) -> int:
    from sync_server import review_decide as deciding
    from sync_server import review_facts
    from sync_server.admin import AdminError

    year = _year(args)
    period = deciding.parse_period(args.period)
    day = deciding.parse_day(args.date)
    pairs: dict[str, str] = {}
    for pair in args.grade:
        member, sep, grade = pair.partition("=")
        if not sep or not member.strip() or not grade.strip():
            raise AdminError("server_cli.review_bad_pair", value=pair[:80])
        pairs[member.strip()] = grade.strip()
    with env.transaction() as session:
        branch = unit_of(session, args.branch)
        campaign, _data = deciding.campaign_of(session, branch, year, period)
        grades: dict[str, Any] = dict(deciding.entries_by_member(session, branch, campaign.id,
                                                                 pairs))
        if args.branch_grade:
            own = [rid for rid, e in review_facts.entries_of(session, branch.id, campaign.id)
                   if not e.get("member_id")]
            if not own:
                raise AdminError("server_review_not_in_campaign",
                                 member=t("server_cli.review_branch_itself"))
            grades[own[0]] = deciding.parse_grade(args.branch_grade)
        issuer = args.issuer
        if not issuer and branch.parent_id:
            parent = unit_of(session, branch.parent_id)
            issuer = parent.name
        done = deciding.decide(session, branch=branch, year=year, period=period,
                               number=args.number, decided_on=day, issuer=issuer,
                               note=args.note, grades=grades, actor="admin")
        text = [t("server_cli.review_decided", number=done.number,
                  day=day.strftime("%d/%m/%Y"), written=done.written, replaced=done.replaced,
                  unchanged=done.unchanged)]
        text += [t("server_cli.review_changed", name=name, now=t(f"review.grade.{now.value}"),
                   was=t(f"review.grade.{was.value}") if was else t("server_cli.review_none"))
                 for name, was, now in done.changed]
        if done.undecided:
            text.append(t("server_cli.review_undecided", names=", ".join(done.undecided)))
        emit(args, {"campaign_id": done.campaign_id, "number": done.number,
                    "decided_on": day.isoformat(), "written": done.written,
                    "replaced": done.replaced, "unchanged": done.unchanged,
                    "changed": [{"name": n, "was": w.value if w else None, "now": g.value}
                                for n, w, g in done.changed],
                    "undecided": done.undecided}, "\n".join(text))
    return 0
