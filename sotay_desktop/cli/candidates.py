"""``sotay candidates …``: the admission pipeline (issue 20). Add a candidate, list them with
their step and next deadline, show one, record a step (each checked by the rules), choose
the sponsors, the dossier's checklist, the papers (6-KNĐ, 13-KNĐ, checklist), take the last
step back, stop or resume, and the admission figures. CANDIDATE is an id or an exact name;
MEMBER (a sponsor) an id, card number or exact name. The same use cases as the screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_core.domain.admission import STEPS, CandidateStatus, Step
from sotay_desktop.cli.common import CliError, command, group, print_json, to_json, workspace
from sotay_desktop.services.candidates_view import (
    AUTOMATIC,
    CandidateSummary,
    CandidateView,
    deadline_text,
)
from sotay_desktop.usecases import candidates as cases

RECORDABLE = tuple(s.value for s in STEPS if s not in AUTOMATIC)
PAPERS = ("proposal", "official", "checklist")


def _day(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _step(step: Step | None) -> str:
    return i18n.t(f"admission_app.step_{step.value}") if step else "—"


def _status(status: CandidateStatus) -> str:
    return i18n.t(f"admission_app.status_{status.value}")


def _summary_line(row: CandidateSummary) -> str:
    last = f"{_step(row.last_step)} ({_day(row.last_on)})" if row.last_step else "—"
    nxt = _step(row.next_step) if row.next_step else "—"
    deadline = deadline_text(row.next_deadline) if row.next_deadline else ""
    return (f"{row.full_name:<26} {_status(row.status):<22} "
            + i18n.t("cli.candidates_line", last=last, next=nxt)
            + (f"  {deadline}" if deadline else "") + f"  {row.id}")


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        rows = cases.candidates(ws)
    if args.json:
        print_json(rows, out)
        return 0
    for row in rows:
        out.write(_summary_line(row) + "\n")
    out.write(i18n.t("cli.candidates_count", count=len(rows)) + "\n")
    return 0


def cmd_add(args: argparse.Namespace, out: TextIO) -> int:
    data = {"full_name": args.name, "date_of_birth": args.born, "gender": args.gender,
            "residence": args.residence, "occupation": args.occupation, "phone": args.phone,
            "note": args.note, "over_limit_approved": args.over_age_approved}
    with workspace(args) as ws:
        candidate_id, _ = cases.add_candidate(ws, {k: v for k, v in data.items()
                                                   if v not in (None, "")})
    if args.json:
        print_json({"id": candidate_id}, out)
    else:
        out.write(i18n.t("cli.candidates_added", name=args.name, id=candidate_id) + "\n")
    return 0


def _view_json(record: CandidateView) -> dict[str, Any]:
    data: dict[str, Any] = to_json(record)
    data["deadlines"] = [{**to_json(d), "overdue": d.overdue, "words": deadline_text(d)}
                         for d in record.deadlines]
    data["checklist"] = [{"form": item.form.code, "paper": item.form.key,
                          "step": item.form.step.value, "done": item.is_done,
                          "done_on": item.done.done_on.isoformat() if item.done else None,
                          "number": item.done.number if item.done else ""}
                         for item in record.checklist]
    return data


def _checklist_lines(record: CandidateView, out: TextIO) -> None:
    for item in record.checklist:
        mark = "✓" if item.is_done else "✗"
        done = (i18n.t("cli.candidates_done_on", day=_day(item.done.done_on))
                if item.done else i18n.t("admission_app.missing"))
        code = item.form.code or "–"
        out.write(f"  {mark} {code:<7} {i18n.t(f'admission_app.form_{item.form.key}')}: "
                  f"{done}\n")


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        record = cases.candidate(ws, cases.find_candidate(ws, args.candidate))
    if args.json:
        print_json(_view_json(record), out)
        return 0
    s = record.summary
    out.write(f"{s.full_name} ({_day(s.date_of_birth)}) — {_status(s.status)}\n")
    for sponsor in record.sponsors:
        out.write(i18n.t("cli.candidates_sponsor", name=sponsor.name,
                         since=_day(sponsor.since)) + "\n")
    for taken in (s for s in record.steps if s.step not in AUTOMATIC):
        votes = (i18n.t("cli.candidates_votes", yes=taken.votes_for, base=taken.voting_base)
                 if taken.votes_for is not None else "")
        out.write(f"  {_day(taken.done_on)}  {_step(taken.step):<36} {taken.number:<16} "
                  f"{taken.issuer} {votes}".rstrip() + "\n")
    if s.next_step:
        out.write(i18n.t("cli.candidates_next", step=_step(s.next_step)) + "\n")
    for deadline in record.deadlines:
        out.write(f"  {deadline_text(deadline)}\n")
    if not record.holidays_set:
        out.write(i18n.t("admission_app.no_holidays") + "\n")
    _checklist_lines(record, out)
    return 0


def cmd_checklist(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        record = cases.candidate(ws, cases.find_candidate(ws, args.candidate))
    if args.json:
        print_json(_view_json(record)["checklist"], out)
        return 0
    out.write(record.full_name + "\n")
    _checklist_lines(record, out)
    return 0


def _sponsors(ws: Any, args: argparse.Namespace) -> list[tuple[str, str | None]]:
    names, since = args.sponsor or [], args.since or []
    if since and len(since) != len(names):
        raise CliError(i18n.t("cli.candidates_since_pairs"))
    return [(cases.find_member(ws, name), since[i] if since else None)
            for i, name in enumerate(names)]


def cmd_step(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        candidate_id = cases.find_candidate(ws, args.candidate)
        sponsors = _sponsors(ws, args) if args.sponsor else None
        cases.record_step(ws, candidate_id, args.step, date=args.date, number=args.number,
                          issuer=args.issuer, detail=args.detail, votes_for=args.votes_for,
                          votes_against=args.votes_against, sponsors=sponsors)
        record = cases.candidate(ws, candidate_id)
    out.write(i18n.t("cli.candidates_recorded", name=record.full_name,
                     step=_step(Step(args.step))) + "\n")
    if record.summary.member_id and args.step == Step.CEREMONY.value:
        out.write(i18n.t("admission_app.now_member", name=record.full_name) + "\n")
    if record.summary.next_deadline:
        out.write(deadline_text(record.summary.next_deadline) + "\n")
    return 0


def cmd_sponsors(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        candidate_id = cases.find_candidate(ws, args.candidate)
        cases.set_sponsors(ws, candidate_id, _sponsors(ws, args), on=args.date)
        record = cases.candidate(ws, candidate_id)
    out.write(i18n.t("cli.candidates_sponsors_set", name=record.full_name,
                     sponsors=", ".join(s.name for s in record.sponsors)) + "\n")
    return 0


def cmd_undo(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        candidate_id = cases.find_candidate(ws, args.candidate)
        step, _ = cases.undo_last_step(ws, candidate_id, expected=args.step)
    out.write(i18n.t("cli.candidates_undone", step=_step(step)) + "\n")
    return 0


def cmd_stop(args: argparse.Namespace, out: TextIO) -> int:
    with workspace(args) as ws:
        candidate_id = cases.find_candidate(ws, args.candidate)
        if args.resume:
            cases.resume(ws, candidate_id)
        else:
            cases.stop(ws, candidate_id, args.reason)
    out.write(i18n.t("cli.candidates_resumed" if args.resume else "cli.candidates_stopped")
              + "\n")
    return 0


def cmd_paper(args: argparse.Namespace, out: TextIO) -> int:
    target = Path(args.output)
    if target.suffix.lower() not in (".pdf", ".docx"):
        raise CliError(i18n.t("cli.dues_bad_suffix", path=args.output, allowed=".pdf, .docx"))
    with workspace(args) as ws:
        saved = cases.save_paper(ws, cases.find_candidate(ws, args.candidate), args.what,
                                 target)
    out.write(i18n.t("ui.exported", path=str(saved)) + "\n")
    return 0


def _setting(pair: str) -> tuple[str, Any]:
    name, sep, value = pair.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise CliError(i18n.t("cli.candidates_bad_pair", pair=pair))
    if name == "public_holidays":
        return name, [v.strip() for v in value.split(",") if v.strip()]
    if value.lower() in ("true", "false"):
        return name, value.lower() == "true"
    if value.lower() in ("none", ""):
        return name, None
    if value.lstrip("-").isdigit():
        return name, int(value)
    raise CliError(i18n.t("cli.candidates_bad_pair", pair=pair))


def cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    from sotay_desktop.services.admission_settings import UNCONFIRMED, rules_to_dict

    with workspace(args) as ws:
        if args.reset:
            cases.set_rules(ws, None)
        elif args.set:
            cases.set_rules(ws, dict(_setting(p) for p in args.set))
        rules, recorded = cases.rules(ws)
    values = rules_to_dict(rules)
    if args.json:
        print_json({"recorded": recorded, "values": values,
                    "unconfirmed": sorted(UNCONFIRMED)}, out)
        return 0
    for name, value in values.items():
        mark = f"  {i18n.t('admission_app.unconfirmed')}" if name in UNCONFIRMED else ""
        shown = ", ".join(value) if isinstance(value, list) else value
        out.write(f"{name:<30} {shown}{mark}\n")
    if not recorded:
        out.write(i18n.t("cli.candidates_rules_default") + "\n")
    return 0


def register(sub: Any) -> None:
    actions = group(sub, "candidates", "cli.candidates")
    listing = command(actions, "list", "cli.candidates_list", json_flag=True)
    listing.set_defaults(func=cmd_list)
    add = command(actions, "add", "cli.candidates_add", json_flag=True)
    add.add_argument("--name", required=True, help=i18n.t("cli.candidates_name"))
    add.add_argument("--born", help=i18n.t("cli.candidates_born"))
    add.add_argument("--gender", help=i18n.t("cli.candidates_gender"))
    add.add_argument("--residence", help=i18n.t("cli.candidates_residence"))
    add.add_argument("--occupation", help=i18n.t("cli.candidates_occupation"))
    add.add_argument("--phone", help=i18n.t("cli.candidates_phone"))
    add.add_argument("--note", help=i18n.t("cli.candidates_note"))
    add.add_argument("--over-age-approved", action="store_true",
                     help=i18n.t("cli.candidates_over_age"))
    add.set_defaults(func=cmd_add)
    for name, key, func in (("show", "cli.candidates_show", cmd_show),
                            ("checklist", "cli.candidates_checklist", cmd_checklist)):
        shown = command(actions, name, key, json_flag=True)
        shown.add_argument("candidate", help=i18n.t("cli.candidates_candidate"))
        shown.set_defaults(func=func)
    step = command(actions, "step", "cli.candidates_step", json_flag=False)
    step.add_argument("candidate", help=i18n.t("cli.candidates_candidate"))
    step.add_argument("step", choices=RECORDABLE, help=i18n.t("cli.candidates_step_name"))
    step.add_argument("--date", required=True, help=i18n.t("cli.candidates_date"))
    step.add_argument("--number", default="", help=i18n.t("cli.candidates_number"))
    step.add_argument("--issuer", default="", help=i18n.t("cli.candidates_issuer"))
    step.add_argument("--detail", default="", help=i18n.t("cli.candidates_detail"))
    step.add_argument("--votes-for", type=int, help=i18n.t("cli.candidates_votes_for"))
    step.add_argument("--votes-against", type=int, help=i18n.t("cli.candidates_votes_against"))
    _sponsor_options(step)
    step.set_defaults(func=cmd_step)
    sponsors = command(actions, "sponsors", "cli.candidates_sponsors", json_flag=False)
    sponsors.add_argument("candidate", help=i18n.t("cli.candidates_candidate"))
    _sponsor_options(sponsors)
    sponsors.add_argument("--date", help=i18n.t("cli.candidates_sponsor_date"))
    sponsors.set_defaults(func=cmd_sponsors)
    undo = command(actions, "undo", "cli.candidates_undo", json_flag=False)
    undo.add_argument("candidate", help=i18n.t("cli.candidates_candidate"))
    undo.add_argument("--step", required=True, choices=RECORDABLE,
                      help=i18n.t("cli.candidates_undo_step"))
    undo.set_defaults(func=cmd_undo)
    stop = command(actions, "stop", "cli.candidates_stop", json_flag=False)
    stop.add_argument("candidate", help=i18n.t("cli.candidates_candidate"))
    stop.add_argument("--reason", default="", help=i18n.t("cli.candidates_reason"))
    stop.add_argument("--resume", action="store_true", help=i18n.t("cli.candidates_resume"))
    stop.set_defaults(func=cmd_stop)
    paper = command(actions, "paper", "cli.candidates_paper", json_flag=False)
    paper.add_argument("candidate", help=i18n.t("cli.candidates_candidate"))
    paper.add_argument("--what", required=True, choices=PAPERS,
                       help=i18n.t("cli.candidates_what"))
    paper.add_argument("-o", "--output", required=True, help=i18n.t("cli.output"))
    paper.set_defaults(func=cmd_paper)
    rules = command(actions, "rules", "cli.candidates_rules", json_flag=True)
    rules.add_argument("--set", action="append", metavar="NAME=VALUE",
                       help=i18n.t("cli.candidates_rules_set"))
    rules.add_argument("--reset", action="store_true", help=i18n.t("cli.candidates_rules_reset"))
    rules.set_defaults(func=cmd_rules)


def _sponsor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sponsor", action="append", help=i18n.t("cli.candidates_sponsor_opt"))
    parser.add_argument("--since", action="append", help=i18n.t("cli.candidates_since"))
