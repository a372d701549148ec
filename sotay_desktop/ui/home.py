"""The home panel: the branch, its party numbers and the reminders, printable as a list;
the last import or removal, with a button to undo it.

Home reads again when a broadcast ``Changes`` touched the members, the branch or a table
behind a reminder (``on_changes``, ``REMINDED``); no other screen asks it to. A reminder
of the secretary's year opens its screen (``screen_requested``, ``ui/reminder_links``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.reminders import Reminder, ReminderKind
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.read_models import BranchInfo
from sotay_desktop.ui import printing
from sotay_desktop.ui.table_model import ListTableModel
from sotay_desktop.ui.widgets import confirm, plain, show_error
from sotay_desktop.usecases import branch, undo

if TYPE_CHECKING:  # the window paints before SQLAlchemy is loaded
    from sotay_desktop.services.undo import UndoableAct
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace

Qt = QtCore.Qt
COLUMNS = ("due", "reminder", "member")
# Reminders of the secretary's year open their screen (``screen_requested``: the lazy
# screen's class name and the reminder's ``ref``, or the member for a transfer letter);
# a probation reminder with a ``ref`` (admitted through the pipeline) opens the candidate;
# every other reminder opens the member's record (``member_requested``).
SCREENS = {
    ReminderKind.CANDIDATE_CERTIFICATE: "CandidatesScreen",
    ReminderKind.CANDIDATE_CEREMONY: "CandidatesScreen",
    ReminderKind.CANDIDATE_OFFICIAL: "CandidatesScreen",
    ReminderKind.REVIEW_NOT_OPENED: "ReviewScreen",
    ReminderKind.REVIEW_NOT_HELD: "ReviewScreen",
    ReminderKind.REVIEW_NOT_SENT: "ReviewScreen",
    ReminderKind.TRANSFER_LATE: "TransfersScreen",
    ReminderKind.STUDY_OPEN: "StudyScreen",
    ReminderKind.STUDY_DUE: "StudyScreen",
    ReminderKind.STUDY_OVERDUE: "StudyScreen",
}
# Tables whose writes change the reminders (beside the members, the branch and the dues).
REMINDED = ("tasks", "candidates", "candidate_steps", "review_campaigns", "transfers",
            "study_plans", "study_sessions", "study_attendance")


def reminder_text(reminder: Reminder) -> str:
    if reminder.kind is ReminderKind.PROBATION and reminder.overdue:
        return i18n.t("reminder.probation_overdue")
    return i18n.t(f"reminder.{reminder.kind.value}", years=reminder.years)


class RemindersModel(ListTableModel[Reminder]):
    columns = COLUMNS

    @property
    def reminders(self) -> list[Reminder]:
        return self.rows

    def set_reminders(self, reminders: list[Reminder]) -> None:
        self.set_rows(reminders)

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        reminder = self.reminders[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.row_texts(reminder)[index.column()]
        if role == Qt.ItemDataRole.FontRole and reminder.overdue:
            font = QtWidgets.QApplication.font()
            font.setBold(True)
            return font
        return None

    @staticmethod
    def row_texts(reminder: Reminder) -> tuple[str, str, str]:
        return (reminder.due.strftime("%d/%m/%Y"), reminder_text(reminder), reminder.full_name)


class HomeScreen(QtWidgets.QWidget):
    member_requested = QtCore.Signal(str)
    screen_requested = QtCore.Signal(str, str)   # a lazy screen's class name, what to open
    reminders_shown = QtCore.Signal(list)
    status_message = QtCore.Signal(str)   # for the window's status bar ("Đã hoàn tác.")
    failed = QtCore.Signal(object)        # a read failed: said in the status bar

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QtWidgets.QLabel(self)
        self.heading.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.superior = QtWidgets.QLabel(self)
        self.counts = QtWidgets.QLabel(self)
        self.counts.setWordWrap(True)
        self.reminders = RemindersModel(self)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.reminders)
        self.table.verticalHeader().hide()
        # the day whole; the reminder's words and the name (or a task's words) share the rest
        # and wrap (sized to their contents, at 200 % type a long reminder left the name
        # column a few letters wide)
        header = self.table.horizontalHeader()
        fit, stretch = (QtWidgets.QHeaderView.ResizeMode.ResizeToContents,
                        QtWidgets.QHeaderView.ResizeMode.Stretch)
        for column, mode in enumerate((fit, stretch, stretch)):
            header.setSectionResizeMode(column, mode)
        self.table.setWordWrap(True)
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(i18n.t("ui.reminders"))
        self.table.activated.connect(self._activated)
        self.print_button = QtWidgets.QPushButton(i18n.t("ui.print_list"), self)
        self.print_button.clicked.connect(self.print_reminders)
        title = QtWidgets.QLabel(i18n.t("ui.reminders"), self)
        title.setBuddy(self.table)
        heading_font = title.font()
        heading_font.setBold(True)
        title.setFont(heading_font)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        # the last import or removal, offered for undo until undone or replaced
        self.undo_label = QtWidgets.QLabel(self)
        self.undo_label.setWordWrap(True)
        self.undo_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.undo_button = QtWidgets.QPushButton(i18n.t("ui.undo"), self)
        self.undo_button.clicked.connect(self.undo_last)
        self.undo_bar = QtWidgets.QWidget(self)
        undo_row = QtWidgets.QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.superior)
        layout.addWidget(self.counts)
        layout.addWidget(self.undo_bar)
        layout.addSpacing(12)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.branch_name = ""
        self.workspace: Workspace | None = None
        self.runner: TaskRunner | None = None
        # other writes (a meeting, a document) may end what can be undone: one look after a
        # burst of them, not one per write
        self._undo_timer = QtCore.QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(150)
        self._undo_timer.timeout.connect(self.load_undoable)

    # --- reading

    def attach(self, workspace: Workspace, runner: TaskRunner) -> None:
        """Read through ``runner`` from now on, and follow its broadcast ``Changes``."""
        self.workspace, self.runner = workspace, runner
        runner.operation_did_execute.connect(self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        if changes.members or changes.branch or changes.dues or changes.touches(*REMINDED):
            self.reload()
        elif changes:
            self._undo_timer.start()

    def reload(self) -> None:
        """The branch and its numbers, then the slower parts (reminders, the undo bar)."""
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace

        def read() -> tuple[BranchInfo | None, dict[MemberStatus, int]]:
            info = branch.branch(workspace)
            return info, (branch.counts(workspace) if info is not None else {})

        def show(found: tuple[BranchInfo | None, dict[MemberStatus, int]]) -> None:
            if found[0] is not None:
                self.show_branch(found[0], found[1])
                self.load_slow_parts()

        self.runner.query(read, show, self.failed.emit)

    def load_slow_parts(self) -> None:
        """The reminders (a walk through every history) and what can be undone."""
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace
        self.runner.query(lambda: branch.reminders(workspace), self.show_reminders,
                          self.failed.emit)
        self.load_undoable()

    def load_undoable(self) -> None:
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace
        self.runner.query(lambda: undo.last_undoable(workspace), self.show_undoable,
                          self.failed.emit)

    def show_branch(self, info: BranchInfo, counts: dict[MemberStatus, int]) -> None:
        self.branch_name = info.branch.name
        self.heading.setText(info.branch.name)
        self.superior.setText(" – ".join(unit.name for unit in info.parents))
        on_roster = sum(n for status, n in counts.items() if status.on_roster)
        self.counts.setText(i18n.t(
            "ui.home_counts", on_roster=on_roster,
            official=counts.get(MemberStatus.OFFICIAL, 0),
            probationary=counts.get(MemberStatus.PROBATIONARY, 0),
            exempted=counts.get(MemberStatus.EXEMPTED, 0),
            away=counts.get(MemberStatus.AWAY, 0)))

    def show_undoable(self, act: UndoableAct | None) -> None:
        """The last destructive act (an import, a removal), with a button to undo it."""
        self.undo_bar.setVisible(act is not None)
        if act is None:
            self.undo_label.clear()
            return
        at = dt.datetime.fromisoformat(act.at).astimezone().strftime("%H:%M %d/%m/%Y")
        key = "ui.last_import" if act.kind == "import" else "ui.last_remove"
        self.undo_label.setText(i18n.t(key, count=act.count(), label=act.label, at=at))

    def show_reminders(self, reminders: list[Reminder]) -> None:
        self.reminders.set_reminders(reminders)
        self.table.resizeRowsToContents()
        self.print_button.setEnabled(bool(reminders))
        self.reminders_shown.emit(reminders)

    # --- undo

    def undo_last(self) -> None:
        """Ask, naming the act; undo it only if it is still the one confirmed."""
        if self.workspace is None or self.runner is None:
            return
        workspace, runner = self.workspace, self.runner

        def ask(act: UndoableAct | None) -> None:
            if act is None:
                self.show_undoable(None)
                return
            key = "ui.undo_import_confirm" if act.kind == "import" else "ui.undo_remove_confirm"
            if not confirm(self, plain("ui.undo_title"),
                           i18n.t(key, count=act.count(), label=act.label), plain("ui.undo")):
                return
            runner.op(lambda: undo.undo_last(workspace, act),
                      lambda _r: self.status_message.emit(i18n.t("ui.undone")),
                      self._undo_failed)

        runner.query(lambda: undo.last_undoable(workspace), ask, self.failed.emit)

    def _undo_failed(self, exc: Exception) -> None:
        show_error(self, exc)
        self.load_undoable()   # what can be undone now

    def reminders_html(self, today: dt.date) -> str:
        rows = [RemindersModel.row_texts(r) for r in self.reminders.reminders]
        header = [i18n.t(f"ui.col_{c}") for c in COLUMNS]
        return printing.table_html(
            f"{i18n.t('ui.reminders_print_title')} – {self.branch_name.upper()}",
            i18n.t("ui.printed_on", date=today.strftime("%d/%m/%Y")), header, rows)

    def print_reminders(self) -> None:
        printing.preview(self, self.reminders_html(dt.date.today()))

    def _activated(self, index: QtCore.QModelIndex) -> None:
        reminder = self.reminders.reminders[index.row()]
        screen = SCREENS.get(reminder.kind)
        if reminder.kind is ReminderKind.PROBATION and reminder.ref:
            screen = "CandidatesScreen"   # admitted through the pipeline: its resolution
        if screen is not None:
            self.screen_requested.emit(screen, reminder.ref or reminder.member_id)
        else:
            self.member_requested.emit(reminder.member_id)
