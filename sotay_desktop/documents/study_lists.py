"""The study plan's lists and forms (issue 21): the sign-in sheet of a session (large type),
the make-up list, the class results (HD 36 papers, 14 pt, with the Party header) and the
survey form (large type, tick boxes; no name line when the survey is anonymous).

API::

    attendance_document(view, info, *, held_on=None, place="", makeup=False, size=20)
    makeup_document(view, info, *, large=False, size=20)
    results_document(view, info, *, named=False, large=False, size=20)
    survey_forms(view, info, *, copies=1) -> list[Form]
    render_list(document, fmt) -> bytes
    render_survey_form(view, fmt, *, info, size=20, copies=1) -> bytes

The sign-in sheet lists the members the plan is for in roster order (only those on the
make-up list with ``makeup``), with STT, name, birth year and a wide column to sign, and
blank rows at the end for others who come. The results give the plan's completion, the
quiz's score distribution, how many got each question right, how many passed, and the
survey's totals; each member's score only on the branch's own copy (``named``): the copy
that goes up carries counts only, as the report does (``study_figures``).
The papers' titles and layout are this app's own (UNCONFIRMED: no national form found).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import DomainError
from sotay_core.domain.study_view import MemberLine, PlanView
from sotay_desktop.documents import review_paper_common as party
from sotay_desktop.documents.layout import (
    Block,
    Closing,
    Heading,
    Para,
    PartyDocument,
    Signature,
    Table,
)
from sotay_desktop.documents.study_form import Form, Item, Who
from sotay_desktop.documents.study_paper_common import (
    LARGE_PT,
    StudyPaperInfo,
    born_year,
    check_format,
    check_size,
    clean,
)
from sotay_desktop.documents.study_quiz_sheet import header, pass_mark, plan_line

ATTENDANCE_TITLE = "DANH SÁCH ĐẢNG VIÊN DỰ HỌC TẬP"
MAKEUP_TITLE = "DANH SÁCH ĐẢNG VIÊN CHƯA HỌC TẬP"
RESULTS_TITLE = "BÁO CÁO KẾT QUẢ HỌC TẬP"
SURVEY_TITLE = "PHIẾU KHẢO SÁT Ý KIẾN"
SPARE_ROWS = 3
MAX_COPIES = 500
STATUS_WORDS = {MemberStatus.PROBATIONARY: "Dự bị", MemberStatus.OFFICIAL: "Chính thức",
                MemberStatus.EXEMPTED: "Miễn sinh hoạt",
                MemberStatus.AWAY: "Sinh hoạt tạm thời nơi khác",
                MemberStatus.TEMPORARY: "Sinh hoạt tạm thời"}
SURVEY_HELP = ("Đánh dấu X vào ô ý kiến của đồng chí; câu ghi “có thể chọn nhiều ý” được "
               "đánh nhiều ô. Câu hỏi mở: đồng chí ghi ý kiến vào các dòng để trống.")


def day_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _signature(info: StudyPaperInfo) -> Signature:
    return Signature("T/M CHI BỘ", "BÍ THƯ", clean(info.secretary))


def _plan_para(view: PlanView) -> list[Block]:
    line = plan_line(view.plan)
    return [Para(f"{line}.", indent=False)] if line else []


def _summary(view: PlanView) -> str:
    return clean(view.plan.title)


# --- the sign-in sheet ----------------------------------------------------------------------


def attendance_document(view: PlanView, info: StudyPaperInfo, *,
                        held_on: dt.date | None = None, place: str = "",
                        makeup: bool = False, size: int = LARGE_PT,
                        member_ids: Sequence[str] | None = None) -> PartyDocument:
    """The sign-in sheet of a session, large type. ``held_on`` None: dots for the day.
    Its members: ``member_ids`` when given (roster order kept), else the make-up list
    (``makeup``) or every member the plan is for."""
    check_size(size)
    if member_ids is not None:
        wanted = set(member_ids)
        members = tuple(m for m in view.members if m.member_id in wanted)
    elif makeup:
        members = view.makeup
    else:
        members = tuple(m for m in view.members if m.targeted)
    day = (f"ngày {held_on.day:02d}/{held_on.month:02d}/{held_on.year}" if held_on
           else "ngày ....../....../..........")
    where = f", tại {clean(place)}" if place else ", tại ................................"
    kind = "Buổi học bù" if makeup else "Buổi học tập"
    rows = tuple((str(n), clean(m.name), born_year(m.born_on), "")
                 for n, m in enumerate(members, 1))
    rows += tuple(("\u00a0",) * 4 for _ in range(SPARE_ROWS))   # a line high, to write in
    blocks: list[Block] = [
        *_plan_para(view),
        Para(f"{kind} {day}{where}.", indent=False),
        Table(header=("STT", "Họ và tên", "Năm sinh", "Ký tên"), rows=rows,
              widths=(0.6, 3, 1.2, 2.2), align=("center", "left", "center", "left"),
              nowrap=(True, False, True, False)),
        Para(f"Tổng số đảng viên có mặt: ........ / {len(members)} đồng chí.", indent=False),
    ]
    return PartyDocument(header=header(info), kind=ATTENDANCE_TITLE, summary=_summary(view),
                         blocks=tuple(blocks),
                         closing=Closing(signatures=(_signature(info),)),
                         settings=party.settings_for(True, size))


# --- the make-up list -----------------------------------------------------------------------


def _note(member: MemberLine) -> str:
    return STATUS_WORDS.get(member.status, "")


def makeup_document(view: PlanView, info: StudyPaperInfo, *, large: bool = False,
                    size: int = LARGE_PT) -> PartyDocument:
    members = view.makeup
    targeted = len(view.progress.targeted)
    due = f" (hạn hoàn thành {day_text(view.plan.due_on)})" if view.plan.due_on else ""
    if members:
        lead = (f"Đến {party.date_words(info.made_on)}, còn {len(members)}/{targeted} đảng "
                f"viên chưa dự buổi học tập nào của kế hoạch{due}. Chi bộ phân công đồng "
                "chí trong chi ủy tổ chức học bù hoặc đến tận nhà hướng dẫn học tập cho "
                "các đồng chí có tên sau:")
        blocks: list[Block] = [
            *_plan_para(view), Para(lead),
            Table(header=("STT", "Họ và tên", "Năm sinh", "Ghi chú"),
                  rows=tuple((str(n), clean(m.name), born_year(m.born_on), _note(m))
                             for n, m in enumerate(members, 1)),
                  widths=(0.6, 3, 1.2, 2.2), align=("center", "left", "center", "left"),
                  nowrap=(True, False, True, False))]
    else:
        blocks = [*_plan_para(view),
                  Para(f"Đến {party.date_words(info.made_on)}, tất cả {targeted} đảng viên "
                       "phải học đã dự học tập kế hoạch này; không có đảng viên phải học bù.")]
    return PartyDocument(header=header(info), kind=MAKEUP_TITLE,
                         summary=f"{_summary(view)} (danh sách học bù)", blocks=tuple(blocks),
                         closing=Closing(signatures=(_signature(info),)),
                         settings=party.settings_for(large, size))


# --- the results ----------------------------------------------------------------------------


def _bands(total: int) -> list[tuple[int, int]]:
    """Right answers grouped for the distribution: one row each up to 10 questions, else
    about ten bands."""
    if total <= 10:
        return [(k, k) for k in range(total, -1, -1)]
    width = math.ceil((total + 1) / 10)
    bands = [(low, min(low + width - 1, total)) for low in range(0, total + 1, width)]
    return list(reversed(bands))


def _quiz_blocks(view: PlanView, number: int) -> list[Block]:
    quiz = view.plan.quiz
    figures = view.figures
    if quiz is None:
        return []
    total = len(quiz.questions)
    sat, passed = figures.quiz_sat, figures.quiz_passed
    blocks: list[Block] = [
        Heading(f"{number}. Kết quả trả lời câu hỏi"),
        Para(f"Bộ câu hỏi gồm {total} câu; đạt khi trả lời đúng từ {pass_mark(quiz)} câu trở "
             f"lên ({quiz.pass_percent}%). Số phiếu trả lời: {sat}; đạt: {passed} "
             f"({party.percent(passed, sat)}); chưa đạt: {sat - passed}.")]
    if not sat:
        return blocks
    counts = list(figures.histogram) + [0] * (total + 1 - len(figures.histogram))
    rows = []
    for low, high in _bands(total):
        count = sum(counts[low:high + 1])
        label = f"{low}/{total}" if low == high else f"Từ {low} đến {high}"
        rows.append((label, str(count), party.percent(count, sat)))
    blocks += [
        Para("Phân bố số câu trả lời đúng:", indent=False),
        Table(header=("Số câu đúng", "Số phiếu", "Tỷ lệ"), rows=tuple(rows),
              widths=(2, 1.4, 1.4), align=("center", "center", "center")),
        Para("Số đảng viên trả lời đúng từng câu:", indent=False),
        Table(header=("Câu", "Đáp án", "Số trả lời đúng", "Tỷ lệ"),
              rows=tuple((str(n), q.correct_letter, str(right), party.percent(right, sat))
                         for n, (q, right) in enumerate(
                             zip(quiz.questions, figures.question_correct, strict=False), 1)),
              widths=(1, 1.2, 2, 1.4), align=("center", "center", "center", "center"),
              nowrap=(True, True, False, True))]
    return blocks


def _survey_blocks(view: PlanView, number: int) -> list[Block]:
    survey, totals = view.plan.survey, view.survey
    if survey is None or totals is None:
        return []
    present = totals.present
    blocks: list[Block] = [Heading(f"{number}. Kết quả khảo sát ý kiến"),
                           Para(f"Số đảng viên tham gia trả lời: {present}.")]
    for n, question in enumerate(survey.questions, 1):
        blocks.append(Para(f"Câu {n}. {clean(question.text)}", bold=True, indent=False))
        counts = totals.tallies[n - 1] if n - 1 < len(totals.tallies) else ()
        if question.choices:
            blocks.append(Table(
                header=("Ý kiến", "Số ý kiến", "Tỷ lệ"),
                rows=tuple((clean(choice), str(count), party.percent(count, present))
                           for choice, count in zip(question.choices, counts, strict=False)),
                widths=(4, 1.4, 1.4), align=("left", "center", "center")))
        else:
            text = totals.texts[n - 1] if n - 1 < len(totals.texts) else ""
            blocks.append(Para(clean(text) or "(Không có ý kiến ghi thêm.)", indent=False))
    return blocks


def _named_blocks(view: PlanView, number: int) -> list[Block]:
    rows = []
    for n, member in enumerate((m for m in view.members if m.targeted or m.studied), 1):
        studied = ", ".join(day_text(day) for day in member.sessions) or "Chưa học"
        if member.score is None:
            marks, result = "", ""
        else:
            marks = f"{member.score.correct}/{member.score.total}"
            result = "Đạt" if member.score.passed else "Chưa đạt"
        rows.append((str(n), clean(member.name), studied, marks, result))
    return [Heading(f"{number}. Kết quả của từng đảng viên (bản lưu tại chi bộ)"),
            Table(header=("STT", "Họ và tên", "Ngày học", "Số câu đúng", "Kết quả"),
                  rows=tuple(rows), widths=(0.6, 3, 1.8, 1.2, 1.2),
                  align=("center", "left", "left", "center", "center"),
                  nowrap=(True, False, False, True, True))]


def results_document(view: PlanView, info: StudyPaperInfo, *, named: bool = False,
                     large: bool = False, size: int = LARGE_PT) -> PartyDocument:
    f = view.figures
    makeup = sum(1 for s in view.sessions if s.kind == "makeup")
    home = sum(1 for s in view.sessions if s.kind == "home")
    extra = [f"{makeup} buổi học bù"] if makeup else []
    extra += [f"{home} lần hướng dẫn học tại nhà"] if home else []
    held = f"Chi bộ đã tổ chức {len(view.sessions)} buổi học" + (
        f" (trong đó {', '.join(extra)})" if extra else "") + "."
    blocks: list[Block] = [
        *_plan_para(view),
        Heading("1. Kết quả học tập"),
        Para(f"Số đảng viên phải học: {f.targeted}; đã học: {f.studied} "
             f"({party.percent(f.studied, f.targeted)}); chưa học: {f.not_studied}. {held}")]
    number = 2
    for part in (_quiz_blocks, _survey_blocks):
        more = part(view, number)
        blocks += more
        number += bool(more)
    if named:
        blocks += _named_blocks(view, number)
    recipients = ("Lưu chi bộ.",) if named else ("Đảng ủy cấp trên (báo cáo),", "Lưu chi bộ.")
    return PartyDocument(header=header(info), kind=RESULTS_TITLE, summary=_summary(view),
                         blocks=tuple(blocks),
                         closing=Closing(recipients=recipients,
                                         signatures=(_signature(info),)),
                         settings=party.settings_for(large, size))


def render_list(document: PartyDocument, fmt: str) -> bytes:
    check_format(fmt)
    return party.render([document], fmt)


# --- the survey form ------------------------------------------------------------------------


def survey_forms(view: PlanView, info: StudyPaperInfo, *, copies: int = 1) -> list[Form]:
    survey = view.plan.survey
    if survey is None or not survey.questions:
        raise DomainError("study_papers.no_survey", plan=clean(view.plan.title))
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise DomainError("study_papers.bad_copies", value=copies, most=MAX_COPIES)
    items = tuple(Item(n, q.text, q.choices, q.multiple, lines=4)
                  for n, q in enumerate(survey.questions, 1))
    form = Form(branch=info.branch, superior=info.superior, title=SURVEY_TITLE,
                subtitle=clean(view.plan.title), items=items, plan_line=plan_line(view.plan),
                who=None if survey.anonymous else Who(),
                instructions=SURVEY_HELP + (" Phiếu không ghi tên." if survey.anonymous
                                            else ""),
                tail=("Xin cảm ơn ý kiến của đồng chí!",), foot="Phiếu khảo sát ý kiến")
    return [form] * copies


def render_survey_form(view: PlanView, fmt: str, *, info: StudyPaperInfo,
                       size: int = LARGE_PT, copies: int = 1) -> bytes:
    check_format(fmt)
    check_size(size)
    forms = survey_forms(view, info, copies=copies)
    if fmt == "docx":
        from sotay_desktop.documents.study_form_docx import render_forms_docx

        return render_forms_docx(forms, size=size)
    from sotay_desktop.documents.study_form_pdf import render_forms_pdf

    return render_forms_pdf(forms, size=size, title=f"{SURVEY_TITLE} – {view.plan.title}",
                            author=info.branch)
