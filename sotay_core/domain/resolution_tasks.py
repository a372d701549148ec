"""A resolution's tasks as rows to follow up (issue 19): who is in charge, by when, and
whether a task is overdue. Pure: the services read and write the rows.

* A task line of the resolution is "text — who" (the resolution tab) or carries the person
  in its text: "… (Phụ trách: đồng chí An)" or "… Phụ trách: Chi hội Phụ nữ".
* The person in charge is a member when exactly one member's name matches (accents and case
  ignored, "đồng chí"/"đ/c" dropped, the given name alone if only one member has it); else
  the words are kept as they are (a mass organisation, several people).
* The due date is the one the text names after "trước", "hạn", "trong", "hết", "chậm nhất"
  or "hoàn thành" ("trước 30/6", "hạn 15/12/2026", "trong tháng 12"); else the end of the
  month after the meeting (the next meeting reviews it).
* A task is overdue when its due date has passed and it is neither done nor carried over.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sotay_core.domain.dates import add_months
from sotay_core.domain.entities import TaskStatus
from sotay_core.domain.text import fold

# Statuses that close a task for the overdue check (carried over: next month's resolution
# takes it up again).
CLOSED = frozenset({TaskStatus.DONE, TaskStatus.CARRIED_OVER})

_IN_CHARGE = re.compile(r"[\s,;.(]*\(?\s*phụ\s*trách\s*:\s*([^)]*)\)?\s*\.?\s*$",
                        re.IGNORECASE)
_HONORIFIC = re.compile(r"^\s*(đồng\s+chí|đ\s*[/.]\s*c\.?)\s*[:,]?\s*", re.IGNORECASE)
_CUE = r"(?:trước|hạn|trong|hết|chậm\s+nhất|hoàn\s+thành|xong)\s*(?:ngày\s*)?:?\s*"
_DUE_DAY = re.compile(_CUE + r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?", re.IGNORECASE)
_DUE_MONTH = re.compile(_CUE + r"(?:tháng)\s+(\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?",
                        re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One task as the resolution states it."""

    text: str
    responsible: str = ""


def end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def default_due(meeting_day: dt.date) -> dt.date:
    """The end of the month after the meeting: the next monthly meeting reviews the task."""
    return end_of_month(add_months(meeting_day.replace(day=1), 1))


def _year_after(meeting_day: dt.date, month: int, day: int | None) -> dt.date | None:
    """The first such date on or after the meeting (a resolution plans ahead)."""
    for year in (meeting_day.year, meeting_day.year + 1):
        try:
            found = dt.date(year, month, day or 1)
        except ValueError:
            return None
        found = found if day else end_of_month(found)
        if found >= meeting_day.replace(day=1):
            return found
    return None


def parse_due(text: str, meeting_day: dt.date) -> dt.date | None:
    """The due date the task's words name, or None."""
    found = _DUE_DAY.search(text)
    if found:
        day, month, year = int(found.group(1)), int(found.group(2)), found.group(3)
        if year:
            try:
                return dt.date(int(year), month, day)
            except ValueError:
                return None
        return _year_after(meeting_day, month, day)
    found = _DUE_MONTH.search(text)
    if found:
        month, year = int(found.group(1)), found.group(2)
        if not 1 <= month <= 12:
            return None
        if year:
            return end_of_month(dt.date(int(year), month, 1))
        return _year_after(meeting_day, month, None)
    return None


def due_for(text: str, meeting_day: dt.date) -> dt.date:
    return parse_due(text, meeting_day) or default_due(meeting_day)


def split_in_charge(text: str, responsible: str = "") -> TaskLine:
    """The task's words and who is in charge: the given person, else "Phụ trách: …" at the
    end of the text (taken out of it)."""
    text = text.strip()
    found = _IN_CHARGE.search(text)
    if found and found.start() > 0:
        who = found.group(1).strip().rstrip(".").strip()
        if not responsible.strip():
            return TaskLine(text[:found.start()].rstrip(" ,;.-—"), who)
    return TaskLine(text, responsible.strip())


def without_honorific(name: str) -> str:
    return _HONORIFIC.sub("", name.strip(), count=1).strip()


def match_member(words: str, members: Iterable[tuple[str, str]]) -> str | None:
    """The id of the one member ``words`` name ((id, full name) pairs), or None."""
    wanted = fold(without_honorific(words))
    if not wanted:
        return None
    people = list(members)
    exact = [mid for mid, name in people if fold(name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact or " " in wanted:
        return None
    given = [mid for mid, name in people if fold(name).split()[-1:] == [wanted]]
    return given[0] if len(given) == 1 else None


def is_overdue(due: dt.date | None, status: TaskStatus, today: dt.date) -> bool:
    return due is not None and due < today and status not in CLOSED
