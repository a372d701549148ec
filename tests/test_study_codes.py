"""Political study's card code (sotay_core/domain/study_plan.py), the counts that go up
(study_figures.py) and the value rules of a plan and its report (study_rules.py).

The code's check digit is tried exhaustively: every single-digit change and every swap of
two neighbouring digits of a set of codes is refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sotay_core.domain import study, study_figures, study_rules
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study import Question, Quiz, Survey, SurveyQuestion
from sotay_core.domain.study_figures import FiguresError, NamedResult, StudyFigures
from sotay_core.domain.study_plan import (
    CODE_LENGTH,
    branch_part,
    check_digit,
    find_member,
    member_code,
    read_code,
)

pytestmark = pytest.mark.server

UNIT = "7d1c6a52-5c1e-4d5e-9a3f-0e3b1c2d4f10"
OTHER_UNIT = "0b9f2b3e-1111-4c1a-8d1e-2f3a4b5c6d7e"
MEMBERS = [f"m-{i:03d}" for i in range(60)]


def code_of(text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        read_code(text)
    return caught.value.code


# --- the card code ------------------------------------------------------------------------


def test_a_member_code_is_14_digits_stable_and_starts_with_the_branch() -> None:
    codes = [member_code(UNIT, m) for m in MEMBERS]
    assert all(len(c) == CODE_LENGTH == 14 and c.isdigit() and c.isascii() for c in codes)
    assert codes == [member_code(UNIT, m) for m in MEMBERS]          # nothing stored
    assert len(set(codes)) == len(codes)
    assert {c[:5] for c in codes} == {branch_part(UNIT)}
    assert member_code(OTHER_UNIT, MEMBERS[0]) != codes[0]
    # a fixed value: a card printed today must still scan after an upgrade
    assert member_code("u1", "m1") == "57274944859622"
    assert read_code(codes[0]).code == codes[0]


def test_every_single_digit_error_and_every_neighbour_swap_is_refused() -> None:
    """Exhaustive over 60 codes: 14 × 9 wrong digits and 13 swaps each."""
    tried = zero_nine = 0
    for m in MEMBERS:
        code = member_code(UNIT, m)
        for i in range(CODE_LENGTH):
            for d in "0123456789":
                if d == code[i]:
                    continue
                wrong = code[:i] + d + code[i + 1:]
                assert code_of(wrong) == "study.code_misread", (code, wrong)
                tried += 1
            if i + 1 < CODE_LENGTH and code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                assert code_of(swapped) == "study.code_misread", (code, swapped)
                tried += 1
                zero_nine += {code[i], code[i + 1]} == {"0", "9"}
    assert tried > 60 * 14 * 9 and zero_nine > 0


@given(st.text("0123456789", min_size=11, max_size=11), st.integers(0, 11),
       st.sampled_from(["09", "90"]))
def test_the_check_digit_refuses_09_and_90_swapped(rest: str, at: int, pair: str) -> None:
    """The one neighbour swap Luhn's digit misses, tried anywhere in the body."""
    body = rest[:at] + pair + rest[at:]
    code = body + check_digit(body)
    assert read_code(code).code == code
    swapped = code[:at] + pair[::-1] + code[at + 2:]
    assert code_of(swapped) == "study.code_misread"


@given(st.text(max_size=40))
def test_reading_any_text_is_a_code_or_a_worded_refusal(text: str) -> None:
    try:
        scan = read_code(text)
    except ValidationError as e:
        assert e.code in ("study.code_unreadable", "study.code_misread")
        assert "{value}" not in e.message("vi") and "{value}" not in e.message("en")
    else:
        assert len(scan.code) == 14 and scan.code.isdigit()


def test_spaces_dashes_and_a_scanner_s_enter_are_allowed() -> None:
    code = member_code(UNIT, MEMBERS[5])
    for typed in (f"{code[:5]} {code[5:9]} {code[9:]}", f"{code[:5]}-{code[5:]}",
                  f"  {code}\r\n", f"{code}\t"):
        assert read_code(typed).code == code
        assert find_member(typed, UNIT, MEMBERS) == MEMBERS[5]


def test_unreadable_codes_are_refused_in_words() -> None:
    code = member_code(UNIT, MEMBERS[0])
    for typed in ("", code[:-1], code + "0", "abc", "１" * 14,        # full-width digits
                  code[:6] + "O" + code[7:]):
        assert code_of(typed) == "study.code_unreadable", typed


def test_another_branch_s_card_and_an_unknown_code_are_refused() -> None:
    theirs = member_code(OTHER_UNIT, MEMBERS[0])
    with pytest.raises(ValidationError) as caught:
        find_member(theirs, UNIT, MEMBERS)
    assert caught.value.code == "study.code_other_branch"
    assert theirs in caught.value.message("vi")
    gone = member_code(UNIT, "someone-removed")
    with pytest.raises(ValidationError) as caught:
        find_member(gone, UNIT, MEMBERS)
    assert caught.value.code == "study.code_unknown"


# --- the figures that go up ---------------------------------------------------------------

QUIZ = Quiz((Question("a", ("x", "y"), 0), Question("b", ("x", "y", "z"), 1)))
SURVEY = Survey((SurveyQuestion("s", ("có", "không")),
                 SurveyQuestion("m", ("1", "2", "3"), multiple=True),
                 SurveyQuestion("t")))
GOOD = StudyFigures(
    targeted=12, studied=10, sessions=3, makeup_sessions=1, quiz_sat=9, quiz_passed=8,
    histogram=(1, 2, 6), question_correct=(8, 6), survey_present=9,
    survey_tallies=((5, 4), (9, 8, 7), ()), survey_texts=("", "", "Làm đường"))


def test_figures_round_trip() -> None:
    assert study_figures.from_json(study_figures.to_json(GOOD)) == GOOD
    named = StudyFigures(targeted=1, studied=1, named=(NamedResult("Nguyễn Văn Á", 2, 2),))
    assert study_figures.from_json(study_figures.to_json(named)) == named
    assert study_figures.from_json("") == StudyFigures()
    assert GOOD.not_studied == 2
    study_figures.check(GOOD, QUIZ, SURVEY)


@pytest.mark.parametrize(("change", "what"), [
    ({"studied": 13}, "studied"),
    ({"makeup_sessions": 4}, "makeup_sessions"),
    ({"quiz_passed": 10}, "quiz_passed"),
    ({"histogram": (1, 2, 5)}, "histogram"),          # sums to 8, 9 sheets
    ({"histogram": (1, 8)}, "histogram"),             # wrong length
    ({"question_correct": (10, 6)}, "question_correct"),
    ({"question_correct": (8,)}, "question_correct"),
    ({"survey_tallies": ((5, 5), (9, 8, 7), ())}, "survey_tallies"),   # single: 10 > 9
    ({"survey_tallies": ((5, 4), (10, 8, 7), ())}, "survey_tallies"),  # one above present
    ({"survey_tallies": ((5, 4), (9, 8), ())}, "survey_tallies"),
    ({"named": (NamedResult("A", 1, 2),)}, "named"),
])
def test_figures_that_cannot_be_true_are_named(change: dict[str, object], what: str) -> None:
    bad = StudyFigures(**{**{f: getattr(GOOD, f) for f in GOOD.__slots__}, **change})
    with pytest.raises(FiguresError) as caught:
        study_figures.check(bad, QUIZ, SURVEY)
    assert caught.value.what == what


def test_multiple_choice_tallies_may_add_above_the_present() -> None:
    study_figures.check(StudyFigures(survey_present=9,
                                     survey_tallies=((5, 4), (9, 9, 9), ())), None, SURVEY)


def test_names_only_for_a_contest_and_no_quiz_figures_without_a_quiz() -> None:
    named = StudyFigures(targeted=1, studied=1, named=(NamedResult("Bí thư", 2, 2),))
    study_figures.check(named, QUIZ, None, named_allowed=True)
    with pytest.raises(FiguresError):
        study_figures.check(named, QUIZ, None)
    with pytest.raises(FiguresError) as caught:
        study_figures.check(StudyFigures(quiz_sat=1), None, None)
    assert caught.value.what == "quiz_sat"
    with pytest.raises(FiguresError) as caught:
        study_figures.check(StudyFigures(survey_present=3), QUIZ, None)
    assert caught.value.what == "survey_tallies"


@pytest.mark.parametrize("text", [
    "[]", "{", '{"targeted": -1}', '{"targeted": true}', '{"targeted": 1.5}',
    '{"targeted": 1000001}', '{"histogram": [1, "2"]}', '{"histogram": 3}',
    '{"survey_tallies": [3]}', '{"survey_texts": [1]}', '{"named": [{"name": 3}]}',
    '{"named": [{"name": "x", "correct": -1, "total": 1}]}',
    json.dumps({"named": [{"name": "x", "correct": 1, "total": 1}] * 51}),
    json.dumps({"survey_texts": ["x" * 5001]}), "[" * 5000,
])
def test_figures_of_the_wrong_form_are_refused_never_a_crash(text: str) -> None:
    with pytest.raises(FiguresError):
        study_figures.from_json(text)


# --- plan_fits / report_fits --------------------------------------------------------------

PLAN = {"title": "Học Nghị quyết", "kind": "study", "audience": "all", "statuses": "",
        "documents": json.dumps(["d1", "d2"]), "quiz": study.quiz_to_json(QUIZ),
        "survey": study.survey_to_json(SURVEY)}


def test_plan_fits_names_the_field_that_cannot_be_read() -> None:
    assert study_rules.plan_fits(PLAN) is None
    assert study_rules.plan_fits({"title": "x"}) is None
    broken_quiz = json.loads(PLAN["quiz"])
    broken_quiz["questions"][0]["correct"] = 5
    for change, field in [
        ({"quiz": json.dumps(broken_quiz)}, "quiz"), ({"quiz": "{"}, "quiz"),
        ({"survey": '{"questions": []}'}, "survey"),
        ({"audience": "statuses", "statuses": ""}, "statuses"),
        ({"audience": "nobody"}, "statuses"),
        ({"documents": "[1]"}, "documents"), ({"documents": '"d1"'}, "documents"),
    ]:
        assert study_rules.plan_fits({**PLAN, **change}) == field, change


def test_report_fits_against_its_plan() -> None:
    report = {"figures": study_figures.to_json(GOOD)}
    assert study_rules.report_fits(report, PLAN)
    assert study_rules.report_fits(report, None)
    assert not study_rules.report_fits({"figures": "{"}, None)
    over = StudyFigures(targeted=5, studied=6)
    assert study_rules.report_fits({"figures": study_figures.to_json(over)}, None) is True
    assert not study_rules.report_fits({"figures": study_figures.to_json(over)}, PLAN)
    named = StudyFigures(named=(NamedResult("Bí thư", 1, 2),), histogram=(0, 0, 0))
    text = {"figures": study_figures.to_json(named)}
    assert not study_rules.report_fits(text, PLAN)
    assert study_rules.report_fits(text, {**PLAN, "kind": "contest", "audience": "secretary"})
    assert not study_rules.report_fits(report, {**PLAN, "quiz": ""})
    assert not study_rules.report_fits(report, {**PLAN, "quiz": "{"})
