"""The home panel: the branch, its party numbers and the reminders, printable as a list."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.reminders import Reminder, ReminderKind
from sotay_desktop.services.read_models import BranchInfo
from sotay_desktop.ui import printing
from sotay_desktop.ui.table_model import ListTableModel

if TYPE_CHECKING:  # the window paints before SQLAlchemy is loaded
    from sotay_desktop.services.undo import UndoableAct

Qt = QtCore.Qt
COLUMNS = ("due", "reminder", "member")


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
    undo_requested = QtCore.Signal()

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
        self.table.horizontalHeader().setStretchLastSection(True)
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
        self.undo_button.clicked.connect(self.undo_requested)
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
        self.table.resizeColumnsToContents()
        self.print_button.setEnabled(bool(reminders))

    def reminders_html(self, today: dt.date) -> str:
        rows = [RemindersModel.row_texts(r) for r in self.reminders.reminders]
        header = [i18n.t(f"ui.col_{c}") for c in COLUMNS]
        return printing.table_html(
            f"{i18n.t('ui.reminders_print_title')} – {self.branch_name.upper()}",
            i18n.t("ui.printed_on", date=today.strftime("%d/%m/%Y")), header, rows)

    def print_reminders(self) -> None:
        printing.preview(self, self.reminders_html(dt.date.today()))

    def _activated(self, index: QtCore.QModelIndex) -> None:
        self.member_requested.emit(self.reminders.reminders[index.row()].member_id)
