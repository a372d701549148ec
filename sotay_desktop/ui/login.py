"""The login screen of an encrypted profile, and what locking shows.

Only what ``profile.json`` says in clear is on screen: the branch name and the user
names. A wrong password is answered the same way whoever typed it; after the third
wrong try each further try waits longer (2, 4, 8 … up to 60 s), so guessing is slow
and nobody can lock a colleague out for good.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.ui.widgets import confirm

FREE_TRIES = 3
MAX_DELAY_S = 60


def delay_after(failures: int) -> int:
    """Seconds to wait before the next try, after ``failures`` wrong ones."""
    if failures < FREE_TRIES:
        return 0
    return int(min(MAX_DELAY_S, 2 ** (failures - FREE_TRIES + 1)))


class LoginDialog(QtWidgets.QDialog):
    unlocked = QtCore.Signal(bytes, str)   # the database key, the user

    def __init__(self, data_dir: Path, parent: QtWidgets.QWidget | None = None) -> None:
        from sotay_desktop.services import login as profile

        super().__init__(parent)
        self.data_dir = data_dir
        self.failures = 0
        self.setWindowTitle(i18n.t("ui.login_title"))
        layout = QtWidgets.QVBoxLayout(self)
        # The branches protected on this PC (names only); each opens with its own password.
        self.branch = QtWidgets.QComboBox(self)
        self.branch.setAccessibleName(i18n.t("ui.login_branch").replace("&", ""))
        for folder, name in profile.profiles_beside(data_dir):
            self.branch.addItem(name, str(folder))
            if folder == data_dir:
                self.branch.setCurrentIndex(self.branch.count() - 1)
        font = self.branch.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.branch.setFont(font)
        layout.addWidget(self.branch)
        form = QtWidgets.QFormLayout()
        self.user = QtWidgets.QComboBox(self)
        self._fill_users()
        self.branch.currentIndexChanged.connect(self._branch_changed)
        self.password = QtWidgets.QLineEdit(self)
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(i18n.t("ui.login_password").replace("&", ""))
        form.addRow(i18n.t("ui.login_user"), self.user)
        form.addRow(i18n.t("ui.login_password"), self.password)
        layout.addLayout(form)
        self.message = QtWidgets.QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.open_button = QtWidgets.QPushButton(i18n.t("ui.login_open"), self)
        self.open_button.setDefault(True)
        layout.addWidget(self.open_button)
        self.lost_button = QtWidgets.QPushButton(i18n.t("ui.login_lost"), self)
        self.lost_button.clicked.connect(self.lost_everything)
        layout.addWidget(self.lost_button)
        self.open_button.clicked.connect(self.try_unlock)
        self.password.returnPressed.connect(self.try_unlock)
        self.wait = QtCore.QTimer(self)
        self.wait.setSingleShot(True)
        self.wait.timeout.connect(self._ready)
        self.password.setFocus()

    def _fill_users(self) -> None:
        from sotay_desktop.services import login as profile

        self.user.clear()
        self.user.addItems(profile.profile_info(self.data_dir)["users"])

    def _branch_changed(self, _index: int) -> None:
        self.data_dir = Path(str(self.branch.currentData()))
        self._fill_users()
        self.password.clear()
        self.message.clear()
        self.password.setFocus()

    def try_unlock(self) -> None:
        from sotay_desktop.services import login as profile

        if self.wait.isActive():
            return
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            key = profile.unlock(self.data_dir, self.password.text(), self.user.currentText())
        except DomainError as exc:
            self.failures += 1
            self.password.clear()
            seconds = delay_after(self.failures)
            text = exc.message()
            if seconds:
                text += " " + i18n.t("ui.login_wait", seconds=seconds)
                self.open_button.setEnabled(False)
                self.password.setEnabled(False)
                self.wait.start(seconds * 1000)
            self.message.setText(text)
            return
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        self.password.clear()
        self.failures = 0
        self.unlocked.emit(key, self.user.currentText())
        self.accept()

    def lost_everything(self) -> None:
        """Both the password and the recovery code are lost: say what would be lost, then set
        the folder aside (renamed, not deleted) so the branch can be enrolled again."""
        import datetime as dt

        from sotay_core.domain.dates import local_time
        from sotay_desktop.services import login as profile

        status = profile.recorded_status(self.data_dir)
        last = local_time(status["last_sync"]) if status["last_sync"] else i18n.t(
            "ui.sync_never")
        question = i18n.t("ui.login_lost_question", pending=status["pending"], last=last)
        if not confirm(self, i18n.t("ui.login_title"), question, i18n.t("ui.verb_set_aside")):
            return
        moved = profile.set_aside(self.data_dir, dt.datetime.now().strftime("%Y%m%d-%H%M%S"))
        self.set_aside_to = moved
        QtWidgets.QMessageBox.information(self, i18n.t("ui.login_title"),
                                          i18n.t("ui.login_lost_done", path=str(moved)))
        self.reject()

    def _ready(self) -> None:
        self.open_button.setEnabled(True)
        self.password.setEnabled(True)
        self.password.setFocus()


class IdleWatch(QtCore.QObject):
    """Application-wide: any key, click or wheel restarts the idle timer; when it runs out,
    ``idle`` fires (the controller locks)."""

    idle = QtCore.Signal()
    INPUT = frozenset({QtCore.QEvent.Type.KeyPress, QtCore.QEvent.Type.MouseButtonPress,
                       QtCore.QEvent.Type.Wheel, QtCore.QEvent.Type.MouseMove})

    def __init__(self, minutes: float, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.idle)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() in self.INPUT and self.timer.isActive():
            self.timer.start()
        return False


def clear_clipboard() -> None:
    clipboard = QtGui.QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.clear()
