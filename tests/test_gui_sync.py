"""The Sync screen, driven as a secretary would, against a real server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import MemberRow, Meta
from sotay_desktop.services.members import update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.ui.main_window import MainWindow
from tests.conftest import TODAY
from tests.qt_helpers import answer_boxes
from tests.sync_support import Server, free_port, server_fixture
from tests.templates import open_copy

pytestmark = pytest.mark.gui


server = server_fixture(scope="module")


def _demo(path: Path) -> Database:
    return open_copy(path, members=12, documents=2, meetings=2, seed=5)


def _window(make_window, db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    win = make_window(db, refresh=True)
    win.nav.setCurrentRow(4)
    return win


def test_enrol_from_the_screen_then_sync(make_window, server: Server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [branch] = server.tree()
    db = _demo(tmp_path / "pc")
    win = _window(make_window, db)
    screen = win.sync_screen
    assert screen.enroll_box.isVisibleTo(win) and not screen.sync_button.isEnabled()
    assert "Chưa đăng ký" in win.sync_label.text()
    screen.server_edit.setText(server.url)
    screen.code_edit.setText("SAI0-SAI0-SAI0")
    screen.enroll_button.click()
    assert "không đúng" in screen.state_label.text()  # a wrong code, said plainly
    screen.code_edit.setText(server.code(branch))
    screen.enroll_button.click()
    assert win.sync.state == "idle" and "Đã đồng bộ" in screen.state_label.text()
    assert not screen.enroll_box.isVisibleTo(win)
    assert "0 thay đổi chờ gửi" in screen.facts.text()
    db.close()


def test_conflict_is_shown_with_the_name_and_resolved_with_a_click(  # type: ignore[no-untyped-def]
        make_window, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [branch] = server.tree()
    a = _demo(tmp_path / "pc1")
    sync_client.enroll(a, server.url, server.code(branch), label="PC-1")
    sync_client.run_sync(a)
    b = open_copy(tmp_path / "pc2")
    sync_client.enroll(b, server.url, server.code(branch), label="PC-2")
    sync_client.run_sync(b)
    with a.sessions() as s:
        member = s.scalars(select(MemberRow).order_by(MemberRow.sort_key)).first()
        name, member_id = member.full_name, member.id
    for db, value in ((b, "Xóm Chợ"), (a, "Xóm Đình")):
        with db.sessions.begin() as s:
            update_member(s, member_id=member_id, data={"residence": value}, today=TODAY)
    sync_client.run_sync(b)
    win = _window(make_window, a)
    screen = win.sync_screen
    screen.sync_button.click()
    assert screen.conflict_list.count() == 1
    text = screen.conflict_list.item(0).text()
    assert name in text and "Xóm Chợ" in text and "Xóm Đình" in text and "PC-2" in text
    asked = answer_boxes(monkeypatch, "Giữ giá trị này")
    screen.keep_mine.click()
    assert "Xóm Đình" in asked[0][0] and asked[0][1] == ["Giữ giá trị này", "Huỷ"]
    assert screen.conflict_list.count() == 0
    screen.sync_button.click()
    sync_client.run_sync(b)
    with b.reads() as s:
        assert s.get(MemberRow, member_id).residence == "Xóm Đình"
    a.close()
    b.close()


def test_offline_is_a_clear_state_with_a_retry_and_keeps_the_changes(  # type: ignore[no-untyped-def]
        make_window, server: Server, tmp_path: Path) -> None:
    [branch] = server.tree()
    db = _demo(tmp_path / "pc")
    sync_client.enroll(db, server.url, server.code(branch))
    with db.sessions.begin() as s:
        s.get(Meta, "sync_server_url").value = f"http://127.0.0.1:{free_port()}"  # nobody
    win = _window(make_window, db)
    win.sync.auto = True  # the retry timer is what is under test
    screen = win.sync_screen
    screen.sync_button.click()
    assert win.sync.state == "offline"
    assert "Không kết nối được" in screen.state_label.text()
    assert "Sẽ thử lại lúc" in screen.state_label.text()
    assert win.sync.timer.isActive() and win.sync.timer.remainingTime() > 0
    assert "Mất kết nối" in win.sync_label.text()
    assert "thay đổi chờ gửi" in screen.facts.text()
    assert "· 0 thay đổi chờ gửi" not in screen.facts.text()  # the changes are still here
    win.sync.timer.stop()
    db.close()


def test_backoff_grows_and_has_jitter() -> None:
    delays = [sync_client.backoff_delay(n, rand=lambda: 1.0) for n in range(1, 10)]
    assert delays == sorted(delays) and delays[-1] == 900.0 and delays[0] == 15.0
    assert sync_client.backoff_delay(3, rand=lambda: 0.5) == 30.0
    assert sync_client.backoff_delay(1, rand=lambda: 0.0) == 1.0

