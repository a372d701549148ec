"""The monthly report to the commune (báo cáo tháng): its figures read from the month's
records, and the report row (figures, remarks, draft/sent) that syncs up to the province.

The figures are the core's (``domain.monthly_report``, built by ``monthly_report_build``);
this module only reads the rows into their plain inputs. The dues book is read through
``services.dues_read``. One report per branch and month (``(unit_id, month)`` is the wire's
natural key); every write goes through ``recording`` (outbox and audit together).

- Saving keeps the saved figures and changes the remarks; regenerating replaces the figures
  and keeps the remarks (and the paper's number, given once at the first save).
- Marking sent sets the status and the day; the row goes up with the next sync. A sent
  report may still be corrected: the change goes up as an update of the same record.
- A month not begun yet, or not a month at all, is refused in words.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import monthly_report as mr
from sotay_core.domain.dues import Month
from sotay_core.domain.dues_book import DuesBook, build_book
from sotay_core.domain.entities import (
    Attendance,
    MeetingKind,
    MemberStatus,
    ReportStatus,
    ResolutionStatus,
    stored,
)
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.monthly_report_build import (
    Mark,
    MeetingInput,
    PersonInput,
    TaskInput,
    build_figures,
)
from sotay_core.domain.rules import next_document_number
from sotay_core.domain.text import clean_block
from sotay_desktop.db.month_tables import MeetingScoreRow, MonthlyReportRow
from sotay_desktop.db.tables import (
    AttendanceRow,
    MeetingRow,
    MemberRow,
    ResolutionRow,
)
from sotay_desktop.documents.monthly_report_doc import ReportPaper
from sotay_desktop.services import dues_read
from sotay_desktop.services.branch import branch_info, committee_terms
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meetings import committee_secretary, place_name
from sotay_desktop.services.members import histories
from sotay_desktop.services.recording import apply_update, record_change
from sotay_desktop.services.tasks import list_tasks

ENTITY = "monthly_reports"
REPORT_CHANGES = Changes.of(ENTITY)
MAX_REMARKS = 20_000   # domain.month_rules: monthly_reports.remarks


@dataclass(frozen=True, slots=True)
class ReportView:
    """What the screen shows of one month: the saved report (if any) and fresh figures."""

    month: Month
    figures: mr.ReportFigures          # the saved figures, else the fresh ones
    fresh: mr.ReportFigures            # generated now from the records
    saved: bool
    remarks: str
    status: ReportStatus
    sent_on: dt.date | None

    @property
    def stale(self) -> bool:
        """The records changed since the figures were saved (Regenerate would change them)."""
        return self.saved and _comparable(self.figures) != _comparable(self.fresh)


def _comparable(figures: mr.ReportFigures) -> dict[str, object]:
    data = mr.to_dict(figures)
    data.pop("number", None)
    return data


def report_month(value: Month | str, today: dt.date) -> Month:
    """The month asked for; a bad text or a month not begun yet is refused in words."""
    month = value if isinstance(value, Month) else mr.parse_month(str(value))
    mr.check_month(month, today)
    return month


def _unit_id(session: Session) -> str:
    info = branch_info(session)
    if info is None:
        raise DomainError("no_branch", path="")
    return info.branch.id


# --- reading the month's records ------------------------------------------------------------


def _meeting(session: Session, unit_id: str, month: Month) -> MeetingInput | None:
    first, end = month.first_day, mr.last_day(month)
    meeting = session.scalars(select(MeetingRow).where(
        MeetingRow.unit_id == unit_id, MeetingRow.deleted.is_(False),
        MeetingRow.kind == MeetingKind.MONTHLY.value,
        MeetingRow.date >= first, MeetingRow.date <= end).order_by(MeetingRow.date)).first()
    if meeting is None:
        return None
    marks = []
    for status, name, member_status in session.execute(
            select(AttendanceRow.status, MemberRow.full_name, MemberRow.status)
            .join(MemberRow, MemberRow.id == AttendanceRow.member_id)
            .where(AttendanceRow.meeting_id == meeting.id, AttendanceRow.deleted.is_(False),
                   MemberRow.deleted.is_(False)).order_by(MemberRow.sort_key)):
        attendance = stored(Attendance, status)
        if attendance is not None:
            marks.append(Mark(name, member_status != MemberStatus.PROBATIONARY.value,
                              attendance))
    row = session.scalars(select(ResolutionRow).where(
        ResolutionRow.meeting_id == meeting.id, ResolutionRow.deleted.is_(False))).first()
    resolution = None if row is None else mr.ResolutionFigures(
        row.number, row.title, row.status == ResolutionStatus.ADOPTED.value,
        row.votes_for, row.votes_against)
    score_row = session.scalars(select(MeetingScoreRow).where(
        MeetingScoreRow.meeting_id == meeting.id, MeetingScoreRow.deleted.is_(False))).first()
    score = None if score_row is None else mr.ScoreFigures(score_row.total, score_row.grade)
    return MeetingInput(meeting.date, meeting.title, tuple(marks), resolution, score)


def _tasks(session: Session, as_of: dt.date) -> list[TaskInput]:
    """The branch's live tasks (``services.tasks``), with the person's name."""
    return [TaskInput(view.text, view.responsible, view.due_on, view.status, view.done_on)
            for view in list_tasks(session, today=as_of)]


def figures(session: Session, *, month: Month, today: dt.date,
            number: str = "") -> mr.ReportFigures:
    """The month's figures, fresh from the records (a read)."""
    unit_id = _unit_id(session)
    members = dues_read.member_dues(session, unit_id=unit_id, year=month.year)
    try:
        book: DuesBook | None = build_book(
            members, dues_read.payments(session, [m.member_id for m in members]),
            month.year, through=month, rates=dues_read.rate_table(session))
    except DomainError as exc:   # a month before any dues rate: the report has no dues part
        if exc.code != "dues.no_rate":
            raise
        book = None
    people = [PersonInput(h.full_name, h.events) for h in histories(session, unit_id=unit_id)]
    as_of = min(today, mr.last_day(month))
    return build_figures(month, as_of=as_of,
                         meeting=_meeting(session, unit_id, month),
                         tasks=_tasks(session, as_of), book=book, people=people,
                         number=number)


# --- the report row ---------------------------------------------------------------------------


def _row(session: Session, unit_id: str, month: Month) -> MonthlyReportRow | None:
    """The month's report (the oldest, should a merge ever leave two)."""
    return session.scalars(select(MonthlyReportRow).where(
        MonthlyReportRow.unit_id == unit_id, MonthlyReportRow.month == month.key,
        MonthlyReportRow.deleted.is_(False)).order_by(MonthlyReportRow.created_at)).first()


def _saved(row: MonthlyReportRow, month: Month) -> mr.ReportFigures:
    try:
        data = json.loads(row.figures or "{}")
        return mr.from_dict(data if isinstance(data, dict) else {"month": month.key})
    except (json.JSONDecodeError, DomainError):   # a damaged row still opens, as empty
        return mr.ReportFigures(month)


def view(session: Session, *, month: Month | str, today: dt.date) -> ReportView:
    month = report_month(month, today)
    row = _row(session, _unit_id(session), month)
    saved = _saved(row, month) if row is not None else None
    fresh = figures(session, month=month, today=today, number=saved.number if saved else "")
    if row is None or saved is None:
        return ReportView(month, fresh, fresh, False, "", ReportStatus.DRAFT, None)
    return ReportView(month, saved, fresh, True, row.remarks,
                      stored(ReportStatus, row.status, ReportStatus.DRAFT), row.sent_on)


def _next_number(session: Session, unit_id: str, today: dt.date) -> str:
    info = branch_info(session)
    symbol = info.branch.symbol if info and info.branch.symbol else "CB"
    issued = []
    for row in session.scalars(select(MonthlyReportRow).where(
            MonthlyReportRow.unit_id == unit_id, MonthlyReportRow.deleted.is_(False))):
        number = _saved(row, mr.parse_month(row.month)).number if _valid(row.month) else ""
        if number:
            issued.append((row.sent_on or _month_end(row.month), number))
    return str(next_document_number(issued, type_code="BC", body_symbol=symbol, on=today,
                                    terms=committee_terms(session, unit_id)))


def _valid(text: str) -> bool:
    try:
        mr.parse_month(text)
    except DomainError:
        return False
    return True


def _month_end(text: str) -> dt.date:
    return mr.last_day(mr.parse_month(text))


def save(session: Session, *, month: Month | str, today: dt.date, remarks: str | None = None,
         regenerate: bool = False) -> tuple[str, Changes]:
    """Create the month's report, or change its remarks (``None``: kept); ``regenerate``
    replaces the saved figures with fresh ones. Returns the row's id."""
    month = report_month(month, today)
    unit_id = _unit_id(session)
    row = _row(session, unit_id, month)
    text = clean_block(remarks) if remarks is not None else None
    if text is not None and len(text) > MAX_REMARKS:   # the record rule's bound, said here
        raise ValidationError("report.remarks_too_long", count=len(text), limit=MAX_REMARKS)
    if row is None:
        fresh = figures(session, month=month, today=today,
                        number=_next_number(session, unit_id, today))
        row = MonthlyReportRow(id=new_id(), unit_id=unit_id, month=month.key,
                               figures=_json(fresh), remarks=text or "",
                               status=ReportStatus.DRAFT.value, sent_on=None)
        session.add(row)
        session.flush()
        record_change(session, entity=ENTITY, row_id=row.id, op="create", base_version=0,
                      fields={"unit_id": unit_id, "month": row.month, "figures": row.figures,
                              "remarks": row.remarks, "status": row.status, "sent_on": None})
        return row.id, REPORT_CHANGES
    values: dict[str, object] = {}
    if regenerate:
        number = _saved(row, month).number or _next_number(session, unit_id, today)
        values["figures"] = _json(figures(session, month=month, today=today, number=number))
    if text is not None:
        values["remarks"] = text
    changed = apply_update(session, entity=ENTITY, row=row, values=values)
    return row.id, REPORT_CHANGES if changed else Changes()


def mark_sent(session: Session, *, month: Month | str, today: dt.date,
              remarks: str | None = None) -> tuple[str, Changes]:
    """Status sent, sent today (a report not saved yet is saved first); it goes up with the
    next sync."""
    report_id, changes = save(session, month=month, today=today, remarks=remarks)
    row = session.get(MonthlyReportRow, report_id)
    assert row is not None
    values: dict[str, object] = {"status": ReportStatus.SENT.value}
    if row.status != ReportStatus.SENT.value or row.sent_on is None:
        values["sent_on"] = today
    if apply_update(session, entity=ENTITY, row=row, values=values):
        changes = REPORT_CHANGES
    return report_id, changes


def _json(figures: mr.ReportFigures) -> str:
    return json.dumps(mr.to_dict(figures), ensure_ascii=False, sort_keys=True)


def paper(session: Session, *, month: Month | str, today: dt.date) -> ReportPaper:
    """What the printed report is made of: the saved report (else fresh figures), dated the
    day it was sent (else today), signed by the bí thư in office that day."""
    report = view(session, month=month, today=today)
    info = branch_info(session)
    assert info is not None   # view() refused a folder without a branch
    day = report.sent_on or today
    secretary = committee_secretary(session, info.branch.id, day)
    superior = info.superior.name if info.superior else ""
    return ReportPaper(superior=superior, branch=info.branch.name,
                       place_name=place_name(superior), date=day, figures=report.figures,
                       remarks=report.remarks, secretary=secretary[1] if secretary else "")
