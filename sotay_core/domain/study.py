"""Political study (học tập nghị quyết), its quiz and its survey, for members without phones
(issue 21). Pure rules: the quiz and survey as data and their JSON form, a quiz's text form
as the province types it, scoring an answer sheet, and checking a survey's tallies.

A study plan comes down from the commune or province (or is the branch's own): what to
study, who, by when, and optionally a quiz and a survey. Who studied, the answers and the
tallies are kept at the branch; only counts go up (``study_figures``).

Answers are letters ``A``–``F`` (one per question, ``-`` when left blank). The letter keys
and digits ``1``–``6`` both choose an answer; a Vietnamese input method on (Telex "aa" ->
"â") is folded back to the letter by ``answer_key``.
"""

from __future__ import annotations

import enum
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study_text import clean_text, typed_lines

LETTERS = "ABCDEF"
MIN_CHOICES = 2
MAX_CHOICES = 6
MAX_QUESTIONS = 100
MAX_QUESTION_TEXT = 2_000
MAX_CHOICE_TEXT = 500
BLANK = "-"


class PlanKind(enum.StrEnum):
    STUDY = "study"        # học tập, quán triệt nghị quyết
    CONTEST = "contest"    # hội thi (e.g. "bí thư chi bộ giỏi"): the secretaries take it


class Audience(enum.StrEnum):
    ALL = "all"              # every member on the roster (exempted ones too)
    STATUSES = "statuses"    # members whose status is one of the plan's statuses
    SECRETARY = "secretary"  # the branch secretary in office (a contest)


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    choices: tuple[str, ...]
    correct: int              # index into choices
    explanation: str = ""

    @property
    def correct_letter(self) -> str:
        return LETTERS[self.correct]


@dataclass(frozen=True, slots=True)
class Quiz:
    questions: tuple[Question, ...]
    pass_percent: int = 50    # UNCONFIRMED: no national pass mark found; the plan says

    def __len__(self) -> int:
        return len(self.questions)


@dataclass(frozen=True, slots=True)
class SurveyQuestion:
    text: str
    choices: tuple[str, ...] = ()   # none: a free-text question
    multiple: bool = False          # several choices may be ticked

    @property
    def free_text(self) -> bool:
        return not self.choices


@dataclass(frozen=True, slots=True)
class Survey:
    questions: tuple[SurveyQuestion, ...]
    anonymous: bool = True


def _bad(code: str, **params: Any) -> ValidationError:
    return ValidationError(f"study.{code}", **params)


def _clean(text: object, most: int, what: str, number: int) -> str:
    if not isinstance(text, str):
        raise _bad("bad_json", what=what)
    value = clean_text(text, number)
    if len(value) > most:
        raise _bad("text_too_long", number=number, most=most)
    return value


def check_question(q: Question, number: int) -> None:
    """A question of a quiz: text, 2–6 non-empty choices, a correct answer among them."""
    if not q.text.strip():
        raise _bad("question_empty", number=number)
    if not MIN_CHOICES <= len(q.choices) <= MAX_CHOICES:
        raise _bad("choices_count", number=number, least=MIN_CHOICES, most=MAX_CHOICES)
    if any(not c.strip() for c in q.choices):
        raise _bad("choice_empty", number=number)
    if not 0 <= q.correct < len(q.choices):
        raise _bad("no_correct", number=number)


def check_quiz(quiz: Quiz) -> None:
    if not quiz.questions:
        raise _bad("quiz_empty")
    if len(quiz.questions) > MAX_QUESTIONS:
        raise _bad("too_many_questions", most=MAX_QUESTIONS)
    if not 0 <= quiz.pass_percent <= 100:
        raise _bad("pass_percent")
    for n, q in enumerate(quiz.questions, 1):
        check_question(q, n)


def check_survey(survey: Survey) -> None:
    if not survey.questions:
        raise _bad("survey_empty")
    if len(survey.questions) > MAX_QUESTIONS:
        raise _bad("too_many_questions", most=MAX_QUESTIONS)
    for n, q in enumerate(survey.questions, 1):
        if not q.text.strip():
            raise _bad("question_empty", number=n)
        if q.choices and not MIN_CHOICES <= len(q.choices) <= MAX_CHOICES:
            raise _bad("choices_count", number=n, least=MIN_CHOICES, most=MAX_CHOICES)
        if any(not c.strip() for c in q.choices):
            raise _bad("choice_empty", number=n)


# --- JSON form (the plan's ``quiz`` and ``survey`` fields) --------------------------------


def quiz_to_json(quiz: Quiz) -> str:
    return json.dumps({"pass_percent": quiz.pass_percent, "questions": [
        {"text": q.text, "choices": list(q.choices), "correct": q.correct,
         "explanation": q.explanation} for q in quiz.questions]},
        ensure_ascii=False, sort_keys=True)


def _load(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise _bad("bad_json", what=what) from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise _bad("bad_json", what=what)
    return data


def _choices(raw: object, number: int) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_CHOICES:
        raise _bad("choices_count", number=number, least=MIN_CHOICES, most=MAX_CHOICES)
    return tuple(_clean(c, MAX_CHOICE_TEXT, "choice", number) for c in raw)


def quiz_from_json(text: str) -> Quiz:
    """The quiz a plan carries, checked (ValidationError with the question's number)."""
    data = _load(text, "quiz")
    raw = data["questions"]
    if len(raw) > MAX_QUESTIONS:
        raise _bad("too_many_questions", most=MAX_QUESTIONS)
    questions = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise _bad("bad_json", what="quiz")
        correct = item.get("correct")
        if not isinstance(correct, int) or isinstance(correct, bool):
            raise _bad("no_correct", number=n)
        questions.append(Question(
            _clean(item.get("text", ""), MAX_QUESTION_TEXT, "question", n),
            _choices(item.get("choices"), n), correct,
            _clean(item.get("explanation", ""), MAX_QUESTION_TEXT, "explanation", n)))
    mark = data.get("pass_percent", 50)
    if not isinstance(mark, int) or isinstance(mark, bool):
        raise _bad("pass_percent")
    quiz = Quiz(tuple(questions), mark)
    check_quiz(quiz)
    return quiz


def survey_to_json(survey: Survey) -> str:
    return json.dumps({"anonymous": survey.anonymous, "questions": [
        {"text": q.text, "choices": list(q.choices), "multiple": q.multiple}
        for q in survey.questions]}, ensure_ascii=False, sort_keys=True)


def survey_from_json(text: str) -> Survey:
    data = _load(text, "survey")
    raw = data["questions"]
    if len(raw) > MAX_QUESTIONS:
        raise _bad("too_many_questions", most=MAX_QUESTIONS)
    questions = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise _bad("bad_json", what="survey")
        questions.append(SurveyQuestion(
            _clean(item.get("text", ""), MAX_QUESTION_TEXT, "question", n),
            _choices(item.get("choices", []), n), bool(item.get("multiple", False))))
    survey = Survey(tuple(questions), bool(data.get("anonymous", True)))
    check_survey(survey)
    return survey


# --- the text form a person types (province form, branch import) -------------------------

_NUMBERED = re.compile(r"^(?:câu|cau|question)?\s*(\d{1,3})\s*[.):]\s*(.+)$", re.I)
_CHOICE = re.compile(r"^(\*?)\s*([A-Fa-f])\s*[.)]\s*(.*?)\s*(\*?)$")
_EXPLAIN = re.compile(r"^(?:giải thích|giai thich|explanation|gt)\s*:\s*(.*)$", re.I)
_ANSWER = re.compile(r"^(?:đáp án|dap an|answer)\s*:\s*([A-Fa-f])\s*$", re.I)
_SEVENTH = re.compile(r"^\*?\s*[Gg]\s*[.)]")


def parse_quiz_text(text: str, pass_percent: int = 50) -> Quiz:
    """A quiz typed as numbered questions with lettered choices; the correct choice is
    marked with ``*`` before or after it, or named on a line "Đáp án: B"; an optional line
    "Giải thích: …" follows. Refused with the question's number when one has no answer.

        1. Nghị quyết Đại hội XIV được thông qua năm nào?
        A. 2024
        *B. 2026
        Giải thích: Đại hội XIV họp tháng 1/2026.
    """
    blocks: list[dict[str, Any]] = []
    for raw in typed_lines(text):
        line = raw.strip()
        if not line:
            continue
        if (m := _CHOICE.match(line)) and blocks and not _NUMBERED.match(line):
            cur = blocks[-1]
            if LETTERS.index(m.group(2).upper()) != len(cur["choices"]):
                raise _bad("choice_order", number=len(blocks), letter=m.group(2).upper())
            if m.group(1) or m.group(4):
                cur["correct"].append(len(cur["choices"]))
            cur["choices"].append(m.group(3))
        elif (m := _ANSWER.match(line)) and blocks:
            blocks[-1]["correct"].append(LETTERS.index(m.group(1).upper()))
        elif (m := _EXPLAIN.match(line)) and blocks:
            blocks[-1]["explanation"] = m.group(1)
        elif m := _NUMBERED.match(line):
            blocks.append({"text": m.group(2), "choices": [], "correct": [],
                           "explanation": ""})
        elif blocks and not blocks[-1]["choices"]:
            blocks[-1]["text"] += " " + line          # a question over several lines
        elif blocks and len(blocks[-1]["choices"]) == MAX_CHOICES and _SEVENTH.match(line):
            raise _bad("choices_count", number=len(blocks), least=MIN_CHOICES,
                       most=MAX_CHOICES)
        else:
            raise _bad("unreadable_line", line=line[:60])
    questions = []
    for n, b in enumerate(blocks, 1):
        if len(set(b["correct"])) != 1:
            raise _bad("no_correct" if not b["correct"] else "two_correct", number=n)
        questions.append(Question(_clean(b["text"], MAX_QUESTION_TEXT, "question", n),
                                  tuple(_clean(c, MAX_CHOICE_TEXT, "choice", n)
                                        for c in b["choices"]),
                                  b["correct"][0],
                                  _clean(b["explanation"], MAX_QUESTION_TEXT, "explanation", n)))
    quiz = Quiz(tuple(questions), pass_percent)
    check_quiz(quiz)
    return quiz


# --- answers and scores --------------------------------------------------------------------


def answer_key(key: str) -> str | None:
    """The answer a key press stands for: ``A``–``F`` (any case, a Telex/VNI-marked vowel
    folded back: "â" -> "A"), ``1``–``6``, or ``-``/space/``0`` for a blank; else None."""
    if not key:
        return None
    base = unicodedata.normalize("NFD", key)[0].upper()
    if base in LETTERS:
        return base
    if base in "123456":
        return LETTERS[int(base) - 1]
    if base in "- 0":
        return BLANK
    return None


_SEPARATORS = re.compile(r"[,;\t]")


def parse_answers(quiz: Quiz, text: str) -> str:
    """A member's sheet as letters, one per question (``-`` blank). Refused: a letter outside
    a question's choices, more answers than questions, or a letter an input method marked
    (``answer_key`` folds those for one key press; in a typed run they hide how many keys
    were pressed). Answers may be separated by commas, semicolons or tabs, as a spreadsheet's
    cells are: an empty cell between two is a question left blank (skipping it would give
    every later answer to the question before)."""
    letters = []
    cells = _SEPARATORS.split(text.strip(" \r\n"))
    while len(cells) > 1 and not cells[-1].strip():
        cells.pop()       # a line's trailing separators
    run = "".join(c if c.strip() else BLANK for c in cells)
    for ch in run:
        if ch == " ":
            continue
        if ch.isalpha() and not ch.isascii():
            # A Vietnamese input method joined keys ("aa" -> "â" in Telex, "a6" in VNI):
            # folding it to one letter would shift every later answer by one.
            raise _bad("answer_ime", letter=ch)
        key = answer_key(ch)
        if key is None:
            raise _bad("answer_unreadable", letter=ch)
        letters.append(key)
    if len(letters) > len(quiz.questions):
        raise _bad("too_many_answers", given=len(letters), most=len(quiz.questions))
    for n, (letter, q) in enumerate(zip(letters, quiz.questions, strict=False), 1):
        if letter != BLANK and LETTERS.index(letter) >= len(q.choices):
            raise _bad("answer_outside", number=n, letter=letter,
                       last=LETTERS[len(q.choices) - 1])
    letters += [BLANK] * (len(quiz.questions) - len(letters))
    return "".join(letters)


@dataclass(frozen=True, slots=True)
class Score:
    correct: int
    total: int
    pass_percent: int
    answered: int

    @property
    def percent(self) -> int:
        """Rounded half up, on integers (no float)."""
        return (self.correct * 200 + self.total) // (2 * self.total) if self.total else 0

    @property
    def passed(self) -> bool:
        return self.correct * 100 >= self.pass_percent * self.total


def score(quiz: Quiz, answers: str) -> Score:
    """Score a sheet already checked by ``parse_answers``."""
    right = sum(1 for a, q in zip(answers, quiz.questions, strict=False)
                if a == q.correct_letter)
    answered = sum(1 for a in answers if a != BLANK)
    return Score(right, len(quiz.questions), quiz.pass_percent, answered)


def per_question_correct(quiz: Quiz, sheets: Sequence[str]) -> tuple[int, ...]:
    """How many sheets got each question right."""
    return tuple(sum(1 for s in sheets if len(s) > i and s[i] == q.correct_letter)
                 for i, q in enumerate(quiz.questions))


def histogram(quiz: Quiz, sheets: Sequence[str]) -> tuple[int, ...]:
    """Sheets by number of right answers: index k counts the sheets with k right."""
    out = [0] * (len(quiz.questions) + 1)
    for s in sheets:
        out[score(quiz, s).correct] += 1
    return tuple(out)


# --- survey tallies --------------------------------------------------------------------------


def check_tallies(survey: Survey, present: int, tallies: Sequence[Sequence[int]],
                  answered_text: Sequence[int] = (), *, roster: int | None = None) -> None:
    """Counts entered from paper answers at a meeting of ``present`` members: one list per
    question (one count per choice; a free-text question has none and its number of written
    answers in ``answered_text``). No count is negative or above ``present``; a
    single-choice question's counts add up to at most ``present``; ``present`` is no more
    than the ``roster``'s members (a typed 300 for 30 would go up in the totals)."""
    if present < 0:
        raise _bad("present_negative")
    if roster is not None and present > roster:
        raise _bad("present_over_roster", present=present, roster=roster)
    if len(tallies) != len(survey.questions):
        raise _bad("tally_shape")
    for n, (q, counts) in enumerate(zip(survey.questions, tallies, strict=True), 1):
        if len(counts) != len(q.choices):   # say which question, and what it wants
            raise _bad("tally_count", number=n, choices=len(q.choices), given=len(counts))
        for letter, c in zip(LETTERS, counts, strict=False):
            if c < 0:
                raise _bad("tally_negative", number=n, letter=letter)
            if c > present:
                raise _bad("tally_over_present", number=n, letter=letter, count=c,
                           present=present)
        if not q.multiple and sum(counts) > present:
            raise _bad("tally_sum_over_present", number=n, total=sum(counts),
                       present=present)
    for n, c in enumerate(answered_text, 1):
        if c < 0:
            raise _bad("tally_negative", number=n, letter="")
        if c > present:
            raise _bad("tally_over_present", number=n, letter="", count=c, present=present)
