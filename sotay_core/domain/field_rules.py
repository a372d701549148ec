"""A synced field's value rule (``FieldRule``) and the builders the rule tables use.

``record_rules`` applies them; ``record_rules`` and ``month_rules`` hold the tables.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

MAX_BLOCK = 200_000          # a paragraph field (minutes, a document's extracted text)
DEFAULT_HORIZON_DAYS = 3660  # plans, terms and deadlines: up to ten years ahead
# A day of slack for "not after today": the two sides' clocks and time zones differ.
SLACK_DAYS = 1


@dataclass(frozen=True)
class FieldRule:
    choices: tuple[str, ...] = ()    # allowed values; empty: any
    empty_ok: bool = False           # "" allowed besides the choices
    max_length: int = MAX_BLOCK
    block: bool = False              # may hold new lines and tabs
    nfc: bool = True
    required: bool = False           # text that may not be empty
    date: bool = False
    horizon_days: int = DEFAULT_HORIZON_DAYS   # a date: how far after today it may be
    refers_to: str = ""              # an id: the entity it names, in the same scope
    pattern: str = ""                # a text: the whole value matches this
    min_value: int | None = None     # an int: the least it may be
    max_value: int | None = None     # an int: the most it may be
    int_choices: frozenset[int] = frozenset()  # an int: the values allowed (empty: any)


def values(kind: type[enum.StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


def line(max_length: int, **kwargs: Any) -> FieldRule:
    return FieldRule(max_length=max_length, **kwargs)


def block(max_length: int = MAX_BLOCK, **kwargs: Any) -> FieldRule:
    return FieldRule(max_length=max_length, block=True, **kwargs)


def choice(kind: type[enum.StrEnum], *, empty_ok: bool = False) -> FieldRule:
    allowed = values(kind)
    return FieldRule(choices=allowed, empty_ok=empty_ok, max_length=max(map(len, allowed)))


PAST = FieldRule(date=True, horizon_days=SLACK_DAYS)
DATE = FieldRule(date=True)
TIME = FieldRule(max_length=5, pattern=r"(?:[01]\d|2[0-3]):[0-5]\d")


def ref(entity: str) -> FieldRule:
    return FieldRule(refers_to=entity)


def int_rule(least: int = 0, most: int = 2**53 - 1, **kwargs: Any) -> FieldRule:
    return FieldRule(min_value=least, max_value=most, **kwargs)


MONTH = FieldRule(max_length=7, pattern=r"(?:19|2\d|[3-9]\d)\d\d-(?:0[1-9]|1[0-2])")
PERCENT = FieldRule(max_length=8, pattern=r"(?:100|\d{1,2})(?:\.\d{1,4})?")
MONEY = int_rule(0, 10_000_000_000)
