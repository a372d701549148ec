"""Reading a roster table from XLSX, XLS or CSV into rows keyed by our field names.

Files come from commune offices, not from us: title rows above the table, a header of one
or two rows, a numbered column-index row, the official Mẫu 7-HSĐV layout with several
values in one cell one per line, and a totals row, captions and a signature block below the
table. The heading is read by ``roster_headings``, the cells by ``roster_cells``; rows that
are not members are set aside with the reason, never returned as members. Dates are read as
people type them; the validation judges what is left.

The cells come from documents/sheets.py, which bounds every file before parsing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sotay_core.domain.errors import DomainError
from sotay_core.domain.text import fold
from sotay_desktop.documents.roster_cells import (
    cell_text,
    is_number,
    kind_of,
    loose_date,
    split_cell,
)
from sotay_desktop.documents.roster_headings import (
    BORN_FEMALE,
    BORN_MALE,
    CODE_FIELDS,
    DATE_FIELDS,
    DECEASED,
    GIVEN_NAME,
    HEADER_SCAN_ROWS,
    LEFT,
    MARK_FEMALE,
    MARK_MALE,
    NUMBER,
    TRANSFERRED_IN,
    TRANSFERRED_OUT,
    Column,
    fields_for,
    find_header,
    header_columns,
    is_index_row,
    name_columns,
)

MAX_ROWS = 20_000

# Folded text that starts what follows a table: totals, signatures, the place-and-date line.
_FOOTER = re.compile(
    r"^(tong so|tong cong|cong( \d| so| tong|$)|danh sach (nay )?(co|gom)|t m|tm|kt|tl|tuq|"
    r"thay mat|(q |p )?bi thu|pho bi thu|nguoi lap|nguoi ke khai|nguoi ghi|thu ky|chu tich|"
    r"chu toa|xac nhan|da ky|ky ten|ky va ghi ro|ky ghi ro|chi uy|dang uy|noi nhan|"
    r"luu( vt| hs| van thu|$))\b")
# (a surname may fold like a footer word: Lưu, Công; those match only in their footer use)
_PLACE_DATE = re.compile(r"\bngay\s+\d{0,2}\s*thang\s+\d{0,2}\s*nam\s+\d{0,4}\s*$")


@dataclass(frozen=True, slots=True)
class TableRows:
    rows: list[tuple[int, dict[str, Any]]]   # (line number in the file, values)
    ignored_columns: list[str]
    columns: tuple[Column, ...] = ()
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (line, the row's text)


def _value(name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    if name in DATE_FIELDS:
        return loose_date(value)
    if name in CODE_FIELDS and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def is_footer_text(value: Any) -> bool:
    """A cell that starts what follows a table: a total, a signature, the place and date
    (the review's table of proposals asks it too)."""
    if not isinstance(value, str):
        return False
    key = fold(value)
    return bool(key) and (bool(_FOOTER.match(key)) or bool(_PLACE_DATE.search(key)))


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
            pairs = _assign(column.fields, split_cell(value))
        else:
            pairs = [(column.fields[0], value)]
        for name, part in pairs:
            if name is None or part in (None, ""):
                continue
            part = _value(name, part)
            if part not in (None, "") and name not in data:
                data[name] = part
    return data


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
        kind = kind_of(part)
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
    return " | ".join(cell_text(c).replace("\n", " ") for c in cells if c not in (None, ""))


def from_grid(grid: list[list[Any]], name: str,
              mapping: Mapping[int, str] | None = None) -> TableRows:
    index = find_header(grid)
    if index is None:
        raise DomainError("import_no_header", name=name)
    columns, start = header_columns(grid, index, mapping or {})
    columns = name_columns(columns, grid, start)
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
        if is_index_row(cells):
            skipped.append((offset, _row_text(cells)))
            continue
        data = _row_values(columns, cells)
        person = data.get("full_name")
        person = person if isinstance(person, str) and not is_footer_text(person) else None
        if person and not _looks_like_a_name(person):
            # "(Vũ Văn Cũ)" under a member (a birth name on its own line), "Đã mất: …",
            # "Tổ 2": a note or a caption, never a member of its own
            ended = ended or any(is_footer_text(c) for c in cells)   # "Cộng | 2 đồng chí"
            skipped.append((offset, _row_text(cells)))
            continue
        numbered = number_col is not None and number_col < len(cells) and is_number(
            cells[number_col])
        others = {k for k in data if k not in ("full_name", NUMBER, GIVEN_NAME)}
        if person and "full_name" in fields_for(person):
            skipped.append((offset, _row_text(cells)))      # the header again (a new page)
            continue
        if person and (numbered or others or (not data_fields and number_col is None)):
            rows.append((offset, _member(data)))
        elif any(is_footer_text(c) for c in cells):
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

    grid = read_grid(path, has_header=lambda g: find_header(g) is not None,
                     scan_rows=HEADER_SCAN_ROWS, max_rows=MAX_ROWS)
    return from_grid(grid, path.name, mapping)
