"""What the province pages, the downloads and ``sotay-server study`` read of political study
(issue 21): the plans reaching a unit; one plan's completion per direct child of a unit and
rolled up (``stat_study`` grouped in the database on the plan's index, so 17,000 branches
are one indexed scan); its quiz's score distribution, right answers per question, survey
totals and written answers summed over the subtree. Counts only: members' names are never
read, except the named results a contest's branches send (UNCONFIRMED whether a rule allows
them; ``study_figures``). The caller has checked the staff account may see ``unit``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from sotay_core.domain import study, study_plan
from sotay_core.domain.errors import DomainError
from sync_server import queries
from sync_server.models import (
    Record,
    StatBranch,
    StatStudy,
    StatStudyUnit,
    StudyPublication,
    Unit,
)
from sync_server.study_facts import add_lists

COUNTS = ("targeted", "studied", "sessions", "quiz_sat", "quiz_passed", "survey_present")
MAX_TEXTS = 30          # written answers' summaries shown per question on the page
MAX_NAMED = 300         # a contest's named results on the page (the XLSX has them all)


@dataclass
class Completion:
    """One branch's report on a plan, or the sum over the branches below a unit."""

    branches: int = 0       # branches the plan went to (a withdrawn plan's too)
    reported: int = 0       # … whose PC has sent its figures
    targeted: int = 0       # members the plan is for, in the branches that reported
    studied: int = 0
    sessions: int = 0
    quiz_sat: int = 0
    quiz_passed: int = 0
    survey_present: int = 0
    members_silent: int = 0  # party numbers of the branches that sent nothing

    @property
    def not_reached(self) -> int:
        return max(0, self.targeted - self.studied)

    @property
    def silent(self) -> int:
        return max(0, self.branches - self.reported)

    @property
    def share(self) -> float | None:
        return self.studied / self.targeted if self.targeted else None

    @property
    def passed_share(self) -> float | None:
        return self.quiz_passed / self.quiz_sat if self.quiz_sat else None

    def add(self, other: Completion) -> None:
        for name in ("branches", "reported", *COUNTS, "members_silent"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class PlanLine:
    """A plan in the list: as published, with its figures within the staff member's area."""

    pub: StudyPublication
    figures: Completion
    own: bool               # addressed inside the area (its staff may change it)
    to_name: str = ""       # the unit it was addressed to


def reaching(unit: Unit) -> Any:
    """SQL: a publication addressed to ``unit``, below it or above it."""
    ids = [p for p in unit.path.strip("/").split("/") if p]
    above = ["/" + "/".join(ids[:i]) + "/" for i in range(1, len(ids))]
    return or_(StudyPublication.to_path.startswith(unit.path, autoescape=True),
               StudyPublication.to_path.in_(above))


def plans(session: Session, unit: Unit, limit: int = 50) -> list[PlanLine]:
    """The plans reaching the unit's subtree, newest first, with their figures in it (one
    grouped query for all of them)."""
    pubs = list(session.scalars(select(StudyPublication).where(reaching(unit))
                                .order_by(StudyPublication.published_at.desc()).limit(limit)))
    figures = {p.id: Completion() for p in pubs}
    s = StatStudy
    for plan_id, branches, reported, *counts in session.execute(
            select(s.plan_id, func.count(),
                   func.sum(case((s.reported, 1), else_=0)),
                   *[func.sum(getattr(s, c)) for c in COUNTS])
            .where(s.plan_id.in_(list(figures)), s.path.startswith(unit.path, autoescape=True))
            .group_by(s.plan_id)):
        _fill(figures[plan_id], branches, reported, counts)
    names = {uid: name for uid, name in session.execute(select(Unit.id, Unit.name).where(
        Unit.id.in_({p.to_unit for p in pubs})))}
    return [PlanLine(p, figures[p.id], p.to_path.startswith(unit.path),
                     names.get(p.to_unit, "")) for p in pubs]


def _fill(c: Completion, branches: Any, reported: Any, counts: list[Any]) -> None:
    c.branches, c.reported = int(branches or 0), int(reported or 0)
    for name, value in zip(COUNTS, counts, strict=True):
        setattr(c, name, int(value or 0))


def visible(pub: StudyPublication, unit: Unit) -> bool:
    """A staff member of ``unit`` sees a plan addressed inside their area or above them."""
    return pub.to_path.startswith(unit.path) or unit.path.startswith(pub.to_path)


@dataclass
class PlanTree:
    rows: list[tuple[Unit, Completion]]     # direct children of the unit holding the plan
    total: Completion


def plan_tree(session: Session, plan_id: str, unit: Unit) -> PlanTree:
    """The plan's completion per direct child of ``unit`` (a branch: itself), and summed."""
    s = StatStudy
    child = func.substr(s.path, len(unit.path) + 1, queries.ID_LEN).label("child")
    found: dict[str, Completion] = {}
    for key, branches, reported, *counts in session.execute(
            select(child, func.count(),
                   func.sum(case((s.reported, 1), else_=0)),
                   *[func.sum(getattr(s, c)) for c in COUNTS])
            .where(s.plan_id == plan_id, s.path.startswith(unit.path, autoescape=True))
            .group_by(child)):
        _fill(found.setdefault(key, Completion()), branches, reported, counts)
    for key, members in session.execute(
            select(child, func.sum(StatBranch.members))
            .join(StatBranch, StatBranch.scope_id == s.scope_id)
            .where(s.plan_id == plan_id, s.path.startswith(unit.path, autoescape=True),
                   s.reported.is_(False)).group_by(child)):
        found.setdefault(key, Completion()).members_silent = int(members or 0)
    total = Completion()
    for c in found.values():
        total.add(c)
    if unit.level == "branch":
        return PlanTree([(unit, found.get("", Completion()))], total)
    units = {u.id: u for u in session.scalars(select(Unit).where(
        Unit.id.in_([k for k in found if k])))}
    rows = sorted(((units[k], c) for k, c in found.items() if k in units),
                  key=lambda uc: (uc[0].level != "commune", uc[0].name))
    return PlanTree(rows, total)


def silent_branches(session: Session, plan_id: str, unit: Unit, limit: int = 500
                    ) -> list[Unit]:
    """The branches below ``unit`` holding the plan that have sent nothing on it."""
    return list(session.scalars(
        select(Unit).join(StatStudy, StatStudy.scope_id == Unit.id)
        .where(StatStudy.plan_id == plan_id, StatStudy.reported.is_(False),
               StatStudy.path.startswith(unit.path, autoescape=True))
        .order_by(Unit.path).limit(limit)))


@dataclass
class PlanContent:
    """The plan as its branches hold it (read from one copy)."""

    data: dict[str, Any]
    quiz: study.Quiz | None
    survey: study.Survey | None
    documents: list[tuple[str, str]]        # (id, title)

    @property
    def contest(self) -> bool:
        return self.data.get("kind") == study.PlanKind.CONTEST.value


def content(session: Session, pub: StudyPublication) -> PlanContent:
    scope = session.scalar(select(StatStudy.scope_id).where(
        StatStudy.plan_id == pub.id).limit(1))
    rec = session.get(Record, (scope, "study_plans", pub.id)) if scope else None
    data: dict[str, Any] = json.loads(rec.data) if rec is not None else {
        "title": pub.title, "number": pub.number, "kind": pub.kind}
    q, s = str(data.get("quiz") or ""), str(data.get("survey") or "")
    try:
        quiz = study.quiz_from_json(q) if q.strip() else None
    except DomainError:
        quiz = None
    try:
        survey = study.survey_from_json(s) if s.strip() else None
    except DomainError:
        survey = None
    docs: list[tuple[str, str]] = []
    try:
        ids = study_plan.documents_from_field(str(data.get("documents") or ""))
    except DomainError:
        ids = ()
    for doc_id in ids:
        doc = session.get(Record, (scope, "documents", doc_id)) if scope else None
        title = str(json.loads(doc.data).get("title") or "") if doc is not None else ""
        docs.append((doc_id, title))
    return PlanContent(data, quiz, survey, docs)


@dataclass
class Results:
    """A plan's quiz and survey summed over a subtree's reports."""

    histogram: list[int] = field(default_factory=list)
    question_correct: list[int] = field(default_factory=list)
    tallies: list[list[int]] = field(default_factory=list)
    texts: list[list[tuple[str, str]]] = field(default_factory=list)   # (branch, summary)
    texts_count: list[int] = field(default_factory=list)
    named: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, branch, …


def _fit(values: list[Any], n: int) -> list[int]:
    """``n`` counts: those given, zeros after them."""
    return [v if i < len(values) and isinstance(v := values[i], int) else 0 for i in range(n)]


def results(session: Session, plan: PlanContent, plan_id: str, unit: Unit, *,
            texts: int = MAX_TEXTS, named: int | None = MAX_NAMED) -> Results:
    """The quiz's and survey's lists summed below ``unit``: a branch's own row, else the
    rows of the units directly above branches (``stat_study_units``: ~140 for a province);
    the written answers' summaries, the first ``texts`` of each question, from the
    branches' rows; a contest's named results (all of them with ``named`` None)."""
    s = StatStudy
    under = (s.plan_id == plan_id, s.reported.is_(True),
             s.path.startswith(unit.path, autoescape=True))
    out = Results()
    n_questions = len(plan.quiz.questions) if plan.quiz else 0
    survey_qs = plan.survey.questions if plan.survey else ()
    hist: list[Any] = [0] * (n_questions + 1) if plan.quiz else []
    right: list[Any] = [0] * n_questions
    tallies: list[Any] = [[0] * len(q.choices) for q in survey_qs]
    written: list[Any] = [0] * len(survey_qs)
    if unit.level == "branch":
        for h, q, t, w in session.execute(select(
                s.histogram, s.question_correct, s.survey_tallies, s.survey_texts)
                .where(*under)):
            add_lists(hist, json.loads(h))
            add_lists(right, json.loads(q))
            add_lists(tallies, json.loads(t))
            add_lists(written, [int(isinstance(x, str) and bool(x.strip()))
                                for x in json.loads(w)])
    else:
        u = StatStudyUnit
        for h, q, t, w in session.execute(select(
                u.histogram, u.question_correct, u.survey_tallies, u.survey_written)
                .where(u.plan_id == plan_id, u.path.startswith(unit.path, autoescape=True))):
            add_lists(hist, json.loads(h))
            add_lists(right, json.loads(q))
            add_lists(tallies, json.loads(t))
            add_lists(written, json.loads(w))
    # in the plan's own shape (the push checks each report against it)
    out.histogram = _fit(hist, n_questions + 1) if plan.quiz else []
    out.question_correct = _fit(right, n_questions)
    out.tallies = [_fit(tallies[i] if i < len(tallies) and isinstance(tallies[i], list)
                        else [], len(q.choices)) for i, q in enumerate(survey_qs)]
    out.texts_count = _fit(written, len(survey_qs))
    out.texts = [[] for _ in survey_qs]
    free = sum(q.free_text for q in survey_qs)
    if free:
        for name, summaries in session.execute(
                select(Unit.name, s.survey_texts).join(Unit, Unit.id == s.scope_id)
                .where(*under, s.survey_texts != "[]").order_by(s.path)
                .limit(texts * free)):
            for i, text in enumerate(json.loads(summaries)[:len(survey_qs)]):
                if isinstance(text, str) and text.strip() and len(out.texts[i]) < texts:
                    out.texts[i].append((name, text.strip()))
    if plan.contest:
        rows = []
        for branch, people in session.execute(
                select(Unit.name, s.named).join(Unit, Unit.id == s.scope_id)
                .where(*under, s.named != "[]")):
            for person in json.loads(people):
                if isinstance(person, list) and len(person) == 3:
                    rows.append((str(person[0]), branch, int(person[1]), int(person[2])))
        rows.sort(key=lambda r: (-r[2], r[0], r[1]))
        out.named = rows if named is None else rows[:named]
    return out
