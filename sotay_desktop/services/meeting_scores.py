"""A monthly meeting's score sheet (issue 19): the scheme (a setting in ``meta``, the
default when unset), the facts read from the meeting's records, the secretary's points,
and the sheet kept as a ``meeting_scores`` row (through ``recording``). The rules are in
``sotay_core.domain.meeting_score``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import Attendance
from sotay_core.domain.ids import new_id
from sotay_core.domain.meeting_score import (
    DEFAULT_SCHEME,
    MeetingFacts,
    Scheme,
    ScoreSheet,
    Source,
    meeting_length,
    scheme_from_json,
    scheme_to_json,
    score,
)
from sotay_core.domain.text import clean_block
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.month_tables import MeetingScoreRow
from sotay_desktop.db.tables import MeetingRow, Meta
from sotay_desktop.services.attendance import meeting_row
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meetings import meeting_data
from sotay_desktop.services.minutes_extras import max_of
from sotay_desktop.services.recording import apply_update, record_change

SCHEME_KEY = "meeting_score_scheme"
SCORE_CHANGES = Changes.of("meeting_scores")


@dataclass(frozen=True, slots=True)
class ScoreForm:
    """What the score tab shows: the scheme, the facts, the points given so far and the
    sheet they make (``saved``: whether a sheet is stored for the meeting)."""

    meeting_id: str
    scheme: Scheme
    facts: MeetingFacts
    manual: dict[str, int]
    note: str
    sheet: ScoreSheet
    saved: bool


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    meeting_id: str
    date: dt.date
    title: str
    total: int
    max_total: int
    grade: str


def current_scheme(session: Session) -> Scheme:
    text = get_meta(session, SCHEME_KEY)
    return scheme_from_json(text) if text else DEFAULT_SCHEME


def set_scheme(session: Session, text: str | None) -> Changes:
    """Store a scheme (JSON, checked first); None goes back to the default."""
    if text is None:
        row = session.get(Meta, SCHEME_KEY)
        if row is not None:
            session.delete(row)
            session.flush()   # read back within this transaction: gone
        return SCORE_CHANGES
    set_meta(session, SCHEME_KEY, scheme_to_json(scheme_from_json(text)))
    return SCORE_CHANGES


def meeting_facts(session: Session, meeting_id: str) -> MeetingFacts:
    data = meeting_data(session, meeting_id)
    marks = [a.attendance for a in data.attendees]
    called = [m for m in marks if m not in (Attendance.EXEMPTED, Attendance.AWAY)]
    return MeetingFacts(
        present=sum(1 for m in marks if m is Attendance.PRESENT), called=len(called),
        unexcused=sum(1 for m in marks if m is Attendance.ABSENT_UNEXCUSED),
        length_minutes=meeting_length(data.starts_at, data.ends_at),
        speakers=len({s.name.strip().casefold() for s in data.speakers if s.name.strip()}))


def _row(session: Session, meeting_id: str) -> MeetingScoreRow | None:
    return session.scalars(select(MeetingScoreRow).where(
        MeetingScoreRow.meeting_id == meeting_id, MeetingScoreRow.deleted.is_(False))).first()


def _stored_points(row: MeetingScoreRow | None) -> dict[str, int]:
    try:
        items = json.loads(row.items) if row else []
    except json.JSONDecodeError:
        return {}
    return {str(i["code"]): i["points"] for i in items if isinstance(i, dict)
            and isinstance(i.get("points"), int) and "code" in i}


def score_form(session: Session, meeting_id: str) -> ScoreForm:
    meeting_row(session, meeting_id)
    scheme = current_scheme(session)
    row = _row(session, meeting_id)
    stored = _stored_points(row)
    manual = {c.code: max(0, min(stored.get(c.code, 0), c.max_points))
              for c in scheme.criteria if c.source is Source.MANUAL}
    facts = meeting_facts(session, meeting_id)
    return ScoreForm(meeting_id, scheme, facts, manual, row.note if row else "",
                     score(scheme, facts, manual), row is not None)


def save_score(session: Session, *, meeting_id: str, points: Mapping[str, int],
               note: str = "") -> tuple[ScoreSheet, Changes]:
    """Score the meeting: the secretary's ``points`` for the manual criteria, the others
    from the records as they are now."""
    meeting_row(session, meeting_id)
    sheet = score(current_scheme(session), meeting_facts(session, meeting_id), points)
    values = {"scheme": sheet.scheme[:120], "total": sheet.total, "grade": sheet.grade.label,
              "note": clean_block(note),
              "items": json.dumps([{"code": i.code, "label": i.label, "max": i.max_points,
                                    "points": i.points, "source": i.source.value,
                                    "measure": i.measure} for i in sheet.items],
                                  ensure_ascii=False)}
    row = _row(session, meeting_id)
    if row is None:
        row = MeetingScoreRow(id=new_id(), meeting_id=meeting_id, **values)
        session.add(row)
        session.flush()
        record_change(session, entity="meeting_scores", row_id=row.id, op="create",
                      base_version=0, fields={"meeting_id": meeting_id, **values})
        return sheet, SCORE_CHANGES
    changed = apply_update(session, entity="meeting_scores", row=row, values=values)
    return sheet, SCORE_CHANGES if changed else Changes()


def year_scores(session: Session, year: int) -> list[ScoreSummary]:
    rows = session.execute(
        select(MeetingScoreRow, MeetingRow).join(
            MeetingRow, MeetingRow.id == MeetingScoreRow.meeting_id)
        .where(MeetingScoreRow.deleted.is_(False), MeetingRow.deleted.is_(False),
               MeetingRow.date >= dt.date(year, 1, 1), MeetingRow.date <= dt.date(year, 12, 31))
        .order_by(MeetingRow.date))
    return [ScoreSummary(meeting.id, meeting.date, meeting.title, row.total,
                         max_of(row.items), row.grade) for row, meeting in rows]
