"""What syncs: each entity, its fields and their wire types, and who may write it.

Both sides validate against this table: the server refuses a mutation naming an
unknown entity or field or carrying a value of the wrong type; the client
converts pulled values back to column types with ``to_column``. Derived
columns (a member's search and sort keys, status, admission dates) never travel:
each side computes them. ``tests/test_sync_protocol.py`` checks this table
against the desktop's tables, so a new column cannot be forgotten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

FieldType = Literal["str", "int", "bool", "date", "id"]


@dataclass(frozen=True)
class EntitySpec:
    name: str
    fields: dict[str, FieldType]
    nullable: frozenset[str] = frozenset()
    # Add-only: after creation only ``deleted`` may change (events, comments).
    add_only: bool = False
    # Written by the province only (the branch's own unit row, conflict records).
    branch_writable: bool = True
    # A second live row with the same values here is the same thing (merged on the server).
    natural_key: tuple[str, ...] = ()
    # Wire-only fields: travel with the record but are not columns of the entity's table.
    wire_only: frozenset[str] = field(default_factory=frozenset)
    # May a row be deleted once written? Not the audit log: a deletion would be a hole in
    # the chain on every PC.
    deletable: bool = True


def _spec(name: str, nullable: str = "", **kwargs: Any) -> EntitySpec:
    fields = kwargs.pop("fields")
    return EntitySpec(name, fields, frozenset(nullable.split()), **kwargs)


_MEMBER_TEXT = (
    "full_name birth_name alias place_of_birth hometown residence ethnicity religion "
    "education_general education_professional political_theory languages occupation_before "
    "occupation_now card_number record_number badge_numbers service_background phone notes"
).split()

ENTITIES: dict[str, EntitySpec] = {
    s.name: s
    for s in (
        _spec("org_units", "parent_id", branch_writable=False, fields={
            "level": "str", "name": "str", "parent_id": "id", "symbol": "str",
            "is_grassroots": "bool", "has_chi_uy": "bool", "former_names": "str"}),
        _spec("committee_terms", "ends_on secretary_id", fields={
            "unit_id": "id", "starts_on": "date", "ends_on": "date", "secretary_id": "id"}),
        _spec("members", "gender date_of_birth", fields={
            "unit_id": "id", "gender": "str", "date_of_birth": "date",
            **{name: "str" for name in _MEMBER_TEXT}}),
        _spec("member_events", add_only=True, fields={
            "member_id": "id", "kind": "str", "date": "date", "decision": "str",
            "place": "str", "detail": "str", "seq": "int"}),
        _spec("documents", "issued_on file_sha256 file_size",
              wire_only=frozenset({"file_size", "file_mime"}), fields={
                  "unit_id": "id", "origin": "str", "doc_type": "str", "number": "str",
                  "issued_on": "date", "issuer": "str", "title": "str", "summary": "str",
                  "tags": "str", "file_sha256": "str", "file_name": "str",
                  "body_text": "str", "file_size": "int", "file_mime": "str"}),
        _spec("bookmarks", fields={"document_id": "id", "note": "str"}),
        _spec("meetings", "chair_id recorder_id", fields={
            "unit_id": "id", "kind": "str", "title": "str", "date": "date",
            "starts_at": "str", "ends_at": "str", "place": "str", "chair_id": "id",
            "recorder_id": "id", "guests": "str", "agenda": "str"}),
        _spec("attendance", natural_key=("meeting_id", "member_id"), fields={
            "meeting_id": "id", "member_id": "id", "status": "str", "reason": "str"}),
        _spec("minutes", "votes_for votes_against", natural_key=("meeting_id",), fields={
            "meeting_id": "id", "body": "str", "conclusion": "str", "votes_for": "int",
            "votes_against": "int", "adopted": "bool"}),
        _spec("resolutions", "meeting_id issued_on votes_for votes_against voting_base",
              fields={
                  "unit_id": "id", "meeting_id": "id", "number": "str", "title": "str",
                  "body": "str", "status": "str", "issued_on": "date", "votes_for": "int",
                  "votes_against": "int", "voting_base": "int"}),
        _spec("tasks", "resolution_id responsible_id due_on done_on", fields={
            "resolution_id": "id", "description": "str", "responsible_id": "id",
            "responsible_text": "str", "due_on": "date", "done": "bool", "status": "str",
            "notes": "str", "done_on": "date"}),
        # The secretary's month (issue 19): the dues book, the meeting's score, the report.
        _spec("dues_rates", natural_key=("valid_from",), fields={
            "valid_from": "date", "name": "str", "salary_percent": "str",
            "pension_percent": "str", "student_amount": "int", "other_default": "int",
            "other_min": "int", "other_max": "int", "retention_percent": "str",
            "note": "str"}),
        _spec("dues_bases", natural_key=("member_id", "valid_from"), fields={
            "member_id": "id", "valid_from": "date", "category": "str", "amount": "int",
            "note": "str"}),
        _spec("dues_exemptions", "ends_on", fields={
            "member_id": "id", "kind": "str", "starts_on": "date", "ends_on": "date",
            "percent": "int", "decision": "str", "note": "str"}),
        # Two PCs recording one member's month meet on the natural key: a conflict on the
        # server, never two payments.
        _spec("dues_payments", natural_key=("member_id", "month"), fields={
            "member_id": "id", "month": "str", "amount": "int", "paid_on": "date",
            "channel": "str", "receipt": "str", "note": "str"}),
        _spec("meeting_scores", natural_key=("meeting_id",), fields={
            "meeting_id": "id", "scheme": "str", "items": "str", "total": "int",
            "grade": "str", "note": "str"}),
        _spec("monthly_reports", "sent_on", natural_key=("unit_id", "month"), fields={
            "unit_id": "id", "month": "str", "figures": "str", "remarks": "str",
            "status": "str", "sent_on": "date"}),
        # The secretary's year (issue 20): the review, the candidates, the transfer letters.
        _spec("review_campaigns", "held_on", natural_key=("unit_id", "year", "period"),
              fields={
                  "unit_id": "id", "year": "int", "period": "str", "scheme": "str",
                  "status": "str", "meeting_id": "id", "held_on": "date", "note": "str"}),
        # The branch's own entry has no member: its key is "campaign|None".
        _spec("review_entries", natural_key=("campaign_id", "member_id"), fields={
            "campaign_id": "id", "member_id": "id", "facts": "str", "self_points": "str",
            "self_grade": "str", "self_text": "str", "scores": "str", "points": "str",
            "grade": "str", "disciplined": "bool", "tasks_on_time": "bool",
            "comments": "str", "votes_yes": "int", "votes_no": "int",
            "votes_abstain": "int", "votes_invalid": "int", "voting_base": "int",
            "secret": "bool"}),
        # The level above decides: written by the province server only, pulled down.
        _spec("review_decisions", branch_writable=False, natural_key=("entry_id",), fields={
            "entry_id": "id", "campaign_id": "id", "member_id": "id", "grade": "str",
            "number": "str", "decided_on": "date", "issuer": "str", "note": "str"}),
        _spec("candidates", "gender date_of_birth sponsor1_since sponsor2_since", fields={
            "unit_id": "id", "full_name": "str", "gender": "str", "date_of_birth": "date",
            "residence": "str", "occupation": "str", "phone": "str", "status": "str",
            "over_limit_approved": "bool", "sponsor1_id": "id", "sponsor1_since": "date",
            "sponsor2_id": "id", "sponsor2_since": "date", "member_id": "id",
            "note": "str"}),
        _spec("candidate_steps", "votes_for votes_against voting_base",
              natural_key=("candidate_id", "step"), fields={
                  "candidate_id": "id", "step": "str", "done_on": "date", "number": "str",
                  "issuer": "str", "detail": "str", "votes_for": "int",
                  "votes_against": "int", "voting_base": "int"}),
        _spec("transfers", "presented_on", fields={
            "member_id": "id", "direction": "str", "kind": "str", "number": "str",
            "issued_on": "date", "valid_until": "date", "from_place": "str",
            "to_place": "str", "dues_paid_to": "str", "presented_on": "date",
            "event_id": "id", "note": "str"}),
        # Political study (issue 21): a plan (from above, read-only here, or the branch's
        # own) and the branch's counts on it. Who studied stays at the branch.
        _spec("study_plans", "issued_on starts_on due_on points", fields={
            "unit_id": "id", "origin": "str", "kind": "str", "title": "str", "number": "str",
            "issuer": "str", "issued_on": "date", "starts_on": "date", "due_on": "date",
            "documents": "str", "audience": "str", "statuses": "str", "quiz": "str",
            "survey": "str", "points": "int", "note": "str"}),
        _spec("study_reports", "updated_on", natural_key=("plan_id",), fields={
            "unit_id": "id", "plan_id": "id", "figures": "str", "updated_on": "date"}),
        _spec("comments", "author_member_id", add_only=True, fields={
            "target_type": "str", "target_id": "id", "author_member_id": "id",
            "author_text": "str", "body": "str"}),
        _spec("audit_log", add_only=True, deletable=False, fields={
            "pc": "str", "seq": "int", "at": "str", "actor": "str", "action": "str",
            "entity": "str", "row_id": "str", "detail": "str", "prev_hash": "str",
            "hash": "str"}),
        # Made by the server when two edits of one field meet; resolved by a "resolve" mutation.
        _spec("conflicts", "resolved_at", branch_writable=False, fields={
            "entity": "str", "row_id": "id", "field": "str", "base_value": "str",
            "current_value": "str", "proposed_value": "str", "proposed_by": "str",
            "proposed_device": "str", "current_by": "str", "made_at": "str",
            "status": "str", "resolution": "str", "resolved_at": "str"}),
    )
}

# Creation order: a parent before the rows that refer to it (initial upload, bundles).
ENTITY_ORDER: tuple[str, ...] = (
    "org_units", "members", "committee_terms", "member_events", "documents", "bookmarks",
    "meetings", "attendance", "minutes", "resolutions", "tasks", "dues_rates", "dues_bases",
    "dues_exemptions", "dues_payments", "meeting_scores", "monthly_reports",
    "review_campaigns", "review_entries", "review_decisions", "candidates", "candidate_steps",
    "transfers", "study_plans", "study_reports", "comments",
    "conflicts", "audit_log",
)

# Not an entity: a PC's report of a pulled row it set aside (its quarantine), sent as an
# "add" through the outbox; the server keeps it in its admin log. An older server refuses
# it as an unknown entity, and the PC's queue moves on.
QUARANTINE_REPORT = "quarantine_reports"

MAX_TEXT = 200_000  # characters in one field (minutes, extracted document text)


class FieldError(ValueError):
    """A field value that does not fit its type; ``code`` is an i18n code."""

    def __init__(self, code: str, field_name: str) -> None:
        super().__init__(f"{code}: {field_name}")
        self.code = code
        self.field = field_name


def check_value(spec: EntitySpec, name: str, value: Any) -> Any:
    """The value as it travels (JSON types), or FieldError. Dates are ISO strings."""
    if name == "deleted":
        if not isinstance(value, bool):
            raise FieldError("sync_bad_type", name)
        return value
    kind = spec.fields.get(name)
    if kind is None:
        raise FieldError("sync_unknown_field", name)
    if value is None:
        if name in spec.nullable or kind == "id":
            return None
        raise FieldError("sync_bad_type", name)
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53
    elif kind == "date":
        ok = isinstance(value, str) and _is_date(value)
    elif kind == "id":
        ok = isinstance(value, str) and 0 < len(value) <= 36
    else:
        ok = isinstance(value, str) and "\x00" not in value
        if ok and len(value) > MAX_TEXT:
            raise FieldError("too_long", name)  # a record rule's code (domain.record_rules)
    if not ok:
        raise FieldError("sync_bad_type", name)
    return value


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def to_wire(value: Any) -> Any:
    """A column value as it travels."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_column(spec: EntitySpec, name: str, value: Any) -> Any:
    """A wire value as the desktop column wants it."""
    if value is None:
        return None
    if spec.fields.get(name) == "date":
        return dt.date.fromisoformat(value)
    return value
