"""The cells of a spreadsheet file (XLSX, Excel 97-2003 XLS, CSV) as a grid of values.

Each file is bounded before it is parsed: its size on disk (CSV and XLS are read whole), its
unpacked sizes from the ZIP directory (XLSX), then its width and each cell's length while
rows stream in, so a hostile file is refused quickly and in bounded memory. Values come as
the sheet shows them: text in NFC, dates as dates, numbers formatted "000000" with their
leading zeros. The declared sheet dimension is not trusted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.package import check_package, size_text

MAX_COLUMNS = 256                  # Excel 97-2003's own limit; a roster has 14
MAX_CELL_CHARS = 32_767            # Excel's own limit for one cell
MAX_SHEETS = 10                    # the roster is the first sheet with a heading row
MAX_FILE_BYTES = 20 * 1024 * 1024  # CSV and XLS are read whole
MAX_PART_BYTES = 40 * 1024 * 1024  # one unpacked XML part of an XLSX (a 20,000-row roster: ~16 MB)
MAX_STRINGS_BYTES = 24 * 1024 * 1024   # shared strings are held in memory whole
MAX_PACKAGE_BYTES = 120 * 1024 * 1024  # all unpacked parts together
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZERO_FORMAT = re.compile(r'^(?:"0*"|\\0)*0+$')

Grid = list[list[Any]]


def read_grid(path: Path, *, has_header: Callable[[Grid], bool], scan_rows: int,
              max_rows: int) -> Grid:
    """The first sheet for which ``has_header`` holds (else the first sheet's top rows)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise DomainError("file_missing", path=path) from exc
    except OSError as exc:   # a folder, no permission: not "a damaged file"
        raise DomainError("file_error", path=path,
                          detail=exc.strerror or type(exc).__name__) from exc
    limits = _Limits(path.name, scan_rows, max_rows)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_grid(path, has_header, limits)
    if size > MAX_FILE_BYTES:
        raise DomainError("import_too_large", name=path.name, size=size_text(size),
                          limit=size_text(MAX_FILE_BYTES))
    if head.startswith(OLE2):
        return _xls_grid(path, has_header, limits)
    data = path.read_bytes()
    if re.search(rb"<(html|table)[\s>]", data[:4096], re.IGNORECASE):
        return _html_grid(data, limits)   # an ".xls" saved by web software is an HTML table
    return _csv_grid(data, limits)


class _Limits:
    def __init__(self, name: str, scan_rows: int, max_rows: int) -> None:
        self.name = name
        self.scan_rows = scan_rows
        self.max_rows = max_rows

    def add(self, grid: Grid, cells: list[Any]) -> None:
        """Append a row, refusing a sheet far wider or longer than a roster, or a cell
        longer than Excel allows."""
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise DomainError("import_too_many_columns", name=self.name, limit=MAX_COLUMNS)
        for value in cells:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise DomainError("import_cell_too_long", name=self.name, line=len(grid) + 1,
                                  limit=MAX_CELL_CHARS)
        grid.append(cells)
        # blank rows, the title and the signature block come on top of the members
        if len(grid) > self.max_rows + self.scan_rows + 200:
            raise DomainError("import_too_many_rows", limit=self.max_rows)


def _xlsx_grid(path: Path, has_header: Callable[[Grid], bool], limits: _Limits) -> Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    infos = check_package(path, code="import_unpacked_too_large", total_limit=MAX_PACKAGE_BYTES,
                          xml_limit=MAX_PART_BYTES, damaged=DomainError(
                              "import_unreadable", name=path.name, detail="XLSX"))
    strings = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if strings > MAX_STRINGS_BYTES:
        raise DomainError("import_unpacked_too_large", name=path.name, size=size_text(strings),
                          limit=size_text(MAX_STRINGS_BYTES))
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DomainError("import_unreadable", name=path.name, detail="XLSX") from exc
    except Exception as exc:  # broken XML inside the package
        raise DomainError("import_unreadable", name=path.name, detail="XLSX") from exc
    try:
        grids = []
        for sheet in book.worksheets[:MAX_SHEETS]:   # a cover sheet may come first
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()   # the declared <dimension> may be wrong: read all rows
            grid: Grid = []
            for row in sheet.iter_rows():
                limits.add(grid, [_xlsx_cell(c) for c in row])
            if has_header(grid):
                return grid
            grids.append(grid[:limits.scan_rows])
        return grids[0] if grids else []
    except DomainError:
        raise
    except Exception as exc:  # a part that breaks while streaming (bad XML, bad CRC)
        raise DomainError("import_unreadable", name=path.name, detail="XLSX") from exc
    finally:
        book.close()


def _xlsx_cell(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value, getattr(cell, "number_format", "") or "")
    return _plain(value)


def _number(value: float, number_format: str) -> Any:
    """A number as the sheet shows it: "000123" when formatted with leading zeros."""
    if float(value).is_integer():
        value = int(value)
        if _ZERO_FORMAT.match(number_format.replace("\\", "")):
            digits = number_format.count("0")
            return str(value).zfill(digits)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def _xls_grid(path: Path, has_header: Callable[[Grid], bool], limits: _Limits) -> Grid:
    import xlrd  # type: ignore[import-untyped]

    data = path.read_bytes()
    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        except NotImplementedError:   # xlrd reads no formatting of some files (no number
            book = xlrd.open_workbook(file_contents=data, on_demand=True)  # formats then)
        first: Grid = []
        for index in range(min(book.nsheets, MAX_SHEETS)):
            sheet = book.sheet_by_index(index)
            grid: Grid = []
            for r in range(sheet.nrows):
                limits.add(grid, [_xls_cell(book, sheet, r, c)
                                  for c in range(min(sheet.row_len(r), MAX_COLUMNS + 1))])
            if has_header(grid):
                return grid
            first = first or grid[:limits.scan_rows]
            book.unload_sheet(index)
        return first
    except DomainError:
        raise
    except Exception as exc:  # xlrd.XLRDError, CompDocError, struct errors on a damaged file
        raise DomainError("import_unreadable", name=path.name, detail="XLS") from exc


def _xls_cell(book: Any, sheet: Any, r: int, c: int) -> Any:
    import xlrd

    kind = sheet.cell_type(r, c)
    value = sheet.cell_value(r, c)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, book.datemode).date()
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
    if kind == xlrd.XL_CELL_NUMBER:
        number_format = ""
        if book.formatting_info:
            try:
                xf = book.xf_list[sheet.cell_xf_index(r, c)]
                number_format = book.format_map[xf.format_key].format_str
            except (IndexError, KeyError):
                number_format = ""
        return _number(value, number_format)
    if kind == xlrd.XL_CELL_TEXT:
        return _plain(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return None   # error cells


class _TableParser(HTMLParser):
    """The rows of the page's tables, one after the other (a title table may come first);
    a spanned cell keeps its columns and rows, so the columns stay in line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Any]] = []
        self.row: list[Any] | None = None
        self.cell: list[str] | None = None
        self.span = 1
        self.down: dict[int, int] = {}   # column -> rows it still covers below
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
        elif tag == "tr" and self.depth == 1:
            self.row = []
        elif tag in ("td", "th") and self.row is not None and self.depth == 1:
            self._skip_covered()
            values = dict(attrs)
            self.span = _span(values.get("colspan"))
            rows = _span(values.get("rowspan"))
            if rows > 1:
                for i in range(self.span):
                    self.down[len(self.row) + i] = rows   # this row's end counts one
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def _skip_covered(self) -> None:
        assert self.row is not None
        while self.down.get(len(self.row), 0) > 0:
            self.row.append(None)

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", "".join(self.cell))
            text = re.sub(r"[ \t\r\f\v\xa0]+", " ", text).strip()
            self.row.append(text or None)
            self.row.extend([None] * (self.span - 1))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self._skip_covered()
            self.down = {k: v - 1 for k, v in self.down.items() if v > 1}
            self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.depth = max(0, self.depth - 1)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_COLUMNS + 1))
    except ValueError:
        return 1


def _html_grid(data: bytes, limits: _Limits) -> Grid:
    match = re.search(rb"charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    try:
        text = data.decode(match.group(1).decode() if match else "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = decode_csv(data, limits.name)
    parser = _TableParser()
    try:
        parser.feed(unicodedata.normalize("NFC", text))
        parser.close()
    except (AssertionError, ValueError) as exc:
        raise DomainError("import_unreadable", name=limits.name, detail="HTML") from exc
    grid: Grid = []
    for row in parser.rows:
        limits.add(grid, row)
    return grid


def decode_csv(data: bytes, name: str) -> str:
    from sotay_desktop.documents.legacy import decode_legacy_bytes

    if data.startswith(b"\xef\xbb\xbf"):
        text = data.decode("utf-8-sig", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, _encoding = decode_legacy_bytes(data)
    if "\x00" in text:
        raise DomainError("import_unreadable", name=name, detail="CSV")
    return unicodedata.normalize("NFC", text)   # cp1258 writes tone marks as combining marks


def _csv_grid(data: bytes, limits: _Limits) -> Grid:
    name = limits.name
    text = decode_csv(data, name)
    first, _, rest = text.partition("\n")
    dialect: Any
    if re.fullmatch(r"sep=.\r?", first):   # Excel's own hint: "sep=;" on the first line
        text = rest

        class Declared(csv.excel):
            delimiter = first[4]

        dialect = Declared
    else:
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
    grid: Grid = []
    try:
        for row in _csv_rows(text, dialect):
            limits.add(grid, list(row))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise DomainError("import_cell_too_long", name=name, line=len(grid) + 1,
                              limit=MAX_CELL_CHARS) from exc
        raise DomainError("import_unreadable", name=name, detail="CSV") from exc
    return grid


def _csv_rows(text: str, dialect: Any) -> Iterator[list[str]]:
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    finally:
        csv.field_size_limit(old)
