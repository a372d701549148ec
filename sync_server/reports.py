"""The province reports as files: party numbers (đảng số) by status, gender, age band and
ethnicity, and meetings held per month, in XLSX (openpyxl) and PDF (reportlab with the
desktop's bundled fonts, which draw Vietnamese; the base-14 fonts cannot)."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.domain.spreadsheet import keep_as_text
from sync_server.queries import MonthRow, PartyNumbers

if TYPE_CHECKING:
    from sync_server.month_queries import SeriesPoint

SERIF = "SotayReportSerif"
# The repository's bundled Tinos (metric-compatible with Times New Roman, Vietnamese
# complete), else Debian's Noto Serif; SOTAY_SERVER_FONT_DIR points elsewhere.
FONT_DIRS = [Path(__file__).resolve().parents[1] / "resources" / "fonts",
             Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/tinos")]
FONT_FILES = (("Tinos-Regular.ttf", "Tinos-Bold.ttf"), ("NotoSerif-Regular.ttf",
                                                        "NotoSerif-Bold.ttf"))


class NoFont(RuntimeError):
    """No TTF that draws Vietnamese was found for the PDF report."""


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if SERIF in pdfmetrics.getRegisteredFontNames():
        return
    dirs = ([Path(os.environ["SOTAY_SERVER_FONT_DIR"])]
            if os.environ.get("SOTAY_SERVER_FONT_DIR") else []) + FONT_DIRS
    for folder in dirs:
        for regular, bold in FONT_FILES:
            if (folder / regular).is_file() and (folder / bold).is_file():
                pdfmetrics.registerFont(TTFont(SERIF, str(folder / regular)))
                pdfmetrics.registerFont(TTFont(f"{SERIF}-Bold", str(folder / bold)))
                return
    raise NoFont("no Vietnamese TTF: set SOTAY_SERVER_FONT_DIR to a folder with "
                 "Tinos-Regular.ttf and Tinos-Bold.ttf")

STATUS_VI = {"official": "Chính thức", "probationary": "Dự bị", "exempted": "Miễn sinh hoạt",
             "away": "Chuyển sinh hoạt tạm thời đi"}
GENDER_VI = {"male": "Nam", "female": "Nữ", "": "Chưa ghi"}


def gender_label(value: str) -> str:
    return GENDER_VI.get(value, value)


def _sections(numbers: PartyNumbers) -> list[tuple[str, list[tuple[str, int]]]]:
    return [
        ("Theo tình trạng", [(STATUS_VI.get(k, k), n) for k, n in numbers.by_status]),
        ("Theo giới tính", [(gender_label(k), n) for k, n in numbers.by_gender]),
        ("Theo độ tuổi", [(f"{k} tuổi" if k != "?" else "Chưa ghi năm sinh", n)
                          for k, n in numbers.by_age]),
        ("Theo dân tộc", [(k or "Chưa ghi", n) for k, n in numbers.by_ethnicity]),
    ]


def _month_rows(rows: list[MonthRow]) -> list[list[object]]:
    out: list[list[object]] = []
    for r in rows:
        rate = f"{100 * r.present / r.marked:.0f} %" if r.marked else "—"
        out.append([f"{r.month:02d}/{r.year}", f"{r.held}/{r.branches}", rate, r.adopted])
    return out


MONTH_HEADER = ["Tháng", "Chi bộ đã sinh hoạt", "Tỷ lệ dự họp", "Nghị quyết thông qua"]


def title_of(numbers: PartyNumbers) -> str:
    return f"Đảng số của {numbers.unit.name} đến ngày {numbers.on:%d/%m/%Y}"


def xlsx(numbers: PartyNumbers, months: list[MonthRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đảng số"
    sheet.append([title_of(numbers)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổng số đảng viên", numbers.total])
    for heading, rows in _sections(numbers):
        sheet.append([])
        sheet.append([heading, "Số đảng viên"])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for label, n in rows:
            sheet.append([label, n])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 16
    meet = book.create_sheet("Sinh hoạt chi bộ")
    meet.append(MONTH_HEADER)
    for row in _month_rows(months):
        meet.append(row)
    for col, width in zip("ABCD", (12, 22, 16, 22), strict=True):
        meet.column_dimensions[col].width = width
    keep_as_text(book)   # names and labels pushed by PCs never become formulas
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(numbers: PartyNumbers, months: list[MonthRow],
        points: Sequence[SeriesPoint] = ()) -> bytes:
    """The report; with ``points``, the 12-month chart after the months' table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    title = ParagraphStyle("t", fontName=f"{SERIF}-Bold", fontSize=15, leading=20,
                           alignment=1, spaceAfter=6)
    head = ParagraphStyle("h", fontName=f"{SERIF}-Bold", fontSize=13, leading=17,
                          spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=SERIF, fontSize=13, leading=17)
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), SERIF, 12), ("FONT", (0, 0), (-1, 0), f"{SERIF}-Bold", 12),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ])
    story: list[object] = [Paragraph(title_of(numbers), title),
                           Paragraph(f"Tổng số đảng viên: <b>{numbers.total}</b>", body)]
    for heading, rows in _sections(numbers):
        story.append(Paragraph(heading, head))
        table = Table([["", "Số đảng viên"], *[[k, str(n)] for k, n in rows]],
                      colWidths=[110 * mm, 40 * mm])
        table.setStyle(style)
        story.append(table)
    story += [Spacer(1, 6 * mm), Paragraph("Sinh hoạt chi bộ theo tháng", head)]
    table = Table([MONTH_HEADER, *[[str(c) for c in r] for r in _month_rows(months)]],
                  colWidths=[30 * mm, 45 * mm, 35 * mm, 45 * mm])
    table.setStyle(style)
    story.append(table)
    if points:
        from sync_server import chart_pdf

        story += [Spacer(1, 6 * mm), Paragraph("Mười hai tháng: sinh hoạt, dự họp, đảng phí",
                                               head),
                  chart_pdf.drawing(points, A4[0] - 40 * mm, SERIF)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=15 * mm,
                      topMargin=20 * mm, bottomMargin=20 * mm,
                      title=title_of(numbers)).build(story)  # type: ignore[arg-type]
    return out.getvalue()
