"""``sotay study session add|list|remove``, ``sotay study scan`` and ``sotay study survey
enter|list``: the study sessions of a plan and who attended them, the codes a USB card
scanner types (one a line, as from the keyboard), and the survey's paper tallies.

``scan`` takes its codes from the arguments, or else from standard input one a line (a
scanner ends each code with Enter), each answered as it arrives; a card scanned twice is
counted once; every refused line is said with its number, the good ones are kept, and the
exit code is 1 when any line was refused."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.dates import format_vn
from sotay_core.domain.errors import DomainError
from sotay_core.domain.study_view import SessionLine
from sotay_desktop.cli.common import CliError, command, group, print_json, workspace
from sotay_desktop.cli.study_common import find_member, find_plan, read_text, short
from sotay_desktop.usecases import study, study_find

KINDS = ("session", "makeup", "home")


def session_line(s: SessionLine, names: Mapping[str, str]) -> str:
    present = ", ".join(names.get(m, m) for m in s.present)
    return i18n.t("study_cli.session_line", date=format_vn(s.held_on),
                  kind=i18n.t(f"study_cli.kind_{s.kind}") if s.kind in KINDS else s.kind,
                  place=s.place or "—", count=len(s.present), id=short(s.id),
                  present=present or "—")


def cmd_session_add(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        members = [find_member(ws, words) for words in args.present or ()]
        session_id, _ = study.record_session(
            ws, plan_id, held_on=args.date, kind=args.kind, place=args.place or "",
            documents=args.document or (), member_ids=members, note=args.note or "")
        view = study.view(ws, plan_id)
    names = {m.member_id: m.name for m in view.members}
    held = next(s for s in view.sessions if s.id == session_id)
    out.write(i18n.t("study_cli.session_added", id=session_id) + "\n"
              + session_line(held, names) + "\n")
    return 0


def cmd_session_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = study.view(ws, find_plan(ws, args.plan))
    if args.json:
        print_json(view.sessions, out)
        return 0
    names = {m.member_id: m.name for m in view.members}
    for s in view.sessions:
        out.write(session_line(s, names) + "\n")
    if not view.sessions:
        out.write(i18n.t("study_cli.no_sessions") + "\n")
    return 0


def cmd_session_remove(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        session_id = study_find.find_session(ws, args.session)[0]
        study.remove_session(ws, session_id)
    out.write(i18n.t("study_cli.session_removed", id=short(session_id)) + "\n")
    return 0


def scanned_lines(codes: list[str] | None) -> Iterator[tuple[int, str]]:
    """(line number, text) of each code: the arguments, or standard input's lines as each
    arrives (a scanner at a terminal gets its answer per card, not at the end)."""
    lines: Iterable[str] = codes if codes else iter(sys.stdin.readline, "")
    for n, text in enumerate(lines, 1):
        if text.strip():
            yield n, text.strip()


def _say(out: TextIO, text: str) -> None:
    out.write(text + "\n")
    out.flush()     # the answer for this card now, while the next one is being scanned


def cmd_scan(args: argparse.Namespace, out: TextIO) -> int:
    refused = 0
    with workspace(args) as ws:
        session_id, plan_id = study_find.find_session(ws, args.session)
        for n, code in scanned_lines(args.code):
            try:
                got = study.scan(ws, session_id, code)
            except DomainError as exc:
                refused += 1
                _say(out, i18n.t("study_cli.scan_refused", line=n, text=exc.message()))
                continue
            key = "study_cli.scan_again" if got.already else "study_cli.scan_present"
            _say(out, i18n.t(key, line=n, name=got.name))
        view = study.view(ws, plan_id)
    held = next(s for s in view.sessions if s.id == session_id)
    _say(out, i18n.t("study_cli.scan_total", count=len(held.present), refused=refused))
    if refused:   # the good lines are kept; the exit code and stderr say some were not
        raise CliError(i18n.t("study_cli.lines_refused", count=refused))
    return 0


_COUNTS = re.compile(r"[\s,;]+")


def _tally(text: str, number: int) -> list[int]:
    try:
        return [int(c) for c in _COUNTS.split(text.strip()) if c]
    except ValueError:
        raise CliError(i18n.t("study_cli.bad_tally", number=number, value=text)) from None


def cmd_survey_enter(args: argparse.Namespace, out: TextIO) -> int:
    tallies = [_tally(t, n) for n, t in enumerate(args.tally or (), 1)]
    if args.file:
        tallies = [_tally(t, n) for n, t in enumerate(read_text(args.file).splitlines(), 1)]
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        session_id = study_find.find_session(ws, args.session)[0] if args.session else None
        study.enter_survey(ws, plan_id, collected_on=args.date, present=args.present,
                           session_id=session_id, tallies=tallies, texts=args.text or ())
        view = study.view(ws, plan_id)
    out.write(i18n.t("study_cli.survey_saved") + "\n")
    _survey_totals(view, out)
    return 0


def _survey_totals(view: Any, out: TextIO) -> None:
    total = view.survey
    survey = view.plan.survey
    if total is None or survey is None:
        return
    out.write(i18n.t("study_cli.survey_head", present=total.present, sheets=total.sheets)
              + "\n")
    texts = tuple(total.texts) + ("",) * len(survey.questions)
    for n, (q, counts) in enumerate(zip(survey.questions, total.tallies, strict=False), 1):
        shown = "; ".join(f"{c}: {k}" for c, k in zip(q.choices, counts, strict=False))
        out.write(f"  {n}. {q.text} – {shown or texts[n - 1] or '—'}\n")


def cmd_survey_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        counts = study.survey_counts(ws, plan_id)
        view = study.view(ws, plan_id)
    if args.json:
        print_json({"counts": counts, "total": view.survey}, out)
        return 0
    for c in counts:
        out.write(i18n.t("study_cli.survey_count", date=format_vn(c.collected_on),
                         present=c.present, id=short(c.id),
                         tallies=" | ".join(",".join(map(str, q)) or "—" for q in c.tallies))
                  + "\n")
    if not counts:
        out.write(i18n.t("study_cli.no_survey_counts") + "\n")
    _survey_totals(view, out)
    return 0


def register(actions: Any) -> None:
    sessions = group(actions, "session", "study_cli.h_session")
    add = command(sessions, "add", "study_cli.h_session_add", json_flag=False)
    add.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    add.add_argument("--date", required=True, help=i18n.t("study_cli.h_date"))
    add.add_argument("--kind", choices=KINDS, default="session",
                     help=i18n.t("study_cli.h_session_kind"))
    add.add_argument("--place", help=i18n.t("study_cli.h_place"))
    add.add_argument("--document", action="append", help=i18n.t("study_cli.h_document"))
    add.add_argument("--present", action="append", help=i18n.t("study_cli.h_present"))
    add.add_argument("--note", help=i18n.t("study_cli.h_note"))
    add.set_defaults(func=cmd_session_add)
    listing = command(sessions, "list", "study_cli.h_session_list", json_flag=True)
    listing.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    listing.set_defaults(func=cmd_session_list)
    remove = command(sessions, "remove", "study_cli.h_session_remove", json_flag=False)
    remove.add_argument("session", help=i18n.t("study_cli.h_session_id"))
    remove.set_defaults(func=cmd_session_remove)
    scan = command(actions, "scan", "study_cli.h_scan", json_flag=False)
    scan.add_argument("session", help=i18n.t("study_cli.h_session_id"))
    scan.add_argument("code", nargs="*", help=i18n.t("study_cli.h_code"))
    scan.set_defaults(func=cmd_scan)
    survey = group(actions, "survey", "study_cli.h_survey")
    enter = command(survey, "enter", "study_cli.h_survey_enter", json_flag=False)
    enter.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    enter.add_argument("--date", required=True, help=i18n.t("study_cli.h_date"))
    enter.add_argument("--present", type=int, help=i18n.t("study_cli.h_survey_present"))
    enter.add_argument("--session", help=i18n.t("study_cli.h_survey_session"))
    enter.add_argument("--tally", action="append", help=i18n.t("study_cli.h_tally"))
    enter.add_argument("--file", help=i18n.t("study_cli.h_tally_file"))
    enter.add_argument("--text", action="append", help=i18n.t("study_cli.h_survey_text"))
    enter.set_defaults(func=cmd_survey_enter)
    counts = command(survey, "list", "study_cli.h_survey_list", json_flag=True)
    counts.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    counts.set_defaults(func=cmd_survey_list)
