"""``sotay study cards|sheets|key|attendance|makeup-list|results|survey-form … -o FILE``: the
study plan's papers from the command line, as the study screen saves them
(``usecases.study_papers``); PDF or DOCX by the file's suffix, audited once on disk.

``cards`` prints the study cards of every member on the roster (``--plan``: the plan's
members; ``--member``: those named), 8 or 6 to a page. ``sheets`` the quiz sheets (one per
member the plan is for, or ``--member``; ``--blank N`` unnamed ones), ``key`` the answer
key, ``attendance`` a session's sign-in sheet (``--session`` a recorded session by its day
or id, else ``--date``/``--place``; ``--makeup`` lists only who must make up),
``makeup-list`` who has not studied yet, ``results`` the class results (each member's
score unless ``--counts-only``: the copy for the level above), ``survey-form`` the
survey's paper form. PLAN and MEMBER are found as ``sotay study`` finds them.
(``sotay study makeup`` is the list on screen; the paper is ``makeup-list``.)
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.dates import parse_date
from sotay_core.domain.errors import ValidationError
from sotay_desktop.cli.common import CliError, command, workspace

COMMANDS = {"cards": "cards", "sheets": "sheets", "key": "key", "attendance": "attendance",
            "makeup-list": "makeup", "results": "results", "survey-form": "survey"}
SIZES = tuple(range(18, 25))


def _day(text: str) -> Any:
    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            i18n.t("study_papers.cli_bad_date", value=text)) from None


def _count(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            i18n.t("study_papers.cli_bad_count", value=text)) from None


def _session(view: Any, words: str) -> str:
    """A recorded session of the plan by its id, its start or its end (``sotay study session
    list`` prints the last 8 characters, in brackets), or its day."""
    from sotay_desktop.cli.study_common import bare_id, id_fits

    wanted = words.strip()
    try:
        day = parse_date(wanted)
    except ValueError:
        day = None
    found = [s for s in view.sessions if id_fits(s.id, bare_id(wanted))
             or (day is not None and s.held_on == day)]
    if len(found) != 1:
        raise ValidationError("study_papers.cli_session", value=wanted, count=len(found))
    return str(found[0].id)


def cmd_paper(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.cli.study_common import find_member, find_plan
    from sotay_desktop.usecases import study, study_papers

    target = Path(args.output)
    if target.suffix.lower() not in (".pdf", ".docx"):
        raise CliError(i18n.t("cli.dues_bad_suffix", path=args.output, allowed=".pdf, .docx"))
    kind = COMMANDS[args.paper]
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan) if args.plan else None
        members = getattr(args, "member", None)
        options = study_papers.Options(
            size=getattr(args, "font_size", None) or 20,
            large=getattr(args, "large", False) or getattr(args, "font_size", None) is not None,
            member_ids=tuple(find_member(ws, m) for m in members) if members else None,
            blank=getattr(args, "blank", 0), per_page=getattr(args, "per_page", 8),
            held_on=getattr(args, "date", None), place=getattr(args, "place", "") or "",
            makeup=getattr(args, "makeup", False),
            named=not getattr(args, "counts_only", False),
            copies=getattr(args, "copies", 1))
        if getattr(args, "session", None):
            view = study.view(ws, str(plan_id))
            options = dataclasses.replace(options, session_id=_session(view, args.session))
        saved = study_papers.save_paper(ws, plan_id, kind, target, options)
    out.write(i18n.t("ui.exported", path=str(saved)) + "\n")
    return 0


def add_paper_commands(sub: Any) -> None:
    """The papers' subcommands on ``sotay study``'s subparsers."""
    for name in COMMANDS:
        parser = command(sub, name, f"study_papers.cli_{name.replace('-', '_')}",
                         json_flag=False)
        if name == "cards":
            parser.add_argument("--plan", help=i18n.t("study_papers.cli_plan_cards"))
            parser.add_argument("--per-page", type=int, choices=(6, 8), default=8,
                                help=i18n.t("study_papers.cli_per_page"))
        else:
            parser.add_argument("plan", help=i18n.t("study_papers.cli_plan"))
        if name in ("cards", "sheets"):
            parser.add_argument("--member", action="append",
                                help=i18n.t("study_papers.cli_member"))
        if name == "sheets":
            parser.add_argument("--blank", type=_count, default=0,
                                help=i18n.t("study_papers.cli_blank"))
        if name == "attendance":
            parser.add_argument("--session", help=i18n.t("study_papers.cli_session_help"))
            parser.add_argument("--date", type=_day, help=i18n.t("study_papers.cli_date"))
            parser.add_argument("--place", help=i18n.t("study_papers.cli_place"))
            parser.add_argument("--makeup", action="store_true",
                                help=i18n.t("study_papers.cli_makeup_only"))
        if name in ("key", "makeup-list", "results"):
            parser.add_argument("--large", action="store_true",
                                help=i18n.t("study_papers.cli_large"))
        if name == "results":
            parser.add_argument("--counts-only", action="store_true",
                                help=i18n.t("study_papers.cli_counts_only"))
        if name == "survey-form":
            parser.add_argument("--copies", type=_count, default=1,
                                help=i18n.t("study_papers.cli_copies"))
        if name != "cards":
            parser.add_argument("--font-size", type=int, choices=SIZES,
                                help=i18n.t("study_papers.cli_font_size"))
        parser.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
        parser.set_defaults(func=cmd_paper, paper=name)
