"""The "Chuyển sinh hoạt" screen: the letters sent and received, with their kind, dates, the
dues month and their standing against the deadline (waiting, presented, late by N days);
recording a letter out or in, presenting it, ending a temporary stay, changing, cancelling
(after a confirmation, restorable) and the deadline setting. Reads through
``runner.query``, writes through ``runner.op``; reads again when a broadcast ``Changes``
concerns the letters or the members."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import format_vn
from sotay_core.domain.transfers import DEFAULT_TRANSFER_RULES, Direction, TransferRules
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.read_models import MemberSummary
from sotay_desktop.services.transfers_read import LetterView
from sotay_desktop.settings import Settings
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.transfers.letter_dialog import DayDialog, LetterDialog
from sotay_desktop.ui.transfers.model import LettersModel
from sotay_desktop.ui.widgets import DoneNote, FieldError, confirm, plain
from sotay_desktop.usecases import transfers
from sotay_desktop.usecases.workspace import Workspace

FILTERS = ("all", "out", "in", "late")
BUTTONS = ("out", "in", "present", "end", "edit", "cancel", "restore")


class TransfersScreen(QtWidgets.QWidget):
    letters_loaded = QtCore.Signal(list)

    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.letters: list[LetterView] = []
        self.rules: TransferRules = DEFAULT_TRANSFER_RULES
        self.people: list[MemberSummary] = []
        runner.operation_did_execute.connect(self.on_changes)
        self.filter = QtWidgets.QComboBox(self)
        for name in FILTERS:
            self.filter.addItem(i18n.t(f"transfers_ui.filter_{name}"), name)
        self.filter.setAccessibleName(plain("transfers_ui.filter"))
        filter_label = QtWidgets.QLabel(i18n.t("transfers_ui.filter"), self)
        filter_label.setBuddy(self.filter)
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for name in BUTTONS:
            button = QtWidgets.QPushButton(i18n.t(f"transfers_ui.button_{name}"), self)
            button.setAccessibleName(plain(f"transfers_ui.button_{name}"))
            self.buttons[name] = button
        box = labelled(filter_label, self.filter, self)
        box.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed,
                          QtWidgets.QSizePolicy.Policy.Preferred)
        bar = wrapped_rows((box, *self.buttons.values()), screen_budget(self, 0.75))
        self.model = LettersModel(self)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(plain("transfers_ui.table"))
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.rules_line = QtWidgets.QLabel(self)
        self.rules_line.setWordWrap(True)
        self.status, self.note = FieldError(self), DoneNote(self)
        layout = QtWidgets.QVBoxLayout(self)
        title = QtWidgets.QLabel(i18n.t("transfers_ui.title"), self)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rules_line)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        self.filter.currentIndexChanged.connect(lambda _i: self.show_letters(self.letters))
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.buttons["out"].clicked.connect(lambda: self.record(Direction.OUT))
        self.buttons["in"].clicked.connect(lambda: self.record(Direction.IN))
        self.buttons["present"].clicked.connect(lambda: self.ask_day("present"))
        self.buttons["end"].clicked.connect(lambda: self.ask_day("end"))
        self.buttons["edit"].clicked.connect(self.edit)
        self.buttons["cancel"].clicked.connect(self.cancel)
        self.buttons["restore"].clicked.connect(self.restore)
        self.table.selectionModel().currentChanged.connect(lambda *_a: self.enable())
        self.enable()

    # --- reading

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("transfers") or changes.members:
            self.load()

    def load(self) -> None:
        ws = self.workspace

        def read() -> tuple[list[LetterView], TransferRules, str | None, list[MemberSummary]]:
            return (transfers.letters(ws), transfers.rules(ws), transfers.cancelled(ws),
                    transfers.people(ws))

        self.runner.query(read, self.loaded, self.status.show_exception)

    def loaded(self, found: tuple[list[LetterView], TransferRules, str | None,
                                  list[MemberSummary]]) -> None:
        letters, self.rules, cancelled, self.people = found
        self.status.clear_message()
        unit = i18n.t("cli.transfer_working_days" if self.rules.working_days
                      else "cli.transfer_calendar_days")
        self.rules_line.setText(i18n.t("transfers_ui.rules_line",
                                       days=self.rules.present_within_days, unit=unit))
        self.buttons["restore"].setEnabled(cancelled is not None)
        self.buttons["restore"].setToolTip(cancelled or "")
        self.show_letters(letters)
        self.letters_loaded.emit(letters)

    def shown(self, letters: list[LetterView]) -> list[LetterView]:
        chosen = self.filter.currentData()
        if chosen == "late":
            return [v for v in letters if v.late]
        if chosen in ("out", "in"):
            return [v for v in letters if v.direction.value == chosen]
        return list(letters)

    def show_letters(self, letters: list[LetterView]) -> None:
        current = self.selected()
        self.letters = list(letters)
        self.model.set_rows(self.shown(self.letters))
        self.table.resizeColumnsToContents()
        rows = [i for i, v in enumerate(self.model.rows) if current and v.id == current.id]
        if self.model.rows:
            self.table.selectRow(rows[0] if rows else 0)
        self.enable()

    def selected(self) -> LetterView | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.row_at(index.row())

    def enable(self) -> None:
        view = self.selected()
        for name in ("present", "edit", "cancel"):
            self.buttons[name].setEnabled(view is not None)
        self.buttons["end"].setEnabled(view is not None and not view.kind.official
                                       and view.event_id is not None and view.ended_on is None)

    # --- writing

    def record(self, direction: Direction) -> LetterDialog:
        """Open the dialog for a letter out or in (returned, for tests, after it closes)."""
        dialog = LetterDialog(self.workspace, self.runner, direction, self.people, self,
                              rules=self.rules)
        self._run(dialog, "transfers_ui.recorded")
        return dialog

    def edit(self) -> LetterDialog | None:
        view = self.selected()
        if view is None:
            return None
        dialog = LetterDialog(self.workspace, self.runner, view.direction, self.people, self,
                              existing=view, rules=self.rules)
        self._run(dialog, "transfers_ui.saved")
        return dialog

    def _run(self, dialog: QtWidgets.QDialog, done_key: str) -> None:
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.note.show_message(i18n.t(done_key))

    def ask_day(self, what: str) -> DayDialog | None:
        view = self.selected()
        if view is None:
            return None
        ws = self.workspace

        def job(day: str) -> tuple[str, Any]:
            if what == "present":
                return view.id, transfers.present(ws, view.id, day)
            return transfers.end_stay(ws, view.id, day)

        dialog = DayDialog(self.runner, i18n.t(f"transfers_ui.{what}_title", name=view.name,
                                               number=view.number),
                           f"transfers_ui.{what}_day", job, ws.today(), self)
        self._run(dialog, f"transfers_ui.{what}_done")
        return dialog

    def cancel(self) -> None:
        view = self.selected()
        if view is None:
            return
        if not confirm(self, i18n.t("transfers_ui.cancel_title"),
                       i18n.t("transfers_ui.cancel_confirm", number=view.number,
                              name=view.name, date=format_vn(view.issued_on)),
                       i18n.t("transfers_ui.cancel_verb")):
            return
        ws = self.workspace
        self.runner.op(lambda: transfers.cancel_letter(ws, view.id),
                       lambda _c: self.note.show_message(i18n.t("transfers_ui.cancelled")),
                       self.status.show_exception)

    def restore(self) -> None:
        ws = self.workspace
        self.runner.op(lambda: transfers.restore_last(ws),
                       lambda _r: self.note.show_message(i18n.t("transfers_ui.restored")),
                       self.status.show_exception)
