"""Hand-made study plans for the papers' tests (issue 21): a ``PlanView`` as the use case
``usecases.study.view`` gives it, without a data folder."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import Any

from pypdf import PdfReader

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.study import (
    LETTERS,
    Question,
    Quiz,
    Survey,
    SurveyQuestion,
    histogram,
    per_question_correct,
    score,
)
from sotay_core.domain.study_figures import StudyFigures
from sotay_core.domain.study_plan import member_code, progress
from sotay_core.domain.study_view import MemberLine, PlanInfo, PlanView, SessionLine, SurveyTotal
from sotay_desktop.documents.study_paper_common import StudyPaperInfo

UNIT = "unit-dong-hoa"
NAMES = ("Nguyễn Văn An", "Trần Thị Bích Hường", "Lê Văn Cường", "Phạm Thị Dung",
         "Hoàng Văn Em", "Vũ Thị Phượng", "Đặng Văn Giỏi", "Bùi Thị Hạnh", "Đỗ Văn Ích",
         "Nguyễn Thị Thanh Hương Giang")
INFO = StudyPaperInfo(branch="Chi bộ thôn Đông Hòa", superior="Đảng bộ xã Tân Lập",
                      place="Tân Lập", made_on=dt.date(2026, 12, 10),
                      secretary="Nguyễn Văn Bình")
SESSION_DAY = dt.date(2026, 11, 5)


def quiz(questions: int = 5, choices: int = 4, *, long: bool = False) -> Quiz:
    words = ("phát triển kinh tế – xã hội nhanh, bền vững, gắn với bảo đảm quốc phòng, an "
             "ninh và nâng cao đời sống vật chất, tinh thần của nhân dân ở nông thôn"
             if long else "phát triển nhanh, bền vững")
    return Quiz(tuple(
        Question(text=f"Nghị quyết Đại hội XIV của Đảng xác định mục tiêu nào đến năm 2030? "
                      f"(câu số {n + 1})",
                 choices=tuple(f"Phương án {LETTERS[k]}: {words}" for k in range(choices)),
                 correct=n % choices,
                 explanation="Văn kiện Đại hội XIV, phần mục tiêu tổng quát.")
        for n in range(questions)), pass_percent=50)


def survey(*, anonymous: bool = True) -> Survey:
    return Survey((
        SurveyQuestion("Đồng chí đánh giá thế nào về chất lượng sinh hoạt chi bộ năm nay?",
                       ("Tốt", "Khá", "Trung bình", "Kém")),
        SurveyQuestion("Những nội dung nào chi bộ cần học tập thêm?",
                       ("Nghị quyết của Đảng", "Pháp luật về đất đai", "Kinh tế hộ gia đình"),
                       multiple=True),
        SurveyQuestion("Ý kiến khác của đồng chí:")), anonymous=anonymous)


def answers_of(index: int, the_quiz: Quiz) -> str:
    """Member ``index``'s sheet: right except every third question (then "A" or blank)."""
    out = []
    for k, q in enumerate(the_quiz.questions):
        if (index + k) % 3:
            out.append(q.correct_letter)
        else:
            out.append("-" if k % 2 else "A")
    return "".join(out)


def plan_view(members: int = 6, questions: int = 5, choices: int = 4, *,
              with_quiz: bool = True, with_survey: bool = True, long: bool = False,
              anonymous: bool = True) -> PlanView:
    """Members 0, 4, 8 … missed the session (the make-up list); the others sat the quiz."""
    the_quiz = quiz(questions, choices, long=long) if with_quiz else None
    lines = []
    for i in range(members):
        member_id = f"m{i:04d}"
        studied = i % 4 != 0
        sheet = answers_of(i, the_quiz) if studied and the_quiz else ""
        lines.append(MemberLine(
            member_id=member_id, name=NAMES[i % len(NAMES)], code=member_code(UNIT, member_id),
            status=MemberStatus.OFFICIAL if i % 5 else MemberStatus.EXEMPTED,
            born_on=dt.date(1940 + i % 45, 3, 1), sessions=(SESSION_DAY,) if studied else (),
            answers=sheet, score=score(the_quiz, sheet) if sheet and the_quiz else None,
            points=2 if studied else 0))
    plan = PlanInfo(id="plan-1", title="Học tập, quán triệt Nghị quyết Đại hội XIV của Đảng",
                    number="12-KH/ĐU", issuer="Đảng ủy xã Tân Lập", due_on=dt.date(2026, 12, 31),
                    quiz=the_quiz, survey=survey(anonymous=anonymous) if with_survey else None)
    sheets = [m.answers for m in lines if m.answers]
    figures = StudyFigures(
        targeted=members, studied=sum(1 for m in lines if m.sessions), sessions=1,
        quiz_sat=len(sheets),
        quiz_passed=sum(1 for m in lines if m.score is not None and m.score.passed),
        histogram=histogram(the_quiz, sheets) if the_quiz else (),
        question_correct=per_question_correct(the_quiz, sheets) if the_quiz else (),
        survey_present=4, survey_tallies=((2, 1, 1, 0), (3, 2, 1), ()) if with_survey else (),
        survey_texts=("", "", "Đề nghị học vào buổi tối.") if with_survey else ())
    session = SessionLine(id="s1", held_on=SESSION_DAY, kind="session", place="Nhà văn hóa thôn",
                          present=tuple(m.member_id for m in lines if m.sessions))
    return PlanView(
        plan=plan, members=tuple(lines), sessions=(session,),
        progress=progress([m.member_id for m in lines],
                          {"s1": [m.member_id for m in lines if m.sessions]}),
        figures=figures,
        survey=SurveyTotal(present=4, tallies=figures.survey_tallies,
                           texts=figures.survey_texts, sheets=1) if with_survey else None)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(unicodedata.normalize("NFC", page.extract_text() or "")
                     for page in PdfReader(io.BytesIO(pdf)).pages)


def font_sizes(pdf: bytes) -> list[float]:
    """Every size a text is drawn at (the Tf operators of every page)."""
    found: list[float] = []

    def visit(operator: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if operator == b"Tf":
            found.append(float(args[1]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_operand_before=visit)
    return found
