"""The province's report of dues and monthly reports (issue 19) as files, for a month or a
year: per unit below (communes, or a commune's branches) dues collected, retained and sent
up, members with 3+ unpaid months, monthly reports sent and received, meeting scores; the
year's months; every branch in a second sheet (XLSX); the 12-month chart drawn natively in
the PDF (``chart_pdf``). Official papers:
Vietnamese whatever the language of the command (like ``reports``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.spreadsheet import keep_as_text
from sync_server import chart, chart_pdf, month_queries
from sync_server.models import Unit
from sync_server.reports import SERIF, register_fonts

REPORT_VI = {"": "Chưa có", "draft": "Đang soạn", "sent": "Đã gửi, chưa nhận",
             "received": "Đã nhận"}
HEADER = ["Đơn vị", "Đảng phí đã thu (đ)", "Chi bộ giữ lại (đ)", "Nộp cấp trên (đ)",
          "Số khoản", "ĐV chưa đóng ≥ 3 tháng", "Báo cáo tháng", "Điểm sinh hoạt"]


@dataclass(frozen=True)
class Line:
    name: str
    figures: month_queries.MonthFigures
    branches: int            # branches the line covers (1 for a branch)
    level: str

    def cells(self) -> list[Any]:
        f = self.figures
        if self.level == "branch":
            report = REPORT_VI["received" if f.reports_received else f.report_status]
        elif self.level == "year":
            report = f"{f.reports_sent} báo cáo đã gửi, {f.reports_received} đã nhận"
        else:
            report = f"{f.reports_sent}/{self.branches} đã gửi, {f.reports_received} đã nhận"
        score = "" if f.score is None else f"{f.score:.0f}"
        if self.level == "branch" and f.grades:
            score += f" ({', '.join(f.grades)})"
        return [self.name, f.collected, f.retained, f.sent_up, f.payments, f.flagged, report,
                score]


@dataclass(frozen=True)
class MonthReport:
    unit: Unit
    title: str
    lines: list[Line]              # the units below (or the months of the year)
    total: Line
    branches: list[Line]           # every branch of the subtree (the XLSX's second sheet)
    points: list[month_queries.SeriesPoint]


def _branch_counts(session: Session, unit: Unit) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in session.scalars(select(Unit.path).where(
            Unit.path.startswith(unit.path, autoescape=True), Unit.level == "branch")):
        child = path[len(unit.path):len(unit.path) + month_queries.ID_LEN]
        counts[child] = counts.get(child, 0) + 1
    return counts


def _lines(session: Session, unit: Unit, year: int, month: int) -> tuple[list[Line], Line]:
    tree = month_queries.month_tree(session, unit, year, month)
    counts = _branch_counts(session, unit)
    children = {u.id: u for u in session.scalars(select(Unit).where(Unit.parent_id == unit.id))}
    lines = sorted((Line(children[key].name, figures, counts.get(key, 0), children[key].level)
                    for key, figures in tree.rows.items() if key in children),
                   key=lambda line: (line.level != "commune", line.name))
    return lines, Line(f"Toàn {unit.name}", tree.total, sum(counts.values()), unit.level)


def _all_branches(session: Session, unit: Unit, year: int, month: int) -> list[Line]:
    """Every branch of the subtree, commune by commune (a province: one query set per
    commune, so a province of 140 communes is 140 × 5 grouped queries)."""
    if unit.level == "branch":
        return []
    out: list[Line] = []
    has_branches = session.scalars(select(Unit.id).where(
        Unit.parent_id == unit.id, Unit.level == "branch")).first() is not None
    if has_branches:
        lines, _total = _lines(session, unit, year, month)
        out += [Line(f"{unit.name} / {line.name}", line.figures, 1, "branch")
                for line in lines if line.level == "branch"]
    for child in session.scalars(select(Unit).where(Unit.parent_id == unit.id,
                                                    Unit.level != "branch")
                                 .order_by(Unit.name)):
        out += _all_branches(session, child, year, month)
    return out


def month_report(session: Session, unit: Unit, year: int, month: int) -> MonthReport:
    import datetime as dt

    lines, total = _lines(session, unit, year, month)
    return MonthReport(unit, f"Đảng phí và báo cáo tháng {month:02d}/{year} — {unit.name}",
                       lines, total, _all_branches(session, unit, year, month),
                       month_queries.series(session, unit, dt.date(year, month, 1)))


def year_report(session: Session, unit: Unit, year: int) -> MonthReport:
    """The year's twelve months of ``unit``, each rolled up."""
    import datetime as dt

    counts = sum(_branch_counts(session, unit).values())
    lines = [Line(f"Tháng {m:02d}/{year}", month_queries.month_tree(session, unit, year, m).total,
                  counts, "month") for m in range(1, 13)]
    total = month_queries.MonthFigures()
    for line in lines:
        total.add(line.figures)
    total.flagged = lines[-1].figures.flagged          # the year's: as of December
    return MonthReport(unit, f"Đảng phí và báo cáo tháng năm {year} — {unit.name}", lines,
                       Line(f"Cả năm {year}", total, counts, "year"), [],
                       month_queries.series(session, unit, dt.date(year, 12, 1)))


def xlsx(report: MonthReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tổng hợp"
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADER)
    for line in [*report.lines, report.total]:
        sheet.append(line.cells())
    for col, width in zip("ABCDEFGH", (44, 20, 18, 18, 10, 22, 30, 16), strict=True):
        sheet.column_dimensions[col].width = width
    if report.branches:
        detail = book.create_sheet("Từng chi bộ")
        detail.append(HEADER)
        for line in report.branches:
            detail.append(line.cells())
        detail.column_dimensions["A"].width = 60
    months = book.create_sheet("12 tháng")
    months.append(["Tháng", "Chi bộ đã sinh hoạt", "Tỷ lệ dự họp", "Đảng phí đã thu (đ)"])
    for p in report.points:
        months.append([p.label, f"{p.held}/{p.branches}",
                       "—" if p.attendance is None else f"{100 * p.attendance:.0f} %",
                       p.collected])
    keep_as_text(book)   # names pushed by PCs never become formulas
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(report: MonthReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    title = ParagraphStyle("t", fontName=f"{SERIF}-Bold", fontSize=15, leading=20,
                           alignment=1, spaceAfter=6)
    head = ParagraphStyle("h", fontName=f"{SERIF}-Bold", fontSize=13, leading=17,
                          spaceBefore=8, spaceAfter=4)
    cell = ParagraphStyle("c", fontName=SERIF, fontSize=10, leading=12)

    def row(line: Line) -> list[Any]:
        cells = line.cells()
        return [Paragraph(str(cells[0]), cell), *(chart.money(c) if isinstance(c, int)
                                                   and i < 3 else str(c)
                                                   for i, c in enumerate(cells[1:]))]

    bold = ParagraphStyle("b", parent=cell, fontName=f"{SERIF}-Bold")
    table = Table([[Paragraph(h, bold) for h in HEADER],
                   *[row(line) for line in [*report.lines, report.total]]],
                  colWidths=[70 * mm, 30 * mm, 28 * mm, 28 * mm, 16 * mm, 24 * mm, 42 * mm,
                             22 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SERIF, 10), ("FONT", (0, 0), (-1, 0), f"{SERIF}-Bold", 10),
        ("FONT", (0, -1), (-1, -1), f"{SERIF}-Bold", 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("ALIGN", (1, 1), (5, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    width = landscape(A4)[0] - 30 * mm
    story: list[Any] = [Paragraph(report.title, title), table, Spacer(1, 6 * mm),
                        Paragraph("Mười hai tháng: sinh hoạt, dự họp, đảng phí", head),
                        chart_pdf.drawing(report.points, width, SERIF)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm, title=report.title).build(story)
    return out.getvalue()
