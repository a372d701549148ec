"""A study plan's figures as files (issue 21): completion per unit below, the branches that
sent nothing, the quiz's score distribution and right answers per question, the survey's
totals and written answers; a contest's named results (UNCONFIRMED). XLSX (openpyxl, every
text cell kept as text: ``spreadsheet.keep_as_text``) and PDF (reportlab with the bundled
Vietnamese fonts, as ``reports``). Official papers: Vietnamese whatever the page's language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sotay_core.domain.spreadsheet import keep_as_text
from sotay_core.domain.study import LETTERS
from sync_server import study_queries
from sync_server.models import StudyPublication, Unit
from sync_server.reports import SERIF, register_fonts
from sync_server.study_queries import Completion, PlanContent, PlanTree, Results

TREE_HEADER = ["Đơn vị", "Chi bộ nhận kế hoạch", "Đã báo cáo", "Chưa gửi gì",
               "Đảng viên thuộc diện học", "Đã học", "Tỷ lệ", "Chưa được học",
               "Buổi học", "Bài trắc nghiệm", "Bài đạt"]
NOT_CONFIRMED = ("Kết quả có tên người dự thi: CHƯA XÁC NHẬN có quy định cho phép gửi tên "
                 "lên cấp trên; chỉ áp dụng cho hội thi.")


@dataclass(frozen=True)
class PlanReport:
    pub: StudyPublication
    unit: Unit
    plan: PlanContent
    tree: PlanTree
    results: Results
    silent: list[Unit]


def gather(session: Session, pub: StudyPublication, unit: Unit) -> PlanReport:
    plan = study_queries.content(session, pub)
    return PlanReport(pub, unit, plan, study_queries.plan_tree(session, pub.id, unit),
                      study_queries.results(session, plan, pub.id, unit, texts=10_000,
                                            named=None),
                      study_queries.silent_branches(session, pub.id, unit, limit=20_000))


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "—"


def _cells(name: str, c: Completion) -> list[object]:
    return [name, c.branches, c.reported, c.silent, c.targeted, c.studied,
            _pct(c.studied, c.targeted), c.not_reached, c.sessions, c.quiz_sat, c.quiz_passed]


def title_of(r: PlanReport) -> str:
    number = f" ({r.pub.number})" if r.pub.number else ""
    return f"Kết quả học tập: {r.pub.title}{number} — {r.unit.name}"


def _facts(r: PlanReport) -> list[str]:
    due = r.pub.due_on.strftime("%d/%m/%Y") if r.pub.due_on else "—"
    t = r.tree.total
    lines = [f"Hạn hoàn thành: {due}",
             f"{t.reported}/{t.branches} chi bộ đã báo cáo; {t.silent} chi bộ chưa gửi gì"
             f" ({t.members_silent} đảng viên theo đảng số)",
             f"Đảng viên thuộc diện học: {t.targeted}; đã học: {t.studied} "
             f"({_pct(t.studied, t.targeted)}); chưa được học: {t.not_reached}"]
    if r.pub.withdrawn_at is not None:
        lines.insert(0, "Kế hoạch đã được thu hồi.")
    return lines


def _quiz_rows(r: PlanReport) -> tuple[list[list[object]], list[list[object]]]:
    res, quiz = r.results, r.plan.quiz
    sat = r.tree.total.quiz_sat
    hist = [[f"{k}/{len(res.histogram) - 1}", n, _pct(n, sat)]
            for k, n in enumerate(res.histogram)]
    per_q: list[list[object]] = []
    if quiz is not None:
        for i, q in enumerate(quiz.questions):
            right = res.question_correct[i] if i < len(res.question_correct) else 0
            per_q.append([i + 1, q.text, q.correct_letter, right, _pct(right, sat)])
    return hist, per_q


def _survey_rows(r: PlanReport) -> list[list[object]]:
    out: list[list[object]] = []
    survey, present = r.plan.survey, r.tree.total.survey_present
    if survey is None:
        return out
    for i, q in enumerate(survey.questions):
        out.append([f"Câu {i + 1}", q.text, "", ""])
        if q.free_text:
            out.append(["", "(trả lời viết)", r.results.texts_count[i], ""])
        for j, choice in enumerate(q.choices):
            n = r.results.tallies[i][j] if j < len(r.results.tallies[i]) else 0
            out.append(["", f"{LETTERS[j]}. {choice}", n, _pct(n, present)])
    return out


def xlsx(r: PlanReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Hoàn thành"
    sheet.append([title_of(r)])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in _facts(r):
        sheet.append([line])
    sheet.append([])
    sheet.append(TREE_HEADER)
    for unit, c in r.tree.rows:
        sheet.append(_cells(unit.name, c))
    sheet.append(_cells(f"Toàn {r.unit.name}", r.tree.total))
    sheet.column_dimensions["A"].width = 40
    silent = book.create_sheet("Chi bộ chưa gửi gì")
    silent.append(["Chi bộ"])
    for u in r.silent:
        silent.append([u.name])
    silent.column_dimensions["A"].width = 40
    if r.plan.quiz is not None:
        hist, per_q = _quiz_rows(r)
        quiz = book.create_sheet("Trắc nghiệm")
        quiz.append(["Số câu đúng", "Số bài", "Tỷ lệ"])
        for row in hist:
            quiz.append(row)
        quiz.append([])
        quiz.append(["Câu", "Nội dung", "Đáp án đúng", "Số bài trả lời đúng", "Tỷ lệ đúng"])
        for row in per_q:
            quiz.append(row)
        quiz.column_dimensions["B"].width = 60
    if r.plan.survey is not None:
        survey = book.create_sheet("Khảo sát")
        survey.append(["Câu", "Phương án", "Số ý kiến",
                       f"Tỷ lệ trên {r.tree.total.survey_present} người dự"])
        for row in _survey_rows(r):
            survey.append(row)
        survey.column_dimensions["B"].width = 60
        texts = book.create_sheet("Ý kiến viết")
        texts.append(["Câu", "Chi bộ", "Tóm tắt ý kiến"])
        for i, found in enumerate(r.results.texts):
            for branch, text in found:
                texts.append([i + 1, branch, text])
        texts.column_dimensions["B"].width = 30
        texts.column_dimensions["C"].width = 80
    if r.plan.contest:
        named = book.create_sheet("Kết quả cá nhân")
        named.append([NOT_CONFIRMED])
        named.append(["Họ và tên", "Chi bộ", "Số câu đúng", "Số câu"])
        for person in r.results.named:
            named.append(list(person))
        named.column_dimensions["A"].width = 30
        named.column_dimensions["B"].width = 30
    keep_as_text(book)    # names and texts pushed by PCs never become formulas
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(r: PlanReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    register_fonts()
    title = ParagraphStyle("t", fontName=f"{SERIF}-Bold", fontSize=15, leading=20,
                           alignment=1, spaceAfter=6)
    head = ParagraphStyle("h", fontName=f"{SERIF}-Bold", fontSize=13, leading=17,
                          spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=SERIF, fontSize=12, leading=16)
    cell = ParagraphStyle("c", fontName=SERIF, fontSize=10, leading=12)
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), SERIF, 10), ("FONT", (0, 0), (-1, 0), f"{SERIF}-Bold", 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ])

    def table(rows: list[list[object]], widths: list[float], wrap: int = 0) -> Table:
        """Heading row and the ``wrap`` column as paragraphs (they wrap in their width)."""
        data = [[Paragraph(_esc(str(c)), cell) if j == wrap or i == 0 else str(c)
                 for j, c in enumerate(row)] for i, row in enumerate(rows)]
        found = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
        found.setStyle(style)
        return found

    story: list[object] = [Paragraph(_esc(title_of(r)), title)]
    story += [Paragraph(_esc(line), body) for line in _facts(r)]
    story.append(Paragraph("Hoàn thành theo đơn vị", head))
    rows: list[list[object]] = [list(TREE_HEADER), *[_cells(u.name, c) for u, c in r.tree.rows],
                                _cells(f"Toàn {r.unit.name}", r.tree.total)]
    story.append(table(rows, [60, 22, 20, 20, 26, 18, 16, 22, 18, 24, 18]))
    if r.plan.quiz is not None:
        hist, per_q = _quiz_rows(r)
        story.append(Paragraph("Trắc nghiệm: số bài theo số câu đúng", head))
        story.append(table([["Số câu đúng", "Số bài", "Tỷ lệ"], *hist], [30, 25, 25]))
        story.append(Paragraph("Tỷ lệ trả lời đúng từng câu", head))
        story.append(table([["Câu", "Nội dung", "Đáp án", "Số bài đúng", "Tỷ lệ"], *per_q],
                           [14, 150, 18, 28, 20], wrap=1))
    if r.plan.survey is not None:
        story.append(Paragraph("Khảo sát ý kiến: tổng hợp", head))
        story.append(table([["Câu", "Phương án", "Số ý kiến", "Tỷ lệ"], *_survey_rows(r)],
                           [18, 170, 25, 25], wrap=1))
    if r.plan.contest and r.results.named:
        story.append(Paragraph("Kết quả cá nhân (hội thi)", head))
        story.append(Paragraph(_esc(NOT_CONFIRMED), body))
        named: list[list[object]] = [["Họ và tên", "Chi bộ", "Số câu đúng", "Số câu"]]
        named += [list(p) for p in r.results.named]
        story.append(table(named, [70, 90, 30, 25]))
    if r.silent:
        story.append(Paragraph(f"Chi bộ chưa gửi gì ({len(r.silent)})", head))
        story.append(Paragraph(_esc("; ".join(u.name for u in r.silent)), body))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm,
                      title=title_of(r)).build(story)  # type: ignore[arg-type]
    return out.getvalue()


def _esc(text: str) -> str:
    """Text for a reportlab Paragraph (its mini-markup): &, <, > escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
