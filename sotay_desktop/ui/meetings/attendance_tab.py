"""The attendance tab: the roll call, one mark at a time or the rest present at once."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import Attendance, MemberStatus
from sotay_core.domain.rules import majority_needed
from sotay_desktop.documents.party_docs import ATTENDANCE_WORDS
from sotay_desktop.ui.meetings.models import AttendanceModel
from sotay_desktop.ui.meetings.tab_base import (
    Write,
)
from sotay_desktop.ui.widgets import (
    DoneNote,
    FieldError,
    add_field_row,
    confirm,
    plain,
)
from sotay_desktop.usecases import meetings
from sotay_desktop.usecases.meetings import MeetingSheet

MARK_REST_PRESENT = "Ctrl+Shift+C"   # "có mặt": the rest of the roll call in one step


class AttendanceTab(QtWidgets.QWidget):
    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.write = write
        self.sheet: MeetingSheet | None = None
        self.model = AttendanceModel(self)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(plain("ui.tab_attendance"))
        self.status = QtWidgets.QComboBox(self)
        for mark in Attendance:
            self.status.addItem(ATTENDANCE_WORDS[mark], mark.value)
        self.reason = QtWidgets.QLineEdit(self)
        self.mark_button = QtWidgets.QPushButton(i18n.t("ui.mark"), self)
        self.all_button = QtWidgets.QPushButton(i18n.t("ui.mark_all_present"), self)
        shortcut = QtGui.QKeySequence(MARK_REST_PRESENT)
        tip = i18n.t("ui.mark_all_present_tip", shortcut=shortcut.toString(
            QtGui.QKeySequence.SequenceFormat.NativeText))
        self.all_button.setToolTip(tip)
        self.all_button.setAccessibleDescription(tip)
        self.rest_shortcut = QtGui.QShortcut(shortcut, self)
        self.rest_shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.rest_shortcut.activated.connect(self.mark_rest_present)
        self.counts = QtWidgets.QLabel(self)
        self.counts.setWordWrap(True)
        self.error = FieldError(self)
        self.done_note = DoneNote(self)
        form = QtWidgets.QFormLayout()
        add_field_row(form, self, i18n.t("ui.col_attendance") + ":", self.status,
                      i18n.t("ui.col_attendance"))
        add_field_row(form, self, i18n.t("ui.col_reason") + ":", self.reason,
                      i18n.t("ui.col_reason"))
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.all_button)
        buttons.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.done_note)
        self.mark_button.clicked.connect(self.mark_selected)
        self.all_button.clicked.connect(self.mark_rest_present)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def show_sheet(self, sheet: MeetingSheet) -> None:
        row = self.table.currentIndex().row()
        self.sheet = sheet
        self.model.set_rows(sheet.attendance)
        self.table.resizeColumnsToContents()
        if 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, 0))
        present = sum(1 for line in sheet.attendance if line.status is Attendance.PRESENT)
        called = sum(1 for line in sheet.attendance
                     if line.status not in (Attendance.EXEMPTED, Attendance.AWAY))
        self.counts.setText(i18n.t("ui.attendance_counts", present=present, called=called,
                                   base=sheet.voting_base,
                                   needed=majority_needed(sheet.voting_base)))

    def _row_changed(self, current: QtCore.QModelIndex, _previous: Any) -> None:
        if current.isValid():
            line = self.model.row_at(current.row())
            if line.status is not None:
                self.status.setCurrentIndex(self.status.findData(line.status.value))
            self.reason.setText(line.reason)

    def mark_selected(self) -> None:
        index = self.table.currentIndex()
        if self.sheet is None or not index.isValid():
            return
        self.error.clear_message()
        self.done_note.clear_message()
        line = self.model.row_at(index.row())
        if (self.status.currentData() == Attendance.EXEMPTED.value
                and line.member_status is not MemberStatus.EXEMPTED
                and not self._exempt_anyway(line.name, line.member_status)):
            return
        self.write(partial(meetings.set_attendance, meeting_id=self.sheet.meeting_id,
                           member_id=line.member_id, status=self.status.currentData(),
                           reason=self.reason.text()), self.error.show_exception)
        if index.row() + 1 < self.model.rowCount():   # on to the next person, as on paper
            self.table.setCurrentIndex(self.model.index(index.row() + 1, 0))

    def _exempt_anyway(self, name: str, status: MemberStatus | None) -> bool:
        """"Miễn sinh hoạt" is for members exempted by a decision; anyone else, ask first."""
        status_text = i18n.t(f"status.{status.value}") if status else ""
        return confirm(self, ATTENDANCE_WORDS[Attendance.EXEMPTED],
                       i18n.t("ui.exempt_confirm", name=name, status=status_text),
                       i18n.t("ui.exempt_anyway"))

    def mark_rest_present(self) -> None:
        """Everyone not yet marked is present: one write, however many people."""
        if self.sheet is None:
            return
        self.error.clear_message()
        if all(line.status is not None for line in self.sheet.attendance):
            self.done_note.show_message(i18n.t("ui.nobody_left_to_mark"))
            return
        self.done_note.clear_message()

        def done(result: tuple[int, Any]) -> None:
            self.done_note.show_message(i18n.t("ui.marked_rest_present", count=result[0]))

        self.write(partial(meetings.mark_rest_present, meeting_id=self.sheet.meeting_id),
                   self.error.show_exception, done)
