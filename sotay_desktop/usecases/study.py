"""Political study, quizzes and surveys (issue 21): the use cases of the study screen, its
papers, Home and ``sotay study`` / ``sotay quiz``. ``today`` is the workspace's clock.

API (stable; reads are queries, writes operations returning ``Changes`` of the study tables,
``STUDY_TABLES``):

    plans(ws) -> list[PlanSummary]                 # latest due first
    view(ws, plan_id) -> PlanView                  # audited view (who studied)
    add_plan(ws, *, title, kind="study", from_above=False, number="", issuer="",
             issued_on=None, starts_on=None, due_on=None, documents=(), audience="all",
             statuses=(), points=None, note="") -> tuple[str, Changes]
    edit_plan(ws, plan_id, **fields) -> Changes    # the add_plan names; quiz/survey apart
    remove_plan(ws, plan_id) -> Changes            # undoable (undo_last)
    set_quiz(ws, plan_id, text, pass_percent=None) -> Changes   # text form or JSON; "" off
    set_survey(ws, plan_id, text) -> Changes       # JSON or text form; "" off
    record_session(ws, plan_id, *, held_on, kind="session", place="", documents=(),
                   member_ids=(), note="") -> tuple[str, Changes]   # kind session/makeup/home
    edit_session(ws, session_id, **fields) -> Changes   # held_on, kind, place, documents, note
    remove_session(ws, session_id) -> Changes      # undoable
    mark_present(ws, session_id, member_id, how="name") -> Changes
    unmark(ws, session_id, member_id) -> Changes   # undoable
    scan(ws, session_id, code) -> ScanResult       # member_id, name, already, changes
    find_member_by_code(ws, code) -> str           # refusals: the core's ValidationError
    enter_answers(ws, plan_id, member_id, answers, *, taken_on=None, how="grid")
        -> tuple[Score, Changes]
    clear_answers(ws, plan_id, member_id) -> Changes    # undoable
    enter_survey(ws, plan_id, *, collected_on, present=None, session_id=None, tallies,
                 texts=()) -> Changes             # per session: entered again, replaced
    survey_counts(ws, plan_id) -> list[SurveyCount]
    remove_survey_count(ws, count_id) -> Changes   # undoable
    member_study(ws, member_id, year) -> MemberStudy
    points_rule(ws) -> PointsRule                  set_points_rule(ws, rule | json | None)
    reminders(ws) -> list[Reminder]                # also in usecases.branch.reminders
    refresh_reports(ws) -> Changes                 # every plan's report brought in step
    last_undoable(ws) -> StudyAct | None           undo_last(ws, expected=None)
    is_read_only(ws, plan_id) -> bool              # the level above's plan

Every refusal is a ``DomainError`` (mostly ``ValidationError``) in words; nothing is half
written. A plan the level above published is read-only: edit, remove, set_quiz and
set_survey refuse it (``study_app.read_only``); sessions, answers and counts are the
branch's and are always taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sotay_desktop.services.changes import Changes

if TYPE_CHECKING:
    from sotay_core.domain.entities import MemberStatus
    from sotay_core.domain.reminders import Reminder
    from sotay_core.domain.study import Audience, PlanKind, Score
    from sotay_core.domain.study_plan import PointsRule
    from sotay_core.domain.study_view import MemberStudy, PlanSummary, PlanView
    from sotay_desktop.services.study_undo import StudyAct
    from sotay_desktop.usecases.workspace import Workspace

STUDY_TABLES = ("study_plans", "study_reports", "study_sessions", "study_attendance",
                "quiz_answers", "survey_sheets")


@dataclass(frozen=True, slots=True)
class ScanResult:
    member_id: str
    name: str
    already: bool           # present already: counted once, nothing changed
    changes: Changes


@dataclass(frozen=True, slots=True)
class SurveyCount:
    id: str
    collected_on: dt.date
    present: int
    session_id: str | None
    tallies: tuple[tuple[int, ...], ...]
    texts: tuple[str, ...]


# --- reads -------------------------------------------------------------------------------


def plans(ws: Workspace) -> list[PlanSummary]:
    from sotay_desktop.services import study_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return study_read.summaries(session, unit_id=unit_id, today=ws.today())


def view(ws: Workspace, plan_id: str) -> PlanView:
    """The plan with every member it is for; reading who studied is audited."""
    from sotay_desktop.services import study_read
    from sotay_desktop.usecases.trace import leave_trace

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        found = study_read.plan_view(session, unit_id=unit_id, plan_id=plan_id,
                                     today=ws.today())
    leave_trace(ws, "view", "study_plans", plan_id)
    return found


def is_read_only(ws: Workspace, plan_id: str) -> bool:
    from sotay_desktop.services import study_rows

    with ws.db.reads() as session:
        return study_rows.read_only(session, study_rows.plan_row(session, plan_id))


def member_study(ws: Workspace, member_id: str, year: int) -> MemberStudy:
    from sotay_desktop.services import study_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return study_read.member_study(session, unit_id=unit_id, member_id=member_id,
                                       year=year, today=ws.today())


def find_member_by_code(ws: Workspace, code: str) -> str:
    from sotay_desktop.services import study_sessions

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return study_sessions.member_by_code(session, unit_id=unit_id, code=code)


def survey_counts(ws: Workspace, plan_id: str) -> list[SurveyCount]:
    import json

    from sotay_desktop.services import study_rows

    with ws.db.reads() as session:
        study_rows.plan_row(session, plan_id)
        return [SurveyCount(r.id, r.collected_on, r.present, r.session_id,
                            tuple(tuple(int(c) for c in q) for q in json.loads(r.tallies)),
                            tuple(str(t) for t in json.loads(r.texts)))
                for r in study_rows.survey_rows(session, plan_id)]


def points_rule(ws: Workspace) -> PointsRule:
    from sotay_desktop.services import study_settings

    with ws.db.reads() as session:
        return study_settings.points_rule(session)


def reminders(ws: Workspace) -> list[Reminder]:
    from sotay_desktop.services import study_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return study_read.reminders(session, unit_id=unit_id, today=ws.today())


def last_undoable(ws: Workspace) -> StudyAct | None:
    from sotay_desktop.services import study_undo

    with ws.db.reads() as session:
        return study_undo.last_act(session)


# --- writes: plans -----------------------------------------------------------------------


def add_plan(ws: Workspace, *, title: str, kind: PlanKind | str = "study",
             from_above: bool = False, number: str = "", issuer: str = "",
             issued_on: dt.date | str | None = None, starts_on: dt.date | str | None = None,
             due_on: dt.date | str | None = None, documents: Iterable[str] = (),
             audience: Audience | str = "all",
             statuses: Iterable[MemberStatus | str] | str = (), points: int | None = None,
             note: str = "") -> tuple[str, Changes]:
    from sotay_desktop.services import study

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study.add_plan(session, unit_id=unit_id, today=ws.today(), title=title,
                              kind=kind, from_above=from_above, number=number, issuer=issuer,
                              issued_on=issued_on, starts_on=starts_on, due_on=due_on,
                              documents=tuple(documents), audience=audience,
                              statuses=statuses, points=points, note=note)


def edit_plan(ws: Workspace, plan_id: str, **fields: Any) -> Changes:
    from sotay_desktop.services import study

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study.edit_plan(session, unit_id=unit_id, plan_id=plan_id, today=ws.today(),
                               fields=fields)


def remove_plan(ws: Workspace, plan_id: str) -> Changes:
    from sotay_desktop.services import study

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study.remove_plan(session, unit_id=unit_id, plan_id=plan_id, today=ws.today())


def set_quiz(ws: Workspace, plan_id: str, text: str, pass_percent: int | None = None
             ) -> Changes:
    from sotay_desktop.services import study_quiz

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_quiz.set_quiz(session, unit_id=unit_id, plan_id=plan_id, text=text,
                                   today=ws.today(), pass_percent=pass_percent)


def set_survey(ws: Workspace, plan_id: str, text: str) -> Changes:
    from sotay_desktop.services import study_survey

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_survey.set_survey(session, unit_id=unit_id, plan_id=plan_id, text=text,
                                       today=ws.today())


# --- writes: sessions and attendance ---------------------------------------------------


def record_session(ws: Workspace, plan_id: str, *, held_on: dt.date | str,
                   kind: str = "session", place: str = "", documents: Iterable[str] = (),
                   member_ids: Iterable[str] = (), note: str = "") -> tuple[str, Changes]:
    from sotay_desktop.services import study_sessions

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_sessions.record_session(
            session, unit_id=unit_id, plan_id=plan_id, today=ws.today(), held_on=held_on,
            kind=kind, place=place, documents=tuple(documents), member_ids=tuple(member_ids),
            note=note)


def edit_session(ws: Workspace, session_id: str, **fields: Any) -> Changes:
    from sotay_desktop.services import study_sessions

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_sessions.edit_session(session, unit_id=unit_id, session_id=session_id,
                                           today=ws.today(), fields=fields)


def remove_session(ws: Workspace, session_id: str) -> Changes:
    from sotay_desktop.services import study_sessions

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_sessions.remove_session(session, unit_id=unit_id, session_id=session_id,
                                             today=ws.today())


def mark_present(ws: Workspace, session_id: str, member_id: str, how: str = "name"
                 ) -> Changes:
    from sotay_desktop.services import study_sessions

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_sessions.mark_present(session, unit_id=unit_id, session_id=session_id,
                                           member_id=member_id, today=ws.today(),
                                           how=how).changes


def unmark(ws: Workspace, session_id: str, member_id: str) -> Changes:
    from sotay_desktop.services import study_sessions

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_sessions.unmark(session, unit_id=unit_id, session_id=session_id,
                                     member_id=member_id, today=ws.today())


def scan(ws: Workspace, session_id: str, code: str) -> ScanResult:
    """A card's code typed by the scanner; a second scan of the same card counts once."""
    from sotay_desktop.services import study_sessions

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        marked = study_sessions.scan(session, unit_id=unit_id, session_id=session_id,
                                     code=code, today=ws.today())
    return ScanResult(marked.member_id, marked.name, marked.already, marked.changes)


# --- writes: quiz sheets and survey counts -------------------------------------------------


def enter_answers(ws: Workspace, plan_id: str, member_id: str, answers: str, *,
                  taken_on: dt.date | str | None = None, how: str = "grid"
                  ) -> tuple[Score, Changes]:
    from sotay_desktop.services import study_quiz

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_quiz.enter_answers(session, unit_id=unit_id, plan_id=plan_id,
                                        member_id=member_id, answers=answers,
                                        today=ws.today(), taken_on=taken_on, how=how)


def clear_answers(ws: Workspace, plan_id: str, member_id: str) -> Changes:
    from sotay_desktop.services import study_quiz

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_quiz.clear_answers(session, unit_id=unit_id, plan_id=plan_id,
                                        member_id=member_id, today=ws.today())


def enter_survey(ws: Workspace, plan_id: str, *, collected_on: dt.date | str,
                 present: int | None = None, session_id: str | None = None,
                 tallies: Sequence[Sequence[object]], texts: Sequence[str] = ()) -> Changes:
    from sotay_desktop.services import study_survey

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_survey.enter_survey(session, unit_id=unit_id, plan_id=plan_id,
                                         today=ws.today(), collected_on=collected_on,
                                         present=present, session_id=session_id,
                                         tallies=tallies, texts=texts)


def remove_survey_count(ws: Workspace, count_id: str) -> Changes:
    from sotay_desktop.services import study_survey

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_survey.remove_survey_count(session, unit_id=unit_id, sheet_id=count_id,
                                                today=ws.today())


# --- settings, reports, undo ---------------------------------------------------------------


def set_points_rule(ws: Workspace, rule: PointsRule | str | None) -> Changes:
    from sotay_desktop.services import study_settings

    with ws.db.sessions.begin() as session:
        return study_settings.set_points_rule(session, rule)


def refresh_reports(ws: Workspace) -> Changes:
    """Every plan's report brought in line (the roster may have changed since the last
    study write: a member transferred out is no longer counted; a plan the level above
    withdrew takes its report with it). Call it before a sync."""
    from sotay_desktop.services import study_report, study_rows

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        ids = {row.id for row in study_rows.live_plans(session, unit_id)}
        ids |= study_rows.reported_plans(session, unit_id)
        changed = [study_report.keep_in_step(session, unit_id=unit_id, plan_id=plan_id,
                                             today=ws.today()) for plan_id in sorted(ids)]
    return Changes.of("study_reports") if any(changed) else Changes()


def undo_last(ws: Workspace, expected: StudyAct | None = None) -> tuple[StudyAct, Changes]:
    from sotay_desktop.services import study_undo

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return study_undo.undo_last(session, unit_id=unit_id, today=ws.today(),
                                    expected=expected)
