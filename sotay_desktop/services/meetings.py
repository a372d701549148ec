"""Meetings as the documents need them: list, and one meeting's full data."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core import i18n
from sotay_core.domain.entities import Attendance, MemberStatus, ResolutionStatus, stored
from sotay_core.domain.errors import DomainError, NotFoundError, ValidationError
from sotay_desktop.db.tables import (
    AttendanceRow,
    CommitteeTermRow,
    MeetingRow,
    MemberRow,
    MinutesRow,
    ResolutionRow,
)
from sotay_desktop.documents.meeting_data import (
    Attendee,
    MeetingData,
    ResolutionData,
    Speaker,
    Task,
    require_names,
)
from sotay_desktop.documents.packet import SIZES, PacketDocument, PacketRequest
from sotay_desktop.services import minutes_extras
from sotay_desktop.services.attendance import meeting_row
from sotay_desktop.services.branch import branch_info


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    id: str
    date: dt.date
    title: str
    kind: str
    present: int
    called: int
    resolution_number: str
    resolution_status: str


def _loads(text: str | None) -> Any:
    try:
        return json.loads(text or "null")
    except json.JSONDecodeError:
        return None


def list_meetings(session: Session) -> list[MeetingSummary]:
    info = branch_info(session)
    if info is None:
        return []
    meetings = session.scalars(select(MeetingRow).where(
        MeetingRow.unit_id == info.branch.id, MeetingRow.deleted.is_(False)).order_by(
        MeetingRow.date.desc())).all()
    result = []
    for meeting in meetings:
        marks = session.scalars(select(AttendanceRow.status).where(
            AttendanceRow.meeting_id == meeting.id, AttendanceRow.deleted.is_(False))).all()
        resolution = session.scalars(select(ResolutionRow).where(
            ResolutionRow.meeting_id == meeting.id, ResolutionRow.deleted.is_(False))).first()
        result.append(MeetingSummary(
            id=meeting.id, date=meeting.date, title=meeting.title, kind=meeting.kind,
            present=sum(1 for m in marks if m == Attendance.PRESENT.value),
            called=sum(1 for m in marks
                       if m not in (Attendance.EXEMPTED.value, Attendance.AWAY.value)),
            resolution_number=resolution.number if resolution else "",
            resolution_status=resolution.status if resolution else ""))
    return result


_UNIT_PREFIX = re.compile(r"^(đảng bộ|chi bộ)\s+", re.I)
_PLACE_PREFIX = re.compile(r"^(xã|phường|thị trấn|đặc khu|thôn|tổ dân phố)\s+", re.I)


def place_name(unit_name: str) -> str:
    """"Đảng bộ xã Tân Lập" -> "Tân Lập" (for "Tân Lập, ngày …")."""
    return _PLACE_PREFIX.sub("", _UNIT_PREFIX.sub("", unit_name.strip())).strip()


def committee_term(session: Session, unit_id: str, day: dt.date) -> CommitteeTermRow | None:
    """The committee term of ``unit_id`` that ``day`` falls in (the latest begun, if several)."""
    terms = [row for row in session.scalars(select(CommitteeTermRow).where(
        CommitteeTermRow.unit_id == unit_id, CommitteeTermRow.deleted.is_(False)))
        if row.starts_on <= day and (row.ends_on is None or day <= row.ends_on)]
    return max(terms, key=lambda row: row.starts_on) if terms else None


def committee_secretary(session: Session, unit_id: str, day: dt.date) -> tuple[str, str] | None:
    """(member id, name) of the bí thư in office on ``day``: who signs for the branch."""
    term = committee_term(session, unit_id, day)
    if term is None or not term.secretary_id:
        return None
    member = session.get(MemberRow, term.secretary_id)
    if member is None or member.deleted:
        return None
    return member.id, member.full_name


def meeting_data(session: Session, meeting_id: str) -> MeetingData:
    meeting = meeting_row(session, meeting_id)
    info = branch_info(session)
    if info is None:
        raise DomainError("no_branch", path="")
    # members removed (entered by mistake, an undone import) are on no paper, not even as
    # the chair or the recorder: the paper then says that name is missing
    names = dict(session.execute(select(MemberRow.id, MemberRow.full_name).where(
        MemberRow.deleted.is_(False))).all())
    attendees = []
    for mark, member in session.execute(
            select(AttendanceRow, MemberRow)
            .join(MemberRow, MemberRow.id == AttendanceRow.member_id)
            .where(AttendanceRow.meeting_id == meeting_id, AttendanceRow.deleted.is_(False),
                   MemberRow.deleted.is_(False))
            .order_by(MemberRow.sort_key)).all():
        attendance = stored(Attendance, mark.status)
        if attendance is None:
            continue  # a mark of a kind this version does not know: left off the paper
        attendees.append(Attendee(
            name=member.full_name, official=member.status != MemberStatus.PROBATIONARY.value,
            attendance=attendance, reason=mark.reason))
    minutes = session.scalars(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).first()
    body = _loads(minutes.body) if minutes else None
    body = body if isinstance(body, dict) else {}
    agenda = _loads(meeting.agenda)
    resolution_row = session.scalars(select(ResolutionRow).where(
        ResolutionRow.meeting_id == meeting_id, ResolutionRow.deleted.is_(False))).first()
    resolution = None
    if resolution_row is not None:
        parts = _loads(resolution_row.body)
        parts = parts if isinstance(parts, dict) else {"results": resolution_row.body or ""}
        tasks = []
        for task in parts.get("tasks") or []:
            if isinstance(task, dict):
                tasks.append(Task(str(task.get("text", "")), str(task.get("responsible", ""))))
            else:
                tasks.append(Task(str(task)))
        resolution = ResolutionData(
            number=resolution_row.number, summary=resolution_row.title,
            results=str(parts.get("results", "")), tasks=tuple(tasks),
            implementation=str(parts.get("implementation", "")),
            votes_for=resolution_row.votes_for, votes_against=resolution_row.votes_against,
            adopted=resolution_row.status == ResolutionStatus.ADOPTED.value)
    superior = info.superior.name if info.superior else ""
    chair = names.get(meeting.chair_id or "", "")
    secretary = committee_secretary(session, meeting.unit_id, meeting.date)
    return MeetingData(
        superior=superior, branch=info.branch.name, place_name=place_name(superior),
        date=meeting.date, title=meeting.title, starts_at=meeting.starts_at,
        ends_at=meeting.ends_at, location=meeting.place, chair=chair,
        recorder=names.get(meeting.recorder_id or "", ""),
        secretary=secretary[1] if secretary else "",
        guests=meeting.guests,
        agenda=tuple(str(a) for a in agenda) if isinstance(agenda, list) else (),
        attendees=tuple(attendees),
        speakers=tuple(Speaker(str(s.get("name", "")), str(s.get("gist", "")))
                       for s in body.get("speakers", []) if isinstance(s, dict)),
        conclusion=minutes.conclusion if minutes else "",
        votes_for=minutes.votes_for if minutes else None,
        votes_against=minutes.votes_against if minutes else None,
        resolution=resolution, review=minutes_extras.review_for(session, meeting, body),
        score=minutes_extras.score_line(session, meeting_id))


def packet_request(
    session: Session,
    *,
    meeting_id: str,
    members: str = "",
    document_ids: tuple[str, ...] = (),
    font_size: int = 20,
    paper: str = "a4",
) -> PacketRequest:
    """``members``: "" (one copy without a name), "all" (everyone on the roster) or ids."""
    from sotay_desktop.db.tables import DocumentRow

    data = meeting_data(session, meeting_id)
    require_names(data)     # before the caller records the print in the audit
    names: list[str] = []
    if members == "all":
        names = [row.full_name for row in session.execute(
            select(MemberRow.full_name).where(
                MemberRow.deleted.is_(False),
                MemberRow.status.in_([s.value for s in MemberStatus if s.on_roster]))
            .order_by(MemberRow.sort_key))]
    elif members:
        for member_id in (m.strip() for m in members.split(",") if m.strip()):
            row = session.get(MemberRow, member_id)
            if row is None or row.deleted:
                raise NotFoundError("not_found", what=i18n.t("member"), id=member_id)
            names.append(row.full_name)
    documents = []
    for document_id in document_ids:
        document = session.get(DocumentRow, document_id)
        if document is None or document.deleted:
            raise NotFoundError("not_found", what=i18n.t("document"), id=document_id)
        documents.append(PacketDocument(document.title, document.number, document.body_text))
    if font_size not in SIZES:
        raise ValidationError("bad_choice", field="font_size", value=font_size,
                              choices=", ".join(map(str, SIZES)))
    if paper not in ("a4", "a5"):
        raise ValidationError("bad_choice", field="paper", value=paper, choices="a4, a5")
    return PacketRequest(meeting=data, members=tuple(names), documents=tuple(documents),
                         font_size=font_size, paper="a5" if paper == "a5" else "a4")
