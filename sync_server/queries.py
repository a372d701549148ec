"""What the province pages and reports read. Every function takes the unit whose subtree it
covers (the caller has checked the staff account may see it) and reads the ``stat_*`` rows,
never the members' JSON, so a province of 17,000 branches is a few indexed queries. What
became of published documents is read by ``published``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from sync_server import rollup_read
from sync_server.models import (
    Device,
    Record,
    StatBranch,
    StatMeeting,
    StatResolution,
    Unit,
)

# Age bands of the reports (years reached in the report's year); a list, so a province that
# reports other bands changes one line.
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, None))
STATUS_ORDER = ("official", "probationary", "exempted", "away")


ID_LEN = 36  # unit ids are UUIDs as text (domain.ids.new_id)


def _child_key(unit: Unit) -> Any:
    """SQL: the id of ``unit``'s direct child on the way down to a unit's path (for the unit
    itself, ''): the figures are rolled up in the database, one row per child."""
    return func.substr(Unit.path, len(unit.path) + 1, ID_LEN)


def in_subtree(unit: Unit) -> Any:
    """SQL: ``Unit`` is ``unit`` or below it."""
    return Unit.path.startswith(unit.path, autoescape=True)


@dataclass
class TreeRow:
    unit: Unit
    branches: int = 0
    members: int = 0
    open_conflicts: int = 0
    last_sync: dt.datetime | None = None
    never_synced: int = 0
    held: int = 0              # branches that held a meeting in the month
    present: int = 0
    marked: int = 0
    adopted: int = 0           # resolutions adopted at the month's meetings
    diverged: int = 0          # branches whose PC copy still differs from the server's (R5)

    @property
    def attendance(self) -> float | None:
        return self.present / self.marked if self.marked else None

    def add(self, other: TreeRow) -> None:
        for name in ("branches", "members", "open_conflicts", "never_synced", "held",
                     "present", "marked", "adopted", "diverged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.last_sync is not None and (self.last_sync is None
                                            or other.last_sync > self.last_sync):
            self.last_sync = other.last_sync


@dataclass
class Tree:
    unit: Unit
    rows: list[TreeRow]
    total: TreeRow
    month: tuple[int, int]


def tree(session: Session, unit: Unit, year: int, month: int) -> Tree:
    """The unit's direct children, each with the figures of the branches below it (a branch:
    itself). Four grouped queries; each returns one row per child."""
    children = list(session.scalars(select(Unit).where(Unit.parent_id == unit.id)))
    rows = {u.id: TreeRow(u) for u in children} if unit.level != "branch" else {
        "": TreeRow(unit)}
    child = _child_key(unit).label("child")
    # the branches directly below (a branch: itself); those below the communes further
    # down come from the communes' roll-ups (``rollup_read``, issue 22)
    under = in_subtree(unit) if unit.level == "branch" else Unit.parent_id == unit.id
    # the PCs of those branches only (through ix_devices_unit_id)
    owner = aliased(Unit)
    seen = (select(Device.unit_id, func.max(Device.last_seen_at).label("last"))
            .join(owner, owner.id == Device.unit_id)
            .where(Device.revoked_at.is_(None), owner.path.startswith(unit.path,
                                                                      autoescape=True),
                   rollup_read.direct(unit, owner.id))
            .group_by(Device.unit_id).subquery())
    for key, branches, members, conflicts, last, never in session.execute(
            select(child, func.count(), func.sum(StatBranch.members),
                   func.sum(StatBranch.open_conflicts), func.max(seen.c.last),
                   func.sum(case((seen.c.last.is_(None), 1), else_=0)))
            .select_from(Unit)
            .join(StatBranch, StatBranch.scope_id == Unit.id, isouter=True)
            .join(seen, seen.c.unit_id == Unit.id, isouter=True)
            .where(under, Unit.level == "branch").group_by(child)):
        row = rows.get(key)
        if row is not None:
            row.branches, row.members = branches, members or 0
            row.open_conflicts, row.never_synced = conflicts or 0, never or 0
            row.last_sync = last
    meeting_child = func.substr(StatMeeting.path, len(unit.path) + 1, ID_LEN).label("child")
    for key, held, present, marked, adopted in session.execute(
            select(meeting_child, func.sum(StatMeeting.held), func.sum(StatMeeting.present),
                   func.sum(StatMeeting.marked), func.sum(StatMeeting.adopted))
            .where(StatMeeting.month == year * 100 + month, StatMeeting.deleted.is_(False),
                   StatMeeting.path.startswith(unit.path, autoescape=True),
                   rollup_read.direct(unit, StatMeeting.scope_id))
            .group_by(meeting_child)):
        row = rows.get(key)
        if row is not None:
            row.held, row.present = held or 0, present or 0
            row.marked, row.adopted = marked or 0, adopted or 0
    rollup_read.tree_rows(session, unit, year * 100 + month, rows)
    _flag_divergences(session, unit, rows)
    total = TreeRow(unit)
    for row in rows.values():
        total.add(row)
    ordered = sorted(rows.values(), key=lambda r: (r.unit.level != "commune", r.unit.name))
    return Tree(unit, ordered, total, (year, month))


def _flag_divergences(session: Session, unit: Unit, rows: dict[str, TreeRow]) -> None:
    """Count, per child, the branches whose last convergence check found a difference that
    no later check saw repaired (the admin log's sync_divergence / sync_converged)."""
    from sync_server.convergence import open_divergences

    found = open_divergences(session)
    if not found:
        return
    for path in session.scalars(select(Unit.path).where(
            Unit.id.in_(sorted(found)), in_subtree(unit), Unit.level == "branch")):
        row = rows.get(path[len(unit.path):len(unit.path) + ID_LEN])
        if row is not None:
            row.diverged += 1


def diverged_entities(session: Session, branch: Unit) -> list[str]:
    """The entities that still differ between a PC of ``branch`` and the server, if any."""
    from sync_server.convergence import open_divergences

    info = open_divergences(session).get(branch.id)
    return [str(e) for e in info.get("entities", [])] if info else []


@dataclass
class MonthRow:
    year: int
    month: int
    branches: int
    held: int
    present: int
    marked: int
    adopted: int


def months(session: Session, unit: Unit, last: dt.date, count: int = 12) -> list[MonthRow]:
    """Meetings held per month over ``count`` months ending with ``last``'s month."""
    branches = rollup_read.branches_below(session, unit)
    y, m = last.year, last.month
    keys = []
    for _ in range(count):
        keys.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    keys.reverse()
    figures: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for month_key, held, present, marked, adopted in session.execute(
            select(StatMeeting.month, func.sum(StatMeeting.held), func.sum(StatMeeting.present),
                   func.sum(StatMeeting.marked), func.sum(StatMeeting.adopted))
            .where(StatMeeting.month >= keys[0][0] * 100 + keys[0][1],
                   StatMeeting.month <= keys[-1][0] * 100 + keys[-1][1],
                   StatMeeting.deleted.is_(False),
                   StatMeeting.path.startswith(unit.path, autoescape=True),
                   rollup_read.direct(unit, StatMeeting.scope_id))
            .group_by(StatMeeting.month)):
        figures[divmod(month_key, 100)] = (held or 0, present or 0, marked or 0, adopted or 0)
    for month_key, rolled in rollup_read.months(
            session, unit, keys[0][0] * 100 + keys[0][1], keys[-1][0] * 100 + keys[-1][1]
    ).items():
        mine = figures.get(divmod(month_key, 100), (0, 0, 0, 0))
        figures[divmod(month_key, 100)] = (
            mine[0] + rolled["held"], mine[1] + rolled["present"],
            mine[2] + rolled["marked"], mine[3] + rolled["adopted"])
    return [MonthRow(y, m, branches, *figures.get((y, m), (0, 0, 0, 0))) for y, m in keys]


@dataclass
class PartyNumbers:
    """Party numbers (đảng số) of a subtree, by status, gender, age band and ethnicity."""

    unit: Unit
    on: dt.date
    total: int
    by_status: list[tuple[str, int]]
    by_gender: list[tuple[str, int]]
    by_age: list[tuple[str, int]]
    by_ethnicity: list[tuple[str, int]]


def band_label(low: int, high: int | None) -> str:
    if low == 0:
        return f"≤ {high}"
    return f"{low}–{high}" if high is not None else f"≥ {low}"


def party_numbers(session: Session, unit: Unit, on: dt.date) -> PartyNumbers:
    statuses: Counter[str] = Counter()
    genders: Counter[str] = Counter()
    years: Counter[int | None] = Counter()
    ethnicities: Counter[str] = Counter()
    # each line counted apart, from the communes' roll-ups and the branches' rows
    for (kind, value), n in rollup_read.party_counts(session, unit).items():
        if kind == "status":
            statuses[value] += n
        elif kind == "gender":
            genders[value] += n
        elif kind == "year":
            years[int(value) if value else None] += n
        else:
            ethnicities[value] += n
    total = sum(statuses.values())
    ages: Counter[str] = Counter()
    for year, n in years.items():
        if year is None:
            ages["?"] += n
            continue
        age = on.year - year
        for low, high in AGE_BANDS:
            if age >= low and (high is None or age <= high):
                ages[band_label(low, high)] += n
                break
    age_rows = [(band_label(lo, hi), ages[band_label(lo, hi)]) for lo, hi in AGE_BANDS]
    if ages["?"]:
        age_rows.append(("?", ages["?"]))
    return PartyNumbers(
        unit, on, total,
        [(s, statuses.get(s, 0)) for s in STATUS_ORDER],
        sorted(genders.items(), key=lambda kv: (-kv[1], kv[0])),
        age_rows,
        sorted(ethnicities.items(), key=lambda kv: (-kv[1], kv[0])),
    )


# --- one branch ----------------------------------------------------------------------


def _data(session: Session, scope: str, entity: str) -> list[tuple[str, dict[str, Any]]]:
    return [(rid, json.loads(data)) for rid, data in session.execute(
        select(Record.id, Record.data).where(Record.scope_id == scope, Record.entity == entity,
                                             Record.deleted.is_(False)))]


@dataclass
class MeetingLine:
    id: str
    date: str
    title: str
    kind: str
    present: int
    marked: int
    resolutions: int


def branch_meetings(session: Session, branch: Unit) -> list[MeetingLine]:
    counts = {m.id: m for m in session.scalars(select(StatMeeting).where(
        StatMeeting.scope_id == branch.id))}
    resolutions = Counter(r.meeting_id for r in session.scalars(select(StatResolution).where(
        StatResolution.scope_id == branch.id, StatResolution.deleted.is_(False))))
    out = []
    for rid, data in _data(session, branch.id, "meetings"):
        stat = counts.get(rid)
        out.append(MeetingLine(rid, str(data.get("date") or ""), str(data.get("title") or ""),
                               str(data.get("kind") or ""), stat.present if stat else 0,
                               stat.marked if stat else 0, resolutions.get(rid, 0)))
    out.sort(key=lambda m: m.date, reverse=True)
    return out


@dataclass
class ResolutionView:
    id: str
    number: str
    title: str
    body: str
    status: str
    votes_for: int | None
    votes_against: int | None
    voting_base: int | None
    comments: list[dict[str, Any]]

    @property
    def parts(self) -> dict[str, Any]:
        """The desktop's resolution body: results, tasks (with who), implementation."""
        body = _json_or_text(self.body)
        if isinstance(body, dict):
            tasks = [(str(t.get("text") or ""), str(t.get("responsible") or ""))
                     for t in body.get("tasks") or [] if isinstance(t, dict)]
            return {"results": str(body.get("results") or ""), "tasks": tasks,
                    "implementation": str(body.get("implementation") or "")}
        return {"results": str(body), "tasks": [], "implementation": ""}

    @property
    def open_for_comments(self) -> bool:
        return self.status in ("draft", "circulated")


@dataclass
class MeetingView:
    id: str
    data: dict[str, Any]
    minutes: dict[str, Any] | None
    resolutions: list[ResolutionView]
    present: int
    marked: int
    agenda: list[str] = field(default_factory=list)
    speakers: list[tuple[str, str]] = field(default_factory=list)
    minutes_text: str = ""


def _json_or_text(value: Any) -> Any:
    """The desktop stores the agenda and the minutes' body as JSON; older rows as text."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def record(session: Session, scope: str, entity: str, row_id: str) -> dict[str, Any] | None:
    rec = session.get(Record, (scope, entity, row_id))
    if rec is None or rec.deleted:
        return None
    return json.loads(rec.data)  # type: ignore[no-any-return]


def meeting_view(session: Session, branch: Unit, meeting_id: str) -> MeetingView | None:
    data = record(session, branch.id, "meetings", meeting_id)
    if data is None:
        return None
    minutes = next((d for _, d in _data(session, branch.id, "minutes")
                    if d.get("meeting_id") == meeting_id), None)
    comments: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rid, c in _data(session, branch.id, "comments"):
        if c.get("target_type") == "resolution":
            comments[str(c.get("target_id"))].append(c | {"id": rid})
    names = dict((rid, d.get("full_name", "")) for rid, d in _data(session, branch.id, "members"))
    for items in comments.values():
        for c in items:
            c["author"] = names.get(c.get("author_member_id") or "", "") or c.get("author_text")
    resolutions = [
        ResolutionView(rid, str(r.get("number") or ""), str(r.get("title") or ""),
                       str(r.get("body") or ""), str(r.get("status") or "draft"),
                       r.get("votes_for"), r.get("votes_against"), r.get("voting_base"),
                       comments.get(rid, []))
        for rid, r in _data(session, branch.id, "resolutions")
        if r.get("meeting_id") == meeting_id]
    stat = session.get(StatMeeting, (branch.id, meeting_id))
    view = MeetingView(meeting_id, data, minutes, resolutions,
                       stat.present if stat else 0, stat.marked if stat else 0)
    agenda = _json_or_text(data.get("agenda") or "[]")
    view.agenda = ([str(a) for a in agenda] if isinstance(agenda, list)
                   else [line for line in str(agenda).splitlines() if line.strip()])
    body = _json_or_text((minutes or {}).get("body") or "")
    if isinstance(body, dict):
        view.speakers = [(str(sp.get("name") or ""), str(sp.get("gist") or ""))
                         for sp in body.get("speakers") or [] if isinstance(sp, dict)]
        view.minutes_text = str(body.get("text") or "")
    else:
        view.minutes_text = str(body)
    return view


def ancestors_within(session: Session, top: Unit, unit: Unit) -> list[Unit]:
    """The breadcrumb from the user's own unit down to ``unit``."""
    ids = [p for p in unit.path.strip("/").split("/") if p]
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    chain = [units[i] for i in ids if i in units]
    return [u for u in chain if u.path.startswith(top.path)]
