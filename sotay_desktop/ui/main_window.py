"""The main window: navigation, the screens, and a status bar with branch and sync state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import MemberRecord
from sotay_core.domain.reminders import Reminder
from sotay_desktop.services.read_models import BranchSnapshot
from sotay_desktop.settings import Settings
from sotay_desktop.ui.home import HomeScreen
from sotay_desktop.ui.member.dialog import MemberDialog
from sotay_desktop.ui.member.event_dialog import EventDialog
from sotay_desktop.ui.roster.screen import RosterScreen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import confirm, error_text, plain, show_error

if TYPE_CHECKING:
    from sotay_desktop.services.roster_io import ImportPreview
    from sotay_desktop.services.store import BranchStore
    from sotay_desktop.services.undo import UndoableAct
    from sotay_desktop.ui.documents.screen import DocumentsScreen
    from sotay_desktop.ui.meetings.screen import MeetingsScreen
    from sotay_desktop.ui.sync_screen import SyncScreen


Snapshot = BranchSnapshot


def load_snapshot(store: BranchStore) -> Snapshot:
    info = store.branch()
    if info is None:
        return Snapshot(None, [], {}, 0)
    return Snapshot(info, store.roster(), store.counts(), store.pending_changes())


class MainWindow(QtWidgets.QMainWindow):
    data_loaded = QtCore.Signal(object)
    load_failed = QtCore.Signal(str)

    member_loaded = QtCore.Signal(object)
    reminders_loaded = QtCore.Signal(list)
    display_change_requested = QtCore.Signal(float, bool)   # scale, high contrast
    lock_requested = QtCore.Signal()

    def __init__(self, store: BranchStore, runner: TaskRunner, *, scale: float = 1.0,
                 high_contrast: bool = False, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.runner = runner
        runner.background_failed.connect(self._background_failed)
        # the count of unsent changes follows every write, whichever screen made it
        self._count_timer = QtCore.QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(150)
        self._count_timer.timeout.connect(self._recount_pending)
        runner.operation_did_execute.connect(lambda _result: self._count_timer.start())
        self.today = store.today
        self.setWindowTitle(i18n.t("ui.app_title"))
        self.resize(1280, 720)

        self.home = HomeScreen(self)
        self.roster = RosterScreen(self, today=store.today)
        self.roster.member_selected.connect(self.load_member)
        self.home.member_requested.connect(self.show_member)
        self.roster.add_button.clicked.connect(self.add_member)
        self.roster.import_button.clicked.connect(self.choose_import)
        self.roster.export_button.clicked.connect(self.choose_export)
        self.roster.panel.edit_requested.connect(self.edit_member)
        self.roster.panel.event_requested.connect(self.record_event)
        self.roster.panel.remove_requested.connect(self.remove_member)
        self.home.undo_requested.connect(self.undo_last)
        # Documents and Meetings are built the first time they are shown: their imports
        # and widgets cost start-up time the roster should not wait for.
        self.settings = settings
        self._documents: DocumentsScreen | None = None
        self._meetings: MeetingsScreen | None = None
        self._sync_screen: SyncScreen | None = None
        from sotay_desktop.ui.sync_screen import SyncController

        self.sync = SyncController(store, runner, self, auto=not runner.inline)
        self.sync.state_changed.connect(self._sync_state)
        self.sync.finished.connect(lambda _r: self.refresh())
        self._pending = 0
        self._sync_checked = False
        self.stack = QtWidgets.QStackedWidget(self)
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.roster)
        self.stack.addWidget(QtWidgets.QWidget(self))   # documents, on first use
        self.stack.addWidget(QtWidgets.QWidget(self))   # meetings, on first use
        self.stack.addWidget(QtWidgets.QWidget(self))   # sync, on first use

        self.nav = QtWidgets.QListWidget(self)
        self.nav.setAccessibleName(i18n.t("ui.navigation"))
        for key in ("ui.nav_home", "ui.nav_roster", "ui.nav_documents", "ui.nav_meetings",
                    "ui.nav_sync"):
            self.nav.addItem(i18n.t(key).replace("&", ""))
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 32)
        self.nav.currentRowChanged.connect(self._show_screen)

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
        lock = QtGui.QShortcut(QtGui.QKeySequence("Ctrl+L"), self)
        lock.activated.connect(self.lock_requested)

        self.branch_label = QtWidgets.QLabel(self)
        self.sync_label = QtWidgets.QLabel(self)
        self.statusBar().addWidget(self.branch_label, 1)
        self.statusBar().addPermanentWidget(self.sync_label)
        self._build_menus(scale, high_contrast)
        self.statusBar().showMessage(i18n.t("ui.loading"))
        self.nav.setCurrentRow(1)
        self._select_after_load = ""

    def _show_screen(self, row: int) -> None:
        if row == 0:   # what can be undone may have changed (the CLI, another window)
            self._refresh_undo()
        elif row == 2:
            _ = self.documents
        elif row == 3:
            _ = self.meetings
        elif row == 4:
            self.sync_screen.reload()
        self.stack.setCurrentIndex(row)

    @property
    def sync_screen(self) -> SyncScreen:
        if self._sync_screen is None:
            from sotay_desktop.ui.sync_screen import SyncScreen

            self._sync_screen = SyncScreen(self.store, self.runner, self.sync, self)
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

            self._documents = documents_screen.DocumentsScreen(self.store, self.runner, self)
            self._replace(2, self._documents)
            self._documents.run_search()
        return self._documents

    @property
    def meetings(self) -> MeetingsScreen:
        if self._meetings is None:
            from sotay_desktop.ui.meetings import screen as meetings_screen

            self._meetings = meetings_screen.MeetingsScreen(self.store, self.runner,
                                                            self.settings, self)
            self._replace(3, self._meetings)
            self._meetings.load()
        return self._meetings

    def _replace(self, index: int, screen: QtWidgets.QWidget) -> None:
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, screen)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)

    def _build_menus(self, scale: float, high_contrast: bool) -> None:
        file_menu = self.menuBar().addMenu(i18n.t("ui.menu_file"))
        backup_action = file_menu.addAction(i18n.t("ui.backup"))
        backup_action.triggered.connect(self.choose_backup)
        audit_action = file_menu.addAction(i18n.t("ui.audit_menu"))
        audit_action.triggered.connect(self.show_audit)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(i18n.t("ui.quit"))
        quit_action.setShortcut(QtGui.QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        view = self.menuBar().addMenu(i18n.t("ui.menu_view"))
        sizes = QtGui.QActionGroup(self)
        self.size_actions: dict[float, QtGui.QAction] = {}
        for value, key, shortcut in ((1.0, "ui.size_normal", "Ctrl+0"),
                                     (1.5, "ui.size_large", "Ctrl+="),
                                     (2.0, "ui.size_huge", "Ctrl+Shift+=")):
            action = view.addAction(i18n.t(key))
            action.setCheckable(True)
            action.setChecked(abs(value - scale) < 0.01)
            action.setShortcut(QtGui.QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False, v=value: self.display_change_requested.emit(
                v, self.contrast_action.isChecked()))
            sizes.addAction(action)
            self.size_actions[value] = action
        view.addSeparator()
        self.contrast_action = view.addAction(i18n.t("ui.high_contrast"))
        self.contrast_action.setCheckable(True)
        self.contrast_action.setChecked(high_contrast)
        self.contrast_action.toggled.connect(lambda on: self.display_change_requested.emit(
            self.current_scale(), on))

    def current_scale(self) -> float:
        return next((v for v, a in self.size_actions.items() if a.isChecked()), 1.0)

    def _focus_search(self) -> None:
        self.nav.setCurrentRow(1)
        self._select_after_load = ""
        self.roster.search.setFocus()
        self.roster.search.selectAll()

    def refresh(self) -> None:
        store = self.store
        self.runner.query(lambda: load_snapshot(store), self._loaded, self._failed)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Show data read before the window existed (the quick first read at start-up)."""
        self._loaded(snapshot)

    def _loaded(self, snapshot: Snapshot) -> None:
        if self.statusBar().currentMessage() == i18n.t("ui.loading"):
            self.statusBar().clearMessage()
        if snapshot.branch is not None:
            self.home.show_branch(snapshot.branch, snapshot.counts)
            superior = snapshot.branch.superior
            self.branch_label.setText(snapshot.branch.branch.name
                                      + (f" – {superior.name}" if superior else ""))
            self.setWindowTitle(f"{snapshot.branch.branch.name} – {i18n.t('ui.app_title')}")
        self._pending = snapshot.pending
        if not self._sync_checked and snapshot.branch is not None:
            self._sync_checked = True
            self.runner.query(self.store.sync_status, self._sync_checked_in, self._failed)
            self._weekly_backup()
        self._sync_state(self.sync.state, self.sync.message or i18n.t("ui.sync_not_enrolled"))
        self.roster.set_rows(snapshot.roster)
        target = getattr(self, "_select_after_load", "")
        if target:
            self._select_after_load = ""
            if not self.roster.select_member(target):  # hidden by the filters: show all
                self.roster.show_all()
                self.roster.select_member(target)
            self.load_member(target)
        self.data_loaded.emit(snapshot)
        if snapshot.branch is not None:   # after the roster is on screen: the slower parts
            store = self.store
            self.runner.query(store.reminders, self._reminders_loaded, self._failed)
            self._refresh_undo()
            if self._documents is not None:
                self._documents.run_search()
            if self._meetings is not None:
                self._meetings.load()

    def _reminders_loaded(self, reminders: list[Reminder]) -> None:
        self.home.show_reminders(reminders)
        self.reminders_loaded.emit(reminders)

    # --- the selected member and the dialogs that change members

    def load_member(self, member_id: str) -> None:
        if not member_id:
            self.roster.panel.show_record(None)
            return
        store = self.store
        self.runner.query(lambda: store.member(member_id), self._member_loaded, self._failed)

    def _member_loaded(self, record: MemberRecord) -> None:
        if record.member.id == self.roster.selected_id():
            self.roster.panel.show_record(record)
        self.member_loaded.emit(record)

    def show_member(self, member_id: str) -> None:
        self.nav.setCurrentRow(1)
        if not self.roster.select_member(member_id):
            self.roster.show_all()
            self.roster.select_member(member_id)

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        """Modal dialogs go through here, so tests can drive them without blocking."""
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def add_member(self) -> None:
        dialog = MemberDialog(self.store, self.runner, None, self, today=self.today)
        if self.run_dialog(dialog) and dialog.saved_id:
            self.after_write(dialog.saved_id)

    def edit_member(self) -> None:
        record = self.roster.panel.record
        if record is None:
            return
        dialog = MemberDialog(self.store, self.runner, record.member, self, today=self.today)
        if self.run_dialog(dialog):
            self.after_write(record.member.id)

    def record_event(self) -> None:
        record = self.roster.panel.record
        if record is None:
            return
        dialog = EventDialog(self.store, self.runner, record, self, today=self.today)
        if self.run_dialog(dialog):
            self.after_write(record.member.id)

    def remove_member(self) -> None:
        """A member entered by mistake, after a confirmation naming the act; undone on Home."""
        record = self.roster.panel.record
        if record is None:
            return
        name = record.member.full_name
        if not confirm(self, plain("ui.remove_title"), i18n.t("ui.remove_confirm", name=name),
                       i18n.t("ui.remove_verb")):
            return
        store = self.store

        def done(_changes: object) -> None:
            self.statusBar().showMessage(i18n.t("ui.removed", name=name))
            self.refresh()

        self.runner.op(lambda: store.remove_member(record.member.id), done,
                       lambda exc: show_error(self, exc))

    def undo_last(self) -> None:
        store = self.store

        def ask(act: UndoableAct | None) -> None:
            if act is None:
                self.home.show_undoable(None)
                return
            key = "ui.undo_import_confirm" if act.kind == "import" else "ui.undo_remove_confirm"
            if not confirm(self, plain("ui.undo_title"),
                           i18n.t(key, count=act.count(), label=act.label), plain("ui.undo")):
                return
            self.runner.op(lambda: store.undo_last(act), lambda _r: self._undone(),
                           lambda exc: self._undo_failed(exc))

        self.runner.query(store.last_undoable, ask, self._failed)

    def _undo_failed(self, exc: Exception) -> None:
        show_error(self, exc)
        self.refresh()   # Home shows what can be undone now

    def _undone(self) -> None:
        self.statusBar().showMessage(i18n.t("ui.undone"))
        self.refresh()

    def choose_import(self) -> None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, i18n.t("ui.import_roster").replace("&", ""), "", i18n.t("ui.sheet_filter"))
        if name:
            self.import_roster(Path(name))

    def import_roster(self, path: Path) -> None:
        """Preview off the UI thread, then the dialog; refresh after an import."""
        store = self.store

        def show(preview: ImportPreview) -> None:
            from sotay_desktop.ui.roster import import_dialog

            dialog = import_dialog.ImportDialog(store, self.runner, preview, self)
            if self.run_dialog(dialog) and dialog.imported:
                self.statusBar().showMessage(i18n.t("ui.imported", count=dialog.imported))
                self.refresh()

        self.runner.query(lambda: store.preview_import(path), show, self._failed)

    def choose_export(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, i18n.t("ui.export_roster").replace("&", ""), "so-danh-sach-dang-vien.xlsx",
            i18n.t("ui.xlsx_filter"))
        if name:
            self.export_roster(Path(name))

    def export_roster(self, path: Path) -> None:
        store = self.store
        self.runner.query(lambda: store.export_roster(path),
                        lambda saved: self.statusBar().showMessage(
                            i18n.t("ui.exported", path=str(saved))), self._failed)

    def show_audit(self) -> None:
        from sotay_desktop.ui.audit_dialog import AuditDialog

        self.run_dialog(AuditDialog(self.store, self.runner, self))

    def choose_backup(self) -> None:
        start = str(self.settings.get("backup_dir")) if self.settings else ""
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, i18n.t("ui.backup").replace("&", ""), start)
        if folder:
            if self.settings is not None:
                self.settings.set("backup_dir", folder)
                try:
                    self.settings.save()
                except OSError:
                    pass  # the backup still runs; the folder is asked again next time
            self.backup_to(Path(folder))

    def backup_to(self, folder: Path) -> None:
        store = self.store
        self.statusBar().showMessage(i18n.t("ui.backup_running"))
        self.runner.query(lambda: store.backup(folder),
                        lambda made: self.statusBar().showMessage(
                            i18n.t("backup_done", path=str(made))), self._failed)

    def _weekly_backup(self) -> None:
        """Once a week, into the folder chosen last time (a USB stick may be absent: then
        nothing happens and the status bar says so)."""
        folder = str(self.settings.get("backup_dir")) if self.settings else ""
        if not folder:
            return
        store = self.store

        def run() -> Path | None:
            if not store.backup_due():
                return None
            if not Path(folder).is_dir():
                raise FileNotFoundError(folder)
            return store.backup(Path(folder))

        def done(made: Path | None) -> None:
            if made is not None:
                self.statusBar().showMessage(i18n.t("backup_done", path=str(made)))

        def failed(exc: Exception) -> None:
            self.statusBar().showMessage(i18n.t("ui.backup_skipped", path=folder))

        self.runner.query(run, done, failed)   # the copy is a read; its date goes to the writer

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        """Closing or locking: a sync in progress stops at its next step, so the writer's
        queue and the sync can finish before the database is closed."""
        self.sync.cancel()
        self.sync.timer.stop()
        super().closeEvent(event)

    def _recount_pending(self) -> None:
        self.runner.query(self.store.pending_changes, self._show_pending, self._failed)
        self._refresh_undo()

    def _refresh_undo(self) -> None:
        self.runner.query(self.store.last_undoable, self.home.show_undoable, self._failed)

    def _show_pending(self, pending: int) -> None:
        self._pending = pending
        self._sync_state(self.sync.state, self.sync.message or i18n.t("ui.sync_not_enrolled"))

    def after_write(self, member_id: str) -> None:
        """Reload what a member write touched, then show that member."""
        self._select_after_load = member_id
        self.refresh()

    def _failed(self, exc: Exception) -> None:
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
