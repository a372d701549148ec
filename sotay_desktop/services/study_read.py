"""Political study as the screens, papers and command line read it (issue 21): a plan's view
(``study_view.PlanView``: who it is for in roster order with their card code, sessions,
scores and points, the make-up list, the counts that go up), the list of plans, and a
member's record of study for a year (whose points feed the annual review). Reads only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.errors import DomainError
from sotay_core.domain.reminders import Reminder
from sotay_core.domain.study import PlanKind, Score
from sotay_core.domain.study_plan import (
    PointsRule,
    documents_from_field,
    member_code,
    member_points,
    overdue,
    progress,
)
from sotay_core.domain.study_reminders import PlanState, study_reminders
from sotay_core.domain.study_view import (
    DocRef,
    MemberLine,
    MemberStudy,
    MemberStudyLine,
    PlanInfo,
    PlanSummary,
    PlanView,
    SessionLine,
    SurveyTotal,
)
from sotay_desktop.db.study_tables import StudyPlanRow
from sotay_desktop.db.tables import DocumentRow
from sotay_desktop.services.study_report import figures_of, report_sent
from sotay_desktop.services.study_rows import (
    Person,
    PlanFacts,
    documents_of,
    live_plans,
    plan_facts,
    plan_row,
    quiz_of,
    read_only_ids,
    sheet_score,
    survey_of,
    target_of,
)
from sotay_desktop.services.study_settings import points_rule


def kind_of(row: StudyPlanRow) -> PlanKind:
    try:
        return PlanKind(row.kind)
    except ValueError:
        return PlanKind.STUDY


def _documents(session: Session, ids: tuple[str, ...]) -> tuple[DocRef, ...]:
    if not ids:
        return ()
    rows = {r.id: r for r in session.scalars(select(DocumentRow).where(
        DocumentRow.id.in_(ids), DocumentRow.deleted.is_(False)))}
    return tuple(DocRef(i, rows[i].title, rows[i].number, bool(rows[i].file_sha256))
                 if i in rows else DocRef(i, "", missing=True) for i in ids)


def plan_info(session: Session, row: StudyPlanRow, *, read_only: bool) -> PlanInfo:
    return PlanInfo(
        id=row.id, title=row.title, kind=kind_of(row), from_above=row.origin == "from_above",
        read_only=read_only, number=row.number, issuer=row.issuer, issued_on=row.issued_on,
        starts_on=row.starts_on, due_on=row.due_on,
        documents=_documents(session, documents_of(row)), target=target_of(row),
        quiz=quiz_of(row), survey=survey_of(row), points=row.points, note=row.note)


def _attended(facts: PlanFacts) -> dict[str, list[dt.date]]:
    days: dict[str, list[dt.date]] = {}
    for held in facts.sessions:
        for member_id in facts.present.get(held.id, ()):
            days.setdefault(member_id, []).append(held.held_on)
    return days


def _scores(facts: PlanFacts) -> dict[str, tuple[str, Score]]:
    return {s.member_id: (s.answers, sheet_score(facts.quiz, s)) for s in facts.sheets}


def _points(rule: PointsRule, facts: PlanFacts, attended: int, got: Score | None) -> int:
    return member_points(rule, sessions_attended=attended,
                         quiz_passed=got is not None and facts.quiz is not None and got.passed,
                         plan_points=facts.row.points)


def _line(unit_id: str, person: Person, facts: PlanFacts, wanted: set[str],
          days: dict[str, list[dt.date]], sheets: dict[str, tuple[str, Score]],
          rule: PointsRule) -> MemberLine:
    answers, got = sheets.get(person.member_id, ("", None))
    mine = tuple(sorted(days.get(person.member_id, ())))
    return MemberLine(person.member_id, person.name, member_code(unit_id, person.member_id),
                      person.status, person.born_on, person.member_id in wanted, mine,
                      answers, got, _points(rule, facts, len(mine), got))


def view_of(session: Session, *, unit_id: str, facts: PlanFacts, today: dt.date,
            read_only: bool) -> PlanView:
    rule = points_rule(session)
    wanted = set(facts.targeted)
    days = _attended(facts)
    sheets = _scores(facts)
    lines = tuple(_line(unit_id, p, facts, wanted, days, sheets, rule) for p in facts.people
                  if p.member_id in wanted or p.member_id in days or p.member_id in sheets)
    held = tuple(SessionLine(s.id, s.held_on, s.kind, s.place,
                             tuple(facts.present.get(s.id, ())),
                             documents_from(s.documents), s.note) for s in facts.sessions)
    done = progress(facts.targeted, facts.present)
    figures = figures_of(facts)
    survey = (SurveyTotal(figures.survey_present, figures.survey_tallies, figures.survey_texts,
                          len(facts.survey_sheets)) if facts.survey is not None else None)
    return PlanView(plan_info(session, facts.row, read_only=read_only), lines, held, done,
                    figures, survey, overdue(facts.row.due_on, today, done),
                    report_sent(session, facts.row.id))


def documents_from(text: str) -> tuple[str, ...]:
    try:
        return documents_from_field(text)
    except DomainError:
        return ()


def plan_view(session: Session, *, unit_id: str, plan_id: str, today: dt.date) -> PlanView:
    row = plan_row(session, plan_id)
    facts = plan_facts(session, unit_id=unit_id, row=row, today=today)
    return view_of(session, unit_id=unit_id, facts=facts, today=today,
                   read_only=bool(read_only_ids(session, [row])))


def summaries(session: Session, *, unit_id: str, today: dt.date) -> list[PlanSummary]:
    """Every live plan, latest due first (no due day last)."""
    rows = live_plans(session, unit_id)
    above = {r.id for r in rows if r.origin == "from_above"}
    cache: dict[tuple[str, dt.date], list[Person]] = {}
    found = []
    for row in rows:
        facts = plan_facts(session, unit_id=unit_id, row=row, today=today, cache=cache)
        done = progress(facts.targeted, facts.present)
        figures = figures_of(facts)
        found.append(PlanSummary(
            row.id, row.title, kind_of(row), row.id in above, row.due_on,
            len(facts.targeted), len(done.studied), len(facts.sessions),
            facts.quiz is not None, figures.quiz_sat, facts.survey is not None,
            overdue(row.due_on, today, done), row.starts_on))
    return found


def _day_of(facts: PlanFacts) -> dt.date | None:
    """The day a plan belongs to a period by: its due day, else its first session's."""
    if facts.row.due_on is not None:
        return facts.row.due_on
    return facts.sessions[0].held_on if facts.sessions else None


def period_study(session: Session, *, unit_id: str, start: dt.date, end: dt.date,
                 today: dt.date, member_ids: Iterable[str]) -> dict[str, MemberStudy]:
    """``member_study`` of many members at once, for the plans of a period (due in it, or
    first held in it when no due day): each plan is read once (the annual review's facts
    read every member's). ``year`` of each record is ``end``'s."""
    rule = points_rule(session)
    cache: dict[tuple[str, dt.date], list[Person]] = {}
    wanted = list(dict.fromkeys(member_ids))
    lines: dict[str, list[MemberStudyLine]] = {m: [] for m in wanted}
    for row in sorted(live_plans(session, unit_id),
                      key=lambda r: (r.due_on or dt.date.max, r.title)):
        facts = plan_facts(session, unit_id=unit_id, row=row, today=today, cache=cache)
        day = _day_of(facts)
        if day is None or not start <= day <= end:
            continue
        attended = _attended(facts)
        scores = _scores(facts)
        targeted = set(facts.targeted)
        for member_id in wanted:
            days = tuple(sorted(attended.get(member_id, ())))
            if member_id not in targeted and not days:
                continue
            got = scores.get(member_id, ("", None))[1]
            lines[member_id].append(MemberStudyLine(row.id, row.title, row.due_on, days, got,
                                                    _points(rule, facts, len(days), got)))
    return {m: MemberStudy(m, end.year, tuple(found)) for m, found in lines.items()}


def member_study(session: Session, *, unit_id: str, member_id: str, year: int,
                 today: dt.date) -> MemberStudy:
    """The plans of ``year`` (due that year, or first held that year when no due day) the
    member was meant for or attended, with sessions, score and points."""
    return period_study(session, unit_id=unit_id, start=dt.date(year, 1, 1),
                        end=dt.date(year, 12, 31), today=today, member_ids=[member_id]
                        )[member_id]


def reminders(session: Session, *, unit_id: str, today: dt.date) -> list[Reminder]:
    """Plans under way, due soon or overdue with members not studied (the core's rule)."""
    return study_reminders([PlanState(s.id, s.title, s.due_on, s.not_studied, s.starts_on)
                            for s in summaries(session, unit_id=unit_id, today=today)], today)
