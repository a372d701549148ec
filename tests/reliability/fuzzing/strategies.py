"""The R13 fuzzing's settings (bounded, derandomized), the count of inputs per target that the
report gives, and the strategies both sides use: JSON values, sync mutations, flipped bytes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sotay_core.protocol import SCHEMA_VERSIONS
from sotay_core.protocol.entities import ENTITIES
from tests.reliability.report import budget

HEAD = SCHEMA_VERSIONS[-1]
EXAMPLES = budget(60, 600)
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
COUNTS: dict[str, int] = {}


def count_input(target: str) -> None:
    COUNTS[target] = COUNTS.get(target, 0) + 1


# --- strategies ------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**63, max_value=2**64),
    st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["2026-02-30", "0000-00-00", "2026-11-22", "9999-12-31T99:99",
                     "\x00", "ầ" * 300, "'; DROP TABLE members; --", "../../etc/passwd",
                     "01234567-89ab-cdef-0123-456789abcdef", "NaN", "1e309"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)
entity_names = st.one_of(st.sampled_from(sorted(ENTITIES)), st.text(max_size=12))


@st.composite
def field_maps(draw: Any, update: bool = False) -> dict[str, Any]:
    entity = draw(st.sampled_from(sorted(ENTITIES)))
    names = [*sorted(ENTITIES[entity].fields), "deleted", "id", "unit_id", "x" * 70]
    keys = draw(st.lists(st.sampled_from(names), max_size=6, unique=True))
    if update:
        return {k: draw(st.one_of(st.lists(json_values, min_size=2, max_size=2), json_values))
                for k in keys}
    return {k: draw(json_values) for k in keys}


@st.composite
def mutations(draw: Any) -> dict[str, Any]:
    op = draw(st.sampled_from(["create", "update", "add", "resolve", "delete", ""]))
    return {"id": draw(st.integers(min_value=-5, max_value=2**63)),
            "entity": draw(entity_names),
            "row_id": draw(st.one_of(st.uuids().map(str), st.text(max_size=40))),
            "op": op, "base_version": draw(st.integers(min_value=-1, max_value=2**40)),
            "schema_version": draw(st.sampled_from([HEAD, "0001", "", "9999"])),
            "fields": draw(field_maps(update=op == "update"))}


def flip(data: bytes, draw: Any) -> bytes:
    """A valid input with bytes changed, cut or inserted."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        if action == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del out[at:]
        elif action == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            out[at:at + 64] = b"\0" * len(out[at:at + 64])
    return bytes(out)
