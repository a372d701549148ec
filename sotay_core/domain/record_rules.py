"""What makes a synced record valid: the one definition both sides call.

The wire types (str, int, date, id) are ``protocol.entities``' business; this module
says what a *well-formed* value of each field is in the Party's terms:

* allowed values, taken from the enums in ``domain.entities`` (never copied);
* text: a longest length, NFC, and no control characters (tabs and new lines only in
  the fields that hold paragraphs);
* dates between 1900 and a horizon after today (none for a birth or an event);
* references: the record an id names must exist in the same scope;
* the lifecycle: a member's history stays possible after an event is added.

The server refuses a pushed mutation that breaks a rule (``RecordError.reason`` names the
code and the field); the PC quarantines a pulled row that breaks a value rule instead of
writing it. Reason codes: ``invalid_value``, ``too_long``, ``control_character``,
``not_nfc``, ``date_out_of_range``, ``required``, ``unknown_reference``,
``impossible_history``, ``duplicate_value``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sotay_core.domain.entities import (
    Attendance,
    DocumentOrigin,
    EventKind,
    Gender,
    MeetingKind,
    MemberEvent,
    OrgLevel,
    ResolutionStatus,
    TaskStatus,
)
from sotay_core.domain.errors import DomainError
from sotay_core.domain.field_rules import (
    DATE as _DATE,
)
from sotay_core.domain.field_rules import (
    DEFAULT_HORIZON_DAYS,
    MAX_BLOCK,
    SLACK_DAYS,
    FieldRule,
)
from sotay_core.domain.field_rules import (
    PAST as _PAST,
)
from sotay_core.domain.field_rules import (
    TIME as _TIME,
)
from sotay_core.domain.field_rules import (
    block as _block,
)
from sotay_core.domain.field_rules import (
    choice as _choice,
)
from sotay_core.domain.field_rules import (
    line as _line,
)
from sotay_core.domain.field_rules import (
    ref as _ref,
)
from sotay_core.domain.lifecycle import check_history
from sotay_core.domain.member_input import (
    EARLIEST_BIRTH_YEAR,
)
from sotay_core.domain.member_input import (
    MAX_LENGTH as MEMBER_MAX_LENGTH,
)
from sotay_core.domain.month_rules import MONTH_REQUIRED, MONTH_RULES
from sotay_core.domain.study_rules import STUDY_REQUIRED, STUDY_RULES
from sotay_core.domain.year_rules import YEAR_REQUIRED, YEAR_RULES

__all__ = ["DEFAULT_HORIZON_DAYS", "MAX_BLOCK", "SLACK_DAYS", "FieldRule"]

CODES: tuple[str, ...] = (
    "invalid_value", "too_long", "control_character", "not_nfc", "date_out_of_range",
    "required", "unknown_reference", "impossible_history", "duplicate_value",
)
# Values one live record of the scope holds alone ("" excepted): a card number is one
# party member's.
UNIQUE_FIELDS: dict[str, tuple[str, ...]] = {"members": ("card_number",)}
EARLIEST_DATE = dt.date(EARLIEST_BIRTH_YEAR, 1, 1)


class RecordError(ValueError):
    """A value that breaks a rule; ``reason`` is ``code:field`` as the server answers it."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(f"{code}:{field}")
        self.code = code
        self.field = field

    @property
    def reason(self) -> str:
        return f"{self.code}:{self.field}"


def is_known_reason(reason: str) -> bool:
    """A refusal's reason as the server gives it: the wire's own code (``sync_…``) or a
    record rule's ``code:field``."""
    code, field = split_reason(reason)
    return (code in CODES and bool(field)) or (reason.startswith("sync_") and not field)


def split_reason(reason: str) -> tuple[str, str]:
    """``code:field`` -> (code, field); a reason without a field gives ("reason", "")."""
    code, _sep, field = reason.partition(":")
    return code, field


_MEMBER_BLOCKS = frozenset({"notes"})
_MEMBER: dict[str, FieldRule] = {
    name: (_block(limit) if name in _MEMBER_BLOCKS else _line(limit))
    for name, limit in MEMBER_MAX_LENGTH.items() if name not in ("decision", "place")
}

# A comment's target is named by its type.
COMMENT_TARGETS: dict[str, str] = {
    "resolution": "resolutions", "document": "documents", "minutes": "minutes",
    "report": "monthly_reports"}

# Field -> rule, per entity. A field not named here keeps the default: a text of at most
# MAX_BLOCK characters, NFC, without control characters.
RULES: dict[str, dict[str, FieldRule]] = {
    "org_units": {
        "level": _choice(OrgLevel), "name": _line(200, required=True), "symbol": _line(16),
        "former_names": _block(),
    },
    "committee_terms": {
        "starts_on": _DATE, "ends_on": _DATE, "secretary_id": _ref("members"),
    },
    "members": {
        **_MEMBER, "full_name": _line(MEMBER_MAX_LENGTH["full_name"], required=True),
        "gender": _choice(Gender, empty_ok=True),
        "date_of_birth": _PAST,
    },
    "member_events": {
        "member_id": _ref("members"), "kind": _choice(EventKind), "date": _PAST,
        "decision": _line(MEMBER_MAX_LENGTH["decision"]),
        "place": _line(MEMBER_MAX_LENGTH["place"]), "detail": _block(20_000),
    },
    "documents": {
        "origin": _choice(DocumentOrigin), "doc_type": _line(16), "number": _line(60),
        "issued_on": _DATE, "issuer": _line(200), "title": _line(500),
        "summary": _block(), "tags": _line(500), "file_sha256": _line(64),
        "file_name": _line(260), "body_text": _block(), "file_mime": _line(100),
    },
    "bookmarks": {"document_id": _ref("documents"), "note": _block(20_000)},
    "meetings": {
        "kind": _choice(MeetingKind), "title": _line(300), "date": _DATE,
        "starts_at": _TIME, "ends_at": _TIME, "place": _line(200),
        "chair_id": _ref("members"), "recorder_id": _ref("members"),
        "guests": _block(20_000), "agenda": _block(),
    },
    "attendance": {
        "meeting_id": _ref("meetings"), "member_id": _ref("members"),
        "status": _choice(Attendance), "reason": _line(300),
    },
    "minutes": {"meeting_id": _ref("meetings"), "body": _block(), "conclusion": _block()},
    "resolutions": {
        "meeting_id": _ref("meetings"), "number": _line(60), "title": _line(500),
        "body": _block(), "status": _choice(ResolutionStatus), "issued_on": _DATE,
    },
    "tasks": {
        "resolution_id": _ref("resolutions"), "description": _block(20_000),
        "responsible_id": _ref("members"), "responsible_text": _line(200), "due_on": _DATE,
        "status": _choice(TaskStatus), "notes": _block(20_000), "done_on": _PAST,
    },
    **MONTH_RULES,
    **YEAR_RULES,
    **STUDY_RULES,
    "comments": {
        "target_type": FieldRule(choices=tuple(COMMENT_TARGETS), max_length=10),
        "author_member_id": _ref("members"), "author_text": _line(200),
        "body": _block(20_000),
    },
    # The audit chain hashes its text as written: lengths and control characters only.
    "audit_log": {
        **{name: _line(limit, nfc=False) for name, limit in (
            ("pc", 36), ("at", 32), ("actor", 120), ("action", 16), ("entity", 32),
            ("row_id", 36), ("prev_hash", 64), ("hash", 64))},
        "detail": _block(nfc=False),
    },
    # Made by the server; checked when pulled.
    "conflicts": {
        **{name: _block() for name in ("base_value", "current_value", "proposed_value")},
        **{name: _line(limit) for name, limit in (
            ("entity", 32), ("field", 64), ("proposed_by", 120), ("proposed_device", 36),
            ("current_by", 120), ("made_at", 40), ("status", 16), ("resolution", 16),
            ("resolved_at", 40))},
    },
}
_DEFAULT = FieldRule()
NON_NEGATIVE = frozenset({"seq", "votes_for", "votes_against", "voting_base",
                                  "file_size"})


# Fields a new record must carry (not null): the columns a PC cannot store a row without.
REQUIRED: dict[str, tuple[str, ...]] = {
    "org_units": ("level", "name"),
    "committee_terms": ("starts_on", "unit_id"),
    "members": ("full_name", "unit_id"),
    "member_events": ("date", "kind", "member_id"),
    "documents": ("origin", "unit_id"),
    "bookmarks": ("document_id",),
    "meetings": ("date", "unit_id"),
    "attendance": ("meeting_id", "member_id", "status"),
    "minutes": ("meeting_id",),
    "resolutions": ("unit_id",),
    "tasks": ("description",),
    **MONTH_REQUIRED,
    **YEAR_REQUIRED,
    **STUDY_REQUIRED,
    "comments": ("body", "target_id", "target_type"),
    "conflicts": ("entity", "field", "row_id"),
    "audit_log": ("action", "actor", "at", "hash", "pc", "prev_hash", "seq"),
}


def check_complete(entity: str, fields: Mapping[str, Any]) -> None:
    """A new record carries every field it cannot be stored without."""
    for name in REQUIRED.get(entity, ()):
        if fields.get(name) is None:
            raise RecordError("required", name)


def rule(entity: str, field: str) -> FieldRule:
    return RULES.get(entity, {}).get(field, _DEFAULT)


# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F.
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_BLOCK_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _check_text(entity: str, field: str, value: str, r: FieldRule) -> None:
    if (_BLOCK_CONTROLS if r.block else _LINE_CONTROLS).search(value) is not None:
        raise RecordError("control_character", field)
    if len(value) > r.max_length:
        raise RecordError("too_long", field)
    if r.nfc and not unicodedata.is_normalized("NFC", value):
        raise RecordError("not_nfc", field)
    if r.required and not value.strip():
        raise RecordError("required", field)
    if r.choices and value not in r.choices and not (r.empty_ok and value == ""):
        raise RecordError("invalid_value", field)
    if r.pattern and value and re.fullmatch(r.pattern, value) is None:
        raise RecordError("invalid_value", field)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_field(entity: str, field: str, value: Any, *, today: dt.date) -> None:
    """Raise RecordError when ``value`` breaks a value rule of ``entity.field``.

    Values come as they travel (dates as ISO text) or as columns hold them (dates)."""
    if value is None or field in ("deleted", "id", "version"):
        return
    r = rule(entity, field)
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if field in NON_NEGATIVE and value < 0:
            raise RecordError("invalid_value", field)
        if ((r.min_value is not None and value < r.min_value)
                or (r.max_value is not None and value > r.max_value)
                or (r.int_choices and value not in r.int_choices)):
            raise RecordError("invalid_value", field)
        return
    if r.date or isinstance(value, dt.date):
        day = _as_date(value)
        if day is None:
            raise RecordError("invalid_value", field)
        if day < EARLIEST_DATE or day > today + dt.timedelta(days=r.horizon_days):
            raise RecordError("date_out_of_range", field)
        return
    if isinstance(value, str):
        _check_text(entity, field, value, r)
        return
    raise RecordError("invalid_value", field)


def check_fields(entity: str, fields: Mapping[str, Any], *, today: dt.date) -> None:
    """Every value rule of the fields present (a whole row, or an update's new values)."""
    for name, value in fields.items():
        check_field(entity, name, value, today=today)


def references(entity: str, fields: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(field, target entity, id) for each id in ``fields`` that must name a record of the
    same scope."""
    out: list[tuple[str, str, str]] = []
    for name, value in fields.items():
        if not isinstance(value, str) or not value:
            continue
        target = rule(entity, name).refers_to
        if entity == "comments" and name == "target_id":
            target = COMMENT_TARGETS.get(str(fields.get("target_type")), "")
        if target:
            out.append((name, target, value))
    return out


def check_references(entity: str, fields: Mapping[str, Any],
                     exists: Callable[[str, str], bool]) -> None:
    """``exists(entity, id)``: is that record in the scope (deleted ones count)."""
    for name, target, row_id in references(entity, fields):
        if not exists(target, row_id):
            raise RecordError("unknown_reference", name)


def event_from_wire(row_id: str, data: Mapping[str, Any]) -> MemberEvent | None:
    """A member event as the wire carries it; None if its kind or date is not valid."""
    try:
        return MemberEvent(
            id=row_id, member_id=str(data.get("member_id")), kind=EventKind(str(data.get("kind"))),
            date=dt.date.fromisoformat(str(data.get("date"))), seq=int(data.get("seq") or 0),
            place=str(data.get("place") or ""))
    except (ValueError, TypeError):
        return None


def history_possible(events: Iterable[MemberEvent], date_of_birth: dt.date | None) -> bool:
    try:
        check_history(events, date_of_birth=date_of_birth)
    except DomainError:
        return False
    return True


def check_new_history(before: list[MemberEvent], after: list[MemberEvent],
                      date_of_birth: dt.date | None, *, field: str = "kind") -> None:
    """The lifecycle rule: a change may not make a possible history impossible. (A
    history already impossible, merged from two PCs, is for people to mend; it does not
    block the branch's other work.)"""
    if history_possible(after, date_of_birth):
        return
    if history_possible(before, date_of_birth):
        raise RecordError("impossible_history", field)
