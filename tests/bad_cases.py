"""Every kind of rule-breaking value for every field a branch writes, generated from the one
definition (``domain.record_rules.RULES``): (entity, field, value, expected code)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sotay_core.domain import record_rules
from sotay_core.domain.ids import new_id
from sotay_core.protocol.entities import ENTITIES, ENTITY_ORDER


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
