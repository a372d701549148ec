"""The branch's report on a study plan (issue 21): the counts that go up (``study_figures``),
built from the PC's own sessions, attendance, answer sheets and tallies, and the synced
``study_reports`` row (natural key ``plan_id``, one per plan) kept in step with them.

Every study write calls ``keep_in_step`` in its own transaction, last; the row is written
through ``recording`` (outbox and audit) only when the figures changed, so a write that
changes no count sends nothing. Who studied and each member's answers never leave the PC:
only a contest the secretaries take (``study_figures.names_go_up``) carries named results
(UNCONFIRMED whether a rule allows even that).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import study_figures
from sotay_core.domain.ids import new_id
from sotay_core.domain.study import histogram, per_question_correct
from sotay_core.domain.study_figures import MAX_NAMED, MAX_TEXT_SUMMARY, NamedResult, StudyFigures
from sotay_core.domain.study_plan import progress
from sotay_desktop.db.study_tables import StudyPlanRow, StudyReportRow
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.services.recording import apply_update, record_change
from sotay_desktop.services.study_rows import (
    PlanFacts,
    plan_facts,
    report_row,
    sheet_fits,
    sheet_score,
)
from sotay_desktop.services.sync.rows import row_fields
from sotay_desktop.services.undo import mark_deleted

MAKEUP = "makeup"


def figures_of(facts: PlanFacts) -> StudyFigures:
    """The counts of one plan; sheets that no longer fit a changed quiz are left out (their
    number is not a count the province could check against the quiz it holds)."""
    done = progress(facts.targeted, facts.present)
    quiz, survey = facts.quiz, facts.survey
    quiz_sat = quiz_passed = 0
    hist: tuple[int, ...] = ()
    right: tuple[int, ...] = ()
    named: list[NamedResult] = []
    if quiz is not None:
        fitting = [s for s in facts.sheets if sheet_fits(quiz, s.answers)]
        answers = [s.answers for s in fitting]
        quiz_sat = len(answers)
        quiz_passed = sum(1 for s in fitting if sheet_score(quiz, s).passed)
        if answers:
            hist, right = histogram(quiz, answers), per_question_correct(quiz, answers)
        if study_figures.names_go_up(facts.row.kind, facts.row.audience):
            for s in sorted(fitting, key=lambda s: facts.names.get(s.member_id, ""))[:MAX_NAMED]:
                got = sheet_score(quiz, s)
                named.append(NamedResult(facts.names.get(s.member_id, "")[:200], got.correct,
                                         got.total))
    present = 0
    tallies: tuple[tuple[int, ...], ...] = ()
    texts: tuple[str, ...] = ()
    if survey is not None and facts.survey_sheets:
        sums = [[0] * len(q.choices) for q in survey.questions]
        written: list[list[str]] = [[] for _ in survey.questions]
        for sheet in facts.survey_sheets:
            counts, notes = _tallies(sheet.tallies), _texts(sheet.texts)
            if [len(c) for c in counts] != [len(c) for c in sums]:
                continue   # counted against a survey since changed
            present += sheet.present
            for q, c in enumerate(counts):
                sums[q] = [a + b for a, b in zip(sums[q], c, strict=True)]
            for q, note in enumerate(notes[:len(written)]):
                if note:
                    written[q].append(note)
        tallies = tuple(tuple(c) for c in sums)
        texts = tuple("\n".join(w)[:MAX_TEXT_SUMMARY] for w in written)
    return StudyFigures(
        targeted=len(facts.targeted), studied=len(done.studied),
        sessions=len(facts.sessions),
        makeup_sessions=sum(1 for s in facts.sessions if s.kind == MAKEUP),
        quiz_sat=quiz_sat, quiz_passed=quiz_passed, histogram=hist, question_correct=right,
        survey_present=present, survey_tallies=tallies, survey_texts=texts,
        named=tuple(named))


def _tallies(text: str) -> list[list[int]]:
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [[int(c) for c in q if isinstance(c, int)] if isinstance(q, list) else []
            for q in data]


def _texts(text: str) -> list[str]:
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(t) for t in data] if isinstance(data, list) else []


def keep_in_step(session: Session, *, unit_id: str, plan_id: str, today: dt.date) -> bool:
    """Bring the plan's report row in line with its figures (a deleted plan's report is
    removed with it, and restored with it); True when the row changed."""
    plan = session.get(StudyPlanRow, plan_id)
    if plan is None:
        return False
    report = report_row(session, plan_id)
    if report is not None and not speaks_for(session, plan_id):
        # The report came from another PC of the branch, which holds the sessions (they
        # stay on the PC it recorded them on): this PC would send zeros over its counts.
        return False
    if plan.deleted:
        if report is not None and not report.deleted:
            mark_deleted(session, "study_reports", report, True)
            return True
        return False
    figures = study_figures.to_json(figures_of(plan_facts(session, unit_id=unit_id, row=plan,
                                                           today=today)))
    if report is None:
        report = StudyReportRow(id=new_id(), unit_id=unit_id, plan_id=plan_id,
                                figures=figures, updated_on=today)
        session.add(report)
        session.flush()
        _note_mine(session, plan_id)
        record_change(session, entity="study_reports", row_id=report.id, op="create",
                      base_version=0, fields=row_fields("study_reports", report))
        return True
    changed = False
    if report.deleted:
        mark_deleted(session, "study_reports", report, False)
        changed = True
    if report.figures != figures:
        apply_update(session, entity="study_reports", row=report,
                     values={"figures": figures, "updated_on": today})
        changed = True
    return changed


MINE_KEY = "study_reports_mine"


def _mine(session: Session) -> set[str]:
    from sotay_desktop.db.meta import get_meta

    try:
        found = json.loads(get_meta(session, MINE_KEY) or "[]")
    except ValueError:
        return set()
    return {str(i) for i in found} if isinstance(found, list) else set()


def _note_mine(session: Session, plan_id: str) -> None:
    from sotay_desktop.db.meta import set_meta

    set_meta(session, MINE_KEY, json.dumps(sorted(_mine(session) | {plan_id})))


def speaks_for(session: Session, plan_id: str) -> bool:
    """Does this PC keep the plan's report: it made the report, or it has ever recorded a
    session, a quiz sheet or survey counts of the plan (removed ones too: removing them
    all must bring the report back to zero)? A second PC of the branch that only pulled
    the report does not, until it records study of its own (UNCONFIRMED practice: one PC
    per branch records a plan's study; two that both do overwrite each other's counts)."""
    from sotay_desktop.db.study_tables import QuizAnswerRow, StudySessionRow, SurveySheetRow

    if plan_id in _mine(session):
        return True
    return any(session.scalar(select(cls.id).where(cls.plan_id == plan_id).limit(1))
               is not None for cls in (StudySessionRow, QuizAnswerRow, SurveySheetRow))


def refresh_all(session: Session, today: dt.date) -> bool:
    """Every plan's report in line with the roster as it stands now (a member transferred
    out or deceased since the last study write is no longer counted; a plan withdrawn from
    above takes its report with it). The sync client and the bundle export call it before
    they push, so what goes up is never stale. True when a report changed."""
    from sotay_desktop.services.branch import branch_info
    from sotay_desktop.services.study_rows import live_plans, reported_plans

    info = branch_info(session)
    if info is None:
        return False
    unit_id = info.branch.id
    ids = {row.id for row in live_plans(session, unit_id)} | reported_plans(session, unit_id)
    return any([keep_in_step(session, unit_id=unit_id, plan_id=plan_id, today=today)
                for plan_id in sorted(ids)])


def report_sent(session: Session, plan_id: str) -> bool:
    """The figures as they stand have reached the province (synced, nothing waiting)."""
    report = report_row(session, plan_id)
    if report is None or report.deleted or report.version == 0:
        return False
    waiting = session.scalar(select(OutboxRow.mutation_id).where(
        OutboxRow.entity == "study_reports", OutboxRow.row_id == report.id).limit(1))
    return waiting is None
