"""The meetings screen: the list of meetings, and one meeting's tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import add_months
from sotay_core.domain.entities import MeetingKind
from sotay_core.domain.errors import DomainError
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meetings import MeetingSummary
from sotay_desktop.settings import Settings
from sotay_desktop.ui.meetings.attendance_tab import AttendanceTab
from sotay_desktop.ui.meetings.details_tab import DetailsTab
from sotay_desktop.ui.meetings.models import MeetingsModel
from sotay_desktop.ui.meetings.print_tab import PrintTab
from sotay_desktop.ui.meetings.records_tabs import MinutesTab, ResolutionTab
from sotay_desktop.ui.meetings.score_tab import ScoreTab
from sotay_desktop.ui.meetings.tab_base import ask_same_title
from sotay_desktop.ui.meetings.tasks_tab import TasksTab
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain, report_in_status
from sotay_desktop.usecases import meetings
from sotay_desktop.usecases.meetings import MeetingSheet
from sotay_desktop.usecases.workspace import Workspace


class NewMeetingDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, *, place: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.setWindowTitle(plain("ui.new_meeting"))
        today = workspace.today()
        upcoming = today.replace(day=5) if today.day <= 5 else add_months(today, 1).replace(day=5)
        self.editors = {
            "date": QtWidgets.QLineEdit(upcoming.strftime("%d/%m/%Y"), self),
            "kind": QtWidgets.QComboBox(self),
            "starts_at": QtWidgets.QLineEdit("19:30", self),
            "place": QtWidgets.QLineEdit(place, self),
        }
        kinds = self.editors["kind"]
        assert isinstance(kinds, QtWidgets.QComboBox)
        for kind in MeetingKind:
            kinds.addItem(i18n.t(f"kind.{kind.value}"), kind.value)
        form = QtWidgets.QFormLayout()
        for name, key in (("date", "ui.meeting_date"), ("kind", "ui.meeting_kind"),
                          ("starts_at", "ui.meeting_time"), ("place", "ui.meeting_place")):
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        self.lay_out(form)
        self.same_title_ok = False      # the person said yes to a second meeting of that title

    def show_error(self, exc: BaseException) -> None:
        if (isinstance(exc, DomainError) and exc.code == "meeting_same_title"
                and not self.same_title_ok and ask_same_title(self, exc)):
            self.same_title_ok = True
            self.save()
            return
        super().show_error(exc)

    def _text(self, name: str) -> str:
        editor = self.editors[name]
        assert isinstance(editor, QtWidgets.QLineEdit)
        return editor.text()

    def save(self) -> None:
        self.clear_errors()
        day = self._text("date")   # the service checks it and names the field
        kinds = self.editors["kind"]
        assert isinstance(kinds, QtWidgets.QComboBox)
        workspace, kind = self.workspace, kinds.currentData()
        starts_at, place = self._text("starts_at"), self._text("place")
        allow = self.same_title_ok
        self.submit(self.runner, lambda: meetings.create_meeting(
            workspace, day=day, kind=kind, starts_at=starts_at, place=place,
            allow_same_title=allow))


class MeetingsScreen(QtWidgets.QWidget):
    sheet_loaded = QtCore.Signal(object)
    meetings_loaded = QtCore.Signal(list)

    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self._creating = False   # the new-meeting dialog selects what it made, once
        runner.operation_did_execute.connect(self.on_changes)
        self.model = MeetingsModel(self)
        self.list = QtWidgets.QTableView(self)
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().hide()
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setAccessibleName(plain("ui.nav_meetings"))
        self.new_button = QtWidgets.QPushButton(i18n.t("ui.new_meeting"), self)
        self.report_button = QtWidgets.QPushButton(i18n.t("ui.report.title"), self)
        self.heading = QtWidgets.QLabel(i18n.t("ui.no_meeting"), self)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.details = DetailsTab(self.write, self)
        self.attendance = AttendanceTab(self.write, self)
        self.minutes = MinutesTab(self.write, self)
        self.resolution = ResolutionTab(self.write, self)
        self.printing = PrintTab(workspace, runner, settings, self)
        self.task_list = TasksTab(workspace, runner, self)    # issue 19
        self.score = ScoreTab(workspace, runner, self)
        self.tabs = QtWidgets.QTabWidget(self)
        for tab, key in ((self.details, "ui.tab_details"),
                         (self.attendance, "ui.tab_attendance"), (self.minutes, "ui.tab_minutes"),
                         (self.resolution, "ui.tab_resolution"), (self.score, "ui.tab_score"),
                         (self.task_list, "ui.tab_tasks"), (self.printing, "ui.tab_print")):
            self.tabs.addTab(tab, i18n.t(key))
        self.tabs.setEnabled(False)
        left = QtWidgets.QWidget(self)
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.report_button)   # the monthly report to the commune
        left_layout.addWidget(self.list, 1)
        right = QtWidgets.QWidget(self)
        right_layout = QtWidgets.QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs, 1)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        width = self.fontMetrics().horizontalAdvance("00/00/0000  Sinh hoạt chi bộ tháng 12 năm")
        splitter.setSizes([width, width * 3])
        QtWidgets.QVBoxLayout(self).addWidget(splitter)
        self.new_button.clicked.connect(self.new_meeting)
        self.report_button.clicked.connect(self.open_report)
        self.list.selectionModel().currentRowChanged.connect(self._current_changed)
        self.sheet: MeetingSheet | None = None

    def on_changes(self, changes: Changes) -> None:
        """A write here or elsewhere: read the list and the sheet again if it touched a
        meeting or the members (the attendance list is the roster)."""
        if (changes.meetings or changes.members) and not self._creating:
            self.load()

    def load(self, select_id: str = "") -> None:
        workspace = self.workspace
        wanted = select_id or (self.sheet.meeting_id if self.sheet else "")

        def show(rows: list[MeetingSummary]) -> None:
            self.model.set_rows(rows)
            self.list.resizeColumnsToContents()
            row = next((i for i, m in enumerate(rows) if m.id == wanted), 0)
            if rows:
                self.list.setCurrentIndex(self.model.index(row, 0))
            self.meetings_loaded.emit(rows)

        self.runner.query(lambda: meetings.meetings(workspace), show,
                          lambda exc: report_in_status(self, exc))

    def _current_changed(self, current: QtCore.QModelIndex, _previous: Any) -> None:
        if current.isValid():
            self.load_sheet(self.model.row_at(current.row()).id)

    def load_sheet(self, meeting_id: str) -> None:
        workspace = self.workspace
        self.runner.query(lambda: meetings.meeting_sheet(workspace, meeting_id), self._show_sheet,
                        lambda exc: report_in_status(self, exc))

    def _show_sheet(self, sheet: MeetingSheet) -> None:
        if self.sheet is None or self.sheet.meeting_id != sheet.meeting_id:
            for tab in (self.details, self.attendance, self.minutes, self.resolution):
                tab.done_note.clear_message()   # "đã lưu" speaks of the meeting it was
        self.sheet = sheet
        self.tabs.setEnabled(True)
        data = sheet.data
        self.heading.setText(f"{data.title} — {data.date.strftime('%d/%m/%Y')}, "
                             f"{data.starts_at} — {data.location}")
        for tab in (self.details, self.attendance, self.minutes, self.resolution, self.printing,
                    self.score, self.task_list):
            tab.show_sheet(sheet)
        summary = next((m for m in self.model.rows if m.id == sheet.meeting_id), None)
        if summary is not None and summary.resolution_status:   # "Đang lấy ý kiến" too
            self.resolution.status_label.setText(
                i18n.t(f"ui.res_status.{summary.resolution_status}"))
        self.sheet_loaded.emit(sheet)

    def write(self, job: Callable[[Workspace], object], on_error: Callable[[Exception], None],
              on_done: Callable[[Any], None] | None = None) -> None:
        """The tabs' ``Write``: one use case through the writer; its broadcast ``Changes``
        bring the list and the sheet up to date (``on_changes``)."""
        workspace = self.workspace
        self.runner.op(lambda: job(workspace), on_done, on_error)

    def open_report(self) -> None:
        from sotay_desktop.ui.report_dialog import MonthlyReportDialog

        dialog = MonthlyReportDialog(self.workspace, self.runner, self.printing.settings, self)
        dialog.load()
        dialog.exec()

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def new_meeting(self) -> None:
        place = self.sheet.data.location if self.sheet else ""
        dialog = NewMeetingDialog(self.workspace, self.runner, place=place, parent=self)
        self._creating = True
        try:
            accepted = self.run_dialog(dialog)
        finally:
            self._creating = False
        if accepted and dialog.saved_id:
            self.load(dialog.saved_id)
            self.tabs.setCurrentWidget(self.attendance)

