"""Preparing and recording a meeting: the agenda, attendance, minutes, the resolution.

Every write checks the Party rules (voting base and majority, numbering per type
per committee term) and goes to the outbox in the caller's transaction. Comments
are add-only; an adopted resolution no longer changes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_desktop.db.tables import (
    AttendanceRow,
    CommentRow,
    CommitteeTermRow,
    MeetingRow,
    MemberRow,
    MinutesRow,
    ResolutionRow,
)
from sotay_desktop.documents.meeting_data import require_names
from sotay_core.domain.entities import (
    Attendance,
    MeetingKind,
    MemberStatus,
    ResolutionStatus,
    stored,
)
from sotay_core.domain.errors import DomainError, NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.rules import (
    Voter,
    is_adopted,
    majority_needed,
    next_document_number,
    parse_document_number,
    term_for,
    voting_base,
)
from sotay_core.domain.text import clean_block, clean_line, fold
from sotay_core.i18n import t
from sotay_desktop.services import outbox
from sotay_desktop.services.branch import branch_info, committee_terms
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meetings import committee_secretary, committee_term, meeting_data

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
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class AttendanceLine:
    member_id: str
    name: str
    official: bool
    status: Attendance | None       # None: not recorded yet
    reason: str
    member_status: MemberStatus | None = None   # the roster status, e.g. EXEMPTED


@dataclass(frozen=True, slots=True)
class CommentView:
    id: str
    author: str
    body: str
    created_at: dt.datetime


def _time(value: str, field: str) -> str:
    value = clean_line(value or "")
    if value and not _TIME.match(value):
        raise ValidationError("bad_time", field=field, value=value)
    return value


def _meeting(session: Session, meeting_id: str) -> MeetingRow:
    row = session.get(MeetingRow, meeting_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("meeting"), id=meeting_id)
    return row


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
        starts_at=_time(starts_at, "starts_at"), place=clean_line(place),
        chair_id=chair_id, recorder_id=recorder_id, guests=clean_line(guests),
        agenda=json.dumps([clean_line(a) for a in (agenda or AGENDA_TEMPLATES[kind])
                           if clean_line(a)], ensure_ascii=False))
    session.add(row)
    session.flush()
    outbox.record(session, entity="meetings", row_id=row.id, op="create", base_version=0,
                  fields={"unit_id": row.unit_id, "kind": row.kind, "title": row.title,
                          "date": row.date, "starts_at": row.starts_at, "place": row.place})
    for member_id, status in session.execute(select(MemberRow.id, MemberRow.status).where(
            MemberRow.unit_id == info.branch.id, MemberRow.deleted.is_(False),
            MemberRow.status.in_([MemberStatus.EXEMPTED.value, MemberStatus.AWAY.value]))):
        mark = Attendance.EXEMPTED if status == MemberStatus.EXEMPTED.value else Attendance.AWAY
        set_attendance(session, meeting_id=row.id, member_id=member_id, status=mark)
    return row.id, MEETING_CHANGES


def attendance(session: Session, meeting_id: str) -> list[AttendanceLine]:
    """Everyone on the roster, in roster order, with their mark (or None)."""
    meeting = _meeting(session, meeting_id)
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
    _meeting(session, meeting_id)
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
        outbox.record(session, entity="attendance", row_id=row.id, op="create", base_version=0,
                      fields={"meeting_id": meeting_id, "member_id": member_id,
                              "status": status.value, "reason": reason})
        return Changes.of("attendance")
    if outbox.apply_update(session, entity="attendance", row=row,
                           values={"status": status.value, "reason": reason, "deleted": False}):
        return Changes.of("attendance")
    return Changes()


def meeting_voting_base(session: Session, meeting_id: str) -> int:
    voters = [Voter(line.member_id, line.official, line.status)
              for line in attendance(session, meeting_id) if line.status is not None]
    return voting_base(voters)


def _check_votes(votes_for: int | None, votes_against: int | None, base: int) -> None:
    if votes_for is None:
        return
    against = votes_against or 0
    if votes_for < 0 or against < 0 or votes_for + against > base:
        raise ValidationError("bad_votes", field="votes_for", votes_for=votes_for,
                              votes_against=against, base=base)


def save_minutes(
    session: Session,
    *,
    meeting_id: str,
    speakers: Sequence[tuple[str, str]] = (),
    conclusion: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    ends_at: str = "",
) -> Changes:
    meeting = _meeting(session, meeting_id)
    _check_votes(votes_for, votes_against, meeting_voting_base(session, meeting_id))
    body = {"items": json.loads(meeting.agenda or "[]"),
            "speakers": [{"name": clean_line(n), "gist": clean_block(g)}
                         for n, g in speakers if clean_line(n) or clean_block(g)]}
    meeting.ends_at = _time(ends_at, "ends_at") or meeting.ends_at
    row = session.scalars(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).first()
    values = {"body": json.dumps(body, ensure_ascii=False), "conclusion": clean_block(conclusion),
              "votes_for": votes_for, "votes_against": votes_against}
    if row is None:
        row = MinutesRow(id=new_id(), meeting_id=meeting_id, **values)
        session.add(row)
        session.flush()
        outbox.record(session, entity="minutes", row_id=row.id, op="create", base_version=0,
                      fields={"meeting_id": meeting_id, **values})
    else:
        outbox.apply_update(session, entity="minutes", row=row, values=values)
    return Changes.of("minutes", "meetings")


def resolution_id(session: Session, meeting_id: str) -> str | None:
    row = _resolution(session, meeting_id)
    return row.id if row else None


def _resolution(session: Session, meeting_id: str) -> ResolutionRow | None:
    return session.scalars(select(ResolutionRow).where(
        ResolutionRow.meeting_id == meeting_id, ResolutionRow.deleted.is_(False))).first()


def _issued_numbers(session: Session, unit_id: str, day: dt.date,
                    exclude_id: str | None) -> list[tuple[dt.date, str]]:
    """(date, number) of every numbered resolution of the unit; the term is chosen later."""
    rows = session.execute(select(ResolutionRow.id, ResolutionRow.issued_on,
                                  ResolutionRow.number).where(
        ResolutionRow.unit_id == unit_id, ResolutionRow.deleted.is_(False)))
    return [(issued or day, number) for rid, issued, number in rows
            if rid != exclude_id and number]


def save_resolution(
    session: Session,
    *,
    meeting_id: str,
    summary: str,
    results: str = "",
    tasks: Sequence[tuple[str, str]] = (),
    implementation: str = "",
    number: str = "",
) -> tuple[str, Changes]:
    """Create or edit the meeting's draft resolution; an empty number takes the next one."""
    meeting = _meeting(session, meeting_id)
    info = branch_info(session)
    symbol = info.branch.symbol if info else "CB"
    row = _resolution(session, meeting_id)
    if row is not None and row.status == ResolutionStatus.ADOPTED.value:
        raise DomainError("already_adopted")
    issued = _issued_numbers(session, meeting.unit_id, meeting.date,
                              row.id if row else None)
    terms = committee_terms(session, meeting.unit_id)
    if number.strip():
        parsed = parse_document_number(number)
        if parsed is None:
            raise ValidationError("bad_number", field="number", value=number)
        term = term_for(meeting.date, terms)
        in_term = (parse_document_number(n) for d, n in issued
                   if term is None or term.contains(d))
        taken = {str(p) for p in in_term if p is not None}
        if str(parsed) in taken:
            raise ValidationError("number_taken", field="number", value=str(parsed))
        number = str(parsed)
    else:
        number = (row.number if row and row.number else
                  str(next_document_number(issued, type_code="NQ", body_symbol=symbol,
                                           on=meeting.date, terms=terms)))
    body = json.dumps({"results": clean_block(results),
                       "tasks": [{"text": clean_block(text), "responsible": clean_line(who)}
                                 for text, who in tasks if clean_block(text)],
                       "implementation": clean_block(implementation)}, ensure_ascii=False)
    values = {"number": number, "title": clean_line(summary), "body": body,
              "issued_on": meeting.date}
    if row is None:
        row = ResolutionRow(id=new_id(), unit_id=meeting.unit_id, meeting_id=meeting_id,
                            status=ResolutionStatus.DRAFT.value, **values)
        session.add(row)
        session.flush()
        outbox.record(session, entity="resolutions", row_id=row.id, op="create",
                      base_version=0, fields={"meeting_id": meeting_id, **values})
    else:
        outbox.apply_update(session, entity="resolutions", row=row, values=values)
    return row.id, Changes.of("resolutions")


def _resolution_row(session: Session, resolution_id: str) -> ResolutionRow:
    row = session.get(ResolutionRow, resolution_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("resolution"), id=resolution_id)
    return row


def _set_status(session: Session, row: ResolutionRow, status: ResolutionStatus,
                **values: Any) -> None:
    outbox.apply_update(session, entity="resolutions", row=row,
                        values={"status": status.value, **values})


def _require_names(session: Session, row: ResolutionRow) -> None:
    """The chair, the recorder and the signer must be named before a resolution goes out."""
    if row.meeting_id is None:
        raise NotFoundError("not_found", what=t("meeting"), id="")
    require_names(meeting_data(session, row.meeting_id))


def circulate_resolution(session: Session, *, resolution_id: str) -> Changes:
    """Mark the draft as sent round for comments (members, the commune)."""
    row = _resolution_row(session, resolution_id)
    if row.status == ResolutionStatus.ADOPTED.value:
        raise DomainError("already_adopted")
    _require_names(session, row)
    if row.status != ResolutionStatus.CIRCULATED.value:
        _set_status(session, row, ResolutionStatus.CIRCULATED)
    return Changes.of("resolutions")


def adopt_resolution(session: Session, *, resolution_id: str, votes_for: int,
                     votes_against: int = 0) -> Changes:
    """Adopted only by more than half of the meeting's voting base."""
    row = _resolution_row(session, resolution_id)
    if row.status == ResolutionStatus.ADOPTED.value:
        raise DomainError("already_adopted")
    _require_names(session, row)
    assert row.meeting_id is not None
    base = meeting_voting_base(session, row.meeting_id)
    _check_votes(votes_for, votes_against, base)
    if not is_adopted(votes_for, base):
        raise ValidationError("not_adopted", field="votes_for", needed=majority_needed(base),
                              base=base, votes_for=votes_for)
    _set_status(session, row, ResolutionStatus.ADOPTED, votes_for=votes_for,
                votes_against=votes_against, voting_base=base)
    return Changes.of("resolutions")


def add_comment(session: Session, *, resolution_id: str, body: str,
                author_member_id: str | None = None, author_text: str = "") -> tuple[str, Changes]:
    _resolution_row(session, resolution_id)
    text = clean_block(body)
    if not text:
        raise ValidationError("required", field="body")
    if author_member_id is not None and session.get(MemberRow, author_member_id) is None:
        raise NotFoundError("not_found", what=t("member"), id=author_member_id)
    row = CommentRow(id=new_id(), target_type="resolution", target_id=resolution_id,
                     author_member_id=author_member_id, author_text=clean_line(author_text),
                     body=text)
    session.add(row)
    session.flush()
    outbox.record(session, entity="comments", row_id=row.id, op="add", base_version=0,
                  fields={"target_type": "resolution", "target_id": resolution_id,
                          "author_member_id": author_member_id,
                          "author_text": row.author_text, "body": text})
    return row.id, Changes.of("comments")


def comments(session: Session, resolution_id: str) -> list[CommentView]:
    names = dict(session.execute(select(MemberRow.id, MemberRow.full_name)).all())
    rows = session.scalars(select(CommentRow).where(
        CommentRow.target_type == "resolution", CommentRow.target_id == resolution_id,
        CommentRow.deleted.is_(False)).order_by(CommentRow.created_at))
    return [CommentView(r.id, names.get(r.author_member_id or "", r.author_text) or
                        r.author_text, r.body, r.created_at) for r in rows]


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
    meeting = _meeting(session, meeting_id)
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
        outbox.record(session, entity="committee_terms", row_id=term.id, op="create",
                      base_version=0, fields={"unit_id": term.unit_id,
                                              "starts_on": term.starts_on, "ends_on": None,
                                              "secretary_id": member_id})
        return True
    return outbox.apply_update(session, entity="committee_terms", row=term,
                               values={"secretary_id": member_id or None})


def update_meeting(session: Session, *, meeting_id: str, today: dt.date,
                   allow_same_title: bool = False, **fields: Any) -> Changes:
    """Change title, date, starts_at, place, chair_id, recorder_id, guests or agenda (a list);
    ``secretary_id`` sets the bí thư of the meeting's committee term (the signer).

    A new title or month that makes a second meeting of the same title in one month is
    refused with "meeting_same_title" unless ``allow_same_title``."""
    meeting = _meeting(session, meeting_id)
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
            clean[name] = _time(value, "starts_at")
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
    changed = outbox.apply_update(session, entity="meetings", row=meeting, values=clean)
    if secretary_given and _set_secretary(session, meeting, secretary_id):
        return Changes.of("meetings", "committee_terms")
    return Changes.of("meetings") if changed else Changes()


def unmarked(session: Session, meeting_id: str) -> int:
    """Members the attendance tab still lists without a mark who were on the roster on the
    meeting's day: the roll call is still open. Members admitted or arrived after an old
    meeting do not count, nor those who left since (the tab no longer lists them)."""
    from sotay_core.domain.lifecycle import state_on
    from sotay_desktop.services.members import histories

    meeting = _meeting(session, meeting_id)
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
