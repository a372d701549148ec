"""Publishing a study plan down to the branches (issue 21), the way ``admin.publish`` sends a
document: one province-owned ``study_plans`` record (the same id) in the scope of every
branch below the unit it is addressed to, read-only on the branch's PCs (the server refuses
their edits: ``sync_read_only``); and a ``study_publications`` row saying what went where.
Editing (a later deadline, a corrected title) and withdrawing rewrite every copy.

What to study, who, by when, and optionally a quiz (the text form of
``study.parse_quiz_text``, or its JSON) and a survey (``study_survey_text.parse_survey_text``,
or its JSON): refused with the core's words (a quiz without a correct answer names the question).
The documents to study must already be published to every branch the plan goes to.
Used by the pages (``routers/province_study``) and ``sotay-server study``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import study, study_plan, study_rules, study_survey_text
from sotay_core.domain.errors import DomainError
from sotay_core.domain.ids import new_id
from sotay_core.i18n import t
from sync_server import admin, records
from sync_server.admin import AdminError
from sync_server.models import Record, StudyPublication, Unit, utcnow
from sync_server.records import stamp

# What a form or a command may hand in: the quiz's or survey's text; beyond it the text is
# refused before it is read (its JSON must fit the plan's field, ``field_rules.MAX_BLOCK``).
MAX_TEXT = 200_000
MAX_DOCUMENTS = 50


@dataclass(frozen=True)
class PlanPublished:
    plan_id: str
    branches: int


def parse_day(text: str, field: str, *, required: bool = False) -> dt.date | None:
    """A day typed as ``31/12/2026`` or ``2026-12-31``; ``field``: the i18n key of its
    label (``server_field.*``, named in the refusal)."""
    value = text.strip()
    if not value:
        if required:
            raise AdminError("server_study_day_required", field=t(field))
        return None
    try:
        if "/" in value:
            day, month, year = (int(p) for p in value.split("/"))
            found = dt.date(year, month, day)
        else:
            found = dt.date.fromisoformat(value)
    except ValueError:
        raise AdminError("server_study_bad_day", field=t(field), value=value[:20]) from None
    if not dt.date(1930, 1, 1) <= found <= dt.date(2100, 12, 31):
        raise AdminError("server_study_bad_day", field=t(field), value=value[:20])
    return found


def _core(exc: DomainError) -> AdminError:
    """The core's refusal, in its own words."""
    return AdminError(exc.code, **dict(exc.params))


def quiz_json(text: str, pass_percent: int = 50) -> str:
    """The quiz a form or command gives, as the plan carries it ("" for none)."""
    if len(text) > MAX_TEXT:
        raise AdminError("server_study_text_too_long", field=t("server_field.quiz"),
                         most=MAX_TEXT)
    if not text.strip():
        return ""
    try:
        quiz = (study.quiz_from_json(text) if text.lstrip().startswith("{")
                else study.parse_quiz_text(text, pass_percent))
    except DomainError as exc:
        raise _core(exc) from None
    return study.quiz_to_json(quiz)


def survey_json(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise AdminError("server_study_text_too_long", field=t("server_field.survey"),
                         most=MAX_TEXT)
    if not text.strip():
        return ""
    try:
        survey = (study.survey_from_json(text) if text.lstrip().startswith("{")
                  else study_survey_text.parse_survey_text(text))
    except DomainError as exc:
        raise _core(exc) from None
    return study.survey_to_json(survey)


def _check_documents(session: Session, targets: Sequence[Unit], ids: Sequence[str]
                     ) -> list[str]:
    """The documents, each published (province-owned, live) to every target branch."""
    wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    if len(wanted) > MAX_DOCUMENTS:
        raise AdminError("server_study_too_many_documents", most=MAX_DOCUMENTS)
    scopes = [u.id for u in targets]
    for doc_id in wanted:
        if len(doc_id) > 36:
            raise AdminError("server_study_document_missing", id=doc_id[:40],
                             branch=targets[0].name, n=len(targets))
        held: set[str] = set()
        for i in range(0, len(scopes), 500):
            held.update(session.scalars(select(Record.scope_id).where(
                Record.scope_id.in_(scopes[i:i + 500]), Record.entity == "documents",
                Record.id == doc_id, Record.province_owned.is_(True),
                Record.deleted.is_(False))))
        lacking = [u for u in targets if u.id not in held]
        if lacking:
            raise AdminError("server_study_document_missing", id=doc_id,
                             branch=lacking[0].name, n=len(lacking))
    return wanted


def _target(audience: str, statuses: Sequence[str]) -> tuple[str, str]:
    try:
        target = study_plan.target_from_fields(audience.strip() or "all",
                                               " ".join(s.strip() for s in statuses))
    except DomainError as exc:
        raise _core(exc) from None
    return target.audience.value, " ".join(s.value for s in target.statuses)


def _kind(kind: str) -> str:
    try:
        return study.PlanKind(kind.strip() or "study").value
    except ValueError:
        raise AdminError("server_study_bad_kind", value=kind[:20],
                         choices=", ".join(k.value for k in study.PlanKind)) from None


def _dates(issued_on: dt.date, starts_on: dt.date | None, due_on: dt.date) -> None:
    if starts_on is not None and due_on < starts_on:
        raise AdminError("server_study_due_before_start", due=f"{due_on:%d/%m/%Y}",
                         start=f"{starts_on:%d/%m/%Y}")
    if due_on < issued_on:
        raise AdminError("server_study_due_before_issue", due=f"{due_on:%d/%m/%Y}",
                         issued=f"{issued_on:%d/%m/%Y}")


def _check(values: dict[str, Any]) -> None:
    admin._keep_rules("study_plans", values)
    field = study_rules.plan_fits(values)
    if field is not None:   # parsed above; a JSON form that is not the plan's
        raise AdminError("server_study_unreadable", field=field)


def publish_plan(session: Session, *, to_unit: str, title: str, due_on: dt.date,
                 number: str = "", issuer_id: str | None = None,
                 issued_on: dt.date | None = None, starts_on: dt.date | None = None,
                 document_ids: Sequence[str] = (), audience: str = "all",
                 statuses: Sequence[str] = (), kind: str = "study", quiz: str = "",
                 survey: str = "", pass_percent: int = 50, points: int | None = None,
                 note: str = "", actor: str = "admin") -> PlanPublished:
    """One read-only copy of the plan for every branch below ``to_unit`` (the unit itself,
    if a branch); ``issuer_id``: the unit sending it (the staff member's own)."""
    source = session.get(Unit, to_unit)
    if source is None:
        raise AdminError("server_unit_not_found", id=to_unit)
    targets = [source] if source.level == "branch" else admin.branches_under(session, to_unit)
    if not targets:
        raise AdminError("server_no_branches", id=to_unit)
    issuer = session.get(Unit, issuer_id) if issuer_id else source
    if issuer is None:
        raise AdminError("server_unit_not_found", id=str(issuer_id))
    clean_title = admin.clean_line(title, "server_field.title")
    if not clean_title:
        raise AdminError("server_study_title_required")
    if not 0 <= pass_percent <= 100:
        raise AdminError("study.pass_percent")
    if points is not None and not 0 <= points <= 1000:
        raise AdminError("study.points_range")
    issued = issued_on or (utcnow() + dt.timedelta(hours=7)).date()   # Vietnam's day
    _dates(issued, starts_on, due_on)
    aim, chosen = _target(audience, statuses)
    values: dict[str, Any] = {
        "origin": "from_above", "kind": _kind(kind), "title": clean_title,
        "number": admin.clean_line(number, "server_field.number"), "issuer": issuer.name,
        "issued_on": issued.isoformat(),
        "starts_on": starts_on.isoformat() if starts_on else None,
        "due_on": due_on.isoformat(), "audience": aim, "statuses": chosen,
        "quiz": quiz_json(quiz, pass_percent), "survey": survey_json(survey),
        "points": points, "note": admin.clean_block(note, "server_field.study_note"),
    }
    values["documents"] = study_plan.documents_to_field(
        _check_documents(session, targets, document_ids))
    _check(values | {"unit_id": targets[0].id})
    plan_id = new_id()
    records.put_copies(session, entity="study_plans", row_id=plan_id, by=issuer.name,
                       copies={u.id: values | {"unit_id": u.id} for u in targets})
    session.add(StudyPublication(
        id=plan_id, to_unit=source.id, to_path=source.path, issuer_unit=issuer.id,
        kind=values["kind"], title=clean_title[:500], number=values["number"][:60],
        due_on=due_on, branches=len(targets), published_by=actor[:120]))
    admin.log_action(session, actor, "study_publish", plan=plan_id, to=to_unit,
                     branches=len(targets), title=clean_title[:200])
    return PlanPublished(plan_id, len(targets))


def publication(session: Session, plan_id: str, within: Unit | None = None
                ) -> StudyPublication:
    """The plan as published; ``within``: the staff member's unit, who may change only a
    plan addressed inside their own area."""
    pub = session.get(StudyPublication, plan_id[:36])
    if pub is None or (within is not None and not pub.to_path.startswith(within.path)):
        raise AdminError("server_study_not_found", id=plan_id[:40])
    return pub


def _copies(session: Session, pub: StudyPublication) -> list[Record]:
    scopes = list(session.scalars(select(Unit.id).where(
        Unit.path.startswith(pub.to_path, autoescape=True), Unit.level == "branch")))
    found: list[Record] = []
    for i in range(0, len(scopes), 500):
        found += session.scalars(select(Record).where(
            Record.scope_id.in_(scopes[i:i + 500]), Record.entity == "study_plans",
            Record.id == pub.id, Record.province_owned.is_(True)).with_for_update())
    return found


EDITABLE = ("title", "number", "starts_on", "due_on", "points", "note")


def edit_plan(session: Session, *, plan_id: str, changes: dict[str, Any],
              within: Unit | None = None, actor: str = "admin") -> int:
    """Change a published plan's title, number, start, deadline, points or note on every
    copy (the quiz, survey, documents and audience stay: branches may have studied and
    answered them already). Returns the copies rewritten."""
    pub = publication(session, plan_id, within)
    if pub.withdrawn_at is not None:
        raise AdminError("server_study_withdrawn", title=pub.title)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise AdminError("server_study_not_editable", field=", ".join(unknown))
    copies = [r for r in _copies(session, pub) if not r.deleted]
    if not copies:
        raise AdminError("server_study_not_found", id=plan_id[:40])
    current = json.loads(copies[0].data)
    new: dict[str, Any] = {}
    if "title" in changes:
        new["title"] = admin.clean_line(str(changes["title"]), "server_field.title")
        if not new["title"]:
            raise AdminError("server_study_title_required")
    if "number" in changes:
        new["number"] = admin.clean_line(str(changes["number"]), "server_field.number")
    if "note" in changes:
        new["note"] = admin.clean_block(str(changes["note"]), "server_field.study_note")
    for name in ("starts_on", "due_on"):
        if name in changes:
            day = changes[name]
            new[name] = day.isoformat() if isinstance(day, dt.date) else None
    if "points" in changes:
        points = changes["points"]
        if points is not None and not (isinstance(points, int) and 0 <= points <= 1000):
            raise AdminError("study.points_range")
        new["points"] = points
    values = current | new
    due = dt.date.fromisoformat(values["due_on"]) if values.get("due_on") else None
    if due is None:
        raise AdminError("server_study_day_required", field=t("server_field.due_on"))
    starts = dt.date.fromisoformat(values["starts_on"]) if values.get("starts_on") else None
    _dates(dt.date.fromisoformat(values["issued_on"]), starts, due)
    _check(values)
    for rec in copies:
        stamp(session, rec, json.loads(rec.data) | new, by=actor)
    pub.title, pub.number, pub.due_on = values["title"][:500], values["number"][:60], due
    admin.log_action(session, actor, "study_edit", plan=pub.id, fields=sorted(new),
                     copies=len(copies))
    return len(copies)


def withdraw_plan(session: Session, *, plan_id: str, within: Unit | None = None,
                  actor: str = "admin") -> int:
    """Withdraw a published plan: every copy deleted (the branches' PCs drop it at their
    next sync; their reports stay, and so do the figures they sent)."""
    pub = publication(session, plan_id, within)
    if pub.withdrawn_at is not None:
        raise AdminError("server_study_withdrawn", title=pub.title)
    copies = [r for r in _copies(session, pub) if not r.deleted]
    for rec in copies:
        rec.deleted = True
        stamp(session, rec, json.loads(rec.data), by=actor)
    pub.withdrawn_at = utcnow()
    admin.log_action(session, actor, "study_withdraw", plan=pub.id, copies=len(copies))
    return len(copies)
