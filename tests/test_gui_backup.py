"""Backups from the window: Tệp → Sao lưu…, and the weekly one into the folder chosen then."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6 import QtWidgets

from sotay_desktop.db.meta import set_meta
from sotay_desktop.services.backup import check_backup
from sotay_desktop.settings import Settings
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import audit_log, backups, members, trace, undo
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY

pytestmark = pytest.mark.gui


def test_backup_from_the_menu_remembers_the_folder(make_window, demo_db, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QtWidgets.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(usb))
    settings = Settings(tmp_path / "settings.json")
    win = make_window(demo_db, settings=settings)
    win.choose_backup()
    [made] = list(usb.iterdir())
    check_backup(made)
    assert "Đã sao lưu" in win.statusBar().currentMessage()
    assert settings.get("backup_dir") == str(usb)
    assert not backups.backup_due(win.workspace)


def test_weekly_backup_runs_when_due_and_says_when_the_stick_is_absent(
        make_window, demo_db, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(usb))
    win = make_window(demo_db, settings=settings)
    win.refresh()  # the folder is missing (no USB stick): said, nothing written
    assert "không thấy thư mục" in win.statusBar().currentMessage()
    usb.mkdir()
    with demo_db.sessions.begin() as s:  # a backup from eight days ago
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
        set_meta(s, backups.LAST_BACKUP_KEY, old.isoformat())
    win2 = make_window(demo_db, settings=settings)
    win2.refresh()
    assert len(list(usb.iterdir())) == 1
    win3 = make_window(demo_db, settings=settings)
    win3.refresh()  # not due again the same day
    assert len(list(usb.iterdir())) == 1


def test_the_access_log_is_viewable_and_exportable(qtbot, demo_db, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from sotay_desktop.ui.audit_dialog import AuditDialog

    store = Workspace(demo_db, today=lambda: TODAY)
    member = members.roster(store)[0]
    members.member(store, member.id)
    trace.write_trace(store, "print", "meetings", "m1", "minutes")
    dialog = AuditDialog(store, TaskRunner(inline=True))
    qtbot.addWidget(dialog)
    actions = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert actions == {"xem", "in"}
    # what was seen and changed, in words (a tester found "members", "deleted" there)
    members.update_member(store, member.id, {"phone": "0912 000 222"})
    undo.remove_member(store, member.id)
    dialog.show_entries(audit_log.audit_entries(store))
    cells = {dialog.table.item(r, c).text() for r in range(dialog.table.rowCount())
             for c in (3, 4)}
    assert {"Đảng viên", "Cuộc họp", "Điện thoại", "Xoá (đánh dấu)"} <= cells
    assert not {"members", "meetings", "phone", "deleted", "member_events"} & cells
    target = tmp_path / "log.csv"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    logged = len(audit_log.audit_entries(store))
    dialog.export()
    assert target.read_text(encoding="utf-8-sig").count("\n") == logged + 1   # and a header
    assert "Đã lưu" in dialog.message.text()
