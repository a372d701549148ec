"""The survey's text form as the province types it on the publish form and the branch in its
plan dialog (issue 21; ``study_survey_text.parse_survey_text``): numbered questions,
lettered choices, a question without choices answered in writing, "(nhiều lựa chọn)" for
several ticks; refusals in words naming the question, the JSON form read back the same.
Pure core: needs only sotay_core."""

from __future__ import annotations

import pytest

from sotay_core.domain import study
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study_survey_text import parse_survey_text
from sotay_core.i18n import t

pytestmark = pytest.mark.server

TEXT = """
Câu 1: Đồng chí đánh giá việc học tập
nghị quyết năm nay thế nào?
A. Rất bổ ích
B) Bổ ích
C. Chưa bổ ích

2. Nội dung nào đồng chí muốn học thêm? (nhiều lựa chọn)
a. Kinh tế
b. Xây dựng Đảng
c. Quốc phòng, an ninh
3) Đồng chí có kiến nghị gì với cấp ủy?
"""


def test_questions_choices_free_text_and_several_ticks() -> None:
    survey = parse_survey_text(TEXT)
    first, second, third = survey.questions
    assert first.text == "Đồng chí đánh giá việc học tập nghị quyết năm nay thế nào?"
    assert first.choices == ("Rất bổ ích", "Bổ ích", "Chưa bổ ích")
    assert not first.multiple and not first.free_text
    assert second.text == "Nội dung nào đồng chí muốn học thêm?" and second.multiple
    assert second.choices == ("Kinh tế", "Xây dựng Đảng", "Quốc phòng, an ninh")
    assert third.free_text and third.text == "Đồng chí có kiến nghị gì với cấp ủy?"
    assert survey.anonymous
    # the JSON form a plan carries reads back the same survey
    assert study.survey_from_json(study.survey_to_json(survey)) == survey


def test_decomposed_vietnamese_is_normalised() -> None:
    import unicodedata

    survey = parse_survey_text(unicodedata.normalize("NFD", TEXT))
    assert survey.questions[0].choices[0] == "Rất bổ ích"


@pytest.mark.parametrize(("text", "code", "words"), [
    ("", "study.survey_empty", "chưa có câu hỏi"),
    ("1. Một câu\nA. Chỉ một phương án", "study.choices_count", "Câu 1"),
    ("1. Câu\nA. Có\nC. Không", "study.choice_order", "phương án C"),
    ("1. Câu\nA. a\nB. b\nC. c\nD. d\nE. e\nF. f\nG. g", "study.unreadable_line", "G. g"),
    ("1. Câu\nA. a\nB. b\nC. c\nD. d\nE. e\nF. f\nA. g", "study.choice_order", "A"),
    ("Không đánh số\n1. Câu", "study.unreadable_line", "Không đánh số"),
    ("1. Câu\nA. Có\nB. Không\nmột dòng lạc", "study.unreadable_line", "một dòng lạc"),
    ("1. " + "x" * 2_001, "study.text_too_long", "1"),
])
def test_refusals_name_the_question_in_words(text: str, code: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_survey_text(text)
    assert caught.value.code == code
    message = t(caught.value.code, lang="vi", **caught.value.params)
    assert words.lower() in message.lower(), message


def test_too_many_questions() -> None:
    text = "\n".join(f"{n}. Câu số {n}" for n in range(1, study.MAX_QUESTIONS + 2))
    with pytest.raises(ValidationError) as caught:
        parse_survey_text(text)
    assert caught.value.code == "study.too_many_questions"
