"""What a branch sends up about a study plan: counts only (issue 21).

A ``study_reports`` row per plan carries ``figures``: the JSON form of ``StudyFigures``. Who
studied and each member's answers stay at the branch; the province sees how many. Only
when the plan asks for named results (a contest of secretaries, ``named_results``;
UNCONFIRMED whether a rule allows it for members) does ``named`` carry names and scores.

The desktop builds the figures (``sotay_desktop.services.study_report``); the server checks
them with ``check`` on push (``sync_server.rule_checks``) and reads them into its statistics.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sotay_core.domain.study import Audience, PlanKind, Quiz, Score, Survey

MAX_NAMED = 50
MAX_TEXT_SUMMARY = 5_000


@dataclass(frozen=True, slots=True)
class NamedResult:
    name: str
    correct: int
    total: int


@dataclass(frozen=True, slots=True)
class StudyFigures:
    targeted: int = 0                 # members the plan is for, on the roster
    studied: int = 0                  # of them, present at a session of the plan
    sessions: int = 0                 # sessions held (make-up and home visits included)
    makeup_sessions: int = 0
    quiz_sat: int = 0                 # answer sheets entered
    quiz_passed: int = 0
    histogram: tuple[int, ...] = ()   # sheets by number of right answers (0..questions)
    question_correct: tuple[int, ...] = ()   # per question, sheets that got it right
    survey_present: int = 0           # members present when the survey's answers were given
    survey_tallies: tuple[tuple[int, ...], ...] = ()   # per question, per choice
    survey_texts: tuple[str, ...] = ()       # per question: a summary of written answers
    named: tuple[NamedResult, ...] = field(default_factory=tuple)

    @property
    def not_studied(self) -> int:
        return max(0, self.targeted - self.studied)


def names_go_up(kind: object, audience: object) -> bool:
    """Named results go up only for a contest the branch secretaries take ("bí thư chi bộ
    giỏi"); of members, whatever the plan's kind, only counts go up (issue 21)."""
    return kind == PlanKind.CONTEST.value and audience == Audience.SECRETARY.value


def to_dict(f: StudyFigures) -> dict[str, Any]:
    return {
        "targeted": f.targeted, "studied": f.studied, "sessions": f.sessions,
        "makeup_sessions": f.makeup_sessions, "quiz_sat": f.quiz_sat,
        "quiz_passed": f.quiz_passed, "histogram": list(f.histogram),
        "question_correct": list(f.question_correct), "survey_present": f.survey_present,
        "survey_tallies": [list(t) for t in f.survey_tallies],
        "survey_texts": list(f.survey_texts),
        "named": [{"name": n.name, "correct": n.correct, "total": n.total} for n in f.named],
    }


def to_json(f: StudyFigures) -> str:
    return json.dumps(to_dict(f), ensure_ascii=False, sort_keys=True)


class FiguresError(ValueError):
    """Figures that cannot be true; ``what`` names the figure."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _count(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1_000_000:
        raise FiguresError(key)
    return value


def _counts(raw: object, key: str) -> tuple[int, ...]:
    if not isinstance(raw, list) or len(raw) > 1000:
        raise FiguresError(key)
    return tuple(_count({key: v}, key) for v in raw)


def _printable(text: str, allowed: str = "") -> bool:
    """No control character (a written answer may keep its line breaks and tabs): one would
    break the province's spreadsheet and papers."""
    return not any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def from_dict(data: Mapping[str, Any]) -> StudyFigures:
    """Figures read back; FiguresError on a wrong type (never a crash)."""
    if not isinstance(data, Mapping):
        raise FiguresError("figures")
    tallies = data.get("survey_tallies", [])
    texts = data.get("survey_texts", [])
    named = data.get("named", [])
    if not isinstance(tallies, list) or not isinstance(texts, list) or not isinstance(
            named, list) or len(named) > MAX_NAMED or len(texts) > 1000:
        raise FiguresError("figures")
    if not all(isinstance(t, str) and len(t) <= MAX_TEXT_SUMMARY and _printable(t, "\n\t")
               for t in texts):
        raise FiguresError("survey_texts")
    people = []
    for n in named:
        if not isinstance(n, dict) or not isinstance(n.get("name"), str) or len(
                n["name"]) > 200 or not _printable(n["name"]):
            raise FiguresError("named")
        people.append(NamedResult(n["name"], _count(n, "correct"), _count(n, "total")))
    return StudyFigures(
        _count(data, "targeted"), _count(data, "studied"), _count(data, "sessions"),
        _count(data, "makeup_sessions"), _count(data, "quiz_sat"), _count(data, "quiz_passed"),
        _counts(data.get("histogram", []), "histogram"),
        _counts(data.get("question_correct", []), "question_correct"),
        _count(data, "survey_present"),
        tuple(_counts(t, "survey_tallies") for t in tallies), tuple(texts), tuple(people))


def from_json(text: str) -> StudyFigures:
    try:
        data = json.loads(text) if text.strip() else {}
    except (ValueError, RecursionError):
        raise FiguresError("figures") from None
    return from_dict(data)


def _check_sheets(f: StudyFigures, quiz: Quiz) -> None:
    """Sheets entered: their distribution adds up to them, the right answers per question
    add up to the distribution's, and the number passed is the distribution's at the plan's
    pass mark (so no count can be claimed without the figures it is made of)."""
    n = len(quiz.questions)
    if (f.quiz_sat or f.histogram) and (len(f.histogram) != n + 1
                                        or sum(f.histogram) != f.quiz_sat):
        raise FiguresError("histogram")
    if (f.quiz_sat or f.question_correct) and (len(f.question_correct) != n or any(
            c > f.quiz_sat for c in f.question_correct) or sum(f.question_correct) != sum(
            k * count for k, count in enumerate(f.histogram))):
        raise FiguresError("question_correct")
    passing = sum(count for k, count in enumerate(f.histogram)
                  if Score(k, n, quiz.pass_percent, k).passed)
    if f.quiz_passed != passing:
        raise FiguresError("quiz_passed")


def check(f: StudyFigures, quiz: Quiz | None, survey: Survey | None, *,
          named_allowed: bool = False) -> None:
    """Figures that could be true of the plan: studied within targeted, sheets that add up,
    tallies within the members present (a single-choice question's sum too), names only
    when the plan asks for them. FiguresError names the first figure that cannot be."""
    if f.studied > f.targeted:
        raise FiguresError("studied")
    if f.makeup_sessions > f.sessions:
        raise FiguresError("makeup_sessions")
    if f.quiz_passed > f.quiz_sat:
        raise FiguresError("quiz_passed")
    if quiz is None:
        if f.quiz_sat or f.histogram or f.question_correct:
            raise FiguresError("quiz_sat")
    else:
        _check_sheets(f, quiz)
    if survey is None:
        if f.survey_tallies or f.survey_present:
            raise FiguresError("survey_tallies")
    elif f.survey_tallies:
        if len(f.survey_tallies) != len(survey.questions):
            raise FiguresError("survey_tallies")
        for q, counts in zip(survey.questions, f.survey_tallies, strict=True):
            if len(counts) != len(q.choices) or any(c > f.survey_present for c in counts):
                raise FiguresError("survey_tallies")
            if not q.multiple and sum(counts) > f.survey_present:
                raise FiguresError("survey_tallies")
    if f.named and not named_allowed:
        raise FiguresError("named")
