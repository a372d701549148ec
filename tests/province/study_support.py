"""Political study (issue 21) on the province server as it happens in life: a document and a
study plan (with a quiz and a survey) published down, and the branches' PCs pushing their
counts on it (``study_reports``, figures as ``study_figures`` JSON)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain import study_figures
from sotay_core.domain.ids import new_id
from sotay_core.domain.study_figures import NamedResult, StudyFigures
from sync_server import admin, study_publish
from tests.province.support import TODAY, Branch

QUIZ = """1. Đại hội XIV của Đảng họp năm nào?
A. 2021
*B. 2026
C. 2031
2. Chi bộ sinh hoạt thường kỳ mấy lần một tháng?
A. Một lần
B. Hai lần
Đáp án: A
3. Ai chủ trì sinh hoạt chi bộ?
*A. Bí thư chi bộ
B. Trưởng thôn
"""
SURVEY = """1. Đồng chí đánh giá việc học tập thế nào?
A. Rất bổ ích
B. Bổ ích
C. Chưa bổ ích
2. Muốn học thêm nội dung nào? (nhiều lựa chọn)
A. Kinh tế
B. Xây dựng Đảng
3. Đồng chí có kiến nghị gì?
"""
DUE = TODAY + dt.timedelta(days=30)

# b1 (commune c1): 3 members the plan is for, 2 studied; 2 sheets (one 3/3, one 1/3)
B1 = StudyFigures(targeted=3, studied=2, sessions=2, makeup_sessions=1, quiz_sat=2,
                  quiz_passed=1, histogram=(0, 1, 0, 1), question_correct=(2, 1, 1),
                  survey_present=2, survey_tallies=((1, 1, 0), (2, 1), ()),
                  survey_texts=("", "", "Đề nghị học vào buổi tối"))
# b2 (commune c1): 5 members, all studied; 4 sheets (2/3, 2/3, 3/3, 0/3)
B2 = StudyFigures(targeted=5, studied=5, sessions=1, quiz_sat=4, quiz_passed=3,
                  histogram=(1, 0, 2, 1), question_correct=(3, 1, 3), survey_present=5,
                  survey_tallies=((3, 2, 0), (1, 5), ()),
                  survey_texts=("", "", "Cần thêm tài liệu in chữ to"))


def document(env: dict[str, Any], to: str, title: str = "Nghị quyết Đại hội XIV") -> str:
    """A document published to every branch below ``to``; its id."""
    path = Path(env["tmp"]) / f"{new_id()}.pdf"
    path.write_bytes(b"%PDF-1.4 nghi quyet " + title.encode())
    with Session(env["app"].state.engine) as s, s.begin():
        return admin.publish(s, Path(env["settings"].files_dir), path, to_unit=to,
                             title=title, number="01-NQ/TW").document_id


def plan(env: dict[str, Any], to: str, **changes: Any) -> str:
    values: dict[str, Any] = {"title": "Học tập Nghị quyết Đại hội XIV", "number": "12-KH/TU",
                              "due_on": DUE, "quiz": QUIZ, "survey": SURVEY,
                              "issuer_id": env["ids"]["p"]} | changes
    with Session(env["app"].state.engine) as s, s.begin():
        return study_publish.publish_plan(s, to_unit=to, **values).plan_id


def report(branch: Branch, plan_id: str, figures: StudyFigures | str,
           row_id: str | None = None) -> dict[str, Any]:
    """The branch's PC pushes its report on the plan; the result of the mutation."""
    text = figures if isinstance(figures, str) else study_figures.to_json(figures)
    [result] = branch.push(("study_reports", row_id or new_id(), {
        "unit_id": branch.unit_id, "plan_id": plan_id, "figures": text,
        "updated_on": TODAY.isoformat()}))
    return result


def contest_figures(name: str, correct: int) -> StudyFigures:
    return StudyFigures(targeted=1, studied=1, sessions=1, quiz_sat=1,
                        quiz_passed=int(correct >= 2), histogram=tuple(
                            int(k == correct) for k in range(4)),
                        question_correct=tuple(int(i < correct) for i in range(3)),
                        named=(NamedResult(name, correct, 3),))
