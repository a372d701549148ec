"""Statistics of political study (issue 21), kept like ``sync_server.facts``: from the
records' current state, before the transaction commits, never incremented.

``stat_study`` has one row per plan and branch where the plan's copy (published down, or
the branch's own) or the branch's report on it exists: whether the plan is live there,
whether the branch reported, and the report's counts as the branch sent them
(``study_figures``, checked on push by ``rule_checks``). A change to a plan's copy or to a
report rewrites that one row (a report is one record), then the plan's ``stat_study_units``
row of the unit directly above the branch (its ~121 branches' lists summed), which the
province's plan page adds up instead of every report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import study_figures
from sotay_core.domain.study import PlanKind
from sync_server import stat_rebuild
from sync_server.models import Record, StatStudy, StatStudyUnit, Unit

STUDY_ENTITIES = frozenset({"study_plans", "study_reports"})
STAT_CLASSES = (StatStudy, StatStudyUnit)

Key = tuple[str, str]   # (scope_id, plan id)


def refresh(session: Session, touched: dict[str, set[Key]]) -> None:
    """Rewrite the rows of the plans this transaction touched, directly or through a report
    (``facts.refresh`` calls this)."""
    plans: set[Key] = set(touched.get("study_plans", ()))
    for scope, row_id in touched.get("study_reports", ()):
        rec = session.get(Record, (scope, "study_reports", row_id))
        plan_id = json.loads(rec.data).get("plan_id") if rec is not None else None
        if isinstance(plan_id, str) and plan_id:
            plans.add((scope, plan_id))
        # a report moved to another plan, or gone: the row it counted in before
        plans.update((scope, p) for p in session.scalars(select(StatStudy.plan_id).where(
            StatStudy.scope_id == scope, StatStudy.report_id == row_id)))
    if plans:
        session.flush()
        _prefetch(session, plans)
    above: set[tuple[str, str]] = set()
    try:
        for key in sorted(plans):
            parent = _plan(session, key)
            if parent is not None:
                above.add((key[1], parent))
    finally:
        session.info.pop("study_reports", None)
        session.info.pop("study_rows", None)
    if above:
        session.flush()
        # A commune's sum is read from its branches' rows and rewritten whole: two of its
        # branches reporting at once (on two nodes, or two workers) would each write a sum
        # that misses the other's row. Locking the commune first (in one order: no
        # deadlock) makes the second wait, then read the first's committed row.
        session.execute(select(Unit.id).where(Unit.id.in_({u for _p, u in above}))
                        .order_by(Unit.id).with_for_update())
    for plan_id, unit_id in sorted(above):
        _unit_sums(session, plan_id, unit_id)


def _prefetch(session: Session, plans: set[Key]) -> None:
    """Load the rows ``_plan`` reads for many branches of one plan at once (a plan sent to a
    province touches 17,000): their live reports, statistics rows and units, 500 at a time,
    into the session's identity map; ``session.info["study_reports"]`` keeps the reports."""
    by_plan: dict[str, list[str]] = defaultdict(list)
    for scope, plan_id in plans:
        by_plan[plan_id].append(scope)
    reports: dict[Key, Record | None] = session.info.setdefault("study_reports", {})
    rows: dict[Key, StatStudy | None] = session.info.setdefault("study_rows", {})
    for plan_id, scopes in by_plan.items():
        if len(scopes) < 20:
            continue
        for i in range(0, len(scopes), 500):
            chunk = scopes[i:i + 500]
            for scope in chunk:
                reports[(scope, plan_id)] = rows[(scope, plan_id)] = None
            for rec in session.scalars(select(Record).where(
                    Record.scope_id.in_(chunk), Record.entity == "study_reports",
                    Record.natural_key == plan_id, Record.deleted.is_(False))):
                reports[(rec.scope_id, plan_id)] = rec
            for row in session.scalars(select(StatStudy).where(
                    StatStudy.plan_id == plan_id, StatStudy.scope_id.in_(chunk))):
                rows[(row.scope_id, plan_id)] = row
            list(session.scalars(select(Unit).where(Unit.id.in_(chunk))))


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plan(session: Session, key: Key) -> str | None:
    """Rewrite the branch's row; returns the unit directly above the branch."""
    scope, plan_id = key
    plan = session.get(Record, (scope, "study_plans", plan_id))
    reports: dict[Key, Record | None] = session.info.get("study_reports", {})
    report = reports.pop(key) if key in reports else session.scalars(select(Record).where(
        Record.scope_id == scope, Record.entity == "study_reports",
        Record.natural_key == plan_id, Record.deleted.is_(False))
        .order_by(Record.version.desc())).first()
    rows: dict[Key, StatStudy | None] = session.info.get("study_rows", {})
    row = rows.pop(key) if key in rows else session.get(StatStudy, (plan_id, scope))
    unit = session.get(Unit, scope)
    if unit is None or (plan is None and report is None):
        if row is not None:
            session.delete(row)
        return unit.parent_id if unit is not None else None
    kind = str(json.loads(plan.data).get("kind") or "study") if plan is not None else "study"
    try:
        figures = study_figures.from_json(
            str(json.loads(report.data).get("figures") or "")) if report else None
    except study_figures.FiguresError:
        figures = None     # checked on push; a row from before the check counts as none
    f = figures or study_figures.StudyFigures()
    values: dict[str, Any] = {
        "path": unit.path, "plan_live": plan is not None and not plan.deleted,
        "kind": kind[:12], "report_id": report.id if report is not None else "",
        "reported": report is not None, "targeted": f.targeted, "studied": f.studied,
        "sessions": f.sessions, "makeup_sessions": f.makeup_sessions,
        "quiz_sat": f.quiz_sat, "quiz_passed": f.quiz_passed,
        "histogram": _dump(list(f.histogram)),
        "question_correct": _dump(list(f.question_correct)),
        "survey_present": f.survey_present,
        "survey_tallies": _dump([list(t) for t in f.survey_tallies]),
        "survey_texts": _dump(list(f.survey_texts)),
        # names only for a contest (the push refuses them on any other plan)
        "named": _dump([[n.name, n.correct, n.total] for n in f.named]
                       if kind == PlanKind.CONTEST.value else []),
        "updated_on": _day(json.loads(report.data).get("updated_on")) if report else None,
        "updated_at": report.updated_at if report is not None else None,
    }
    if row is None:
        session.add(StatStudy(plan_id=plan_id, scope_id=scope, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return unit.parent_id


def add_lists(into: list[Any], values: Any) -> None:
    """Add a list of counts (or of lists of counts) into ``into``, element by element."""
    if not isinstance(values, list):
        return
    for i, v in enumerate(values):
        if i == len(into):
            into.append([] if isinstance(v, list) else 0)
        if isinstance(v, list) and isinstance(into[i], list):
            add_lists(into[i], v)
        elif isinstance(v, int) and isinstance(into[i], int):
            into[i] += v


def _unit_sums(session: Session, plan_id: str, unit_id: str) -> None:
    """The plan's row of one unit: its direct branches' rows summed."""
    unit = session.get(Unit, unit_id)
    row = session.get(StatStudyUnit, (plan_id, unit_id))
    s = StatStudy
    rows = [] if unit is None else list(session.execute(
        select(s.reported, s.quiz_sat, s.survey_present, s.histogram, s.question_correct,
               s.survey_tallies, s.survey_texts).join(Unit, Unit.id == s.scope_id).where(
            s.plan_id == plan_id, s.path.startswith(unit.path, autoescape=True),
            Unit.parent_id == unit_id)))
    if unit is None or not rows:
        if row is not None:
            session.delete(row)
        return
    hist: list[Any] = []
    right: list[Any] = []
    tallies: list[Any] = []
    written: list[Any] = []
    reported = sat = present = 0
    for was_sent, n_sat, n_present, h, q, t, texts in rows:
        if not was_sent:
            continue
        reported += 1
        sat += n_sat
        present += n_present
        add_lists(hist, json.loads(h))
        add_lists(right, json.loads(q))
        add_lists(tallies, json.loads(t))
        add_lists(written, [int(isinstance(x, str) and bool(x.strip()))
                            for x in json.loads(texts)])
    values: dict[str, Any] = {
        "path": unit.path, "branches": len(rows), "reported": reported, "quiz_sat": sat,
        "survey_present": present, "histogram": _dump(hist), "question_correct": _dump(right),
        "survey_tallies": _dump(tallies), "survey_written": _dump(written)}
    if row is None:
        session.add(StatStudyUnit(plan_id=plan_id, unit_id=unit_id, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def rebuild(session: Session) -> int:
    """Recompute this module's rows alone from the records (``db.upgrade`` past s0006 on a
    database whose other statistics are already kept); returns the records read."""
    return stat_rebuild.rebuild(session, STAT_CLASSES, STUDY_ENTITIES, refresh)
