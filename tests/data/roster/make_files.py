"""Remake the roster files under tests/data/roster the way commune offices make them.

Nothing here uses the app's own writer: the sheets are written cell by cell with openpyxl
(merged title rows, a two-row header, a column-index row, a totals row and a signature
block), the Excel 97-2003 copy is made by LibreOffice, and the CSV files are bytes as Excel
on Vietnamese Windows writes them (code page 1258 with combining tone marks, ";" and CRLF).

Run from the repository root:  .venv/bin/python tests/data/roster/make_files.py
The hostile files (zip bomb, 1 GB cell, 16,000 columns) are made by the tests in a
temporary folder with the functions at the end, not committed.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# The 13 members every "office" file holds, as they should read after import.
# (name, birth date, gender, card number, admitted, official, hometown)
MEMBERS: list[tuple[str, dt.date, str, str, dt.date | None, dt.date | None, str]] = [
    ("Nguyễn Văn Hùng", dt.date(1966, 4, 12), "Nam", "01234567", dt.date(1990, 5, 19),
     dt.date(1991, 5, 19), "Tân Lập, Hưng Yên"),
    ("Trần Thị Hoà", dt.date(1966, 4, 12), "Nữ", "00123456", dt.date(1992, 2, 3),
     dt.date(1993, 2, 3), "Tân Lập, Hưng Yên"),
    ("Lê Văn Thắng", dt.date(1966, 4, 12), "Nam", "12345678", dt.date(1988, 9, 2),
     dt.date(1989, 9, 2), "Quang Trung, Hưng Yên"),
    ("Phạm Thị Nguyệt", dt.date(1966, 4, 2), "Nữ", "00000789", dt.date(1995, 12, 22),
     dt.date(1996, 12, 22), "Tân Lập, Hưng Yên"),
    ("Đỗ Đức Mạnh", dt.date(1966, 4, 12), "Nam", "23456789", dt.date(2001, 3, 26),
     dt.date(2002, 3, 26), "Hoà Bình, Hưng Yên"),
    ("Vũ Thị Thuỷ", dt.date(1966, 4, 12), "Nữ", "03456789", dt.date(1999, 7, 1),
     dt.date(2000, 7, 1), "Tân Lập, Hưng Yên"),
    ("Hoàng Văn Dũng", dt.date(1975, 11, 30), "Nam", "34567890", dt.date(2005, 1, 9),
     dt.date(2006, 1, 9), "Tân Lập, Hưng Yên"),
    ("Ngô Thị Lệ", dt.date(1980, 1, 5), "Nữ", "45678901", dt.date(2010, 6, 15),
     dt.date(2011, 6, 15), "Tân Lập, Hưng Yên"),
    ("Bùi Quốc Việt", dt.date(1985, 8, 19), "Nam", "56789012", dt.date(2012, 10, 10),
     dt.date(2013, 10, 10), "Quang Trung, Hưng Yên"),
    ("Đặng Thị Yến", dt.date(1990, 2, 28), "Nữ", "06789012", dt.date(2015, 4, 30),
     dt.date(2016, 4, 30), "Tân Lập, Hưng Yên"),
    ("Dương Văn Khải", dt.date(1958, 6, 1), "Nam", "78901234", dt.date(1980, 2, 3),
     dt.date(1981, 2, 3), "Tân Lập, Hưng Yên"),
    ("Lý Thị Ngọc Ánh", dt.date(1995, 3, 8), "Nữ", "89012345", dt.date(2025, 9, 2), None,
     "Tân Lập, Hưng Yên"),
    ("Mai Xuân Trường", dt.date(1970, 7, 27), "Nam", "90123456", dt.date(1998, 8, 19),
     dt.date(1999, 8, 19), "Hoà Bình, Hưng Yên"),
]
# How each office typed each member's birth date and card number (the same values).
BIRTH_AS_TYPED: list[Any] = [
    "12/04/1966", "12-04-1966", "12.04.1966", "2/4/1966", dt.datetime(1966, 4, 12),
    24209,   # an Excel serial number: 12/04/1966 in a cell with the General format
]
SIGNERS = ("Trần Thị Hoa", "Nguyễn Văn Bình")   # the list's maker and the secretary
PHONES = [f"0912 345 {600 + i}" for i in range(len(MEMBERS))]   # a column we do not know


def _birth(i: int) -> Any:
    return BIRTH_AS_TYPED[i] if i < len(BIRTH_AS_TYPED) else MEMBERS[i][1].strftime("%d/%m/%Y")


def _vn(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


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
        sheet.cell(row, 3, _birth(i))
        if isinstance(_birth(i), dt.datetime):
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
            sheet.cell(row, 6, _vn(admitted))
        sheet.cell(row, 7, _vn(official))
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
        sheet.cell(row, 6, _vn(admitted))
        sheet.cell(row, 7, _vn(official))
        sheet.cell(row, 8, card)
    row = 7 + len(MEMBERS) + 1
    sheet.cell(row, 2, "Danh sách có 13 đồng chí./.")
    sheet.cell(row + 2, 6, "CHI ỦY CHI BỘ")
    sheet.cell(row + 5, 6, SIGNERS[1])
    book.save(path)
    return path


# --- the official Mẫu 7-HSĐV layout: several values in one cell, one per line --------------

MAU7_HEADINGS = (
    "Số TT", "HỌ VÀ TÊN\nHọ và tên khai sinh", "Nam, nữ, dân tộc, tôn giáo", "QUÊ QUÁN",
    "Văn hoá, lý luận, CMNV, ngoại ngữ",
    "Nghề nghiệp trước khi vào Đảng, Nghề nghiệp hiện nay",
    "Ngày vào Đảng, ngày chính thức",
    "Số thẻ đảng viên, số lý lịch đảng viên, số Huy hiệu Đảng",
    "Bộ đội, công an, hưu trí", "Ngày chuyển đi, đến đảng bộ cơ sở",
    "Ngày chuyển đến, ở đảng bộ cơ sở nào đến", "Ngày từ trần\nLý do",
    "Ngày ra khỏi Đảng, hình thức ra Đảng", "Ghi chú",
)
# name, birth name, gender, ethnicity, religion, education lines, admitted, official,
# card, record, badge, deceased, left
MAU7_ROWS: list[dict[str, Any]] = [
    {"name": "Nguyễn Văn Hùng", "birth_name": "Nguyễn Văn Hừng", "gender": "Nam",
     "ethnicity": "Kinh", "religion": "Không", "education": ("12/12", "Sơ cấp", "Kỹ sư"),
     "admitted": dt.date(1990, 5, 19), "official": dt.date(1991, 5, 19), "card": "01234567",
     "record": "HY-001", "badge": "30 năm"},
    {"name": "Trần Thị Hoà", "birth_name": "", "gender": "Nữ", "ethnicity": "Tày",
     "religion": "Phật giáo", "education": ("10/10",), "admitted": dt.date(1992, 2, 3),
     "official": dt.date(1993, 2, 3), "card": "00123456", "record": "HY-002", "badge": ""},
    {"name": "Lê Văn Thắng", "birth_name": "", "gender": "Nam", "ethnicity": "Kinh",
     "religion": "Không", "education": ("12/12", "Trung cấp"),
     "admitted": dt.date(1960, 9, 2), "official": dt.date(1961, 9, 2), "card": "12345678",
     "record": "HY-003", "badge": "60 năm", "deceased": dt.date(2024, 3, 1)},
    {"name": "Phạm Thị Nguyệt", "birth_name": "", "gender": "Nữ", "ethnicity": "Kinh",
     "religion": "Công giáo", "education": ("9/12",), "admitted": dt.date(1995, 12, 22),
     "official": dt.date(1996, 12, 22), "card": "00000789", "record": "HY-004", "badge": "",
     "left": "15/06/2020 – xoá tên"},
]


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
            f"{_vn(m['admitted'])}\n{_vn(m['official'])}",
            "\n".join((m["card"], m["record"], m["badge"])).rstrip("\n"), "", "", "",
            _vn(m.get("deceased")), m.get("left", ""), "",
        ]
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(13, 9, "Ngày 20 tháng 11 năm 2026")
    sheet.cell(14, 9, "T/M CHI ỦY")
    sheet.cell(15, 9, "BÍ THƯ")
    sheet.cell(18, 9, SIGNERS[1])
    book.save(path)
    return path


# --- Excel 97-2003 (.xls), made by LibreOffice from the office list ---------------------------


def xls_from(source: Path, path: Path, kind: str = "xls") -> Path:
    """``source`` saved by LibreOffice as ``kind`` (xls: Excel 97-2003; xlsx: shared strings
    and number formats as a spreadsheet program writes them, unlike openpyxl's inline text)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to make the .xls file")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", kind, "--outdir", str(out), str(source)],
                       check=True, capture_output=True, timeout=180)
        shutil.copyfile(out / f"{source.stem}.{kind}", path)
    return path


# --- CSV as Excel on Vietnamese Windows saves it ---------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Code page 1258 keeps â ê ô ơ ư ă đ whole and writes the tone as a combining mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(p for p in parts if p in _TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def csv_text(sep: str) -> str:
    lines = ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN THƯỢNG" + sep * 6,
             sep.join(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số thẻ đảng viên",
                       "Ngày vào Đảng", "Ngày chính thức"])]
    for i, (name, born, gender, card, admitted, official, _home) in enumerate(MEMBERS):
        typed = _birth(i)
        if not isinstance(typed, str):
            typed = born.strftime("%d/%m/%Y")
        lines.append(sep.join([str(i + 1), name, typed, gender, card, _vn(admitted),
                               _vn(official)]))
    lines.append(sep.join(["Tổng số: 13 đồng chí", "", "", "", "", "", ""]))
    lines.append(sep.join(["", "", "", "", "T/M CHI BỘ", "", ""]))
    lines.append(sep.join(["", "", "", "", "BÍ THƯ", "", ""]))
    lines.append(sep.join(["", "", "", "", SIGNERS[1], "", ""]))
    return "\r\n".join(lines) + "\r\n"


# --- an ".xls" exported by web software: an HTML table ------------------------------------


def html_xls(path: Path) -> Path:
    """What "Xuất Excel" of many web systems saves: HTML with a title table, then the list
    with rowspan/colspan headings, named .xls (Excel opens it with a warning)."""
    from html import escape

    out = ['<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>',
           '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>',
           '<table><tr><td colspan="7"><b>DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN THƯỢNG</b></td></tr>'
           '</table>', '<table border="1">',
           '<tr><th rowspan="2">STT</th><th rowspan="2">Họ và tên</th><th rowspan="2">'
           'Ngày sinh</th><th rowspan="2">Giới tính</th><th colspan="2">Ngày vào Đảng</th>'
           '<th rowspan="2">Số thẻ đảng viên</th></tr>',
           "<tr><th>Dự bị</th><th>Chính thức</th></tr>"]
    for i, (name, born, gender, card, admitted, official, _home) in enumerate(MEMBERS):
        cells = [str(i + 1), escape(name), born.strftime("%d/%m/%Y"), gender, _vn(admitted),
                 _vn(official), card]
        out.append("<tr>" + "".join(f'<td style="mso-number-format:\\@">{c}</td>'
                                    for c in cells) + "</tr>")
    out.append('<tr><td colspan="7">Tổng số: 13 đồng chí</td></tr></table>')
    out.append(f"<p>T/M CHI BỘ<br>BÍ THƯ<br><br>{SIGNERS[1]}</p></body></html>")
    path.write_text("\r\n".join(out), encoding="utf-8")
    return path


# --- hostile files (made by the tests in a temporary folder) ---------------------------------


def zip_bomb_xlsx(path: Path, size: int = 1024 ** 3) -> Path:
    """An XLSX whose sheet unpacks to ``size`` bytes (a few MB on disk)."""
    source = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Họ và tên", "Ngày sinh"])  # type: ignore[union-attr]
    book.save(source)
    source.seek(0)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
                    head = src.read(info).split(b"</sheetData>")[0]
                    handle.write(head)
                    chunk = b"<!-- " + b"a" * (1024 * 1024 - 9) + b" -->"
                    for _ in range(size // len(chunk)):
                        handle.write(chunk)
                    handle.write(b"</sheetData></worksheet>")
            else:
                out.writestr(info, src.read(info))
    return path


def huge_cell_xlsx(path: Path, size: int = 1024 ** 3) -> Path:
    """One shared string of ``size`` characters in an otherwise ordinary roster."""
    return _strings_bomb(path, size)


def _strings_bomb(path: Path, size: int) -> Path:
    source = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Ghi chú"])
    sheet.append(["Nguyễn Văn Hùng", "x"])
    book.save(source)
    source.seek(0)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if b"<t>x</t>" not in data:   # the cell's text: in sharedStrings.xml or inline
                out.writestr(info, data)
                continue
            head, _, tail = data.partition(b"<t>x</t>")
            with out.open(info.filename, "w", force_zip64=True) as handle:
                handle.write(head + b"<t>")
                block = b"A" * (1024 * 1024)
                for _ in range(size // len(block)):
                    handle.write(block)
                handle.write(b"</t>" + tail)
    return path


def wide_xlsx(path: Path, columns: int = 16_000) -> Path:
    """A sheet 16,000 columns wide, written as streaming XML (openpyxl write-only)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Họ và tên", *[f"Cột {i}" for i in range(columns)]])
    sheet.append(["Nguyễn Văn Hùng", *range(columns)])
    book.save(path)
    return path


def huge_cell_csv(path: Path, size: int = 1024 ** 3) -> Path:
    """A CSV whose one cell is ``size`` bytes, written sparsely (no disk used for the hole)."""
    with open(path, "wb") as handle:
        handle.write("Họ và tên;Ghi chú\r\nNguyễn Văn Hùng;".encode())
        handle.seek(size, 1)
        handle.write(b"x\r\n")
    return path


def docx_bomb(path: Path, size: int = 1024 ** 3) -> Path:
    """A DOCX whose word/document.xml unpacks to ``size`` bytes."""
    import docx

    source = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Nghị quyết chi bộ")
    document.save(source)
    source.seek(0)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                out.writestr(info, data)
                continue
            head, _, tail = data.partition(b"</w:body>")
            with out.open(info.filename, "w", force_zip64=True) as handle:
                handle.write(head)
                chunk = b"<!-- " + b"a" * (1024 * 1024 - 9) + b" -->"
                for _ in range(size // len(chunk)):
                    handle.write(chunk)
                handle.write(b"</w:body>" + tail)
    return path


def pdf_bomb(path: Path, size: int = 1024 ** 3, pages: int = 1,
             line: bytes = b"BT /F1 12 Tf 72 712 Td (Nghi quyet) Tj ET\n") -> Path:
    """A PDF whose page content streams inflate to ``size`` bytes of ``line`` each."""
    import zlib

    compressor = zlib.compressobj(9)
    line = line * 1024
    stream = bytearray()
    for _ in range(size // len(line)):
        stream += compressor.compress(line)
    stream += compressor.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    font = 3 + 2 * pages
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
                       f"{4 + 2 * i} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                       + bytes(stream) + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def main() -> None:
    office = office_xlsx(HERE / "thon_thuong_excel.xlsx")
    wrong_dimension(office, HERE / "thon_thuong_dimension_sai.xlsx")
    mau7_xlsx(HERE / "mau7_hsdv.xlsx")
    split_name_xlsx(HERE / "ho_ten_tach_cot.xlsx")
    html_xls(HERE / "xuat_tu_phan_mem_web.xls")
    xls_from(office, HERE / "thon_thuong_excel2003.xls")
    xls_from(office, HERE / "thon_thuong_libreoffice.xlsx", "xlsx")
    (HERE / "thon_thuong_cp1258.csv").write_bytes(to_cp1258(csv_text(";")))
    (HERE / "thon_thuong_utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" +
                                                     csv_text(",").encode("utf-8"))
    (HERE / "thon_thuong_utf8.csv").write_bytes(csv_text(";").encode("utf-8"))
    print("\n".join(sorted(p.name for p in HERE.iterdir() if p.suffix != ".py")),
          file=sys.stderr)


if __name__ == "__main__":
    main()
