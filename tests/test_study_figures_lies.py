"""Figures a modified PC could send that each look possible alone but not together (issue
21, attack): a count of sheets without the distribution it is made of, a number passed that
the distribution at the plan's pass mark denies, right answers per question that add up to
more (or fewer) than the sheets' scores. The province would have shown them as a branch's
results; now ``study_figures.check`` names them, as the server's rule check and the PC's
pull do."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from sotay_core.domain import study, study_figures
from sotay_core.domain.study import Question, Quiz
from sotay_core.domain.study_figures import FiguresError, StudyFigures
from tests.test_study_codes import GOOD, QUIZ, SURVEY


@pytest.mark.parametrize(("change", "what"), [
    # 900 sheets claimed with no distribution (the check read the distribution only if sent)
    ({"quiz_sat": 900, "quiz_passed": 900, "histogram": (), "question_correct": ()},
     "histogram"),
    # the distribution adds up, but no right answers per question are given
    ({"question_correct": ()}, "question_correct"),
    # each question's count within the sheets, but 2 + 2 right answers for 14 in the scores
    ({"question_correct": (2, 2)}, "question_correct"),
    # passed: 8 sheets have at least 1 right of 2 (50 %), not 3
    ({"quiz_passed": 3}, "quiz_passed"),
    ({"quiz_passed": 9}, "quiz_passed"),
])
def test_quiz_figures_must_be_made_of_each_other(change: dict[str, object], what: str) -> None:
    bad = dataclasses.replace(GOOD, **change)   # type: ignore[arg-type]
    with pytest.raises(FiguresError) as caught:
        study_figures.check(bad, QUIZ, SURVEY)
    assert caught.value.what == what


def test_the_number_passed_follows_the_plans_pass_mark() -> None:
    strict = Quiz(QUIZ.questions, pass_percent=100)
    # at 100 % only the 6 sheets with both right pass
    study_figures.check(dataclasses.replace(GOOD, quiz_passed=6), strict, SURVEY)
    with pytest.raises(FiguresError):
        study_figures.check(GOOD, strict, SURVEY)
    # no sheet yet: all quiz figures empty
    study_figures.check(StudyFigures(targeted=3), QUIZ, None)


def test_figures_the_branch_builds_always_pass_the_check() -> None:
    """The PC's own arithmetic (``study.histogram``, ``per_question_correct``, ``score``)
    against the new check, over many sheets: never refused."""
    quiz = Quiz((Question("a", ("x", "y"), 0), Question("b", ("x", "y", "z"), 2),
                 Question("c", ("x", "y", "z", "t"), 3)), pass_percent=67)
    sheets = ["".join(s) for s in itertools.product("AB-", "ABC-", "ABCD-")]
    figures = StudyFigures(
        targeted=len(sheets), studied=len(sheets), quiz_sat=len(sheets),
        quiz_passed=sum(1 for s in sheets if study.score(quiz, s).passed),
        histogram=study.histogram(quiz, sheets),
        question_correct=study.per_question_correct(quiz, sheets))
    study_figures.check(figures, quiz, None)
