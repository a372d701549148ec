"""Calendar arithmetic that Party rules need (month ends and leap years included)."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the day is clamped to the month's end.

    31 Jan + 1 month = 28/29 Feb; 29 Feb 2024 + 12 months = 28 Feb 2025.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def whole_years(start: dt.date, end: dt.date) -> int:
    """Completed years from ``start`` to ``end`` (an anniversary on 29 Feb falls on 28 Feb)."""
    if end < start:
        return -whole_years(end, start)
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return years


def whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months


def parse_date(text: str) -> dt.date:
    """Strict ISO date (YYYY-MM-DD); also accepts the Vietnamese DD/MM/YYYY."""
    text = text.strip()
    if "/" in text:
        parts = text.split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        raise ValueError(text)
    if len(text) != 10:
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def format_vn(day: dt.date) -> str:
    """05/03/2026 — how dates read on Vietnamese forms."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def local_time(iso: str) -> str:
    """A server time (UTC, ISO) as this PC shows times: "01/12/2026 22:58" in local time."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")
