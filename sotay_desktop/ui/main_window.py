"""The main window: navigation, the screens, and a status bar with branch and sync state.

Screens refresh themselves from the ``Changes`` the runner broadcasts after every write
(``operation_did_execute``); the window never asks one screen to refresh another. It loads
the first snapshot (branch, roster, counts) and keeps its own status bar up to date.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.read_models import BranchInfo, BranchSnapshot
from sotay_desktop.settings import Settings
from sotay_desktop.ui import backup_actions, reminder_links
from sotay_desktop.ui.home import HomeScreen
from sotay_desktop.ui.lazy_screens import LazyScreens
from sotay_desktop.ui.member.dialog import MemberDialog
from sotay_desktop.ui.member.event_dialog import EventDialog
from sotay_desktop.ui.roster.screen import RosterScreen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import confirm, error_text, plain, show_error
from sotay_desktop.ui.window_menus import build_menus
from sotay_desktop.usecases import branch, roster, sync, undo

if TYPE_CHECKING:
    from sotay_desktop.services.roster_io import ImportPreview
    from sotay_desktop.ui.documents.screen import DocumentsScreen
    from sotay_desktop.ui.dues.screen import DuesScreen
    from sotay_desktop.ui.meetings.screen import MeetingsScreen
    from sotay_desktop.ui.sync_screen import SyncScreen
    from sotay_desktop.usecases.workspace import Workspace


Snapshot = BranchSnapshot

class MainWindow(QtWidgets.QMainWindow):
    data_loaded = QtCore.Signal(object)
    load_failed = QtCore.Signal(str)

    reminders_loaded = QtCore.Signal(list)
    display_change_requested = QtCore.Signal(float, bool)   # scale, high contrast
    lock_requested = QtCore.Signal()

    def __init__(self, workspace: Workspace, runner: TaskRunner, *, scale: float = 1.0,
                 high_contrast: bool = False, settings: Settings | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.runner = runner
        runner.background_failed.connect(self._background_failed)
        # the count of unsent changes follows every write, whichever screen made it
        self._count_timer = QtCore.QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(150)
        self._count_timer.timeout.connect(self._recount_pending)
        runner.operation_did_execute.connect(self._on_changes)
        self.today = workspace.today
        self.setWindowTitle(i18n.t("ui.app_title"))
        self.resize(1280, 720)

        self.home = HomeScreen(self)
        self.home.attach(workspace, runner)
        self.roster = RosterScreen(self, today=workspace.today)
        self.roster.attach(workspace, runner)
        for screen in (self.home, self.roster):
            screen.failed.connect(self.failed_read)
        self.home.member_requested.connect(self.show_member)
        self.home.screen_requested.connect(
            lambda name, ref: reminder_links.open_at(self, name, ref))
        self.home.status_message.connect(self.statusBar().showMessage)
        self.home.reminders_shown.connect(self.reminders_loaded)
        self.roster.add_button.clicked.connect(self.add_member)
        self.roster.import_button.clicked.connect(self.choose_import)
        self.roster.export_button.clicked.connect(self.choose_export)
        self.roster.panel.edit_requested.connect(self.edit_member)
        self.roster.panel.event_requested.connect(self.record_event)
        self.roster.panel.remove_requested.connect(self.remove_member)
        # Documents and Meetings are built the first time they are shown: their imports
        # and widgets cost start-up time the roster should not wait for.
        self.settings = settings
        self._documents: DocumentsScreen | None = None
        self._meetings: MeetingsScreen | None = None
        self._sync_screen: SyncScreen | None = None
        self._dues: DuesScreen | None = None
        from sotay_desktop.ui.sync_screen import SyncController

        self.sync = SyncController(workspace, runner, self, auto=not runner.inline)
        self.sync.state_changed.connect(self._sync_state)
        self._pending = 0
        self._sync_checked = False
        self.stack = QtWidgets.QStackedWidget(self)
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.roster)
        self.stack.addWidget(QtWidgets.QWidget(self))   # documents, on first use
        self.stack.addWidget(QtWidgets.QWidget(self))   # meetings, on first use
        self.stack.addWidget(QtWidgets.QWidget(self))   # sync, on first use
        self.stack.addWidget(QtWidgets.QWidget(self))   # dues, on first use
        self._dues_index = self.stack.count() - 1
        self.lazy = LazyScreens(self, self.stack)

        self.nav = QtWidgets.QListWidget(self)
        self.nav.setAccessibleName(i18n.t("ui.navigation"))
        for key in ("ui.nav_home", "ui.nav_roster", "ui.nav_documents", "ui.nav_meetings",
                    "ui.nav_sync", "ui.nav_dues", *LazyScreens.keys()):
            self.nav.addItem(i18n.t(key).replace("&", ""))
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 32)
        self.nav.currentRowChanged.connect(self._show_screen)

        central = QtWidgets.QWidget(self)
        layout = QtWidgets.QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        for number in range(self.stack.count()):   # Ctrl+1 … Ctrl+9, then their own
            keys = QtGui.QKeySequence(f"Ctrl+{number + 1}" if number < 9
                                      else LazyScreens.BEYOND_NINE[number - 9])
            shortcut = QtGui.QShortcut(keys, self)
            shortcut.activated.connect(lambda n=number: self.nav.setCurrentRow(n))
            item = self.nav.item(number)     # "Học tập (Ctrl+H)"
            native = keys.toString(QtGui.QKeySequence.SequenceFormat.NativeText)
            item.setToolTip(f"{item.text()} ({native})")
        find = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._focus_search)
        lock = QtGui.QShortcut(QtGui.QKeySequence("Ctrl+L"), self)
        lock.activated.connect(self.lock_requested)

        self.branch_label = QtWidgets.QLabel(self)
        self.sync_label = QtWidgets.QLabel(self)
        self.statusBar().addWidget(self.branch_label, 1)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.size_actions: dict[float, QtGui.QAction] = {}
        self.contrast_action: QtGui.QAction
        build_menus(self, scale, high_contrast)
        self.statusBar().showMessage(i18n.t("ui.loading"))
        self.nav.setCurrentRow(1)

    def _show_screen(self, row: int) -> None:
        if row == 0:   # what can be undone may have changed (the CLI, another window)
            self.home.load_undoable()
        elif row == 2:
            _ = self.documents
        elif row == 3:
            _ = self.meetings
        elif row == 4:
            self.sync_screen.reload()
        elif row == self._dues_index:
            _ = self.dues
        elif self.lazy.holds(row):
            self.lazy.get(row)
        self.stack.setCurrentIndex(row)

    @property
    def sync_screen(self) -> SyncScreen:
        if self._sync_screen is None:
            from sotay_desktop.ui.sync_screen import SyncScreen

            self._sync_screen = SyncScreen(self.workspace, self.runner, self.sync, self)
            self._replace(4, self._sync_screen)
        return self._sync_screen

    def _sync_state(self, state: str, message: str) -> None:
        short = {"not_enrolled": "ui.sync_short_not_enrolled", "offline": "ui.sync_short_offline",
                 "stopped": "ui.sync_short_stopped", "syncing": "ui.sync_running"}.get(state)
        self.sync_label.setText(i18n.t("ui.sync_status_bar", pending=self._pending,
                                       state=i18n.t(short) if short else
                                       message.split(". ")[0].rstrip(".")))
        self.sync_label.setToolTip(message)

    def _sync_checked_in(self, status: object) -> None:
        self.sync.start(bool(getattr(status, "enrolled", False)))

    @property
    def documents(self) -> DocumentsScreen:
        if self._documents is None:
            from sotay_desktop.ui.documents import screen as documents_screen

            self._documents = documents_screen.DocumentsScreen(self.workspace, self.runner, self)
            self._replace(2, self._documents)
            self._documents.run_search()
        return self._documents

    @property
    def meetings(self) -> MeetingsScreen:
        if self._meetings is None:
            from sotay_desktop.ui.meetings import screen as meetings_screen

            self._meetings = meetings_screen.MeetingsScreen(self.workspace, self.runner,
                                                            self.settings, self)
            self._replace(3, self._meetings)
            self._meetings.load()
        return self._meetings

    @property
    def dues(self) -> DuesScreen:
        if self._dues is None:
            from sotay_desktop.ui.dues import screen as dues_screen

            self._dues = dues_screen.DuesScreen(self.workspace, self.runner, self.settings,
                                                self)
            self._replace(self._dues_index, self._dues)
            self._dues.load()
        return self._dues

    def _replace(self, index: int, screen: QtWidgets.QWidget) -> None:
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, screen)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)

    def current_scale(self) -> float:
        return next((v for v, a in self.size_actions.items() if a.isChecked()), 1.0)

    def _focus_search(self) -> None:
        self.nav.setCurrentRow(1)
        self.roster.search.setFocus()
        self.roster.search.selectAll()

    # --- loading

    def refresh(self) -> None:
        """Read the branch, the roster and the counts again (start-up, unlocking)."""
        workspace = self.workspace
        self.runner.query(lambda: branch.snapshot(workspace), self._loaded, self.failed_read)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Show data read before the window existed (the quick first read at start-up)."""
        self._loaded(snapshot)

    def _loaded(self, snapshot: Snapshot) -> None:
        if self.statusBar().currentMessage() == i18n.t("ui.loading"):
            self.statusBar().clearMessage()
        if snapshot.branch is not None:
            self.home.show_branch(snapshot.branch, snapshot.counts)
            self._show_branch(snapshot.branch)
        self._pending = snapshot.pending
        if not self._sync_checked and snapshot.branch is not None:
            self._sync_checked = True
            workspace = self.workspace
            self.runner.query(lambda: sync.sync_status(workspace), self._sync_checked_in,
                              self.failed_read)
            backup_actions.weekly_backup(self)
        self._sync_state(self.sync.state, self.sync.message or i18n.t("ui.sync_not_enrolled"))
        self.roster.show_rows(snapshot.roster)
        self.data_loaded.emit(snapshot)
        if snapshot.branch is not None:   # after the roster is on screen: the slower parts
            self.home.load_slow_parts()

    def _show_branch(self, info: BranchInfo) -> None:
        superior = info.superior
        self.branch_label.setText(info.branch.name + (f" – {superior.name}" if superior else ""))
        self.setWindowTitle(f"{info.branch.name} – {i18n.t('ui.app_title')}")

    def _on_changes(self, changes: Changes) -> None:
        """The window's own part of a broadcast: the unsent count and the branch's name."""
        if changes:
            self._count_timer.start()
        if changes.branch:
            workspace = self.workspace
            self.runner.query(lambda: branch.branch(workspace),
                              lambda info: info is not None and self._show_branch(info),
                              self.failed_read)

    def _recount_pending(self) -> None:
        workspace = self.workspace
        self.runner.query(lambda: branch.pending_changes(workspace), self._show_pending,
                          self.failed_read)

    def _show_pending(self, pending: int) -> None:
        self._pending = pending
        self._sync_state(self.sync.state, self.sync.message or i18n.t("ui.sync_not_enrolled"))

    # --- the members: dialogs and acts that change them

    def show_member(self, member_id: str) -> None:
        self.nav.setCurrentRow(1)
        if not self.roster.select_member(member_id):
            self.roster.show_all()
            self.roster.select_member(member_id)

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        """Modal dialogs go through here, so tests can drive them without blocking."""
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def add_member(self) -> None:
        dialog = MemberDialog(self.workspace, self.runner, None, self, today=self.today)
        if self.run_dialog(dialog) and dialog.saved_id:
            self.roster.select_after_load(dialog.saved_id)

    def edit_member(self) -> None:
        """The roster and the record follow from the broadcast ``Changes``."""
        record = self.roster.panel.record
        if record is not None:
            self.run_dialog(MemberDialog(self.workspace, self.runner, record.member, self,
                                         today=self.today))

    def record_event(self) -> None:
        record = self.roster.panel.record
        if record is not None:
            self.run_dialog(EventDialog(self.workspace, self.runner, record, self,
                                        today=self.today))

    def remove_member(self) -> None:
        """A member entered by mistake, after a confirmation naming the act; undone on Home."""
        record = self.roster.panel.record
        if record is None:
            return
        name = record.member.full_name
        if not confirm(self, plain("ui.remove_title"), i18n.t("ui.remove_confirm", name=name),
                       i18n.t("ui.remove_verb")):
            return
        workspace, member_id = self.workspace, record.member.id
        self.runner.op(lambda: undo.remove_member(workspace, member_id),
                       lambda _changes: self.statusBar().showMessage(
                           i18n.t("ui.removed", name=name)),
                       lambda exc: show_error(self, exc))

    def choose_import(self) -> None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, i18n.t("ui.import_roster").replace("&", ""), "", i18n.t("ui.sheet_filter"))
        if name:
            self.import_roster(Path(name))

    def import_roster(self, path: Path) -> None:
        """Preview off the UI thread, then the dialog; the import's Changes refresh."""
        workspace = self.workspace

        def show(preview: ImportPreview) -> None:
            from sotay_desktop.ui.roster import import_dialog

            dialog = import_dialog.ImportDialog(workspace, self.runner, preview, self)
            if self.run_dialog(dialog) and dialog.imported:
                self.statusBar().showMessage(i18n.t("ui.imported", count=dialog.imported))

        self.runner.query(lambda: roster.preview_import(workspace, path), show, self.failed_read)

    def choose_export(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, i18n.t("ui.export_roster").replace("&", ""), "so-danh-sach-dang-vien.xlsx",
            i18n.t("ui.xlsx_filter"))
        if name:
            self.export_roster(Path(name))

    def export_roster(self, path: Path) -> None:
        workspace = self.workspace
        self.runner.query(lambda: roster.export_roster(workspace, path),
                          lambda saved: self.statusBar().showMessage(
                              i18n.t("ui.exported", path=str(saved))), self.failed_read)

    # --- the File menu

    def show_audit(self) -> None:
        from sotay_desktop.ui.audit_dialog import AuditDialog

        self.run_dialog(AuditDialog(self.workspace, self.runner, self))

    def choose_backup(self) -> None:
        backup_actions.choose_backup(self)

    def backup_to(self, folder: Path) -> None:
        backup_actions.backup_to(self, folder)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        """Closing or locking: a sync in progress stops at its next step, so the writer's
        queue and the sync can finish before the database is closed."""
        self.sync.cancel()
        self.sync.timer.stop()
        super().closeEvent(event)

    def failed_read(self, exc: Exception) -> None:
        """A background read failed: said in the status area, never in a dialog that would
        take the focus from someone typing (e.g. in the roster search)."""
        text = error_text(exc)
        self.statusBar().showMessage(text)
        self.load_failed.emit(text)

    def _background_failed(self, exc: Exception) -> None:
        """Work nobody waits on (the audit row of a view) failed: the status area says so."""
        text = i18n.t("ui.background_failed", reason=error_text(exc))
        self.statusBar().showMessage(text)
        self.load_failed.emit(text)
