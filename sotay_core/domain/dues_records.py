"""Stored dues records read back into the rules' values, the one way both sides do it.

The PC reads its table rows and the province server reads the same records as they
travelled; both call these functions so the book the secretary prints and the figures the
commune sees are computed from the same values. A stored value that is not valid (a row
merged from an older or modified PC) gives None and is left out rather than failing the
whole book; the record rules refuse such values on the way in, so this is the last guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sotay_core.domain.dues import (
    DEFAULT_RATES,
    DuesBasis,
    DuesCategory,
    Exemption,
    ExemptionKind,
    Month,
    Payment,
    PaymentChannel,
    RateTable,
    RateVersion,
)
from sotay_core.domain.entities import MemberEvent, MemberStatus
from sotay_core.domain.errors import DomainError
from sotay_core.domain.lifecycle import check_history, fold_fitting

_BAD = (DomainError, InvalidOperation, ValueError, TypeError)
# The stored fields of a rate version (``dues_rates``), as ``rate_version_of`` takes them.
RATE_FIELDS = ("valid_from", "name", "salary_percent", "pension_percent", "student_amount",
               "other_default", "other_min", "other_max", "retention_percent")


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def stored_month(value: Any) -> Month | None:
    """``"2026-02"`` (the stored form) to a Month; anything else None."""
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return Month(year, month)
    except _BAD:
        return None


def rate_version_of(*, valid_from: Any, name: Any, salary_percent: Any, pension_percent: Any,
                    student_amount: Any, other_default: Any, other_min: Any, other_max: Any,
                    retention_percent: Any, **_ignored: Any) -> RateVersion | None:
    day = _day(valid_from)
    if day is None:
        return None
    try:
        return RateVersion(
            valid_from=day, name=str(name or ""),
            salary_percent=Decimal(str(salary_percent)),
            pension_percent=Decimal(str(pension_percent)),
            student_amount=int(student_amount or 0), other_default=int(other_default or 0),
            other_min=int(other_min or 0), other_max=int(other_max or 0),
            retention_percent=Decimal(str(retention_percent)))
    except _BAD:
        return None


def rate_table_of(versions: Iterable[RateVersion | None]) -> RateTable:
    """The branch's dated versions; none valid: ``DEFAULT_RATES``. Two versions of one month
    (two PCs wrote one before they synced): the first given counts."""
    seen: dict[dt.date, RateVersion] = {}
    for version in versions:
        if version is not None:
            seen.setdefault(version.valid_from, version)
    return RateTable(tuple(seen.values())) if seen else DEFAULT_RATES


def basis_of(category: Any, amount: Any) -> DuesBasis | None:
    try:
        return DuesBasis(DuesCategory(str(category)), int(amount or 0))
    except _BAD:
        return None


def exemption_of(*, kind: Any, starts_on: Any, ends_on: Any, decision: Any,
                 percent: Any) -> Exemption | None:
    start, end = _day(starts_on), _day(ends_on) if ends_on else None
    if start is None or (ends_on and end is None):
        return None
    try:
        return Exemption(ExemptionKind(str(kind)), Month.of(start),
                         Month.of(end) if end else None, str(decision or ""),
                         int(percent if percent is not None else 100))
    except _BAD:
        return None


def payment_of(*, member_id: Any, month: Any, amount: Any, paid_on: Any,
               channel: Any) -> Payment | None:
    for_month, day = stored_month(month), _day(paid_on)
    if for_month is None or day is None or not isinstance(amount, int) \
            or isinstance(amount, bool):
        return None
    try:
        return Payment(str(member_id or ""), for_month, amount, day,
                       PaymentChannel(str(channel or "cash")))
    except _BAD:
        return None


def membership_span(events: Sequence[MemberEvent],
                    ) -> tuple[dt.date | None, dt.date | None, MemberStatus]:
    """(first admitted, left the branch, status now) from a member's events. A history that
    cannot have happened (merged from two PCs) is folded from what fits."""
    admitted, _joined, left, status = membership(events)
    return admitted, left, status


def membership(events: Sequence[MemberEvent],
               ) -> tuple[dt.date | None, dt.date | None, dt.date | None, MemberStatus]:
    """(first admitted, first day on this roster, left the branch, status now). The day on
    the roster is None for a member who never joined it (attending here temporarily)."""
    try:
        state = check_history(events)
    except DomainError:
        state = fold_fitting(events)
    left = None
    if not state.status.on_roster:
        ends = [day for day in (state.left_on, state.deceased_on, state.transferred_out_on)
                if day is not None]
        left = max(ends) if ends else None
    return state.first_admitted_on, state.joined_on, left, state.status
