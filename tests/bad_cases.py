"""Every kind of rule-breaking value for every field a branch writes, generated from the one
definition (``domain.record_rules.RULES``): (entity, field, value, expected code)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from sotay_core.domain import record_rules
from sotay_core.domain.ids import new_id
from sotay_core.protocol.entities import ENTITIES, ENTITY_ORDER
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.services.sync import client as sync_client
from sync_server.records import put_record


def bad_cases(today: dt.date) -> list[tuple[str, str, Any, str]]:
    """(entity, field, value, expected code) for each rule of each field a branch writes."""
    out: list[tuple[str, str, Any, str]] = []
    for entity in ENTITY_ORDER:
        spec = ENTITIES[entity]
        if not spec.branch_writable:
            continue
        for field, kind in spec.fields.items():
            if field in spec.wire_only or (field == "unit_id"):
                continue
            r = record_rules.rule(entity, field)
            if kind == "str":
                if r.choices:
                    out.append((entity, field, "bogus", "invalid_value"))
                if r.pattern:
                    out.append((entity, field, "99:99", "invalid_value"))
                if r.required:
                    out.append((entity, field, "   ", "required"))
                out.append((entity, field, "x" * (r.max_length + 1), "too_long"))
                out.append((entity, field, "a\x07b", "control_character"))
                if r.nfc:
                    out.append((entity, field, "Hoa\u0300", "not_nfc"))
            elif kind == "date":
                out.append((entity, field, "1899-12-31", "date_out_of_range"))
                late = today + dt.timedelta(days=r.horizon_days + 3)
                out.append((entity, field, late.isoformat(), "date_out_of_range"))
            elif kind == "id":
                targets = {t for _f, t, _i in record_rules.references(
                    entity, {field: "x", "target_type": "resolution"})}
                if targets:
                    out.append((entity, field, new_id(), "unknown_reference"))
            elif kind == "int" and field in record_rules.NON_NEGATIVE:
                out.append((entity, field, -1, "invalid_value"))
            elif kind == "int":
                if r.min_value is not None:
                    out.append((entity, field, r.min_value - 1, "invalid_value"))
                if r.max_value is not None and r.max_value < 2**53 - 1:
                    out.append((entity, field, r.max_value + 1, "invalid_value"))
                if r.int_choices:
                    out.append((entity, field, max(r.int_choices) - 1, "invalid_value"))
    return out


def _put(server: Any, branch: str, entity: str, data: dict[str, Any]) -> str:
    row_id = new_id()
    with server.session() as s:
        put_record(s, scope_id=branch, entity=entity, row_id=row_id, data=data, by="sửa tay")
    return row_id


def year_parents(server: Any, branch: str, db: Database) -> None:
    """Valid rows of the year's records (issue 20) and of study (issue 21) on the server,
    pulled by ``db``, so each child's bad cases name a parent that exists: a campaign and
    its entry, a candidate and a step, a transfer letter, a study plan."""
    with db.reads() as s:
        member_id = s.scalars(select(MemberRow.id).where(MemberRow.deleted.is_(False))
                              .order_by(MemberRow.id)).first()
    assert member_id is not None
    campaign = _put(server, branch, "review_campaigns", {
        "unit_id": branch, "year": 2025, "period": "year", "scheme": "", "status": "held",
        "meeting_id": None, "held_on": "2025-12-20", "note": ""})
    _put(server, branch, "review_entries", {
        "campaign_id": campaign, "member_id": member_id, "facts": "{}", "self_points": "85",
        "self_grade": "good", "self_text": "", "scores": "{}", "points": "85.5",
        "grade": "good", "disciplined": False, "tasks_on_time": True, "comments": "",
        "votes_yes": 20, "votes_no": 0, "votes_abstain": 0, "votes_invalid": 0,
        "voting_base": 22, "secret": False})
    candidate = _put(server, branch, "candidates", {
        "unit_id": branch, "full_name": "Lò Văn Ứng", "gender": "male",
        "date_of_birth": "2000-05-01", "residence": "", "occupation": "", "phone": "",
        "status": "active", "over_limit_approved": False, "sponsor1_id": member_id,
        "sponsor1_since": "2024-01-01", "sponsor2_id": None, "sponsor2_since": None,
        "member_id": None, "note": ""})
    _put(server, branch, "candidate_steps", {
        "candidate_id": candidate, "step": "training", "done_on": "2026-03-01",
        "number": "GCN 12", "issuer": "Trung tâm chính trị", "detail": "",
        "votes_for": None, "votes_against": None, "voting_base": None})
    _put(server, branch, "transfers", {
        "member_id": member_id, "direction": "out", "kind": "temporary_within",
        "number": "Số 3-GGT/ĐU", "issued_on": "2026-06-01", "valid_until": "2026-07-01",
        "from_place": "Chi bộ thôn", "to_place": "Chi bộ khác", "dues_paid_to": "2026-06",
        "presented_on": None, "event_id": None, "note": ""})
    # Political study (issue 21): the branch's own plan with a quiz, and its report.
    plan = _put(server, branch, "study_plans", {
        "unit_id": branch, "origin": "own", "kind": "study", "title": "Học Nghị quyết",
        "number": "", "issuer": "", "issued_on": None, "starts_on": "2026-03-01",
        "due_on": "2026-04-30", "documents": "[]", "audience": "all", "statuses": "",
        "quiz": "", "survey": "", "points": None, "note": ""})
    _put(server, branch, "study_reports", {
        "unit_id": branch, "plan_id": plan, "figures": "{}", "updated_on": "2026-03-02"})
    sync_client.run_sync(db)
