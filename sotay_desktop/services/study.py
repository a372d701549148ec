"""Study plans at the branch (issue 21): the branch's own plan, or a paper plan from above
typed here (``origin`` "from_above", version 0: the branch's record, sent up like any
other), edited and removed (undoable, ``study_undo``). A plan the level above published
comes down with the sync and is read-only here (``study_rows.read_only``; the province
refuses an edit too): every write refuses it in words.

Every write ends with ``study_report.keep_in_step`` in the same transaction. Quizzes are in
``study_quiz``, surveys in ``study_survey``, sessions in ``study_sessions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import study_rules
from sotay_core.domain.entities import DocumentOrigin, MemberStatus
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.study import Audience, PlanKind
from sotay_core.domain.study_plan import documents_to_field, target_from_fields
from sotay_core.domain.text import clean_block, clean_line
from sotay_desktop.db.study_tables import StudyPlanRow
from sotay_desktop.db.tables import DocumentRow
from sotay_desktop.services.candidates_edit import check_values
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update, record_change
from sotay_desktop.services.study_report import keep_in_step
from sotay_desktop.services.study_rows import (
    STUDY_CHANGES,
    note_branch_plan,
    plan_row,
    read_only,
)
from sotay_desktop.services.study_undo import remember
from sotay_desktop.services.sync.rows import row_fields
from sotay_desktop.services.undo import mark_deleted

EDITABLE = ("title", "kind", "from_above", "number", "issuer", "issued_on", "starts_on",
            "due_on", "documents", "audience", "statuses", "points", "note")


def writable_plan(session: Session, plan_id: str) -> StudyPlanRow:
    """A live plan this branch may change; the level above's is refused, named."""
    row = plan_row(session, plan_id)
    if read_only(session, row):
        raise ValidationError("study_app.read_only", title=row.title)
    return row


def _day(name: str, value: Any, today: dt.date, *, future: bool = True) -> dt.date | None:
    return clean_date_field(name, value, today=dt.date.max if future else today)


def _choice(kind: type[Any], value: Any, name: str) -> Any:
    try:
        return kind(value.value if hasattr(value, "value") else str(value))
    except ValueError:
        raise ValidationError("study_app.bad_choice", field=name, value=str(value)) from None


def _statuses(value: Iterable[MemberStatus | str] | str) -> str:
    items = value.split() if isinstance(value, str) else list(value)
    return " ".join(dict.fromkeys(_choice(MemberStatus, s, "statuses").value for s in items))


def _documents(session: Session, ids: Iterable[str] | str) -> str:
    wanted = [ids] if isinstance(ids, str) else [str(i) for i in ids]
    wanted = [i for i in dict.fromkeys(w.strip() for w in wanted) if i]
    known = set(session.scalars(select(DocumentRow.id).where(
        DocumentRow.id.in_(wanted), DocumentRow.deleted.is_(False)))) if wanted else set()
    for doc in wanted:
        if doc not in known:
            raise ValidationError("study_app.no_document", field="documents", value=doc)
    return documents_to_field(wanted)


def _points(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError("study.points_out_of_range", field="points") from None
    if not 0 <= number <= 1000:
        raise ValidationError("study.points_out_of_range", field="points")
    return number


def clean_plan(session: Session, fields: Mapping[str, Any], *, today: dt.date
               ) -> dict[str, Any]:
    """The plan's stored values from what was typed; refused in words, nothing written."""
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValidationError("study_app.bad_field", value=name)
        if name in ("title", "number", "issuer"):
            clean[name] = clean_line(str(value or ""))
        elif name == "note":
            clean[name] = clean_block(str(value or ""))
        elif name == "kind":
            clean[name] = _choice(PlanKind, value, name).value
        elif name == "from_above":
            clean["origin"] = (DocumentOrigin.FROM_ABOVE if value else DocumentOrigin.OWN).value
        elif name == "issued_on":
            clean[name] = _day(name, value, today, future=False)
        elif name in ("starts_on", "due_on"):
            clean[name] = _day(name, value, today)
        elif name == "documents":
            clean[name] = _documents(session, value or ())
        elif name == "audience":
            clean[name] = _choice(Audience, value, name).value
        elif name == "statuses":
            clean[name] = _statuses(value or ())
        elif name == "points":
            clean[name] = _points(value)
    if "title" in clean and not clean["title"]:
        raise ValidationError("study_app.title_needed", field="title")
    return clean


def _check(row_values: Mapping[str, Any], *, today: dt.date) -> None:
    target_from_fields(str(row_values.get("audience") or "all"),
                       str(row_values.get("statuses") or ""))
    starts, due = row_values.get("starts_on"), row_values.get("due_on")
    if starts is not None and due is not None and due < starts:
        raise ValidationError("study_app.due_before_start", field="due_on")
    texts = {k: v for k, v in row_values.items()
             if k in ("title", "number", "issuer", "note", "issued_on") and v}
    check_values("study_plans", texts, today=today)
    wrong = study_rules.plan_fits(row_values)
    if wrong is not None:
        raise ValidationError("study_app.bad_value", field=wrong)


def add_plan(session: Session, *, unit_id: str, today: dt.date, title: str,
             kind: PlanKind | str = PlanKind.STUDY, from_above: bool = False, number: str = "",
             issuer: str = "", issued_on: dt.date | str | None = None,
             starts_on: dt.date | str | None = None, due_on: dt.date | str | None = None,
             documents: Iterable[str] = (), audience: Audience | str = Audience.ALL,
             statuses: Iterable[MemberStatus | str] | str = (), points: int | None = None,
             note: str = "") -> tuple[str, Changes]:
    """The branch's own plan, or a paper plan from above typed here (its record)."""
    values = clean_plan(session, {
        "title": title, "kind": kind, "from_above": from_above, "number": number,
        "issuer": issuer, "issued_on": issued_on, "starts_on": starts_on, "due_on": due_on,
        "documents": documents, "audience": audience, "statuses": statuses, "points": points,
        "note": note}, today=today)
    values.setdefault("title", "")
    _check(values, today=today)
    row = StudyPlanRow(id=new_id(), unit_id=unit_id, quiz="", survey="", **values)
    session.add(row)
    session.flush()
    note_branch_plan(session, row.id)
    record_change(session, entity="study_plans", row_id=row.id, op="create", base_version=0,
                  fields=row_fields("study_plans", row))
    keep_in_step(session, unit_id=unit_id, plan_id=row.id, today=today)
    return row.id, STUDY_CHANGES


def edit_plan(session: Session, *, unit_id: str, plan_id: str, today: dt.date,
              fields: Mapping[str, Any]) -> Changes:
    row = writable_plan(session, plan_id)
    values = clean_plan(session, fields, today=today)
    current = {name: getattr(row, name) for name in
               ("title", "kind", "origin", "number", "issuer", "issued_on", "starts_on",
                "due_on", "documents", "audience", "statuses", "quiz", "survey", "points",
                "note")}
    if "audience" in values and values["audience"] != Audience.STATUSES.value:
        values.setdefault("statuses", "")
    _check(current | values, today=today)
    apply_update(session, entity="study_plans", row=row, values=values)
    keep_in_step(session, unit_id=unit_id, plan_id=plan_id, today=today)
    return STUDY_CHANGES


def set_plan_field(session: Session, *, unit_id: str, plan_id: str, today: dt.date,
                   name: str, value: str) -> Changes:
    """The plan's quiz or survey (JSON already checked by the caller)."""
    row = writable_plan(session, plan_id)
    apply_update(session, entity="study_plans", row=row, values={name: value})
    keep_in_step(session, unit_id=unit_id, plan_id=plan_id, today=today)
    return STUDY_CHANGES


def remove_plan(session: Session, *, unit_id: str, plan_id: str, today: dt.date) -> Changes:
    """The plan and its report removed (a synced marker; what never left the PC is taken
    back from the outbox); its sessions and sheets stay, shown again on undo."""
    row = writable_plan(session, plan_id)
    mark_deleted(session, "study_plans", row, True)
    session.flush()
    keep_in_step(session, unit_id=unit_id, plan_id=plan_id, today=today)
    remember(session, kind="plan", plan_id=plan_id, rows=[("study_plans", plan_id)],
             label=row.title)
    return STUDY_CHANGES
