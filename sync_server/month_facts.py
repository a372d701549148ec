"""Statistics of the secretary's month (issue 19), kept like ``sync_server.facts``: from the
records' current state, before the transaction commits, never incremented.

- ``stat_dues``: per branch and dues month, collected, retained by the chi bộ and sent up,
  as the desktop's book counts them (``domain.dues.branch_totals`` with the branch's own
  ``dues_rates`` versions, else ``DEFAULT_RATES``: the same rule as the PC's
  ``services/dues_read.rate_table``).
- ``stat_dues_flags``: per member and calendar year, the months in which the 2nd and 3rd
  unpaid month fell, from the year's book (``domain.dues_book.build_book``) over the members
  the events say were in the branch that year, their bases and exemptions. Computed only for
  the years in which the branch recorded at least one payment ("kept its book in the app"):
  a branch that keeps its book on paper is not shown with every member unpaid.
- ``stat_reports``: each monthly report's month, status and sending date, and whether the
  commune marked it received (``report_receipts``).
- ``stat_scores``: each meeting score's total and grade, in the month of its meeting.

A change to a branch's payments, bases, exemptions, rates or members' events recomputes
that branch's dues rows whole: a branch's book is a few hundred payments a year.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sotay_core.domain.dues import (
    DEFAULT_RATES,
    DuesBasis,
    Exemption,
    Month,
    Payment,
    RateTable,
    branch_totals,
)
from sotay_core.domain.dues_book import MemberDues, build_book
from sotay_core.domain.dues_records import (
    RATE_FIELDS,
    basis_of,
    membership_span,
    rate_table_of,
    rate_version_of,
)
from sotay_core.domain.dues_records import exemption_of as stored_exemption
from sotay_core.domain.dues_records import payment_of as stored_payment
from sotay_core.domain.entities import EventKind, MemberEvent
from sotay_core.domain.errors import DomainError
from sync_server.models import (
    Record,
    ReportReceipt,
    StatDues,
    StatDuesFlag,
    StatMeeting,
    StatMember,
    StatMemberEvent,
    StatReport,
    StatScore,
    Unit,
)

DUES_ENTITIES = frozenset({"dues_payments", "dues_bases", "dues_exemptions", "dues_rates"})
MONTH_ENTITIES = DUES_ENTITIES | {"monthly_reports", "meeting_scores"}
STAT_CLASSES = (StatDues, StatDuesFlag, StatReport, StatScore)

Key = tuple[str, str]


def month_number(text: Any) -> int | None:
    """``"2026-11"`` to 202611; anything else None."""
    try:
        year, month = (int(p) for p in str(text).split("-", 1))
        return year * 100 + month if 1900 <= year <= 9999 and 1 <= month <= 12 else None
    except ValueError:
        return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def live(session: Session, scope: str, entity: str) -> list[tuple[str, dict[str, Any]]]:
    return [(rid, json.loads(data)) for rid, data in session.execute(
        select(Record.id, Record.data).where(Record.scope_id == scope, Record.entity == entity,
                                             Record.deleted.is_(False)))]


def _path(session: Session, scope: str) -> str:
    unit = session.get(Unit, scope)
    return unit.path if unit is not None else ""


def refresh(session: Session, touched: dict[str, set[Key]], members: set[Key],
            meetings: set[Key]) -> None:
    """Rewrite the rows of what this transaction touched (``facts.refresh`` calls this after
    the member and meeting statistics are up to date)."""
    dues_scopes = {scope for entity in DUES_ENTITIES for scope, _ in touched.get(entity, ())}
    dues_scopes |= {scope for scope, _ in members}
    for scope in dues_scopes:
        refresh_dues(session, scope)
    for key in touched.get("monthly_reports", ()):
        _report(session, key)
    scores = set(touched.get("meeting_scores", ()))
    for scope, meeting_id in meetings:
        scores |= {(scope, rid) for rid in session.scalars(select(Record.id).where(
            Record.scope_id == scope, Record.entity == "meeting_scores",
            Record.natural_key == meeting_id))}
        scores |= {(scope, rid) for rid in session.scalars(select(StatScore.id).where(
            StatScore.scope_id == scope, StatScore.meeting_id == meeting_id))}
    for key in scores:
        _score(session, key)


# --- reports and scores ---------------------------------------------------------------


def _put(session: Session, cls: Any, key: Key, **values: Any) -> None:
    row = session.get(cls, key)
    if row is None:
        session.add(cls(scope_id=key[0], id=key[1], **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def _report(session: Session, key: Key) -> None:
    rec = session.get(Record, (key[0], "monthly_reports", key[1]))
    if rec is None:
        return
    data = json.loads(rec.data)
    _put(session, StatReport, key, path=_path(session, key[0]),
         month=month_number(data.get("month")) or 0,
         status=str(data.get("status") or "draft")[:16], sent_on=_date(data.get("sent_on")),
         deleted=rec.deleted, received=int(session.get(ReportReceipt, key) is not None))


def _score(session: Session, key: Key) -> None:
    rec = session.get(Record, (key[0], "meeting_scores", key[1]))
    if rec is None:
        return
    data = json.loads(rec.data)
    meeting_id = str(data.get("meeting_id") or "")
    meeting = session.get(StatMeeting, (key[0], meeting_id))
    held = meeting is not None and not meeting.deleted
    total = data.get("total")
    _put(session, StatScore, key, meeting_id=meeting_id[:36], path=_path(session, key[0]),
         month=meeting.month if held and meeting is not None else 0,
         total=total if isinstance(total, int) else 0, grade=str(data.get("grade") or "")[:40],
         deleted=rec.deleted or not held)


# --- dues -----------------------------------------------------------------------------


def rate_table(rows: Iterable[dict[str, Any]]) -> RateTable:
    """The branch's dated versions, read as the PC reads them (``dues_records``)."""
    return rate_table_of(rate_version_of(**{name: data.get(name) for name in RATE_FIELDS})
                         for data in rows)


def payment_of(data: dict[str, Any]) -> Payment | None:
    return stored_payment(member_id=data.get("member_id"), month=data.get("month"),
                          amount=data.get("amount"), paid_on=data.get("paid_on"),
                          channel=data.get("channel"))


def branch_members(session: Session, scope: str) -> list[MemberDues]:
    """The branch's admitted members (live member records) with their bases and exemptions;
    names are not read (the statistics need none)."""
    alive = set(session.scalars(select(StatMember.id).where(
        StatMember.scope_id == scope, StatMember.deleted.is_(False))))
    events: dict[str, list[MemberEvent]] = defaultdict(list)
    for e in session.scalars(select(StatMemberEvent).where(
            StatMemberEvent.scope_id == scope, StatMemberEvent.deleted.is_(False))):
        try:
            events[e.member_id].append(MemberEvent(e.id, e.member_id, EventKind(e.kind),
                                                   e.date, seq=e.seq))
        except ValueError:
            continue
    bases: dict[str, list[tuple[Month, DuesBasis]]] = defaultdict(list)
    for _rid, data in live(session, scope, "dues_bases"):
        start = _date(data.get("valid_from"))
        basis = basis_of(data.get("category"), data.get("amount"))
        if start is not None and basis is not None:
            bases[str(data.get("member_id"))].append((Month.of(start), basis))
    exemptions: dict[str, list[Exemption]] = defaultdict(list)
    for _rid, data in live(session, scope, "dues_exemptions"):
        exemption = stored_exemption(
            kind=data.get("kind"), starts_on=data.get("starts_on"), ends_on=data.get("ends_on"),
            decision=data.get("decision"), percent=data.get("percent"))
        if exemption is not None:
            exemptions[str(data.get("member_id"))].append(exemption)
    out = []
    for member_id in sorted(alive):
        admitted, left, _status = membership_span(events.get(member_id, []))
        if admitted is not None:
            out.append(MemberDues(member_id, "", admitted, left, tuple(bases[member_id]),
                                  tuple(exemptions[member_id])))
    return out


def _in_year(member: MemberDues, year: int) -> bool:
    return member.admitted_on.year <= year and (member.left_on is None
                                               or member.left_on.year >= year)


def refresh_dues(session: Session, scope: str) -> None:
    """Rewrite the branch's ``stat_dues`` and ``stat_dues_flags`` rows."""
    if session.get(Unit, scope) is None:
        return
    session.flush()
    path = _path(session, scope)
    payments = [p for _rid, d in live(session, scope, "dues_payments")
                if (p := payment_of(d)) is not None]
    rates = rate_table(d for _rid, d in live(session, scope, "dues_rates"))
    try:
        totals = branch_totals(payments, rates)
    except DomainError:   # the branch's versions leave a month without a rate
        rates = DEFAULT_RATES
        totals = branch_totals(payments, rates)
    counts: dict[int, int] = defaultdict(int)
    for payment in payments:
        counts[payment.month.year * 100 + payment.month.month] += 1
    session.execute(delete(StatDues).where(StatDues.scope_id == scope))
    session.execute(delete(StatDuesFlag).where(StatDuesFlag.scope_id == scope))
    for month, total in totals.items():
        number = month.year * 100 + month.month
        session.add(StatDues(scope_id=scope, month=number, path=path,
                             collected=total.collected, retained=total.retained,
                             sent_up=total.sent_up, payments=counts[number]))
    years = sorted({p.month.year for p in payments})
    if not years:
        return
    members = branch_members(session, scope)
    for year in years:
        within = [m for m in members if _in_year(m, year)]
        try:
            book = build_book(within, payments, year, through=Month(year, 12), rates=rates)
        except DomainError:
            continue
        for line in book.lines:
            if len(line.unpaid) >= 2:
                session.add(StatDuesFlag(
                    scope_id=scope, member_id=line.member_id, year=year, path=path,
                    second=line.unpaid[1].month,
                    third=line.unpaid[2].month if len(line.unpaid) >= 3 else None))


def rebuild(session: Session) -> int:
    """Recompute this module's rows alone from the records (``db.upgrade`` past s0004 on a
    database whose other statistics are already kept); returns the records read."""
    for cls in STAT_CLASSES:
        session.execute(delete(cls))
    count = 0
    for scope in session.scalars(select(Unit.id).where(Unit.level == "branch")):
        touched: dict[str, set[Key]] = defaultdict(set)
        for entity, row_id in session.execute(select(Record.entity, Record.id).where(
                Record.scope_id == scope, Record.entity.in_(MONTH_ENTITIES))):
            touched[entity].add((scope, row_id))
            count += 1
        if touched:
            refresh(session, touched, set(), set())
    session.flush()
    return count
