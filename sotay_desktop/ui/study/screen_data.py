"""What the study screen reads in one query: the plans and the chosen one's view."""

from __future__ import annotations

from dataclasses import dataclass

from sotay_core.domain.study_view import PlanSummary, PlanView
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace

WATCHED = ("study_plans", "study_reports", "study_sessions", "study_attendance",
           "quiz_answers", "survey_sheets", "members", "member_events", "documents")


@dataclass(frozen=True, slots=True)
class ScreenData:
    plans: tuple[PlanSummary, ...]
    view: PlanView | None
    counts: tuple[study.SurveyCount, ...] = ()   # the chosen plan's survey entries, newest last


def read(ws: Workspace, plan_id: str | None) -> ScreenData:
    """The plans; the one asked for (or the first) in full."""
    plans = tuple(study.plans(ws))
    if plan_id is None or not any(p.id == plan_id for p in plans):
        plan_id = plans[0].id if plans else None
    view = study.view(ws, plan_id) if plan_id else None
    counts = tuple(study.survey_counts(ws, plan_id)) if plan_id and view and view.plan.survey \
        else ()
    return ScreenData(plans, view, counts)


@dataclass(frozen=True, slots=True)
class Found:
    """Whom a scanned card names: the member and their name as the roster has it."""

    member_id: str
    name: str


def who_is(ws: Workspace, view: PlanView, code: str) -> Found:
    """The branch's member a scanned code names (the core's refusals: another branch's card,
    an unknown or misread code); the name from the plan's list, else from the roster."""
    from sotay_desktop.usecases import members

    member_id = study.find_member_by_code(ws, code)
    line = view.member(member_id)
    if line is not None:
        return Found(member_id, line.name)
    summary = next((m for m in members.roster(ws) if m.id == member_id), None)
    return Found(member_id, summary.full_name if summary else "")
