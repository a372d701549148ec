"""The review scheme (sotay_core/domain/review.py) as a setting: versioned JSON, tolerant of
unknown keys; points and shares are written as strings so they stay exact Decimals."""

from __future__ import annotations

import enum
import json
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sotay_core.domain.review import (
    CapBase,
    Conditions,
    Criterion,
    Grade,
    Scheme,
    Thresholds,
    bad,
    points,
)

SCHEME_VERSION = 1
E = TypeVar("E", bound=enum.StrEnum)



def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    t, c = scheme.thresholds, scheme.conditions

    def opt(value: object) -> str | None:
        return None if value is None else str(value)

    return {"version": SCHEME_VERSION, "name": scheme.name,
            "criteria": [{"code": k.code, "label": k.label, "max": str(k.max_points)}
                         for k in scheme.criteria],
            "thresholds": {"excellent": str(t.excellent), "good": str(t.good),
                           "fulfilled": str(t.fulfilled)},
            "conditions": {"disciplined_cap": opt(c.disciplined_cap),
                           "late_tasks_cap": opt(c.late_tasks_cap),
                           "excellent_cap_percent": opt(c.excellent_cap_percent),
                           "excellent_cap_base": c.excellent_cap_base.value,
                           "excellent_cap_round_up": c.excellent_cap_round_up,
                           "vote_more_than_percent": str(c.vote_more_than_percent)}}


def scheme_to_json(scheme: Scheme) -> str:
    return json.dumps(scheme_to_dict(scheme), ensure_ascii=False, indent=2)


def _enum(kind: type[E], value: Any, where: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise bad("review.scheme_choice", where=where, value=value,
                   choices=", ".join(m.value for m in kind)) from None


def _percent(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise bad("review.scheme_percent", value=value)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise bad("review.scheme_percent", value=value) from None


def scheme_from_dict(raw: Any) -> Scheme:
    """A scheme read from its setting. Unknown keys are ignored; a newer version, a wrong
    shape or a broken rule raises ValidationError."""
    if not isinstance(raw, dict) or not isinstance(raw.get("criteria"), list):
        raise bad("review.scheme_shape", where="scheme")
    version = raw.get("version", SCHEME_VERSION)
    if not isinstance(version, int) or not 1 <= version <= SCHEME_VERSION:
        raise bad("review.scheme_version", version=version, known=SCHEME_VERSION)
    criteria = []
    for index, item in enumerate(raw["criteria"]):
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) \
                or not isinstance(item.get("label"), str):
            raise bad("review.scheme_shape", where=f"criteria[{index}]")
        criteria.append(Criterion(item["code"].strip(), item["label"].strip(),
                                  points(item.get("max"), where=item["code"])))
    marks = raw.get("thresholds") or {}
    conds = raw.get("conditions") or {}
    if not isinstance(marks, dict) or not isinstance(conds, dict):
        raise bad("review.scheme_shape", where="thresholds/conditions")
    default_t, default_c = Thresholds(), Conditions()
    thresholds = Thresholds(
        *(points(marks.get(k, str(getattr(default_t, k))), where=k)
          for k in ("excellent", "good", "fulfilled")))

    def cap(key: str) -> Grade | None:
        value = conds.get(key, getattr(default_c, key))
        return None if value is None else _enum(Grade, value, key)

    share = conds.get("excellent_cap_percent", str(default_c.excellent_cap_percent))
    conditions = Conditions(
        disciplined_cap=cap("disciplined_cap"), late_tasks_cap=cap("late_tasks_cap"),
        excellent_cap_percent=None if share is None else _percent(share, "excellent"),
        excellent_cap_base=_enum(CapBase, conds.get("excellent_cap_base",
                                                   default_c.excellent_cap_base.value),
                                 "excellent_cap_base"),
        excellent_cap_round_up=bool(conds.get("excellent_cap_round_up", False)),
        vote_more_than_percent=_percent(conds.get(
            "vote_more_than_percent", str(default_c.vote_more_than_percent)), "vote"))
    name = raw.get("name")
    return Scheme(name.strip() if isinstance(name, str) and name.strip() else "—",
                  tuple(criteria), thresholds, conditions)


def scheme_from_json(text: str) -> Scheme:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad("review.scheme_json", detail=str(exc)) from None
    return scheme_from_dict(raw)
