"""The dues book's reads and writes on a real data folder: payments and their refusals (each
naming the member by name and the month, nothing recorded lost), advances, cancelling, the
member's basis and exemptions, the dated rates (an overlap refused), the reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from sotay_core.domain.dues import DEFAULT_RATES, Month
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_core.domain.reminders import ReminderKind
from sotay_desktop.db.engine import Database
from sotay_desktop.db.month_tables import DuesPaymentRow, DuesRateRow
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.services.members import add_member, record_event
from sotay_desktop.usecases import branch as branch_cases
from sotay_desktop.usecases import dues
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    db, _ = branch_db
    yield Workspace(db, today=lambda: TODAY)


def _member(ws: Workspace, name: str, admitted: str, **extra: object) -> str:
    with ws.db.sessions.begin() as session:
        member_id, _ = add_member(session, unit_id=ws.branch_id(), today=TODAY,
                                  data={"full_name": name, "admitted_on": admitted, **extra})
    return member_id


def _payments(ws: Workspace) -> list[tuple[str, str, int, bool]]:
    with ws.db.reads() as session:
        return [(r.member_id, r.month, r.amount, r.deleted) for r in session.scalars(
            select(DuesPaymentRow).order_by(DuesPaymentRow.month))]


def test_a_payment_of_the_due_is_recorded_synced_and_counted(ws: Workspace) -> None:
    lan = _member(ws, "Nguyễn Thị Lan", "2001-05-19")
    dues.set_basis(ws, member_id=lan, category="pension", amount=6_000_000,
                   valid_from="2026-01")
    months, changes = dues.record_payment(ws, member_id=lan, month="2026-02")
    assert months == [Month(2026, 2)] and changes.dues and not changes.members
    assert _payments(ws) == [(lan, "2026-02", 30_000, False)]
    with ws.db.reads() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.entity == "dues_payments")) == 1
    book = dues.book(ws, 2026)
    [line] = book.lines
    assert line.cell(Month(2026, 1)).due == 30_000 and line.cell(Month(2026, 2)).paid == 30_000
    assert book.collected == 30_000 and book.retained == 9_000 and book.sent_up == 21_000


@pytest.mark.parametrize(("month", "amount", "code"), [
    ("2019-12", None, "dues.before_admission"),
    ("2026-03", 0, "dues.amount_not_positive"),
    ("2026-03", -5_000, "dues.amount_not_positive"),
    ("2026-03", 99_000_000, "dues.amount_absurd"),
    ("2026-02", None, "dues.duplicate_payment"),
])
def test_refusals_name_the_member_and_month_and_lose_nothing(
        ws: Workspace, month: str, amount: int | None, code: str) -> None:
    hung = _member(ws, "Trần Văn Hùng", "2020-01-10")
    dues.record_payment(ws, member_id=hung, month="2026-02")
    before = _payments(ws)
    with pytest.raises(ValidationError) as caught:
        dues.record_payment(ws, member_id=hung, month=month, amount=amount)
    assert caught.value.code == code
    text = caught.value.message("vi")
    assert "Trần Văn Hùng" in text and hung not in text
    assert str(Month(int(month[:4]), int(month[5:]))) in text
    assert _payments(ws) == before


def test_no_payment_after_leaving_the_branch(ws: Workspace) -> None:
    gone = _member(ws, "Lê Văn Tâm", "2010-03-01")
    with ws.db.sessions.begin() as session:
        record_event(session, member_id=gone, kind="deceased", date="2026-04-15", today=TODAY)
    dues.record_payment(ws, member_id=gone, month="2026-04")   # the month they died
    with pytest.raises(ValidationError) as caught:
        dues.record_payment(ws, member_id=gone, month="2026-05")
    assert caught.value.code == "dues.after_leaving"
    assert "Lê Văn Tâm" in caught.value.message("vi") and "05/2026" in caught.value.message()
    # they left during the year: still a line of the year's book
    assert [line.name for line in dues.book(ws, 2026).lines] == ["Lê Văn Tâm"]


def test_an_advance_is_one_row_per_month_and_refused_whole(ws: Workspace) -> None:
    an = _member(ws, "Phạm Văn An", "2015-06-01")
    dues.set_basis(ws, member_id=an, category="other", amount=10_000, valid_from="2025-01")
    months, _ = dues.record_payment(ws, member_id=an, month="2026-11", months=3,
                                    amount=30_000, channel="portal", receipt="PT-12")
    assert months == [Month(2026, 11), Month(2026, 12), Month(2027, 1)]
    assert [(m, a) for _id, m, a, _d in _payments(ws)] == [
        ("2026-11", 10_000), ("2026-12", 10_000), ("2027-01", 10_000)]
    before = _payments(ws)
    with pytest.raises(ValidationError) as caught:   # November is already paid
        dues.record_payment(ws, member_id=an, month="2026-10", months=3)
    assert caught.value.code == "dues.duplicate_payment" and "11/2026" in caught.value.message()
    with pytest.raises(ValidationError) as caught:
        dues.record_payment(ws, member_id=an, month="2027-02", months=2, amount=25_000)
    assert caught.value.code == "dues.advance_mismatch"
    assert "Phạm Văn An" in caught.value.message()
    assert _payments(ws) == before


def test_cancel_marks_deleted_and_the_month_can_be_paid_again(ws: Workspace) -> None:
    binh = _member(ws, "Đỗ Thị Bình", "2012-02-02")
    dues.record_payment(ws, member_id=binh, month="2026-07", amount=5_000)
    dues.cancel_payment(ws, member_id=binh, month="2026-07")
    assert _payments(ws) == [(binh, "2026-07", 5_000, True)]
    assert dues.book(ws, 2026).collected == 0
    with pytest.raises(ValidationError, match="07/2026"):
        dues.cancel_payment(ws, member_id=binh, month="2026-07")
    dues.record_payment(ws, member_id=binh, month="2026-07", amount=6_000)
    assert dues.book(ws, 2026).collected == 6_000


def test_basis_and_exemptions_change_what_is_due(ws: Workspace) -> None:
    cuong = _member(ws, "Vũ Văn Cường", "2005-01-01")
    dues.set_basis(ws, member_id=cuong, category="insured_salary", amount=8_000_000,
                   valid_from="2026-01")
    dues.set_basis(ws, member_id=cuong, category="insured_salary", amount=9_000_000,
                   valid_from="2026-06")
    _id, _ = dues.add_exemption(ws, member_id=cuong, kind="reduction", start="2026-03",
                                end="2026-04", percent=50, decision="QĐ 12")
    with pytest.raises(ValidationError):
        dues.add_exemption(ws, member_id=cuong, kind="reduction", start="2026-03",
                           end="2027-06", percent=50)
    with pytest.raises(ValidationError):
        dues.add_exemption(ws, member_id=cuong, kind="reduction", start="2026-03",
                           end="2026-04", percent=40)
    [line] = dues.book(ws, 2026).lines
    assert [line.cell(Month(2026, m)).due for m in (1, 3, 5, 6)] == [
        80_000, 40_000, 80_000, 90_000]
    view = dues.member_dues(ws, cuong)
    assert view is not None and view.basis is not None and view.basis.amount == 9_000_000
    assert [e.percent for e in view.exemptions] == [50]
    dues.end_exemption(ws, exemption_id=view.exemptions[0].id, end="2026-03")
    assert dues.book(ws, 2026).lines[0].cell(Month(2026, 4)).due == 80_000


def test_rates_are_settings_and_an_overlap_is_refused(ws: Workspace) -> None:
    settings = dues.rates(ws)
    assert settings.versions == DEFAULT_RATES.versions and not settings.recorded
    with pytest.raises(DomainError) as caught:
        dues.add_rate(ws, valid_from="2026-02", name="Sửa", salary_percent="1",
                      pension_percent="0.5", student_amount=5_000, other_default=3_000,
                      other_min=2_000, other_max=30_000, retention_percent="30")
    assert caught.value.code == "dues.rate_overlap"
    with ws.db.reads() as session:
        assert session.scalar(select(func.count()).select_from(DuesRateRow)) == 0
    dues.add_rate(ws, valid_from="2027-01", name="Mức 2027", salary_percent="1",
                  pension_percent="0.5", student_amount=5_000, other_default=5_000,
                  other_min=2_000, other_max=30_000, retention_percent="40")
    settings = dues.rates(ws)
    assert settings.recorded and [v.name for v in settings.versions] == [
        "QĐ 342-QĐ/TW", "QĐ 01-QĐ/TW", "Mức 2027"]
    with pytest.raises(DomainError, match="overlaps"):
        dues.add_rate(ws, valid_from="2027-01", name="Lần nữa", salary_percent="1",
                      pension_percent="0.5", student_amount=5_000, other_default=5_000,
                      other_min=2_000, other_max=30_000, retention_percent="40")
    assert len(dues.rates(ws).versions) == 3


def test_reminders_at_two_and_three_unpaid_months(ws: Workspace) -> None:
    ws.today = lambda: dt.date(2026, 4, 10)
    late = _member(ws, "Hoàng Văn Muộn", "2000-01-01")
    later = _member(ws, "Ngô Thị Chậm", "2000-01-01")
    good = _member(ws, "Lý Văn Đủ", "2000-01-01")
    for month in ("2026-01", "2026-02"):
        dues.record_payment(ws, member_id=late, month=month)
    dues.record_payment(ws, member_id=later, month="2026-01")
    dues.record_payment(ws, member_id=good, month="2026-01", months=4)
    found = {r.full_name: r for r in branch_cases.reminders(ws)
             if r.kind in (ReminderKind.DUES_WARN, ReminderKind.DUES_STRIKE_OFF)}
    assert set(found) == {"Hoàng Văn Muộn", "Ngô Thị Chậm"}
    assert (found["Hoàng Văn Muộn"].kind, found["Hoàng Văn Muộn"].years) == (
        ReminderKind.DUES_WARN, 2)
    assert (found["Ngô Thị Chậm"].kind, found["Ngô Thị Chậm"].years) == (
        ReminderKind.DUES_STRIKE_OFF, 3)
    assert found["Ngô Thị Chậm"].due == dt.date(2026, 2, 1)
    view = dues.member_dues(ws, good)
    assert view is not None and view.paid_up_to == Month(2026, 4)
