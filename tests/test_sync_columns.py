"""The ``columns1`` encoding of pulled changes (sotay_core/protocol/columns.py): every entity
comes back exactly as it went, and a hostile page is refused with ``ColumnsRefused``, never
anything else."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sotay_core.protocol import MAX_BODY_BYTES, MAX_COUNTER, Change
from sotay_core.protocol.columns import ColumnsRefused, decode_changes, encode_changes
from sotay_core.protocol.entities import ENTITIES

UUIDS = st.uuids().map(str)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**53, 2**53),
                    st.text(max_size=12), UUIDS, st.sampled_from(["", "present", "~x", "0"]))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.dictionaries(st.text(max_size=4), SCALARS, max_size=2))
IDS = st.one_of(UUIDS, st.text(min_size=1, max_size=36),
                UUIDS.map(str.upper))   # not canonical: travels as a string


@st.composite
def pages(draw: st.DrawFn, entities: list[str]) -> list[Change]:
    """Changes of the given entities, in version order, some sharing ids as foreign keys."""
    changes: list[Change] = []
    version = draw(st.integers(0, 1000))
    pool: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        entity = draw(st.sampled_from(entities))
        fields = draw(st.lists(st.sampled_from(sorted(ENTITIES[entity].fields)), unique=True,
                               max_size=6))
        data = {}
        for name in fields:
            data[name] = draw(st.sampled_from(pool)) if pool and draw(st.booleans()) else draw(
                VALUES)
        row_id = draw(IDS)
        pool.append(row_id)
        version += draw(st.integers(1, 3))
        changes.append(Change(entity=entity, id=row_id, version=version,
                              deleted=draw(st.booleans()), data=data))
    return changes


def _wire(page: dict[str, Any]) -> Any:
    return json.loads(json.dumps(page, ensure_ascii=False))


@pytest.mark.parametrize("entity", sorted(ENTITIES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_entity_comes_back_exactly(entity: str, data: st.DataObject) -> None:
    changes = data.draw(pages([entity]))
    assert decode_changes(_wire(encode_changes(changes))) == changes


@settings(max_examples=60, deadline=None)
@given(changes=pages(sorted(ENTITIES)))
def test_mixed_pages_come_back_in_version_order(changes: list[Change]) -> None:
    assert decode_changes(_wire(encode_changes(changes))) == changes


def _page() -> dict[str, Any]:
    member = str(uuid.uuid4())
    meeting = str(uuid.uuid4())
    changes = [
        Change(entity="members", id=member, version=1, data={"full_name": "Nguyễn Thị Hạnh"}),
        Change(entity="meetings", id=meeting, version=2, data={"title": "Họp", "place": None}),
        *[Change(entity="attendance", id=str(uuid.uuid4()), version=3 + k, deleted=k == 1,
                 data={"meeting_id": meeting, "member_id": member, "status": "present",
                       "minutes_late": k}) for k in range(3)],
        Change(entity="org_units", id="unit-1", version=9, data={"name": "Chi bộ"}),
    ]
    return _wire(encode_changes(changes))


def test_the_sample_page_is_what_the_hostile_cases_start_from() -> None:
    page = _page()
    assert [g["kinds"] for g in page["groups"]] == ["s", "sv", "uusv", "s"]
    assert len(decode_changes(page)) == 6


def _set(path: tuple[Any, ...], value: Any) -> Any:
    page = copy.deepcopy(_page())
    node = page
    for key in path[:-1]:
        node = node[key]
    if value is _DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return page


def _group0(**changes: Any) -> Any:
    page = _page()
    page["groups"][0] |= changes
    return page


_DROP = object()
HOSTILE = {
    "not a dict": lambda: [],
    "unknown version": lambda: _set(("v",), 2),
    "version true": lambda: _set(("v",), True),
    "extra top key": lambda: _page() | {"more": 1},
    "groups not a list": lambda: _set(("groups",), {}),
    "group not a dict": lambda: _set(("groups", 0), "x"),
    "unknown group key": lambda: _set(("groups", 0, "extra"), 1),
    "missing values": lambda: _set(("groups", 0, "values"), _DROP),
    "count too big": lambda: _set(("groups", 2, "n"), 10**12),
    "count zero": lambda: _set(("groups", 2, "n"), 0),
    "count as text": lambda: _set(("groups", 2, "n"), "3"),
    "count one short": lambda: _set(("groups", 2, "n"), 2),
    "entity empty": lambda: _set(("groups", 0, "entity"), ""),
    "entity too long": lambda: _set(("groups", 0, "entity"), "x" * 33),
    "id block cut": lambda: _set(("groups", 2, "ids"), _page()["groups"][2]["ids"][:-4]),
    "id block not base64": lambda: _set(("groups", 2, "ids"), "!" * 64),
    "id list short": lambda: _set(("groups", 3, "ids"), []),
    "id null": lambda: _set(("groups", 3, "ids"), [None]),
    "id too long": lambda: _set(("groups", 3, "ids"), ["x" * 37]),
    "versions short": lambda: _set(("groups", 2, "versions"), [3, 1]),
    "version step zero": lambda: _set(("groups", 2, "versions"), [3, 0, 1]),
    "version negative": lambda: _set(("groups", 0, "versions"), [-1]),
    "version past the cap": lambda: _set(("groups", 0, "versions"), [MAX_COUNTER + 1]),
    "version as float": lambda: _set(("groups", 0, "versions"), [1.0]),
    "version as bool": lambda: _set(("groups", 0, "versions"), [True]),
    "deleted 2": lambda: _set(("groups", 2, "deleted"), [0, 2, 0]),
    "deleted short": lambda: _set(("groups", 2, "deleted"), [0]),
    "unknown kind": lambda: _set(("groups", 0, "kinds"), "x"),
    "kinds short": lambda: _set(("groups", 1, "kinds"), "s"),
    "duplicate field": lambda: _set(("groups", 1, "fields"), ["title", "title"]),
    "field not text": lambda: _set(("groups", 0, "fields"), [7]),
    "field name too long": lambda: _set(("groups", 0, "fields"), ["x" * 65]),
    "column too short": lambda: _set(("groups", 2, "values", 0), [0, 0]),
    "a column too many": lambda: _set(("groups", 0, "values"), [["a"], ["b"]]),
    "string index out of range": lambda: _set(("groups", 2, "values", 2), ["present", 1, 7]),
    "uuid index out of range": lambda: _set(("groups", 2, "values", 0), [0, 0, 99]),
    "negative index": lambda: _set(("groups", 2, "values", 2), ["present", -1, 0]),
    "bool as index": lambda: _set(("groups", 2, "values", 2), ["present", True, 0]),
    "float in a table column": lambda: _set(("groups", 2, "values", 2), ["present", 0.0, 0]),
    "uuid not base64": lambda: _set(("groups", 0, "kinds"), "u"),
    "uuid short": lambda: _group0(kinds="u", values=[["A" * 21]]),
    "uuid with padding": lambda: _group0(kinds="u", values=[["A" * 20 + "=="]]),
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_page_is_refused_cleanly(make: Any) -> None:
    with pytest.raises(ColumnsRefused):
        decode_changes(make())


def test_a_string_repeated_through_its_table_counts_against_the_cap() -> None:
    big = "x" * 100_000
    n = MAX_BODY_BYTES // 100_000 + 2
    # The ids are the string table's first n entries; the big string is entry n.
    page = {"v": 1, "groups": [{"entity": "members", "n": n, "ids": [f"m{k}" for k in range(n)],
                                "versions": [1] + [1] * (n - 1), "fields": ["notes"],
                                "kinds": "s", "values": [[big] + [n] * (n - 1)]}]}
    with pytest.raises(ColumnsRefused, match="cap"):
        decode_changes(page)


def test_a_page_of_countless_small_cells_is_refused_before_it_is_built() -> None:
    n = 200_000
    page = {"v": 1, "groups": [{"entity": "attendance", "n": n, "ids": ["a"] + [0] * (n - 1),
                                "versions": [1] * n, "fields": ["x"], "kinds": "v",
                                "values": [[0] * n]}]}
    with pytest.raises(ColumnsRefused, match="cap"):
        decode_changes(page)


@settings(max_examples=300, deadline=None)
@given(seed=st.data())
def test_random_damage_is_refused_or_decoded_never_a_crash(seed: st.DataObject) -> None:
    page = _page()
    text = json.dumps(page)
    at = seed.draw(st.integers(0, len(text) - 1))
    junk = seed.draw(st.sampled_from(['0', '9', '"', '-', '[]', 'null', 'true', '1e999', '"A"']))
    try:
        damaged = json.loads(text[:at] + junk + text[at + 1:])
    except ValueError:
        return                                  # the transport refuses bad JSON before
    try:
        decode_changes(damaged)
    except ColumnsRefused:
        pass
