"""The one definition of a valid record (domain.record_rules), checked against the enums,
the wire table and the desktop's columns, so neither side can drift from it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import String

from sotay_core.domain import entities, record_rules
from sotay_core.domain.entities import EventKind, MemberEvent
from sotay_core.domain.record_rules import RecordError, check_field, rule
from sotay_core.protocol.entities import ENTITIES
from sotay_desktop.services.sync.quarantine import UNIQUE_KEYS
from sotay_desktop.services.sync.rows import TABLES

TODAY = dt.date(2026, 11, 22)


def _code(entity: str, field: str, value: object) -> str | None:
    try:
        check_field(entity, field, value, today=TODAY)
    except RecordError as exc:
        assert exc.field == field and exc.reason == f"{exc.code}:{field}"
        return exc.code
    return None


def test_allowed_values_are_the_enums_themselves() -> None:
    by_enum = {
        ("members", "gender"): entities.Gender,
        ("member_events", "kind"): entities.EventKind,
        ("documents", "origin"): entities.DocumentOrigin,
        ("meetings", "kind"): entities.MeetingKind,
        ("attendance", "status"): entities.Attendance,
        ("resolutions", "status"): entities.ResolutionStatus,
        ("org_units", "level"): entities.OrgLevel,
    }
    for (entity, field), kind in by_enum.items():
        assert rule(entity, field).choices == tuple(k.value for k in kind)
        for value in kind:
            assert _code(entity, field, value.value) is None
        assert _code(entity, field, "bogus") == "invalid_value"


def test_every_rule_names_a_field_that_travels() -> None:
    for entity, fields in record_rules.RULES.items():
        assert set(fields) <= set(ENTITIES[entity].fields), entity


def test_every_date_field_has_a_date_rule_and_every_id_its_target() -> None:
    for entity, spec in ENTITIES.items():
        for field, kind in spec.fields.items():
            if kind == "date":
                assert rule(entity, field).date, (entity, field)
            if kind == "id" and field.endswith("_id") and field not in (
                    "unit_id", "parent_id", "target_id"):
                if entity in ("conflicts", "audit_log"):
                    continue
                assert rule(entity, field).refers_to in ENTITIES, (entity, field)


def test_text_limits_fit_the_desktop_columns() -> None:
    """A value the rules let through always fits its column on the PC."""
    for entity, spec in ENTITIES.items():
        table = TABLES[entity].__table__
        for field, kind in spec.fields.items():
            if kind != "str" or field in spec.wire_only:
                continue
            column_type = table.columns[field].type
            if isinstance(column_type, String) and column_type.length:
                assert rule(entity, field).max_length <= column_type.length, (entity, field)


def test_unique_keys_are_the_desktop_tables_own() -> None:
    for entity, (columns, _live) in UNIQUE_KEYS.items():
        table = TABLES[entity].__table__
        found = {tuple(c.name for c in con.columns) for con in table.constraints
                 if con.__class__.__name__ == "UniqueConstraint"}
        found |= {tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique}
        found |= {(c.name,) for c in table.columns if c.unique}
        assert columns in found, entity
    for entity, fields in record_rules.UNIQUE_FIELDS.items():
        assert UNIQUE_KEYS[entity][0] == fields


@pytest.mark.parametrize(("entity", "field", "value", "code"), [
    ("members", "full_name", "Nguyễn Thị Hoà", None),
    ("members", "full_name", "A" * 121, "too_long"),
    ("members", "full_name", "A" * 200_000, "too_long"),
    ("members", "full_name", "Lê\tVăn", "control_character"),
    ("members", "full_name", "Lê\x85Văn", "control_character"),   # C1 control
    ("members", "notes", "dòng 1\ndòng 2\tcột", None),           # a paragraph field
    ("members", "notes", "dòng 1\x0cdòng 2", "control_character"),
    ("members", "full_name", "Hoa\u0300", "not_nfc"),
    ("members", "full_name", "  ", "required"),
    ("members", "gender", "", None),
    ("members", "gender", "xyz", "invalid_value"),
    ("members", "date_of_birth", "1899-12-31", "date_out_of_range"),
    ("members", "date_of_birth", "2026-11-23", None),              # a day of clock slack
    ("members", "date_of_birth", "2026-11-24", "date_out_of_range"),
    ("members", "date_of_birth", dt.date(1950, 1, 1), None),        # a column value
    ("member_events", "date", "2027-01-01", "date_out_of_range"),
    ("meetings", "date", "2027-06-01", None),                       # planned ahead
    ("meetings", "date", "2040-06-01", "date_out_of_range"),
    ("meetings", "starts_at", "19:30", None),
    ("meetings", "starts_at", "", None),
    ("meetings", "starts_at", "25:00", "invalid_value"),
    ("minutes", "votes_for", -1, "invalid_value"),
    ("minutes", "votes_for", 12, None),
    ("documents", "body_text", "x" * 199_999, None),
])
def test_values(entity: str, field: str, value: object, code: str | None) -> None:
    assert _code(entity, field, value) == code


def test_references_name_their_target_and_a_missing_one_is_refused() -> None:
    fields = {"meeting_id": "m1", "member_id": "p1", "status": "present"}
    assert sorted(record_rules.references("attendance", fields)) == [
        ("meeting_id", "meetings", "m1"), ("member_id", "members", "p1")]
    have = {("meetings", "m1")}
    with pytest.raises(RecordError) as caught:
        record_rules.check_references("attendance", fields, lambda e, i: (e, i) in have)
    assert caught.value.reason == "unknown_reference:member_id"
    comment = {"target_type": "document", "target_id": "d1"}
    assert record_rules.references("comments", comment) == [("target_id", "documents", "d1")]


def _event(kind: EventKind, day: str, row_id: str = "e") -> MemberEvent:
    return MemberEvent(row_id, "m", kind, dt.date.fromisoformat(day))


def test_history_must_stay_possible_but_an_already_broken_one_does_not_block() -> None:
    admitted = _event(EventKind.ADMITTED, "2020-01-01", "a")
    official = _event(EventKind.MADE_OFFICIAL, "2021-01-02", "o")
    again = _event(EventKind.ADMITTED, "2022-01-01", "x")
    record_rules.check_new_history([admitted], [admitted, official], None)
    with pytest.raises(RecordError) as caught:
        record_rules.check_new_history([admitted, official], [admitted, official, again], None)
    assert caught.value.reason == "impossible_history:kind"
    broken = [official]            # already impossible: a new event is not blamed for it
    record_rules.check_new_history(broken, [*broken, again], None)
    with pytest.raises(RecordError):   # an event before birth
        record_rules.check_new_history([], [admitted], dt.date(2021, 1, 1))


def test_stored_values_outside_an_enum_read_as_the_default() -> None:
    assert entities.stored(entities.Gender, "xyz") is None
    assert entities.stored(entities.Gender, "female") is entities.Gender.FEMALE
    assert entities.stored(entities.MemberStatus, "weird", entities.MemberStatus.NONE) \
        is entities.MemberStatus.NONE
    assert entities.stored(entities.EventKind, None) is None


def test_every_code_reads_in_plain_words_in_both_languages() -> None:
    from sotay_core import i18n
    from sotay_desktop.services.conflicts import rule_text

    for code in record_rules.CODES:
        assert i18n.has_message(f"rule.{code}")
        vi = rule_text(f"{code}:gender")
        assert "Giới tính" in vi and code not in vi
    assert rule_text("sync_read_only") == i18n.t("sync_read_only")


def test_known_reasons() -> None:
    assert record_rules.is_known_reason("invalid_value:gender")
    assert record_rules.is_known_reason("sync_bad_type")
    assert not record_rules.is_known_reason("invalid_value")
    assert not record_rules.is_known_reason("bogus:gender")


def test_required_fields_are_the_columns_a_pc_cannot_store_a_row_without() -> None:
    from sotay_desktop.services.sync.quarantine import _required_columns

    for entity, cls in TABLES.items():
        needed = {c for c in _required_columns(cls) if c in ENTITIES[entity].fields}
        assert set(record_rules.REQUIRED.get(entity, ())) == needed, entity
    with pytest.raises(RecordError) as caught:
        record_rules.check_complete("members", {"unit_id": "u", "full_name": None})
    assert caught.value.reason == "required:full_name"
    record_rules.check_complete("members", {"unit_id": "u", "full_name": "A"})
