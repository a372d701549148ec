"""The ``columns1`` encoding of pulled changes: the same ``Change`` list, about half the gzip
bytes of the plain JSON list (docs/sync.md, bench/encoding.py).

A client asks for it with ``SyncRequest.encodings = ["columns1"]``; the server then answers
``changes = []`` and ``columns = {...}``. A client that does not ask (every PC before this
encoding, and offline bundles) gets the plain list, and never sees the ``columns`` key.

Layout: ``{"v": 1, "groups": [group, ...]}``; one group per (entity, field names) in order of
first appearance; a group's rows keep their sequence order and the decoder sorts the whole
page by version, which restores the server's order exactly (versions are unique in a scope).

A group: ``entity``; ``n`` rows; ``ids`` either one base64 string of the 16-byte UUIDs (all
ids canonical UUIDs) or a list coded as an ``s`` column; ``versions``: the first absolute,
then the (positive) steps; ``deleted``: 0/1 per row, absent when none is; ``fields``: the
data keys; ``kinds``: one letter per field; ``values``: one list of ``n`` per field.

Kinds: ``v`` plain JSON values; ``s`` strings through the page's string table (a string is
written once, then as its index; ``null`` stays ``null``); ``u`` canonical UUIDs through the
page's UUID table, written the first time as 22 characters of URL-safe base64 (row ids
enter that table too, so a foreign key to a row of the page is a small number).

Decoding is strict: any shape, type, length, index or size out of line raises
``ColumnsRefused`` and nothing of the page is used; the strings a page expands to through
its tables, and each row's keys, count against ``MAX_BODY_BYTES`` like the plain body's JSON.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
import uuid
from typing import Any

from sotay_core.protocol import MAX_BODY_BYTES, MAX_COUNTER, Change

COLUMNS1 = "columns1"
MAX_GROUPS = 10_000
MAX_ROWS = 500_000          # rows in one page, whatever the groups claim
MAX_FIELDS = 256
MAX_NAME = 64
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_B64 = re.compile(r"[A-Za-z0-9_-]{22}")


class ColumnsRefused(ValueError):
    """A ``columns1`` page that is not exactly what the encoder makes."""


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _uuid_b64(value: str) -> str:
    return base64.urlsafe_b64encode(uuid.UUID(value).bytes).decode().rstrip("=")


class _Tables:
    def __init__(self) -> None:
        self.index: dict[str, dict[str, int]] = {"s": {}, "u": {}}
        self.size = {"s": 0, "u": 0}     # entries the decoder's list holds

    def add(self, kind: str, value: str) -> None:
        """An entry, as the decoder appends it (a value already there keeps its first index)."""
        self.index[kind].setdefault(value, self.size[kind])
        self.size[kind] += 1

    def column(self, kind: str, values: list[Any]) -> list[Any]:
        table = self.index[kind]
        out: list[Any] = []
        for value in values:
            if value is None:
                out.append(None)
            elif value in table:
                out.append(table[value])
            else:
                self.add(kind, value)
                out.append(_uuid_b64(value) if kind == "u" else value)
        return out


def _kind(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(_is_uuid(v) for v in present):
        return "u"
    if present and all(isinstance(v, str) for v in present):
        return "s"
    return "v"


def encode_changes(changes: list[Change]) -> dict[str, Any]:
    """The page's changes (in version order, as ``sync.pull`` reads them) as ``columns1``."""
    order: dict[tuple[str, tuple[str, ...]], list[Change]] = {}
    for change in changes:
        order.setdefault((change.entity, tuple(change.data)), []).append(change)
    tables = _Tables()
    groups: list[dict[str, Any]] = []
    for (entity, fields), rows in order.items():
        ids = [c.id for c in rows]
        group: dict[str, Any] = {"entity": entity, "n": len(rows)}
        if all(_is_uuid(i) for i in ids):
            for i in ids:
                tables.add("u", i)
            group["ids"] = base64.b64encode(b"".join(uuid.UUID(i).bytes for i in ids)).decode()
        else:
            group["ids"] = tables.column("s", ids)
        versions = [c.version for c in rows]
        group["versions"] = versions[:1] + [b - a for a, b in itertools.pairwise(versions)]
        if any(c.deleted for c in rows):
            group["deleted"] = [int(c.deleted) for c in rows]
        kinds = ""
        values: list[list[Any]] = []
        for name in fields:
            column = [c.data[name] for c in rows]
            kind = _kind(column)
            kinds += kind
            values.append(column if kind == "v" else tables.column(kind, column))
        group |= {"fields": list(fields), "kinds": kinds, "values": values}
        groups.append(group)
    return {"v": 1, "groups": groups}


# --- decoding -----------------------------------------------------------------------------


class _Reader:
    """The tables as the decoder rebuilds them, and the bytes the page expands to."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.uuids: list[str] = []
        self.expanded = 0

    def charge(self, size: int) -> None:
        """Bytes of the plain list this page stands for (about), capped like its body."""
        self.expanded += size
        if self.expanded > MAX_BODY_BYTES:
            raise ColumnsRefused("columns: the page expands past its cap")

    def _spend(self, text: str) -> str:
        self.charge(len(text))
        return text

    def column(self, kind: str, values: Any, n: int) -> list[Any]:
        if not isinstance(values, list) or len(values) != n:
            raise ColumnsRefused("columns: a column of the wrong length")
        if kind == "v":
            return values
        table = self.uuids if kind == "u" else self.strings
        out: list[Any] = []
        for value in values:
            if value is None:
                out.append(None)
            elif type(value) is int:
                if not 0 <= value < len(table):
                    raise ColumnsRefused("columns: a table index out of range")
                out.append(self._spend(table[value]))
            elif isinstance(value, str):
                text = self._uuid(value) if kind == "u" else value
                table.append(text)
                out.append(self._spend(text))
            else:
                raise ColumnsRefused("columns: a value of the wrong type")
        return out

    @staticmethod
    def _uuid(value: str) -> str:
        if _B64.fullmatch(value) is None:
            raise ColumnsRefused("columns: a UUID that is not 22 characters of base64")
        return str(uuid.UUID(bytes=base64.urlsafe_b64decode(value + "==")))

    def ids(self, raw: Any, n: int) -> list[str]:
        if isinstance(raw, list):
            ids = self.column("s", raw, n)
            if not all(isinstance(i, str) and 0 < len(i) <= 36 for i in ids):
                raise ColumnsRefused("columns: a row id of the wrong form")
            return ids
        if not isinstance(raw, str) or len(raw) != 4 * ((16 * n + 2) // 3):
            raise ColumnsRefused("columns: an id block of the wrong length")
        try:
            blob = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise ColumnsRefused("columns: an id block that is not base64") from None
        if len(blob) != 16 * n:
            raise ColumnsRefused("columns: an id block of the wrong length")
        out = [str(uuid.UUID(bytes=blob[16 * k:16 * k + 16])) for k in range(n)]
        self.uuids.extend(out)
        self.charge(40 * n)
        return out


def _versions(raw: Any, n: int) -> list[int]:
    if not isinstance(raw, list) or len(raw) != n or not all(type(v) is int for v in raw):
        raise ColumnsRefused("columns: versions of the wrong form")
    out: list[int] = []
    for k, step in enumerate(raw):
        if k and step < 1:
            raise ColumnsRefused("columns: versions out of order")
        version = step + out[-1] if k else step
        if not 0 <= version <= MAX_COUNTER:
            raise ColumnsRefused("columns: a version out of range")
        out.append(version)
    return out


def _deleted(raw: Any, n: int) -> list[bool]:
    if raw is None:
        return [False] * n
    if not isinstance(raw, list) or len(raw) != n or not all(
            type(d) is int and d in (0, 1) for d in raw):
        raise ColumnsRefused("columns: deleted flags of the wrong form")
    return [bool(d) for d in raw]


_GROUP_KEYS = {"entity", "n", "ids", "versions", "deleted", "fields", "kinds", "values"}


def _group(reader: _Reader, group: Any, rows_left: int) -> list[Change]:
    if not isinstance(group, dict) or not set(group) <= _GROUP_KEYS or not (
            _GROUP_KEYS - {"deleted"}) <= set(group):
        raise ColumnsRefused("columns: a group of the wrong shape")
    entity, n, fields, kinds = group["entity"], group["n"], group["fields"], group["kinds"]
    if not isinstance(entity, str) or not 0 < len(entity) <= 32:
        raise ColumnsRefused("columns: an entity name of the wrong form")
    if type(n) is not int or not 0 < n <= rows_left:
        raise ColumnsRefused("columns: a row count out of range")
    if not isinstance(fields, list) or len(fields) > MAX_FIELDS or not all(
            isinstance(f, str) and 0 < len(f) <= MAX_NAME for f in fields) or len(
            set(fields)) != len(fields):
        raise ColumnsRefused("columns: field names of the wrong form")
    if not isinstance(kinds, str) or len(kinds) != len(fields) or set(kinds) - set("vsu"):
        raise ColumnsRefused("columns: column kinds of the wrong form")
    values = group["values"]
    if not isinstance(values, list) or len(values) != len(fields):
        raise ColumnsRefused("columns: a column too many or too few")
    # Each row's keys and punctuation, before anything is built: a page of a million
    # empty cells is refused as the plain list of them would be.
    reader.charge(n * (60 + sum(len(name) + 6 for name in fields)))
    ids = reader.ids(group["ids"], n)
    versions = _versions(group["versions"], n)
    deleted = _deleted(group.get("deleted"), n)
    columns = [reader.column(kind, column, n) for kind, column in zip(kinds, values,
                                                                      strict=True)]
    # Every field is checked above (str, int in range, bool, dict): built without re-validation.
    return [Change.model_construct(
        entity=entity, id=ids[k], version=versions[k], deleted=deleted[k],
        data={name: column[k] for name, column in zip(fields, columns, strict=True)})
        for k in range(n)]


def decode_changes(page: Any) -> list[Change]:
    """The ``Change`` list of a ``columns1`` page, in version order; ``ColumnsRefused`` for
    anything the encoder would not have made."""
    if not isinstance(page, dict) or set(page) != {"v", "groups"} or type(page["v"]) is not int \
            or page["v"] != 1:
        raise ColumnsRefused("columns: not a columns1 page")
    groups = page["groups"]
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise ColumnsRefused("columns: groups of the wrong form")
    reader = _Reader()
    changes: list[Change] = []
    for group in groups:
        changes += _group(reader, group, MAX_ROWS - len(changes))
    changes.sort(key=lambda c: c.version)
    return changes
