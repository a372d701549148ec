"""Reading political study's rows (issue 21), shared by its writers, its report and its views:
a live plan or session, whether a plan is the level above's (read-only here), its quiz,
survey and target as the core reads them, who it is for on its day, who attended which
session, the answer sheets and the survey's tallies. Reads only, except the audit row of a
PC-only change (``audit_local``) and the list of plans typed at this branch.

Who a plan is for: the members whose status on the plan's due day (or today, when that is
earlier or there is none) fits the plan's ``Target`` (``study_plan.Target.includes``: never
members transferred out, deceased or removed; exempted and away members under "all"), in
roster order; a contest's target is the bí thư in office on that day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import DomainError, NotFoundError
from sotay_core.domain.lifecycle import fold_fitting
from sotay_core.domain.study import (
    BLANK,
    LETTERS,
    Quiz,
    Score,
    Survey,
    quiz_from_json,
    score,
    survey_from_json,
)
from sotay_core.domain.study_plan import Target, documents_from_field, target_from_fields
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.study_tables import (
    QuizAnswerRow,
    StudyAttendanceRow,
    StudyPlanRow,
    StudyReportRow,
    StudySessionRow,
    SurveySheetRow,
)
from sotay_desktop.db.tables import AuditRow, MemberRow
from sotay_desktop.services import audit
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meetings import committee_secretary
from sotay_desktop.services.members import histories

STUDY_TABLES = ("study_plans", "study_reports", "study_sessions", "study_attendance",
                "quiz_answers", "survey_sheets")
STUDY_CHANGES = Changes.of(*STUDY_TABLES)
# Plans typed at this branch (its own, or a paper plan from above typed here): never the
# level above's, even once synced. Kept with the audit rows as the second witness (a plan
# typed on another PC of the branch, or before a restore, has its "change" audit row).
BRANCH_PLANS_KEY = "study_branch_plans"


def plan_row(session: Session, plan_id: str) -> StudyPlanRow:
    row = session.get(StudyPlanRow, plan_id)
    if row is None or row.deleted:
        raise NotFoundError("study_app.no_plan", value=plan_id)
    return row


def session_row(session: Session, session_id: str) -> StudySessionRow:
    row = session.get(StudySessionRow, session_id)
    if row is None or row.deleted:
        raise NotFoundError("study_app.no_session", value=session_id)
    plan_row(session, row.plan_id)
    return row


def live_plans(session: Session, unit_id: str) -> list[StudyPlanRow]:
    """Newest due first, plans without a due day last."""
    rows = session.scalars(select(StudyPlanRow).where(
        StudyPlanRow.unit_id == unit_id, StudyPlanRow.deleted.is_(False))).all()
    return sorted(rows, key=lambda r: (r.due_on is None, -(r.due_on or dt.date.min).toordinal(),
                                       r.title, r.id))


def reported_plans(session: Session, unit_id: str) -> set[str]:
    """Plans with a live report of the branch (their plan may be gone)."""
    return set(session.scalars(select(StudyReportRow.plan_id).where(
        StudyReportRow.unit_id == unit_id, StudyReportRow.deleted.is_(False))))


def report_row(session: Session, plan_id: str) -> StudyReportRow | None:
    """The branch's report on the plan (natural key ``plan_id``), deleted or not."""
    rows = session.scalars(select(StudyReportRow).where(
        StudyReportRow.plan_id == plan_id).order_by(StudyReportRow.deleted,
                                                    StudyReportRow.created_at)).all()
    return rows[0] if rows else None


# --- the level above's plans: read-only here -----------------------------------------------


def branch_plans(session: Session) -> set[str]:
    try:
        found = json.loads(get_meta(session, BRANCH_PLANS_KEY) or "[]")
    except ValueError:
        return set()
    return {str(i) for i in found} if isinstance(found, list) else set()


def note_branch_plan(session: Session, plan_id: str) -> None:
    set_meta(session, BRANCH_PLANS_KEY, json.dumps(sorted(branch_plans(session) | {plan_id})))


def read_only_ids(session: Session, rows: Iterable[StudyPlanRow]) -> set[str]:
    """The plans published by the level above: come down from the server (version > 0),
    from above, and never typed at this branch: not noted here, and no audit row of their
    creation (a "change" naming ``unit_id``, which no later edit names) on any of the
    branch's PCs (audit rows come down with the sync)."""
    pulled = {r.id for r in rows if r.origin == "from_above" and r.version > 0}
    pulled -= branch_plans(session)
    if not pulled:
        return set()
    typed = set(session.scalars(select(AuditRow.row_id).where(
        AuditRow.entity == "study_plans", AuditRow.action == "change",
        AuditRow.detail.like("%unit_id%"), AuditRow.row_id.in_(sorted(pulled)))))
    return pulled - typed


def read_only(session: Session, row: StudyPlanRow) -> bool:
    return row.id in read_only_ids(session, [row])


# --- the plan's fields as the core reads them (a bad stored value never breaks a view) ----


def quiz_of(row: StudyPlanRow) -> Quiz | None:
    try:
        return quiz_from_json(row.quiz) if row.quiz.strip() else None
    except DomainError:
        return None


def survey_of(row: StudyPlanRow) -> Survey | None:
    try:
        return survey_from_json(row.survey) if row.survey.strip() else None
    except DomainError:
        return None


def target_of(row: StudyPlanRow) -> Target:
    try:
        return target_from_fields(row.audience, row.statuses)
    except DomainError:
        return Target()


def documents_of(row: StudyPlanRow) -> tuple[str, ...]:
    try:
        return documents_from_field(row.documents)
    except DomainError:
        return ()


def reference_day(due_on: dt.date | None, today: dt.date) -> dt.date:
    """The day whose roster a plan is for: its due day, or today when that is earlier."""
    return min(due_on, today) if due_on is not None else today


# --- who -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    member_id: str
    name: str
    born_on: dt.date | None
    status: MemberStatus


def people_on(session: Session, unit_id: str, on: dt.date,
              cache: dict[tuple[str, dt.date], list[Person]] | None = None) -> list[Person]:
    """Every live member of the branch with their status at the end of ``on``, in roster
    order (members off the roster too: a guest may attend)."""
    key = (unit_id, on)
    if cache is not None and key in cache:
        return cache[key]
    born: dict[str, dt.date | None] = dict(session.execute(
        select(MemberRow.id, MemberRow.date_of_birth).where(
            MemberRow.unit_id == unit_id, MemberRow.deleted.is_(False))).all())
    found = [Person(h.member_id, h.full_name, born.get(h.member_id),
                    fold_fitting(h.events, until=on).status)
             for h in histories(session, unit_id=unit_id)]
    if cache is not None:
        cache[key] = found
    return found


def targeted(target: Target, people: Iterable[Person], secretary_id: str | None
             ) -> tuple[str, ...]:
    return tuple(p.member_id for p in people
                 if target.includes(p.status, is_secretary=p.member_id == secretary_id))


def sessions_of(session: Session, plan_id: str) -> list[StudySessionRow]:
    return list(session.scalars(select(StudySessionRow).where(
        StudySessionRow.plan_id == plan_id, StudySessionRow.deleted.is_(False))
        .order_by(StudySessionRow.held_on, StudySessionRow.created_at, StudySessionRow.id)))


def present_at(session: Session, session_ids: Iterable[str]) -> dict[str, list[str]]:
    """Session id -> member ids present (live marks of live members)."""
    ids = list(session_ids)
    found: dict[str, list[str]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = session.execute(select(StudyAttendanceRow.session_id, StudyAttendanceRow.member_id)
                           .join(MemberRow, MemberRow.id == StudyAttendanceRow.member_id)
                           .where(StudyAttendanceRow.session_id.in_(ids),
                                  StudyAttendanceRow.deleted.is_(False),
                                  MemberRow.deleted.is_(False))
                           .order_by(StudyAttendanceRow.created_at))
    for session_id, member_id in rows:
        found[session_id].append(member_id)
    return found


def sheets_of(session: Session, plan_id: str) -> list[QuizAnswerRow]:
    return list(session.scalars(select(QuizAnswerRow).join(
        MemberRow, MemberRow.id == QuizAnswerRow.member_id).where(
        QuizAnswerRow.plan_id == plan_id, QuizAnswerRow.deleted.is_(False),
        MemberRow.deleted.is_(False))))


def survey_rows(session: Session, plan_id: str) -> list[SurveySheetRow]:
    return list(session.scalars(select(SurveySheetRow).where(
        SurveySheetRow.plan_id == plan_id, SurveySheetRow.deleted.is_(False))
        .order_by(SurveySheetRow.collected_on, SurveySheetRow.created_at)))


def sheet_fits(quiz: Quiz, answers: str) -> bool:
    """A stored sheet still answers the plan's quiz (its questions may have changed)."""
    return len(answers) == len(quiz.questions) and all(
        a == BLANK or (a in LETTERS and LETTERS.index(a) < len(q.choices))
        for a, q in zip(answers, quiz.questions, strict=True))


def sheet_score(quiz: Quiz | None, row: QuizAnswerRow) -> Score:
    """Scored by the plan's quiz when the sheet still fits it, else as entered."""
    if quiz is not None and sheet_fits(quiz, row.answers):
        return score(quiz, row.answers)
    answered = sum(1 for a in row.answers if a != BLANK)
    return Score(row.correct, row.total, quiz.pass_percent if quiz else 50, answered)


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """Everything a plan's view and its report are made of, read once."""

    row: StudyPlanRow
    on: dt.date
    quiz: Quiz | None
    survey: Survey | None
    people: tuple[Person, ...]
    targeted: tuple[str, ...]
    sessions: tuple[StudySessionRow, ...]
    present: Mapping[str, list[str]]           # session id -> member ids
    sheets: tuple[QuizAnswerRow, ...]
    survey_sheets: tuple[SurveySheetRow, ...]
    secretary_id: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)


def plan_facts(session: Session, *, unit_id: str, row: StudyPlanRow, today: dt.date,
               cache: dict[tuple[str, dt.date], list[Person]] | None = None) -> PlanFacts:
    on = reference_day(row.due_on, today)
    people = people_on(session, unit_id, on, cache)
    secretary = committee_secretary(session, unit_id, on)
    secretary_id = secretary[0] if secretary else None
    held = sessions_of(session, row.id)
    return PlanFacts(row, on, quiz_of(row), survey_of(row), tuple(people),
                     targeted(target_of(row), people, secretary_id), tuple(held),
                     present_at(session, (s.id for s in held)), tuple(sheets_of(session, row.id)),
                     tuple(survey_rows(session, row.id)), secretary_id,
                     {p.member_id: p.name for p in people})


def audit_local(session: Session, entity: str, row_id: str, fields: Iterable[str]) -> None:
    """The audit row of a change to a PC-only table (no outbox mutation: it never goes up).
    ``row_id`` is the local row's own id, never a member's; ``fields`` are names only."""
    audit.record(session, "change", entity=entity, row_id=row_id,
                 detail=",".join(sorted(set(fields))))
