"""The demo branch's political study (issue 21), made last (it reads the members' lives, the
documents and the committee as the rest of the demo left them):

* a finished plan from above (the commune's paper plan typed here): two of the demo's
  documents from above, a quiz of eight questions and a survey of three, a session in the
  hall, a make-up session and a visit at home, so every member it was for studied it; most
  members' answer sheets entered, the survey's counts taken at the session;
* a plan in progress, due three weeks after the demo's day: one session held, several
  members on the make-up list, a few answer sheets in.

Both are typed as the branch's records (``origin`` from_above, version 0, noted as typed
here, without an audit row: the demo's audit log starts empty), so enrolment sends them up as
the branch's own; their reports (counts only) are built by ``study_report`` as after any
study write. Deterministic for (seed, as_of), local only (no outbox), like the demo.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sotay_core.domain import study_figures
from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.study import (
    LETTERS,
    Quiz,
    Survey,
    parse_quiz_text,
    quiz_to_json,
    score,
    survey_to_json,
)
from sotay_core.domain.study_plan import documents_to_field
from sotay_core.domain.study_survey_text import parse_survey_text
from sotay_desktop.db.study_tables import (
    QuizAnswerRow,
    StudyAttendanceRow,
    StudyPlanRow,
    StudyReportRow,
    StudySessionRow,
    SurveySheetRow,
)
from sotay_desktop.db.tables import DocumentRow
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.study_report import figures_of
from sotay_desktop.services.study_rows import (
    STUDY_TABLES,
    note_branch_plan,
    people_on,
    plan_facts,
)

QUIZ_TEXT = """1. Đại hội đại biểu toàn quốc lần thứ XIV của Đảng họp vào năm nào?
A. 2021
*B. 2026
C. 2030
D. 2031
2. Mục tiêu đến năm 2030 mà Nghị quyết Đại hội XIV nêu là gì?
A. Nước đang phát triển, có công nghiệp hiện đại, thu nhập trung bình cao *
B. Nước phát triển, thu nhập cao
C. Nước công nghiệp theo hướng hiện đại
3. Chi bộ thôn sinh hoạt định kỳ bao lâu một lần?
A. Hằng tuần
*B. Mỗi tháng một lần
C. Mỗi quý một lần
4. Ai có trách nhiệm học tập, quán triệt nghị quyết của Đảng?
A. Chỉ cấp ủy viên
B. Chỉ đảng viên đang công tác
*C. Mọi đảng viên
5. Đảng viên được miễn sinh hoạt có cần nắm nội dung nghị quyết không?
*A. Có, học theo điều kiện sức khỏe
B. Không cần
6. Phong trào nào gắn với xây dựng nông thôn mới ở thôn?
A. Chỉ làm đường giao thông
B. Chỉ phát triển sản xuất
*C. Cả hai, cùng giữ gìn môi trường, an ninh trật tự
7. Sau khi học tập, chi bộ cần làm gì?
A. Không cần làm gì thêm
*B. Xây dựng kế hoạch thực hiện nghị quyết phù hợp với thôn
C. Chờ cấp trên hướng dẫn
8. Đảng viên đóng đảng phí theo quy định nào?
A. Quy định 342-QĐ/TW
*B. Quy định 01-QĐ/TW
C. Tùy chi bộ quyết định
"""
SURVEY_TEXT = """1. Đồng chí đánh giá nội dung học tập thế nào?
A. Thiết thực, dễ hiểu
B. Thiết thực nhưng còn khó hiểu
C. Chưa thiết thực
2. Hình thức học tập đồng chí thấy phù hợp (nhiều lựa chọn)
A. Học tập trung ở nhà văn hóa
B. Nghe đọc tài liệu tại nhà
C. Xem tài liệu trên điện thoại
3. Đề xuất của đồng chí với chi bộ:
"""
PLACE = "Nhà văn hoá thôn Đông Hòa"
TEXTS = ("", "", "Đề nghị in tài liệu chữ to cho đảng viên cao tuổi; tổ chức thêm buổi học "
                 "buổi tối cho người đi làm; đọc to tài liệu tại nhà cho đồng chí yếu mắt.")


def _answers(rng: random.Random, quiz: Quiz, good: float) -> str:
    letters = []
    for q in quiz.questions:
        if rng.random() < good:
            letters.append(q.correct_letter)
        else:
            letters.append(LETTERS[rng.choice([i for i in range(len(q.choices))
                                               if i != q.correct])])
    return "".join(letters)


def _from_above_documents(session: Session, unit_id: str, before: dt.date,
                          count: int) -> list[str]:
    """The demo's documents from above issued by ``before``, resolutions first."""
    return list(session.scalars(select(DocumentRow.id).where(
        DocumentRow.unit_id == unit_id, DocumentRow.origin == "from_above",
        DocumentRow.deleted.is_(False), DocumentRow.issued_on <= before).order_by(
        (DocumentRow.doc_type == "NQ").desc(), DocumentRow.issued_on.desc(),
        DocumentRow.id).limit(count)))


def _tallies(rng: random.Random, survey: Survey, present: int) -> list[list[int]]:
    out: list[list[int]] = []
    for q in survey.questions:
        if q.free_text:
            out.append([])
        elif q.multiple:
            out.append([rng.randint(present // 3, present) for _ in q.choices])
        else:
            left, counts = present - rng.randint(0, 2 if present > 4 else 0), []
            for i in range(len(q.choices)):
                share = left if i == len(q.choices) - 1 else rng.randint(0, left)
                counts.append(share)
                left -= share
            out.append(sorted(counts, reverse=True))
    return out


def make_study(session: Session, *, unit_id: str, as_of: dt.date, seed: int,
               common: dict[str, Any]) -> Changes:
    rng = random.Random(seed * 31 + 21)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    local = {k: common[k] for k in ("deleted", "created_at", "updated_at")}
    quiz, survey = parse_quiz_text(QUIZ_TEXT, 50), parse_survey_text(SURVEY_TEXT)
    finished_due = as_of - dt.timedelta(days=40)
    docs = _from_above_documents(session, unit_id, finished_due - dt.timedelta(days=30), 2)
    later = _from_above_documents(session, unit_id, as_of - dt.timedelta(days=5), 1)
    plans = [
        {**common, "id": new_id(), "unit_id": unit_id, "origin": "from_above",
         "kind": "study", "title": "Học tập, quán triệt Nghị quyết Đại hội đại biểu toàn quốc "
                                    "lần thứ XIV của Đảng",
         "number": "Số 15-KH/ĐU", "issuer": "Đảng ủy xã Tân Lập",
         "issued_on": finished_due - dt.timedelta(days=50),
         "starts_on": finished_due - dt.timedelta(days=40), "due_on": finished_due,
         "documents": documents_to_field(docs), "audience": "all", "statuses": "",
         "quiz": quiz_to_json(quiz), "survey": survey_to_json(survey), "points": None,
         "note": "Học tập trung tại nhà văn hoá thôn; đảng viên cao tuổi học tại nhà."},
        {**common, "id": new_id(), "unit_id": unit_id, "origin": "from_above",
         "kind": "study", "title": "Học tập chuyên đề năm 2026: học tập và làm theo tư tưởng, "
                                    "đạo đức, phong cách Hồ Chí Minh",
         "number": "Số 21-KH/ĐU", "issuer": "Đảng ủy xã Tân Lập",
         "issued_on": as_of - dt.timedelta(days=20), "starts_on": as_of - dt.timedelta(days=10),
         "due_on": as_of + dt.timedelta(days=21), "documents": documents_to_field(later),
         "audience": "all", "statuses": "", "quiz": quiz_to_json(quiz), "survey": "",
         "points": None, "note": ""},
    ]
    session.execute(insert(StudyPlanRow), plans)
    for plan in plans:
        # Noted as typed here (editable on this PC). No audit row: the demo, like the rest
        # of it, is made before anyone works, and its audit log starts empty.
        note_branch_plan(session, plan["id"])
    finished, current = (session.get(StudyPlanRow, p["id"]) for p in plans)
    assert finished is not None and current is not None

    sessions: list[dict[str, Any]] = []
    marks: list[dict[str, Any]] = []
    sheets: list[dict[str, Any]] = []

    def held(plan: StudyPlanRow, day: dt.date, kind: str, who: list[str], place: str = PLACE,
             note: str = "") -> str:
        session_id = new_id()
        sessions.append({**local, "id": session_id, "plan_id": plan.id, "held_on": day,
                         "kind": kind, "place": place, "documents": plan.documents,
                         "note": note})
        marks.extend({**local, "id": new_id(), "session_id": session_id, "member_id": m,
                      "how": rng.choice(("scan", "scan", "name"))} for m in who)
        return session_id

    def sheet(plan_id: str, member_id: str, day: dt.date, good: float) -> None:
        answers = _answers(rng, quiz, good)
        got = score(quiz, answers)
        sheets.append({**local, "id": new_id(), "plan_id": plan_id, "member_id": member_id,
                       "answers": answers, "correct": got.correct, "total": got.total,
                       "taken_on": day, "how": "grid"})

    def able(day: dt.date, who: list[str]) -> list[str]:
        """Those who could attend that day (a member admitted later could not)."""
        fit = {p.member_id for p in people_on(session, unit_id, day)
               if p.status not in (MemberStatus.NONE, MemberStatus.DECEASED,
                                   MemberStatus.REMOVED)}
        return [m for m in who if m in fit]

    # the finished plan: everyone it was for studied it (the last at home on the due day)
    facts = plan_facts(session, unit_id=unit_id, row=finished, today=as_of)
    wanted = list(facts.targeted)
    shuffled = rng.sample(wanted, len(wanted))
    main_day = finished_due - dt.timedelta(days=30)
    makeup_day = main_day + dt.timedelta(days=14)
    first = able(main_day, shuffled[:max(1, len(wanted) * 3 // 4)])
    rest = [m for m in shuffled if m not in first]
    makeup = able(makeup_day, rest[:len(rest) // 2 + 1])
    home = [m for m in rest if m not in makeup]
    main = held(finished, main_day, "session", first)
    if makeup:
        held(finished, makeup_day, "makeup", makeup)
    if home:
        held(finished, finished_due, "home", home, place="Tại nhà đảng viên",
             note="Đọc tài liệu cho các đồng chí cao tuổi")
    for member_id in wanted:
        if rng.random() < 0.85:
            sheet(finished.id, member_id, main_day, rng.choice((0.6, 0.75, 0.9)))
    counts = _tallies(rng, survey, len(first))
    survey_rows = [{**local, "id": new_id(), "plan_id": finished.id, "session_id": main,
                    "collected_on": main_day, "present": len(first),
                    "tallies": json.dumps(counts),
                    "texts": json.dumps(list(TEXTS), ensure_ascii=False)}]

    # the plan in progress: one session, several on the make-up list, a few sheets
    facts = plan_facts(session, unit_id=unit_id, row=current, today=as_of)
    wanted = list(facts.targeted)
    day = as_of - dt.timedelta(days=5)
    came = able(day, rng.sample(wanted, len(wanted) * 4 // 5) if len(wanted) > 2
                else wanted[:1])
    held(current, day, "session", sorted(came, key=wanted.index))
    for member_id in came[:5]:
        sheet(current.id, member_id, day, 0.8)

    for table, rows in ((StudySessionRow, sessions), (StudyAttendanceRow, marks),
                        (QuizAnswerRow, sheets), (SurveySheetRow, survey_rows)):
        if rows:
            session.execute(insert(table), rows)
    session.flush()
    reports = [{**common, "id": new_id(), "unit_id": unit_id, "plan_id": plan.id,
                "updated_on": as_of, "figures": study_figures.to_json(figures_of(
                    plan_facts(session, unit_id=unit_id, row=plan, today=as_of)))}
               for plan in (finished, current)]
    session.execute(insert(StudyReportRow), reports)
    return Changes.of(*STUDY_TABLES)
