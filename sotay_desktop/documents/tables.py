"""Reading a roster table from XLSX, XLS or CSV into rows keyed by our field names.

Files come from commune offices, not from us: title rows above the table, a header of one
or two rows ("Ngày tháng năm" over "Vào Đảng" and "Chính thức"), a numbered column-index
row, the official Mẫu 7-HSĐV layout with several values in one cell one per line, and a
totals row, captions and a signature block below the table. Headers are recognised by their
folded wording; rows that are not members are set aside with the reason, never returned as
members. Dates are read as people type them; the validation judges what is left.

The cells come from documents/sheets.py, which bounds every file before parsing it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sotay_core.domain.errors import DomainError
from sotay_core.domain.text import fold

MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 30

NUMBER = "_number"   # the STT column: not a member field, but evidence that a row is a member
# Mẫu 7 columns 10–13: later events, read by the import (not member fields)
TRANSFERRED_OUT = "_transferred_out_on"
TRANSFERRED_IN = "_transferred_in"
DECEASED = "_deceased_on"
LEFT = "_left"
# "Ngày sinh" over two columns "Nam" and "Nữ": the date is written in the member's column
BORN_MALE = "_born_male"
BORN_FEMALE = "_born_female"
# "Giới tính" over "Nam" and "Nữ": an "x" in one of them
MARK_MALE = "_male"
MARK_FEMALE = "_female"
# A name in two columns: "Họ và tên đệm" (or "Họ và tên" merged over two) and "Tên"
GIVEN_NAME = "_given_name"
DATE_FIELDS = frozenset({"date_of_birth", "admitted_on", "official_on", TRANSFERRED_OUT,
                         DECEASED, BORN_MALE, BORN_FEMALE})
CODE_FIELDS = frozenset({"card_number", "record_number", "badge_numbers", "phone"})

# folded header text -> field name
HEADERS: dict[str, str] = {
    "stt": NUMBER, "so tt": NUMBER, "tt": NUMBER, "so thu tu": NUMBER, "thu tu": NUMBER,
    "ho va ten": "full_name", "ho ten": "full_name", "ho va ten dang dung": "full_name",
    "ho ten dang dung": "full_name", "ten dang dung": "full_name",
    "ho va ten dang vien": "full_name", "ho ten dang vien": "full_name",
    "ho va ten dem": "full_name", "ho ten dem": "full_name", "ho dem": "full_name",
    "ho va dem": "full_name", "ho va chu dem": "full_name", "ten": GIVEN_NAME,
    "ho va ten khai sinh": "birth_name", "ho ten khai sinh": "birth_name",
    "ten khai sinh": "birth_name", "bi danh": "alias", "ten goi khac": "alias",
    "gioi tinh": "gender", "nam nu": "gender", "phai": "gender",
    "ngay sinh": "date_of_birth", "ngay thang nam sinh": "date_of_birth",
    "sinh ngay": "date_of_birth", "nam sinh": "date_of_birth", "ngay thang sinh": "date_of_birth",
    "noi sinh": "place_of_birth", "que quan": "hometown", "nguyen quan": "hometown",
    "noi o": "residence", "noi o hien nay": "residence", "cho o hien nay": "residence",
    "dia chi": "residence", "noi cu tru": "residence", "noi thuong tru": "residence",
    "thuong tru": "residence", "tru quan": "residence", "dia chi thuong tru": "residence",
    "noi o hien tai": "residence", "dan toc": "ethnicity",
    "ton giao": "religion",
    "giao duc pho thong": "education_general", "trinh do giao duc pho thong": "education_general",
    "trinh do van hoa": "education_general", "van hoa": "education_general",
    "hoc van": "education_general", "trinh do hoc van": "education_general",
    "chuyen mon": "education_professional", "chuyen mon nghiep vu": "education_professional",
    "cmnv": "education_professional", "trinh do chuyen mon": "education_professional",
    "ly luan chinh tri": "political_theory", "ly luan": "political_theory",
    "trinh do ly luan chinh tri": "political_theory", "llct": "political_theory",
    "ngoai ngu": "languages", "trinh do ngoai ngu": "languages",
    "nghe nghiep khi vao dang": "occupation_before",
    "nghe nghiep truoc khi vao dang": "occupation_before",
    "nghe nghiep": "occupation_now", "nghe nghiep hien nay": "occupation_now",
    "cong viec hien nay": "occupation_now", "cong viec": "occupation_now",
    "ngay vao dang": "admitted_on", "ngay ket nap": "admitted_on", "vao dang": "admitted_on",
    "ngay ket nap dang": "admitted_on", "ket nap": "admitted_on", "du bi": "admitted_on",
    "ngay vao dang du bi": "admitted_on", "ngay vao dang chinh thuc": "official_on",
    "ngay chinh thuc": "official_on", "ngay cong nhan chinh thuc": "official_on",
    "chinh thuc": "official_on", "ngay duoc cong nhan chinh thuc": "official_on",
    "so the": "card_number", "so the dang vien": "card_number", "so the dv": "card_number",
    "so the dang": "card_number", "the dang vien": "card_number", "so the dd": "card_number",
    "so ly lich": "record_number", "so ly lich dang vien": "record_number",
    "so ll": "record_number", "so lldv": "record_number",
    "so huy hieu": "badge_numbers", "so huy hieu dang": "badge_numbers",
    "huy hieu dang": "badge_numbers",
    "quan doi cong an nghi huu": "service_background",
    "bo doi cong an huu tri": "service_background",
    "dien thoai": "phone", "so dien thoai": "phone", "sdt": "phone", "dt": "phone",
    "ghi chu": "notes",
}
# headings told by how they start: Mẫu 7 columns 10–13 have long, varying wordings
HEADER_PREFIXES: tuple[tuple[str, str], ...] = (
    ("ngay chuyen di", TRANSFERRED_OUT), ("ngay chuyen den", TRANSFERRED_IN),
    ("ngay tu tran", DECEASED), ("ngay va hinh thuc ra khoi dang", LEFT),
    ("ngay ra khoi dang", LEFT),
)
# field names a person may choose for a column by hand in the preview
MAPPABLE_FIELDS: tuple[str, ...] = (
    "full_name", "birth_name", "alias", "gender", "date_of_birth", "place_of_birth",
    "hometown", "residence", "ethnicity", "religion", "education_general",
    "education_professional", "political_theory", "languages", "occupation_before",
    "occupation_now", "admitted_on", "official_on", "card_number", "record_number",
    "badge_numbers", "service_background", "phone", "notes",
)

# Folded text that starts what follows a table: totals, signatures, the place-and-date line.
_FOOTER = re.compile(
    r"^(tong so|tong cong|cong( \d| so| tong|$)|danh sach (nay )?(co|gom)|t m|tm|kt|tl|tuq|"
    r"thay mat|(q |p )?bi thu|pho bi thu|nguoi lap|nguoi ke khai|nguoi ghi|thu ky|chu tich|"
    r"chu toa|xac nhan|da ky|ky ten|ky va ghi ro|ky ghi ro|chi uy|dang uy|noi nhan|"
    r"luu( vt| hs| van thu|$))\b")
# (a surname may fold like a footer word: Lưu, Công; those match only in their footer use)
_PLACE_DATE = re.compile(r"\bngay\s+\d{0,2}\s*thang\s+\d{0,2}\s*nam\s+\d{0,4}\s*$")
_INDEX_CELL = re.compile(r"^\(?(\d{1,2})\)?$")
_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_DATE_WORDS = re.compile(r"^ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")


@dataclass(frozen=True, slots=True)
class Column:
    index: int                        # 0-based position in the sheet
    heading: str                      # as the file writes it (two-row headers joined by " / ")
    fields: tuple[str | None, ...]    # one per line of a cell; () when not recognised


@dataclass(frozen=True, slots=True)
class TableRows:
    rows: list[tuple[int, dict[str, Any]]]   # (line number in the file, values)
    ignored_columns: list[str]
    columns: tuple[Column, ...] = ()
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (line, the row's text)


def _lookup(text: str) -> str | None:
    stripped = text.strip()
    if stripped in HEADERS.values() or stripped in MAPPABLE_FIELDS:
        return stripped
    key = fold(stripped)
    if not key:
        return None
    if key in HEADERS:
        return HEADERS[key]
    if key.startswith("trinh do ") and key[len("trinh do "):] in HEADERS:
        return HEADERS[key[len("trinh do "):]]
    for prefix, name in HEADER_PREFIXES:
        if key.startswith(prefix):
            return name
    if "ra khoi dang" in key and key.startswith("ngay"):
        return LEFT
    bare = re.sub(r"\(.*?\)|\[.*?\]", " ", stripped)   # "Ngày sinh (ngày/tháng/năm)"
    bare = re.sub(r"[\s.:*]*\d{0,2}[\s.:*]*$", "", bare)       # "Họ và tên (2)", "Họ tên:"
    if bare and bare != stripped:
        return _lookup(bare)
    return None


def _parts(line: str) -> list[str | None]:
    """Fields of one heading line listing several ("Nam, nữ, dân tộc, tôn giáo")."""
    if ":" in line:  # "Trình độ: giáo dục phổ thông, chuyên môn, …"
        head, _, rest = line.partition(":")
        if _lookup(head) is None:
            line = rest
    pieces = [p for p in re.split(r"[,;/]", line) if p.strip()]
    found: list[str | None] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):   # longest run first: "Nam, nữ" is one field
            name = _lookup(" ".join(pieces[i:j]))
            if name is not None:
                found.append(name)
                i = j
                break
        else:
            found.append(None)
            i += 1
    return found


def fields_for(heading: Any) -> tuple[str | None, ...]:
    """The field(s) a heading names; a cell of that column holds them one per line."""
    if heading is None or isinstance(heading, (int, float, dt.date)):
        return ()
    text = str(heading).strip()
    whole = _lookup(text)
    if whole is not None:
        return (whole,)
    found: list[str | None] = []
    for line in (x for x in text.splitlines() if x.strip()):
        name = _lookup(line)
        found.extend([name] if name is not None else _parts(line))
    return tuple(found) if any(found) else ()


# --- cell values ---------------------------------------------------------------------------


def loose_date(value: Any) -> Any:
    """A date as people type it (12/04/1966, 12-04-1966, 12.04.1966, 2/4/1966, a date cell,
    an Excel serial number); anything else is returned unchanged for the validation to judge."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():   # also nan and inf
            return str(value)
        number = int(value)
        if 1800 <= number <= 2200:
            return str(value)            # a bare year: not a day
        if 1 <= number <= 2_958_465:      # Excel serial day (1900 system)
            return dt.date(1899, 12, 30) + dt.timedelta(days=number)
        return str(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    match = _DATE_DMY.match(text) or _DATE_WORDS.match(fold(text))
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < 100:   # two digits, read as Excel reads them: 00–29 → 2000s, 30–99 → 1900s
            year += 2000 if year < 30 else 1900
        try:
            return dt.date(year, month, day)
        except ValueError:
            return text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _value(name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    if name in DATE_FIELDS:
        return loose_date(value)
    if name in CODE_FIELDS and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


# --- the grid --------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and value.strip().rstrip(".").isdigit()


def _is_index_row(cells: list[Any]) -> bool:
    """The row of column numbers (1 2 3 … or (1) (2) …) under the heading."""
    numbers = []
    for cell in cells:
        if cell in (None, ""):
            continue
        match = _INDEX_CELL.match(_text(cell).rstrip("."))
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in itertools.pairwise(numbers))


def _is_footer_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    key = fold(value)
    return bool(key) and (bool(_FOOTER.match(key)) or bool(_PLACE_DATE.search(key)))


def _looks_like_sub_header(row: list[Any], top: list[Any], name_col: int) -> bool:
    values = [v for v in row if v not in (None, "")]
    if not values or (name_col < len(row) and row[name_col] not in (None, "")):
        return False
    if any(not isinstance(v, str) or _is_number(v) for v in values):
        return False
    under_span = any(v not in (None, "") and (i >= len(top) or top[i] in (None, ""))
                     for i, v in enumerate(row))      # beside a heading merged over columns
    return under_span or any(fields_for(v) or fold(v) in ("nam", "nu") for v in values)


def _header(grid: list[list[Any]], index: int,
            mapping: Mapping[int, str]) -> tuple[tuple[Column, ...], int]:
    """Columns from the header row (and the row below it when that is a second header row);
    returns the columns and the index of the first row after the header."""
    top = list(grid[index])
    first_fields = [fields_for(v) for v in top]
    name_col = next(i for i, f in enumerate(first_fields) if "full_name" in f)
    after = index + 1
    sub: list[Any] = []
    if after < len(grid) and _looks_like_sub_header(grid[after], top, name_col):
        sub = list(grid[after])
        after += 1
    width = max(len(top), len(sub))
    top += [None] * (width - len(top))
    sub += [None] * (width - len(sub))
    columns = []
    group = None   # a heading spanning several sub-headings (a merged cell)
    for i in range(width):
        own = top[i] if top[i] not in (None, "") else None
        if own is not None:
            group = own
        below = sub[i] if sub[i] not in (None, "") else None
        if below is None:
            group = None if own is None else group
            heading = _text(own)
            fields = first_fields[i] if i < len(first_fields) else ()
        else:
            above = own if own is not None else group
            heading = " / ".join(x for x in (_text(above), _text(below)) if x)
            fields = (fields_for(f"{_text(above)} {_text(below)}") if above is not None
                      else ())
            if above is not None and fields_for(above) == ("date_of_birth",):
                fields = {"nam": (BORN_MALE,), "nu": (BORN_FEMALE,)}.get(fold(_text(below)),
                                                                        fields)
            elif above is not None and fields_for(above) == ("gender",):
                fields = {"nam": (MARK_MALE,), "nu": (MARK_FEMALE,)}.get(fold(_text(below)),
                                                                        fields)
            fields = fields or fields_for(below) or (fields_for(own) if own else ())
        if i in mapping:
            chosen = mapping[i]
            fields = (chosen,) if chosen else ()
        columns.append(Column(i, heading, fields))
    return tuple(columns), after


def _find_header(grid: list[list[Any]]) -> int | None:
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        if any("full_name" in fields_for(cell) for cell in row):
            return index
    return None


def _name_columns(columns: tuple[Column, ...], grid: list[list[Any]],
                  start: int) -> tuple[Column, ...]:
    """"Họ và tên" merged over two columns holds the family and middle names in the first
    and the given name in the second (an unlabelled column)."""
    by_field = {f: c for c in columns for f in c.fields if f}
    given = by_field.get(GIVEN_NAME)
    name = by_field.get("full_name")
    if name is None or given is not None or len(name.fields) != 1:
        return columns
    nxt = next((c for c in columns if c.index == name.index + 1), None)
    if nxt is not None and (nxt.fields or nxt.heading):
        return columns
    pairs = [(r[name.index], r[name.index + 1] if name.index + 1 < len(r) else None)
             for r in grid[start:start + 60] if name.index < len(r) and r[name.index]]
    split = [1 for first, last in pairs if isinstance(first, str) and isinstance(last, str)
             and last.strip().isalpha() and len(last.split()) == 1]
    if len(pairs) < 2 or len(split) < 0.6 * len(pairs):
        return columns
    return (*[c for c in columns if c.index != name.index + 1],
            Column(name.index + 1, "", (GIVEN_NAME,)))


def _row_values(columns: tuple[Column, ...], cells: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column in columns:
        if not column.fields or column.index >= len(cells):
            continue
        value = cells[column.index]
        if value in (None, ""):
            continue
        if len(column.fields) == 1:
            pairs: list[tuple[str | None, Any]] = [(column.fields[0], value)]
        elif isinstance(value, str):
            pairs = _assign(column.fields, _split_cell(value))
        else:
            pairs = [(column.fields[0], value)]
        for name, part in pairs:
            if name is None or part in (None, ""):
                continue
            part = _value(name, part)
            if part not in (None, "") and name not in data:
                data[name] = part
    return data


def _split_cell(value: str) -> list[str]:
    """The values of a Mẫu 7 cell: one per line, or "a; b" / "a, b" typed on one line."""
    parts = [p.strip() for p in value.splitlines()]
    if len(parts) == 1:
        parts = [p.strip() for p in re.split(r";", value)]
    if len(parts) == 1:
        parts = [p.strip() for p in re.split(r",", value)]
    return parts


_POLITICAL = re.compile(r"^(so cap|trung cap|cao cap|cu nhan( chinh tri)?)$")
_LANGUAGE = re.compile(r"^tieng \w+|^(anh|phap|nga|trung|nhat|han|duc)( van| ngu)?( [abc][12]?)?$")


def _kind(part: str) -> str:
    key = fold(part)
    if isinstance(loose_date(part), dt.date):
        return "date"
    if key in ("nam", "nu"):
        return "gender"
    if re.fullmatch(r"\d{1,2}/\d{1,2}", part):
        return "education_general"
    if _POLITICAL.match(key):
        return "political_theory"
    if _LANGUAGE.search(key):
        return "languages"
    return ""


def _assign(fields: tuple[str | None, ...], parts: list[str]) -> list[tuple[str | None, Any]]:
    """Values to fields: by position when every line is there (empty lines keep theirs),
    otherwise by what each value looks like (a date, "Nam", "12/12", "Sơ cấp" …) and then
    in the heading's order."""
    if len(parts) >= len(fields):
        return list(zip(fields, parts, strict=False))
    free = [f for f in fields if f is not None]
    out: list[tuple[str | None, Any]] = []
    rest = []
    for part in (p for p in parts if p):
        kind = _kind(part)
        target = next((f for f in free if (kind == "date" and f in DATE_FIELDS)
                       or (kind and kind == f)), None)
        if target is None:
            rest.append(part)
        else:
            free.remove(target)
            out.append((target, part))
    plain = [f for f in free if f not in DATE_FIELDS and f != "gender"]
    out.extend(zip(plain, rest, strict=False))
    return out


def _member(data: dict[str, Any]) -> dict[str, Any]:
    """The member's values; a birth date written under "Nam" or "Nữ" also gives the gender."""
    out = {k: v for k, v in data.items() if not k.startswith("_")
           or k in (TRANSFERRED_OUT, TRANSFERRED_IN, DECEASED, LEFT)}
    for key, gender in ((BORN_MALE, "Nam"), (BORN_FEMALE, "Nữ")):
        if key in data and "date_of_birth" not in out:
            out["date_of_birth"] = data[key]
            out.setdefault("gender", gender)
    for key, gender in ((MARK_MALE, "Nam"), (MARK_FEMALE, "Nữ")):
        if data.get(key) not in (None, "") and "gender" not in out:
            out["gender"] = gender
    given = data.get(GIVEN_NAME)
    if isinstance(given, str) and isinstance(out.get("full_name"), str):
        out["full_name"] = f"{out['full_name']} {given}"
    return out


def _looks_like_a_name(text: str) -> bool:
    """A person's name: letters, spaces, hyphens and apostrophes; no brackets, colon or
    digits (those are notes, captions and continuation lines)."""
    stripped = text.strip()
    return bool(stripped) and not any(ch.isdigit() or ch in "():;/[]{}=" for ch in stripped)


def _row_text(cells: Iterable[Any]) -> str:
    return " | ".join(_text(c).replace("\n", " ") for c in cells if c not in (None, ""))


def from_grid(grid: list[list[Any]], name: str,
              mapping: Mapping[int, str] | None = None) -> TableRows:
    index = _find_header(grid)
    if index is None:
        raise DomainError("import_no_header", name=name)
    columns, start = _header(grid, index, mapping or {})
    columns = _name_columns(columns, grid, start)
    by_field = {f: c.index for c in columns for f in c.fields if f}
    if "full_name" not in by_field:
        raise DomainError("import_no_header", name=name)
    number_col = by_field.get(NUMBER)
    data_fields = {f for f in by_field if f not in ("full_name", NUMBER, GIVEN_NAME)}
    ignored = [c.heading for c in columns
               if c.heading and (not c.fields or c.fields == (NUMBER,))]
    rows: list[tuple[int, dict[str, Any]]] = []
    skipped: list[tuple[int, str]] = []
    ended = False
    for offset, cells in enumerate(grid[start:], start=start + 1):
        if all(c in (None, "") for c in cells):
            continue
        if ended:
            skipped.append((offset, _row_text(cells)))
            continue
        if _is_index_row(cells):
            skipped.append((offset, _row_text(cells)))
            continue
        data = _row_values(columns, cells)
        person = data.get("full_name")
        person = person if isinstance(person, str) and not _is_footer_text(person) else None
        if person and not _looks_like_a_name(person):
            # "(Vũ Văn Cũ)" under a member (a birth name on its own line), "Đã mất: …",
            # "Tổ 2": a note or a caption, never a member of its own
            ended = ended or any(_is_footer_text(c) for c in cells)   # "Cộng | 2 đồng chí"
            skipped.append((offset, _row_text(cells)))
            continue
        numbered = number_col is not None and number_col < len(cells) and _is_number(
            cells[number_col])
        others = {k for k in data if k not in ("full_name", NUMBER, GIVEN_NAME)}
        if person and "full_name" in fields_for(person):
            skipped.append((offset, _row_text(cells)))      # the header again (a new page)
            continue
        if person and (numbered or others or (not data_fields and number_col is None)):
            rows.append((offset, _member(data)))
        elif any(_is_footer_text(c) for c in cells):
            ended = True          # totals, signatures: nothing below is a member
            skipped.append((offset, _row_text(cells)))
        elif others:              # member data without a name: the validation says so
            rows.append((offset, _member(data)))
        else:   # a caption, a section title, a pre-numbered empty line, a name alone
            skipped.append((offset, _row_text(cells)))
    if len(rows) > MAX_ROWS:
        raise DomainError("import_too_many_rows", limit=MAX_ROWS)
    return TableRows(rows, ignored, columns, skipped)


# --- files ---------------------------------------------------------------------------------


def read_table(path: Path, mapping: Mapping[int, str] | None = None) -> TableRows:
    """The roster table of the file's first sheet with a "Họ và tên" heading. ``mapping``
    sets a column's field by hand (column index -> field name, "" to leave a column out)."""
    from sotay_desktop.documents.sheets import read_grid

    grid = read_grid(path, has_header=lambda g: _find_header(g) is not None,
                     scan_rows=HEADER_SCAN_ROWS, max_rows=MAX_ROWS)
    return from_grid(grid, path.name, mapping)
