"""The roster book (Sổ danh sách đảng viên, Mẫu 7-HSĐV) as an XLSX file: data in, bytes out."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sotay_core.domain.spreadsheet import keep_as_text

HEADINGS = (
    "STT",
    "Họ và tên đang dùng\nHọ và tên khai sinh",
    "Giới tính\nNgày sinh\nDân tộc\nTôn giáo",
    "Quê quán",
    "Trình độ: giáo dục phổ thông, chuyên môn, lý luận chính trị, ngoại ngữ",
    "Nghề nghiệp khi vào Đảng\nNghề nghiệp hiện nay",
    "Ngày vào Đảng\nNgày chính thức",
    "Số thẻ đảng viên\nSố lý lịch\nSố huy hiệu",
    "Quân đội, công an, nghỉ hưu",
    "Ngày chuyển đi",
    "Ngày chuyển đến, từ đâu đến",
    "Ngày từ trần",
    "Ngày và hình thức ra khỏi Đảng",
    "Ghi chú",
)


@dataclass(frozen=True, slots=True)
class RosterLine:
    full_name: str
    birth_name: str
    gender: str
    ethnicity: str
    religion: str
    hometown: str
    education: str
    occupation_before: str
    occupation_now: str
    admitted_on: dt.date | None
    official_on: dt.date | None
    card_number: str
    record_number: str
    badge_numbers: str
    service_background: str
    transferred_out_on: dt.date | None
    transferred_in: str
    deceased_on: dt.date | None
    left: str
    notes: str
    date_of_birth: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RosterBook:
    superior: str          # ĐẢNG BỘ XÃ …
    branch: str            # CHI BỘ …
    made_on: dt.date
    lines: Sequence[RosterLine]


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _join(*parts: str) -> str:
    """Values one per line, each on its own line of the cell as on the paper form: an empty
    value keeps its line (only trailing ones are dropped), so the cell reads back in order."""
    return "\n".join(parts).rstrip("\n")


def render_roster_xlsx(book: RosterBook) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Mẫu 7-HSĐV"
    serif = "Times New Roman"
    sheet["A1"] = book.superior.upper()
    sheet["A2"] = book.branch.upper()
    sheet["A2"].font = Font(name=serif, bold=True, size=12)
    sheet["A1"].font = Font(name=serif, size=12)
    sheet["J1"] = "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet["J1"].font = Font(name=serif, bold=True, size=12)
    sheet["A4"] = "SỔ DANH SÁCH ĐẢNG VIÊN"
    sheet["A4"].font = Font(name=serif, bold=True, size=14)
    sheet.merge_cells("A4:N4")
    sheet["A4"].alignment = Alignment(horizontal="center")
    sheet["A5"] = f"Lập ngày {_d(book.made_on)}"
    sheet["A5"].font = Font(name=serif, italic=True, size=11)
    sheet.merge_cells("A5:N5")
    sheet["A5"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_row = 7
    for column, heading in enumerate(HEADINGS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=heading)
        cell.font = Font(name=serif, bold=True, size=10)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.cell(row=header_row + 1, column=column, value=column).alignment = Alignment(
            horizontal="center")
        sheet.cell(row=header_row + 1, column=column).border = border
    for number, line in enumerate(book.lines, start=1):
        values: tuple[int | str, ...] = (
            number,
            _join(line.full_name, line.birth_name if line.birth_name != line.full_name else ""),
            _join(line.gender, _d(line.date_of_birth), line.ethnicity, line.religion),
            line.hometown,
            line.education,
            _join(line.occupation_before, line.occupation_now),
            _join(_d(line.admitted_on), _d(line.official_on)),
            _join(line.card_number, line.record_number, line.badge_numbers),
            line.service_background,
            _d(line.transferred_out_on),
            line.transferred_in,
            _d(line.deceased_on),
            line.left,
            line.notes,
        )
        row = header_row + 1 + number
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font = Font(name=serif, size=10)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    widths = (5, 24, 11, 22, 22, 18, 12, 14, 12, 11, 20, 11, 18, 16)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = f"{header_row}:{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    keep_as_text(workbook)   # a name like "=HYPERLINK(…)" opens as text, never as a formula
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
