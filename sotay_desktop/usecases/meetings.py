"""Meetings: the list, one meeting's sheet, and each write of the meeting screen.

One function per action, with the service's own arguments; ``today`` comes from the
workspace's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from sotay_core.domain.entities import Attendance, MeetingKind

if TYPE_CHECKING:
    from sotay_desktop.documents.meeting_data import MeetingData
    from sotay_desktop.services.attendance import AttendanceLine
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.meeting_edit import MeetingDetails
    from sotay_desktop.services.meeting_records import CommentView
    from sotay_desktop.services.meetings import MeetingSummary
    from sotay_desktop.usecases.workspace import Workspace


@dataclass(frozen=True, slots=True)
class MeetingSheet:
    """Everything the meeting screen shows of one meeting, read in one transaction."""

    meeting_id: str
    data: MeetingData
    attendance: list[AttendanceLine]
    voting_base: int
    resolution_id: str | None
    comments: list[CommentView]
    details: MeetingDetails


class MeetingFields(TypedDict, total=False):
    """The fields ``update_meeting`` may change; those absent stay as they are."""

    title: str
    date: dt.date | str
    starts_at: str
    place: str
    guests: str
    chair_id: str | None
    recorder_id: str | None
    agenda: Sequence[str]
    secretary_id: str | None    # the bí thư of the meeting's committee term (the signer)


def meetings(ws: Workspace) -> list[MeetingSummary]:
    from sotay_desktop.services import meetings as service

    with ws.db.reads() as session:
        return service.list_meetings(session)


def meeting_data(ws: Workspace, meeting_id: str) -> MeetingData:
    from sotay_desktop.services import meetings as service

    with ws.db.reads() as session:
        return service.meeting_data(session, meeting_id)


def meeting_sheet(ws: Workspace, meeting_id: str) -> MeetingSheet:
    from sotay_desktop.services import attendance, meeting_edit, meeting_records
    from sotay_desktop.services import meetings as service

    with ws.db.reads() as session:
        data = service.meeting_data(session, meeting_id)
        lines = attendance.attendance(session, meeting_id)
        base = attendance.meeting_voting_base(session, meeting_id)
        resolution_id = meeting_records.resolution_id(session, meeting_id)
        notes = meeting_records.comments(session, resolution_id) if resolution_id else []
        details = meeting_edit.details(session, meeting_id)
    return MeetingSheet(meeting_id, data, lines, base, resolution_id, notes, details)


def create_meeting(ws: Workspace, *, day: dt.date | str,
                   kind: MeetingKind | str = MeetingKind.MONTHLY, title: str = "",
                   starts_at: str = "19:30", place: str = "", guests: str = "",
                   chair_id: str | None = None, recorder_id: str | None = None,
                   agenda: Sequence[str] | None = None,
                   allow_same_title: bool = False) -> tuple[str, Changes]:
    from sotay_desktop.services import meeting_edit

    with ws.db.sessions.begin() as session:
        return meeting_edit.create_meeting(
            session, day=day, today=ws.today(), kind=kind, title=title, starts_at=starts_at,
            place=place, guests=guests, chair_id=chair_id, recorder_id=recorder_id,
            agenda=agenda, allow_same_title=allow_same_title)


def update_meeting(ws: Workspace, *, meeting_id: str, fields: MeetingFields,
                   allow_same_title: bool = False) -> Changes:
    from sotay_desktop.services import meeting_edit

    with ws.db.sessions.begin() as session:
        return meeting_edit.update_meeting(session, meeting_id=meeting_id, today=ws.today(),
                                           allow_same_title=allow_same_title, **fields)


def set_attendance(ws: Workspace, *, meeting_id: str, member_id: str,
                   status: Attendance | str, reason: str = "") -> Changes:
    from sotay_desktop.services import attendance

    with ws.db.sessions.begin() as session:
        return attendance.set_attendance(session, meeting_id=meeting_id, member_id=member_id,
                                         status=status, reason=reason)


def mark_rest_present(ws: Workspace, *, meeting_id: str) -> tuple[int, Changes]:
    from sotay_desktop.services import attendance

    with ws.db.sessions.begin() as session:
        return attendance.mark_rest_present(session, meeting_id=meeting_id)


def save_minutes(ws: Workspace, *, meeting_id: str, speakers: Sequence[tuple[str, str]] = (),
                 conclusion: str = "", votes_for: int | None = None,
                 votes_against: int | None = None, ends_at: str = "",
                 review: str | None = None) -> Changes:
    from sotay_desktop.services import meeting_records

    with ws.db.sessions.begin() as session:
        return meeting_records.save_minutes(
            session, meeting_id=meeting_id, speakers=speakers, conclusion=conclusion,
            votes_for=votes_for, votes_against=votes_against, ends_at=ends_at, review=review)


def save_resolution(ws: Workspace, *, meeting_id: str, summary: str, results: str = "",
                    tasks: Sequence[tuple[str, str]] = (), implementation: str = "",
                    number: str = "") -> tuple[str, Changes]:
    from sotay_desktop.services import meeting_records

    with ws.db.sessions.begin() as session:
        return meeting_records.save_resolution(
            session, meeting_id=meeting_id, summary=summary, results=results, tasks=tasks,
            implementation=implementation, number=number)


def circulate_resolution(ws: Workspace, *, resolution_id: str) -> Changes:
    from sotay_desktop.services import meeting_records

    with ws.db.sessions.begin() as session:
        return meeting_records.circulate_resolution(session, resolution_id=resolution_id)


def adopt_resolution(ws: Workspace, *, resolution_id: str, votes_for: int,
                     votes_against: int = 0) -> Changes:
    from sotay_desktop.services import meeting_records

    with ws.db.sessions.begin() as session:
        return meeting_records.adopt_resolution(session, resolution_id=resolution_id,
                                                votes_for=votes_for,
                                                votes_against=votes_against)


def add_comment(ws: Workspace, *, resolution_id: str, body: str,
                author_member_id: str | None = None,
                author_text: str = "") -> tuple[str, Changes]:
    from sotay_desktop.services import meeting_records

    with ws.db.sessions.begin() as session:
        return meeting_records.add_comment(session, resolution_id=resolution_id, body=body,
                                           author_member_id=author_member_id,
                                           author_text=author_text)
