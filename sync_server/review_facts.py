"""Statistics of the annual review (issue 20), kept like ``sync_server.facts``: from the
records' current state, before the transaction commits, never incremented.

``stat_reviews`` has one row per review campaign of a branch: its year, period and status;
per grade, how many of its members the branch meeting proposed (``review_entries.grade``),
how many the level above decided (``review_decisions``, written by ``review_decide``) and
the grade that stands (decided, else proposed); the branch's own entry (no member) the same
way; the decision's number and day. A change to a campaign, one of its entries or one of
its decisions rewrites that campaign's row from its records (a campaign is a few dozen
entries).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.review import Grade
from sync_server import stat_rebuild
from sync_server.models import Record, StatReview, Unit

REVIEW_ENTITIES = frozenset({"review_campaigns", "review_entries", "review_decisions"})
STAT_CLASSES = (StatReview,)

Key = tuple[str, str]   # (scope_id, campaign id)


def grade_of(value: Any) -> Grade | None:
    try:
        return Grade(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def day_of(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def refresh(session: Session, touched: dict[str, set[Key]]) -> None:
    """Rewrite the rows of the campaigns this transaction touched, directly or through one
    of their entries or decisions (``facts.refresh`` calls this)."""
    campaigns: set[Key] = set(touched.get("review_campaigns", ()))
    for entity in ("review_entries", "review_decisions"):
        for scope, row_id in touched.get(entity, ()):
            rec = session.get(Record, (scope, entity, row_id))
            campaign_id = json.loads(rec.data).get("campaign_id") if rec is not None else None
            if isinstance(campaign_id, str) and campaign_id:
                campaigns.add((scope, campaign_id))
    for key in sorted(campaigns):
        _campaign(session, key)


def entries_of(session: Session, scope: str, campaign_id: str
               ) -> list[tuple[str, dict[str, Any]]]:
    """The campaign's live entries (found by their natural key, "campaign|member")."""
    return [(rid, json.loads(data)) for rid, data in session.execute(
        select(Record.id, Record.data).where(
            Record.scope_id == scope, Record.entity == "review_entries",
            Record.natural_key.startswith(f"{campaign_id}|", autoescape=True),
            Record.deleted.is_(False)))]


def decisions_of(session: Session, scope: str, campaign_id: str
                 ) -> dict[str, tuple[str, dict[str, Any]]]:
    """The campaign's live decisions by entry id: (decision id, data)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for rid, raw in session.execute(select(Record.id, Record.data).where(
            Record.scope_id == scope, Record.entity == "review_decisions",
            Record.deleted.is_(False))):
        data = json.loads(raw)
        if data.get("campaign_id") == campaign_id:
            out[str(data.get("entry_id"))] = (rid, data)
    return out


def _campaign(session: Session, key: Key) -> None:
    scope, campaign_id = key
    rec = session.get(Record, (scope, "review_campaigns", campaign_id))
    row = session.get(StatReview, key)
    unit = session.get(Unit, scope)
    if rec is None or unit is None:
        if row is not None:
            session.delete(row)
        return
    data = json.loads(rec.data)
    session.flush()
    entries = entries_of(session, scope, campaign_id)
    decisions = decisions_of(session, scope, campaign_id)
    proposed: Counter[Grade] = Counter()
    decided: Counter[Grade] = Counter()
    standing: Counter[Grade] = Counter()
    members = changed = 0
    branch = {"branch_proposed": "", "branch_decided": "", "branch_grade": ""}
    numbers: Counter[str] = Counter()
    days: list[dt.date] = []
    for entry_id, entry in entries:
        was = grade_of(entry.get("grade"))
        decision = decisions.get(entry_id)
        now = grade_of(decision[1].get("grade")) if decision is not None else None
        if decision is not None:
            numbers[str(decision[1].get("number") or "")] += 1
            if (day := day_of(decision[1].get("decided_on"))) is not None:
                days.append(day)
        stands = now or was
        if entry.get("member_id") is None:
            branch = {"branch_proposed": was.value if was else "",
                      "branch_decided": now.value if now else "",
                      "branch_grade": stands.value if stands else ""}
            continue
        members += 1
        if was is not None:
            proposed[was] += 1
        if now is not None:
            decided[now] += 1
            changed += now != was
        if stands is not None:
            standing[stands] += 1
    values: dict[str, Any] = {
        "path": unit.path, "year": data.get("year") if isinstance(data.get("year"), int) else 0,
        "period": str(data.get("period") or "year")[:12],
        "status": str(data.get("status") or "open")[:12], "deleted": rec.deleted,
        "members": members, "decided": sum(decided.values()), "changed": changed,
        "decision_number": numbers.most_common(1)[0][0][:60] if numbers else "",
        "decided_on": max(days) if days else None, **branch}
    for grade in Grade:
        values[f"proposed_{grade.value}"] = proposed[grade]
        values[f"decided_{grade.value}"] = decided[grade]
        values[f"grade_{grade.value}"] = standing[grade]
    if row is None:
        session.add(StatReview(scope_id=scope, id=campaign_id, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def rebuild(session: Session) -> int:
    """Recompute this module's rows alone from the records (``db.upgrade`` past s0005 on a
    database whose other statistics are already kept); returns the records read."""
    return stat_rebuild.rebuild(session, STAT_CLASSES, REVIEW_ENTITIES, refresh)
