"""Quiz and survey text written by other tools, and scanned codes with a scanner's junk
around them (issue 21, attack): what a person cannot see must not make a good line
unreadable, and what cannot be printed or put in a spreadsheet must be refused in words at
the first door (the text parsers, the plan's JSON, the figures a PC sends up) rather than
break a paper or the province's XLSX later."""

from __future__ import annotations

import json

import pytest

from sotay_core import i18n
from sotay_core.domain import study, study_figures, study_rules
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study import parse_quiz_text, quiz_to_json
from sotay_core.domain.study_plan import member_code, read_code
from sotay_core.domain.study_survey_text import parse_survey_text

QUIZ = "1. Câu một?\nA. Một\n*B. Hai\n2. Câu hai?\na) Có\nb) A. Không\nĐáp án: b\n"


def test_invisible_marks_copied_from_the_web_or_word_do_not_break_a_line() -> None:
    dirty = ("\ufeff\u200b1. Câu\u200b một?\r\nA. M\u200dột\u200e\r\n*B. Hai\u200f\r\n"
             "2. Câu hai?\x0bA) Có\x0cB) A. Không\nĐáp án: b\n")
    quiz = parse_quiz_text(dirty)
    assert quiz == parse_quiz_text(QUIZ)
    assert quiz.questions[0].choices == ("Một", "Hai")
    assert quiz.questions[1].choices == ("Có", "A. Không") and quiz.questions[1].correct == 1
    survey = parse_survey_text("\ufeff\u200b1. Ý kiến?\u200b\nA. Có\nB. Không\n")
    assert survey.questions[0].text == "Ý kiến?"


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_control_character_is_refused_with_its_line(bad: str) -> None:
    text = QUIZ.replace("*B. Hai", f"*B. Ha{bad}i")
    with pytest.raises(ValidationError) as caught:
        parse_quiz_text(text)
    assert caught.value.code == "study.control_character"
    message = caught.value.message("vi")
    assert "Dòng 3" in message and f"U+{ord(bad):04X}" in message
    with pytest.raises(ValidationError) as caught:
        parse_survey_text(f"1. Ý kiến?\nA. C{bad}ó\nB. Không\n")
    assert caught.value.code == "study.control_character"
    assert "Dòng 2" in caught.value.message("vi")


def test_a_plan_whose_quiz_or_survey_json_hides_a_control_character_does_not_fit() -> None:
    good = json.loads(quiz_to_json(parse_quiz_text(QUIZ)))
    good["questions"][0]["choices"][0] = "M\u0001ột"
    with pytest.raises(ValidationError) as caught:
        study.quiz_from_json(json.dumps(good))
    assert caught.value.code == "study.control_character_in"
    assert "Câu 1" in caught.value.message("vi") and "U+0001" in caught.value.message("vi")
    assert study_rules.plan_fits({"quiz": json.dumps(good)}) == "quiz"
    survey = {"anonymous": True, "questions": [{"text": "Ý\u0000 kiến?", "choices": []}]}
    assert study_rules.plan_fits({"survey": json.dumps(survey)}) == "survey"


def test_figures_with_a_control_character_in_a_written_answer_or_a_name_are_refused() -> None:
    figures = {"targeted": 1, "studied": 1, "survey_texts": ["Ý kiến \u0001 lạ"]}
    with pytest.raises(study_figures.FiguresError) as caught:
        study_figures.from_dict(figures)
    assert caught.value.what == "survey_texts"
    figures = {"targeted": 1, "studied": 1, "named": [
        {"name": "Nguyễn\u0000 Văn An", "correct": 1, "total": 2}]}
    with pytest.raises(study_figures.FiguresError) as caught:
        study_figures.from_dict(figures)
    assert caught.value.what == "named"
    # a written answer over several lines, as the branch types it, is fine
    kept = study_figures.from_dict({"survey_texts": ["Học buổi tối;\nin chữ to\tthêm"]})
    assert kept.survey_texts == ("Học buổi tối;\nin chữ to\tthêm",)


UNIT, MEMBER = "unit-1", "member-1"


@pytest.mark.parametrize("junk", [
    "\x02{}\x03",          # STX/ETX framing some scanners add
    "\x1b{}",              # an escape left by a terminal
    "]Q1{}",               # the AIM symbology identifier of a QR code
    "]C1{}\r\n",
    "\ufeff{}\u200b",
])
def test_a_scanners_prefix_or_invisible_framing_around_a_good_code_reads(junk: str) -> None:
    code = member_code(UNIT, MEMBER)
    assert read_code(junk.format(code)).code == code


def test_a_code_that_cannot_be_read_is_shown_with_what_is_hidden_in_it() -> None:
    code = member_code(UNIT, MEMBER)
    with pytest.raises(ValidationError) as caught:
        read_code(f"X{code}\x07")
    shown = caught.value.message("vi")
    # the refusal does not print fourteen good digits as if they were the fault
    assert "U+0007" in shown or "X" in shown
    assert shown != i18n.t("study.code_unreadable", value=code)


@pytest.mark.parametrize(("typed", "sheet"), [
    ("A,,C", "A-C-"),          # a spreadsheet's empty cell: question 2 left blank
    ("A;;C;", "A-C-"),         # Vietnamese Excel's CSV separator; a trailing one
    ("\tB\tC", "-BC-"),        # cells copied from Excel: the first one empty
    ("A, B, C, A", "ABCA"),
    ("AB,CA", "ABCA"),         # runs between separators
    ("A B C", "ABC-"),         # spaces are only spaces
])
def test_answers_in_cells_keep_their_questions(typed: str, sheet: str) -> None:
    quiz = parse_quiz_text("".join(f"{n}. Câu {n}?\n*A. x\nB. y\nC. z\n" for n in range(1, 5)))
    assert study.parse_answers(quiz, typed) == sheet


def test_several_choices_marked_as_the_screen_shows_them() -> None:
    """The study screen labels such a question "(chọn nhiều)"; typed that way it was kept as
    part of the question and the question became single-choice."""
    survey = parse_survey_text("1. Muốn học thêm gì? (chọn nhiều)\nA. Kinh tế\nB. Xây dựng Đảng\n"
                               "2. Hình thức? (Nhiều lựa chọn)\nA. Tập trung\nB. Tại nhà\n")
    assert [q.multiple for q in survey.questions] == [True, True]
    assert survey.questions[0].text == "Muốn học thêm gì?"
