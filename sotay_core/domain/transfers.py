"""Transfers (chuyển sinh hoạt đảng): the introduction letter and its pure rules.

HD 12-HD/BTCTW (2022) §II.4.2 has four kinds of letter (giấy giới thiệu sinh hoạt đảng):
official or temporary, within or outside the committee (here: the province). The branch
records each letter it sends (out) or receives (in), with the month dues are paid up to.
A member who has not presented the letter by its deadline is flagged late. No storage, no
clock: the caller passes the dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sotay_core.domain.dates import format_vn
from sotay_core.domain.dues import Month
from sotay_core.domain.errors import ValidationError

# Days a member has to present the letter (domain.md §4: "letter presented within 30 days",
# from QĐ 24 / HD 01). Calendar days, deadline day included. UNCONFIRMED under HD 06 (2025).
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
    """The last day to present a letter issued on ``issued_on``."""
    return issued_on + dt.timedelta(days=days)


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
