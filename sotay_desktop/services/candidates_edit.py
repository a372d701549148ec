"""Writing a candidate's own record: add one (an outstanding citizen the branch is helping
towards admission), correct the details, choose the two sponsors from the roster, stop the
path or take it up again. Each write is checked by the core's rules and goes through
``recording`` (outbox + audit) in the caller's transaction. The steps are in
``candidates_steps``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import admission, record_rules
from sotay_core.domain.admission import AdmissionRules, CandidateStatus, Step
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field, clean_member_input
from sotay_core.domain.text import clean_block, fold
from sotay_desktop.db.tables import MemberEventRow, MemberRow, OutboxRow
from sotay_desktop.db.year_tables import CandidateRow
from sotay_desktop.services import audit
from sotay_desktop.services.candidates import (
    CANDIDATE_TABLES,
    live_candidate,
    member_events,
    status_of,
    steps_of,
)
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update, record_change

CANDIDATE_CHANGES = Changes.of(*CANDIDATE_TABLES)
FIELDS = ("full_name", "gender", "date_of_birth", "residence", "occupation", "phone", "note",
          "over_limit_approved")
# The candidate's fields checked as a member's (the same words, limits and refusals).
_AS_MEMBER = {"full_name": "full_name", "gender": "gender", "date_of_birth": "date_of_birth",
              "residence": "residence", "occupation": "occupation_now", "phone": "phone"}


def clean_candidate(data: Mapping[str, Any], *, today: dt.date,
                    creating: bool) -> dict[str, Any]:
    for name in data:
        if name not in FIELDS:
            raise ValidationError("unknown_field", field=name)
    as_member = {_AS_MEMBER[k]: v for k, v in data.items() if k in _AS_MEMBER}
    if creating:
        as_member.setdefault("full_name", "")
    checked = clean_member_input(as_member, today=today, creating=False)
    if creating and not checked.get("full_name"):
        raise ValidationError("required", field="full_name")
    back = {member: candidate for candidate, member in _AS_MEMBER.items()}
    clean: dict[str, Any] = {back[k]: v for k, v in checked.items()}
    if "gender" in clean and clean["gender"] is not None:
        clean["gender"] = clean["gender"].value
    for name in ("residence", "occupation", "phone"):
        if name in clean:
            clean[name] = clean[name] or ""
    if "note" in data:
        clean["note"] = clean_block(str(data["note"] or ""))
    if "over_limit_approved" in data:
        clean["over_limit_approved"] = bool(data["over_limit_approved"])
    check_values("candidates", {k: v for k, v in clean.items() if k != "over_limit_approved"},
                 today=today)
    return clean


def check_values(entity: str, values: Mapping[str, Any], *, today: dt.date) -> None:
    """The values any stored row obeys (``record_rules``, the server's own rules), refused
    in words before anything is written: text too long, a date out of range …"""
    for name, value in values.items():
        limit = record_rules.rule(entity, name).max_length
        if isinstance(value, str) and limit and len(value) > limit:
            raise ValidationError("admission_app.too_long", field=name, count=len(value),
                                  limit=limit)
    try:
        record_rules.check_fields(entity, values, today=today)
    except record_rules.RecordError as exc:
        raise ValidationError("admission_app.bad_value", field=exc.field,
                              rule=exc.code) from None


def add_candidate(session: Session, *, unit_id: str, data: Mapping[str, Any],
                  today: dt.date) -> tuple[str, Changes]:
    """A new candidate (status active, no step yet). The same person twice (same name and
    birthday, still on the path) is refused."""
    clean = clean_candidate(data, today=today, creating=True)
    wanted = fold(clean["full_name"])
    for other in session.scalars(select(CandidateRow).where(
            CandidateRow.unit_id == unit_id, CandidateRow.deleted.is_(False))):
        if (fold(other.full_name) == wanted and other.date_of_birth == clean.get("date_of_birth")
                and status_of(other) is not CandidateStatus.STOPPED):
            raise ValidationError("admission_app.duplicate", field="full_name",
                                  name=other.full_name)
    values = {"unit_id": unit_id, "gender": None, "date_of_birth": None, "residence": "",
              "occupation": "", "phone": "", "note": "", "over_limit_approved": False,
              "status": CandidateStatus.ACTIVE.value, **clean}
    row = CandidateRow(id=new_id(), **values)
    session.add(row)
    session.flush()
    record_change(session, entity="candidates", row_id=row.id, op="create", base_version=0,
                  fields=values)
    return row.id, CANDIDATE_CHANGES


def update_candidate(session: Session, *, candidate_id: str, data: Mapping[str, Any],
                     today: dt.date) -> Changes:
    row = live_candidate(session, candidate_id)
    clean = clean_candidate(data, today=today, creating=False)
    changed = update_row(session, entity="candidates", row=row, values=clean)
    return CANDIDATE_CHANGES if changed else Changes()


def update_row(session: Session, *, entity: str, row: Any, values: dict[str, Any]) -> bool:
    """``recording.apply_update``, unless the row's creation still waits in the outbox: a
    create goes up carrying the row as it is when sent, so an update queued after it would
    meet its own later state at the province as a conflict. The audit row is written
    either way."""
    waiting = session.scalar(select(OutboxRow.mutation_id).where(
        OutboxRow.entity == entity, OutboxRow.row_id == row.id,
        OutboxRow.op.in_(("create", "add"))).limit(1))
    if waiting is None:
        return apply_update(session, entity=entity, row=row, values=values)
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    for key, value in values.items():
        setattr(row, key, value)
    if changed:
        audit.record(session, "change", entity=entity, row_id=row.id, detail=",".join(changed))
    return bool(changed)


def members_first(session: Session, row: CandidateRow) -> None:
    """A create goes up carrying its row as it is then (``sync.push``), and the province
    takes the outbox in order, without gaps. So a candidate not sent yet that names a member
    whose own creation waits behind it (the member its ceremony made, a sponsor added since)
    would be refused for an unknown reference. The data mutations from the candidate's
    creation on are put in the order member first: the same slots (no gap), the audit rows
    where they were, each row's own mutations in their order."""
    first = session.scalars(select(OutboxRow).where(
        OutboxRow.entity == "candidates", OutboxRow.row_id == row.id,
        OutboxRow.op == "create")).first()
    wanted = {m for m in (row.member_id, row.sponsor1_id, row.sponsor2_id) if m}
    if first is None or not wanted:
        return
    later = session.scalars(select(OutboxRow).where(
        OutboxRow.mutation_id >= first.mutation_id,
        OutboxRow.entity.not_in(("audit_log", "quarantine_reports")))
        .order_by(OutboxRow.mutation_id)).all()

    def of_member(mutation: OutboxRow) -> bool:
        if mutation.entity == "members":
            return mutation.row_id in wanted
        if mutation.entity == "member_events":
            event = session.get(MemberEventRow, mutation.row_id)
            return event is not None and event.member_id in wanted
        return False

    moved = [m for m in later if of_member(m)]
    if not moved:
        return
    order = moved + [m for m in later if not of_member(m)]
    contents = [(m.entity, m.row_id, m.op, m.base_version, m.fields, m.schema_version,
                 m.created_at) for m in order]
    for slot, content in zip(later, contents, strict=True):
        (slot.entity, slot.row_id, slot.op, slot.base_version, slot.fields,
         slot.schema_version, slot.created_at) = content
    session.flush()


def check_sponsors(session: Session, row: CandidateRow,
                   sponsors: Sequence[tuple[str, dt.date | None]], on: dt.date,
                   rules: AdmissionRules) -> None:
    """Each sponsor an official member of this branch's roster with the party age and the
    time together the rules ask, on ``on``; two different people; as many as needed."""
    seen: set[str] = set()
    for member_id, since in sponsors:
        member = session.get(MemberRow, member_id)
        name = member.full_name if member is not None else member_id
        if member is None or member.deleted or member.unit_id != row.unit_id:
            raise ValidationError("admission.sponsor_not_member", name=name,
                                  day=on.strftime("%d/%m/%Y"))
        if member_id in seen:
            raise ValidationError("admission_app.same_sponsor", name=name)
        seen.add(member_id)
        if since is not None and since > on:
            raise ValidationError("admission_app.since_after", name=name,
                                  since=since.strftime("%d/%m/%Y"), day=on.strftime("%d/%m/%Y"))
        admission.check_sponsor(name, member_events(session, member_id), on,
                                together_since=since, rules=rules)
    admission.check_sponsor_count(row.full_name, len(seen), rules)


def set_sponsors(session: Session, *, candidate_id: str,
                 sponsors: Sequence[tuple[str, dt.date | str | None]], on: dt.date | str | None,
                 today: dt.date, rules: AdmissionRules) -> Changes:
    """Choose the sponsors (each with the day they began working with the candidate),
    checked on ``on`` (today when not given). Refused once the sponsors' step is recorded:
    take that step back first."""
    row = live_candidate(session, candidate_id)
    if any(s.step is Step.SPONSORS for s in steps_of(session, candidate_id)):
        raise ValidationError("admission_app.sponsors_recorded", name=row.full_name)
    day = clean_date_field("date", on, today=today) if on else today
    assert day is not None
    chosen = [(member_id, clean_date_field("date", since, today=today) if since else None)
              for member_id, since in sponsors]
    if len(chosen) > 2:
        raise ValidationError("admission_app.too_many_sponsors", count=len(chosen))
    check_sponsors(session, row, chosen, day, rules)
    padded = [*chosen, (None, None), (None, None)]
    values = {"sponsor1_id": padded[0][0], "sponsor1_since": padded[0][1],
              "sponsor2_id": padded[1][0], "sponsor2_since": padded[1][1]}
    changed = update_row(session, entity="candidates", row=row, values=values)
    members_first(session, row)
    return CANDIDATE_CHANGES if changed else Changes()


def stop(session: Session, *, candidate_id: str, reason: str) -> Changes:
    """The path ends without admission (withdrawn, not proposed); kept, and can be resumed."""
    row = live_candidate(session, candidate_id)
    if status_of(row) is not CandidateStatus.ACTIVE:
        raise ValidationError("admission_app.cannot_stop", name=row.full_name)
    note = clean_block("\n".join(p for p in (row.note, reason.strip()) if p))
    update_row(session, entity="candidates", row=row,
                 values={"status": CandidateStatus.STOPPED.value, "note": note})
    return CANDIDATE_CHANGES


def resume(session: Session, *, candidate_id: str) -> Changes:
    row = live_candidate(session, candidate_id)
    if status_of(row) is not CandidateStatus.STOPPED:
        raise ValidationError("admission_app.not_stopped", name=row.full_name)
    update_row(session, entity="candidates", row=row,
                 values={"status": CandidateStatus.ACTIVE.value})
    return CANDIDATE_CHANGES
