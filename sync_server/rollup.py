"""Per-unit roll-ups (``rollup_models``, issue 22), kept like ``sync_server.facts``: from
the branches' statistics rows, before the transaction commits, never incremented.

``facts.refresh`` first notes what each touched branch's rows add up to (``before``: per
month, year, its numbers and party numbers; a few indexed queries on the branch); at the
outer commit (``refresh``) the same is read again, and in the rows of the unit directly
above the branch only the months, years and lines whose figures changed are recomputed
from that unit's direct children's rows, after ``SELECT … FOR UPDATE`` on that unit's row
(in id order): two branches of one commune written at once, on two nodes, would otherwise
each write a sum that misses the other's rows. A change not noted before (a unit added, a
PC revoked or seen for the first time) marks the branch (``mark``); a PC's sync moves
``last_sync`` forward under the same lock (``seen``). ``rollup_read`` reads the rows for
the pages above a commune.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, or_, select, true, update
from sqlalchemy.orm import Session, aliased

from sotay_core.domain.review import Grade, Period
from sync_server.models import (
    Device,
    StatBranch,
    StatDues,
    StatDuesFlag,
    StatMeeting,
    StatMember,
    StatReport,
    StatReview,
    StatScore,
    Unit,
)
from sync_server.party_numbers import counted, party_of
from sync_server.rollup_models import (
    ROLLUP_CLASSES,
    StatUnit,
    StatUnitMember,
    StatUnitMonth,
    StatUnitReview,
)

GRADES = tuple(g.value for g in Grade)
MONTH_FIGURES = ("held", "present", "marked", "adopted", "collected", "retained", "sent_up",
                 "payments", "keeping", "thirds", "reports_sent", "reports_received",
                 "scored", "score_sum")
__all__ = ["ROLLUP_CLASSES", "StatMember", "before", "mark", "party_of", "rebuild", "refresh",
           "rewrite", "seen"]
REVIEW_FIGURES = ("started", "sent", "decided", "members",
                  *(f"grade_{g}" for g in GRADES), *(f"branch_{g}" for g in GRADES))


Figures = dict[tuple[str, int], tuple[Any, ...]]   # ("unit", 0), ("dues", 202611)…
Changed = set[tuple[str, int]]


def mark(session: Session, scopes: Iterable[str], *, units_only: bool = False) -> None:
    """The roll-up of the unit above each of these branches is rewritten before commit (a
    change whose rows were not noted ``before``: a unit added, a PC revoked…): whole, or
    with ``units_only`` its ``stat_units`` row alone."""
    marked: dict[str, bool] = session.info.setdefault("rollup", {})
    for scope in scopes:
        marked[scope] = marked.get(scope, True) and units_only


CATEGORIES = frozenset({"unit", "members", "meetings", "dues", "flags", "reports", "scores",
                        "reviews"})
MONTHLY = ("meetings", "dues", "flags", "reports", "scores")
# the branch's rows each entity's records can change (``facts.refresh``, ``month_facts``)
_MEMBERS = frozenset({"unit", "members", "dues", "flags"})
_MEETINGS = frozenset({"meetings", "scores"})
ENTITY_CATEGORIES: dict[str, frozenset[str]] = {
    "members": _MEMBERS, "member_events": _MEMBERS, "conflicts": frozenset({"unit"}),
    "meetings": _MEETINGS, "attendance": _MEETINGS, "resolutions": _MEETINGS,
    "dues_payments": frozenset({"dues", "flags"}), "dues_rates": frozenset({"dues", "flags"}),
    "dues_bases": frozenset({"dues", "flags"}), "dues_exemptions": frozenset({"dues", "flags"}),
    "monthly_reports": frozenset({"reports"}),
    "meeting_scores": frozenset({"scores"}), "review_campaigns": frozenset({"reviews"}),
    "review_entries": frozenset({"reviews"}), "review_decisions": frozenset({"reviews"})}


def before(session: Session, touched: dict[str, set[str]]) -> None:
    """Note what these branches' rows add up to before this transaction changes them
    (``facts.refresh`` calls this first, with the entities touched per branch; only the
    tables those entities can change are read): at commit, only the months and years whose
    figures changed are rewritten in their commune's rows, not its ~300 branches' years."""
    if session.info.get("rollup_off"):
        return
    noted: dict[str, tuple[set[str], Figures]] = session.info.setdefault("rollup_before", {})
    for scope, entities in touched.items():
        wanted: set[str] = set()
        for entity in entities:
            wanted |= ENTITY_CATEGORIES.get(entity, CATEGORIES)
        cats, figures = noted.setdefault(scope, (set(), {}))
        # a table not read before for this branch was not changed in this transaction yet
        if new := wanted - cats:
            figures.update(figures_of(session, scope, new))
            cats |= new


def figures_of(session: Session, scope: str, cats: Iterable[str] = CATEGORIES) -> Figures:
    """What one branch's rows add to its commune's roll-ups, by table and row of the
    roll-ups (("meetings", 202611), ("reviews", 2025), ("unit", 0)…), of ``cats`` only."""
    cats = set(cats)
    out: Figures = {}
    if "unit" in cats:
        b = session.execute(select(StatBranch.members, StatBranch.open_conflicts).where(
            StatBranch.scope_id == scope)).first()
        out[("unit", 0)] = tuple(b) if b is not None else ()
    if "members" in cats:
        out[("members", 0)] = tuple(sorted(
            (str(k), n) for k, n in counted(session, StatMember.scope_id == scope).items()))
    queries: dict[str, Any] = {
        "meetings": select(StatMeeting.month, func.sum(StatMeeting.held),
                           func.sum(StatMeeting.present), func.sum(StatMeeting.marked),
                           func.sum(StatMeeting.adopted))
        .where(StatMeeting.scope_id == scope, StatMeeting.deleted.is_(False))
        .group_by(StatMeeting.month),
        "dues": select(StatDues.month, StatDues.collected, StatDues.retained,
                       StatDues.sent_up, StatDues.payments).where(StatDues.scope_id == scope),
        "flags": select(StatDuesFlag.year * 100 + StatDuesFlag.third, func.count())
        .where(StatDuesFlag.scope_id == scope, StatDuesFlag.third.is_not(None))
        .group_by(StatDuesFlag.year, StatDuesFlag.third),
        "reports": select(StatReport.month, func.count(), StatReport.status,
                          func.sum(StatReport.received))
        .where(StatReport.scope_id == scope, StatReport.deleted.is_(False))
        .group_by(StatReport.month, StatReport.status).order_by(StatReport.status),
        "scores": select(StatScore.month, func.count(), func.sum(StatScore.total))
        .where(StatScore.scope_id == scope, StatScore.deleted.is_(False))
        .group_by(StatScore.month)}
    for name in MONTHLY:
        if name in cats:
            for month, *values in session.execute(queries[name]):
                key = (name, int(month or 0))
                out[key] = (*out.get(key, ()), tuple(values))
    if "reviews" in cats:
        r = StatReview
        for year, *values in session.execute(
                select(r.year, r.status, r.deleted, r.members, r.decided, r.branch_decided,
                       r.branch_grade, *(getattr(r, f"grade_{g}") for g in GRADES))
                .where(r.scope_id == scope, r.period == Period.YEAR.value)
                .order_by(r.year, r.id)):
            key = ("reviews", int(year))
            out[key] = (*out.get(key, ()), tuple(values))
    return out


def _lock(session: Session, unit_ids: Iterable[str]) -> None:
    session.execute(select(Unit.id).where(Unit.id.in_(sorted(set(unit_ids))))
                    .order_by(Unit.id).with_for_update())


def _parents(session: Session, scopes: Iterable[str]) -> dict[str, str]:
    ordered = sorted(set(scopes))
    out: dict[str, str] = {}
    for i in range(0, len(ordered), 500):
        for uid, parent in session.execute(select(Unit.id, Unit.parent_id).where(
                Unit.id.in_(ordered[i:i + 500]))):
            if parent:
                out[uid] = parent
    return out


def refresh(session: Session) -> None:
    marked: dict[str, bool] = session.info.pop("rollup", {})
    noted: dict[str, tuple[set[str], Figures]] = session.info.pop("rollup_before", {})
    if not marked and not noted:
        return
    session.flush()
    parents = _parents(session, marked.keys() | noted.keys())
    todo: dict[str, Changed | None] = {}
    for scope, units_only in marked.items():
        if (parent := parents.get(scope)) is not None:
            if not units_only:
                todo[parent] = None
            elif todo.get(parent, set()) is not None:
                todo.setdefault(parent, set()).add(("unit", 0))  # type: ignore[union-attr]
    for scope, (cats, was) in noted.items():
        parent = parents.get(scope)
        if parent is None or (parent in todo and todo[parent] is None):
            continue
        now = figures_of(session, scope, cats)
        keys = {k for k in was.keys() | now.keys() if was.get(k) != now.get(k)}
        if keys:
            todo.setdefault(parent, set()).update(keys)   # type: ignore[union-attr]
    if not todo:
        return
    # A commune's rows are read from its branches' rows and rewritten: two of its branches
    # written at once (two nodes, two workers) would each write a sum that misses the
    # other's rows. Locking the commune first (in one order: no deadlock) makes the second
    # wait, then read the first's committed rows.
    _lock(session, todo)
    for unit_id in sorted(todo):
        rewrite(session, unit_id, todo[unit_id])


def seen(session: Session, device: Device, now: dt.datetime, first: bool) -> None:
    """A PC of a branch synced at ``now`` (its ``last_seen_at`` just written)."""
    parent = session.scalar(select(Unit.parent_id).where(Unit.id == device.unit_id))
    if parent is None:
        return
    if first:     # the branch may leave the never-synced count
        mark(session, [device.unit_id], units_only=True)
        return
    _lock(session, [parent])
    done = session.execute(update(StatUnit).where(
        StatUnit.unit_id == parent, or_(StatUnit.last_sync.is_(None),
                                        StatUnit.last_sync < now)).values(last_sync=now))
    if not getattr(done, "rowcount", 0) and session.get(StatUnit, parent) is None:
        mark(session, [device.unit_id], units_only=True)


def _put(session: Session, cls: Any, key: tuple[Any, ...], values: dict[str, Any]) -> Any:
    row = session.get(cls, key)
    if row is None:
        session.add(cls(**dict(zip([c.key for c in cls.__table__.primary_key], key,
                                   strict=True)), **values))
    else:
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    return row


def rewrite(session: Session, unit_id: str, changed: Changed | None = None) -> None:
    """The roll-up rows of ``unit_id`` from its direct children's rows: all of them, or
    those of ``changed`` (("unit", 0), ("dues", 202611), ("reviews", 2025)…)."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        return
    direct = _direct(session, unit)
    if changed is None or ("unit", 0) in changed:
        _units(session, unit)
    if changed is None or ("members", 0) in changed:
        _members(session, unit, direct)
    months = None if changed is None else {n for k, n in changed if k in MONTHLY}
    if months is None or months:
        _months(session, unit, direct, months)
    years = None if changed is None else {n for k, n in changed if k == "reviews"}
    if years is None or years:
        _reviews(session, unit, direct, years)


def _units(session: Session, unit: Unit) -> None:
    owner = aliased(Unit)
    last = (select(Device.unit_id, func.max(Device.last_seen_at).label("last"))
            .join(owner, owner.id == Device.unit_id)
            .where(Device.revoked_at.is_(None), owner.parent_id == unit.id)
            .group_by(Device.unit_id).subquery())
    branches, members, conflicts, last_sync, never = session.execute(
        select(func.count(), func.sum(StatBranch.members), func.sum(StatBranch.open_conflicts),
               func.max(last.c.last), func.sum(case((last.c.last.is_(None), 1), else_=0)))
        .select_from(Unit)
        .join(StatBranch, StatBranch.scope_id == Unit.id, isouter=True)
        .join(last, last.c.unit_id == Unit.id, isouter=True)
        .where(Unit.parent_id == unit.id, Unit.level == "branch")).one()
    if not branches:
        if (row := session.get(StatUnit, unit.id)) is not None:
            session.delete(row)
        return
    _put(session, StatUnit, (unit.id,), {
        "path": unit.path, "branches": branches, "members": int(members or 0),
        "open_conflicts": int(conflicts or 0), "last_sync": last_sync,
        "never_synced": int(never or 0)})


def _direct(session: Session, unit: Unit) -> Any:
    """SQL on a ``stat_*`` table with ``scope_id`` and ``path``: the rows of ``unit``'s
    direct children. Under a commune (every child a branch) the path's prefix alone, less
    the unit's own rows: a few index entries a month, not 300 ids looked up."""
    children = list(session.execute(select(Unit.id, Unit.level).where(
        Unit.parent_id == unit.id)))

    def rows(cls: Any) -> list[ColumnElement[bool]]:
        under = cls.path.startswith(unit.path, autoescape=True)
        if all(level == "branch" for _uid, level in children):
            return [under, cls.scope_id != unit.id]
        return [under, cls.scope_id.in_([uid for uid, _level in children])]
    return rows


def _members(session: Session, unit: Unit, direct: Any) -> None:
    counts = counted(session, *direct(StatMember))
    old = {(row.kind, row.value): row for row in session.scalars(
        select(StatUnitMember).where(StatUnitMember.unit_id == unit.id))}
    for (kind, value), n in counts.items():
        _put(session, StatUnitMember, (unit.id, kind, value), {"path": unit.path, "n": n})
    for key, row in old.items():
        if key not in counts:
            session.delete(row)


def _months(session: Session, unit: Unit, direct: Any, only: set[int] | None) -> None:
    months: dict[int, dict[str, int]] = {}

    def these(column: Any) -> Any:
        return true() if only is None else column.in_(sorted(only))

    def put(month: int, **values: Any) -> None:
        row = months.setdefault(month, dict.fromkeys(MONTH_FIGURES, 0))
        for name, value in values.items():
            row[name] += int(value or 0)

    m = StatMeeting
    for month, held, present, marked, adopted in session.execute(
            select(m.month, func.sum(m.held), func.sum(m.present), func.sum(m.marked),
                   func.sum(m.adopted))
            .where(m.deleted.is_(False), *direct(StatMeeting), these(m.month),
                   m.path.startswith(unit.path, autoescape=True)).group_by(m.month)):
        put(month, held=held, present=present, marked=marked, adopted=adopted)
    d = StatDues
    for month, collected, retained, sent_up, payments, keeping in session.execute(
            select(d.month, func.sum(d.collected), func.sum(d.retained), func.sum(d.sent_up),
                   func.sum(d.payments), func.count())
            .where(*direct(StatDues), these(d.month),
                   d.path.startswith(unit.path, autoescape=True))
            .group_by(d.month)):
        put(month, collected=collected, retained=retained, sent_up=sent_up,
            payments=payments, keeping=keeping)
    f = StatDuesFlag
    for year, third, n in session.execute(
            select(f.year, f.third, func.count())
            .where(f.third.is_not(None), *direct(StatDuesFlag),
                   true() if only is None else f.year.in_(sorted({n // 100 for n in only})))
            .group_by(f.year, f.third)):
        if only is None or year * 100 + (third or 0) in only:
            put(year * 100 + (third or 0), thirds=n)
    r = StatReport
    for month, sent, received in session.execute(
            select(r.month, func.sum(case((r.status == "sent", 1), else_=0)),
                   func.sum(r.received))
            .where(r.deleted.is_(False), *direct(StatReport), these(r.month),
                   r.path.startswith(unit.path, autoescape=True)).group_by(r.month)):
        put(month, reports_sent=sent, reports_received=received)
    s = StatScore
    for month, scored, total in session.execute(
            select(s.month, func.count(), func.sum(s.total))
            .where(s.deleted.is_(False), *direct(StatScore), these(s.month),
                   s.path.startswith(unit.path, autoescape=True)).group_by(s.month)):
        put(month, scored=scored, score_sum=total)
    old = {row.month: row for row in session.scalars(
        select(StatUnitMonth).where(StatUnitMonth.unit_id == unit.id))}
    for month, values in months.items():
        _put(session, StatUnitMonth, (unit.id, month), {"path": unit.path, **values})
    for month, row in old.items():
        if month not in months and (only is None or month in only):
            session.delete(row)


def _reviews(session: Session, unit: Unit, direct: Any, only: set[int] | None
             ) -> None:
    s = StatReview
    sent = or_(s.status == "sent", s.decided > 0, s.branch_decided != "")
    columns = [s.year, func.count(), func.sum(case((sent, 1), else_=0)),
               func.sum(case((or_(s.decided > 0, s.branch_decided != ""), 1), else_=0)),
               func.sum(s.members)]
    columns += [func.sum(getattr(s, f"grade_{g}")) for g in GRADES]
    columns += [func.sum(case((s.branch_grade == g, 1), else_=0)) for g in GRADES]
    years: dict[int, dict[str, int]] = {}
    for year, *figures in session.execute(
            select(*columns).where(s.period == Period.YEAR.value, s.deleted.is_(False),
                                   *direct(StatReview),
                                   true() if only is None else s.year.in_(sorted(only)),
                                   s.path.startswith(unit.path, autoescape=True))
            .group_by(s.year)):
        years[year] = {name: int(v or 0) for name, v in zip(REVIEW_FIGURES, figures,
                                                             strict=True)}
    old = {row.year: row for row in session.scalars(
        select(StatUnitReview).where(StatUnitReview.unit_id == unit.id))}
    for year, values in years.items():
        _put(session, StatUnitReview, (unit.id, year), {"path": unit.path, **values})
    for year, row in old.items():
        if year not in years and (only is None or year in only):
            session.delete(row)


def rebuild(session: Session) -> int:
    """Recompute every roll-up row (``facts.rebuild_all``; ``db.upgrade`` past s0009);
    returns the units rolled up."""
    session.info.pop("rollup", None)
    session.info.pop("rollup_before", None)
    for cls in ROLLUP_CLASSES:
        session.execute(delete(cls))
    parents = sorted({p for p in session.scalars(select(Unit.parent_id).distinct()) if p})
    for unit_id in parents:
        rewrite(session, unit_id)
    session.flush()
    return len(parents)
