"""The convergence check (reliability R5): one digest of a branch's records, computed the
same way by the PC and by the server (stdlib and pydantic only).

At the end of a sync, once the PC has nothing left to push or pull, it sends the digest of
what it holds (``POST /api/v1/sync/check``); the server computes its own over the same
scope at the same cursor and answers with it. Per entity: the number of rows and a hash
over every row's id, version, ``deleted`` and its data in a canonical form, so a row edited,
removed or added behind the sync's back (a manual database edit, a disk fault, a bug) shows
as a difference. Row hashes are combined by addition modulo 2^256, so the order the rows
are read in does not matter and no side needs to sort or hold them all.

A differing entity is repaired by the PC: it pulls the whole entity again
(``POST /api/v1/sync/repair``, a page at a time, by version) and re-applies it over its
copy, its own unsent edits on top; rows the server does not have are removed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sotay_core.protocol import Change
from sotay_core.protocol.entities import ENTITIES, ENTITY_ORDER, EntitySpec

ROUTE_CHECK = "/api/v1/sync/check"
ROUTE_REPAIR = "/api/v1/sync/repair"

_MOD = 2**256
# What an absent or null value of a field that cannot be null reads as: a PC fills such a
# column with its default, the server keeps the JSON it was given (an older client's row,
# a province-made one); both mean "empty".
EMPTY_VALUES: dict[str, Any] = {"str": "", "bool": False, "int": 0}

_Counter = Annotated[int, Field(ge=0, le=2**53 - 1)]
_Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityDigest(_Strict):
    count: _Counter
    hash: _Hex


def canonical(spec: EntitySpec, data: Mapping[str, Any]) -> list[Any]:
    """A row's synced fields in a fixed order, with "empty" spelled one way. Wire-only
    fields (a document's file size and type) and derived columns are left out."""
    out: list[Any] = []
    for name in sorted(spec.fields):
        if name in spec.wire_only:
            continue
        value = data.get(name)
        if value is None and name not in spec.nullable:
            value = EMPTY_VALUES.get(spec.fields[name])
        out.append(value)
    return out


def row_hash(entity: str, row_id: str, version: int, deleted: bool,
             data: Mapping[str, Any]) -> int:
    spec = ENTITIES[entity]
    text = json.dumps([row_id, version, bool(deleted), canonical(spec, data)],
                      ensure_ascii=False, separators=(",", ":"), default=str)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


def digest(rows: Iterable[tuple[str, str, int, bool, Mapping[str, Any]]],
           entities: Iterable[str]) -> dict[str, EntityDigest]:
    """The digest of ``rows`` ((entity, id, version, deleted, wire data)) for each of
    ``entities`` (an entity without rows counts 0); rows of other entities are ignored."""
    sums = {e: [0, 0] for e in entities if e in ENTITIES}
    for entity, row_id, version, deleted, data in rows:
        acc = sums.get(entity)
        if acc is None:
            continue
        acc[0] += 1
        acc[1] = (acc[1] + row_hash(entity, row_id, version, deleted, data)) % _MOD
    return {e: EntityDigest(count=c, hash=f"{h:064x}") for e, (c, h) in sums.items()}


def differing(mine: Mapping[str, EntityDigest], theirs: Mapping[str, EntityDigest]
              ) -> list[str]:
    """Entities whose digests differ, in creation order (parents repaired first)."""
    names = set(mine) | set(theirs)
    ordered = [e for e in ENTITY_ORDER if e in names] + sorted(names - set(ENTITY_ORDER))
    return [e for e in ordered if mine.get(e) != theirs.get(e)]


class CheckRequest(_Strict):
    protocol: int = Field(ge=0, le=2**31 - 1)
    schema_version: str = Field(max_length=16)
    # The PC's cursor for its scope: the server answers only when it holds nothing newer.
    cursor: _Counter
    digest: dict[Annotated[str, Field(max_length=32)], EntityDigest] = Field(max_length=64)
    # Set on the check that follows a repair, and when this PC's last check ended in a
    # difference: a match then is recorded too (the province's flag is lifted).
    after_repair: bool = False
    diverged_before: bool = False


class CheckResponse(_Strict):
    # "match"; "differ" (``entities`` need a repair); "behind" (the server has changes
    # after the PC's cursor: the PC pulls and checks at its next sync).
    status: Literal["match", "differ", "behind"]
    cursor: int
    entities: list[str] = Field(default_factory=list)
    digest: dict[str, EntityDigest] = Field(default_factory=dict)


class RepairRequest(_Strict):
    protocol: int = Field(ge=0, le=2**31 - 1)
    schema_version: str = Field(max_length=16)
    entity: str = Field(max_length=32)
    after: _Counter = 0                  # the version after which this page starts
    page_bytes: int = Field(default=2 * 2**20, ge=4096, le=4 * 2**20)


class RepairResponse(_Strict):
    entity: str
    # Every row of the entity in the scope (deleted ones too) with version > ``after``.
    changes: list[Change]
    after: int
    has_more: bool
