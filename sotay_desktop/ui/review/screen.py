"""The "Kiểm điểm" screen (issue 20): the annual review and quality rating of the branch's
members for a year (or a quarter, when the policy enables it). The campaign's state in
words, a table of the members in roster order with the branch's own row first (self-review,
the branch meeting's points and proposed grade, the vote, the level above's decision), the
counts per grade and the cap on "excellent" below it, and the members left out and why.
Enter on a row opens its proposal. Reads through ``runner.query``, writes through
``runner.op``; reads again when a broadcast ``Changes`` concerns the review or its facts."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.review_sheet import CampaignView, ReviewSheet
from sotay_desktop.services.changes import Changes
from sotay_desktop.settings import Settings
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.review.models import (
    LeftOutModel,
    ReviewModel,
    Row,
    cap_text,
    grade_words,
    left_out_text,
    rows_of,
)
from sotay_desktop.ui.review.screen_data import (
    ScreenData,
    counts_text,
    period_words,
    read,
    state_text,
)
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, confirm, plain
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace

WATCHED = ("review_campaigns", "review_entries", "review_decisions", "members",
           "member_events", "meetings", "attendance", "dues_payments")
BUTTONS = ("open", "self", "propose", "hold", "send", "reopen", "papers", "settings")


class RowsView(QtWidgets.QTableView):
    """Enter on a row opens its proposal, as a double-click does."""

    row_chosen = QtCore.Signal(QtCore.QModelIndex)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            self.row_chosen.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ReviewScreen(QtWidgets.QWidget):
    data_shown = QtCore.Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.data: ScreenData | None = None
        runner.operation_did_execute.connect(self.on_changes)
        self.year = QtWidgets.QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(workspace.today().year)
        self.year.setAccessibleName(plain("review_ui.year"))
        year_label = QtWidgets.QLabel(i18n.t("review_ui.year"), self)
        year_label.setBuddy(self.year)
        self.quarter = QtWidgets.QComboBox(self)
        self.quarter.addItem(i18n.t("review_ui.whole_year"), None)
        for number in range(1, 5):
            self.quarter.addItem(i18n.t("review_ui.quarter", quarter=number), number)
        self.quarter.setAccessibleName(plain("review_ui.period"))
        period_label = QtWidgets.QLabel(i18n.t("review_ui.period"), self)
        period_label.setBuddy(self.quarter)
        self.period_box = labelled(period_label, self.quarter, self)
        self.period_box.hide()     # shown when the policy enables quarters
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for name in BUTTONS:
            button = QtWidgets.QPushButton(i18n.t(f"review_ui.button_{name}"), self)
            button.setAccessibleName(plain(f"review_ui.button_{name}"))
            self.buttons[name] = button
        year_box = labelled(year_label, self.year, self)
        year_box.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed,
                               QtWidgets.QSizePolicy.Policy.Preferred)
        bar = wrapped_rows((year_box, self.period_box, *self.buttons.values()),
                           screen_budget(self, 0.75))
        self.state = QtWidgets.QLabel(self)
        self.state.setWordWrap(True)
        self.state.setAccessibleName(plain("review_ui.state"))
        font = self.state.font()
        font.setBold(True)
        self.state.setFont(font)
        self.model = ReviewModel(self)
        self.table = RowsView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(plain("review_ui.table"))
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)   # names never elided
        self.left_model = LeftOutModel(self)
        self.left_table = QtWidgets.QTableView(self)
        self.left_table.setModel(self.left_model)
        self.left_table.setAccessibleName(plain("review_ui.left_out_table"))
        self.left_table.setSelectionBehavior(
            QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.left_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.left_table.setTabKeyNavigation(False)
        self.left_table.horizontalHeader().setStretchLastSection(True)
        self.tabs = QtWidgets.QTabWidget(self)
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.left_table, "")
        self.counts = self._text_label("review_ui.counts")
        self.cap = self._text_label("review_ui.cap")
        self.left_out = self._text_label("review_ui.left_out")
        self.status, self.note = FieldError(self), DoneNote(self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.state)
        layout.addWidget(self.tabs, 1)
        for widget in (self.counts, self.cap, self.left_out, self.status, self.note):
            layout.addWidget(widget)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.quarter.currentIndexChanged.connect(lambda _i: self.load())
        self.table.row_chosen.connect(self.propose_at)
        self.table.doubleClicked.connect(self.propose_at)
        self.buttons["open"].clicked.connect(self.open_campaign)
        self.buttons["self"].clicked.connect(lambda: self.self_review_at(
            self.table.currentIndex()))
        self.buttons["propose"].clicked.connect(lambda: self.propose_at(
            self.table.currentIndex()))
        self.buttons["hold"].clicked.connect(self.hold)
        self.buttons["send"].clicked.connect(self.send)
        self.buttons["reopen"].clicked.connect(self.reopen)
        self.buttons["papers"].clicked.connect(self.papers)
        self.buttons["settings"].clicked.connect(self.edit_settings)
        self._enable()

    def _text_label(self, key: str) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByKeyboard
                                      | QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(plain(key))
        return label

    # --- reading

    def chosen_quarter(self) -> int | None:
        return self.quarter.currentData() if self.period_box.isVisibleTo(self) else None

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*WATCHED):
            self.load()

    def load(self) -> None:
        ws, year, quarter = self.workspace, self.year.value(), self.chosen_quarter()
        self.runner.query(lambda: read(ws, year, quarter), self.show_data,
                          self.status.show_exception)

    def show_data(self, data: ScreenData) -> None:
        if data.year != self.year.value():
            return                      # an older read, for a year no longer chosen
        kept = self.current_row()
        self.data = data
        self.period_box.setVisible(data.policy.quarters)
        view = data.view
        self.model.set_rows(rows_of(view) if view else [])
        self.table.resizeColumnsToContents()
        self.left_model.set_rows(data.left_out)
        self.left_table.resizeColumnsToContents()
        self.tabs.setTabText(0, i18n.t("review_ui.tab_graded", count=len(view.sheets)
                                       if view else 0))
        self.tabs.setTabText(1, i18n.t("review_ui.tab_left_out", count=len(data.left_out)))
        if self.model.rows:
            at = next((i for i, r in enumerate(self.model.rows)
                       if kept is not None and r.sheet.entry_id == kept.sheet.entry_id), 0)
            self.table.setCurrentIndex(self.model.index(at, 0))
        self.state.setText(state_text(data))
        self.state.setAccessibleDescription(self.state.text())
        self.show_counts(data)
        self._enable()
        self.data_shown.emit(data)

    def show_counts(self, data: ScreenData) -> None:
        self.summary = review.summary(data.view) if data.view else None
        self.counts.setText(counts_text(data.view, self.summary))
        self.cap.setText(cap_text(data.view) if data.view else "")
        self.left_out.setText(left_out_text(data.left_out))
        for label in (self.counts, self.cap, self.left_out):
            label.setVisible(bool(label.text()))
            label.setAccessibleDescription(label.text())

    def _enable(self) -> None:
        view = self.data.view if self.data else None
        status = view.status if view else ""
        self.buttons["open"].setText(i18n.t("review_ui.button_refresh" if status == "open"
                                            else "review_ui.button_open"))
        self.buttons["open"].setEnabled(view is None or status == "open")
        for name in ("self", "propose", "hold"):
            self.buttons[name].setEnabled(status == "open")
        for name in ("send", "reopen"):
            self.buttons[name].setEnabled(status == "held")
        self.buttons["papers"].setEnabled(view is not None and bool(view.sheets))

    def current_row(self) -> Row | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def title_name(self, row: Row) -> str:
        return f"{i18n.t('review_ui.branch_row')} ({row.sheet.name})" if row.branch \
            else row.sheet.name

    # --- writing

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        """Modal dialogs go through here, so tests can drive them without blocking."""
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def _done(self, key: str, **params: Any) -> Any:
        return lambda _r: self.note.show_message(i18n.t(key, **params))

    def _campaign(self) -> tuple[ScreenData, CampaignView] | None:
        data = self.data
        if data is None or data.view is None:
            return None
        return data, data.view

    def open_campaign(self) -> None:
        if self.data is None:
            return
        ws, year, quarter = self.workspace, self.data.year, self.data.quarter
        self.status.clear_message()
        self.runner.op(lambda: review.open_campaign(ws, year, quarter),
                       lambda result: self.note.show_message(i18n.t(
                           "review_ui.opened_note" if result[1] else "review_ui.refreshed_note",
                           period=period_words(self.data) if self.data else "")),
                       self.status.show_exception)

    def _row_at(self, index: QtCore.QModelIndex) -> tuple[ScreenData, Row] | None:
        found = self._campaign()
        if found is None or not index.isValid() or found[1].status != "open":
            if found is not None and index.isValid():
                self.status.show_message(i18n.t("review_ui.not_open",
                                                period=period_words(found[0])))
            return None
        self.status.clear_message()
        return found[0], self.model.rows[index.row()]

    def self_review_at(self, index: QtCore.QModelIndex) -> None:
        from sotay_desktop.ui.review.self_dialog import SelfReviewDialog

        found = self._row_at(index)
        if found is None:
            return
        data, row = found
        dialog = SelfReviewDialog(self.workspace, self.runner, data.year, data.quarter,
                                  row.sheet, self.title_name(row), self)
        if self.run_dialog(dialog):
            self.note.show_message(i18n.t("review_ui.self_note", name=self.title_name(row)))

    def propose_at(self, index: QtCore.QModelIndex) -> None:
        from sotay_desktop.ui.review.proposal_dialog import ProposalDialog

        found = self._row_at(index)
        if found is None:
            return
        data, row = found
        assert data.view is not None
        dialog = ProposalDialog(self.workspace, self.runner, data.year, data.quarter,
                                data.view.scheme, row.sheet, self.title_name(row),
                                data.voting_base, self)
        if self.run_dialog(dialog):
            self.note.show_message(i18n.t("review_ui.proposal_note", name=self.title_name(row),
                                          grade=grade_words(dialog.proposed)))
            self._next_row(index.row())

    def _next_row(self, row: int) -> None:
        """After a proposal the next member is chosen, so Enter goes on down the list."""
        if row + 1 < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row + 1, 0))

    def hold(self) -> None:
        from sotay_desktop.ui.review.hold_dialog import HoldDialog

        found = self._campaign()
        if found is None:
            return
        data = found[0]
        dialog = HoldDialog(self.workspace, self.runner, data.year, data.quarter,
                            period_words(data), self)
        if self.run_dialog(dialog):
            self.note.show_message(i18n.t("review_ui.held_note", period=period_words(data),
                                          day=dialog.day.text()))

    def _move(self, verb: str, write: Any) -> None:
        found = self._campaign()
        if found is None:
            return
        data = found[0]
        period = period_words(data)
        if not confirm(self, plain(f"review_ui.button_{verb}"),
                       i18n.t(f"review_ui.{verb}_confirm", period=period),
                       plain(f"review_ui.{verb}_verb")):
            return
        ws, year, quarter = self.workspace, data.year, data.quarter
        self.runner.op(lambda: write(ws, year, quarter),
                       self._done(f"review_ui.{verb}_note", period=period),
                       self.status.show_exception)

    def send(self) -> None:
        self._move("send", review.send)

    def reopen(self) -> None:
        self._move("reopen", review.reopen)

    def edit_settings(self) -> None:
        from sotay_desktop.ui.review.settings_dialog import SettingsDialog

        if self.data is None:
            return
        if self.run_dialog(SettingsDialog(self.workspace, self.runner, self.data.policy,
                                          self.data.scheme, self)):
            self.note.show_message(i18n.t("review_ui.settings_note"))

    def papers(self) -> None:
        from sotay_desktop.ui.review.papers_dialog import PapersDialog

        found = self._campaign()
        if found is None:
            return
        row = self.current_row()
        sheet: ReviewSheet | None = row.sheet if row is not None and not row.branch else None
        member = (sheet.member_id, sheet.name) if sheet and sheet.member_id else None
        self.run_dialog(PapersDialog(self.workspace, self.runner, self.settings,
                                     found[0].year, found[0].quarter, member, self))
