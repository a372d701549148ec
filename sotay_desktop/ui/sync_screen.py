"""The Sync screen and the controller that syncs in the background.

The controller tries a sync when the window opens, then every few minutes; a
failure that may pass (no signal, timeout, server busy) is retried after an
exponential delay with jitter, so a village without signal for days costs
nothing and a whole commune coming back online does not hit the server at the
same second. A failure that will not pass (revoked, too old a version) stops the
automatic tries and says what to do. Sync runs on the runner's network thread so a
slow file download never holds up the secretary's saves; its writes wait for the writer's.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import confirm, error_text
from sotay_desktop.usecases import sync

if TYPE_CHECKING:
    from sotay_desktop.services.read_models import SyncStatus
    from sotay_desktop.usecases.workspace import Workspace

INTERVAL_MS = 15 * 60 * 1000     # between syncs while all is well
SOON_MS = 2 * 60 * 1000          # when changes are waiting


def check_text(outcome: Any) -> str:
    """The Sync screen's line about the last comparison with the server ("" for none)."""
    from sotay_desktop.services.sync.convergence import describe

    return describe(outcome)


class SyncController(QtCore.QObject):
    """State: "not_enrolled", "idle", "syncing", "offline" (will retry) or "stopped"."""

    state_changed = QtCore.Signal(str, str)      # state, message
    progress = QtCore.Signal(str, int, int)      # stage, done, total
    finished = QtCore.Signal(object)             # SyncReport

    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtCore.QObject | None = None, *, auto: bool = True) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.state = "not_enrolled"
        self.message = ""
        self.attempt = 0
        self.cancel_event = threading.Event()
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self.auto = auto

    def _set(self, state: str, message: str) -> None:
        self.state, self.message = state, message
        self.state_changed.emit(state, message)

    def start(self, enrolled: bool) -> None:
        if not enrolled:
            self._set("not_enrolled", i18n.t("ui.sync_not_enrolled"))
            return
        self._set("idle", i18n.t("ui.sync_waiting"))
        if self.auto:
            self.timer.start(3000)  # shortly after start-up, not during it

    def sync_now(self) -> None:
        if self.state == "syncing":
            return
        self.timer.stop()
        self.cancel_event.clear()
        self._set("syncing", i18n.t("ui.sync_running"))
        workspace = self.workspace

        def work() -> Any:
            return sync.sync(workspace, progress=lambda s, d, t: self.progress.emit(s, d, t),
                             cancel=self.cancel_event.is_set)

        # The runner's network thread: a slow download never holds up a save, and each of
        # the sync's short write transactions waits for the writer's (BEGIN IMMEDIATE).
        self.runner.network(work, self._on_done, self._on_failed)

    def cancel(self) -> None:
        self.cancel_event.set()

    def _on_done(self, report: Any) -> None:
        self.attempt = 0
        at = dt.datetime.now().strftime("%H:%M")
        message = i18n.t("ui.sync_ok", time=at)
        if abs(report.clock_skew_s) > 300:
            message += " " + i18n.t("sync_clock_skew", minutes=round(report.clock_skew_s / 60))
        if getattr(report, "files_skipped", 0):
            message += " " + i18n.t("sync_files_skipped", count=report.files_skipped)
        self._set("idle", message)
        # The sync wrote on its own thread: every screen decides what to read again.
        self.runner.broadcast(Changes.all())
        self.finished.emit(report)
        if self.auto:
            self.timer.start(SOON_MS if report.files_waiting else INTERVAL_MS)

    def _on_failed(self, exc: Exception) -> None:
        from sotay_desktop.services.sync.client import backoff_delay
        from sotay_desktop.services.sync.transport import SyncFailure

        text = error_text(exc)
        if isinstance(exc, SyncFailure) and exc.code == "sync_cancelled":
            self._set("idle", text)
            return
        if isinstance(exc, SyncFailure) and exc.retry:
            self.attempt += 1
            delay = backoff_delay(self.attempt)
            at = (dt.datetime.now() + dt.timedelta(seconds=delay)).strftime("%H:%M")
            self._set("offline", i18n.t("ui.sync_retry", reason=text, time=at))
            if self.auto:
                self.timer.start(int(delay * 1000))
            return
        if isinstance(exc, DomainError) and exc.code == "sync_not_enrolled":
            self._set("not_enrolled", text)
            return
        self._set("stopped", text)  # revoked, outdated, a bug: needs a person


class SyncScreen(QtWidgets.QWidget):
    status_loaded = QtCore.Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner, controller: SyncController,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.controller = workspace, runner, controller
        layout = QtWidgets.QVBoxLayout(self)
        title = QtWidgets.QLabel(i18n.t("ui.sync_title"), self)
        title.setObjectName("title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.state_label = QtWidgets.QLabel(self)
        self.state_label.setWordWrap(True)
        self.facts = QtWidgets.QLabel(self)
        self.facts.setWordWrap(True)
        layout.addWidget(self.state_label)
        layout.addWidget(self.facts)
        self.check_label = QtWidgets.QLabel(self)   # the end-of-sync comparison (R5)
        self.check_label.setWordWrap(True)
        self.check_label.setVisible(False)
        layout.addWidget(self.check_label)

        row = QtWidgets.QHBoxLayout()
        self.sync_button = QtWidgets.QPushButton(i18n.t("ui.sync_now"), self)
        self.cancel_button = QtWidgets.QPushButton(i18n.t("ui.sync_cancel"), self)
        self.cancel_button.setEnabled(False)
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setVisible(False)
        row.addWidget(self.sync_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        layout.addLayout(row)

        # Enrolment, shown while this PC is not enrolled.
        self.enroll_box = QtWidgets.QGroupBox(i18n.t("ui.sync_enroll_title"), self)
        form = QtWidgets.QFormLayout(self.enroll_box)
        self.server_edit = QtWidgets.QLineEdit(self.enroll_box)
        self.server_edit.setPlaceholderText("https://sotay.tinhuy.vn")
        self.code_edit = QtWidgets.QLineEdit(self.enroll_box)
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX")
        self.enroll_button = QtWidgets.QPushButton(i18n.t("ui.sync_enroll"), self.enroll_box)
        form.addRow(i18n.t("ui.sync_server"), self.server_edit)
        form.addRow(i18n.t("ui.sync_code"), self.code_edit)
        form.addRow(self.enroll_button)
        layout.addWidget(self.enroll_box)

        self.conflicts_title = QtWidgets.QLabel(self)
        layout.addWidget(self.conflicts_title)
        self.conflict_list = QtWidgets.QListWidget(self)
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setAccessibleName(i18n.t("ui.sync_conflicts_name"))
        layout.addWidget(self.conflict_list, 2)
        buttons = QtWidgets.QHBoxLayout()
        self.keep_mine = QtWidgets.QPushButton(i18n.t("ui.sync_keep_mine"), self)
        self.keep_theirs = QtWidgets.QPushButton(i18n.t("ui.sync_keep_theirs"), self)
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.keep_theirs)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.notice_list = QtWidgets.QListWidget(self)
        self.notice_list.setWordWrap(True)
        self.notice_list.setMaximumHeight(120)
        self.notice_list.setAccessibleName(i18n.t("ui.sync_notices_name"))
        layout.addWidget(self.notice_list)

        self.sync_button.clicked.connect(controller.sync_now)
        self.cancel_button.clicked.connect(controller.cancel)
        self.enroll_button.clicked.connect(self.enroll)
        self.keep_mine.clicked.connect(lambda: self.resolve("mine"))
        self.keep_theirs.clicked.connect(lambda: self.resolve("theirs"))
        self.conflict_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        controller.state_changed.connect(self._on_state)
        controller.progress.connect(self._on_progress)
        runner.operation_did_execute.connect(self.on_changes)
        self.status: SyncStatus | None = None
        self._on_state(controller.state, controller.message)

    # --- state

    def on_changes(self, changes: Changes) -> None:
        """After a sync or a resolved conflict (or a dismissed notice): read the state again."""
        if changes.sync:
            self.reload()

    def reload(self) -> None:
        workspace = self.workspace
        self.runner.query(lambda: sync.sync_status(workspace), self.show_status, self._show_error)

    def _show_error(self, exc: Exception) -> None:
        self.state_label.setText(error_text(exc))

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        self.enroll_box.setVisible(not status.enrolled)
        self.sync_button.setEnabled(status.enrolled and self.controller.state != "syncing")
        from sotay_core.domain.dates import local_time

        last = local_time(status.last_sync) if status.last_sync else i18n.t("ui.sync_never")
        self.facts.setText(i18n.t("ui.sync_facts", server=status.server_url or "—", last=last,
                                  pending=status.pending, files=status.files_waiting))
        line = check_text(status.check)
        self.check_label.setText(line)
        self.check_label.setVisible(bool(line))
        self.conflicts_title.setText(i18n.t("ui.sync_conflicts", count=len(status.conflicts)))
        self.conflict_list.clear()
        for item in status.conflicts:
            entry = QtWidgets.QListWidgetItem(item.text)  # type: ignore[attr-defined]
            entry.setData(QtCore.Qt.ItemDataRole.UserRole, item)
            self.conflict_list.addItem(entry)
        if status.conflicts:
            self.conflict_list.setCurrentRow(0)
        self.notice_list.clear()
        for notice in status.notices:
            self.notice_list.addItem(notice.text)  # type: ignore[attr-defined]
        for notice in status.quarantined:  # rows from the server set aside
            self.notice_list.addItem(notice.text)  # type: ignore[attr-defined]
        self.notice_list.setVisible(bool(status.notices or status.quarantined))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.conflict_list.currentItem() is not None
        self.keep_mine.setEnabled(has)
        self.keep_theirs.setEnabled(has)

    def _on_state(self, state: str, message: str) -> None:
        self.state_label.setText(message)
        syncing = state == "syncing"
        self.sync_button.setEnabled(not syncing and state != "not_enrolled")
        self.cancel_button.setEnabled(syncing)
        self.progress.setVisible(syncing)
        if syncing:
            self.progress.setRange(0, 0)

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setFormat(i18n.t(f"ui.sync_stage_{stage}") + " %p%")

    # --- actions

    def enroll(self) -> None:
        server, code = self.server_edit.text().strip(), self.code_edit.text().strip()
        self.enroll_button.setEnabled(False)

        def done(result: Any) -> None:
            self.enroll_button.setEnabled(True)
            self.code_edit.clear()
            self.state_label.setText(i18n.t("sync_enrolled", unit=result.unit_name,
                                            queued=result.queued, store=result.token_store))
            self.controller.start(True)
            self.controller.sync_now()
            self.reload()

        def failed(exc: Exception) -> None:
            self.enroll_button.setEnabled(True)
            self.state_label.setText(error_text(exc))

        self.runner.network(lambda: sync.enroll(self.workspace, server, code), done, failed)

    def resolve(self, keep: str) -> None:
        entry = self.conflict_list.currentItem()
        if entry is None:
            return
        item = entry.data(QtCore.Qt.ItemDataRole.UserRole)
        value = item.mine if keep == "mine" else item.theirs
        if not confirm(self, i18n.t("ui.sync_title"),
                       i18n.t("ui.sync_confirm_keep", value=value, text=item.text),
                       i18n.t("ui.verb_keep")):
            return
        self.runner.op(lambda: sync.resolve_conflict(self.workspace, item.id, keep), None,
                       self._show_error)   # the broadcast Changes reload every screen
