"""What ``sotay study`` and ``sotay quiz`` share: finding a plan or a member as typed, reading
a file or standard input, and a plan's view as JSON (counts, who studied, scores)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from sotay_core import i18n
from sotay_core.domain.dates import format_vn
from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.study import Score
from sotay_core.domain.study_plan import CODE_LENGTH
from sotay_core.domain.study_view import MemberLine, PlanView
from sotay_core.domain.text import fold
from sotay_desktop.cli.common import CliError, to_json
from sotay_desktop.documents.legacy import decode_text
from sotay_desktop.usecases import dues, study
from sotay_desktop.usecases.workspace import Workspace


def short(record_id: str) -> str:
    """How the lists print an id: its last 8 characters (the first ones of a time-ordered
    id are the same for every record made in the same minute)."""
    return record_id[-8:]


def id_fits(record_id: str, wanted: str) -> bool:
    """The id itself, or 6 characters or more of its end (as printed) or its start."""
    return record_id == wanted or (len(wanted) >= 6 and (
        record_id.endswith(wanted) or record_id.startswith(wanted)))


def bare_id(words: str) -> str:
    """An id as typed or copied from a list: "[c89dffbd]" is "c89dffbd"."""
    return words.strip().removeprefix("[").removesuffix("]").strip()


def find_plan(ws: Workspace, words: str) -> str:
    """A live plan by its id, 6 characters or more of the end of it (as the lists print it,
    brackets or not) or of its start, or its exact title (case and accents as typed or not);
    two plans that fit are refused."""
    wanted = words.strip()
    found = study.plans(ws)
    for fits in (lambda p: id_fits(p.id, bare_id(wanted)),
                 lambda p: p.title.strip() == wanted,
                 lambda p: fold(p.title.strip()) == fold(wanted)):
        chosen = [p for p in found if fits(p)]
        if len(chosen) == 1:
            return chosen[0].id
        if len(chosen) > 1:
            raise ValidationError("study_cli.plan_ambiguous", value=wanted, count=len(chosen))
    raise NotFoundError("study_cli.no_plan", value=wanted)


def looks_like_code(words: str) -> bool:
    digits = "".join(ch for ch in words if ch not in " -\t")
    return len(digits) == CODE_LENGTH and digits.isascii() and digits.isdigit()


def find_member(ws: Workspace, words: str) -> str:
    """A member by the 14-digit code of their study card, or as ``sotay dues`` finds one
    (id, Party card number or exact full name)."""
    if looks_like_code(words):
        return study.find_member_by_code(ws, words)
    return dues.find_member(ws, words)


def read_text(path: str) -> str:
    """A file (UTF-8, UTF-16 with its mark as Word and Notepad save "Unicode" text, or a
    legacy encoding: cp1258, TCVN3, VNI), or standard input for "-"."""
    if path == "-":
        return sys.stdin.read()
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CliError(i18n.t("study_cli.file_error", path=path,
                              detail=exc.strerror or exc)) from exc
    return decode_text(raw)


def day(value: dt.date | None) -> str:
    return format_vn(value) if value else "—"


def score_words(got: Score | None) -> str:
    if got is None:
        return i18n.t("study_cli.no_sheet")
    return i18n.t("study_cli.score", correct=got.correct, total=got.total,
                  percent=got.percent,
                  verdict=i18n.t("study_cli.passed" if got.passed else "study_cli.not_passed"))


def _score_json(got: Score | None) -> dict[str, Any] | None:
    if got is None:
        return None
    return {"correct": got.correct, "total": got.total, "answered": got.answered,
            "percent": got.percent, "passed": got.passed, "pass_percent": got.pass_percent}


def member_json(line: MemberLine) -> dict[str, Any]:
    return {"id": line.member_id, "full_name": line.name, "code": line.code,
            "status": line.status.value, "targeted": line.targeted, "studied": line.studied,
            "sessions": [d.isoformat() for d in line.sessions], "answers": line.answers,
            "score": _score_json(line.score), "points": line.points}


def plan_json(view: PlanView) -> dict[str, Any]:
    """The view as JSON: the plan, its sessions, every member line, the make-up list, the
    figures that go up."""
    info = view.plan
    return {
        "id": info.id, "title": info.title, "kind": info.kind.value,
        "from_above": info.from_above, "read_only": info.read_only, "number": info.number,
        "issuer": info.issuer, "issued_on": to_json(info.issued_on),
        "starts_on": to_json(info.starts_on), "due_on": to_json(info.due_on),
        "documents": to_json(info.documents), "target": to_json(info.target),
        "quiz_questions": len(info.quiz) if info.quiz else 0,
        "has_survey": info.survey is not None, "survey_questions": to_json(
            info.survey.questions) if info.survey else [],
        "points": info.points, "note": info.note,
        "overdue": view.overdue, "report_sent": view.report_sent,
        "targeted": len(view.progress.targeted), "studied": len(view.progress.studied),
        "makeup": [m.member_id for m in view.makeup],
        "sessions": [{"id": s.id, "held_on": s.held_on.isoformat(), "kind": s.kind,
                      "place": s.place, "present": list(s.present),
                      "documents": list(s.documents), "note": s.note}
                     for s in view.sessions],
        "members": [member_json(m) for m in view.members],
        "figures": to_json(view.figures),
        "survey": to_json(view.survey),
    }
