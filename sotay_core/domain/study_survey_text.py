"""A survey typed as text (issue 21), the way the quiz is (``study.parse_quiz_text``):
numbered questions, lettered choices; a question without choices is answered in writing;
"(nhiều lựa chọn)" or "(multiple)" after a question lets several choices be ticked. A line
"Không ghi tên" / "Ghi tên" sets whether the answers are anonymous (default: anonymous).

    1. Đồng chí đánh giá thế nào về nội dung nghị quyết? (nhiều lựa chọn)
    A. Thiết thực
    B. Dễ hiểu
    2. Đề xuất của đồng chí:
"""

from __future__ import annotations

import re
from typing import Any

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study import (
    LETTERS,
    MAX_CHOICE_TEXT,
    MAX_QUESTION_TEXT,
    Survey,
    SurveyQuestion,
    check_survey,
)
from sotay_core.domain.study_text import typed_lines

_NUMBERED = re.compile(r"^(?:câu|cau|question)?\s*(\d{1,3})\s*[.):]\s*(.+)$", re.I)
_CHOICE = re.compile(r"^([A-Fa-f])\s*[.)]\s*(.*)$")
# "(chọn nhiều)" as the study screen shows such a question, too
_MULTIPLE = re.compile(r"\(\s*(?:nhiều lựa chọn|nhieu lua chon|chọn nhiều|chon nhieu|multiple)\s*\)"
                       r"\s*$", re.I)
_NAMED = re.compile(r"^(?:ghi tên|ghi ten|named)$", re.I)
_ANONYMOUS = re.compile(r"^(?:không ghi tên|khong ghi ten|anonymous)$", re.I)


def _line(text: str, most: int, number: int) -> str:
    value = " ".join(text.split())
    if len(value) > most:
        raise ValidationError("study.text_too_long", number=number, most=most)
    return value


def parse_survey_text(text: str) -> Survey:
    """The survey, checked (``study.check_survey``); an unreadable line is named."""
    blocks: list[dict[str, Any]] = []
    anonymous = True
    for raw in typed_lines(text):
        line = raw.strip()
        if not line:
            continue
        if _NAMED.match(line):
            anonymous = False
        elif _ANONYMOUS.match(line):
            anonymous = True
        elif (m := _CHOICE.match(line)) and blocks and not _NUMBERED.match(line):
            cur = blocks[-1]
            if LETTERS.index(m.group(1).upper()) != len(cur["choices"]):
                raise ValidationError("study.choice_order", number=len(blocks),
                                      letter=m.group(1).upper())
            cur["choices"].append(m.group(2))
        elif m := _NUMBERED.match(line):
            question = m.group(2)
            multiple = bool(_MULTIPLE.search(question))
            blocks.append({"text": _MULTIPLE.sub("", question).strip(), "choices": [],
                           "multiple": multiple})
        elif blocks and not blocks[-1]["choices"]:
            blocks[-1]["text"] += " " + line
        else:
            raise ValidationError("study.unreadable_line", line=line[:60])
    survey = Survey(tuple(
        SurveyQuestion(_line(b["text"], MAX_QUESTION_TEXT, n),
                       tuple(_line(c, MAX_CHOICE_TEXT, n) for c in b["choices"]),
                       b["multiple"] and bool(b["choices"]))
        for n, b in enumerate(blocks, 1)), anonymous)
    check_survey(survey)
    return survey
