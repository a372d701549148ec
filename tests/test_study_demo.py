"""The demo's political study (issue 21): a finished plan from above with its documents, a
quiz and a survey, everyone it was for studied (a make-up and a home visit included), most
sheets and the survey's counts in; one in progress, due in three weeks, with a make-up list
and a few sheets. Both are the branch's records (editable, sent up at enrolment), their
reports agree with the rows and pass the province's own check."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from sotay_core.domain import study_rules
from sotay_desktop.db.study_tables import StudyPlanRow, StudyReportRow
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY


def test_the_demo_has_a_finished_plan_and_one_in_progress(demo_db) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(demo_db, today=lambda: TODAY)
    plans = study.plans(ws)
    assert len(plans) == 2
    finished = next(p for p in plans if p.due_on is not None and p.due_on < TODAY)
    current = next(p for p in plans if p is not finished)
    assert finished.from_above and current.from_above

    done = study.view(ws, finished.id)
    assert done.progress.done and done.makeup == () and not done.overdue
    assert done.plan.quiz is not None and len(done.plan.quiz) == 8
    assert done.plan.survey is not None and len(done.plan.survey.questions) == 3
    assert len(done.plan.documents) == 2 and not any(d.missing for d in done.plan.documents)
    assert {s.kind for s in done.sessions} >= {"session", "makeup"}
    targeted = len(done.progress.targeted)
    assert targeted > 10 and done.figures.quiz_sat >= targeted * 2 // 3
    assert done.survey is not None and done.survey.present > 0 and done.survey.sheets == 1
    assert not done.plan.read_only

    going = study.view(ws, current.id)
    assert going.plan.due_on == TODAY + dt.timedelta(days=21)
    assert len(going.sessions) == 1 and len(going.makeup) >= 3
    assert 0 < going.figures.quiz_sat <= 5
    assert not going.plan.read_only

    with demo_db.reads() as s:
        for plan in (finished, current):
            report = s.scalars(select(StudyReportRow).where(
                StudyReportRow.plan_id == plan.id)).one()
            row = s.get(StudyPlanRow, plan.id)
            assert row is not None and row.version == 0 and report.version == 0
            values = {k: getattr(row, k) for k in ("quiz", "survey", "kind")}
            assert study_rules.report_fits({"figures": report.figures}, values)
            assert json.loads(report.figures)["studied"] == study.view(
                ws, plan.id).figures.studied
            assert study_rules.plan_fits({k: getattr(row, k) for k in (
                "quiz", "survey", "audience", "statuses", "documents")}) is None
        # local like the rest of the demo: nothing queued but the audit of the typing
        assert {r.entity for r in s.scalars(select(OutboxRow).where(
            OutboxRow.entity.like("study%")))} == set()
    # a write brings nothing new to count: the report does not move
    assert not study.refresh_reports(ws)


def test_editing_a_demo_plan_is_the_branchs_right(demo_db) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(demo_db, today=lambda: TODAY)
    current = next(p for p in study.plans(ws) if p.due_on and p.due_on > TODAY)
    study.edit_plan(ws, current.id, due_on=TODAY + dt.timedelta(days=10))
    assert current.id in {r.ref for r in study.reminders(ws)}
