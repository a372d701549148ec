"""Taking back the last destructive act of political study (issue 21): a plan removed, a
session removed, a member unmarked, a member's answers cleared, a survey count removed.

Nothing is hard-deleted: each act marks its rows ``deleted`` (a plan and its report as a
synced change, through ``undo.mark_deleted``; the PC-only rows with an audit row only) and
is remembered in ``meta`` (key ``study_last_act``), so the study screen can offer to undo
it as one step, even after a restart. Kept apart from the roster's undo (``services.undo``,
whose act names members), with the same guard: an act is undone once, and only if it is
still the one the person confirmed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain.errors import DomainError
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.study_tables import (
    QuizAnswerRow,
    StudyAttendanceRow,
    StudyPlanRow,
    StudySessionRow,
    SurveySheetRow,
)
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.study_report import keep_in_step
from sotay_desktop.services.study_rows import STUDY_CHANGES, audit_local
from sotay_desktop.services.undo import mark_deleted

LAST_KEY = "study_last_act"
KINDS = ("plan", "session", "attendance", "answers", "survey")
LOCAL: dict[str, Any] = {"study_sessions": StudySessionRow,
                         "study_attendance": StudyAttendanceRow,
                         "quiz_answers": QuizAnswerRow, "survey_sheets": SurveySheetRow}


@dataclass(frozen=True, slots=True)
class StudyAct:
    kind: str                          # one of KINDS
    plan_id: str
    rows: tuple[tuple[str, str], ...]  # (table, row id) marked deleted by the act
    label: str                         # the plan's title, the session's day, the member
    at: str                            # ISO time, UTC


def set_local_deleted(session: Session, table: str, row: Any, deleted: bool) -> None:
    """Mark a PC-only row; audited, never sent."""
    if row.deleted != deleted:
        row.deleted = deleted
        audit_local(session, table, row.id, ["deleted"])


def remember(session: Session, *, kind: str, plan_id: str,
             rows: Iterable[tuple[str, str]], label: str) -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    act = {"kind": kind, "plan": plan_id, "rows": [list(r) for r in rows], "label": label,
           "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    set_meta(session, LAST_KEY, json.dumps(act, ensure_ascii=False))


def last_act(session: Session) -> StudyAct | None:
    raw = get_meta(session, LAST_KEY)
    if not raw:
        return None
    try:
        act = json.loads(raw)
        found = StudyAct(str(act["kind"]), str(act["plan"]),
                         tuple((str(t), str(i)) for t, i in act["rows"]), str(act["label"]),
                         str(act["at"]))
    except (ValueError, KeyError, TypeError):
        return None
    return found if found.kind in KINDS and found.rows else None


def undo_last(session: Session, *, unit_id: str, today: dt.date,
              expected: StudyAct | None = None) -> tuple[StudyAct, Changes]:
    """Bring back what the last act removed, and the plan's report with it."""
    act = last_act(session)
    if act is None:
        raise DomainError("study_app.undo_nothing")
    if expected is not None and act != expected:
        raise DomainError("study_app.undo_changed")
    for table, row_id in act.rows:
        if table == "study_plans":
            plan = session.get(StudyPlanRow, row_id)
            if plan is not None and plan.deleted:
                mark_deleted(session, "study_plans", plan, False)
        elif table in LOCAL:
            row = session.get(LOCAL[table], row_id)
            if row is not None:
                set_local_deleted(session, table, row, False)
    session.flush()
    keep_in_step(session, unit_id=unit_id, plan_id=act.plan_id, today=today)
    set_meta(session, LAST_KEY, "")
    return act, STUDY_CHANGES
