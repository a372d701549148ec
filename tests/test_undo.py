"""Mistakes can be undone (issue 16, part 3): a member entered by mistake is removed after a
confirmation, as a synced marker; an import is undone as one step; Home offers the undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_core.domain.errors import DomainError, ValidationError
from sotay_desktop.db.engine import Database, open_database
from sotay_desktop.db.tables import MemberEventRow, MemberRow, OutboxRow
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import audit_log, meetings, members, papers, roster, undo
from sotay_desktop.usecases import branch as uc_branch
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import open_copy

CSV = """STT,Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Ngày chính thức,Số thẻ đảng viên\r
1,Hoàng Văn Thử,12/04/1966,Nam,03/02/1990,03/02/1991,090111\r
2,Lò Thị Nhầm,2/4/1970,Nữ,19/05/1995,19/05/1996,090112\r
""".encode("utf-8-sig")


@pytest.fixture
def store(demo_db: Database) -> Workspace:
    return Workspace(demo_db, today=lambda: TODAY)


def _names(store: Workspace) -> set[str]:
    return {m.full_name for m in members.roster(store)}


def test_a_member_entered_by_mistake_is_removed_with_a_marker_and_comes_back(store) -> None:  # type: ignore[no-untyped-def]
    member = members.roster(store)[5]
    events_before = len(members.member(store, member.id).events)
    assert events_before
    undo.remove_member(store, member.id)
    assert member.id not in {m.id for m in members.roster(store)}
    with pytest.raises(DomainError):
        members.member(store, member.id)
    with store.db.reads() as s:
        row = s.get(MemberRow, member.id)
        assert row is not None and row.deleted          # a marker, never a hard delete
        assert all(e.deleted for e in s.scalars(select(MemberEventRow).where(
            MemberEventRow.member_id == member.id)))
        markers = s.scalars(select(OutboxRow).where(OutboxRow.row_id == member.id)).all()
        assert any('"deleted": [false, true]' in m.fields for m in markers)
    removed = [e for e in audit_log.audit_entries(store, limit=20)
               if e.row_id == member.id and e.action == "change"]
    assert removed and removed[0].detail == "deleted" and removed[0].actor
    act = undo.last_undoable(store)
    assert act is not None and act.kind == "remove" and act.label == member.full_name
    undo.undo_last(store)
    assert len(members.member(store, member.id).events) == events_before
    assert undo.last_undoable(store) is None
    with pytest.raises(DomainError, match=r"hoàn tác|undo"):
        undo.undo_last(store)
    with store.db.reads() as s:  # never sent: the marker is dropped, not answered by another
        assert not [m for m in s.scalars(select(OutboxRow).where(
            OutboxRow.entity == "members", OutboxRow.row_id == member.id))
            if '"deleted"' in m.fields]


def test_an_import_is_undone_as_one_step(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before, waiting = _names(store), uc_branch.pending_changes(store)
    source = tmp_path / "danh-sach.csv"
    source.write_bytes(CSV)
    preview = roster.preview_import(store, source)
    assert roster.import_valid(store, preview)[0] == 2
    assert {"Hoàng Văn Thử", "Lò Thị Nhầm"} <= _names(store)
    act = undo.last_undoable(store)
    assert act is not None and act.kind == "import" and act.count() == 2
    assert act.label == "danh-sach.csv"
    undo.undo_last(store)
    assert _names(store) == before
    # never sent: taken back from the outbox, not answered by removal markers
    assert uc_branch.pending_changes(store) == waiting
    # a card number of the undone import is free again
    assert roster.import_valid(store, roster.preview_import(store, source))[0] == 2


def test_undoing_a_removal_when_its_card_number_was_taken_says_by_whom(store) -> None:  # type: ignore[no-untyped-def]
    member = next(m for m in members.roster(store) if m.card_number)
    undo.remove_member(store, member.id)
    members.add_member(store, {"full_name": "Người Mới", "card_number": member.card_number,
                      "date_of_birth": "01/01/1980", "gender": "male",
                      "admitted_on": "01/01/2010"})
    # adding is not a destructive act: the removal is still the last one to undo
    with pytest.raises(ValidationError, match="Người Mới"):
        undo.undo_last(store)
    assert member.id not in {m.id for m in members.roster(store)}


# --- the markers reach the other PCs, and so does the undo --------------------------------


server = server_fixture(scope="module", backends=BACKENDS)


def test_removal_and_its_undo_reach_the_other_pc(server: Server, demo_dir: Path,
                                                 tmp_path: Path) -> None:
    [branch] = server.tree()
    a = open_database(demo_dir)
    b = open_copy(tmp_path / "pc2")
    try:
        sync_client.enroll(a, server.url, server.code(branch), label="PC-1")
        sync_client.run_sync(a)
        sync_client.enroll(b, server.url, server.code(branch), label="PC-2")
        sync_client.run_sync(b)
        sa, sb = Workspace(a, today=lambda: TODAY), Workspace(b, today=lambda: TODAY)
        member = members.roster(sa)[3]
        undo.remove_member(sa, member.id)
        sync_client.run_sync(a)
        sync_client.run_sync(b)
        assert member.id not in {m.id for m in members.roster(sb)}
        undo.undo_last(sa)                         # after the removal went up: a restore
        report = sync_client.run_sync(a)
        assert report.conflicts == 0
        sync_client.run_sync(b)
        assert member.id in {m.id for m in members.roster(sb)}
        events_b = members.member(sb, member.id).events
        assert len(events_b) == len(members.member(sa, member.id).events) > 0
    finally:
        a.close()
        b.close()


# --- in the window -----------------------------------------------------------------------


def test_window_removes_after_confirming_and_home_undoes(make_window, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.qt_helpers import answer_boxes

    store = Workspace(demo_db, today=lambda: TODAY)
    win = make_window(store, refresh=True)
    assert not win.home.undo_bar.isVisibleTo(win.home)
    member = members.roster(store)[7]
    win.show_member(member.id)
    assert win.roster.panel.record.member.id == member.id
    asked = answer_boxes(monkeypatch, None)            # Esc: nothing removed
    win.roster.panel.remove_button.click()
    assert asked and asked[0][1] == ["Xoá khỏi danh sách", "Huỷ"]
    assert member.id in {m.id for m in members.roster(store)}
    answer_boxes(monkeypatch, "Xoá khỏi danh sách")
    win.roster.panel.remove_button.click()
    assert member.id not in {m.id for m in members.roster(store)}
    assert win.roster.model.total == len(members.roster(store))
    assert win.home.undo_bar.isVisibleTo(win.home)
    assert member.full_name in win.home.undo_label.text()
    asked = answer_boxes(monkeypatch, "Hoàn tác")
    win.home.undo_button.click()
    assert asked[-1][1] == ["Hoàn tác", "Huỷ"]
    assert member.id in {m.id for m in members.roster(store)}
    assert not win.home.undo_bar.isVisibleTo(win.home)
    assert win.statusBar().currentMessage() == "Đã hoàn tác."


def test_undo_refuses_when_the_last_act_changed_after_the_confirmation(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by a tester: Home asked to undo import u1; meanwhile the CLI imported u2; the
    undo then removed u2's members. It must undo what was confirmed, or nothing."""
    first = members.roster(store)[2]
    undo.remove_member(store, first.id)
    confirmed = undo.last_undoable(store)
    source = tmp_path / "u2.csv"
    source.write_bytes(CSV)
    roster.import_valid(store, roster.preview_import(store, source))      # "the CLI", meanwhile
    with pytest.raises(DomainError) as refused:
        undo.undo_last(store, confirmed)
    assert refused.value.code == "undo_changed"
    assert {"Hoàng Văn Thử", "Lò Thị Nhầm"} <= _names(store)   # nothing undone
    assert first.id not in {m.id for m in members.roster(store)}


def test_removed_members_are_on_no_meeting_paper(store) -> None:  # type: ignore[no-untyped-def]
    """Found by a tester: members removed by an undone import still stood on the attendance
    sheet and in the minutes' counts, and a removed recorder still signed."""
    meeting = meetings.meetings(store)[0]
    data = meetings.meeting_sheet(store, meeting.id).data
    present = [a for a in data.attendees if a.name != data.recorder]
    gone = next(m for m in members.roster(store) if m.full_name == present[0].name)
    undo.remove_member(store, gone.id)
    after = meetings.meeting_sheet(store, meeting.id).data
    assert gone.full_name not in {a.name for a in after.attendees}
    assert len(after.attendees) == len(data.attendees) - 1
    recorder = next(m for m in members.roster(store) if m.full_name == data.recorder)
    undo.remove_member(store, recorder.id)
    assert meetings.meeting_sheet(store, meeting.id).data.recorder == ""
    with pytest.raises(DomainError, match=r"thư ký|recorder"):
        papers.meeting_paper(store, meeting.id, "minutes", "pdf")


def test_a_member_never_sent_removed_then_restored_goes_up_once(store) -> None:  # type: ignore[no-untyped-def]
    waiting = uc_branch.pending_changes(store)
    member_id, _ = members.add_member(store, {"full_name": "Đinh Văn Nhầm",
                                              "date_of_birth": "01/01/1970",
                                              "admitted_on": "01/01/2000"})
    added = uc_branch.pending_changes(store)
    assert added > waiting
    undo.remove_member(store, member_id)
    assert uc_branch.pending_changes(store) == waiting          # the province never hears of it
    undo.undo_last(store)
    assert uc_branch.pending_changes(store) == added            # its creation goes up again
    with store.db.reads() as s:
        ops = {m.op for m in s.scalars(select(OutboxRow).where(OutboxRow.row_id == member_id))}
    assert ops == {"create"}
