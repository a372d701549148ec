"""Study sessions and who attended (issue 21): recorded, edited and removed at the branch,
attendance ticked by name or by the code scanned from the member's printed card (a USB
scanner types it like a keyboard). PC-only rows: each write leaves an audit row (the
row's own id and the field names, never a member's id) and no outbox mutation; the plan's
report (counts only) is kept in step in the same transaction.

A session may be held for any plan, the level above's too. A member is marked once per
session: a second scan of the same card changes nothing and says so (``already``). A card
of another branch, a code of no member here and a misread code are refused with the core's
words (``study_plan.find_member``); a member who had died or been removed by the session's
day cannot have attended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.lifecycle import fold_fitting
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.study_plan import documents_to_field, find_member
from sotay_core.domain.text import clean_block, clean_line
from sotay_desktop.db.study_tables import StudyAttendanceRow, StudySessionRow
from sotay_desktop.db.tables import DocumentRow, MemberRow
from sotay_desktop.services import members
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.study_report import keep_in_step
from sotay_desktop.services.study_rows import (
    STUDY_CHANGES,
    audit_local,
    plan_row,
    session_row,
)
from sotay_desktop.services.study_undo import remember, set_local_deleted

SESSION_KINDS = ("session", "makeup", "home")
HOWS = ("name", "scan")
_GONE = (MemberStatus.DECEASED, MemberStatus.REMOVED, MemberStatus.NONE)


@dataclass(frozen=True, slots=True)
class Marked:
    member_id: str
    name: str
    already: bool          # present already: nothing changed
    changes: Changes


def _clean(session: Session, fields: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "held_on":
            day = clean_date_field(name, value, today=today)
            if day is None:
                raise ValidationError("study_app.held_on_needed", field="held_on")
            clean[name] = day
        elif name == "kind":
            if str(value) not in SESSION_KINDS:
                raise ValidationError("study_app.bad_choice", field="kind", value=str(value))
            clean[name] = str(value)
        elif name == "place":
            clean[name] = clean_line(str(value or ""))
            if len(clean[name]) > 300:
                raise ValidationError("study_app.too_long", field="place",
                                      count=len(clean[name]), limit=300)
        elif name == "note":
            clean[name] = clean_block(str(value or ""))
        elif name == "documents":
            ids = [str(i).strip() for i in (value or ()) if str(i).strip()]
            known = set(session.scalars(select(DocumentRow.id).where(
                DocumentRow.id.in_(ids), DocumentRow.deleted.is_(False)))) if ids else set()
            for doc in ids:
                if doc not in known:
                    raise ValidationError("study_app.no_document", field="documents",
                                          value=doc)
            clean[name] = documents_to_field(ids)
        else:
            raise ValidationError("study_app.bad_field", value=name)
    return clean


def _member(session: Session, unit_id: str, member_id: str, on: dt.date) -> MemberRow:
    row = session.get(MemberRow, member_id)
    if row is None or row.deleted or row.unit_id != unit_id:
        raise ValidationError("study_app.no_member", value=member_id)
    status = fold_fitting(members.get_member(session, member_id).events, until=on).status
    if status in _GONE:
        raise ValidationError("study_app.cannot_attend", name=row.full_name,
                              day=on.strftime("%d/%m/%Y"))
    return row


def _mark(session: Session, *, unit_id: str, held: StudySessionRow, member_id: str,
          how: str) -> bool:
    """True when the member is newly marked present."""
    if how not in HOWS:
        raise ValidationError("study_app.bad_choice", field="how", value=how)
    _member(session, unit_id, member_id, held.held_on)
    row = session.scalars(select(StudyAttendanceRow).where(
        StudyAttendanceRow.session_id == held.id,
        StudyAttendanceRow.member_id == member_id)).first()
    if row is not None and not row.deleted:
        return False
    if row is None:
        row = StudyAttendanceRow(id=new_id(), session_id=held.id, member_id=member_id, how=how)
        session.add(row)
        session.flush()
        audit_local(session, "study_attendance", row.id, ["session_id", "member_id", "how"])
    else:
        row.how = how
        set_local_deleted(session, "study_attendance", row, False)
    return True


def record_session(session: Session, *, unit_id: str, plan_id: str, today: dt.date,
                   held_on: dt.date | str, kind: str = "session", place: str = "",
                   documents: Iterable[str] = (), member_ids: Iterable[str] = (),
                   note: str = "") -> tuple[str, Changes]:
    plan = plan_row(session, plan_id)
    values = _clean(session, {"held_on": held_on, "kind": kind, "place": place,
                              "documents": documents, "note": note}, today)
    row = StudySessionRow(id=new_id(), plan_id=plan.id, **values)
    session.add(row)
    session.flush()
    audit_local(session, "study_sessions", row.id, ["plan_id", *values])
    for member_id in dict.fromkeys(member_ids):
        _mark(session, unit_id=unit_id, held=row, member_id=member_id, how="name")
    keep_in_step(session, unit_id=unit_id, plan_id=plan.id, today=today)
    return row.id, STUDY_CHANGES


def edit_session(session: Session, *, unit_id: str, session_id: str, today: dt.date,
                 fields: Mapping[str, Any]) -> Changes:
    row = session_row(session, session_id)
    values = _clean(session, fields, today)
    changed = [k for k, v in values.items() if getattr(row, k) != v]
    for key in changed:
        setattr(row, key, values[key])
    if changed:
        session.flush()
        audit_local(session, "study_sessions", row.id, changed)
        keep_in_step(session, unit_id=unit_id, plan_id=row.plan_id, today=today)
    return STUDY_CHANGES


def remove_session(session: Session, *, unit_id: str, session_id: str,
                   today: dt.date) -> Changes:
    """The session no longer counts (its marks are kept, back on undo)."""
    row = session_row(session, session_id)
    set_local_deleted(session, "study_sessions", row, True)
    session.flush()
    keep_in_step(session, unit_id=unit_id, plan_id=row.plan_id, today=today)
    remember(session, kind="session", plan_id=row.plan_id,
             rows=[("study_sessions", row.id)], label=row.held_on.strftime("%d/%m/%Y"))
    return STUDY_CHANGES


def mark_present(session: Session, *, unit_id: str, session_id: str, member_id: str,
                 today: dt.date, how: str = "name") -> Marked:
    held = session_row(session, session_id)
    fresh = _mark(session, unit_id=unit_id, held=held, member_id=member_id, how=how)
    if fresh:
        session.flush()
        keep_in_step(session, unit_id=unit_id, plan_id=held.plan_id, today=today)
    name = session.get(MemberRow, member_id)
    return Marked(member_id, name.full_name if name else "", not fresh,
                  STUDY_CHANGES if fresh else Changes())


def unmark(session: Session, *, unit_id: str, session_id: str, member_id: str,
           today: dt.date) -> Changes:
    held = session_row(session, session_id)
    row = session.scalars(select(StudyAttendanceRow).where(
        StudyAttendanceRow.session_id == held.id, StudyAttendanceRow.member_id == member_id,
        StudyAttendanceRow.deleted.is_(False))).first()
    if row is None:
        return Changes()
    set_local_deleted(session, "study_attendance", row, True)
    session.flush()
    keep_in_step(session, unit_id=unit_id, plan_id=held.plan_id, today=today)
    person = session.get(MemberRow, member_id)
    remember(session, kind="attendance", plan_id=held.plan_id,
             rows=[("study_attendance", row.id)], label=person.full_name if person else "")
    return STUDY_CHANGES


def member_by_code(session: Session, *, unit_id: str, code: str) -> str:
    """The branch's member a scanned or typed card code names (the core's refusals)."""
    ids = session.scalars(select(MemberRow.id).where(
        MemberRow.unit_id == unit_id, MemberRow.deleted.is_(False))).all()
    return find_member(code, unit_id, ids)


def scan(session: Session, *, unit_id: str, session_id: str, code: str,
         today: dt.date) -> Marked:
    session_row(session, session_id)
    member_id = member_by_code(session, unit_id=unit_id, code=code)
    return mark_present(session, unit_id=unit_id, session_id=session_id, member_id=member_id,
                        today=today, how="scan")
