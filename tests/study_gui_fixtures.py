"""A small branch with a study plan for the study screen's GUI tests (issue 21): six
members, the branch's own plan with a four-question quiz (4, 3, 3 and 2 choices; the right
answers A, B, C, B) and a three-question survey, and a plan from above as the sync brings
it (read only)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sotay_core.domain.study import Question, Quiz, quiz_to_json
from sotay_desktop.db.engine import Database
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace

TODAY = dt.date(2026, 11, 20)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
         "Vũ Thị Gấm")
QUIZ_TEXT = """1. Đại hội XIV của Đảng họp năm nào?
*A. 2026
B. 2025
C. 2024
D. 2021
2. Chi bộ họp thường kỳ bao lâu một lần?
A. Ba tháng
*B. Mỗi tháng
C. Sáu tháng
3. Ai chủ trì buổi học tập nghị quyết ở chi bộ?
A. Trưởng thôn
B. Chủ tịch xã
*C. Bí thư chi bộ
4. Đảng viên miễn sinh hoạt có phải học nghị quyết không?
A. Không
*B. Có, khi sức khoẻ cho phép
"""
SURVEY_TEXT = """1. Đồng chí đánh giá buổi học thế nào?
A. Rất bổ ích
B. Bổ ích
C. Chưa bổ ích
2. Nội dung nào cần học thêm? (nhiều lựa chọn)
A. Nghị quyết
B. Pháp luật
3. Ý kiến khác:
"""


@dataclass(frozen=True)
class StudyBranch:
    ws: Workspace
    unit_id: str
    ids: tuple[str, ...]
    plan_id: str
    above_id: str


def make_study_branch(db: Database, unit_id: str) -> StudyBranch:
    from sotay_desktop.db.study_tables import StudyPlanRow
    from sotay_desktop.services import members

    with db.sessions.begin() as s:
        ids = tuple(members.add_member(s, unit_id=unit_id, data={
            "full_name": name, "date_of_birth": dt.date(1950 + i, 5, 5),
            "admitted_on": dt.date(1990, 3, 1), "official_on": dt.date(1991, 3, 1)},
            today=TODAY)[0] for i, name in enumerate(NAMES))
        above = Quiz((Question("Nghị quyết nói về điều gì?", ("Kinh tế", "Văn hoá"), 0),))
        s.add(StudyPlanRow(id="plan-above", unit_id=unit_id, version=1, origin="from_above",
                           title="Quán triệt Chỉ thị 05 của cấp trên", kind="study",
                           number="12-KH/ĐU", issuer="Đảng ủy xã Tân Lập",
                           due_on=dt.date(2026, 11, 10), documents=json.dumps([]),
                           audience="all", statuses="", quiz=quiz_to_json(above), survey="",
                           note=""))
    ws = Workspace(db, today=lambda: TODAY)
    plan_id, _ = study.add_plan(ws, title="Học tập Nghị quyết Đại hội XIV của Đảng",
                                number="03-KH/CB", due_on=dt.date(2026, 12, 15))
    study.set_quiz(ws, plan_id, QUIZ_TEXT)
    study.set_survey(ws, plan_id, SURVEY_TEXT)
    return StudyBranch(ws, unit_id, ids, plan_id, "plan-above")
