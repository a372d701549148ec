"""``sotay quiz …``: a study plan's quiz on paper (issue 21), the same use cases as the study
screen's quiz: ``set`` (the question bank in its text form or JSON, from a file or standard
input), ``show`` (``--key``: the answers and explanations too), ``answer`` (one member's
sheet, e.g. "ABCD-A": one letter or digit 1–6 a question, "-" for a blank), ``grid`` (many
sheets, one "member answers" line each, from a file or standard input) and ``results``.

``grid`` reads each line as the member (a card's 14-digit code, a Party card number, an exact
full name or an id) then the answers, split at a tab or ";" when there is one, else at the
last space. A bad line is refused with its number and in words, the good lines are kept,
and the exit code is 1 when any line was refused."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_core.domain.study import LETTERS, Quiz
from sotay_desktop.cli.common import CliError, command, group, print_json, workspace
from sotay_desktop.cli.study_common import (
    find_member,
    find_plan,
    member_json,
    read_text,
    score_words,
)
from sotay_desktop.usecases import study


def _quiz(view: Any) -> Quiz:
    quiz: Quiz | None = view.plan.quiz
    if quiz is None:
        raise CliError(i18n.t("study_cli.no_quiz", title=view.plan.title))
    return quiz


def cmd_set(args: argparse.Namespace, out: TextIO) -> int:
    text = read_text(args.file)
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        study.set_quiz(ws, plan_id, text, args.pass_percent)
        quiz = study.view(ws, plan_id).plan.quiz
    if quiz is None:
        out.write(i18n.t("study_cli.quiz_off") + "\n")
    else:
        out.write(i18n.t("study_cli.quiz_saved", count=len(quiz),
                         percent=quiz.pass_percent) + "\n")
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = study.view(ws, find_plan(ws, args.plan))
    quiz = _quiz(view)
    if args.json:
        print_json({"pass_percent": quiz.pass_percent, "questions": [
            {"text": q.text, "choices": list(q.choices),
             **({"correct": q.correct_letter, "explanation": q.explanation}
                if args.key else {})} for q in quiz.questions]}, out)
        return 0
    out.write(i18n.t("study_cli.quiz_head", title=view.plan.title, count=len(quiz),
                     percent=quiz.pass_percent) + "\n")
    for n, q in enumerate(quiz.questions, 1):
        out.write(f"{n}. {q.text}\n")
        for i, choice in enumerate(q.choices):
            mark = "*" if args.key and i == q.correct else " "
            out.write(f"  {mark}{LETTERS[i]}. {choice}\n")
        if args.key and q.explanation:
            out.write("   " + i18n.t("study_cli.explanation", text=q.explanation) + "\n")
    return 0


def cmd_answer(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        member_id = find_member(ws, args.member)
        got, _ = study.enter_answers(ws, plan_id, member_id, args.answers,
                                     taken_on=args.date, how="typed")
        line = study.view(ws, plan_id).member(member_id)
    name = line.name if line else member_id
    out.write(i18n.t("study_cli.sheet_saved", name=name, score=score_words(got)) + "\n")
    return 0


def split_line(text: str) -> tuple[str, str]:
    """(member, answers) of a grid line; ("", "") when it cannot be split."""
    for mark in ("\t", ";"):
        if mark in text:   # the answers' own cells kept: an empty one is a blank
            who, _, answers = text.partition(mark)
            return who.strip(), answers.strip(" ")
    parts = text.rsplit(None, 1)
    return (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else ("", "")


def cmd_grid(args: argparse.Namespace, out: TextIO) -> int:
    lines = read_text(args.file).splitlines()
    kept = refused = 0
    seen: dict[str, int] = {}
    with workspace(args) as ws:
        plan_id = find_plan(ws, args.plan)
        view = study.view(ws, plan_id)
        _quiz(view)
        names = {m.member_id: m.name for m in view.members}
        for n, raw in enumerate(lines, 1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            who, answers = split_line(text)
            try:
                if not who:
                    raise CliError(i18n.t("study_cli.grid_unsplit"))
                member_id = find_member(ws, who)
                if member_id in seen:
                    raise CliError(i18n.t("study_cli.grid_twice", line=seen[member_id]))
                got, _ = study.enter_answers(ws, plan_id, member_id, answers,
                                             taken_on=args.date, how="grid")
            except (DomainError, CliError) as exc:
                refused += 1
                words = exc.message() if isinstance(exc, DomainError) else str(exc)
                out.write(i18n.t("study_cli.grid_refused", line=n, text=words) + "\n")
                continue
            seen[member_id] = n
            kept += 1
            out.write(i18n.t("study_cli.grid_kept", line=n, name=names.get(member_id, who),
                             score=score_words(got)) + "\n")
    out.write(i18n.t("study_cli.grid_total", kept=kept, refused=refused) + "\n")
    if refused:   # the good lines are kept; the exit code and stderr say some were not
        raise CliError(i18n.t("study_cli.lines_refused", count=refused))
    return 0


def cmd_results(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        view = study.view(ws, find_plan(ws, args.plan))
    quiz = _quiz(view)
    figures = view.figures
    sheets = [m for m in view.members if m.score is not None]
    if args.json:
        print_json({"questions": len(quiz), "pass_percent": quiz.pass_percent,
                    "sat": figures.quiz_sat, "passed": figures.quiz_passed,
                    "histogram": list(figures.histogram),
                    "question_correct": list(figures.question_correct),
                    "members": [member_json(m) for m in sheets]}, out)
        return 0
    out.write(i18n.t("study_cli.results_head", sat=figures.quiz_sat, passed=figures.quiz_passed,
                     targeted=len(view.progress.targeted), percent=quiz.pass_percent) + "\n")
    for m in sheets:
        out.write(f"  {m.name}: {m.answers} – {score_words(m.score)}\n")
    for n, right in enumerate(figures.question_correct, 1):
        out.write("  " + i18n.t("study_cli.question_right", number=n, right=right,
                                sat=figures.quiz_sat) + "\n")
    if figures.histogram:
        out.write("  " + i18n.t("study_cli.histogram", counts="; ".join(
            f"{k}: {c}" for k, c in enumerate(figures.histogram) if c)) + "\n")
    return 0


def register(sub: Any) -> None:
    actions = group(sub, "quiz", "study_cli.h_quiz")
    put = command(actions, "set", "study_cli.h_quiz_set", json_flag=False)
    put.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    put.add_argument("file", help=i18n.t("study_cli.h_quiz_file"))
    put.add_argument("--pass", dest="pass_percent", type=int,
                     help=i18n.t("study_cli.h_pass"))
    put.set_defaults(func=cmd_set)
    show = command(actions, "show", "study_cli.h_quiz_show", json_flag=True)
    show.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    show.add_argument("--key", action="store_true", help=i18n.t("study_cli.h_key"))
    show.set_defaults(func=cmd_show)
    answer = command(actions, "answer", "study_cli.h_quiz_answer", json_flag=False)
    answer.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    answer.add_argument("member", help=i18n.t("study_cli.h_member"))
    answer.add_argument("answers", help=i18n.t("study_cli.h_answers"))
    answer.add_argument("--date", help=i18n.t("study_cli.h_taken"))
    answer.set_defaults(func=cmd_answer)
    grid = command(actions, "grid", "study_cli.h_quiz_grid", json_flag=False)
    grid.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    grid.add_argument("file", nargs="?", default="-", help=i18n.t("study_cli.h_grid_file"))
    grid.add_argument("--date", help=i18n.t("study_cli.h_taken"))
    grid.set_defaults(func=cmd_grid)
    results = command(actions, "results", "study_cli.h_quiz_results", json_flag=True)
    results.add_argument("plan", help=i18n.t("study_cli.h_plan"))
    results.set_defaults(func=cmd_results)
