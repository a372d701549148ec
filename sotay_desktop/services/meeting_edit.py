"""Preparing a meeting: its date, title, place, people and agenda.

A second meeting of the same title in one month is refused unless asked for; every write
goes to the outbox in the caller's transaction. Attendance is in ``attendance``, the
minutes, the resolution and comments in ``meeting_records``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import (
    Attendance,
    MeetingKind,
    MemberStatus,
    stored,
)
from sotay_core.domain.errors import DomainError, NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.text import clean_line, fold
from sotay_core.i18n import t
from sotay_desktop.db.tables import (
    CommitteeTermRow,
    MeetingRow,
    MemberRow,
)
from sotay_desktop.services.attendance import clean_time, meeting_row, set_attendance
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meetings import committee_secretary, committee_term
from sotay_desktop.services.recording import apply_update, record_change

AGENDA_TEMPLATES: dict[MeetingKind, tuple[str, ...]] = {
    MeetingKind.MONTHLY: (
        "Ổn định tổ chức, điểm danh, thông qua chương trình",
        "Thông tin thời sự, chính sách mới",
        "Phổ biến, quán triệt văn bản của cấp trên",
        "Đánh giá kết quả thực hiện nhiệm vụ tháng",
        "Phương hướng, nhiệm vụ tháng tới",
        "Thảo luận, biểu quyết thông qua nghị quyết",
        "Thu đảng phí; chi bộ tự đánh giá chất lượng buổi sinh hoạt",
    ),
    MeetingKind.THEMATIC: (
        "Ổn định tổ chức, điểm danh, thông qua chương trình",
        "Trình bày chuyên đề",
        "Thảo luận, liên hệ thực tế địa phương",
        "Kết luận, biểu quyết thông qua",
    ),
}
MEETING_CHANGES = Changes.of("meetings", "attendance", "minutes", "resolutions")


def default_title(kind: MeetingKind, day: dt.date) -> str:
    if kind is MeetingKind.THEMATIC:
        return f"Sinh hoạt chi bộ chuyên đề quý {(day.month - 1) // 3 + 1} năm {day.year}"
    return f"Sinh hoạt chi bộ tháng {day.month} năm {day.year}"


def same_title_meeting(session: Session, *, unit_id: str, title: str, day: dt.date,
                       exclude_id: str | None = None) -> MeetingRow | None:
    """Another meeting of the unit with this title in the same month (usually a slip)."""
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    wanted = fold(title)
    for row in session.scalars(select(MeetingRow).where(
            MeetingRow.unit_id == unit_id, MeetingRow.deleted.is_(False),
            MeetingRow.date >= start, MeetingRow.date < end).order_by(MeetingRow.date)):
        if row.id != exclude_id and fold(row.title) == wanted:
            return row
    return None


def _refuse_same_title(session: Session, *, unit_id: str, title: str, day: dt.date,
                       exclude_id: str | None = None) -> None:
    other = same_title_meeting(session, unit_id=unit_id, title=title, day=day,
                               exclude_id=exclude_id)
    if other is not None:
        raise DomainError("meeting_same_title", title=title, month=day.month, year=day.year,
                          other=other.date.strftime("%d/%m/%Y"))


def create_meeting(
    session: Session,
    *,
    day: dt.date | str,
    today: dt.date,
    kind: MeetingKind | str = MeetingKind.MONTHLY,
    title: str = "",
    starts_at: str = "19:30",
    place: str = "",
    guests: str = "",
    chair_id: str | None = None,
    recorder_id: str | None = None,
    agenda: Sequence[str] | None = None,
    allow_same_title: bool = False,
) -> tuple[str, Changes]:
    """A meeting with the agenda from the template; exempted and away members pre-marked.

    The chair defaults to the branch secretary in office. A second meeting with the same
    title in the same month is refused with "meeting_same_title" unless ``allow_same_title``
    (the screen asks first).
    """
    info = branch_info(session)
    if info is None:
        raise DomainError("no_branch", path="")
    try:
        kind = MeetingKind(kind)
    except ValueError:
        raise ValidationError("bad_choice", field="kind", value=kind,
                              choices=", ".join(k.value for k in MeetingKind)) from None
    # Meetings are planned ahead: the date may be in the future, within a year.
    date = clean_date_field("date", day, today=today + dt.timedelta(days=366))
    if date is None:
        raise ValidationError("required", field="date")
    title = clean_line(title) or default_title(kind, date)
    if not allow_same_title:
        _refuse_same_title(session, unit_id=info.branch.id, title=title, day=date)
    if not chair_id:
        secretary = committee_secretary(session, info.branch.id, date)
        chair_id = secretary[0] if secretary else None
    row = MeetingRow(
        id=new_id(), unit_id=info.branch.id, kind=kind.value, title=title, date=date,
        starts_at=clean_time(starts_at, "starts_at"), place=clean_line(place),
        chair_id=chair_id, recorder_id=recorder_id, guests=clean_line(guests),
        agenda=json.dumps([clean_line(a) for a in (agenda or AGENDA_TEMPLATES[kind])
                           if clean_line(a)], ensure_ascii=False))
    session.add(row)
    session.flush()
    record_change(session, entity="meetings", row_id=row.id, op="create", base_version=0,
                  fields={"unit_id": row.unit_id, "kind": row.kind, "title": row.title,
                          "date": row.date, "starts_at": row.starts_at, "place": row.place})
    for member_id, status in session.execute(select(MemberRow.id, MemberRow.status).where(
            MemberRow.unit_id == info.branch.id, MemberRow.deleted.is_(False),
            MemberRow.status.in_([MemberStatus.EXEMPTED.value, MemberStatus.AWAY.value]))):
        mark = Attendance.EXEMPTED if status == MemberStatus.EXEMPTED.value else Attendance.AWAY
        set_attendance(session, meeting_id=row.id, member_id=member_id, status=mark)
    return row.id, MEETING_CHANGES



@dataclass(frozen=True, slots=True)
class MeetingDetails:
    title: str
    date: dt.date
    starts_at: str
    place: str
    chair_id: str | None
    recorder_id: str | None
    guests: str
    agenda: tuple[str, ...]
    people: tuple[tuple[str, str], ...]     # (id, name) of members who can chair or record
    secretary_id: str | None = None         # bí thư in office on the meeting's day (signs)


def details(session: Session, meeting_id: str) -> MeetingDetails:
    meeting = meeting_row(session, meeting_id)
    agenda = json.loads(meeting.agenda or "[]")
    people = tuple((row.id, row.full_name) for row in session.execute(
        select(MemberRow.id, MemberRow.full_name).where(
            MemberRow.unit_id == meeting.unit_id, MemberRow.deleted.is_(False),
            MemberRow.status.in_([MemberStatus.OFFICIAL.value, MemberStatus.PROBATIONARY.value]))
        .order_by(MemberRow.sort_key)))
    secretary = committee_secretary(session, meeting.unit_id, meeting.date)
    return MeetingDetails(meeting.title, meeting.date, meeting.starts_at, meeting.place,
                          meeting.chair_id, meeting.recorder_id, meeting.guests,
                          tuple(str(a) for a in agenda) if isinstance(agenda, list) else (),
                          people, secretary[0] if secretary else None)


def _set_secretary(session: Session, meeting: MeetingRow, member_id: str | None) -> bool:
    """Record the bí thư of the committee term the meeting falls in (one for every paper
    of that term). Without a known term, one is opened from the unit's first meeting, so
    the document numbering stays as it was."""
    if member_id:
        member = session.get(MemberRow, member_id)
        if member is None or member.deleted:
            raise NotFoundError("not_found", what=t("member"), id=member_id)
    term = committee_term(session, meeting.unit_id, meeting.date)
    if term is None:
        if not member_id:
            return False
        first = session.scalars(select(MeetingRow.date).where(
            MeetingRow.unit_id == meeting.unit_id).order_by(MeetingRow.date)).first()
        term = CommitteeTermRow(id=new_id(), unit_id=meeting.unit_id,
                                starts_on=min(first or meeting.date, meeting.date),
                                ends_on=None, secretary_id=member_id)
        session.add(term)
        session.flush()
        record_change(session, entity="committee_terms", row_id=term.id, op="create",
                      base_version=0, fields={"unit_id": term.unit_id,
                                              "starts_on": term.starts_on, "ends_on": None,
                                              "secretary_id": member_id})
        return True
    return apply_update(session, entity="committee_terms", row=term,
                        values={"secretary_id": member_id or None})


def update_meeting(session: Session, *, meeting_id: str, today: dt.date,
                   allow_same_title: bool = False, **fields: Any) -> Changes:
    """Change title, date, starts_at, place, chair_id, recorder_id, guests or agenda (a list);
    ``secretary_id`` sets the bí thư of the meeting's committee term (the signer).

    A new title or month that makes a second meeting of the same title in one month is
    refused with "meeting_same_title" unless ``allow_same_title``."""
    meeting = meeting_row(session, meeting_id)
    clean: dict[str, Any] = {}
    secretary_given = "secretary_id" in fields
    secretary_id = fields.pop("secretary_id", None)
    for name, value in fields.items():
        if name == "date":
            day = clean_date_field("date", value, today=today + dt.timedelta(days=366))
            if day is None:
                raise ValidationError("required", field="date")
            clean[name] = day
        elif name == "starts_at":
            clean[name] = clean_time(value, "starts_at")
        elif name in ("title", "place", "guests"):
            clean[name] = clean_line(value or "")
        elif name in ("chair_id", "recorder_id"):
            if value and session.get(MemberRow, value) is None:
                raise NotFoundError("not_found", what=t("member"), id=value)
            clean[name] = value or None
        elif name == "agenda":
            clean[name] = json.dumps([clean_line(a) for a in value if clean_line(a)],
                                     ensure_ascii=False)
        else:
            raise ValidationError("unknown_field", field=name)
    if clean.get("title") == "":
        clean["title"] = default_title(stored(MeetingKind, meeting.kind, MeetingKind.MONTHLY),
                                       clean.get("date", meeting.date))
    title, day = clean.get("title", meeting.title), clean.get("date", meeting.date)
    moved = fold(title) != fold(meeting.title) or (day.year, day.month) != (
        meeting.date.year, meeting.date.month)
    if moved and not allow_same_title:
        _refuse_same_title(session, unit_id=meeting.unit_id, title=title, day=day,
                           exclude_id=meeting.id)
    changed = apply_update(session, entity="meetings", row=meeting, values=clean)
    if secretary_given and _set_secretary(session, meeting, secretary_id):
        return Changes.of("meetings", "committee_terms")
    return Changes.of("meetings") if changed else Changes()
