"""The demo branch's year of resolution tasks and meeting scores (issue 19), made after the
demo's meetings. Deterministic for (seed, as_of) and local only (no outbox), like the rest
of the demo; bulk inserts, so the demo stays fast.

Older tasks are mostly done, some carried over or still running; last month's are under way;
the latest (draft) resolution's are not started. Every adopted meeting has a score sheet
made by the default scheme from its own attendance, length and speakers.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import Attendance, TaskStatus
from sotay_core.domain.meeting_score import (
    DEFAULT_SCHEME,
    MeetingFacts,
    Source,
    meeting_length,
    score,
)
from sotay_core.domain.resolution_tasks import due_for, match_member, split_in_charge
from sotay_desktop.db.month_tables import MeetingScoreRow
from sotay_desktop.db.tables import (
    AttendanceRow,
    MeetingRow,
    MemberRow,
    MinutesRow,
    ResolutionRow,
    TaskRow,
)
from sotay_desktop.services.changes import Changes

NOTES_DONE = ("Hoàn thành đúng hạn.", "Đã xong, nhân dân đồng tình.",
              "Hoàn thành, vượt chỉ tiêu đề ra.", "")
NOTES_RUNNING = ("Đang triển khai, đạt khoảng một nửa.", "Chờ kinh phí của xã.",
                 "Đã họp dân, đang thực hiện.")
NOTES_CARRIED = ("Chưa xong do thời tiết, chuyển sang tháng sau.",
                 "Chuyển sang tháng sau theo kết luận của chi bộ.")


def _status(rng: random.Random, months_ago: int) -> tuple[TaskStatus, str]:
    if months_ago == 0:
        return TaskStatus.NOT_STARTED, ""
    if months_ago == 1:
        status = rng.choice((TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS,
                             TaskStatus.NOT_STARTED, TaskStatus.DONE))
    else:
        roll = rng.random()
        status = (TaskStatus.DONE if roll < 0.75 else TaskStatus.CARRIED_OVER if roll < 0.88
                  else TaskStatus.IN_PROGRESS if roll < 0.95 else TaskStatus.NOT_STARTED)
    notes = {TaskStatus.DONE: NOTES_DONE, TaskStatus.IN_PROGRESS: NOTES_RUNNING,
             TaskStatus.CARRIED_OVER: NOTES_CARRIED}.get(status, ("",))
    return status, rng.choice(notes)


def _facts(marks: list[str], meeting: MeetingRow, speakers: int) -> MeetingFacts:
    called = [m for m in marks if m not in (Attendance.EXEMPTED.value, Attendance.AWAY.value)]
    return MeetingFacts(
        present=sum(1 for m in marks if m == Attendance.PRESENT.value), called=len(called),
        unexcused=sum(1 for m in marks if m == Attendance.ABSENT_UNEXCUSED.value),
        length_minutes=meeting_length(meeting.starts_at, meeting.ends_at), speakers=speakers)


def make_month_records(session: Session, *, unit_id: str, as_of: dt.date, seed: int,
                       common: dict[str, Any]) -> Changes:
    """Task rows for every demo resolution and a score for every adopted meeting."""
    rng = random.Random(seed * 19 + 7)

    def new_id() -> str:   # the demo's ids are reproducible
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    people = [(mid, name) for mid, name in session.execute(
        select(MemberRow.id, MemberRow.full_name).where(MemberRow.unit_id == unit_id))]
    meetings = list(session.scalars(select(MeetingRow).where(
        MeetingRow.unit_id == unit_id).order_by(MeetingRow.date.desc())))
    marks: dict[str, list[str]] = {}
    for meeting_id, status in session.execute(select(AttendanceRow.meeting_id,
                                                     AttendanceRow.status)):
        marks.setdefault(meeting_id, []).append(status)
    resolutions = {r.meeting_id: r for r in session.scalars(select(ResolutionRow).where(
        ResolutionRow.unit_id == unit_id))}
    bodies = dict(session.execute(select(MinutesRow.meeting_id, MinutesRow.body)).all())
    tasks, scores = [], []
    for months_ago, meeting in enumerate(meetings):
        resolution = resolutions.get(meeting.id)
        if resolution is None:
            continue
        parts = json.loads(resolution.body or "{}")
        for entry in parts.get("tasks") or []:
            line = split_in_charge(str(entry.get("text", "")), str(entry.get("responsible", "")))
            status, notes = _status(rng, months_ago)
            due = due_for(line.text, meeting.date)
            done_on = (min(due, as_of) - dt.timedelta(days=rng.randint(0, 10))
                       if status is TaskStatus.DONE else None)
            tasks.append({**common, "id": new_id(), "resolution_id": resolution.id,
                          "description": line.text, "responsible_text": line.responsible,
                          "responsible_id": match_member(line.responsible, people),
                          "due_on": due, "status": status.value, "notes": notes,
                          "done": status is TaskStatus.DONE, "done_on": done_on})
        if resolution.status != "adopted":
            continue
        speakers = len(json.loads(bodies.get(meeting.id) or "{}").get("speakers") or [])
        manual = {c.code: c.max_points - rng.choice((0, 0, 0, 1, 2, 3))
                  for c in DEFAULT_SCHEME.criteria if c.source is Source.MANUAL}
        sheet = score(DEFAULT_SCHEME, _facts(marks.get(meeting.id, []), meeting, speakers),
                      manual)
        scores.append({**common, "id": new_id(), "meeting_id": meeting.id,
                       "scheme": sheet.scheme[:120], "total": sheet.total,
                       "grade": sheet.grade.label, "note": "",
                       "items": json.dumps([{"code": i.code, "label": i.label,
                                             "max": i.max_points, "points": i.points,
                                             "source": i.source.value, "measure": i.measure}
                                            for i in sheet.items], ensure_ascii=False)})
    if tasks:
        session.execute(insert(TaskRow), tasks)
    if scores:
        session.execute(insert(MeetingScoreRow), scores)
    return Changes.of("tasks", "meeting_scores")
