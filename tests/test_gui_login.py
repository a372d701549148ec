"""An encrypted profile on a shared PC: login, growing delays, lock on idle and on Ctrl+L.
While locked nothing of the branch is on screen and the database is closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from sqlalchemy import select

from sotay_desktop.app import ProfileController
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.security import profile
from sotay_desktop.security.key_wrap import KdfParams
from sotay_desktop.services.demo import create_demo
from sotay_desktop.settings import Settings
from sotay_desktop.ui.login import delay_after
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import members as uc_members
from tests.conftest import TODAY
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui
FAST = KdfParams(memory_kib=8 * 1024, time_cost=1)
PASSWORD = "Mật khẩu chi bộ 2026"


@pytest.fixture
def encrypted(tmp_path: Path) -> tuple[Path, list[str]]:
    folder = tmp_path / "p"
    new = profile.create_profile(folder, branch_name="Chi bộ thôn Thượng", user="bi-thu",
                                 password=PASSWORD, params=FAST)
    db = open_database(folder, key=new.key)
    with db.sessions.begin() as s:
        create_demo(s, members=12, documents=1, meetings=1, as_of=TODAY, seed=2)
    with db.reads() as s:
        names = list(s.scalars(select(MemberRow.full_name)))
    db.close()
    return folder, names


def _visible_text() -> str:
    parts: list[str] = []
    for top in QtWidgets.QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        parts.append(top.windowTitle())
        for w in [top, *top.findChildren(QtWidgets.QWidget)]:
            for attr in ("text", "toolTip", "placeholderText"):
                value = getattr(w, attr, None)
                if callable(value):
                    try:
                        parts.append(str(value()))
                    except TypeError:
                        pass
            if isinstance(w, QtWidgets.QAbstractItemView) and w.model() is not None:
                model = w.model()
                root = QtCore.QModelIndex()
                for r in range(min(model.rowCount(root), 50)):
                    for c in range(8):
                        index = model.index(r, c, root)
                        if index.isValid():
                            parts.append(str(index.data()))
    return "\n".join(parts)


def _controller(qtbot, folder: Path, tmp_path: Path) -> ProfileController:  # type: ignore[no-untyped-def]
    app = QtWidgets.QApplication.instance()
    controller = ProfileController(app, Settings(tmp_path / "settings.json"), folder,
                                   TaskRunner(inline=True), 10.0)
    qtbot.addWidget(controller.login)
    return controller


def _login(qtbot, controller: ProfileController, password: str) -> None:  # type: ignore[no-untyped-def]
    controller.login.password.setText(password)
    controller.login.open_button.click()


def test_login_then_idle_lock_hides_everything(qtbot, encrypted, tmp_path: Path) -> None:
    folder, names = encrypted
    controller = _controller(qtbot, folder, tmp_path)
    assert controller.window is None
    text = _visible_text()
    assert "Chi bộ thôn Thượng" in text and not any(n in text for n in names)
    _login(qtbot, controller, PASSWORD)
    assert controller.window is not None and controller.workspace is not None
    qtbot.waitUntil(lambda: any(n in _visible_text() for n in names), timeout=5000)
    controller.watch.timer.setInterval(200)  # idle time, shortened for the test
    controller.watch.timer.start()
    qtbot.waitUntil(lambda: controller.window is None, timeout=5000)
    assert controller.workspace is None  # the database is closed, the key forgotten
    assert controller.login is not None and controller.login.isVisible()
    text = _visible_text()
    assert not any(n in text for n in names)
    qtbot.addWidget(controller.login)


def test_ctrl_l_locks_and_clears_the_clipboard(qtbot, encrypted, tmp_path: Path) -> None:
    folder, names = encrypted
    controller = _controller(qtbot, folder, tmp_path)
    _login(qtbot, controller, PASSWORD)
    QtGui.QGuiApplication.clipboard().setText(names[0])
    controller.window.lock_requested.emit()
    assert controller.window is None and controller.workspace is None
    assert QtGui.QGuiApplication.clipboard().text() != names[0]
    qtbot.addWidget(controller.login)
    _login(qtbot, controller, PASSWORD)  # and it opens again
    assert controller.window is not None
    controller.lock()
    qtbot.addWidget(controller.login)


def test_wrong_passwords_wait_longer_and_longer_but_never_lock_out(
        qtbot, encrypted, tmp_path: Path) -> None:
    folder, _names = encrypted
    controller = _controller(qtbot, folder, tmp_path)
    login = controller.login
    for _ in range(3):
        _login(qtbot, controller, "đoán bừa")
        assert "Mật khẩu không đúng" in login.message.text()
    assert not login.open_button.isEnabled() and "2 giây" in login.message.text()
    assert [delay_after(n) for n in range(1, 10)] == [0, 0, 2, 4, 8, 16, 32, 60, 60]
    login.wait.stop()
    login._ready()
    _login(qtbot, controller, PASSWORD)
    assert controller.window is not None
    controller.lock()
    qtbot.addWidget(controller.login)


def test_the_login_lists_the_protected_branches_of_this_pc(qtbot, tmp_path: Path) -> None:
    root = tmp_path / "branches"
    for name, folder, password in (("Chi bộ thôn Đông", "dong", "Mật khẩu thôn Đông"),
                                   ("Chi bộ thôn Tây", "tay", "Mật khẩu thôn Tây")):
        new = profile.create_profile(root / folder, branch_name=name, user=f"bt-{folder}",
                                     password=password, params=FAST)
        db = open_database(root / folder, key=new.key)
        with db.sessions.begin() as s:
            create_demo(s, members=5, documents=1, meetings=1, as_of=TODAY, seed=len(folder))
        db.close()
    (root / "plain").mkdir()  # an unprotected folder is not listed
    controller = _controller(qtbot, root / "dong", tmp_path)
    login = controller.login
    names = [login.branch.itemText(i) for i in range(login.branch.count())]
    assert names == ["Chi bộ thôn Đông", "Chi bộ thôn Tây"]
    assert login.user.currentText() == "bt-dong"
    login.branch.setCurrentIndex(1)
    assert login.user.currentText() == "bt-tay"
    _login(qtbot, controller, "Mật khẩu thôn Đông")  # the other branch's password: refused
    assert controller.window is None and "không đúng" in login.message.text()
    _login(qtbot, controller, "Mật khẩu thôn Tây")
    assert controller.window is not None and controller.data_dir == root / "tay"
    controller.lock()
    qtbot.addWidget(controller.login)


def test_lost_password_and_code_says_what_would_be_lost_then_sets_the_folder_aside(
        qtbot, encrypted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sotay_desktop.services.members import update_member

    folder, _names = encrypted
    controller = _controller(qtbot, folder, tmp_path)
    _login(qtbot, controller, PASSWORD)
    with controller.workspace.db.sessions.begin() as s:  # two edits not yet synced
        ids = list(s.scalars(select(MemberRow.id)))[:2]
        for member_id in ids:
            update_member(s, member_id=member_id, data={"notes": "chưa gửi"}, today=TODAY)
    controller.lock()  # writes the count beside the profile
    login = controller.login
    qtbot.addWidget(login)
    asked = answer_boxes(monkeypatch, "Cất thư mục cũ, bắt đầu lại")
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: None)
    login.lost_button.click()
    assert "2 thay đổi chưa gửi" in asked[0][0] and "chưa bao giờ" in asked[0][0]
    assert not folder.exists()
    [kept] = [p for p in folder.parent.iterdir() if p.name.startswith("p.forgotten-")]
    assert (kept / "sotay.db").exists() and (kept / "profile.json").exists()  # not deleted


def test_locking_waits_for_the_writer(qtbot, encrypted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Writes queued behind the single writer when the profile locks are kept, not lost
    with the closed database (real pools: the inline runner would hide this)."""
    import threading

    folder, _names = encrypted
    app = QtWidgets.QApplication.instance()
    runner = TaskRunner()
    controller = ProfileController(app, Settings(tmp_path / "settings.json"), folder,
                                   runner, 10.0)
    qtbot.addWidget(controller.login)
    _login(qtbot, controller, PASSWORD)
    assert controller.workspace is not None
    store = controller.workspace
    member_id = uc_members.roster(store)[0].id
    gate = threading.Event()

    def slow_save() -> object:
        gate.wait(5)
        return uc_members.update_member(store, member_id, {"residence": "Xóm Khoá"})

    runner.op(slow_save)
    runner.op(lambda: uc_members.update_member(store, member_id, {"phone": "0912 000 111"}))
    threading.Timer(0.3, gate.set).start()
    controller.lock()                      # while both writes are still queued
    assert controller.workspace is None
    from sotay_desktop.usecases.workspace import Workspace as Store

    db = open_database(folder, create=False, key=profile.unlock(folder, PASSWORD))
    try:
        member = uc_members.member(Store(db), member_id).member
        assert (member.residence, member.phone) == ("Xóm Khoá", "0912 000 111")
    finally:
        db.close()
    qtbot.addWidget(controller.login)
