"""The province pages' figures from the per-unit roll-ups (``rollup``, issue 22).

A page of a unit above communes reads two parts and adds them per direct child: the
roll-up rows of the units strictly below it (each covers that unit's direct branches; its
key is the direct child on the way down), and the branches' own rows of the branches
directly below the unit itself (``direct``; a commune's page is all of this part, so it
keeps reading its branches' rows). Every branch is counted once: in the row of the unit
directly above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from sync_server.models import Unit
from sync_server.review_models import GRADE_COLUMNS
from sync_server.rollup_models import StatUnit, StatUnitMember, StatUnitMonth, StatUnitReview

if TYPE_CHECKING:
    from sync_server.month_queries import MonthFigures
    from sync_server.queries import TreeRow
    from sync_server.review_queries import ReviewFigures

ID_LEN = 36


def direct(unit: Unit, scope: Any) -> ColumnElement[bool]:
    """SQL: a branch's row counted from the branches' rows on ``unit``'s page: all of a
    branch's own page, else only those of the units directly below ``unit``."""
    if unit.level == "branch":
        return true()
    parents: ColumnElement[bool] = scope.in_(
        select(Unit.id).where(Unit.parent_id == unit.id).scalar_subquery())
    return parents


def _below(cls: Any, unit: Unit) -> tuple[Any, list[ColumnElement[bool]]]:
    """The child key of roll-up rows, and the rows of the units strictly below ``unit``."""
    return (func.substr(cls.path, len(unit.path) + 1, ID_LEN).label("child"),
            [cls.path.startswith(unit.path, autoescape=True), cls.unit_id != unit.id])


def tree_rows(session: Session, unit: Unit, number: int, rows: dict[str, TreeRow]) -> None:
    """Add the roll-ups below ``unit`` to the tree's rows (``queries.tree``)."""
    if unit.level == "branch":
        return
    u = StatUnit
    child, below = _below(u, unit)
    for key, branches, members, conflicts, last, never in session.execute(
            select(child, func.sum(u.branches), func.sum(u.members),
                   func.sum(u.open_conflicts), func.max(u.last_sync), func.sum(u.never_synced))
            .where(*below).group_by(child)):
        row = rows.get(key)
        if row is None:
            continue
        row.branches += int(branches or 0)
        row.members += int(members or 0)
        row.open_conflicts += int(conflicts or 0)
        row.never_synced += int(never or 0)
        if last is not None and (row.last_sync is None or last > row.last_sync):
            row.last_sync = last
    m = StatUnitMonth
    child, below = _below(m, unit)
    for key, held, present, marked, adopted in session.execute(
            select(child, func.sum(m.held), func.sum(m.present), func.sum(m.marked),
                   func.sum(m.adopted)).where(m.month == number, *below).group_by(child)):
        row = rows.get(key)
        if row is not None:
            row.held += int(held or 0)
            row.present += int(present or 0)
            row.marked += int(marked or 0)
            row.adopted += int(adopted or 0)


def branches_below(session: Session, unit: Unit) -> int:
    """The branches in ``unit``'s subtree (a branch: itself)."""
    if unit.level == "branch":
        return 1
    u = StatUnit
    _child, below = _below(u, unit)
    rolled = session.scalar(select(func.sum(u.branches)).where(*below)) or 0
    return int(rolled) + (session.scalar(select(func.count()).select_from(Unit).where(
        Unit.parent_id == unit.id, Unit.level == "branch")) or 0)


def branch_counts(session: Session, unit: Unit) -> dict[str, int]:
    """The branches below each direct child of ``unit`` (a non-branch unit)."""
    u = StatUnit
    child, below = _below(u, unit)
    counts = {key: int(n or 0) for key, n in session.execute(
        select(child, func.sum(u.branches)).where(*below).group_by(child))}
    for uid in session.scalars(select(Unit.id).where(Unit.parent_id == unit.id,
                                                     Unit.level == "branch")):
        counts[uid] = counts.get(uid, 0) + 1
    return counts


def months(session: Session, unit: Unit, first: int, last: int
           ) -> dict[int, dict[str, int]]:
    """The roll-ups below ``unit`` per month from ``first`` to ``last`` (202611)."""
    if unit.level == "branch":
        return {}
    m = StatUnitMonth
    _child, below = _below(m, unit)
    names = ("held", "present", "marked", "adopted", "collected", "thirds")
    out: dict[int, dict[str, int]] = {}
    for month, *values in session.execute(
            select(m.month, *(func.sum(getattr(m, n)) for n in names))
            .where(m.month >= first, m.month <= last, *below).group_by(m.month)):
        out[month] = {n: int(v or 0) for n, v in zip(names, values, strict=True)}
    return out


def month_rows(session: Session, unit: Unit, year: int, month: int,
               rows: dict[str, MonthFigures]) -> None:
    """Add the month's roll-ups below ``unit`` to ``month_queries.month_tree``'s rows."""
    if unit.level == "branch":
        return
    m = StatUnitMonth
    child, below = _below(m, unit)
    names = ("collected", "retained", "sent_up", "payments", "keeping", "reports_sent",
             "reports_received", "scored", "score_sum")
    for key, *values in session.execute(
            select(child, *(func.sum(getattr(m, n)) for n in names))
            .where(m.month == year * 100 + month, *below).group_by(child)):
        if (r := rows.get(key)) is not None:
            for name, value in zip(names, values, strict=True):
                setattr(r, name, getattr(r, name) + int(value or 0))
    # 3+ unpaid by the month: the members whose third unpaid month of the year fell by then
    for key, flagged in session.execute(
            select(child, func.sum(m.thirds))
            .where(m.month >= year * 100, m.month <= year * 100 + month, *below)
            .group_by(child)):
        if (r := rows.get(key)) is not None:
            r.flagged += int(flagged or 0)


def review_rows(session: Session, unit: Unit, year: int,
                rows: dict[str, ReviewFigures]) -> None:
    """Add the year's review roll-ups below ``unit`` to ``review_queries.review_tree``'s."""
    if unit.level == "branch":
        return
    s = StatUnitReview
    child, below = _below(s, unit)
    names = ("started", "sent", "decided", "members", *(f"grade_{g}" for g in GRADE_COLUMNS),
             *(f"branch_{g}" for g in GRADE_COLUMNS))
    for key, *values in session.execute(
            select(child, *(func.sum(getattr(s, n)) for n in names))
            .where(s.year == year, *below).group_by(child)):
        r = rows.get(key)
        if r is None:
            continue
        figures = dict(zip(names, (int(v or 0) for v in values), strict=True))
        r.started += figures["started"]
        r.sent += figures["sent"]
        r.decided += figures["decided"]
        r.members += figures["members"]
        for g in r.grades:
            r.grades[g] += figures[f"grade_{g}"]
            r.branch_grades[g] += figures[f"branch_{g}"]


def party_counts(session: Session, unit: Unit) -> dict[tuple[str, str], int]:
    """Party numbers of ``unit``'s subtree along each line apart: ("status", "official"),
    ("gender", "female"), ("year", "1970") ("" unknown), ("ethnicity", "Tày") → members."""
    from sync_server import rollup

    out = rollup.party_of(session, unit.path, direct(unit, rollup.StatMember.scope_id))
    if unit.level == "branch":
        return out
    m = StatUnitMember
    _child, below = _below(m, unit)
    for kind, value, n in session.execute(
            select(m.kind, m.value, func.sum(m.n)).where(*below).group_by(m.kind, m.value)):
        out[(kind, value)] = out.get((kind, value), 0) + int(n or 0)
    return out
