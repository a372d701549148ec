"""The tasks tab of the meetings screen (issue 19): the tasks of the last months'
resolutions, their status, due date, person in charge and notes, edited from the keyboard.

The table is read through the runner (``usecases.tasks.recent_tasks``) and each edit is one
operation (``usecases.tasks.update_task``); its ``Changes`` bring the table up to date.
Select a row, then Alt+letter to a field or Tab into the form below; Enter saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, ClassVar

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import TaskStatus
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.tasks import TaskView
from sotay_desktop.ui.table_model import ListTableModel
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, add_field_row, clock_time, plain
from sotay_desktop.usecases import tasks
from sotay_desktop.usecases.meetings import MeetingSheet
from sotay_desktop.usecases.workspace import Workspace

Qt = QtCore.Qt
TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def status_text(status: TaskStatus) -> str:
    return i18n.t(f"task.status.{status.value}")


class TasksModel(ListTableModel[TaskView]):
    columns = ("resolution", "due", "status", "task", "responsible", "notes")
    header_keys: ClassVar[Mapping[str, str]] = {name: f"ui.tasks.col_{name}"
                                                for name in columns}

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        task = self.rows[index.row()]
        if role == TASK_ID_ROLE:
            return task.id
        if role == Qt.ItemDataRole.FontRole and task.overdue:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = self.column_name(index)
        if column == "resolution":
            return task.resolution_number
        if column == "due":
            due = task.due_on.strftime("%d/%m/%Y") if task.due_on else ""
            return f"{due} ({i18n.t('ui.tasks.overdue')})" if task.overdue else due
        if column == "status":
            return status_text(task.status)
        if column == "task":
            return task.text
        if column == "responsible":
            return task.responsible
        return task.notes


class TasksTab(QtWidgets.QWidget):
    tasks_loaded = QtCore.Signal(list)

    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.model = TasksModel(self)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(plain("ui.tab_tasks"))
        self.open_only = QtWidgets.QCheckBox(i18n.t("ui.tasks.open_only"), self)
        self.summary = QtWidgets.QLabel(self)
        self.summary.setWordWrap(True)
        self.status = QtWidgets.QComboBox(self)
        for status in TaskStatus:
            self.status.addItem(status_text(status), status.value)
        self.due = QtWidgets.QLineEdit(self)
        self.due.setPlaceholderText("31/12/2026")
        self.responsible = QtWidgets.QComboBox(self)
        self.notes = QtWidgets.QLineEdit(self)
        self.save_button = QtWidgets.QPushButton(i18n.t("ui.tasks.save"), self)
        self.save_button.setDefault(True)
        form = QtWidgets.QFormLayout()
        self.errors = {name: add_field_row(form, self, i18n.t(key), editor, plain(key))
                       for name, key, editor in (
                           ("status", "ui.tasks.status", self.status),
                           ("due_on", "ui.tasks.due", self.due),
                           ("responsible_id", "ui.tasks.responsible", self.responsible),
                           ("notes", "ui.tasks.notes", self.notes))}
        self.error = FieldError(self)
        self.done_note = DoneNote(self)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.done_note, 1)
        row.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.open_only)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.all_rows: list[TaskView] = []
        self.save_button.clicked.connect(self.save)
        for line in (self.due, self.notes):
            line.returnPressed.connect(self.save)
        self.open_only.toggled.connect(lambda _on: self._show(self.all_rows))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        runner.operation_did_execute.connect(self.on_changes)
        self._set_form_enabled(False)

    # --- reading

    def show_sheet(self, sheet: MeetingSheet) -> None:
        """The people who can be in charge come with the meeting; the tasks are read anew."""
        current = self.responsible.currentData()
        self.responsible.clear()
        self.responsible.addItem(i18n.t("ui.tasks.no_member"), "")
        for member_id, name in sheet.details.people:
            self.responsible.addItem(name, member_id)
        self.responsible.setCurrentIndex(max(0, self.responsible.findData(current)))
        self.load()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("tasks", "resolutions") or changes.members:
            self.load()

    def load(self) -> None:
        workspace = self.workspace
        self.runner.query(lambda: tasks.recent_tasks(workspace), self._show,
                          self.error.show_exception)

    def _show(self, rows: list[TaskView]) -> None:
        wanted = self.current_id()
        self.all_rows = list(rows)
        shown = [r for r in rows if r.status not in (TaskStatus.DONE, TaskStatus.CARRIED_OVER)
                 ] if self.open_only.isChecked() else list(rows)
        self.model.set_rows(shown)
        self.table.resizeColumnsToContents()
        for column, width in ((3, 40), (5, 30)):   # long words wrap in the tooltip
            self.table.setColumnWidth(column, min(self.table.columnWidth(column),
                                                  self.fontMetrics().averageCharWidth() * width))
        row = next((i for i, r in enumerate(shown) if r.id == wanted), 0 if shown else -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._set_form_enabled(row >= 0)
        self.summary.setText(i18n.t("ui.tasks.summary", count=len(rows),
                                    overdue=sum(1 for r in rows if r.overdue)))
        self.tasks_loaded.emit(shown)

    def current_id(self) -> str:
        index = self.table.currentIndex()
        return str(index.data(TASK_ID_ROLE)) if index.isValid() else ""

    def _set_form_enabled(self, on: bool) -> None:
        for widget in (self.status, self.due, self.responsible, self.notes, self.save_button):
            widget.setEnabled(on)

    def _row_changed(self, current: QtCore.QModelIndex, _previous: Any) -> None:
        if not current.isValid():
            return
        task = self.model.row_at(current.row())
        self.status.setCurrentIndex(self.status.findData(task.status.value))
        self.due.setText(task.due_on.strftime("%d/%m/%Y") if task.due_on else "")
        found = self.responsible.findData(task.responsible_id or "")
        self.responsible.setCurrentIndex(max(0, found))
        self.notes.setText(task.notes)

    # --- writing

    def save(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        task = self.model.row_at(index.row())
        for error in (*self.errors.values(), self.error):
            error.clear_message()
        self.done_note.clear_message()
        fields: tasks.TaskFields = {"status": self.status.currentData(),
                                    "notes": self.notes.text(),
                                    "due_on": self.due.text().strip() or None}
        chosen = self.responsible.currentData() or None
        if chosen != task.responsible_id:   # "—" keeps the resolution's own words
            fields["responsible_id"] = chosen
        workspace = self.workspace
        self.runner.op(partial(tasks.update_task, workspace, task_id=task.id, fields=fields),
                       lambda _c: self.done_note.show_message(
                           i18n.t("ui.tasks.saved_at", time=clock_time())),
                       self.show_error)

    def show_error(self, exc: Exception) -> None:
        field = getattr(exc, "field", None)
        self.errors.get(field or "", self.error).show_exception(exc)
