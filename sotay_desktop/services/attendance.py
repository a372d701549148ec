"""Who came to a meeting: the roll call, its marks, the voting base it gives.

The attendance tab lists everyone on the roster with their mark; exempted and away members
are pre-marked when the meeting is created (``meeting_edit``). Every mark goes to the
outbox in the caller's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import (
    Attendance,
    MemberStatus,
    stored,
)
from sotay_core.domain.errors import DomainError, NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.rules import (
    Voter,
    voting_base,
)
from sotay_core.domain.text import clean_line
from sotay_core.i18n import t
from sotay_desktop.db.tables import (
    AttendanceRow,
    MeetingRow,
    MemberRow,
)
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update, record_change


@dataclass(frozen=True, slots=True)
class AttendanceLine:
    member_id: str
    name: str
    official: bool
    status: Attendance | None       # None: not recorded yet
    reason: str
    member_status: MemberStatus | None = None   # the roster status, e.g. EXEMPTED


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def clean_time(value: str, field: str) -> str:
    value = clean_line(value or "")
    if value and not _TIME.match(value):
        raise ValidationError("bad_time", field=field, value=value)
    return value


def meeting_row(session: Session, meeting_id: str) -> MeetingRow:
    row = session.get(MeetingRow, meeting_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("meeting"), id=meeting_id)
    return row


def attendance(session: Session, meeting_id: str) -> list[AttendanceLine]:
    """Everyone on the roster, in roster order, with their mark (or None)."""
    meeting = meeting_row(session, meeting_id)
    marks = {row.member_id: row for row in session.scalars(select(AttendanceRow).where(
        AttendanceRow.meeting_id == meeting_id, AttendanceRow.deleted.is_(False)))}
    lines = []
    for member in session.scalars(select(MemberRow).where(
            MemberRow.unit_id == meeting.unit_id, MemberRow.deleted.is_(False)).order_by(
            MemberRow.sort_key)):
        mark = marks.get(member.id)
        status = stored(MemberStatus, member.status, MemberStatus.NONE)
        if not status.on_roster and mark is None:
            continue
        lines.append(AttendanceLine(
            member.id, member.full_name, member.status != MemberStatus.PROBATIONARY.value,
            stored(Attendance, mark.status) if mark else None, mark.reason if mark else "",
            status))
    return lines


def mark_rest_present(session: Session, *, meeting_id: str) -> tuple[int, Changes]:
    """Everyone on the list without a mark is marked present, in one transaction.

    How a secretary closes the roll call: the few absences are marked one by one, the rest
    were there. Returns how many were marked.
    """
    rest = [line.member_id for line in attendance(session, meeting_id) if line.status is None]
    for member_id in rest:
        set_attendance(session, meeting_id=meeting_id, member_id=member_id,
                       status=Attendance.PRESENT)
    return len(rest), Changes.of("attendance") if rest else Changes()


def set_attendance(session: Session, *, meeting_id: str, member_id: str,
                   status: Attendance | str, reason: str = "") -> Changes:
    meeting_row(session, meeting_id)
    member = session.get(MemberRow, member_id)
    if member is None or member.deleted:
        raise NotFoundError("not_found", what=t("member"), id=member_id)
    try:
        status = Attendance(status)
    except ValueError:
        raise ValidationError("bad_choice", field="status", value=status,
                              choices=", ".join(a.value for a in Attendance)) from None
    reason = clean_line(reason)
    row = session.scalars(select(AttendanceRow).where(
        AttendanceRow.meeting_id == meeting_id, AttendanceRow.member_id == member_id)).first()
    if row is None:
        row = AttendanceRow(id=new_id(), meeting_id=meeting_id, member_id=member_id,
                            status=status.value, reason=reason)
        session.add(row)
        session.flush()
        record_change(session, entity="attendance", row_id=row.id, op="create", base_version=0,
                      fields={"meeting_id": meeting_id, "member_id": member_id,
                              "status": status.value, "reason": reason})
        return Changes.of("attendance")
    if apply_update(session, entity="attendance", row=row,
                    values={"status": status.value, "reason": reason, "deleted": False}):
        return Changes.of("attendance")
    return Changes()


def meeting_voting_base(session: Session, meeting_id: str) -> int:
    voters = [Voter(line.member_id, line.official, line.status)
              for line in attendance(session, meeting_id) if line.status is not None]
    return voting_base(voters)


def unmarked(session: Session, meeting_id: str) -> int:
    """Members the attendance tab still lists without a mark who were on the roster on the
    meeting's day: the roll call is still open. Members admitted or arrived after an old
    meeting do not count, nor those who left since (the tab no longer lists them)."""
    from sotay_core.domain.lifecycle import state_on
    from sotay_desktop.services.members import histories

    meeting = meeting_row(session, meeting_id)
    open_lines = {line.member_id for line in attendance(session, meeting_id)
                  if line.status is None}
    count = 0
    for person in histories(session, unit_id=meeting.unit_id):
        if person.member_id not in open_lines:
            continue
        try:
            status = state_on(person.events, meeting.date).status
        except DomainError:   # a history that no longer adds up: not this paper's question
            continue
        count += status.on_roster
    return count
