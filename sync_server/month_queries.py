"""What the province pages read of the secretary's month (issue 19): dues collected and
sent up, members with 3+ unpaid months, reports sent and received, meeting scores, per
direct child of a unit and rolled up; the 12-month series of the chart; one branch's
monthly report. Like ``queries``, only the ``stat_*`` rows of a subtree, grouped in the
database (one query per figure), so 17,000 branches stay a few indexed scans.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sotay_core.domain.dues import Month, UnpaidFlag
from sotay_core.domain.dues_book import DuesBook, build_book
from sotay_core.domain.errors import DomainError
from sotay_core.domain.monthly_report import ReportFigures, from_dict
from sync_server import month_facts, queries, rollup_read
from sync_server.models import (
    Record,
    ReportReceipt,
    StatDues,
    StatDuesFlag,
    StatReport,
    StatScore,
    Unit,
)

ID_LEN = queries.ID_LEN


@dataclass
class MonthFigures:
    """The month's figures of one branch, or summed over the branches below a unit."""

    collected: int = 0
    retained: int = 0
    sent_up: int = 0
    payments: int = 0
    keeping: int = 0          # branches that recorded a payment for the month
    flagged: int = 0          # members with 3+ unpaid months in the year up to the month
    reports_sent: int = 0
    reports_received: int = 0
    scored: int = 0           # meeting scores of the month
    score_sum: int = 0
    # one branch only: its report (id, status, received) and its meetings' grades
    report_id: str = ""
    report_status: str = ""   # "", "draft" or "sent"
    grades: list[str] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    def add(self, other: MonthFigures) -> None:
        for name in ("collected", "retained", "sent_up", "payments", "keeping", "flagged",
                     "reports_sent", "reports_received", "scored", "score_sum"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class MonthTree:
    rows: dict[str, MonthFigures]      # by child unit id
    total: MonthFigures


def _child(column: Any, unit: Unit) -> Any:
    return func.substr(column, len(unit.path) + 1, ID_LEN).label("child")


def month_tree(session: Session, unit: Unit, year: int, month: int) -> MonthTree:
    """The month's figures per direct child of ``unit`` (a branch: its own row, key "")."""
    if unit.level == "branch":
        rows = {"": MonthFigures()}
    else:
        rows = {uid: MonthFigures() for uid in session.scalars(
            select(Unit.id).where(Unit.parent_id == unit.id))}
    number = year * 100 + month

    def row(key: str) -> MonthFigures | None:
        return rows.get(key)

    child = _child(StatDues.path, unit)
    for key, collected, retained, sent_up, payments, keeping in session.execute(
            select(child, func.sum(StatDues.collected), func.sum(StatDues.retained),
                   func.sum(StatDues.sent_up), func.sum(StatDues.payments), func.count())
            .where(StatDues.month == number, rollup_read.direct(unit, StatDues.scope_id),
                   StatDues.path.startswith(unit.path, autoescape=True)).group_by(child)):
        if (r := row(key)) is not None:
            r.collected, r.retained = int(collected or 0), int(retained or 0)
            r.sent_up, r.payments, r.keeping = int(sent_up or 0), int(payments or 0), keeping
    child = _child(StatDuesFlag.path, unit)
    for key, flagged in session.execute(
            select(child, func.count()).where(
                StatDuesFlag.year == year, StatDuesFlag.third <= month,
                rollup_read.direct(unit, StatDuesFlag.scope_id),
                StatDuesFlag.path.startswith(unit.path, autoescape=True)).group_by(child)):
        if (r := row(key)) is not None:
            r.flagged = flagged
    child = _child(StatReport.path, unit)
    for key, sent, received in session.execute(
            select(child, func.sum(case((StatReport.status == "sent", 1), else_=0)),
                   func.sum(StatReport.received))
            .where(StatReport.month == number, StatReport.deleted.is_(False),
                   rollup_read.direct(unit, StatReport.scope_id),
                   StatReport.path.startswith(unit.path, autoescape=True)).group_by(child)):
        if (r := row(key)) is not None:
            r.reports_sent, r.reports_received = int(sent or 0), int(received or 0)
    child = _child(StatScore.path, unit)
    for key, scored, total in session.execute(
            select(child, func.count(), func.sum(StatScore.total))
            .where(StatScore.month == number, StatScore.deleted.is_(False),
                   rollup_read.direct(unit, StatScore.scope_id),
                   StatScore.path.startswith(unit.path, autoescape=True)).group_by(child)):
        if (r := row(key)) is not None:
            r.scored, r.score_sum = scored, int(total or 0)
    rollup_read.month_rows(session, unit, year, month, rows)
    if unit.level != "branch":
        _branch_details(session, unit, number, rows)
    total = MonthFigures()
    for r in rows.values():
        total.add(r)
    return MonthTree(rows, total)


def _branch_details(session: Session, unit: Unit, number: int,
                    rows: dict[str, MonthFigures]) -> None:
    """The report and the grades of each branch directly below ``unit``."""
    branches = [uid for uid in rows if uid]
    if not branches:
        return
    for scope, rid, status in session.execute(
            select(StatReport.scope_id, StatReport.id, StatReport.status)
            .where(StatReport.month == number, StatReport.deleted.is_(False),
                   StatReport.scope_id.in_(branches))
            .order_by(StatReport.status.desc())):
        r = rows[scope]
        if not r.report_id:   # two PCs' reports for one month: the sent one first
            r.report_id, r.report_status = rid, status
    for scope, grade in session.execute(
            select(StatScore.scope_id, StatScore.grade).where(
                StatScore.month == number, StatScore.deleted.is_(False),
                StatScore.scope_id.in_(branches)).order_by(StatScore.scope_id, StatScore.id)):
        if grade:
            rows[scope].grades.append(grade)


# --- the 12-month series --------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    month: int
    branches: int
    held: int
    attendance: float | None   # present / marked
    collected: int

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"


def series(session: Session, unit: Unit, last: dt.date, count: int = 12) -> list[SeriesPoint]:
    """Meetings held, attendance and dues collected per month, ``count`` months to ``last``."""
    months = queries.months(session, unit, last, count)
    first, final = months[0], months[-1]
    collected: dict[int, int] = {}
    for month, amount in session.execute(
            select(StatDues.month, func.sum(StatDues.collected))
            .where(StatDues.month >= first.year * 100 + first.month,
                   StatDues.month <= final.year * 100 + final.month,
                   StatDues.path.startswith(unit.path, autoescape=True),
                   rollup_read.direct(unit, StatDues.scope_id))
            .group_by(StatDues.month)):
        collected[month] = int(amount or 0)
    for month, rolled in rollup_read.months(
            session, unit, first.year * 100 + first.month, final.year * 100 + final.month
    ).items():
        collected[month] = collected.get(month, 0) + rolled["collected"]
    return [SeriesPoint(m.year, m.month, m.branches, m.held,
                        m.present / m.marked if m.marked else None,
                        collected.get(m.year * 100 + m.month, 0)) for m in months]


# --- one branch's monthly report ------------------------------------------------------


@dataclass
class ReportView:
    id: str
    month: str                 # "2026-11"
    status: str
    sent_on: str
    remarks: str
    version: int
    figures: ReportFigures | None
    received_at: dt.datetime | None = None
    received_by: str = ""
    changed_since: bool = False   # the branch sent it again after it was received
    comments: list[dict[str, Any]] = field(default_factory=list)


def report_view(session: Session, branch: Unit, report_id: str) -> ReportView | None:
    rec = session.get(Record, (branch.id, "monthly_reports", report_id))
    if rec is None or rec.deleted:
        return None
    data = json.loads(rec.data)
    try:
        figures_data = json.loads(str(data.get("figures") or "{}"))
        figures = from_dict(figures_data) if isinstance(figures_data, dict) else None
    except (ValueError, DomainError):
        figures = None
    view = ReportView(rec.id, str(data.get("month") or ""), str(data.get("status") or "draft"),
                      str(data.get("sent_on") or ""), str(data.get("remarks") or ""),
                      rec.version, figures)
    receipt = session.get(ReportReceipt, (branch.id, rec.id))
    if receipt is not None:
        view.received_at, view.received_by = receipt.received_at, receipt.received_by
        view.changed_since = rec.version > receipt.version
    by_target: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rid, raw in session.execute(select(Record.id, Record.data).where(
            Record.scope_id == branch.id, Record.entity == "comments",
            Record.deleted.is_(False))):
        c = json.loads(raw)
        if c.get("target_type") == "report":
            by_target[str(c.get("target_id"))].append(c | {"id": rid})
    view.comments = by_target.get(rec.id, [])
    return view


def branch_reports(session: Session, branch: Unit) -> list[StatReport]:
    """The branch's monthly reports, newest month first (its page lists them)."""
    return list(session.scalars(select(StatReport).where(
        StatReport.scope_id == branch.id, StatReport.deleted.is_(False))
        .order_by(StatReport.month.desc())))


def branch_book(session: Session, branch: Unit, year: int, through: Month) -> DuesBook | None:
    """The branch's dues book of ``year`` counted through ``through``, computed now from its
    records (``build_book``, as the PC computes it); None when it recorded no payment then."""
    payments = [p for _rid, d in month_facts.live(session, branch.id, "dues_payments")
                if (p := month_facts.payment_of(d)) is not None]
    if not any(p.month.year == year for p in payments):
        return None
    rates = month_facts.rate_table(
        d for _rid, d in month_facts.live(session, branch.id, "dues_rates"))
    members = [m for m in month_facts.branch_members(session, branch.id)
               if m.admitted_on.year <= year and (m.left_on is None or m.left_on.year >= year)]
    try:
        return build_book(members, payments, year, through=through, rates=rates)
    except DomainError:
        return build_book(members, payments, year, through=through)


def flag_counts(book: DuesBook) -> tuple[int, int]:
    """Members with 2 unpaid months (warned) and with 3 or more (to strike off)."""
    return len(book.flagged(UnpaidFlag.WARN)), len(book.flagged(UnpaidFlag.STRIKE_OFF))
