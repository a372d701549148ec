"""The main window: navigation, the screens, and a status bar with branch and sync state."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_desktop import i18n
from sotay_desktop.domain.entities import MemberStatus
from sotay_desktop.domain.errors import DomainError
from sotay_desktop.services.branch import BranchInfo
from sotay_desktop.services.members import MemberSummary
from sotay_desktop.services.store import BranchStore
from sotay_desktop.ui.home import HomeScreen
from sotay_desktop.ui.roster.screen import RosterScreen
from sotay_desktop.ui.tasks import TaskRunner


@dataclass(frozen=True)
class Snapshot:
    """Everything the window shows after a load, gathered off the UI thread."""

    branch: BranchInfo | None
    roster: list[MemberSummary]
    counts: dict[MemberStatus, int]
    pending: int


def load_snapshot(store: BranchStore) -> Snapshot:
    info = store.branch()
    if info is None:
        return Snapshot(None, [], {}, 0)
    return Snapshot(info, store.roster(), store.counts(), store.pending_changes())


def error_text(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.message()
    return f"{type(exc).__name__}: {exc}"


class MainWindow(QtWidgets.QMainWindow):
    data_loaded = QtCore.Signal(object)
    load_failed = QtCore.Signal(str)

    def __init__(self, store: BranchStore, runner: TaskRunner) -> None:
        super().__init__()
        self.store = store
        self.runner = runner
        self.setWindowTitle(i18n.t("ui.app_title"))
        self.resize(1280, 720)

        self.home = HomeScreen(self)
        self.roster = RosterScreen(self)
        self.stack = QtWidgets.QStackedWidget(self)
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.roster)

        self.nav = QtWidgets.QListWidget(self)
        self.nav.setAccessibleName("Điều hướng")
        for key in ("ui.nav_home", "ui.nav_roster"):
            self.nav.addItem(i18n.t(key).replace("&", ""))
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 32)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)

        central = QtWidgets.QWidget(self)
        layout = QtWidgets.QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        for number in range(self.stack.count()):
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(f"Ctrl+{number + 1}"), self)
            shortcut.activated.connect(lambda n=number: self.nav.setCurrentRow(n))
        find = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._focus_search)

        self.branch_label = QtWidgets.QLabel(self)
        self.sync_label = QtWidgets.QLabel(self)
        self.statusBar().addWidget(self.branch_label, 1)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().showMessage(i18n.t("ui.loading"))
        self.nav.setCurrentRow(1)

    def _focus_search(self) -> None:
        self.nav.setCurrentRow(1)
        self.roster.search.setFocus()
        self.roster.search.selectAll()

    def refresh(self) -> None:
        store = self.store
        self.runner.run(lambda: load_snapshot(store), self._loaded, self._failed)

    def _loaded(self, snapshot: Snapshot) -> None:
        self.statusBar().clearMessage()
        if snapshot.branch is not None:
            self.home.show_branch(snapshot.branch, snapshot.counts)
            superior = snapshot.branch.superior
            self.branch_label.setText(snapshot.branch.branch.name
                                      + (f" – {superior.name}" if superior else ""))
            self.setWindowTitle(f"{snapshot.branch.branch.name} – {i18n.t('ui.app_title')}")
        self.sync_label.setText(i18n.t("ui.sync_offline", pending=snapshot.pending))
        self.roster.set_rows(snapshot.roster)
        self.data_loaded.emit(snapshot)

    def _failed(self, exc: Exception) -> None:
        text = error_text(exc)
        self.statusBar().showMessage(text)
        self.load_failed.emit(text)
        QtWidgets.QMessageBox.warning(self, i18n.t("ui.error_title"), text)
