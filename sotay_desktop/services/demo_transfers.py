"""The demo branch's transfer letters (issue 20): one of each kind — an official letter out
(to another province, presented in time), a temporary letter out (within the province, not
presented: past its deadline, the late one), an official letter in (within the province) and a
temporary letter in (a member of another province's branch attending for a while).
Letters are put on the demo's own transfer events where it has them (so the roster keeps its
size and party numbers), else the event is written with the letter. Rows are inserted in bulk
without outbox entries, like the rest of the demo, and every history is checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from sotay_core.domain.entities import EventKind, MemberEvent, MemberStatus
from sotay_core.domain.lifecycle import check_history
from sotay_core.domain.transfers import Direction, TransferKind, deadline
from sotay_desktop.db.tables import CommitteeTermRow, MeetingRow, MemberEventRow, MemberRow
from sotay_desktop.db.year_tables import TransferRow
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.members import histories

HERE_PROVINCE = "tỉnh Hưng Yên"
AWAY_PLACE = "Đảng bộ phường Tiền Phong, tỉnh Thái Bình"
VISITOR_FROM = "Đảng bộ xã Vũ Lạc, tỉnh Thái Bình"


def _pick(session: Session, unit_id: str, as_of: dt.date) -> dict[str, Any]:
    """Each kind's member: the latest one of the demo with that event and nothing after it
    (a letter is put on that event), else a quiet official member (the event is new)."""
    latest: dict[EventKind, tuple[dt.date, str, str]] = {}
    quiet: list[str] = []
    busy = set(session.scalars(select(CommitteeTermRow.secretary_id))) | set(
        session.scalars(select(MeetingRow.chair_id))) | set(
        session.scalars(select(MeetingRow.recorder_id)))   # they lead the demo's meetings
    for person in histories(session, unit_id=unit_id):
        state = check_history(person.events)
        last = max(person.events, key=lambda e: (e.date, e.seq), default=None)
        if last is None:
            continue
        if last.kind in (EventKind.TRANSFERRED_OUT, EventKind.TEMP_OUT, EventKind.TRANSFERRED_IN):
            if last.date > latest.get(last.kind, (dt.date.min, "", ""))[0]:
                latest[last.kind] = (last.date, person.member_id, last.id)
        if (state.status is MemberStatus.OFFICIAL and person.member_id not in busy
                and last.date < as_of - dt.timedelta(days=90)):
            quiet.append(person.member_id)
    return {"latest": latest, "quiet": quiet}


def make_transfers(session: Session, *, unit_id: str, as_of: dt.date, branch_name: str,
                   common: dict[str, Any], ids: Any) -> Changes:
    d = dt.timedelta
    found = _pick(session, unit_id, as_of)
    latest: dict[EventKind, tuple[dt.date, str, str]] = found["latest"]
    quiet: list[str] = found["quiet"]
    events: list[dict[str, Any]] = []
    letters: list[dict[str, Any]] = []
    moved: dict[str, str] = {}   # event id -> its new place

    def month_before(day: dt.date) -> str:
        return (day.replace(day=1) - d(days=1)).strftime("%Y-%m")

    def letter(kind: EventKind, sort: TransferKind, number: str, origin: str, target: str,
               presented_after: int | None, fallback: dt.date) -> None:
        """The letter of the latest ``kind`` event, or of a new one on ``fallback``."""
        direction = Direction.OUT if kind in (EventKind.TRANSFERRED_OUT,
                                              EventKind.TEMP_OUT) else Direction.IN
        if kind in latest:
            day, member_id, event_id = latest[kind]
            moved[event_id] = target if direction is Direction.OUT else origin
        elif quiet:
            day, member_id, event_id = fallback, quiet.pop(), ids()
            events.append({**common, "id": event_id, "member_id": member_id,
                           "kind": kind.value, "date": day, "decision": number,
                           "place": target if direction is Direction.OUT else origin,
                           "detail": "", "seq": 5})
        else:
            return
        issued = day - d(days=9) if direction is Direction.IN else day
        letters.append({**common, "id": ids(), "member_id": member_id,
                        "direction": direction.value, "kind": sort.value, "number": number,
                        "issued_on": issued, "valid_until": deadline(issued),
                        "from_place": origin, "to_place": target,
                        "dues_paid_to": month_before(day),
                        "presented_on": day if direction is Direction.IN else (
                            None if presented_after is None else
                            min(as_of, day + d(days=presented_after))),
                        "event_id": event_id, "note": ""})

    letter(EventKind.TRANSFERRED_OUT, TransferKind.OFFICIAL_OUTSIDE, "41-GGT/ĐU", branch_name,
           AWAY_PLACE, 12, as_of - d(days=40))
    letter(EventKind.TEMP_OUT, TransferKind.TEMPORARY_WITHIN, "27-GGT/ĐU", branch_name,
           f"Chi bộ Công ty May Phố Nối, {HERE_PROVINCE}", None, as_of - d(days=60))
    letter(EventKind.TRANSFERRED_IN, TransferKind.OFFICIAL_WITHIN, "88-GGT/ĐU",
           f"Chi bộ thôn Nam, xã Đại Đồng, {HERE_PROVINCE}", branch_name, 0,
           as_of - d(days=12))
    # Temporarily here: a member of another province's branch, attending for a while (one of
    # the demo's quiet members, whose admission the arrival then tells was made elsewhere).
    if quiet:
        stay, member_id = as_of - d(days=10), quiet.pop()
        latest[EventKind.TEMP_IN] = (stay, member_id, ids())
        events.append({**common, "id": latest[EventKind.TEMP_IN][2], "member_id": member_id,
                       "kind": EventKind.TEMP_IN.value, "date": stay, "decision": "05-GGTT/ĐU",
                       "place": VISITOR_FROM, "detail": "", "seq": 5})
        letter(EventKind.TEMP_IN, TransferKind.TEMPORARY_OUTSIDE, "05-GGTT/ĐU", VISITOR_FROM,
               branch_name, 0, stay)
    if events:
        session.execute(insert(MemberEventRow), events)
    stamp = common["updated_at"]   # a fixed time: the same seed makes the same rows
    for event_id, place in moved.items():
        session.execute(update(MemberEventRow).where(MemberEventRow.id == event_id)
                        .values(place=place, updated_at=stamp))
    if letters:
        session.execute(insert(TransferRow), letters)
    touched = sorted({row["member_id"] for row in letters})
    for member_id in touched:
        kept = session.scalars(select(MemberEventRow).where(
            MemberEventRow.member_id == member_id, MemberEventRow.deleted.is_(False))).all()
        state = check_history(MemberEvent(e.id, e.member_id, EventKind(e.kind), e.date,
                                          seq=e.seq) for e in kept)
        session.execute(update(MemberRow).where(MemberRow.id == member_id).values(
            status=state.status.value, admitted_on=state.first_admitted_on,
            official_on=state.official_on, updated_at=stamp))
    session.flush()
    return Changes.of("transfers", "members", "member_events")
