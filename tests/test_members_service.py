from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from sqlalchemy import select

from sotay_core.domain.entities import EventKind, MemberStatus
from sotay_core.domain.errors import DomainError, LifecycleError, NotFoundError, ValidationError
from sotay_desktop.db.tables import MemberRow, OutboxRow
from sotay_desktop.services.members import (
    add_member,
    get_member,
    list_members,
    record_event,
    update_member,
)

TODAY = dt.date(2026, 11, 22)


def _add(db, unit: str, **data):  # type: ignore[no-untyped-def]
    with db.sessions.begin() as session:
        member_id, changes = add_member(session, unit_id=unit, data=data, today=TODAY)
    return member_id, changes


def test_add_member_with_dates_becomes_events_and_status(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    member_id, changes = _add(db, unit, full_name="Nguyễn Thị Hoà", gender="nữ",
                              date_of_birth="12/05/1960", admitted_on="2000-05-19",
                              official_on="2001-05-19", card_number="01234567")
    assert changes.touches("members")
    with db.reads() as session:
        record = get_member(session, member_id)
    assert record.status is MemberStatus.OFFICIAL
    assert [e.kind for e in record.events] == [EventKind.ADMITTED, EventKind.MADE_OFFICIAL]
    assert record.member.date_of_birth == dt.date(1960, 5, 12)
    assert record.admitted_on == dt.date(2000, 5, 19)


def test_nfd_input_is_stored_as_nfc_and_found(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    nfd = unicodedata.normalize("NFD", "Phạm Thị Hường")
    member_id, _ = _add(db, unit, full_name=nfd)
    with db.reads() as session:
        assert get_member(session, member_id).member.full_name == "Phạm Thị Hường"
        assert [m.id for m in list_members(session, search="pham thi huong")] == [member_id]
        assert [m.id for m in list_members(session, search="Hường")] == [member_id]


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"full_name": ""}, "full_name", "required"),
    ({"full_name": "Lê\x07Văn"}, "full_name", "control_character"),
    ({"full_name": "A" * 121}, "full_name", "too_long"),
    ({"full_name": "Lê Văn A", "date_of_birth": "2026-02-30"}, "date_of_birth", "bad_date"),
    ({"full_name": "Lê Văn A", "date_of_birth": "2027-01-01"}, "date_of_birth", "date_in_future"),
    ({"full_name": "Lê Văn A", "gender": "khác"}, "gender", "bad_choice"),
    ({"full_name": "Lê Văn A", "shoe_size": 42}, "shoe_size", "unknown_field"),
    ({"full_name": "Lê Văn A", "phone": "gọi tôi"}, "phone", "bad_phone"),
    ({"full_name": "Lê Văn A", "official_on": "2001-01-01"}, "admitted_on", "required"),
])
def test_bad_member_input_names_the_field(branch_db, data, field, code) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    with pytest.raises(ValidationError) as info:
        _add(db, unit, **data)
    assert (info.value.field, info.value.code) == (field, code)
    with db.reads() as session:
        assert list_members(session) == []


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"admitted_on": "2001-01-01", "official_on": "2000-06-01"}, "official_on",
     "official_before_admission"),
    ({"admitted_on": "2001-01-01", "official_on": "2001-06-01"}, "official_on",
     "official_before_probation_end"),
    ({"date_of_birth": "1990-01-01", "admitted_on": "1985-01-01"}, "admitted_on",
     "event_before_birth"),
])
def test_impossible_dates_are_refused_and_nothing_written(branch_db, data, field, code) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    with pytest.raises(DomainError) as info:
        _add(db, unit, full_name="Trần Văn Bình", **data)
    assert (info.value.field, info.value.code) == (field, code)
    with db.reads() as session:
        assert list_members(session) == []
        # (creating the branch itself was audited: that audit row is expected)
        assert session.scalars(select(OutboxRow).where(
            OutboxRow.row_id != unit, OutboxRow.entity != "audit_log")).all() == []


def test_duplicate_card_number_is_refused(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    _add(db, unit, full_name="Lê Văn An", card_number="11112222")
    with pytest.raises(ValidationError) as info:
        _add(db, unit, full_name="Lê Văn Bình", card_number="11112222")
    assert info.value.field == "card_number"
    assert "Lê Văn An" in info.value.message("vi")
    other, _ = _add(db, unit, full_name="Lê Văn Bình", card_number="33334444")
    with pytest.raises(ValidationError), db.sessions.begin() as session:
        update_member(session, member_id=other, data={"card_number": "11112222"}, today=TODAY)


def test_update_records_only_changed_fields_in_the_outbox(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    member_id, _ = _add(db, unit, full_name="Lê Văn An", residence="Xóm 1")
    with db.sessions.begin() as session:
        changes = update_member(session, member_id=member_id, today=TODAY,
                                data={"residence": "Xóm 2", "full_name": "Lê Văn An"})
    assert changes.touches("members")
    with db.reads() as session:
        rows = session.scalars(select(OutboxRow).order_by(OutboxRow.mutation_id)).all()
        assert rows[-1].op == "update"
        assert json.loads(rows[-1].fields) == {"residence": ["Xóm 1", "Xóm 2"]}
        with db.sessions.begin() as s2:
            assert not update_member(s2, member_id=member_id, data={"residence": "Xóm 2"},
                                     today=TODAY)


def test_renaming_updates_search_and_roster_order(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    a, _ = _add(db, unit, full_name="Trần Văn Bình")
    b, _ = _add(db, unit, full_name="Lê Văn An")
    with db.reads() as session:
        assert [m.id for m in list_members(session)] == [b, a]
    with db.sessions.begin() as session:
        update_member(session, member_id=a, data={"full_name": "Trần Văn Ánh"}, today=TODAY)
    with db.reads() as session:
        assert [m.id for m in list_members(session)] == [b, a]
        assert [m.id for m in list_members(session, search="anh")] == [a]
        assert list_members(session, search="binh") == []


def test_record_event_keeps_history_and_derives_status(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    member_id, _ = _add(db, unit, full_name="Hoàng Văn Đông", date_of_birth="1940-01-01",
                        admitted_on="1965-02-03", official_on="1966-02-03")
    with db.sessions.begin() as session:
        record_event(session, member_id=member_id, kind="exempted", date="2015-06-01",
                     decision="Nghị quyết chi bộ", today=TODAY)
    with db.sessions.begin() as session:
        record_event(session, member_id=member_id, kind=EventKind.DECEASED, date="2026-01-10",
                     today=TODAY)
    with db.reads() as session:
        record = get_member(session, member_id)
        assert record.status is MemberStatus.DECEASED
        assert len(record.events) == 4
        assert list_members(session, statuses=[MemberStatus.DECEASED])[0].id == member_id
    with pytest.raises(LifecycleError), db.sessions.begin() as session:
        record_event(session, member_id=member_id, kind="returned", date="2026-02-01", today=TODAY)
    with db.reads() as session:
        assert len(get_member(session, member_id).events) == 4


def test_record_event_rejects_unknown_kind_and_bad_date(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    member_id, _ = _add(db, unit, full_name="Lê Văn An", admitted_on="2020-01-01")
    with pytest.raises(ValidationError) as info, db.sessions.begin() as session:
        record_event(session, member_id=member_id, kind="promoted", date="2021-01-01", today=TODAY)
    assert info.value.field == "kind"
    with pytest.raises(ValidationError) as info, db.sessions.begin() as session:
        record_event(session, member_id=member_id, kind="made_official", date="2021-13-01",
                     today=TODAY)
    assert info.value.field == "date"


def test_unknown_member(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = branch_db
    with pytest.raises(NotFoundError), db.reads() as session:
        get_member(session, "00000000-0000-0000-0000-000000000000")


def test_every_write_lands_in_the_outbox_in_the_same_transaction(branch_db) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch_db
    member_id, _ = _add(db, unit, full_name="Lê Văn An", admitted_on="2020-01-01")
    with db.reads() as session:
        ops = [(r.entity, r.op) for r in session.scalars(
            select(OutboxRow).where(OutboxRow.row_id != unit, OutboxRow.entity != "audit_log")
            .order_by(OutboxRow.mutation_id))]
    assert ops == [("members", "create"), ("member_events", "add")]
    with db.reads() as session:
        row = session.get(MemberRow, member_id)
        assert row is not None and row.version == 0 and not row.deleted


def test_search_matches_whole_words_and_card_numbers(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reads() as session:
        everyone = list_members(session)
        found = list_members(session, search="nguyen thi")
        assert found and all({"nguyen", "thi"} <= set(m.search_key.split()) for m in found)
        expected = [m.id for m in everyone if {"nguyen", "thi"} <= set(m.search_key.split())]
        assert [m.id for m in found] == expected  # same members, roster order kept
        card = everyone[5].card_number
        assert everyone[5].id in [m.id for m in list_members(session, search=card[:5])]
        partial = list_members(session, search="nguyen th", prefix=True)
        assert {m.id for m in found} <= {m.id for m in partial}
