"""``sotay review …``: the annual review (kiểm điểm, đánh giá, xếp loại chất lượng đảng
viên), issue 20. A campaign per YEAR (``--quarter N`` for a quarter's, when the settings
enable quarters): open it, record self-reviews, the branch meeting's proposals (one member
at a time or a whole table), the branch's own self-grade, hold the meeting, send the
proposals up; ``show`` and ``summary`` read it. MEMBER is an id, a card number or an exact
full name. The same use cases as the review screen (``usecases.review``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_core.domain.review import Grade, grade_by_points
from sotay_desktop.cli.common import CliError, command, print_json, workspace, year
from sotay_desktop.usecases import review

ON_OFF = ("on", "off")


def _day(text: str) -> Any:
    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(i18n.t("review_app.cli_bad_date", value=text)) from None


def _count(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(i18n.t("review_app.cli_bad_count", value=text))
    return value


def _score(text: str) -> tuple[str, str]:
    code, sep, value = text.partition("=")
    if not sep or not code.strip() or not value.strip():
        raise argparse.ArgumentTypeError(i18n.t("review_app.cli_bad_score", value=text))
    return code.strip(), value.strip().replace(",", ".")


def _points(text: str) -> str:
    """Points as typed in Vietnamese (85,5) or English (85.5); checked by the rules."""
    return text.strip().replace(",", ".")


def _grade_word(value: str | None) -> str:
    return i18n.t(f"review.grade.{value}") if value else "—"


def _period(args: argparse.Namespace) -> str:
    from sotay_desktop.services.review_read import period_of, period_words

    return period_words(args.year, period_of(args.quarter))


def _member(ws: Any, args: argparse.Namespace) -> str | None:
    return None if getattr(args, "branch", False) else review.find_member(ws, args.member)


def _votes(args: argparse.Namespace) -> Any:
    from sotay_desktop.services.review import Votes

    given = (args.yes, args.no, args.abstain, args.invalid)
    if all(v is None for v in given) and args.base is None:
        return None
    if args.yes is None:
        raise CliError(i18n.t("review_app.cli_yes_missing"))
    return Votes(args.yes, args.no or 0, args.abstain or 0, args.invalid or 0, args.base,
                 args.secret)


def _text(args: argparse.Namespace, name: str) -> str | None:
    path = getattr(args, f"{name}_file", None)
    if path:
        try:
            return Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(i18n.t("file_error", path=path, detail=exc)) from exc
    value: str | None = getattr(args, name, None)
    return value


def cmd_open(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        _id, made, _changes = review.open_campaign(ws, args.year, args.quarter)
        found = review.view(ws, args.year, args.quarter)
        left = review.left_out(ws, args.year, args.quarter)
    key = "review_app.cli_opened" if made else "review_app.cli_refreshed"
    out.write(i18n.t(key, period=_period(args), members=len(found.sheets)) + "\n")
    for person in left:
        out.write("  " + i18n.t("review_app.cli_left_out", name=person.name,
                                reason=i18n.t(f"review_app.left_{person.reason.value}"))
                  + "\n")
    return 0


def cmd_refresh(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        review.refresh(ws, args.year, args.quarter)
    out.write(i18n.t("review_app.cli_refreshed_only", period=_period(args)) + "\n")
    return 0


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        found = review.campaigns(ws)
    if args.json:
        print_json(found, out)
        return 0
    for c in found:
        out.write(i18n.t("review_app.cli_campaign_line", period=_words(c.year, c.period),
                         status=i18n.t(f"review_app.status_{c.status.value}"),
                         proposed=c.proposed, members=c.entries) + "\n")
    if not found:
        out.write(i18n.t("review_app.cli_no_campaigns") + "\n")
    return 0


def _words(year_: int, period: Any) -> str:
    from sotay_desktop.services.review_read import period_words

    return period_words(year_, period)


def _sheet_json(sheet: Any) -> dict[str, Any]:
    tally = sheet.tally
    return {"entry_id": sheet.entry_id, "member_id": sheet.member_id, "full_name": sheet.name,
            "role": sheet.role, "self_points": _num(sheet.self_points),
            "self_grade": _value(sheet.self_grade), "self_text": sheet.self_text,
            "scores": {code: str(v) for code, v in sheet.scores.items()},
            "points": _num(sheet.points), "grade": _value(sheet.grade),
            "comments": sheet.comments,
            "votes": None if tally is None else {
                "base": tally.base, "yes": tally.yes, "no": tally.no,
                "abstain": tally.abstain, "invalid": tally.invalid, "secret": tally.secret},
            "decided_grade": _value(sheet.decided_grade), "decision": sheet.decision,
            "disciplined": sheet.facts.disciplined, "tasks_on_time": sheet.facts.tasks_on_time,
            "facts": sheet.facts}


def _num(value: Any) -> str | None:
    return None if value is None else str(value)


def _value(grade: Any) -> str | None:
    return None if grade is None else str(grade.value)


def _read_again(ws: Any, args: argparse.Namespace) -> None:
    """An open campaign's facts read again before it is shown, so what ``show`` says of a
    member (disciplined, tasks_on_time) is what the next proposal is checked against; a
    held or sent campaign is shown as it was kept."""
    from sotay_core.domain.errors import DomainError

    try:
        review.refresh(ws, args.year, args.quarter)
    except DomainError:
        pass   # held, sent or never opened: view() says so, or shows it as kept


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        _read_again(ws, args)
        found = review.view(ws, args.year, args.quarter)
        base = review.voting_base(ws, args.year, args.quarter)
    if args.json:
        print_json({"campaign_id": found.campaign_id, "year": found.year,
                    "period": found.period.value, "status": found.status,
                    "held_on": found.held_on, "branch_name": found.unit_name,
                    "voting_base": base, "scheme": {
                        "name": found.scheme.name,
                        "criteria": [{"code": c.code, "max": str(c.max_points)}
                                     for c in found.scheme.criteria]},
                    "members": [_sheet_json(s) for s in found.sheets],
                    "branch": _sheet_json(found.branch) if found.branch else None}, out)
        return 0
    out.write(i18n.t("review_app.cli_show_head", period=_period(args),
                     status=i18n.t(f"review_app.status_{found.status}"),
                     held=format_vn(found.held_on) if found.held_on else "—", base=base) + "\n")
    width = max((len(s.name) for s in found.sheets), default=10)
    for sheet in [*found.sheets, *([found.branch] if found.branch else [])]:
        votes = f"{sheet.tally.yes}/{sheet.tally.base}" if sheet.tally else "—"
        decided = f"  → {_grade_word(_value(sheet.decided_grade))} {sheet.decision}" \
            if sheet.decided_grade else ""
        out.write(f"{sheet.name:{width}}  {_num(sheet.self_points) or '—':>5}  "
                  f"{_num(sheet.points) or '—':>5}  {_grade_word(_value(sheet.grade))}  "
                  f"({votes}){decided}\n")
    return 0


def cmd_self(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        review.record_self(ws, args.year, args.quarter, _member(ws, args), points=args.points,
                           grade=args.grade, text=_text(args, "text"))
    out.write(i18n.t("review_app.cli_self_saved") + "\n")
    return 0


def cmd_propose(args: argparse.Namespace, out: TextIO) -> int:
    scores = dict(args.score) if args.score else None
    with workspace(args) as ws:
        member_id = _member(ws, args)
        grade, _ = review.propose(ws, args.year, args.quarter, member_id,
                                  points=args.points, scores=scores, grade=args.grade,
                                  votes=_votes(args), comments=_text(args, "comments"))
        found = review.view(ws, args.year, args.quarter)
    out.write(i18n.t("review_app.cli_proposed", grade=_grade_word(grade.value)) + "\n")
    sheet = next((s for s in [*found.sheets, *([found.branch] if found.branch else [])]
                  if s.member_id == member_id), None)
    if sheet is not None and sheet.points is not None:
        by_points = grade_by_points(sheet.points, found.scheme)
        if by_points.rank < grade.rank:   # capped: say why, the points alone give more
            why = [i18n.t(f"review_app.cli_capped_{k}") for k, on in (
                ("disciplined", sheet.facts.disciplined),
                ("late", not sheet.facts.tasks_on_time)) if on]
            out.write(i18n.t("review_app.cli_capped", points=sheet.points,
                             grade=_grade_word(by_points.value), why="; ".join(why)) + "\n")
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        result, _ = review.import_proposals(ws, args.year, args.quarter, Path(args.file))
    out.write(i18n.t("review_app.cli_imported", count=result.proposed, skipped=result.skipped)
              + "\n")
    return 0


def cmd_hold(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        review.hold(ws, args.year, args.quarter, args.date, args.meeting)
    out.write(i18n.t("review_app.cli_held", period=_period(args), day=format_vn(args.date))
              + "\n")
    return 0


def cmd_reopen(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        review.reopen(ws, args.year, args.quarter)
    out.write(i18n.t("review_app.cli_reopened", period=_period(args)) + "\n")
    return 0


def cmd_send(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        review.send(ws, args.year, args.quarter)
    out.write(i18n.t("review_app.cli_sent", period=_period(args)) + "\n")
    return 0


def cmd_summary(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        _read_again(ws, args)
        found = review.view(ws, args.year, args.quarter)
    result = review.summary(found)
    if args.json:
        print_json({"year": found.year, "period": found.period.value, "status": found.status,
                    "held_on": found.held_on, "members": result.members,
                    "proposed": result.proposed, "counts": result.counts,
                    "branch": result.branch, "decided": result.decided,
                    "branch_decided": result.branch_decided,
                    "labels": {g.value: i18n.t(f"review.grade.{g.value}") for g in Grade}}, out)
        return 0
    out.write(i18n.t("review_app.cli_summary_head", period=_period(args),
                     proposed=result.proposed, members=result.members) + "\n")
    for grade, count in result.counts.items():
        out.write(f"  {_grade_word(grade)}: {count}\n")
    out.write(i18n.t("review_app.cli_summary_branch", grade=_grade_word(result.branch)) + "\n")
    return 0


def _switch(value: str | None, current: bool) -> bool:
    return current if value is None else value == "on"


def cmd_settings(args: argparse.Namespace, out: TextIO) -> int:
    import dataclasses

    from sotay_core.domain.review_setting import policy_to_json, scheme_to_json

    with workspace(args) as ws:
        if args.scheme_reset:
            review.set_scheme(ws, None)
        elif args.scheme:
            try:
                text = Path(args.scheme).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CliError(i18n.t("file_error", path=args.scheme, detail=exc)) from exc
            review.set_scheme(ws, text)
        now = review.policy(ws)
        wanted = dataclasses.replace(
            now, quarters=_switch(args.quarters, now.quarters),
            exempted_reviewed=_switch(args.exempted, now.exempted_reviewed),
            temporary_in_reviewed=_switch(args.temporary, now.temporary_in_reviewed),
            min_months_admitted=now.min_months_admitted if args.min_months is None
            else args.min_months)
        if wanted != now:
            from sotay_core.domain.review_setting import policy_from_json

            review.set_policy(ws, policy_from_json(policy_to_json(wanted)))   # checked
        policy, scheme = review.policy(ws), review.scheme(ws)
    out.write(policy_to_json(policy) + "\n" + scheme_to_json(scheme) + "\n")
    return 0


def _campaign_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", type=year, help=i18n.t("review_app.cli_year"))
    parser.add_argument("--quarter", type=int, choices=(1, 2, 3, 4),
                        help=i18n.t("review_app.cli_quarter"))


def _who(parser: argparse.ArgumentParser, *, branch_only: bool = False) -> None:
    if branch_only:
        parser.set_defaults(branch=True)
        return
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", help=i18n.t("review_app.cli_member"))
    who.add_argument("--branch", action="store_true", help=i18n.t("review_app.cli_branch"))


def _proposal_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--points", type=_points, help=i18n.t("review_app.cli_points"))
    parser.add_argument("--score", action="append", type=_score, metavar="CODE=POINTS",
                        help=i18n.t("review_app.cli_score"))
    parser.add_argument("--grade", help=i18n.t("review_app.cli_grade"))
    for name, key in (("--yes", "cli_yes"), ("--no", "cli_no"), ("--abstain", "cli_abstain"),
                      ("--invalid", "cli_invalid"), ("--base", "cli_base")):
        parser.add_argument(name, type=_count, help=i18n.t(f"review_app.{key}"))
    parser.add_argument("--secret", action="store_true", help=i18n.t("review_app.cli_secret"))
    parser.add_argument("--comments", help=i18n.t("review_app.cli_comments"))
    parser.add_argument("--comments-file", help=i18n.t("review_app.cli_comments_file"))


def register(sub: Any) -> None:
    top = command(sub, "review", "review_app.cli_review")
    top.epilog = i18n.t("review_app.cli_epilog")
    top.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = top.add_subparsers(dest="action", required=True)
    for name, func, key in (("open", cmd_open, "cli_open"), ("refresh", cmd_refresh,
                                                             "cli_refresh"),
                            ("reopen", cmd_reopen, "cli_reopen"), ("send", cmd_send, "cli_send")):
        parser = command(actions, name, f"review_app.{key}", json_flag=False)
        _campaign_args(parser)
        parser.set_defaults(func=func)
    listing = command(actions, "list", "review_app.cli_list", json_flag=True)
    listing.set_defaults(func=cmd_list)
    for name, func, key in (("show", cmd_show, "cli_show"),
                            ("summary", cmd_summary, "cli_summary")):
        parser = command(actions, name, f"review_app.{key}", json_flag=True)
        _campaign_args(parser)
        parser.set_defaults(func=func)
    own = command(actions, "self", "review_app.cli_self", json_flag=False)
    _campaign_args(own)
    _who(own)
    own.add_argument("--points", type=_points, help=i18n.t("review_app.cli_self_points"))
    own.add_argument("--grade", help=i18n.t("review_app.cli_grade"))
    own.add_argument("--text", help=i18n.t("review_app.cli_text"))
    own.add_argument("--text-file", help=i18n.t("review_app.cli_text_file"))
    own.set_defaults(func=cmd_self)
    for name, key, branch_only in (("propose", "cli_propose", False),
                                   ("branch", "cli_branch_grade", True)):
        parser = command(actions, name, f"review_app.{key}", json_flag=False)
        _campaign_args(parser)
        _who(parser, branch_only=branch_only)
        _proposal_args(parser)
        parser.set_defaults(func=cmd_propose)
    bulk = command(actions, "import", "review_app.cli_import", json_flag=False)
    _campaign_args(bulk)
    bulk.add_argument("file", help=i18n.t("review_app.cli_import_file"))
    bulk.set_defaults(func=cmd_import)
    held = command(actions, "hold", "review_app.cli_hold", json_flag=False)
    _campaign_args(held)
    held.add_argument("--date", type=_day, required=True, help=i18n.t("review_app.cli_date"))
    held.add_argument("--meeting", help=i18n.t("review_app.cli_meeting"))
    held.set_defaults(func=cmd_hold)
    settings = command(actions, "settings", "review_app.cli_settings", json_flag=False)
    for option, key in (("--quarters", "cli_quarters"), ("--exempted", "cli_exempted"),
                        ("--temporary", "cli_temporary")):
        settings.add_argument(option, choices=ON_OFF, help=i18n.t(f"review_app.{key}"))
    settings.add_argument("--min-months", type=_count, help=i18n.t("review_app.cli_min_months"))
    scheme = settings.add_mutually_exclusive_group()
    scheme.add_argument("--scheme", metavar="FILE", help=i18n.t("review_app.cli_scheme"))
    scheme.add_argument("--scheme-reset", action="store_true",
                        help=i18n.t("review_app.cli_scheme_reset"))
    settings.set_defaults(func=cmd_settings)
    from sotay_desktop.cli import review_paper

    review_paper.register(actions)
