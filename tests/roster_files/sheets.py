"""Workbooks typed in Excel, written cell by cell with openpyxl: merged title rows, two-row
headers, column-index and totals rows, signature blocks, and the official Mẫu 7-HSĐV."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from tests.roster_files.members import (
    MAU7_HEADINGS,
    MAU7_ROWS,
    MEMBERS,
    PHONES,
    SIGNERS,
    typed_birth,
    vn_date,
)

# --- a list typed in Excel: title rows, two-row header, column numbers, totals, signatures --


def office_xlsx(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "DS dang vien"
    sheet["A1"] = "ĐẢNG BỘ XÃ TÂN LẬP"
    sheet["F1"] = "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet["A2"] = "CHI BỘ THÔN THƯỢNG"
    sheet["F2"] = "Tân Lập, ngày 20 tháng 11 năm 2026"
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("F1:I1")
    sheet.merge_cells("A2:C2")
    sheet.merge_cells("F2:I2")
    sheet["A4"] = "DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN THƯỢNG"
    sheet["A4"].font = Font(bold=True, size=14)
    sheet.merge_cells("A4:I4")
    sheet["A5"] = "(Tính đến ngày 20/11/2026)"
    sheet.merge_cells("A5:I5")
    # two header rows: 6 and 7
    top = ["Số TT", "Họ tên", "Ngày sinh", "Giới tính", "Số thẻ ĐV", "Ngày tháng năm", None,
           "ĐT liên lạc", "Ghi chú"]
    for col, text in enumerate(top, start=1):
        if text:
            sheet.cell(6, col, text).alignment = Alignment(wrap_text=True, horizontal="center")
    sheet.cell(7, 6, "Vào Đảng")
    sheet.cell(7, 7, "Chính thức")
    for col in (1, 2, 3, 4, 5, 8, 9):
        sheet.merge_cells(start_row=6, start_column=col, end_row=7, end_column=col)
    sheet.merge_cells("F6:G6")
    for col in range(1, 10):                         # the column-index row
        sheet.cell(8, col, col)
    row = 9
    for i, (name, _born, gender, card, admitted, official, _home) in enumerate(MEMBERS):
        if i == 11:
            sheet.cell(row, 1, "Đảng viên dự bị")    # a section caption inside the table
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=9)
            row += 1
        sheet.cell(row, 1, i + 1)
        sheet.cell(row, 2, name)
        sheet.cell(row, 3, typed_birth(i))
        if isinstance(typed_birth(i), dt.datetime):
            sheet.cell(row, 3).number_format = "dd/mm/yyyy"
        sheet.cell(row, 4, gender)
        if i % 3 == 0:                 # typed as a number, shown with its leading zeros
            sheet.cell(row, 5, int(card)).number_format = "00000000"
        else:                          # typed as text ('01234567)
            sheet.cell(row, 5, card)
        if i % 2 == 0 and admitted:
            sheet.cell(row, 6, dt.datetime.combine(admitted, dt.time()))
            sheet.cell(row, 6).number_format = "dd/mm/yyyy"
        else:
            sheet.cell(row, 6, vn_date(admitted))
        sheet.cell(row, 7, vn_date(official))
        sheet.cell(row, 8, PHONES[i])
        if i == 0:
            sheet.cell(row, 9, "Bí thư chi bộ")         # a member's role, not a signature
        row += 1
    sheet.cell(row, 1, "Tổng số: 13 đồng chí")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    row += 1
    sheet.cell(row, 1, "Ghi chú: đồng chí Lý Thị Ngọc Ánh là đảng viên dự bị")
    row += 2
    sheet.cell(row, 6, "Tân Lập, ngày 20 tháng 11 năm 2026")
    row += 1
    sheet.cell(row, 2, "NGƯỜI LẬP BIỂU")
    sheet.cell(row, 6, "T/M CHI BỘ")
    row += 1
    sheet.cell(row, 6, "BÍ THƯ")
    row += 1
    sheet.cell(row, 2, "(Đã ký)")
    sheet.cell(row, 6, "(Đã ký)")
    row += 3
    sheet.cell(row, 2, SIGNERS[0])     # the maker's name, in the name column
    sheet.cell(row, 5, SIGNERS[1])     # the secretary's name, in the card column
    sheet.merge_cells(start_row=row, start_column=5, end_row=row, end_column=7)
    book.save(path)
    return path


def wrong_dimension(source: Path, path: Path, ref: str = "A1:C3") -> Path:
    """The same workbook with a <dimension> that claims three rows, as some tools write."""
    import re

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(),
                              data)
            out.writestr(info, data)
    return path


# --- another office: the name in two columns, the birth date under "Nam" or "Nữ" -----------


def split_name_xlsx(path: Path) -> Path:
    """"Họ và tên" merged over two columns (family and middle names | given name), "Ngày
    sinh" over "Nam" and "Nữ" (the date written in the member's column), "Ngày vào Đảng" over
    "Dự bị" and "Chính thức", two-digit years, and a closing line without a totals word."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "ĐẢNG BỘ XÃ TÂN LẬP"
    sheet["A2"] = "CHI BỘ THÔN THƯỢNG"
    sheet["A3"] = "DANH SÁCH TRÍCH NGANG ĐẢNG VIÊN"
    sheet.merge_cells("A3:H3")
    for col, text in ((1, "TT"), (2, "Họ và tên"), (4, "Ngày sinh"), (6, "Ngày vào Đảng"),
                      (8, "Số thẻ Đảng")):
        sheet.cell(5, col, text)
    for col, text in ((4, "Nam"), (5, "Nữ"), (6, "Dự bị"), (7, "Chính thức")):
        sheet.cell(6, col, text)
    sheet.merge_cells("A5:A6")
    sheet.merge_cells("B5:C6")
    sheet.merge_cells("D5:E5")
    sheet.merge_cells("F5:G5")
    sheet.merge_cells("H5:H6")
    for i, (name, born, gender, card, admitted, official, _home) in enumerate(MEMBERS):
        row = 7 + i
        family, given = name.rsplit(" ", 1)
        sheet.cell(row, 1, f"{i + 1}.")
        sheet.cell(row, 2, family)
        sheet.cell(row, 3, given)
        typed = born.strftime("%d/%m/%y") if i % 2 else born.strftime("%d/%m/%Y")
        sheet.cell(row, 4 if gender == "Nam" else 5, typed)
        sheet.cell(row, 6, vn_date(admitted))
        sheet.cell(row, 7, vn_date(official))
        sheet.cell(row, 8, card)
    row = 7 + len(MEMBERS) + 1
    sheet.cell(row, 2, "Danh sách có 13 đồng chí./.")
    sheet.cell(row + 2, 6, "CHI ỦY CHI BỘ")
    sheet.cell(row + 5, 6, SIGNERS[1])
    book.save(path)
    return path


# --- the official Mẫu 7-HSĐV layout: several values in one cell, one per line --------------


def mau7_xlsx(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Mau 7-HSDV"
    sheet["A1"] = "ĐẢNG BỘ XÃ TÂN LẬP"
    sheet["A2"] = "CHI BỘ THÔN THƯỢNG"
    sheet["H1"] = "Mẫu 7-HSĐV"
    sheet["A4"] = "SỔ DANH SÁCH ĐẢNG VIÊN"
    sheet.merge_cells("A4:N4")
    for col, text in enumerate(MAU7_HEADINGS, start=1):
        sheet.cell(6, col, text).alignment = Alignment(wrap_text=True)
        sheet.cell(7, col, f"({col})")
    for i, m in enumerate(MAU7_ROWS, start=1):
        row = 7 + i
        values = [
            i, "\n".join(x for x in (m["name"], m["birth_name"]) if x),
            f"{m['gender']}\n{m['ethnicity']}\n{m['religion']}", "Tân Lập, Hưng Yên",
            "\n".join(m["education"]), "Làm ruộng\nLàm ruộng",
            f"{vn_date(m['admitted'])}\n{vn_date(m['official'])}",
            "\n".join((m["card"], m["record"], m["badge"])).rstrip("\n"), "", "", "",
            vn_date(m.get("deceased")), m.get("left", ""), "",
        ]
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(13, 9, "Ngày 20 tháng 11 năm 2026")
    sheet.cell(14, 9, "T/M CHI ỦY")
    sheet.cell(15, 9, "BÍ THƯ")
    sheet.cell(18, 9, SIGNERS[1])
    book.save(path)
    return path
