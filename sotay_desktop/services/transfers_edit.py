"""Changing, cancelling and restoring a transfer letter, keeping its life event in step.

Member events are add-only (``protocol.entities``): a letter whose event must move gets its
event marked deleted and a new one written through ``members.record_event``, so the history
is checked again as a whole. Cancelling marks the letter and its event deleted (and the
person, when the letter brought them into the records and nothing else is theirs); the
member's history must still add up, else the cancel is refused naming the rule. The last
cancel can be taken back (``restore_last``), as one step, like the app's other undo.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import EventKind
from sotay_core.domain.errors import DomainError, LifecycleError, ValidationError
from sotay_core.domain.text import clean_block, clean_line
from sotay_core.domain.transfers import Direction, IntroductionLetter, TransferKind
from sotay_core.i18n import t
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import MemberEventRow, MemberRow
from sotay_desktop.db.year_tables import TransferRow
from sotay_desktop.services import members
from sotay_desktop.services.candidates_edit import check_values
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update
from sotay_desktop.services.transfers import (
    AUTO,
    TRANSFER_CHANGES,
    day,
    live_letter,
    month,
)
from sotay_desktop.services.transfers_read import event_kind_for

LAST_CANCEL_KEY = "last_cancelled_transfer"
EDITABLE = ("number", "issued_on", "valid_until", "from_place", "to_place", "dues_paid_to",
            "presented_on", "moved_on", "note")
# A person brought into the records by a letter has only these events besides its arrival.
_FROM_LETTER = {EventKind.ADMITTED.value, EventKind.MADE_OFFICIAL.value}
_SAME_ACT = dt.timedelta(seconds=5)


def _refresh(session: Session, member_id: str, name: str, number: str) -> None:
    try:
        members.refresh(session, member_id)
    except LifecycleError as exc:
        raise ValidationError("transfers.history_broken", name=name, number=number,
                              detail=exc.message()) from None


def _replace_event(session: Session, row: TransferRow, when: dt.date | None,
                   today: dt.date) -> None:
    """Move the letter's event to ``when`` (None: take it back)."""
    old = session.get(MemberEventRow, row.event_id) if row.event_id else None
    name = members.live_row(session, row.member_id).full_name
    if old is not None:
        apply_update(session, entity="member_events", row=old, values={"deleted": True})
        session.flush()
    if when is None:
        _refresh(session, row.member_id, name, row.number)
        apply_update(session, entity="transfers", row=row, values={"event_id": None})
        return
    direction, kind = Direction(row.direction), TransferKind(row.kind)
    try:
        event_id, _ = members.record_event(
            session, member_id=row.member_id, kind=event_kind_for(direction, kind), date=when,
            today=today, decision=row.number,
            place=row.to_place if direction is Direction.OUT else row.from_place,
            detail=old.detail if old is not None else "")
    except LifecycleError as exc:
        raise ValidationError("transfers.history_broken", name=name, number=row.number,
                              detail=exc.message()) from None
    apply_update(session, entity="transfers", row=row, values={"event_id": event_id})


def update_letter(session: Session, *, transfer_id: str, values: Mapping[str, Any],
                  today: dt.date) -> Changes:
    """Change some of a letter's fields (``EDITABLE``); the kind and the direction are not
    changed here (cancel and record again). The event follows its day: the day the member
    left (``moved_on``) for a letter sent, the day presented for a letter received."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError("transfers.unknown_field", what=sorted(unknown)[0])
    row = live_letter(session, transfer_id)
    name = members.live_row(session, row.member_id).full_name
    new: dict[str, Any] = {}
    for field in ("number", "from_place", "to_place"):
        if field in values:
            new[field] = clean_line(str(values[field]))
    if "note" in values:
        new["note"] = clean_block(str(values["note"]))
    check_values("transfers", {k: v for k, v in new.items() if v}, today=today)   # never cut
    if "issued_on" in values:
        new["issued_on"] = day("issued_on", values["issued_on"], today=today)
        if new["issued_on"] is None:
            raise ValidationError("required", field="issued_on")
    if "valid_until" in values:
        new["valid_until"] = day("valid_until", values["valid_until"], today=today,
                                 future=True) or row.valid_until
    if "presented_on" in values:
        new["presented_on"] = day("presented_on", values["presented_on"], today=today)
    if "dues_paid_to" in values and values["dues_paid_to"] != AUTO:
        found = month(values["dues_paid_to"])
        new["dues_paid_to"] = found.key if found else ""
    merged = {k: new.get(k, getattr(row, k)) for k in
              ("number", "issued_on", "valid_until", "from_place", "to_place", "presented_on")}
    IntroductionLetter(name, TransferKind(row.kind), Direction(row.direction),
                       merged["number"], merged["issued_on"], merged["valid_until"],
                       merged["from_place"], merged["to_place"], None, merged["presented_on"])
    event = session.get(MemberEventRow, row.event_id) if row.event_id else None
    apply_update(session, entity="transfers", row=row, values=new)
    session.flush()
    if row.direction == Direction.OUT.value and "moved_on" in values:
        moved = day("moved_on", values["moved_on"], today=today) or row.issued_on
        if event is None or event.date != moved:
            _replace_event(session, row, moved, today)
    elif row.direction == Direction.IN.value and "presented_on" in values:
        presented = new["presented_on"]
        if (event.date if event is not None else None) != presented:
            if presented is None and _brought_by_letter(session, row):
                raise ValidationError("transfers.new_needs_presented", field="presented_on",
                                      name=name)
            _replace_event(session, row, presented, today)
    session.flush()
    return TRANSFER_CHANGES


def _brought_by_letter(session: Session, row: TransferRow) -> bool:
    """The person was made by this letter: the member row was written with it and holds no
    event but the admission (from the letter) and this letter's arrival."""
    member = session.get(MemberRow, row.member_id)
    if member is None or abs(member.created_at - row.created_at) > _SAME_ACT:
        return False
    others = session.scalars(select(MemberEventRow.kind).where(
        MemberEventRow.member_id == row.member_id, MemberEventRow.deleted.is_(False),
        MemberEventRow.id != (row.event_id or ""))).all()
    letters = session.scalars(select(TransferRow.id).where(
        TransferRow.member_id == row.member_id, TransferRow.deleted.is_(False),
        TransferRow.id != row.id)).all()
    return set(others) <= _FROM_LETTER and not letters


def cancel_letter(session: Session, *, transfer_id: str) -> Changes:
    """Cancel a letter recorded by mistake (after the person confirmed): the letter and its
    event marked deleted, and the person if the letter brought them; restorable."""
    row = live_letter(session, transfer_id)
    name = members.live_row(session, row.member_id).full_name
    person = row.direction == Direction.IN.value and _brought_by_letter(session, row)
    event = session.get(MemberEventRow, row.event_id) if row.event_id else None
    apply_update(session, entity="transfers", row=row, values={"deleted": True})
    if event is not None and not event.deleted:
        apply_update(session, entity="member_events", row=event, values={"deleted": True})
    removed: list[str] = []
    if person:
        member = members.live_row(session, row.member_id)
        for other in session.scalars(select(MemberEventRow).where(
                MemberEventRow.member_id == row.member_id, MemberEventRow.deleted.is_(False))):
            apply_update(session, entity="member_events", row=other, values={"deleted": True})
            removed.append(other.id)
        apply_update(session, entity="members", row=member, values={"deleted": True})
    else:
        session.flush()
        _refresh(session, row.member_id, name, row.number)
    set_meta(session, LAST_CANCEL_KEY, json.dumps(
        {"transfer": row.id, "event": event.id if event is not None else None,
         "member": row.member_id if person else None, "events": removed, "name": name,
         "number": row.number}, ensure_ascii=False))
    session.flush()
    return TRANSFER_CHANGES


def last_cancelled(session: Session) -> dict[str, Any] | None:
    raw = get_meta(session, LAST_CANCEL_KEY)
    if not raw:
        return None
    try:
        found = json.loads(raw)
    except ValueError:
        return None
    return found if isinstance(found, dict) and isinstance(found.get("transfer"), str) else None


def restore_last(session: Session) -> tuple[str, Changes]:
    """Bring back the last cancelled letter (and its event, and its person); once."""
    act = last_cancelled(session)
    if act is None:
        raise DomainError("transfers.nothing_to_restore")
    row = session.get(TransferRow, act["transfer"])
    if row is None or not row.deleted:
        set_meta(session, LAST_CANCEL_KEY, "")
        raise DomainError("transfers.nothing_to_restore")
    if act.get("member"):
        member = session.get(MemberRow, act["member"])
        if member is not None and member.deleted:
            members.check_card_unique(session, member.card_number, exclude_id=member.id)
            apply_update(session, entity="members", row=member, values={"deleted": False})
    for event_id in [act.get("event"), *act.get("events", [])]:
        event = session.get(MemberEventRow, event_id) if event_id else None
        if event is not None and event.deleted:
            apply_update(session, entity="member_events", row=event, values={"deleted": False})
    apply_update(session, entity="transfers", row=row, values={"deleted": False})
    session.flush()
    _refresh(session, row.member_id, str(act.get("name", "")), row.number)
    set_meta(session, LAST_CANCEL_KEY, "")
    return row.id, TRANSFER_CHANGES | Changes.of("members")


def cancel_words(session: Session) -> str | None:
    """"Giấy số 12-GGT/ĐU của Nguyễn Văn An" for the restore button, or None."""
    act = last_cancelled(session)
    if act is None:
        return None
    return t("transfers.cancelled_letter", number=act.get("number", ""),
             name=act.get("name", ""))
