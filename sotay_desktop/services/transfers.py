"""Recording a transfer letter (giấy giới thiệu sinh hoạt đảng) sent or received, and the life
event it means, through the same service as the roster's event dialog (``members``):

- out, official: ``TRANSFERRED_OUT`` on the day the member left (default: the issue day) —
  off the roster counts, the dues book and the voting base from that day, kept in history;
- out, temporary: ``TEMP_OUT`` (status AWAY: still in this branch's party numbers);
- in, official: ``TRANSFERRED_IN`` on the day the letter was presented here, for a member
  already in the records or a new person (their admission, from the letter, comes first);
- in, temporary: ``TEMP_IN`` (status TEMPORARY: attends here, not in this branch's numbers;
  QĐ 24/294 §6.3.2: "không tính vào đảng số của đảng bộ nơi sinh hoạt tạm thời").

The letter's row keeps the event's id (``event_id``). Editing, cancelling and restoring a
letter are in ``services.transfers_edit``; reading in ``services.transfers_read``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain.dues import Month
from sotay_core.domain.entities import EventKind, MemberStatus, stored
from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.lifecycle import check_history
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.month_text import parse_month
from sotay_core.domain.text import clean_block, clean_line
from sotay_core.domain.transfers import (
    Direction,
    IntroductionLetter,
    TransferKind,
    TransferRules,
    check_transfer,
    deadline,
    rules_to_json,
)
from sotay_core.i18n import t
from sotay_desktop.db.meta import set_meta
from sotay_desktop.db.tables import Meta
from sotay_desktop.db.year_tables import TransferRow
from sotay_desktop.services import dues_read, members
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.candidates_edit import check_values
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update, record_change
from sotay_desktop.services.transfers_read import RULES_KEY, current_rules, event_kind_for

TRANSFER_CHANGES = Changes.of("transfers", "members", "member_events")
AUTO = "auto"   # the dues month taken from the dues book
NEW_PERSON_FIELDS = ("full_name", "gender", "date_of_birth", "card_number", "residence",
                     "phone", "admitted_on", "official_on")


def set_rules(session: Session, rules: TransferRules | None) -> Changes:
    """Store the deadline setting; None goes back to the default."""
    if rules is None:
        row = session.get(Meta, RULES_KEY)
        if row is not None:
            session.delete(row)
            session.flush()
    else:
        set_meta(session, RULES_KEY, rules_to_json(rules))
    return Changes.of("transfers")


def choice(enum_type: Any, value: Any, field: str) -> Any:
    try:
        return enum_type(value)
    except ValueError:
        raise ValidationError("bad_choice", field=field, value=value,
                              choices=", ".join(k.value for k in enum_type)) from None


def day(field: str, value: dt.date | str | None, *, today: dt.date,
        future: bool = False) -> dt.date | None:
    """A date as typed (dd/mm/yyyy or ISO); not after today unless ``future``."""
    return clean_date_field(field, value, today=dt.date.max if future else today)


def month(value: Month | str | None) -> Month | None:
    if value is None or isinstance(value, Month):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return parse_month(text)
    except ValidationError:
        raise ValidationError("transfers.bad_month", field="dues_paid_to", value=text) from None


def paid_up_to(session: Session, *, unit_id: str, member_id: str,
               today: dt.date) -> Month | None:
    """The month the dues book says the member has paid up to (None: no book, or none paid)."""
    view = dues_read.member_view(session, unit_id=unit_id, member_id=member_id, today=today)
    return view.paid_up_to if view is not None else None


def _branch_name(session: Session) -> str:
    info = branch_info(session)
    return info.branch.name if info is not None else ""


def _status(session: Session, member_id: str) -> MemberStatus:
    return stored(MemberStatus, members.live_row(session, member_id).status, MemberStatus.NONE)


def record_letter(
    session: Session, *, unit_id: str, direction: Direction | str, kind: TransferKind | str,
    number: str, issued_on: dt.date | str, today: dt.date, member_id: str | None = None,
    person: Mapping[str, Any] | None = None, valid_until: dt.date | str | None = None,
    from_place: str = "", to_place: str = "", dues_paid_to: Month | str | None = AUTO,
    presented_on: dt.date | str | None = None, moved_on: dt.date | str | None = None,
    note: str = "",
) -> tuple[str, Changes]:
    """Record one letter and write its event; refused as a whole, naming the rule."""
    way: Direction = choice(Direction, direction, "direction")
    sort: TransferKind = choice(TransferKind, kind, "kind")
    issued = day("issued_on", issued_on, today=today)
    if issued is None:
        raise ValidationError("required", field="issued_on")
    until = day("valid_until", valid_until, today=today, future=True) or deadline(
        issued, current_rules(session))
    presented = day("presented_on", presented_on, today=today)
    here = _branch_name(session)
    changes = TRANSFER_CHANGES
    if way is Direction.OUT:
        if member_id is None:
            raise ValidationError("transfers.member_needed", field="member")
        name = _leaving(session, member_id, sort)
        left = day("moved_on", moved_on, today=today) or issued
        event_day: dt.date | None = left
        origin, target = clean_line(from_place) or here, clean_line(to_place)
        if not target:
            raise ValidationError("transfers.place_needed", field="to_place", name=name)
    else:
        if (member_id is None) == (person is None):
            raise ValidationError("transfers.member_or_person", field="member")
        event_day = presented
        origin, target = clean_line(from_place), clean_line(to_place) or here
        if not origin:
            raise ValidationError("transfers.place_needed", field="from_place",
                                  name=(person or {}).get("full_name", ""))
        if person is not None:
            name = clean_line(str(person.get("full_name", "")))
            if presented is None:   # a new person is in the records from the day they came
                raise ValidationError("transfers.new_needs_presented", field="presented_on",
                                      name=name)
            _check_person(person, issued, presented, today)
        else:
            assert member_id is not None
            name = _arriving(session, member_id, sort)
    texts = {"number": clean_line(number), "from_place": origin, "to_place": target,
             "note": clean_block(note)}
    check_values("transfers", {k: v for k, v in texts.items() if v}, today=today)   # never cut
    letter = IntroductionLetter(name, sort, way, texts["number"], issued, until,
                                origin, target, None, presented)
    if person is not None:
        member_id, _ = members.add_member(session, unit_id=unit_id, data=dict(person),
                                          today=today)
        changes |= Changes.of("members")
    assert member_id is not None
    admitted = check_history(members.get_member(session, member_id).events).first_admitted_on
    for when in (issued, event_day):
        if when is not None:
            check_transfer(name, when, admitted)
    dues = month(dues_paid_to) if dues_paid_to != AUTO else (
        paid_up_to(session, unit_id=unit_id, member_id=member_id, today=today)
        if way is Direction.OUT else None)
    event_id = None
    if event_day is not None:
        event_id, _ = members.record_event(
            session, member_id=member_id, kind=event_kind_for(way, sort), date=event_day,
            today=today, decision=letter.number, place=target if way is Direction.OUT
            else origin, detail=t(f"transfers.kind_{sort.value}", lang="vi"))
    row = TransferRow(id=new_id(), member_id=member_id, direction=way.value, kind=sort.value,
                      number=letter.number, issued_on=issued, valid_until=until,
                      from_place=origin, to_place=target,
                      dues_paid_to=dues.key if dues else "", presented_on=presented,
                      event_id=event_id, note=texts["note"])
    session.add(row)
    session.flush()
    record_change(session, entity="transfers", row_id=row.id, op="create", base_version=0,
                  fields={name: getattr(row, name) for name in _FIELDS})
    return row.id, changes


_FIELDS = ("member_id", "direction", "kind", "number", "issued_on", "valid_until", "from_place",
           "to_place", "dues_paid_to", "presented_on", "event_id", "note")


def _leaving(session: Session, member_id: str, kind: TransferKind) -> str:
    """The member sent away must be on this branch's roster (an official move also from a
    temporary stay elsewhere; a temporary one only when attending here)."""
    row = members.live_row(session, member_id)
    status = stored(MemberStatus, row.status, MemberStatus.NONE)
    allowed = status.on_roster and (kind.official or status is not MemberStatus.AWAY)
    if status is MemberStatus.NONE:
        raise ValidationError("transfer.not_member", field="member", name=row.full_name,
                              day="")
    if not allowed:
        raise ValidationError("transfers.not_on_roster", field="member", name=row.full_name,
                              status=t(f"status.{status.value}"))
    return row.full_name


def _arriving(session: Session, member_id: str, kind: TransferKind) -> str:
    """A member already in the records who comes here (back from elsewhere): not one who is
    on this roster now."""
    row = members.live_row(session, member_id)
    status = _status(session, member_id)
    if status.on_roster or (status is MemberStatus.TEMPORARY and not kind.official):
        raise ValidationError("transfers.already_here", field="member", name=row.full_name,
                              status=t(f"status.{status.value}"))
    if status in (MemberStatus.DECEASED, MemberStatus.REMOVED, MemberStatus.NONE):
        raise ValidationError("transfer.not_member", field="member", name=row.full_name,
                              day="")
    return row.full_name


def _check_person(person: Mapping[str, Any], issued: dt.date, presented: dt.date,
                  today: dt.date) -> None:
    """A new person's admission (from the letter) is needed, and comes before the letter."""
    unknown = set(person) - set(NEW_PERSON_FIELDS)
    if unknown:
        raise ValidationError("transfers.unknown_field", what=sorted(unknown)[0])
    name = clean_line(str(person.get("full_name", "")))
    if not name:
        raise ValidationError("required", field="full_name")
    admitted = clean_date_field("admitted_on", person.get("admitted_on"), today=today)
    if admitted is None:
        raise ValidationError("transfers.admission_needed", field="admitted_on", name=name)
    check_transfer(name, issued, admitted)
    check_transfer(name, presented, admitted)


def live_letter(session: Session, transfer_id: str) -> TransferRow:
    row = session.get(TransferRow, transfer_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("transfers.letter"), id=transfer_id)
    return row


def present(session: Session, *, transfer_id: str, presented_on: dt.date | str,
            today: dt.date) -> Changes:
    """The letter presented (in: here, writing the arrival; out: confirmed by the place the
    member went to). Refused before the issue or after today."""
    row = live_letter(session, transfer_id)
    presented = day("presented_on", presented_on, today=today)
    if presented is None:
        raise ValidationError("required", field="presented_on")
    name = members.live_row(session, row.member_id).full_name
    IntroductionLetter(name, TransferKind(row.kind), Direction(row.direction), row.number or "?",
                       row.issued_on, row.valid_until, row.from_place, row.to_place,
                       None, presented)
    values: dict[str, Any] = {"presented_on": presented}
    if row.direction == Direction.IN.value and row.event_id is None:
        sort = TransferKind(row.kind)
        event_id, _ = members.record_event(
            session, member_id=row.member_id, kind=event_kind_for(Direction.IN, sort),
            date=presented, today=today, decision=row.number, place=row.from_place,
            detail=t(f"transfers.kind_{sort.value}", lang="vi"))
        values["event_id"] = event_id
    apply_update(session, entity="transfers", row=row, values=values)
    session.flush()
    return TRANSFER_CHANGES


def end_stay(session: Session, *, transfer_id: str, ended_on: dt.date | str,
             today: dt.date) -> tuple[str, Changes]:
    """A temporary stay over: back home (out: RETURNED) or gone from here (in: TEMP_IN_ENDED)."""
    row = live_letter(session, transfer_id)
    name = members.live_row(session, row.member_id).full_name
    if TransferKind(row.kind).official or row.event_id is None:
        raise ValidationError("transfers.not_a_stay", name=name, number=row.number)
    end = day("ended_on", ended_on, today=today)
    if end is None:
        raise ValidationError("required", field="ended_on")
    kind = EventKind.RETURNED if row.direction == Direction.OUT.value \
        else EventKind.TEMP_IN_ENDED
    return members.record_event(session, member_id=row.member_id, kind=kind, date=end,
                                today=today, decision=row.number,
                                place=row.from_place if kind is EventKind.TEMP_IN_ENDED
                                else row.to_place)
