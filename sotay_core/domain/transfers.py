"""Transfers (chuyển sinh hoạt đảng): the introduction letter and its pure rules.

HD 12-HD/BTCTW (2022) §II.4.2 has four kinds of letter (giấy giới thiệu sinh hoạt đảng):
official or temporary, within or outside the committee (here: the province). The branch
records each letter it sends (out) or receives (in), with the month dues are paid up to.
A member who has not presented the letter by its deadline is flagged late. No storage, no
clock: the caller passes the dates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sotay_core.domain.dates import format_vn
from sotay_core.domain.dues import Month
from sotay_core.domain.errors import ValidationError

# Days a member has to present the letter. domain.md §4 has "within 30 days" (QĐ 24 / HD 01);
# QĐ 294-QĐ/TW §6.3.1 (in force from 1/7/2025) says "trong thời hạn 30 ngày làm việc kể từ
# ngày được giới thiệu chuyển đi" as quoted by ngoisao.vn (8/6/2025): working days, from a
# secondary source, so UNCONFIRMED and a setting (``TransferRules``), the deadline day
# included. ``default_deadline`` keeps the calendar count for callers that ask for it.
PRESENT_WITHIN_DAYS = 30


class Direction(StrEnum):
    IN = "in"      # received: the member arrives here
    OUT = "out"    # sent: the member leaves


class TransferKind(StrEnum):
    """Official or temporary, within or outside the province."""

    OFFICIAL_WITHIN = "official_within"
    OFFICIAL_OUTSIDE = "official_outside"
    TEMPORARY_WITHIN = "temporary_within"
    TEMPORARY_OUTSIDE = "temporary_outside"

    @property
    def official(self) -> bool:
        return self in (TransferKind.OFFICIAL_WITHIN, TransferKind.OFFICIAL_OUTSIDE)

    @property
    def within_province(self) -> bool:
        return self in (TransferKind.OFFICIAL_WITHIN, TransferKind.TEMPORARY_WITHIN)


@dataclass(frozen=True, slots=True)
class IntroductionLetter:
    """One giấy giới thiệu sinh hoạt đảng, sent or received."""

    member: str                     # the member's name, for messages
    kind: TransferKind
    direction: Direction
    number: str
    issued_on: dt.date
    valid_until: dt.date            # last day to present the letter
    from_place: str
    to_place: str
    dues_paid_to: Month | None = None
    presented_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.number.strip():
            raise ValidationError("transfer.no_number", field="decision", name=self.member)
        if self.valid_until < self.issued_on:
            raise ValidationError("transfer.deadline_before_issue", name=self.member,
                                  issued=format_vn(self.issued_on),
                                  deadline=format_vn(self.valid_until))
        if self.presented_on is not None and self.presented_on < self.issued_on:
            raise ValidationError("transfer.presented_before_issue", name=self.member,
                                  issued=format_vn(self.issued_on),
                                  presented=format_vn(self.presented_on))


def default_deadline(issued_on: dt.date, days: int = PRESENT_WITHIN_DAYS) -> dt.date:
    """The last day to present a letter issued on ``issued_on``, counted in calendar days."""
    return issued_on + dt.timedelta(days=days)


RULES_VERSION = 1
MAX_DAYS = 365


@dataclass(frozen=True, slots=True)
class TransferRules:
    """The branch's setting for letters: how long a member has to present one. Defaults: 30
    working days (QĐ 294 §6.3.1, UNCONFIRMED); Saturdays and Sundays are not working days, and
    the public holidays (Tết moves every year) are the ones listed here."""

    present_within_days: int = PRESENT_WITHIN_DAYS
    working_days: bool = True
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 1 <= self.present_within_days <= MAX_DAYS:
            raise ValidationError("transfer.bad_days", field="days",
                                  value=self.present_within_days, high=MAX_DAYS)


DEFAULT_TRANSFER_RULES = TransferRules()


def deadline(issued_on: dt.date, rules: TransferRules = DEFAULT_TRANSFER_RULES) -> dt.date:
    """The last day to present a letter issued on ``issued_on`` under ``rules``: the N-th
    (working) day after the issue, the issue day itself not counted."""
    if not rules.working_days:
        return default_deadline(issued_on, rules.present_within_days)
    day, left = issued_on, rules.present_within_days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in rules.holidays:
            left -= 1
    return day


def rules_to_json(rules: TransferRules) -> str:
    return json.dumps({"version": RULES_VERSION, "present_within_days": rules.present_within_days,
                       "working_days": rules.working_days,
                       "holidays": sorted(day.isoformat() for day in rules.holidays)},
                      ensure_ascii=False, sort_keys=True)


def rules_from_json(text: str) -> TransferRules:
    """Tolerant of unknown keys; a missing key keeps its default; a bad value is refused
    naming the setting."""
    try:
        raw: Any = json.loads(text)
        if not isinstance(raw, dict):
            raise TypeError("not an object")
        days = raw.get("present_within_days", PRESENT_WITHIN_DAYS)
        working = raw.get("working_days", True)
        if not isinstance(days, int) or isinstance(days, bool) or not isinstance(working, bool):
            raise TypeError("bad value")
        holidays = frozenset(dt.date.fromisoformat(str(d)) for d in raw.get("holidays", ()))
    except (ValueError, TypeError):
        raise ValidationError("transfer.bad_rules", value=text[:80]) from None
    return TransferRules(days, working, holidays)


def with_holidays(rules: TransferRules, days: Iterable[dt.date]) -> TransferRules:
    return TransferRules(rules.present_within_days, rules.working_days, frozenset(days))


def check_transfer(member: str, transfer_on: dt.date, admitted_on: dt.date | None) -> None:
    """Refuse a transfer of someone never admitted, or dated before their admission."""
    if admitted_on is None:
        raise ValidationError("transfer.not_member", name=member, day=format_vn(transfer_on))
    if transfer_on < admitted_on:
        raise ValidationError("transfer.before_admission", name=member,
                              day=format_vn(transfer_on), admitted=format_vn(admitted_on))


def late(letter: IntroductionLetter, today: dt.date) -> bool:
    """True when the letter was not presented by its deadline (presenting on it is in time)."""
    if letter.presented_on is not None:
        return letter.presented_on > letter.valid_until
    return today > letter.valid_until


def days_late(letter: IntroductionLetter, today: dt.date) -> int:
    """Days past the deadline (0 when in time)."""
    end = letter.presented_on if letter.presented_on is not None else today
    return max(0, (end - letter.valid_until).days)
