"""Transfers' pure rules (sotay_core/domain/transfers.py): the four kinds of introduction
letter, a transfer dated before admission refused, and the late flag on the deadline day
versus the day after."""

from __future__ import annotations

import datetime as dt

import pytest

from sotay_core.domain.dues import Month
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.transfers import (
    PRESENT_WITHIN_DAYS,
    Direction,
    IntroductionLetter,
    TransferKind,
    check_transfer,
    days_late,
    default_deadline,
    late,
)

pytestmark = pytest.mark.server

D = dt.date
ISSUED = D(2026, 11, 2)


def letter(**changes: object) -> IntroductionLetter:
    fields: dict[str, object] = dict(
        member="Nguyễn Văn Dũng", kind=TransferKind.OFFICIAL_OUTSIDE, direction=Direction.IN,
        number="125-GGT/ĐU", issued_on=ISSUED, valid_until=default_deadline(ISSUED),
        from_place="Chi bộ thôn Đông, xã Tân Lập", to_place="Chi bộ thôn 3",
        dues_paid_to=Month(2026, 10), presented_on=None)
    fields.update(changes)
    return IntroductionLetter(**fields)  # type: ignore[arg-type]


def test_four_kinds_official_or_temporary_within_or_outside() -> None:
    assert len(TransferKind) == 4
    assert {(k.official, k.within_province) for k in TransferKind} == {
        (True, True), (True, False), (False, True), (False, False)}


def test_default_deadline_is_thirty_days_after_issue() -> None:
    assert PRESENT_WITHIN_DAYS == 30
    assert default_deadline(ISSUED) == D(2026, 12, 2)


def test_a_transfer_one_day_before_admission_is_refused_on_the_day_allowed() -> None:
    admitted = D(2020, 5, 19)
    check_transfer("Nguyễn Văn Dũng", admitted, admitted)
    with pytest.raises(ValidationError) as caught:
        check_transfer("Nguyễn Văn Dũng", D(2020, 5, 18), admitted)
    assert caught.value.code == "transfer.before_admission"
    assert "Nguyễn Văn Dũng" in caught.value.message("vi")
    assert "19/05/2020" in caught.value.message("vi")
    with pytest.raises(ValidationError) as never:
        check_transfer("Lê Văn An", D(2020, 5, 18), None)
    assert never.value.code == "transfer.not_member"


def test_presented_on_the_deadline_day_is_in_time_the_day_after_is_late() -> None:
    deadline = default_deadline(ISSUED)
    assert not late(letter(presented_on=deadline), D(2027, 1, 1))
    assert late(letter(presented_on=deadline + dt.timedelta(days=1)), D(2027, 1, 1))
    assert days_late(letter(presented_on=deadline + dt.timedelta(days=1)), D(2027, 1, 1)) == 1


def test_not_presented_is_flagged_only_after_the_deadline() -> None:
    deadline = default_deadline(ISSUED)
    assert not late(letter(), deadline)
    assert late(letter(), deadline + dt.timedelta(days=1))
    assert days_late(letter(), deadline) == 0
    assert days_late(letter(), deadline + dt.timedelta(days=3)) == 3


@pytest.mark.parametrize(("changes", "code"), [
    ({"number": "  "}, "transfer.no_number"),
    ({"valid_until": ISSUED - dt.timedelta(days=1)}, "transfer.deadline_before_issue"),
    ({"presented_on": ISSUED - dt.timedelta(days=1)}, "transfer.presented_before_issue"),
])
def test_a_bad_letter_is_refused(changes: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        letter(**changes)
    assert caught.value.code == code
    assert "Nguyễn Văn Dũng" in caught.value.message("vi")
    assert "{" not in caught.value.message("en")


def test_the_letter_carries_the_dues_month() -> None:
    assert str(letter().dues_paid_to) == "10/2026"
