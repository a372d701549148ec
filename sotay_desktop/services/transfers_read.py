"""Reading the transfer letters (giấy giới thiệu sinh hoạt đảng): each letter with its member,
the life event it wrote, the end of a temporary stay, and its standing against the deadline
(waiting, presented, late by N days); the branch's deadline setting; the Home reminders.

The rules are the core's (``domain.transfers``); writes are in ``services.transfers``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.dates import format_vn
from sotay_core.domain.dues import Month
from sotay_core.domain.dues_records import stored_month
from sotay_core.domain.entities import EventKind, stored
from sotay_core.domain.errors import DomainError, NotFoundError
from sotay_core.domain.reminders import Reminder, ReminderKind
from sotay_core.domain.transfers import (
    DEFAULT_TRANSFER_RULES,
    Direction,
    IntroductionLetter,
    TransferKind,
    TransferRules,
    days_late,
    late,
    rules_from_json,
)
from sotay_core.i18n import t
from sotay_desktop.db.meta import get_meta
from sotay_desktop.db.tables import MemberEventRow, MemberRow
from sotay_desktop.db.year_tables import TransferRow

RULES_KEY = "transfer_rules"
# The events a letter writes, by direction and kind, and the one that ends a temporary stay.
ENDS = {EventKind.TEMP_OUT: EventKind.RETURNED, EventKind.TEMP_IN: EventKind.TEMP_IN_ENDED}


def event_kind_for(direction: Direction, kind: TransferKind) -> EventKind:
    if direction is Direction.OUT:
        return EventKind.TRANSFERRED_OUT if kind.official else EventKind.TEMP_OUT
    return EventKind.TRANSFERRED_IN if kind.official else EventKind.TEMP_IN


def current_rules(session: Session) -> TransferRules:
    """The branch's setting, or the default (30 working days) when none is stored; a stored
    value that no longer reads is the default too (said when it is set, not on every read)."""
    text = get_meta(session, RULES_KEY)
    if not text:
        return DEFAULT_TRANSFER_RULES
    try:
        return rules_from_json(text)
    except DomainError:
        return DEFAULT_TRANSFER_RULES


class LetterStatus(enum.StrEnum):
    WAITING = "waiting"                  # not presented, the deadline not passed
    LATE = "late"                        # not presented, past the deadline
    PRESENTED = "presented"              # presented on or before the deadline
    PRESENTED_LATE = "presented_late"    # presented after the deadline


@dataclass(frozen=True, slots=True)
class LetterView:
    id: str
    member_id: str
    name: str
    direction: Direction
    kind: TransferKind
    number: str
    issued_on: dt.date
    valid_until: dt.date
    from_place: str
    to_place: str
    dues_paid_to: Month | None
    presented_on: dt.date | None
    note: str
    event_id: str | None
    event_kind: EventKind | None
    event_date: dt.date | None          # left (out) or arrived (in)
    ended_on: dt.date | None            # a temporary stay ended (returned, or left here)
    status: LetterStatus
    days_late: int

    @property
    def late(self) -> bool:
        return self.status in (LetterStatus.LATE, LetterStatus.PRESENTED_LATE)

    def letter(self) -> IntroductionLetter:
        return IntroductionLetter(self.name, self.kind, self.direction, self.number,
                                  self.issued_on, self.valid_until, self.from_place,
                                  self.to_place, self.dues_paid_to, self.presented_on)


def status_words(view: LetterView, lang: str | None = None) -> str:
    """"Chờ xuất trình (hạn 14/12/2026)", "Quá hạn 3 ngày", "Đã xuất trình 02/12/2026"…"""
    deadline = format_vn(view.valid_until)
    if view.status is LetterStatus.WAITING:
        return t("transfers.status_waiting", lang=lang, deadline=deadline)
    if view.status is LetterStatus.LATE:
        return t("transfers.status_late", lang=lang, days=view.days_late, deadline=deadline)
    assert view.presented_on is not None
    presented = format_vn(view.presented_on)
    if view.status is LetterStatus.PRESENTED_LATE:
        return t("transfers.status_presented_late", lang=lang, date=presented,
                 days=view.days_late)
    return t("transfers.status_presented", lang=lang, date=presented)


def _view(row: TransferRow, name: str, events: dict[str, MemberEventRow],
          ends: list[MemberEventRow], today: dt.date) -> LetterView | None:
    direction = stored(Direction, row.direction)
    kind = stored(TransferKind, row.kind)
    if direction is None or kind is None:
        return None   # a value this version does not know (merged from elsewhere): left out
    dues = stored_month(row.dues_paid_to) if row.dues_paid_to else None
    event = events.get(row.event_id) if row.event_id else None
    event_kind = stored(EventKind, event.kind) if event is not None else None
    ended = None
    if event is not None and event_kind in ENDS:
        after = [e.date for e in ends if e.kind == ENDS[event_kind].value and
                 (e.date, e.seq) > (event.date, event.seq)]
        ended = min(after) if after else None
    try:
        letter = IntroductionLetter(name, kind, direction, row.number or "?", row.issued_on,
                                    row.valid_until, row.from_place, row.to_place, dues,
                                    row.presented_on)
    except DomainError:   # dates that do not fit (merged): shown, never judged late
        return LetterView(row.id, row.member_id, name, direction, kind, row.number,
                          row.issued_on, row.valid_until, row.from_place, row.to_place, dues,
                          row.presented_on, row.note, row.event_id, event_kind,
                          event.date if event else None, ended, LetterStatus.WAITING, 0)
    overdue = late(letter, today)
    if row.presented_on is None:
        status = LetterStatus.LATE if overdue else LetterStatus.WAITING
    else:
        status = LetterStatus.PRESENTED_LATE if overdue else LetterStatus.PRESENTED
    return LetterView(row.id, row.member_id, name, direction, kind, row.number, row.issued_on,
                      row.valid_until, row.from_place, row.to_place, dues, row.presented_on,
                      row.note, row.event_id, event_kind, event.date if event else None,
                      ended, status, days_late(letter, today))


def list_letters(session: Session, *, unit_id: str, today: dt.date,
                 member_id: str | None = None, late_only: bool = False,
                 transfer_id: str | None = None) -> list[LetterView]:
    """The branch's live letters, newest issue first (a member removed by mistake: left out)."""
    query = (select(TransferRow, MemberRow.full_name)
             .join(MemberRow, MemberRow.id == TransferRow.member_id)
             .where(MemberRow.unit_id == unit_id, MemberRow.deleted.is_(False),
                    TransferRow.deleted.is_(False)))
    if member_id is not None:
        query = query.where(TransferRow.member_id == member_id)
    if transfer_id is not None:
        query = query.where(TransferRow.id == transfer_id)
    found = session.execute(query.order_by(TransferRow.issued_on.desc(),
                                           TransferRow.number)).all()
    members = {row.member_id for row, _name in found}
    event_rows = session.scalars(select(MemberEventRow).where(
        MemberEventRow.member_id.in_(members), MemberEventRow.deleted.is_(False))).all()
    by_id = {e.id: e for e in event_rows}
    ends: dict[str, list[MemberEventRow]] = {}
    for e in event_rows:
        if e.kind in (EventKind.RETURNED.value, EventKind.TEMP_IN_ENDED.value):
            ends.setdefault(e.member_id, []).append(e)
    views = (_view(row, name, by_id, ends.get(row.member_id, []), today) for row, name in found)
    return [v for v in views if v is not None and (v.late or not late_only)]


def get_letter(session: Session, *, unit_id: str, transfer_id: str,
               today: dt.date) -> LetterView:
    found = list_letters(session, unit_id=unit_id, today=today, transfer_id=transfer_id)
    if not found:
        raise NotFoundError("not_found", what=t("transfers.letter"), id=transfer_id)
    return found[0]


def find_letter(session: Session, *, unit_id: str, words: str, today: dt.date) -> LetterView:
    """A letter by its id, or by its number when one live letter has it (the command line)."""
    wanted = words.strip()
    letters = list_letters(session, unit_id=unit_id, today=today)
    for hits in ([v for v in letters if v.id == wanted],
                 [v for v in letters if v.number.strip() == wanted]):
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise NotFoundError("transfers.ambiguous", number=wanted, count=len(hits))
    raise NotFoundError("not_found", what=t("transfers.letter"), id=wanted)


def late_reminders(session: Session, *, unit_id: str, today: dt.date) -> list[Reminder]:
    """A reminder for each letter not presented by its deadline; ``years`` carries the days."""
    return [Reminder(ReminderKind.TRANSFER_LATE, v.member_id, v.name, v.valid_until,
                     overdue=True, years=v.days_late)
            for v in list_letters(session, unit_id=unit_id, today=today, late_only=True)
            if v.presented_on is None]
