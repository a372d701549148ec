"""Transfer letters on a real data folder: each kind writes its life event through the
lifecycle, the roster counts, the monthly report, the dues book and the meeting roll follow
the event's day; each refusal names its rule and leaves nothing written; the deadline's day
is in time and the day after is late; cancelling and restoring keep the history whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from sotay_core.domain.dues import Month
from sotay_core.domain.entities import EventKind, MemberStatus
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_core.domain.monthly_report import NUMBER_STATUSES
from sotay_core.domain.reminders import ReminderKind
from sotay_core.domain.transfers import TransferRules
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.db.year_tables import TransferRow
from sotay_desktop.services import members as member_service
from sotay_desktop.services import monthly_report
from sotay_desktop.services.transfers_read import LetterStatus
from sotay_desktop.usecases import branch as branch_cases
from sotay_desktop.usecases import dues, transfers
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY  # Sunday 22/11/2026

D = dt.date


class Clock:
    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock(TODAY)


@pytest.fixture
def ws(branch_db: tuple[Database, str], clock: Clock) -> Iterator[Workspace]:
    db, _ = branch_db
    yield Workspace(db, today=clock)


def member(ws: Workspace, name: str, admitted: str = "2010-05-19",
           official: str | None = "2011-05-19") -> str:
    data = {"full_name": name, "admitted_on": admitted}
    if official:
        data["official_on"] = official
    with ws.db.sessions.begin() as session:
        member_id, _ = member_service.add_member(session, unit_id=ws.branch_id(),
                                                 today=TODAY, data=data)
    return member_id


def status(ws: Workspace, member_id: str) -> MemberStatus:
    with ws.db.reads() as session:
        return member_service.get_member(session, member_id).status


def numbers(ws: Workspace, month: Month) -> tuple[int, int]:
    """(party numbers, attending temporarily) of the month's report, from the records."""
    with ws.db.reads() as session:
        figures = monthly_report.figures(session, month=month, today=TODAY)
    return sum(figures.numbers.get(s, 0) for s in NUMBER_STATUSES), figures.temporary


def letters_count(ws: Workspace) -> int:
    with ws.db.reads() as session:
        return session.scalar(select(func.count()).select_from(TransferRow)) or 0


def out(ws: Workspace, member_id: str, **extra: object) -> str:
    fields: dict[str, object] = dict(direction="out", kind="official_outside", number="35-GGT/ĐU",
                                     issued_on="10/11/2026", member_id=member_id,
                                     to_place="Đảng bộ phường Hồng Châu, tỉnh Thái Bình")
    fields.update(extra)
    transfer_id, _ = transfers.record_letter(ws, **fields)  # type: ignore[arg-type]
    return transfer_id


NEW = {"full_name": "Vũ Thị Hạnh", "gender": "female", "date_of_birth": "1990-04-02",
       "admitted_on": "15/03/2015", "official_on": "15/03/2016"}


def arrive(ws: Workspace, kind: str = "official_within", **extra: object) -> str:
    fields: dict[str, object] = dict(direction="in", kind=kind, number="88-GGT/ĐU",
                                     issued_on="02/11/2026", person=dict(NEW),
                                     from_place="Chi bộ thôn Nam, xã Đại Đồng",
                                     presented_on="20/11/2026", dues_paid_to="10/2026")
    fields.update(extra)
    transfer_id, _ = transfers.record_letter(ws, **fields)  # type: ignore[arg-type]
    return transfer_id


# --- the four kinds and what follows from their day ------------------------------------------


def test_official_out_leaves_the_roster_from_the_day_and_stays_in_history(ws: Workspace) -> None:
    an = member(ws, "Nguyễn Văn An")
    member(ws, "Trần Văn Bình")
    dues.set_basis(ws, member_id=an, category="other", amount=10_000, valid_from="2026-01")
    dues.record_payment(ws, member_id=an, month="2026-01", months=10)   # paid to 10/2026
    transfer_id = out(ws, an)
    view = transfers.letter(ws, transfer_id)
    assert view.event_kind is EventKind.TRANSFERRED_OUT and view.event_date == D(2026, 11, 10)
    assert view.dues_paid_to == Month(2026, 10)          # from the dues book
    assert view.from_place == "Chi bộ thôn Thượng"       # this branch, by default
    assert status(ws, an) is MemberStatus.TRANSFERRED_OUT
    with ws.db.reads() as session:
        record = member_service.get_member(session, an)
        counts = member_service.count_by_status(session, unit_id=ws.branch_id())
    assert record.transferred_out_on == D(2026, 11, 10) and len(record.events) == 3
    assert counts[MemberStatus.OFFICIAL] == 1
    assert numbers(ws, Month(2026, 10)) == (2, 0)       # October: still here
    assert numbers(ws, Month(2026, 11)) == (1, 0)       # November: gone
    line = next(li for li in dues.book(ws, 2026).lines if li.member_id == an)
    assert line.cell(Month(2026, 11)).due == 10_000      # the month of leaving is owed
    assert line.cell(Month(2026, 12)).due == 0 and not line.cell(Month(2026, 12)).member
    with ws.db.reads() as session:
        sent = session.scalars(select(OutboxRow.entity).where(
            OutboxRow.entity.in_(("transfers", "member_events")))).all()
    assert sent.count("transfers") == 1


def test_temporary_out_is_away_still_counted_at_home_then_returns(ws: Workspace) -> None:
    an = member(ws, "Nguyễn Văn An")
    transfer_id = out(ws, an, kind="temporary_within", to_place="Chi bộ Công ty May Phố Nối")
    assert status(ws, an) is MemberStatus.AWAY
    assert numbers(ws, Month(2026, 11)) == (1, 0)
    transfers.end_stay(ws, transfer_id, "21/11/2026")
    assert status(ws, an) is MemberStatus.OFFICIAL
    assert transfers.letter(ws, transfer_id).ended_on == D(2026, 11, 21)
    with pytest.raises(ValidationError) as official:
        transfers.end_stay(ws, out(ws, an, number="36-GGT/ĐU", issued_on="22/11/2026"),
                           "22/11/2026")
    assert official.value.code == "transfers.not_a_stay"


def test_official_in_of_a_new_person_counts_from_the_day_presented(ws: Workspace) -> None:
    member(ws, "Trần Văn Bình")
    transfer_id = arrive(ws)
    view = transfers.letter(ws, transfer_id)
    assert view.event_kind is EventKind.TRANSFERRED_IN and view.event_date == D(2026, 11, 20)
    assert view.to_place == "Chi bộ thôn Thượng" and view.status is LetterStatus.PRESENTED
    with ws.db.reads() as session:
        record = member_service.get_member(session, view.member_id)
    assert record.status is MemberStatus.OFFICIAL and record.admitted_on == D(2015, 3, 15)
    assert record.transferred_in_from == "Chi bộ thôn Nam, xã Đại Đồng"
    assert numbers(ws, Month(2026, 10)) == (1, 0)
    assert numbers(ws, Month(2026, 11)) == (2, 0)
    line = next(li for li in dues.book(ws, 2026).lines if li.member_id == view.member_id)
    assert [c.member for c in line.cells[9:11]] == [False, True]   # owes here from November


def test_temporary_in_attends_here_outside_the_party_numbers(ws: Workspace) -> None:
    member(ws, "Trần Văn Bình")
    transfer_id = arrive(ws, kind="temporary_outside")
    view = transfers.letter(ws, transfer_id)
    assert status(ws, view.member_id) is MemberStatus.TEMPORARY
    assert numbers(ws, Month(2026, 11)) == (1, 1)
    assert all(li.member_id != view.member_id for li in dues.book(ws, 2026).lines)
    transfers.end_stay(ws, transfer_id, "22/11/2026")
    assert status(ws, view.member_id) is MemberStatus.TRANSFERRED_OUT
    assert numbers(ws, Month(2026, 11)) == (1, 0)


def test_a_member_who_left_can_come_back_by_a_letter_presented_later(ws: Workspace,
                                                                      clock: Clock) -> None:
    an = member(ws, "Nguyễn Văn An")
    out(ws, an)
    back = transfers.record_letter(ws, direction="in", kind="official_outside", number="9/GGT",
                                   issued_on="20/11/2026", member_id=an,
                                   from_place="Đảng bộ phường Hồng Châu")[0]
    assert transfers.letter(ws, back).status is LetterStatus.WAITING
    assert status(ws, an) is MemberStatus.TRANSFERRED_OUT   # not here until presented
    transfers.present(ws, back, "22/11/2026")
    assert status(ws, an) is MemberStatus.OFFICIAL


# --- refusals, each naming its rule; nothing written ----------------------------------------


def refused(ws: Workspace, code: str, **fields: object) -> ValidationError:
    before = letters_count(ws)
    with pytest.raises(ValidationError) as caught:
        transfers.record_letter(ws, **fields)  # type: ignore[arg-type]
    assert caught.value.code == code, caught.value.message("vi")
    assert "{" not in caught.value.message("vi") and "{" not in caught.value.message("en")
    assert letters_count(ws) == before
    return caught.value


def test_each_bad_letter_is_refused_naming_the_rule(ws: Workspace) -> None:
    an = member(ws, "Nguyễn Văn An", admitted="2026-11-12", official=None)
    base = dict(direction="out", kind="official_within", number="35-GGT/ĐU",
                issued_on="10/11/2026", member_id=an, to_place="Chi bộ thôn Nam")
    early = refused(ws, "transfer.before_admission", **base)
    assert "Nguyễn Văn An" in early.message("vi") and "12/11/2026" in early.message("vi")
    ok = {**base, "issued_on": "20/11/2026"}
    refused(ws, "transfer.deadline_before_issue", **{**ok, "valid_until": "19/11/2026"})
    refused(ws, "transfer.presented_before_issue", **{**ok, "presented_on": "19/11/2026"})
    refused(ws, "transfer.no_number", **{**ok, "number": "  "})
    refused(ws, "date_in_future", **{**ok, "issued_on": "23/11/2026"})
    refused(ws, "transfers.place_needed", **{**ok, "to_place": ""})
    refused(ws, "transfers.bad_month", **{**ok, "dues_paid_to": "13/2026"})
    refused(ws, "bad_choice", **{**ok, "kind": "forever"})
    with ws.db.sessions.begin() as session:   # a person in the records never admitted
        never, _ = member_service.add_member(session, unit_id=ws.branch_id(), today=TODAY,
                                             data={"full_name": "Lê Văn Chưa"})
    refused(ws, "transfer.not_member", **{**ok, "member_id": never})
    out(ws, an, issued_on="20/11/2026")
    gone = refused(ws, "transfers.not_on_roster", **{**ok, "number": "36"})
    assert "Nguyễn Văn An" in gone.message("vi")
    assert status(ws, an) is MemberStatus.TRANSFERRED_OUT   # the first letter stands


def test_bad_letters_received_are_refused(ws: Workspace) -> None:
    binh = member(ws, "Trần Văn Bình")
    base = dict(direction="in", kind="official_within", number="88-GGT/ĐU",
                issued_on="02/11/2026", from_place="Chi bộ thôn Nam")
    refused(ws, "transfers.already_here", **{**base, "member_id": binh,
                                              "presented_on": "20/11/2026"})
    refused(ws, "transfers.new_needs_presented", **{**base, "person": dict(NEW)})
    late_admission = {**NEW, "admitted_on": "05/11/2026", "official_on": ""}
    refused(ws, "transfer.before_admission", **{**base, "person": late_admission,
                                                 "presented_on": "20/11/2026"})
    refused(ws, "transfers.admission_needed", **{**base, "person": {"full_name": "Lê Thị Mơ"},
                                                  "presented_on": "20/11/2026"})
    refused(ws, "transfers.member_or_person", **base)
    with ws.db.reads() as session:   # no person was left behind by a refusal
        names = [m.full_name for m in member_service.list_members(session)]
    assert names == ["Trần Văn Bình"]


# --- the deadline -------------------------------------------------------------------------


def test_presented_on_the_deadline_is_in_time_the_day_after_is_late(ws: Workspace,
                                                                    clock: Clock) -> None:
    transfers.set_rules(ws, TransferRules(30, working_days=False))
    an = member(ws, "Nguyễn Văn An")
    on_time = out(ws, an, kind="temporary_within", issued_on="01/02/2024",
                  to_place="Chi bộ Trường Chính trị tỉnh")   # 2024 is a leap year
    view = transfers.letter(ws, on_time)
    assert view.valid_until == D(2024, 3, 2)
    transfers.present(ws, on_time, "02/03/2024")
    assert transfers.letter(ws, on_time).status is LetterStatus.PRESENTED
    transfers.present(ws, on_time, "03/03/2024")
    late = transfers.letter(ws, on_time)
    assert late.status is LetterStatus.PRESENTED_LATE and late.days_late == 1


def test_a_letter_not_presented_is_flagged_the_day_after_and_reminded(ws: Workspace,
                                                                      clock: Clock) -> None:
    an = member(ws, "Nguyễn Văn An")
    clock.day = D(2026, 11, 2)
    transfer_id = out(ws, an, issued_on="02/11/2026")
    assert transfers.letter(ws, transfer_id).valid_until == D(2026, 12, 14)   # 30 working days
    clock.day = D(2026, 12, 14)
    assert transfers.letter(ws, transfer_id).status is LetterStatus.WAITING
    assert transfers.letters(ws, late_only=True) == []
    clock.day = D(2026, 12, 15)
    view = transfers.letter(ws, transfer_id)
    assert view.status is LetterStatus.LATE and view.days_late == 1
    reminders = [r for r in branch_cases.reminders(ws) if r.kind is ReminderKind.TRANSFER_LATE]
    assert [(r.member_id, r.years) for r in reminders] == [(an, 1)]


# --- editing, cancelling, restoring --------------------------------------------------------


def test_moving_the_day_moves_the_event(ws: Workspace) -> None:
    an = member(ws, "Nguyễn Văn An")
    transfer_id = out(ws, an)
    first = transfers.letter(ws, transfer_id).event_id
    transfers.update_letter(ws, transfer_id, {"moved_on": "12/11/2026", "number": "35b"})
    view = transfers.letter(ws, transfer_id)
    assert view.event_date == D(2026, 11, 12) and view.event_id != first
    assert view.number == "35b"
    with ws.db.reads() as session:
        kinds = [e.kind for e in member_service.get_member(session, an).events]
    assert kinds.count(EventKind.TRANSFERRED_OUT) == 1
    with pytest.raises(ValidationError) as caught:
        transfers.update_letter(ws, transfer_id, {"kind": "temporary_within"})
    assert caught.value.code == "transfers.unknown_field"


def test_cancel_takes_the_event_back_and_restore_brings_it(ws: Workspace) -> None:
    an = member(ws, "Nguyễn Văn An")
    transfer_id = out(ws, an)
    transfers.cancel_letter(ws, transfer_id)
    assert status(ws, an) is MemberStatus.OFFICIAL and transfers.letters(ws) == []
    assert "35-GGT/ĐU" in (transfers.cancelled(ws) or "")
    transfers.restore_last(ws)
    assert status(ws, an) is MemberStatus.TRANSFERRED_OUT
    assert [v.id for v in transfers.letters(ws)] == [transfer_id]
    with pytest.raises(DomainError) as twice:
        transfers.restore_last(ws)
    assert twice.value.code == "transfers.nothing_to_restore"


def test_cancelling_a_letter_received_removes_the_person_it_brought(ws: Workspace) -> None:
    transfer_id = arrive(ws)
    person = transfers.letter(ws, transfer_id).member_id
    transfers.cancel_letter(ws, transfer_id)
    with ws.db.reads() as session:
        assert member_service.list_members(session) == []
    transfers.restore_last(ws)   # the same person back, not a copy
    assert status(ws, person) is MemberStatus.OFFICIAL


def test_a_cancel_that_would_break_the_history_is_refused(ws: Workspace) -> None:
    an = member(ws, "Nguyễn Văn An")
    transfer_id = out(ws, an, kind="temporary_within", to_place="Chi bộ Công ty May")
    transfers.end_stay(ws, transfer_id, "20/11/2026")
    with pytest.raises(ValidationError) as caught:
        transfers.cancel_letter(ws, transfer_id)
    assert caught.value.code == "transfers.history_broken"
    assert "Nguyễn Văn An" in caught.value.message("vi")
    assert [v.id for v in transfers.letters(ws)] == [transfer_id]   # nothing changed
