"""What the province pages and ``sotay-server review`` read of the annual review (issue 20):
the grade distribution of a year per direct child of a unit and rolled up (from the
``stat_reviews`` rows, grouped in the database: one query per figure, so 17,000 branches
stay an indexed scan), and one branch's campaign with each member's proposed and decided
grade (read from its records: one branch is a few dozen entries).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from sotay_core.domain.review import Grade, Period
from sotay_core.domain.text import name_sort_key
from sync_server import queries, review_decide, review_facts, rollup_read
from sync_server.models import Record, StatReview, Unit

GRADES = tuple(Grade)


def _zero() -> dict[str, int]:
    return {g.value: 0 for g in GRADES}


@dataclass
class ReviewFigures:
    """A year's review of one branch, or summed over the branches below a unit."""

    branches: int = 0
    started: int = 0      # branches with a review of the year recorded in the app
    sent: int = 0         # … whose proposals were sent up (or already decided)
    decided: int = 0      # … on which the level above's decision has come down
    members: int = 0      # members reviewed
    grades: dict[str, int] = field(default_factory=_zero)          # the grade that stands
    branch_grades: dict[str, int] = field(default_factory=_zero)   # the branches' own
    # a branch alone: its campaign
    campaign_id: str = ""
    status: str = ""
    branch_grade: str = ""
    decision_number: str = ""

    @property
    def graded(self) -> int:
        return sum(self.grades.values())

    @property
    def not_sent(self) -> int:
        return max(0, self.branches - self.sent)

    def share(self, grade: str) -> float | None:
        return self.grades[grade] / self.graded if self.graded else None

    def add(self, other: ReviewFigures) -> None:
        for name in ("branches", "started", "sent", "decided", "members"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for g in self.grades:
            self.grades[g] += other.grades[g]
            self.branch_grades[g] += other.branch_grades[g]


@dataclass
class ReviewTree:
    year: int
    rows: dict[str, ReviewFigures]     # by child unit id (a branch: its own row, key "")
    total: ReviewFigures


def _child(column: Any, unit: Unit) -> Any:
    return func.substr(column, len(unit.path) + 1, queries.ID_LEN).label("child")


def review_tree(session: Session, unit: Unit, year: int,
                branches: Mapping[str, int] | None = None) -> ReviewTree:
    """The year's reviews per direct child of ``unit``. ``branches``: the number of
    branches below each direct child (every child), when the caller has it (the tree page),
    else counted here."""
    if unit.level == "branch":
        rows = {"": ReviewFigures(branches=1)}
    else:
        if branches is None:
            counted = rollup_read.branch_counts(session, unit)
            branches = {uid: counted.get(uid, 0) for uid in session.scalars(
                select(Unit.id).where(Unit.parent_id == unit.id))}
        rows = {uid: ReviewFigures(branches=n) for uid, n in branches.items()}
    s = StatReview
    child = _child(s.path, unit)
    sent = or_(s.status == "sent", s.decided > 0, s.branch_decided != "")
    columns = [child, func.count(), func.sum(case((sent, 1), else_=0)),
               func.sum(case((or_(s.decided > 0, s.branch_decided != ""), 1), else_=0)),
               func.sum(s.members)]
    columns += [func.sum(getattr(s, f"grade_{g.value}")) for g in GRADES]
    columns += [func.sum(case((s.branch_grade == g.value, 1), else_=0)) for g in GRADES]
    for key, started, n_sent, n_decided, members, *counts in session.execute(
            select(*columns).where(s.year == year, s.period == Period.YEAR.value,
                                   s.deleted.is_(False), rollup_read.direct(unit, s.scope_id),
                                   s.path.startswith(unit.path, autoescape=True))
            .group_by(child)):
        r = rows.get(key)
        if r is None:
            continue
        r.started, r.sent, r.decided = started, int(n_sent or 0), int(n_decided or 0)
        r.members = int(members or 0)
        for i, g in enumerate(GRADES):
            r.grades[g.value] = int(counts[i] or 0)
            r.branch_grades[g.value] = int(counts[len(GRADES) + i] or 0)
    rollup_read.review_rows(session, unit, year, rows)
    _branch_details(session, year, rows if unit.level != "branch" else {unit.id: rows[""]})
    total = ReviewFigures()
    for r in rows.values():
        total.add(r)
    return ReviewTree(year, rows, total)


def _branch_details(session: Session, year: int, rows: dict[str, ReviewFigures]) -> None:
    """The campaign, status and own grade of each branch directly below the unit (asked only
    of the children with one branch below them: a commune of the province page is none)."""
    branches = [uid for uid, r in rows.items() if uid and r.branches == 1]
    for i in range(0, len(branches), 500):
        for scope, cid, status, grade, number in session.execute(
                select(StatReview.scope_id, StatReview.id, StatReview.status,
                       StatReview.branch_grade, StatReview.decision_number)
                .where(StatReview.year == year, StatReview.period == Period.YEAR.value,
                       StatReview.deleted.is_(False),
                       StatReview.scope_id.in_(branches[i:i + 500]))):
            r = rows[scope]
            r.campaign_id, r.status, r.branch_grade, r.decision_number = cid, status, grade, \
                number


def branch_campaigns(session: Session, branch: Unit) -> list[StatReview]:
    """The branch's live campaigns, the newest year first (its page links them)."""
    return list(session.scalars(select(StatReview).where(
        StatReview.scope_id == branch.id, StatReview.deleted.is_(False))
        .order_by(StatReview.year.desc(), StatReview.period)))


# --- one branch's campaign ----------------------------------------------------------------


@dataclass
class EntryLine:
    entry_id: str
    member_id: str | None        # None: the branch's own entry
    name: str
    points: str
    proposed: Grade | None
    votes_yes: int
    voting_base: int
    secret: bool
    decided: Grade | None = None

    @property
    def changed(self) -> bool:
        return self.decided is not None and self.decided != self.proposed

    @property
    def stands(self) -> Grade | None:
        return self.decided or self.proposed


@dataclass
class CampaignPage:
    campaign_id: str
    year: int
    period: str
    status: str
    held_on: str
    note: str
    lines: list[EntryLine]             # the members, in roster order
    branch_line: EntryLine | None
    decision_number: str = ""
    decided_on: dt.date | None = None
    issuer: str = ""
    decision_note: str = ""

    @property
    def decided(self) -> int:
        return sum(line.decided is not None for line in self.lines)

    def counts(self, which: str = "stands") -> dict[str, int]:
        out = _zero()
        for line in self.lines:
            grade = getattr(line, which)
            if grade is not None:
                out[grade.value] += 1
        return out


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def campaign_page(session: Session, branch: Unit, year: int, period: Period = Period.YEAR
                  ) -> CampaignPage | None:
    """The branch's campaign of ``year``/``period`` with every entry, or None."""
    rec = session.scalars(select(Record).where(
        Record.scope_id == branch.id, Record.entity == "review_campaigns",
        Record.natural_key == f"{branch.id}|{year}|{period.value}",
        Record.deleted.is_(False))).first()
    if rec is None:
        return None
    data = json.loads(rec.data)
    names = review_decide.member_names(session, branch.id)
    decisions = review_facts.decisions_of(session, branch.id, rec.id)
    page = CampaignPage(rec.id, year, period.value, str(data.get("status") or "open"),
                        str(data.get("held_on") or ""), str(data.get("note") or ""), [], None)
    for entry_id, entry in review_facts.entries_of(session, branch.id, rec.id):
        member_id = entry.get("member_id") or None
        line = EntryLine(entry_id, member_id,
                         names.get(str(member_id), "?") if member_id else branch.name,
                         str(entry.get("points") or ""),
                         review_facts.grade_of(entry.get("grade")), _int(entry.get("votes_yes")),
                         _int(entry.get("voting_base")), bool(entry.get("secret")))
        decision = decisions.get(entry_id)
        if decision is not None:
            d = decision[1]
            line.decided = review_facts.grade_of(d.get("grade"))
            page.decision_number = page.decision_number or str(d.get("number") or "")
            page.issuer = page.issuer or str(d.get("issuer") or "")
            page.decision_note = page.decision_note or str(d.get("note") or "")
            day = review_facts.day_of(d.get("decided_on"))
            if day is not None and (page.decided_on is None or day > page.decided_on):
                page.decided_on = day
        if member_id is None:
            page.branch_line = line
        else:
            page.lines.append(line)
    page.lines.sort(key=lambda line: name_sort_key(line.name))
    return page
