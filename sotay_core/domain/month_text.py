"""Months, years and amounts of đồng as a secretary types them, read the same way by every
command and screen: ``11/2026`` (as shown on the papers) or ``2026-11`` (as stored), the month
in one or two digits; a year from FIRST_YEAR to LAST_YEAR; ``25.000`` or ``25000`` đồng."""

from __future__ import annotations

import re

from sotay_core.domain.dues import Month
from sotay_core.domain.errors import ValidationError

FIRST_YEAR, LAST_YEAR = 1900, 2100
_YEAR_FIRST = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_MONTH_FIRST = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


def parse_month(text: str) -> Month:
    """``"11/2026"``, ``"2026-11"``, ``"1/2026"`` -> a Month; anything else is refused
    naming the text (``dues.bad_month``)."""
    value = text or ""
    if match := _YEAR_FIRST.match(value):
        year, month = match.group(1), match.group(2)
    elif match := _MONTH_FIRST.match(value):
        month, year = match.group(1), match.group(2)
    else:
        raise ValidationError("dues.bad_month", value=value)
    if not FIRST_YEAR <= int(year) <= LAST_YEAR or not 1 <= int(month) <= 12:
        raise ValidationError("dues.bad_month", value=value)
    return Month(int(year), int(month))


_GROUPED = re.compile(r"-?\d{1,3}(?:[., ]\d{3})+")


def parse_amount(text: str) -> int | None:
    """Đồng as a secretary writes them: ``25000``, ``25.000``, ``25,000``, ``25 000``, with or
    without a trailing ``đ``; empty: None. A decimal (``2,5``), an exponent or letters are
    refused naming the text (``dues_ui.bad_amount``), never read as another number."""
    clean = (text or "").strip().removesuffix("đ").strip()
    if not clean:
        return None
    if _GROUPED.fullmatch(clean):
        clean = re.sub(r"[., ]", "", clean)
    if re.fullmatch(r"-?\d+", clean) is None:
        raise ValidationError("dues_ui.bad_amount", field="amount", value=text)
    return int(clean)


def check_year(year: int) -> int:
    """``year`` itself, or refused naming it (``dues.bad_year``)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError("dues.bad_year", value=str(year), low=FIRST_YEAR,
                              high=LAST_YEAR)
    return year
