"""The admission figures (``admission.AdmissionRules``) as this PC's setting: JSON in the
``meta`` table, the code's defaults while none is stored (as the meeting's score scheme).

Which figures are UNCONFIRMED against QĐ 294-QĐ/TW / HD 06-HD/BTCTW (2025) is said here
once (``UNCONFIRMED``); the settings dialog and ``sotay candidates rules`` show them as
such. Public holidays are dates (none by default: the working-day deadlines
then count Monday to Friday only, which the screen says).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain.admission import DEFAULT_ADMISSION_RULES, AdmissionRules
from sotay_core.domain.errors import ValidationError
from sotay_desktop.db.meta import get_meta, set_meta
from sotay_desktop.db.tables import Meta
from sotay_desktop.services.changes import Changes

RULES_KEY = "admission_rules"
SETTING_CHANGES = Changes.of("candidates")

# name -> (lowest, highest) accepted; the order is the order shown.
BOUNDS: dict[str, tuple[int, int]] = {
    "minimum_age": (14, 30),
    "maximum_age": (30, 100),
    "certificate_valid_months": (1, 240),
    "sponsor_min_party_years": (0, 30),
    "sponsor_together_months": (0, 120),
    "sponsors_needed": (1, 2),
    "majority_numerator": (1, 99),
    "majority_denominator": (1, 100),
    "ceremony_working_days": (1, 365),
    "probation_months": (1, 60),
    "official_review_working_days": (1, 365),
}
FLAGS = ("majority_strict",)
# Figures not confirmed against the 2025 texts (QĐ 294 / HD 06): see admission.py.
UNCONFIRMED = frozenset({
    "minimum_age", "maximum_age", "certificate_valid_months", "sponsor_min_party_years",
    "sponsors_needed", "majority_numerator", "majority_denominator", "majority_strict",
})
MAX_HOLIDAYS = 400


def rules_to_dict(rules: AdmissionRules) -> dict[str, Any]:
    values = {name: getattr(rules, name) for name in (*BOUNDS, *FLAGS)}
    values["public_holidays"] = sorted(day.isoformat() for day in rules.public_holidays)
    return values


def rules_to_json(rules: AdmissionRules) -> str:
    return json.dumps(rules_to_dict(rules), ensure_ascii=False, sort_keys=True)


def _bad(name: str, value: object) -> ValidationError:
    low, high = BOUNDS.get(name, (0, 0))
    return ValidationError("admission_app.bad_setting", field=name, value=str(value),
                           low=low, high=high)


def rules_from_dict(data: Mapping[str, Any]) -> AdmissionRules:
    """Checked values over the defaults; an unknown name or a value out of range is refused
    naming it. ``maximum_age`` may be None (no upper limit)."""
    known = {*BOUNDS, *FLAGS, "public_holidays"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError("unknown_field", field=unknown[0])
    values: dict[str, Any] = {}
    for name, (low, high) in BOUNDS.items():
        if name not in data:
            continue
        value = data[name]
        if value is None and name == "maximum_age":
            values[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _bad(name, value)
        values[name] = value
    for name in FLAGS:
        if name in data:
            if not isinstance(data[name], bool):
                raise ValidationError("admission_app.bad_flag", field=name, value=str(data[name]))
            values[name] = data[name]
    if "public_holidays" in data:
        values["public_holidays"] = _holidays(data["public_holidays"])
    rules = dataclasses.replace(DEFAULT_ADMISSION_RULES, **values)
    if rules.majority_numerator > rules.majority_denominator:
        raise ValidationError("admission_app.bad_majority", field="majority_numerator",
                              numerator=rules.majority_numerator,
                              denominator=rules.majority_denominator)
    if rules.maximum_age is not None and rules.maximum_age <= rules.minimum_age:
        raise _bad("maximum_age", rules.maximum_age)
    return rules


def _holidays(raw: object) -> frozenset[dt.date]:
    if not isinstance(raw, list | tuple) or len(raw) > MAX_HOLIDAYS:
        raise ValidationError("admission_app.bad_holiday", field="public_holidays",
                              value=str(raw)[:40])
    days = set()
    for item in raw:
        try:
            days.add(dt.date.fromisoformat(str(item)))
        except ValueError:
            raise ValidationError("admission_app.bad_holiday", field="public_holidays",
                                  value=str(item)[:40]) from None
    return frozenset(days)


def rules_from_json(text: str) -> AdmissionRules:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError("bad_json", detail=str(exc)) from None
    if not isinstance(data, dict):
        raise ValidationError("bad_json", detail="{}")
    return rules_from_dict(data)


def current_rules(session: Session) -> AdmissionRules:
    """The stored figures, or the defaults (also when what is stored no longer reads)."""
    text = get_meta(session, RULES_KEY)
    if not text:
        return DEFAULT_ADMISSION_RULES
    try:
        return rules_from_json(text)
    except ValidationError:
        return DEFAULT_ADMISSION_RULES


def is_recorded(session: Session) -> bool:
    return bool(get_meta(session, RULES_KEY))


def set_rules(session: Session, values: Mapping[str, Any] | None) -> Changes:
    """Store figures (checked first; names not given keep their current value); None goes
    back to the defaults."""
    if values is None:
        row = session.get(Meta, RULES_KEY)
        if row is not None:
            session.delete(row)
            session.flush()
        return SETTING_CHANGES
    merged = {**rules_to_dict(current_rules(session)), **values}
    set_meta(session, RULES_KEY, rules_to_json(rules_from_dict(merged)))
    return SETTING_CHANGES
