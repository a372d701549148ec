"""The year's dues book (sổ thu nộp đảng phí) as a PDF: A4 landscape, the Times New
Roman-compatible serif embedded, the Party header (HD 36), one line per member with the
twelve months, the branch's totals (collected, retained, sent up), the members with 2 or 3
unpaid months, and the signatures. The table's heading repeats on every page.

The spreadsheet and the receipt slips are in ``dues_book_xlsx`` and ``dues_receipts``; they
are named here too, so the caller finds the three papers in one place.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any, Literal

from sotay_core.domain.dues import PaymentChannel
from sotay_core.domain.dues_book import DuesBook, channel_total
from sotay_core.domain.text import nfc
from sotay_desktop.documents.dues_book_xlsx import render_book_xlsx, write_book_xlsx
from sotay_desktop.documents.dues_paper import (
    HEADINGS,
    LEGEND,
    MONTHS_HEADING,
    PARTY,
    TITLE,
    TOTAL_HEADING,
    BookHeader,
    Mark,
    as_of,
    cell_text,
    due_text,
    flagged_lines,
    footer_values,
    mark,
)
from sotay_desktop.documents.dues_receipts import render_receipts_pdf, write_receipts_pdf
from sotay_desktop.documents.fonts import SERIF, register_fonts
from sotay_desktop.documents.vn_money import amount_in_words, vnd, vnd_d

__all__ = ["BookHeader", "amount_in_words", "render_book_pdf", "render_book_xlsx",
           "render_receipts_pdf", "write_book_pdf", "write_book_xlsx", "write_receipts_pdf"]

MARGIN_MM = 12          # landscape table: narrow margins all round (HD 36's are for text pages)
HEADER_PT, PARTY_PT, TITLE_PT, TEXT_PT = 13, 14, 16, 12
AMOUNT_PT = 9.5
GREY = "#d9d9d9"


def _esc(text: str) -> str:
    return html.escape(nfc(text))


def _para(text: str, size: float, *, bold: bool = False, italic: bool = False,
          underline: bool = False, align: Literal[0, 1, 2] = 1, after: float = 0) -> Any:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    markup = _esc(text)
    for on, tag in ((underline, "u"), (italic, "i"), (bold, "b")):
        if on:
            markup = f"<{tag}>{markup}</{tag}>"
    return Paragraph(markup, ParagraphStyle("x", fontName=SERIF, fontSize=size,
                                            leading=size * 1.2, alignment=align,
                                            spaceAfter=after))


def _header(header: BookHeader, width: float) -> Any:
    from reportlab.platypus import Table

    left = [_para(header.superior.upper(), HEADER_PT),
            _para(header.branch.upper(), HEADER_PT, bold=True), _para("*", HEADER_PT)]
    right = [_para(PARTY, PARTY_PT, bold=True, underline=True, after=5),
             _para(header.date_line, HEADER_PT, italic=True)]
    return Table([[left, right]], colWidths=[width * 0.42, width * 0.58],
                 style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SERIF),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


def _widths(width: float, names_pt: float) -> list[float]:
    """STT, name, due, 12 months, total: the months share what the others leave."""
    number, due, total, month = 28.0, 46.0, 60.0, 40.0
    name = max(120.0, width - number - due - total - 12 * month)
    month = (width - number - name - due - total) / 12
    return [number, name, due, *([month] * 12), total]


def _fitting_size(texts: list[str], font: str, width: float, size: float) -> float:
    """The largest size up to ``size`` (not below 6.5 pt) at which every text fits."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest = max((stringWidth(text, font, 1) for text in texts), default=0.0)
    return max(6.5, min(size, width / widest)) if widest else size


def _table(book: DuesBook, names_pt: float, width: float) -> Any:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table

    name_style = ParagraphStyle("name", fontName=SERIF, fontSize=names_pt,
                                leading=names_pt * 1.15)
    head = [_para(text, 10, bold=True) for text in HEADINGS]
    rows: list[list[Any]] = [
        [*head, _para(MONTHS_HEADING, 10, bold=True), *([""] * 11),
         _para(TOTAL_HEADING, 10, bold=True)],
        ["", "", "", *(_para(f"T{month.month}", 10, bold=True) for month in book.months), ""],
    ]
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("FONTSIZE", (0, 2), (-1, -1), AMOUNT_PT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (2, 2), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (0, -1), 2), ("RIGHTPADDING", (0, 0), (0, -1), 2),
        ("LEFTPADDING", (2, 0), (-1, -1), 2), ("RIGHTPADDING", (2, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("SPAN", (3, 0), (14, 0)),
        *(("SPAN", (col, 0), (col, 1)) for col in (0, 1, 2, 15)),
    ]
    for number, line in enumerate(book.lines, start=1):
        row = len(rows)
        cells: list[Any] = [str(number), Paragraph(_esc(line.name), name_style),
                            due_text(book, line)]
        if not cells[2][:1].isdigit():       # "Miễn": a word, centred like the months'
            style.append(("ALIGN", (2, row), (2, row), "CENTER"))
        for column, cell in enumerate(line.cells, start=3):
            kind = mark(line, cell)
            cells.append(cell_text(line, cell))
            if kind is Mark.OUTSIDE:
                style.append(("BACKGROUND", (column, row), (column, row), GREY))
            elif kind in (Mark.UNPAID, Mark.EXEMPT):
                style += [("FONTNAME", (column, row), (column, row), f"{SERIF}-Italic"),
                          ("ALIGN", (column, row), (column, row), "CENTER")]
                if kind is Mark.UNPAID:
                    style.append(("FONTSIZE", (column, row), (column, row), 8))
        cells.append(vnd(line.paid_total))
        rows.append(cells)
    first_footer = len(rows)
    widths = _widths(width, names_pt)
    footer = footer_values(book)
    month_pt = _fitting_size([vnd(f) for _, figures, _ in footer for f in figures],
                             f"{SERIF}-Bold", widths[3] - 4, AMOUNT_PT)
    total_pt = _fitting_size([vnd(total) for _, _, total in footer], f"{SERIF}-Bold",
                             widths[-1] - 4, AMOUNT_PT)
    for label, figures, total in footer:
        rows.append([_para(label, names_pt, bold=True, align=0), "", "",
                     *(vnd(figure) if figure else "" for figure in figures), vnd(total)])
        style.append(("SPAN", (0, len(rows) - 1), (2, len(rows) - 1)))
    style += [("FONTNAME", (3, first_footer), (-1, -1), f"{SERIF}-Bold"),
              ("FONTSIZE", (3, first_footer), (-2, -1), month_pt),
              ("FONTSIZE", (-1, first_footer), (-1, -1), total_pt),
              ("LINEABOVE", (0, first_footer), (-1, first_footer), 1.2, "black"),
              # the totals stay together, with the last member above them
              ("NOSPLIT", (0, max(2, first_footer - 1)), (-1, -1))]
    return Table(rows, colWidths=widths, repeatRows=2, style=style)


def _summary(book: DuesBook, header: BookHeader, width: float) -> list[Any]:
    from reportlab.platypus import KeepTogether, Spacer, Table

    lines = [
        f"Tổng số thu năm {book.year}: {vnd_d(book.collected)} "
        f"(bằng chữ: {amount_in_words(book.collected)}); chi bộ được giữ lại: "
        f"{vnd_d(book.retained)}; nộp cấp trên: {vnd_d(book.sent_up)}.",
        f"Trong đó nộp bằng tiền mặt: {vnd_d(channel_total(book, PaymentChannel.CASH))}; "
        f"nộp qua Cổng Dịch vụ công quốc gia: "
        f"{vnd_d(channel_total(book, PaymentChannel.PORTAL))}.",
        *flagged_lines(book),
    ]
    story: list[Any] = [_para(LEGEND, 10, italic=True, align=0, after=6)]
    story += [_para(text, TEXT_PT, align=0, after=3) for text in lines]

    def signer(title: str, name: str) -> list[Any]:
        return [_para(title, TEXT_PT + 1, bold=True), _para("(Ký, ghi rõ họ tên)", 11,
                                                             italic=True),
                Spacer(1, 50), _para(name, TEXT_PT + 1, bold=True)]

    signatures = Table([[signer("NGƯỜI THU", header.treasurer),
                         signer("BÍ THƯ CHI BỘ", header.secretary)]],
                       colWidths=[width / 2, width / 2],
                       style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("FONTNAME", (0, 0), (-1, -1), SERIF)])
    return [Spacer(1, 6), KeepTogether([*story, Spacer(1, 8), signatures])]


def render_book_pdf(book: DuesBook, *, header: BookHeader, names_font_size: float = 11) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    register_fonts()
    page = landscape(A4)
    margin = MARGIN_MM * mm
    width = page[0] - 2 * margin - 12          # the frame's 6 pt padding each side
    story: list[Any] = [
        _header(header, width), Spacer(1, 10),
        _para(TITLE, TITLE_PT, bold=True),
        _para(f"Năm {book.year}", TEXT_PT + 1, bold=True),
    ]
    if as_of(book):
        story.append(_para(as_of(book), TEXT_PT, italic=True))
    story += [Spacer(1, 8), _table(book, names_font_size, width),
              *_summary(book, header, width)]
    running = f"{TITLE} NĂM {book.year} – {header.branch.upper()}"

    def later_pages(canvas: Any, doc: Any) -> None:
        canvas.setFont(SERIF, 10)
        canvas.drawString(margin + 6, page[1] - margin * 0.7, nfc(running))
        canvas.drawRightString(page[0] - margin - 6, page[1] - margin * 0.7,
                               f"Trang {doc.page}")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=page, leftMargin=margin, rightMargin=margin,
                      topMargin=margin + 4, bottomMargin=margin,
                      title=f"{TITLE} năm {book.year}", author=nfc(header.branch),
                      initialFontName=SERIF, initialFontSize=TEXT_PT,
                      ).build(story, onLaterPages=later_pages)
    return buffer.getvalue()


def write_book_pdf(book: DuesBook, *, header: BookHeader, path: Path,
                   names_font_size: float = 11) -> None:
    path.write_bytes(render_book_pdf(book, header=header, names_font_size=names_font_size))
