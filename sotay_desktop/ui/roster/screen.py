"""The roster screen: search box, status filter and the table, all reachable by keyboard;
beside it the selected member's record.

The roster reads again when a broadcast ``Changes`` touched the members (``on_changes``),
whichever screen or dialog wrote; the selected member's record follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import MemberRecord, MemberStatus
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.read_models import MemberSummary
from sotay_desktop.ui.display import scrolling
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.member.panel import MemberPanel
from sotay_desktop.ui.roster.model import ALL, ID_ROLE, ON_ROSTER, RosterModel
from sotay_desktop.usecases import dues as dues_cases
from sotay_desktop.usecases import members, review_history, study, tasks

STUDY_TABLES = ("study_plans", "study_sessions", "study_attendance", "quiz_answers")

if TYPE_CHECKING:
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace


class RosterScreen(QtWidgets.QWidget):
    member_activated = QtCore.Signal(str)
    member_selected = QtCore.Signal(str)   # "" when nothing is selected
    rows_loaded = QtCore.Signal(list)
    failed = QtCore.Signal(object)         # a read failed: said in the status bar

    def __init__(self, parent: QtWidgets.QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.model = RosterModel(self)

        self.search = QtWidgets.QLineEdit(self)
        self.search.setPlaceholderText(i18n.t("ui.search_placeholder"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(i18n.t("ui.search").replace("&", "").rstrip(":"))
        search_label = QtWidgets.QLabel(i18n.t("ui.search"), self)
        search_label.setBuddy(self.search)

        self.status = QtWidgets.QComboBox(self)
        self.status.addItem(i18n.t("ui.status_on_roster"), ON_ROSTER)
        self.status.addItem(i18n.t("ui.status_all"), ALL)
        for status in MemberStatus:
            if status is not MemberStatus.NONE:
                self.status.addItem(i18n.t(f"status.{status.value}"), status.value)
        status_label = QtWidgets.QLabel(i18n.t("ui.status_filter"), self)
        status_label.setBuddy(self.status)

        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        # Row height follows the font, so large type gets taller rows.
        self.table.verticalHeader().setDefaultSectionSize(
            int(self.table.fontMetrics().height() * 1.7))
        self.table.verticalHeader().setDefaultAlignment(
            QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(i18n.t("ui.nav_roster").replace("&", ""))
        self.table.activated.connect(self._activated)

        self.count_label = QtWidgets.QLabel(self)
        self.add_button = QtWidgets.QPushButton(i18n.t("ui.add_member"), self)
        self.import_button = QtWidgets.QPushButton(i18n.t("ui.import_roster"), self)
        self.export_button = QtWidgets.QPushButton(i18n.t("ui.export_roster"), self)
        self.panel = MemberPanel(self, today=today)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(scrolling(self.panel, self))   # a long record scrolls
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        bar = wrapped_rows(   # more lines at large type instead of leaving the screen
            (labelled(search_label, self.search, self), labelled(status_label, self.status, self),
             self.add_button, self.import_button, self.export_button),
            screen_budget(self, 0.75))
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.add_button)
        self.setTabOrder(self.add_button, self.import_button)
        self.setTabOrder(self.import_button, self.export_button)
        self.setTabOrder(self.export_button, self.table)

        self.search.textChanged.connect(self._query_changed)
        self.status.currentIndexChanged.connect(self._status_changed)
        self.model.set_status(ON_ROSTER)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self._keep = ""
        self._select_after_load = ""
        self._update_count()
        self.workspace: Workspace | None = None
        self.runner: TaskRunner | None = None

    # --- reading

    def attach(self, workspace: Workspace, runner: TaskRunner) -> None:
        """Read through ``runner`` from now on, follow its broadcast ``Changes``, and show
        the record of the member selected."""
        self.workspace, self.runner = workspace, runner
        runner.operation_did_execute.connect(self.on_changes)
        self.member_selected.connect(self.load_member)

    def on_changes(self, changes: Changes) -> None:
        if changes.members:
            self.reload()
        elif changes.touches("tasks") and self.selected_id():
            self._member_tasks(self.selected_id())
        if changes.dues and not changes.members and self.selected_id():
            self._member_dues(self.selected_id())
        if changes.touches("review_decisions") and self.selected_id():
            self._member_reviews(self.selected_id())
        if changes.touches(*STUDY_TABLES) and not changes.members and self.selected_id():
            self._member_study(self.selected_id())

    def reload(self) -> None:
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace
        self.runner.query(lambda: members.roster(workspace), self.show_rows, self.failed.emit)

    def show_rows(self, rows: list[MemberSummary]) -> None:
        """New rows; the selection is kept, or moves to the member asked for meanwhile."""
        self.set_rows(rows)
        target, self._select_after_load = self._select_after_load, ""
        if target:
            self.select_shown(target)
        self.rows_loaded.emit(rows)

    def select_after_load(self, member_id: str) -> None:
        """Select ``member_id`` (a member just added): now if the roster already has it,
        else once the reload the write caused has arrived."""
        if self.model.row_of(member_id) >= 0:
            self.select_shown(member_id)
        else:
            self._select_after_load = member_id

    def select_shown(self, member_id: str) -> None:
        """Select the member, clearing the filters if they hide them; show their record."""
        if self.selected_id() == member_id:
            self.load_member(member_id)
            return
        if not self.select_member(member_id):   # hidden by the filters: show all
            self.show_all()
            self.select_member(member_id)

    def load_member(self, member_id: str) -> None:
        """The record beside the table; reading it is a view (audited by the use case)."""
        if not member_id:
            self.panel.show_record(None)
            return
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace
        self.runner.query(lambda: members.member(workspace, member_id), self._member_loaded,
                          self.failed.emit)
        self._member_tasks(member_id)
        self._member_dues(member_id)
        self._member_reviews(member_id)
        self._member_study(member_id)

    def _member_study(self, member_id: str) -> None:
        """The year's study: plans, sessions, scores and points (issue 21)."""
        if self.workspace is None or self.runner is None:
            return
        workspace, year = self.workspace, self.workspace.today().year
        self.runner.query(lambda: study.member_study(workspace, member_id, year),
                          partial(self.panel.show_study, member_id), self.failed.emit)

    def _member_dues(self, member_id: str) -> None:
        """The paid-up month and the dues basis, beside the record (issue 19)."""
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace
        self.runner.query(lambda: dues_cases.member_dues(workspace, member_id),
                          partial(self.panel.show_dues, member_id), self.failed.emit)

    def _member_reviews(self, member_id: str) -> None:
        """The grades the level above decided, at the head of the history (issue 20)."""
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace
        self.runner.query(lambda: review_history.member_grades(workspace, member_id),
                          partial(self.panel.show_reviews, member_id), self.failed.emit)

    def _member_tasks(self, member_id: str) -> None:
        """The resolution tasks in the member's charge, beside the record (issue 19)."""
        if self.workspace is None or self.runner is None:
            return
        workspace = self.workspace
        self.runner.query(lambda: tasks.member_tasks(workspace, member_id),
                          partial(self.panel.show_tasks, member_id), self.failed.emit)

    def _member_loaded(self, record: MemberRecord) -> None:
        if record.member.id == self.selected_id():
            self.panel.show_record(record)

    def set_rows(self, rows: list[MemberSummary]) -> None:
        first = self.model.total == 0
        self.model.set_rows(rows)
        if first:
            self._size_columns()
        self._update_count()

    def _size_columns(self) -> None:
        # From the font, not from 5,000 rows of content.
        metrics = self.table.fontMetrics()
        date = metrics.horizontalAdvance("00/00/00000")
        widths = (metrics.horizontalAdvance("Nguyễn Thị Phương Thảo") + 16, date, date,
                  date, date, metrics.horizontalAdvance("000000000"),
                  metrics.horizontalAdvance("Sinh hoạt tạm thời"))
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)

    def _remember_selection(self) -> None:
        self._keep = self.selected_id()

    def _restore_selection(self) -> None:
        if self._keep and not self.select_member(self._keep):
            self.member_selected.emit("")

    def selected_id(self) -> str:
        index = self.table.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else ""

    def select_member(self, member_id: str) -> bool:
        row = self.model.row_of(member_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def show_all(self) -> None:
        self.search.clear()
        self.status.setCurrentIndex(self.status.findData(ALL))

    def _current_changed(self, current: QtCore.QModelIndex, _previous: object) -> None:
        self.member_selected.emit(str(current.data(ID_ROLE)) if current.isValid() else "")

    def _query_changed(self, text: str) -> None:
        self.model.set_query(text)
        self._update_count()

    def _status_changed(self, _index: int) -> None:
        self.model.set_status(self.status.currentData())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(i18n.t("ui.shown_count", shown=self.model.rowCount(),
                                        total=self.model.total))

    def _activated(self, index: QtCore.QModelIndex) -> None:
        self.member_activated.emit(index.data(ID_ROLE))
