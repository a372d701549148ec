"""A study plan's survey and the paper answers counted at the branch (issue 21).

The branch's own plan gets its survey as JSON or typed text (``study_survey_text``). The
answers are collected on paper at a session (anonymous by default) and the secretary
enters the counts: per question, how many ticked each choice, and a short summary of the
written answers. ``present`` defaults to the number marked present at that session; a
count above it is refused by the core (``study.check_tallies``). One count per session
(entered again: replaced); a count outside a session names its own ``present``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.study import (
    MAX_QUESTION_TEXT,
    Survey,
    check_tallies,
    survey_from_json,
    survey_to_json,
)
from sotay_core.domain.study_survey_text import parse_survey_text
from sotay_core.domain.text import clean_block
from sotay_desktop.db.study_tables import StudyAttendanceRow, SurveySheetRow
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.study import set_plan_field, writable_plan
from sotay_desktop.services.study_report import keep_in_step
from sotay_desktop.services.study_rows import (
    STUDY_CHANGES,
    audit_local,
    plan_row,
    session_row,
    survey_of,
    survey_rows,
)
from sotay_desktop.services.study_undo import remember, set_local_deleted


def read_survey(text: str) -> Survey:
    body = text.strip()
    return survey_from_json(body) if body.startswith("{") else parse_survey_text(body)


def _shape(survey: Survey) -> list[int]:
    return [len(q.choices) for q in survey.questions]


def set_survey(session: Session, *, unit_id: str, plan_id: str, text: str,
               today: dt.date) -> Changes:
    """Set (empty text: remove) the survey; counts already entered must still fit it."""
    writable_plan(session, plan_id)
    counted = survey_rows(session, plan_id)
    if not text.strip():
        if counted:
            raise ValidationError("study_app.survey_has_counts", count=len(counted))
        return set_plan_field(session, unit_id=unit_id, plan_id=plan_id, today=today,
                              name="survey", value="")
    survey = read_survey(text)
    for sheet in counted:
        if [len(q) for q in json.loads(sheet.tallies or "[]")] != _shape(survey):
            raise ValidationError("study_app.counts_do_not_fit", count=len(counted))
    return set_plan_field(session, unit_id=unit_id, plan_id=plan_id, today=today,
                          name="survey", value=survey_to_json(survey))


def _counts(survey: Survey, tallies: Sequence[Sequence[object]]) -> list[list[int]]:
    """Per question the counts per choice; a list naming the choice questions only is
    taken too (the written questions get none)."""
    rows = [list(t) for t in tallies]
    choice_questions = [i for i, q in enumerate(survey.questions) if q.choices]
    if len(rows) != len(survey.questions) and len(rows) == len(choice_questions):
        full: list[list[object]] = [[] for _ in survey.questions]
        for i, counts in zip(choice_questions, rows, strict=True):
            full[i] = counts
        rows = full
    out = []
    for counts in rows:
        numbers = []
        for c in counts:
            if isinstance(c, bool) or not isinstance(c, int | str):
                raise ValidationError("study.tally_shape")
            try:
                numbers.append(int(c))
            except ValueError:
                raise ValidationError("study.tally_shape") from None
        out.append(numbers)
    return out


def _texts(survey: Survey, texts: Sequence[str]) -> list[str]:
    items = [clean_block(str(t))[:MAX_QUESTION_TEXT] for t in texts]
    written = [i for i, q in enumerate(survey.questions) if q.free_text]
    if items and len(items) != len(survey.questions):
        if len(items) != len(written):
            raise ValidationError("study.tally_shape")
        full = [""] * len(survey.questions)
        for i, text in zip(written, items, strict=True):
            full[i] = text
        items = full
    return items or [""] * len(survey.questions)


def enter_survey(session: Session, *, unit_id: str, plan_id: str, today: dt.date,
                 collected_on: dt.date | str, present: int | None = None,
                 session_id: str | None = None, tallies: Sequence[Sequence[object]],
                 texts: Sequence[str] = ()) -> Changes:
    plan = plan_row(session, plan_id)
    survey = survey_of(plan)
    if survey is None:
        raise ValidationError("study_app.no_survey", title=plan.title)
    day = clean_date_field("collected_on", collected_on, today=today)
    if day is None:
        raise ValidationError("study_app.collected_on_needed", field="collected_on")
    if session_id is not None:
        held = session_row(session, session_id)
        if held.plan_id != plan_id:
            raise ValidationError("study_app.session_other_plan")
        if present is None:
            present = session.scalar(select(func.count()).select_from(StudyAttendanceRow)
                                     .where(StudyAttendanceRow.session_id == session_id,
                                            StudyAttendanceRow.deleted.is_(False))) or 0
    if present is None:
        raise ValidationError("study_app.present_needed", field="present")
    counts = _counts(survey, tallies)
    roster = session.scalar(select(func.count()).select_from(MemberRow).where(
        MemberRow.unit_id == unit_id, MemberRow.deleted.is_(False))) or 0
    check_tallies(survey, int(present), counts, roster=roster)
    values = {"collected_on": day, "present": int(present), "session_id": session_id,
              "tallies": json.dumps(counts), "texts": json.dumps(_texts(survey, texts),
                                                                 ensure_ascii=False)}
    row = None
    if session_id is not None:
        row = session.scalars(select(SurveySheetRow).where(
            SurveySheetRow.plan_id == plan_id, SurveySheetRow.session_id == session_id,
            SurveySheetRow.deleted.is_(False))).first()
    if row is None:
        row = SurveySheetRow(id=new_id(), plan_id=plan_id, **values)
        session.add(row)
        session.flush()
        audit_local(session, "survey_sheets", row.id, ["plan_id", *values])
    else:
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for key in changed:
            setattr(row, key, values[key])
        if changed:
            session.flush()
            audit_local(session, "survey_sheets", row.id, changed)
    keep_in_step(session, unit_id=unit_id, plan_id=plan_id, today=today)
    return STUDY_CHANGES


def remove_survey_count(session: Session, *, unit_id: str, sheet_id: str,
                        today: dt.date) -> Changes:
    row = session.get(SurveySheetRow, sheet_id)
    if row is None or row.deleted:
        raise ValidationError("study_app.no_count", value=sheet_id)
    set_local_deleted(session, "survey_sheets", row, True)
    session.flush()
    keep_in_step(session, unit_id=unit_id, plan_id=row.plan_id, today=today)
    remember(session, kind="survey", plan_id=row.plan_id, rows=[("survey_sheets", row.id)],
             label=row.collected_on.strftime("%d/%m/%Y"))
    return STUDY_CHANGES
