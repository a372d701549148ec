"""Cell values of a roster table as people type them: dates in any common shape, numbers
typed as text, and the Mẫu 7 cells holding several values one per line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sotay_core.domain.text import fold

_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_DATE_WORDS = re.compile(r"^ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")


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


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and value.strip().rstrip(".").isdigit()


def split_cell(value: str) -> list[str]:
    """The values of a Mẫu 7 cell: one per line, or "a; b" / "a, b" typed on one line."""
    parts = [p.strip() for p in value.splitlines()]
    if len(parts) == 1:
        parts = [p.strip() for p in re.split(r";", value)]
    if len(parts) == 1:
        parts = [p.strip() for p in re.split(r",", value)]
    return parts


_POLITICAL = re.compile(r"^(so cap|trung cap|cao cap|cu nhan( chinh tri)?)$")
_LANGUAGE = re.compile(r"^tieng \w+|^(anh|phap|nga|trung|nhat|han|duc)( van| ngu)?( [abc][12]?)?$")


def kind_of(part: str) -> str:
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
