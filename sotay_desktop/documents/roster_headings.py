"""The heading of a roster table: which member field each column holds.

Headings are recognised by their folded wording (``HEADERS``), by how they start (the long
Mẫu 7 wordings), or line by line when one heading names several fields. A header may span
two rows ("Ngày tháng năm" over "Vào Đảng" and "Chính thức"), and a name may span two
columns ("Họ và tên" merged over the family names and the given name).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sotay_core.domain.text import fold
from sotay_desktop.documents.roster_cells import cell_text, is_number

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

_INDEX_CELL = re.compile(r"^\(?(\d{1,2})\)?$")


@dataclass(frozen=True, slots=True)
class Column:
    index: int                        # 0-based position in the sheet
    heading: str                      # as the file writes it (two-row headers joined by " / ")
    fields: tuple[str | None, ...]    # one per line of a cell; () when not recognised


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


def is_index_row(cells: list[Any]) -> bool:
    """The row of column numbers (1 2 3 … or (1) (2) …) under the heading."""
    numbers = []
    for cell in cells:
        if cell in (None, ""):
            continue
        match = _INDEX_CELL.match(cell_text(cell).rstrip("."))
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in itertools.pairwise(numbers))


def _looks_like_sub_header(row: list[Any], top: list[Any], name_col: int) -> bool:
    values = [v for v in row if v not in (None, "")]
    if not values or (name_col < len(row) and row[name_col] not in (None, "")):
        return False
    if any(not isinstance(v, str) or is_number(v) for v in values):
        return False
    under_span = any(v not in (None, "") and (i >= len(top) or top[i] in (None, ""))
                     for i, v in enumerate(row))      # beside a heading merged over columns
    return under_span or any(fields_for(v) or fold(v) in ("nam", "nu") for v in values)


def header_columns(grid: list[list[Any]], index: int,
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
            heading = cell_text(own)
            fields = first_fields[i] if i < len(first_fields) else ()
        else:
            above = own if own is not None else group
            heading = " / ".join(x for x in (cell_text(above), cell_text(below)) if x)
            fields = (fields_for(f"{cell_text(above)} {cell_text(below)}") if above is not None
                      else ())
            if above is not None and fields_for(above) == ("date_of_birth",):
                fields = {"nam": (BORN_MALE,), "nu": (BORN_FEMALE,)}.get(fold(cell_text(below)),
                                                                        fields)
            elif above is not None and fields_for(above) == ("gender",):
                fields = {"nam": (MARK_MALE,), "nu": (MARK_FEMALE,)}.get(fold(cell_text(below)),
                                                                        fields)
            fields = fields or fields_for(below) or (fields_for(own) if own else ())
        if i in mapping:
            chosen = mapping[i]
            fields = (chosen,) if chosen else ()
        columns.append(Column(i, heading, fields))
    return tuple(columns), after


def find_header(grid: list[list[Any]]) -> int | None:
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        if any("full_name" in fields_for(cell) for cell in row):
            return index
    return None


def name_columns(columns: tuple[Column, ...], grid: list[list[Any]],
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
