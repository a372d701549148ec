"""The wire protocol is defined once and kept in step with both ends."""

from __future__ import annotations

import pytest

from sotay_core.protocol import SCHEMA_VERSIONS
from sotay_core.protocol.entities import ENTITIES, ENTITY_ORDER, FieldError, check_value
from sotay_desktop.db import schema_version
from sotay_desktop.services.sync.rows import TABLES
from sync_server.openapi import DEFAULT, schema_text

SYNC_COLUMNS = {"id", "version", "deleted", "created_at", "updated_at"}
# Computed on each side from synced fields, never sent.
DERIVED = {"members": {"search_key", "sort_key", "status", "admitted_on", "official_on"},
           "documents": {"search_key"}}


def test_committed_openapi_schema_is_current() -> None:
    assert DEFAULT.read_text(encoding="utf-8") == schema_text(), (
        "run: python -m sync_server.openapi")


def test_this_build_speaks_a_schema_version_the_server_accepts() -> None:
    assert schema_version.HEAD in SCHEMA_VERSIONS


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_every_column_of_a_synced_table_travels(entity: str) -> None:
    spec = ENTITIES[entity]
    columns = set(TABLES[entity].__table__.columns.keys())
    sent = set(spec.fields) - spec.wire_only
    assert sent <= columns
    assert columns - SYNC_COLUMNS - DERIVED.get(entity, set()) == sent
    assert entity in ENTITY_ORDER


@pytest.mark.parametrize(("field", "value", "ok"), [
    ("full_name", "Nguyễn Thị Hạnh", True),
    ("full_name", None, False),
    ("full_name", 5, False),
    ("full_name", "a\x00b", False),
    ("date_of_birth", "1960-02-29", True),
    ("date_of_birth", "1961-02-29", False),
    ("date_of_birth", "29/02/1960", False),
    ("date_of_birth", None, True),
    ("deleted", "yes", False),
    ("deleted", True, True),
    ("unit_id", "x" * 37, False),
])
def test_values_are_checked_against_their_types(field: str, value: object, ok: bool) -> None:
    spec = ENTITIES["members"]
    if ok:
        assert check_value(spec, field, value) == value
    else:
        with pytest.raises(FieldError):
            check_value(spec, field, value)


def test_ints_and_bools_are_not_confused() -> None:
    spec = ENTITIES["minutes"]
    with pytest.raises(FieldError):
        check_value(spec, "votes_for", True)
    with pytest.raises(FieldError):
        check_value(spec, "adopted", 1)
    with pytest.raises(FieldError):
        check_value(spec, "votes_for", 2**60)


def test_every_entity_has_a_name_in_both_languages() -> None:
    """A conflict or a sync report names the kind of record: never a raw key."""
    from sotay_core import i18n
    from sotay_core.protocol.entities import ENTITIES

    for entity in ENTITIES:
        for lang in ("vi", "en"):
            assert i18n.has_message(f"entity_kind.{entity}"), entity
            assert i18n.t(f"entity_kind.{entity}", lang=lang) != f"entity_kind.{entity}"
