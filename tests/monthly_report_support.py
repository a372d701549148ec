"""A branch's October 2026 for the monthly report's tests: five members, one monthly meeting
with its roll call, an adopted resolution and a score, two tasks, a year of dues for some.

October 2026 (the tests' today is 22/11/2026):
- An (bí thư, official since 2001), Cúc (official; dies 20/10), Dũng (official), Giang
  (official, exempted since 2020) and Bình (admitted 10/10, after the meeting).
- Meeting 05/10: An and Cúc present, Dũng absent without a reason, Giang exempted; the
  resolution 01-NQ/CB adopted 2 for, 0 against (voting base 3).
- Tasks of the resolution: "Sửa đường" done 12/10; "Thu quỹ trước 15/10" in progress
  (overdue, Dũng).
- Dues (10,000 đ a month for An and Dũng, from January): An paid January to October, Dũng
  January to August, so Dũng has 2 unpaid months (September, October).
- Score 85, Khá.
"""

from __future__ import annotations

import datetime as dt

from sotay_core.domain.entities import Attendance, EventKind
from sotay_core.domain.ids import new_id
from sotay_desktop.db.engine import Database
from sotay_desktop.db.month_tables import DuesBasisRow, DuesPaymentRow, MeetingScoreRow
from sotay_desktop.services import attendance as A
from sotay_desktop.services import meeting_edit as M
from sotay_desktop.services import meeting_records as R
from sotay_desktop.services.members import add_member, record_event
from sotay_desktop.services.tasks import list_tasks, update_task

TODAY = dt.date(2026, 11, 22)
MONTH = "2026-10"
D = dt.date


def seed_october(db: Database, branch_id: str) -> dict[str, str]:
    """The month above; returns the members' ids by given name and the meeting's id."""
    ids: dict[str, str] = {}
    with db.sessions.begin() as session:
        for name, admitted, official in (
                ("Nguyễn Văn An", "2000-01-05", "2001-01-05"),
                ("Trần Thị Cúc", "1990-02-01", "1991-02-01"),
                ("Lê Văn Dũng", "2010-04-01", "2011-04-01"),
                ("Phạm Thị Giang", "1985-03-01", "1986-03-01")):
            ids[name.split()[-1]], _ = add_member(
                session, unit_id=branch_id, today=TODAY,
                data={"full_name": name, "admitted_on": admitted, "official_on": official})
        record_event(session, member_id=ids["Giang"], kind=EventKind.EXEMPTED,
                     date="2020-01-01", today=TODAY)
        meeting_id, _ = M.create_meeting(session, day="2026-10-05", today=TODAY,
                                         place="Nhà văn hoá thôn", recorder_id=ids["Cúc"])
        M.update_meeting(session, meeting_id=meeting_id, today=TODAY, chair_id=ids["An"],
                         secretary_id=ids["An"])
        for who, mark in (("An", Attendance.PRESENT), ("Cúc", Attendance.PRESENT),
                          ("Dũng", Attendance.ABSENT_UNEXCUSED)):
            A.set_attendance(session, meeting_id=meeting_id, member_id=ids[who], status=mark)
        resolution_id, _ = R.save_resolution(
            session, meeting_id=meeting_id, summary="về lãnh đạo thực hiện nhiệm vụ tháng 10",
            results="Hoàn thành các chỉ tiêu.",
            tasks=[("Sửa đường", "An"), ("Thu quỹ trước 15/10", "Dũng")])
        R.adopt_resolution(session, resolution_id=resolution_id, votes_for=2)
        ids["meeting"], ids["resolution"] = meeting_id, resolution_id
        bình, _ = add_member(session, unit_id=branch_id, today=TODAY,
                             data={"full_name": "Hoàng Văn Bình", "admitted_on": "2026-10-10"})
        ids["Bình"] = bình
        record_event(session, member_id=ids["Cúc"], kind=EventKind.DECEASED,
                     date="2026-10-20", today=TODAY)
        for task in list_tasks(session, today=TODAY, resolution_id=resolution_id):
            if task.text.startswith("Sửa đường"):   # done on 12/10 (the day it was marked)
                update_task(session, task_id=task.id, today=D(2026, 10, 12), status="done")
            else:
                update_task(session, task_id=task.id, today=TODAY, status="in_progress")
        session.add(MeetingScoreRow(id=new_id(), meeting_id=meeting_id, scheme="Mặc định",
                                    total=85, grade="Khá"))
        for who, last in (("An", 10), ("Dũng", 8)):
            session.add(DuesBasisRow(id=new_id(), member_id=ids[who], valid_from=D(2026, 1, 1),
                                     category="other", amount=10_000))
            session.add_all(DuesPaymentRow(id=new_id(), member_id=ids[who],
                                           month=f"2026-{m:02d}", amount=10_000,
                                           paid_on=D(2026, m, 5)) for m in range(1, last + 1))
    return ids


def pay(db: Database, member_id: str, month: str, amount: int = 10_000) -> None:
    """One more payment (the records change after the report was saved)."""
    with db.sessions.begin() as session:
        session.add(DuesPaymentRow(id=new_id(), member_id=member_id, month=month,
                                   amount=amount, paid_on=TODAY))
