"""Where a candidate becomes a member, through the roster's own services.

The ceremony creates the ``members`` row from the candidate's details (``members.add_member``)
and writes the ADMITTED event (``members.record_event``, the path the roster's event dialog
takes), so the status, party age and probation reminders follow as for any member. The
full-membership resolution writes MADE_OFFICIAL dated the end of probation
(``admission.official_from``), the resolution's number as its decision.

Taking either back removes what it wrote, but only while nothing else was recorded for the
member since (their history is theirs then: it is mended in the member's record).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import admission
from sotay_core.domain.admission import AdmissionRules, CandidateStatus
from sotay_core.domain.entities import EventKind
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.lifecycle import LifecycleRules, ordered
from sotay_desktop.db.tables import MemberEventRow, MemberRow
from sotay_desktop.db.year_tables import CandidateRow
from sotay_desktop.services import members
from sotay_desktop.services.candidates import member_events, tolerant_state
from sotay_desktop.services.candidates_edit import members_first, update_row
from sotay_desktop.services.recording import apply_update


def admit(session: Session, *, row: CandidateRow, ceremony_on: dt.date, decision: str,
          today: dt.date) -> str:
    """The member made at the ceremony; the candidate points at them, status admitted."""
    data = {"full_name": row.full_name, "gender": row.gender, "date_of_birth": row.date_of_birth,
            "residence": row.residence, "occupation_now": row.occupation, "phone": row.phone}
    member_id, _ = members.add_member(
        session, unit_id=row.unit_id, data={k: v for k, v in data.items() if v}, today=today)
    members.record_event(session, member_id=member_id, kind=EventKind.ADMITTED,
                         date=ceremony_on, today=today, decision=decision)
    update_row(session, entity="candidates", row=row,
                 values={"member_id": member_id, "status": CandidateStatus.ADMITTED.value})
    members_first(session, row)    # an unsent candidate goes up after its member
    return member_id


def _member(session: Session, row: CandidateRow) -> MemberRow:
    member = session.get(MemberRow, row.member_id) if row.member_id else None
    if member is None or member.deleted:
        raise ValidationError("admission_app.member_gone", name=row.full_name)
    return member


def make_official(session: Session, *, row: CandidateRow, ceremony_on: dt.date, number: str,
                  today: dt.date, rules: AdmissionRules) -> None:
    member = _member(session, row)
    members.record_event(
        session, member_id=member.id, kind=EventKind.MADE_OFFICIAL,
        date=admission.official_from(ceremony_on, rules), today=today, decision=number,
        rules=LifecycleRules(probation_months=rules.probation_months))
    update_row(session, entity="candidates", row=row,
                 values={"status": CandidateStatus.OFFICIAL.value})


def _event_rows(session: Session, member_id: str) -> list[MemberEventRow]:
    return list(session.scalars(select(MemberEventRow).where(
        MemberEventRow.member_id == member_id, MemberEventRow.deleted.is_(False))))


def _take_back(session: Session, row: CandidateRow, member: MemberRow, kind: EventKind) -> None:
    """Mark the member's last event, which must be of ``kind``, deleted."""
    history = ordered(member_events(session, member.id))
    if not history or history[-1].kind is not kind:
        raise ValidationError("admission_app.member_has_history", name=row.full_name)
    event = session.get(MemberEventRow, history[-1].id)
    assert event is not None
    apply_update(session, entity="member_events", row=event, values={"deleted": True})
    session.flush()
    state = tolerant_state(member_events(session, member.id))
    # derived columns (kept in step with the history as members.py keeps them; not synced)
    member.status = state.status.value
    member.admitted_on = state.first_admitted_on
    member.official_on = state.official_on


def unmake_official(session: Session, *, row: CandidateRow) -> None:
    member = _member(session, row)
    _take_back(session, row, member, EventKind.MADE_OFFICIAL)
    update_row(session, entity="candidates", row=row,
                 values={"status": CandidateStatus.ADMITTED.value})


def unadmit(session: Session, *, row: CandidateRow) -> None:
    """Remove the member the ceremony made (they had nothing but the admission)."""
    member = _member(session, row)
    if len(_event_rows(session, member.id)) != 1:
        raise ValidationError("admission_app.member_has_history", name=row.full_name)
    _take_back(session, row, member, EventKind.ADMITTED)
    apply_update(session, entity="members", row=member, values={"deleted": True})
    update_row(session, entity="candidates", row=row,
                 values={"member_id": None, "status": CandidateStatus.ACTIVE.value})
