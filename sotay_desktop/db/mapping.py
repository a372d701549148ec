"""The one module that turns rows into domain objects and back."""

from __future__ import annotations

from sotay_core.domain.entities import (
    MEMBER_BLOCK_FIELDS,
    MEMBER_TEXT_FIELDS,
    EventKind,
    Gender,
    Member,
    MemberEvent,
    OrgLevel,
    OrgUnit,
    stored,
)
from sotay_desktop.db.tables import MemberEventRow, MemberRow, OrgUnitRow

MEMBER_FIELDS: tuple[str, ...] = (
    *MEMBER_TEXT_FIELDS,
    *MEMBER_BLOCK_FIELDS,
    "gender",
    "date_of_birth",
)


def member_from_row(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        unit_id=row.unit_id,
        gender=stored(Gender, row.gender),
        date_of_birth=row.date_of_birth,
        version=row.version,
        **{name: getattr(row, name) or "" for name in (*MEMBER_TEXT_FIELDS, *MEMBER_BLOCK_FIELDS)},
    )


def member_value(name: str, value: object) -> object:
    """A domain value as stored in a column (enums as their text)."""
    if isinstance(value, Gender):
        return value.value
    return value


def event_from_row(row: MemberEventRow) -> MemberEvent | None:
    """None for an event of a kind this version does not know (a bad row already stored):
    it is left out of the history rather than stopping the roster."""
    kind = stored(EventKind, row.kind)
    if kind is None:
        return None
    return MemberEvent(
        id=row.id,
        member_id=row.member_id,
        kind=kind,
        date=row.date,
        decision=row.decision,
        place=row.place,
        detail=row.detail,
        seq=row.seq,
    )


def unit_from_row(row: OrgUnitRow) -> OrgUnit:
    return OrgUnit(
        id=row.id,
        level=stored(OrgLevel, row.level, OrgLevel.BRANCH),
        name=row.name,
        parent_id=row.parent_id,
        symbol=row.symbol,
        is_grassroots=row.is_grassroots,
        has_chi_uy=row.has_chi_uy,
    )
