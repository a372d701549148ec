"""Validation of member input from any boundary (form, JSON, XLSX row, sync).

Returns clean values (NFC text, real dates, enums) or raises ValidationError
naming the field, so a form can show the message beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sotay_core.domain.dates import parse_date
from sotay_core.domain.entities import MEMBER_BLOCK_FIELDS, MEMBER_TEXT_FIELDS, Gender
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.text import TextError, clean_block, clean_line

# Longest accepted text per field (the database columns are sized to match).
MAX_LENGTH: dict[str, int] = {
    "full_name": 120,
    "birth_name": 120,
    "alias": 120,
    "place_of_birth": 200,
    "hometown": 200,
    "residence": 200,
    "ethnicity": 60,
    "religion": 60,
    "education_general": 60,
    "education_professional": 200,
    "political_theory": 60,
    "languages": 120,
    "occupation_before": 200,
    "occupation_now": 200,
    "card_number": 40,
    "record_number": 40,
    "badge_numbers": 200,
    "service_background": 120,
    "phone": 40,
    "notes": 20_000,
    # event fields
    "decision": 200,
    "place": 200,
}
DATE_FIELDS = ("date_of_birth",)
EVENT_DATE_FIELDS = ("admitted_on", "official_on")  # only when a member is created
EDITABLE_FIELDS = frozenset((*MEMBER_TEXT_FIELDS, *MEMBER_BLOCK_FIELDS, "gender", *DATE_FIELDS))
CREATE_FIELDS = EDITABLE_FIELDS | frozenset(EVENT_DATE_FIELDS)

_GENDER_WORDS = {
    "male": Gender.MALE, "nam": Gender.MALE, "m": Gender.MALE,
    "female": Gender.FEMALE, "nữ": Gender.FEMALE, "nu": Gender.FEMALE, "f": Gender.FEMALE,
}
_PHONE = re.compile(r"^\+?[0-9 ().\-]{6,20}$")
EARLIEST_BIRTH_YEAR = 1900


def clean_text_field(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # card numbers typed into spreadsheets arrive as numbers
        else:
            raise ValidationError("bad_type", field=name, expected="chuỗi ký tự")
    try:
        text = clean_block(value) if name in MEMBER_BLOCK_FIELDS else clean_line(value)
    except TextError as exc:
        raise ValidationError(exc.code, field=name, codepoint=f"{ord(exc.char):04X}") from exc
    limit = MAX_LENGTH.get(name)
    if limit is not None and len(text) > limit:
        raise ValidationError("too_long", field=name, max=limit)
    return text


def clean_date_field(name: str, value: Any, *, today: dt.date) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = parse_date(value)
        except ValueError:
            raise ValidationError("bad_date", field=name, value=value) from None
    else:
        raise ValidationError("bad_date", field=name, value=str(value))
    if day > today:
        raise ValidationError(
            "date_in_future", field=name, value=day.strftime("%d/%m/%Y"),
            today=today.strftime("%d/%m/%Y"),
        )
    if day.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError("born_too_early", field=name, value=day.year)
    return day


def clean_gender(value: Any) -> Gender | None:
    if value in (None, ""):
        return None
    if isinstance(value, Gender):
        return value
    if isinstance(value, str):
        found = _GENDER_WORDS.get(clean_line(value).lower())
        if found is not None:
            return found
    raise ValidationError("bad_choice", field="gender", value=value, choices="nam, nữ")


def clean_member_input(
    data: Mapping[str, Any], *, today: dt.date, creating: bool
) -> dict[str, Any]:
    """Validated values for the fields present in ``data`` (all of them when creating)."""
    allowed = CREATE_FIELDS if creating else EDITABLE_FIELDS
    for name in data:
        if name not in allowed:
            raise ValidationError("unknown_field", field=name)
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name == "gender":
            clean[name] = clean_gender(value)
        elif name in DATE_FIELDS or name in EVENT_DATE_FIELDS:
            clean[name] = clean_date_field(name, value, today=today)
        else:
            clean[name] = clean_text_field(name, value)
    if creating or "full_name" in clean:
        if not clean.get("full_name"):
            raise ValidationError("required", field="full_name")
    _check_date_order(clean)
    if clean.get("phone") and not _PHONE.match(clean["phone"]):
        raise ValidationError("bad_phone", field="phone", value=clean["phone"])
    return clean


def _check_date_order(clean: Mapping[str, Any]) -> None:
    """Birth before admission before full membership, named on the later field."""
    born, admitted, official = (clean.get(k) for k in ("date_of_birth", "admitted_on",
                                                        "official_on"))
    if born and admitted and admitted < born:
        raise ValidationError("event_before_birth", field="admitted_on", event="kết nạp",
                              date=_vn(admitted), birth=_vn(born))
    if admitted and official and official < admitted:
        raise ValidationError("official_before_admission", field="official_on",
                              date=_vn(official), admitted=_vn(admitted))


def _vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
