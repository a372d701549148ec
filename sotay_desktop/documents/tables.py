"""Reading a roster table from XLSX or CSV into rows of text keyed by our field names.

Headers are recognised by their folded Vietnamese wording ("Họ và tên", "Ngày
vào Đảng" …) or by our own field names; unknown columns are ignored and
reported. Dates stay as the spreadsheet gives them (date or text) for the
validation to judge.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sotay_desktop.domain.errors import DomainError
from sotay_desktop.domain.text import fold

MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 15

# folded header text -> field name
HEADERS: dict[str, str] = {
    "ho va ten": "full_name", "ho ten": "full_name", "ho va ten dang dung": "full_name",
    "ho ten khai sinh": "birth_name", "bi danh": "alias",
    "gioi tinh": "gender", "ngay sinh": "date_of_birth", "ngay thang nam sinh": "date_of_birth",
    "noi sinh": "place_of_birth", "que quan": "hometown",
    "noi o": "residence", "noi o hien nay": "residence", "cho o hien nay": "residence",
    "dia chi": "residence", "dan toc": "ethnicity", "ton giao": "religion",
    "giao duc pho thong": "education_general", "trinh do van hoa": "education_general",
    "chuyen mon": "education_professional", "chuyen mon nghiep vu": "education_professional",
    "ly luan chinh tri": "political_theory", "ngoai ngu": "languages",
    "nghe nghiep khi vao dang": "occupation_before", "nghe nghiep": "occupation_now",
    "nghe nghiep hien nay": "occupation_now",
    "ngay vao dang": "admitted_on", "ngay ket nap": "admitted_on",
    "ngay chinh thuc": "official_on", "ngay cong nhan chinh thuc": "official_on",
    "so the": "card_number", "so the dang vien": "card_number",
    "so ly lich": "record_number", "so huy hieu": "badge_numbers",
    "dien thoai": "phone", "so dien thoai": "phone", "ghi chu": "notes",
}


@dataclass(frozen=True, slots=True)
class TableRows:
    rows: list[tuple[int, dict[str, Any]]]   # (line number in the file, values)
    ignored_columns: list[str]


def _field_for(header: Any) -> str | None:
    if header is None:
        return None
    text = str(header).strip()
    if text in HEADERS.values():
        return text
    return HEADERS.get(fold(text))


def _from_grid(grid: list[list[Any]], name: str) -> TableRows:
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        fields = [_field_for(cell) for cell in row]
        if "full_name" in fields:
            ignored = [str(cell) for cell, field in zip(row, fields, strict=True)
                       if field is None and cell not in (None, "")]
            rows = []
            for offset, values in enumerate(grid[index + 1:], start=index + 2):
                data = {f: v for f, v in zip(fields, values, strict=False)
                        if f is not None and v not in (None, "")}
                if data:
                    rows.append((offset, data))
            if len(rows) > MAX_ROWS:
                raise DomainError("import_too_many_rows", limit=MAX_ROWS)
            return TableRows(rows, ignored)
    raise DomainError("import_no_header", name=name)


def read_table(path: Path) -> TableRows:
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _from_grid(_xlsx_grid(path), path.name)
    return _from_grid(_csv_grid(path.read_bytes(), path.name), path.name)


def _xlsx_grid(path: Path) -> list[list[Any]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DomainError("import_unreadable", name=path.name, detail=type(exc).__name__) from exc
    except Exception as exc:  # broken XML inside the package
        raise DomainError("import_unreadable", name=path.name, detail=type(exc).__name__) from exc
    try:
        sheet = book.worksheets[0]
        grid = []
        for row in sheet.iter_rows(values_only=True):
            grid.append([_cell(v) for v in row])
            if len(grid) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise DomainError("import_too_many_rows", limit=MAX_ROWS)
        return grid
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_grid(data: bytes, name: str) -> list[list[Any]]:
    from sotay_desktop.documents.legacy import decode_legacy_bytes

    if data.startswith(b"\xef\xbb\xbf"):
        text = data.decode("utf-8-sig")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, _encoding = decode_legacy_bytes(data)
    if "\x00" in text:
        raise DomainError("import_unreadable", name=name, detail="không phải tệp văn bản")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise DomainError("import_unreadable", name=name, detail=str(exc)) from exc
