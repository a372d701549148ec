"""Value rules of political study (issue 21): the study plan (from above or the branch's own)
and the branch's report on it (counts only). Merged into ``record_rules.RULES`` and
``REQUIRED``; checked on push and on pull. ``plan_fits`` and ``report_fits`` check what a
field rule cannot (the quiz and survey JSON, the figures against the plan's quiz) and are
called by the server's rule checks and the PC's use cases alike."""

from __future__ import annotations

from collections.abc import Mapping

from sotay_core.domain import study, study_figures, study_plan
from sotay_core.domain.entities import DocumentOrigin
from sotay_core.domain.errors import DomainError
from sotay_core.domain.field_rules import DATE, PAST, FieldRule, block, int_rule, line, ref
from sotay_core.domain.year_rules import choice

STATUSES = FieldRule(max_length=200, pattern=r"(?:[a-z_]+(?: [a-z_]+)*)?")

STUDY_RULES: dict[str, dict[str, FieldRule]] = {
    "study_plans": {
        "unit_id": ref("org_units"), "origin": choice(DocumentOrigin),
        "kind": choice(study.PlanKind), "title": line(500, required=True),
        "number": line(60), "issuer": line(200), "issued_on": PAST, "starts_on": DATE,
        "due_on": DATE, "documents": block(20_000), "audience": choice(study.Audience),
        "statuses": STATUSES, "quiz": block(), "survey": block(),
        "points": int_rule(0, 1000), "note": block(20_000),
    },
    "study_reports": {
        "unit_id": ref("org_units"), "plan_id": ref("study_plans"), "figures": block(),
        "updated_on": PAST,
    },
}

STUDY_REQUIRED: dict[str, tuple[str, ...]] = {
    "study_plans": ("unit_id", "title"),
    "study_reports": ("unit_id", "plan_id"),
}


def plan_fits(values: Mapping[str, object]) -> str | None:
    """The field of a study plan (its values as they will be stored) that cannot be read:
    a quiz or survey that is not one (a quiz without a correct answer, a question with one
    choice …), a target naming no status, a documents list that is not one; or None."""
    try:
        quiz = values.get("quiz")
        if isinstance(quiz, str) and quiz.strip():
            study.quiz_from_json(quiz)
    except DomainError:
        return "quiz"
    try:
        survey = values.get("survey")
        if isinstance(survey, str) and survey.strip():
            study.survey_from_json(survey)
    except DomainError:
        return "survey"
    try:
        study_plan.target_from_fields(str(values.get("audience") or "all"),
                                      str(values.get("statuses") or ""))
    except DomainError:
        return "statuses"
    try:
        study_plan.documents_from_field(str(values.get("documents") or ""))
    except DomainError:
        return "documents"
    return None


def report_fits(values: Mapping[str, object], plan: Mapping[str, object] | None) -> bool:
    """Could a report's ``figures`` be true of its plan (``plan``: the plan's values, None
    when unknown: then only their form is checked)?"""
    try:
        figures = study_figures.from_json(str(values.get("figures") or ""))
        quiz = survey = None
        named = False
        if plan is not None:
            q, s = str(plan.get("quiz") or ""), str(plan.get("survey") or "")
            quiz = study.quiz_from_json(q) if q.strip() else None
            survey = study.survey_from_json(s) if s.strip() else None
            named = study_figures.names_go_up(plan.get("kind"), plan.get("audience"))
        if plan is not None:
            study_figures.check(figures, quiz, survey, named_allowed=named)
    except (study_figures.FiguresError, DomainError):
        return False
    return True
