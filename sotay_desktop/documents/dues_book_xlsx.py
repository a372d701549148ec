"""The year's dues book as an XLSX sheet: the same table as the PDF (``dues_print``), with
amounts as numbers (the sheet shows the reader's thousands separator), the heading rows
repeated on every printed page, A4 landscape fitted to the page's width. Values, never
formulas: the footer's figures are the book's totals, which equal the columns' sums."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from sotay_core.domain.dues import PaymentChannel
from sotay_core.domain.dues_book import DuesBook, channel_total
from sotay_core.domain.spreadsheet import keep_as_text
from sotay_core.domain.text import nfc
from sotay_desktop.documents.dues_paper import (
    EXEMPT,
    HEADINGS,
    LEGEND,
    MONTHS_HEADING,
    PARTY,
    PORTAL_MARK,
    TITLE,
    TOTAL_HEADING,
    UNPAID,
    BookHeader,
    Mark,
    as_of,
    flagged_lines,
    footer_values,
    mark,
    usual_due,
)
from sotay_desktop.documents.vn_money import amount_in_words, vnd_d

SERIF = "Times New Roman"
MONEY = "#,##0"
MONEY_OR_BLANK = '#,##0;-#,##0;""'    # a month with nothing collected shows blank, as in the PDF
HEAD_ROW = 7           # the two heading rows: 7 and 8
COLUMNS = 16           # STT, name, due, T1–T12, total
GREY = "D9D9D9"


def _put(sheet: Any, ref: str, value: str, *, size: int = 12, bold: bool = False,
         italic: bool = False, underline: bool = False, merge: str = "",
         align: str = "center") -> None:
    from openpyxl.styles import Alignment, Font

    sheet[ref] = nfc(value)
    sheet[ref].font = Font(name=SERIF, size=size, bold=bold, italic=italic,
                           underline="single" if underline else None)
    sheet[ref].alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if merge:
        sheet.merge_cells(f"{ref}:{merge}")


def render_book_xlsx(book: DuesBook, *, header: BookHeader) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Đảng phí {book.year}"
    _put(sheet, "A1", header.superior.upper(), merge="E1")
    _put(sheet, "A2", header.branch.upper(), bold=True, merge="E2")
    _put(sheet, "A3", "*", merge="E3")
    _put(sheet, "H1", PARTY, bold=True, underline=True, size=13, merge="P1")
    _put(sheet, "H2", header.date_line, italic=True, merge="P2")
    _put(sheet, "A4", TITLE, bold=True, size=15, merge="P4")
    _put(sheet, "A5", f"Năm {book.year}", bold=True, size=13, merge="P5")
    if as_of(book):
        _put(sheet, "A6", as_of(book), italic=True, merge="P6")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor=GREY)
    bold, plain, italic = (Font(name=SERIF, size=11, bold=True), Font(name=SERIF, size=11),
                           Font(name=SERIF, size=10, italic=True))
    heads = [*HEADINGS, MONTHS_HEADING, *([""] * 11), TOTAL_HEADING]
    months = ["", "", "", *(f"T{month.month}" for month in book.months), ""]
    for column in range(1, COLUMNS + 1):
        for row, texts in ((HEAD_ROW, heads), (HEAD_ROW + 1, months)):
            cell = sheet.cell(row=row, column=column, value=texts[column - 1] or None)
            cell.font, cell.border = bold, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column in (1, 2, 3, COLUMNS):
        letter = get_column_letter(column)
        sheet.merge_cells(f"{letter}{HEAD_ROW}:{letter}{HEAD_ROW + 1}")
    sheet.merge_cells(f"D{HEAD_ROW}:O{HEAD_ROW}")

    def put(row: int, column: int, value: Any, font: Any = plain) -> Any:
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font, cell.border = font, border
        if isinstance(value, int):
            cell.number_format = MONEY
        return cell

    row = HEAD_ROW + 1
    for number, line in enumerate(book.lines, start=1):
        row += 1
        put(row, 1, number).alignment = Alignment(horizontal="center")
        put(row, 2, nfc(line.name)).alignment = Alignment(wrap_text=True, vertical="top")
        due = usual_due(book, line)
        put(row, 3, due if due is not None else (
            EXEMPT if any(cell.member for cell in line.cells) else None),
            ).alignment = Alignment(horizontal="right" if due is not None else "center")
        for column, book_cell in enumerate(line.cells, start=4):
            kind = mark(line, book_cell)
            if kind is Mark.PAID:
                target = put(row, column, book_cell.paid)
                payment = book_cell.payment
                if payment is not None and payment.channel is PaymentChannel.PORTAL:
                    target.number_format = f'{MONEY}"{PORTAL_MARK}"'
            elif kind in (Mark.EXEMPT, Mark.UNPAID):
                target = put(row, column, EXEMPT if kind is Mark.EXEMPT else UNPAID, italic)
                target.alignment = Alignment(horizontal="center")
            else:
                target = put(row, column, None)
                if kind is Mark.OUTSIDE:
                    target.fill = grey
        put(row, COLUMNS, line.paid_total)
    first_footer = row + 1
    for label, figures, total in footer_values(book):
        row += 1
        put(row, 1, None)
        put(row, 2, label, bold)
        put(row, 3, None)
        for column, figure in enumerate(figures, start=4):
            put(row, column, figure, bold).number_format = MONEY_OR_BLANK
        put(row, COLUMNS, total, bold)
    above = Border(left=thin, right=thin, top=Side(style="medium"), bottom=thin)
    for column in range(1, COLUMNS + 1):
        sheet.cell(row=first_footer, column=column).border = above
    lines = [
        LEGEND,
        f"Tổng số thu năm {book.year}: {vnd_d(book.collected)} (bằng chữ: "
        f"{amount_in_words(book.collected)}); chi bộ được giữ lại: {vnd_d(book.retained)}; "
        f"nộp cấp trên: {vnd_d(book.sent_up)}.",
        f"Trong đó tiền mặt: {vnd_d(channel_total(book, PaymentChannel.CASH))}; qua Cổng "
        f"Dịch vụ công quốc gia: {vnd_d(channel_total(book, PaymentChannel.PORTAL))}.",
        *flagged_lines(book),
    ]
    row += 1
    for text in lines:
        row += 1
        _put(sheet, f"A{row}", text, size=11, align="left", merge=f"P{row}",
             italic=text == LEGEND)
        sheet.row_dimensions[row].height = 30 if len(text) > 150 else 16
    row += 2
    _put(sheet, f"B{row}", "NGƯỜI THU", bold=True, merge=f"D{row}")
    _put(sheet, f"J{row}", "BÍ THƯ CHI BỘ", bold=True, merge=f"P{row}")
    _put(sheet, f"B{row + 1}", "(Ký, ghi rõ họ tên)", italic=True, size=11, merge=f"D{row + 1}")
    _put(sheet, f"J{row + 1}", "(Ký, ghi rõ họ tên)", italic=True, size=11,
         merge=f"P{row + 1}")
    _put(sheet, f"B{row + 5}", header.treasurer, bold=True, merge=f"D{row + 5}")
    _put(sheet, f"J{row + 5}", header.secretary, bold=True, merge=f"P{row + 5}")
    for column, width in enumerate((5, 26, 9, *([9] * 12), 11), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[HEAD_ROW].height = 30
    sheet.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW + 1}"
    sheet.freeze_panes = f"C{HEAD_ROW + 2}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if sheet.oddFooter is not None:
        sheet.oddFooter.center.text = "Trang &P/&N"
    keep_as_text(workbook)   # a name like "=HYPERLINK(…)" opens as text, never as a formula
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_book_xlsx(book: DuesBook, *, header: BookHeader, path: Path) -> None:
    path.write_bytes(render_book_xlsx(book, header=header))
