"""The annual review's papers from the branch's records (issue 20): each member's self-review
form (one, or all), the minutes of the review meeting and the collective report, in
normal or large type (``documents.review_form``, ``review_minutes``, ``review_report``).
Saved, printed and audited as the other papers are (``usecases.dues_papers``): a file
is audited once it is on disk, a print once the printer took it.

API::

    KINDS = ("form", "forms", "minutes", "report")
    paper_info(ws, year, quarter=None) -> PaperInfo     # what the papers print beyond the view
    paper_bytes(ws, year, quarter, kind, fmt="pdf", *, info=None, large=False, size=20,
                member_id=None) -> bytes                # a read, not audited
    save_paper(ws, year, quarter, kind, target, **same) -> Path      # then audited
    paper_printed(ws, year, quarter, kind) -> Changes   # the printer took it: its audit row

``paper_info`` prefills from the meeting the campaign was held at (chair, recorder, place,
hours, attendance with the reasons of those absent; the branch's meeting on the day held
when the campaign names none) and the bí thư in office on its day;
without one, the place from the commune's name and the bí thư of today. ``kind`` "form" is
``member_id``'s form (None: the branch's members all, as "forms").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.usecases.trace import leave_trace, write_trace

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sotay_desktop.documents.review_paper_common import PaperInfo
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.usecases.workspace import Workspace

KINDS = ("form", "forms", "minutes", "report")


def paper_info(ws: Workspace, year: int, quarter: int | None = None) -> PaperInfo:
    from sotay_core.domain.entities import Attendance
    from sotay_core.domain.errors import DomainError
    from sotay_desktop.documents.review_paper_common import Absence, PaperInfo
    from sotay_desktop.services import review_read
    from sotay_desktop.services.branch import branch_info
    from sotay_desktop.services.meetings import committee_secretary, meeting_data, place_name

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        row = review_read.campaign(session, unit_id=unit_id, year=year,
                                   period=review_read.period_of(quarter))
        info = branch_info(session)
        if info is None:
            raise DomainError("no_branch", path="")
        day = row.held_on or ws.today()
        secretary = committee_secretary(session, unit_id, day)
        meeting_id = row.meeting_id or _meeting_on(session, unit_id, row.held_on)
        meeting = meeting_data(session, meeting_id) if meeting_id else None
    superior = info.superior.name if info.superior else ""
    found = PaperInfo(place=place_name(superior or info.branch.name), made_on=day,
                      secretary=secretary[1] if secretary else "")
    if meeting is None:
        return found
    called = [a for a in meeting.attendees
              if a.attendance not in (Attendance.EXEMPTED, Attendance.AWAY)]
    return PaperInfo(
        place=meeting.place_name or found.place, made_on=day,
        secretary=meeting.secretary or found.secretary, chair=meeting.chair,
        recorder=meeting.recorder, location=meeting.location, starts_at=meeting.starts_at,
        ends_at=meeting.ends_at, members_total=len(called),
        present=sum(a.attendance is Attendance.PRESENT for a in called),
        absent=tuple(Absence(a.name, a.reason) for a in called
                     if a.attendance is not Attendance.PRESENT))


def _meeting_on(session: Session, unit_id: str, day: dt.date | None) -> str | None:
    """The branch's meeting on the day the review was held, when the campaign names none."""
    from sqlalchemy import select

    from sotay_desktop.db.tables import MeetingRow

    if day is None:
        return None
    found: str | None = session.scalars(select(MeetingRow.id).where(
        MeetingRow.unit_id == unit_id, MeetingRow.date == day,
        MeetingRow.deleted.is_(False)).order_by(MeetingRow.id)).first()
    return found


def paper_bytes(ws: Workspace, year: int, quarter: int | None, kind: str, fmt: str = "pdf",
                *, info: PaperInfo | None = None, large: bool = False, size: int = 20,
                member_id: str | None = None) -> bytes:
    """The paper's bytes; a read, not audited (nothing left the PC)."""
    from sotay_core.domain.errors import DomainError
    from sotay_desktop.usecases import review

    if kind not in KINDS:
        raise DomainError("bad_choice", value=kind, choices=", ".join(KINDS))
    view = review.view(ws, year, quarter)
    info = info or paper_info(ws, year, quarter)
    if kind in ("form", "forms"):
        from sotay_desktop.documents.review_form import render_forms

        return render_forms(view, fmt, info=info, large=large, size=size,
                            member_id=member_id if kind == "form" else None)
    if kind == "minutes":
        from sotay_desktop.documents.review_minutes import render_minutes

        return render_minutes(view, fmt, info=info, large=large, size=size)
    from sotay_desktop.documents.review_report import render_report

    return render_report(view, fmt, info=info, large=large, size=size)


def _detail(year: int, quarter: int | None, kind: str) -> str:
    return f"review-{kind}-{year}" + (f"-q{quarter}" if quarter else "")


def save_paper(ws: Workspace, year: int, quarter: int | None, kind: str, target: Path, *,
               info: PaperInfo | None = None, large: bool = False, size: int = 20,
               member_id: str | None = None) -> Path:
    """The paper written to ``target`` (its suffix names the format: .pdf or .docx), then
    audited."""
    from sotay_desktop.documents.review_paper_common import output_format
    from sotay_desktop.services.files import write_file_atomically

    fmt = output_format(target)
    write_file_atomically(target, paper_bytes(ws, year, quarter, kind, fmt, info=info,
                                              large=large, size=size, member_id=member_id))
    leave_trace(ws, "export", "review_campaigns", "", _detail(year, quarter, kind))
    return target


def paper_printed(ws: Workspace, year: int, quarter: int | None, kind: str) -> Changes:
    """The printer took the paper (the window's print dialog): its audit row, as a write."""
    return write_trace(ws, "print", "review_campaigns", "", _detail(year, quarter, kind))
