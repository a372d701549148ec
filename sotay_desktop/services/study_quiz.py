"""A study plan's quiz and each member's answer sheet (issue 21).

The branch's own plan (or a paper plan from above typed here) gets its quiz typed as text
(``study.parse_quiz_text``: numbered questions, lettered choices, the correct one marked) or
as JSON; a quiz without a correct answer is refused by the core, naming the question. Sheets
already entered must still fit a changed quiz (same questions, answers within the choices);
they are then scored again, openly, by the new key.

A sheet is typed in the quick grid (one key per answer) or read from a scanned sheet:
``study.parse_answers`` refuses an answer outside a question's choices. Kept on the PC
(``quiz_answers``: letters, and the score as entered); only counts go up.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.study import (
    BLANK,
    Quiz,
    Score,
    parse_answers,
    parse_quiz_text,
    quiz_from_json,
    quiz_to_json,
    score,
)
from sotay_desktop.db.study_tables import QuizAnswerRow
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.study import set_plan_field, writable_plan
from sotay_desktop.services.study_report import keep_in_step
from sotay_desktop.services.study_rows import (
    STUDY_CHANGES,
    audit_local,
    plan_row,
    quiz_of,
    sheet_fits,
)
from sotay_desktop.services.study_undo import remember, set_local_deleted

HOWS = ("grid", "scan", "typed")


def read_quiz(text: str, *, pass_percent: int | None = None) -> Quiz:
    """A quiz typed as text, or its JSON form (``{"questions": …}``)."""
    body = text.strip()
    if body.startswith("{"):
        quiz = quiz_from_json(body)
        return quiz if pass_percent is None else quiz_from_json(quiz_to_json(
            Quiz(quiz.questions, pass_percent)))
    return parse_quiz_text(body, 50 if pass_percent is None else pass_percent)


def _sheets(session: Session, plan_id: str) -> list[QuizAnswerRow]:
    return list(session.scalars(select(QuizAnswerRow).where(
        QuizAnswerRow.plan_id == plan_id, QuizAnswerRow.deleted.is_(False))))


def set_quiz(session: Session, *, unit_id: str, plan_id: str, text: str, today: dt.date,
             pass_percent: int | None = None) -> Changes:
    """Set (or, with empty text, remove) the quiz of a plan the branch may change."""
    row = writable_plan(session, plan_id)
    sheets = _sheets(session, plan_id)
    if not text.strip():
        if sheets:
            raise ValidationError("study_app.quiz_has_sheets", count=len(sheets))
        return set_plan_field(session, unit_id=unit_id, plan_id=plan_id, today=today,
                              name="quiz", value="")
    old = quiz_of(row)
    mark = pass_percent if pass_percent is not None else (old.pass_percent if old else None)
    quiz = read_quiz(text, pass_percent=mark)
    unfit = [s for s in sheets if not sheet_fits(quiz, s.answers)]
    if unfit:
        raise ValidationError("study_app.sheets_do_not_fit", count=len(unfit),
                              questions=len(quiz.questions))
    for sheet in sheets:
        got = score(quiz, sheet.answers)
        if (sheet.correct, sheet.total) != (got.correct, got.total):
            sheet.correct, sheet.total = got.correct, got.total
            audit_local(session, "quiz_answers", sheet.id, ["correct", "total"])
    return set_plan_field(session, unit_id=unit_id, plan_id=plan_id, today=today,
                          name="quiz", value=quiz_to_json(quiz))


def enter_answers(session: Session, *, unit_id: str, plan_id: str, member_id: str,
                  answers: str, today: dt.date, taken_on: dt.date | str | None = None,
                  how: str = "grid") -> tuple[Score, Changes]:
    """A member's sheet (entered again: replaced). Refused: no quiz on the plan, an answer
    outside the choices, a blank sheet, someone not of this branch."""
    plan = plan_row(session, plan_id)
    quiz = quiz_of(plan)
    if quiz is None:
        raise ValidationError("study_app.no_quiz", title=plan.title)
    if how not in HOWS:
        raise ValidationError("study_app.bad_choice", field="how", value=how)
    person = session.get(MemberRow, member_id)
    if person is None or person.deleted or person.unit_id != unit_id:
        raise ValidationError("study_app.no_member", value=member_id)
    letters = parse_answers(quiz, answers)
    if all(a == BLANK for a in letters):
        raise ValidationError("study_app.blank_sheet", name=person.full_name)
    day = clean_date_field("taken_on", taken_on, today=today) or today
    got = score(quiz, letters)
    values = {"answers": letters, "correct": got.correct, "total": got.total,
              "taken_on": day, "how": how}
    row = session.scalars(select(QuizAnswerRow).where(
        QuizAnswerRow.plan_id == plan_id, QuizAnswerRow.member_id == member_id)).first()
    if row is None:
        row = QuizAnswerRow(id=new_id(), plan_id=plan_id, member_id=member_id, **values)
        session.add(row)
        session.flush()
        audit_local(session, "quiz_answers", row.id, ["plan_id", "member_id", *values])
    else:
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for key in changed:
            setattr(row, key, values[key])
        if row.deleted:
            changed.append("deleted")
            row.deleted = False
        if changed:
            session.flush()
            audit_local(session, "quiz_answers", row.id, changed)
    keep_in_step(session, unit_id=unit_id, plan_id=plan_id, today=today)
    return got, STUDY_CHANGES


def clear_answers(session: Session, *, unit_id: str, plan_id: str, member_id: str,
                  today: dt.date) -> Changes:
    """The member's sheet taken off (back on undo)."""
    plan_row(session, plan_id)
    row = session.scalars(select(QuizAnswerRow).where(
        QuizAnswerRow.plan_id == plan_id, QuizAnswerRow.member_id == member_id,
        QuizAnswerRow.deleted.is_(False))).first()
    if row is None:
        return Changes()
    set_local_deleted(session, "quiz_answers", row, True)
    session.flush()
    keep_in_step(session, unit_id=unit_id, plan_id=plan_id, today=today)
    person = session.get(MemberRow, member_id)
    remember(session, kind="answers", plan_id=plan_id, rows=[("quiz_answers", row.id)],
             label=person.full_name if person else "")
    return STUDY_CHANGES
