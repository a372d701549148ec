"""The "Đảng phí" screen: the year's month grid of the branch's dues, the selected month's
totals (collected, retained by the chi bộ, sent up), and the dialogs that record a payment,
set a member's basis and exemptions, and keep the dated rates; the book and the receipt
slips printed or saved. Reads through ``runner.query``, writes through ``runner.op``; reads
again when a broadcast ``Changes`` concerns the dues or the members."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.dues import Month
from sotay_core.domain.dues_book import BookLine, DuesBook
from sotay_desktop.services.changes import Changes
from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.dues.basis_dialog import BasisDialog
from sotay_desktop.ui.dues.models import FIRST_MONTH, DuesGridModel, money
from sotay_desktop.ui.dues.payment_dialog import PaymentDialog
from sotay_desktop.ui.dues.rates_dialog import RatesDialog
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, confirm, error_text, plain
from sotay_desktop.usecases import dues, dues_papers
from sotay_desktop.usecases.workspace import Workspace


class GridView(QtWidgets.QTableView):
    """Enter on a month cell asks for a payment, as a double-click does."""

    cell_chosen = QtCore.Signal(QtCore.QModelIndex)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            self.cell_chosen.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class DuesScreen(QtWidgets.QWidget):
    book_loaded = QtCore.Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.book: DuesBook | None = None
        runner.operation_did_execute.connect(self.on_changes)
        self.year = QtWidgets.QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(workspace.today().year)
        self.year.setAccessibleName(plain("dues_ui.year"))
        year_label = QtWidgets.QLabel(i18n.t("dues_ui.year"), self)
        year_label.setBuddy(self.year)
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for name in ("pay", "cancel", "basis", "print", "save", "receipts", "rates"):
            button = QtWidgets.QPushButton(i18n.t(f"dues_ui.button_{name}"), self)
            button.setAccessibleName(plain(f"dues_ui.button_{name}"))
            self.buttons[name] = button
        year_box = labelled(year_label, self.year, self)
        year_box.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed,
                               QtWidgets.QSizePolicy.Policy.Preferred)
        bar = wrapped_rows((year_box, *self.buttons.values()),   # more lines at large type
                           screen_budget(self, 0.75))
        self.model = DuesGridModel(self)
        self.grid = GridView(self)
        self.grid.setModel(self.model)
        self.grid.setAccessibleName(plain("dues_ui.grid"))
        self.grid.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setTabKeyNavigation(False)   # Tab leaves the grid; arrows move in it
        self.grid.setWordWrap(False)
        self.totals = QtWidgets.QLabel(self)
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByKeyboard
            | QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals.setAccessibleName(plain("dues_ui.totals"))
        self.status, self.note = FieldError(self), DoneNote(self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.grid.cell_chosen.connect(self.pay_at)
        self.grid.doubleClicked.connect(self.pay_at)
        self.grid.selectionModel().currentChanged.connect(lambda *_a: self.show_totals())
        self.buttons["pay"].clicked.connect(lambda: self.pay_at(self.grid.currentIndex()))
        self.buttons["cancel"].clicked.connect(self.cancel_payment)
        self.buttons["basis"].clicked.connect(self.edit_basis)
        self.buttons["rates"].clicked.connect(self.edit_rates)
        self.buttons["print"].clicked.connect(self.print_book)
        self.buttons["save"].clicked.connect(lambda: self.save_book())
        self.buttons["receipts"].clicked.connect(lambda: self.save_receipts())

    # --- reading

    def on_changes(self, changes: Changes) -> None:
        if changes.dues or changes.members:
            self.load()

    def load(self) -> None:
        ws, year = self.workspace, self.year.value()
        self.runner.query(lambda: dues.book(ws, year), self.show_book,
                          self.status.show_exception)

    def show_book(self, book: DuesBook) -> None:
        current = self.grid.currentIndex()
        row, column = (current.row(), current.column()) if current.isValid() else (
            0, FIRST_MONTH + (book.through.month - 1 if book.through.year == book.year else 0))
        self.book = book
        self.model.set_book(book)
        self.grid.resizeColumnsToContents()
        if book.lines:
            self.grid.setCurrentIndex(self.model.index(min(row, len(book.lines) - 1), column))
        self.show_totals()
        self.book_loaded.emit(book)

    def selected_month(self) -> Month | None:
        if self.book is None:
            return None
        return self.model.month_of(self.grid.currentIndex().column()) or (
            self.book.through if self.book.through.year == self.book.year
            else Month(self.book.year, 12))

    def show_totals(self) -> None:
        month = self.selected_month()
        if self.book is None or month is None:
            self.totals.clear()
            return
        totals = self.book.month_totals(month)
        self.totals.setText(i18n.t(
            "dues_ui.totals_text", month=str(month), collected=money(totals.collected),
            payers=totals.payers, retained=money(totals.retained),
            sent_up=money(totals.sent_up), year=self.book.year,
            year_collected=money(self.book.collected), year_retained=money(self.book.retained),
            year_sent_up=money(self.book.sent_up)))

    def current_line(self) -> BookLine | None:
        index = self.grid.currentIndex()
        if self.book is None or not index.isValid():
            return None
        return self.model.lines[index.row()]

    # --- writing

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        """Modal dialogs go through here, so tests can drive them without blocking."""
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def pay_at(self, index: QtCore.QModelIndex) -> None:
        if not index.isValid() or self.book is None:
            return
        line = self.model.lines[index.row()]
        month = self.model.month_of(index.column()) or self.selected_month()
        assert month is not None
        self.status.clear_message()
        dialog = PaymentDialog(self.workspace, self.runner, line, month, self)
        if self.run_dialog(dialog) and dialog.recorded:
            self.note.show_message(i18n.t(
                "dues_ui.paid_note", name=line.name,
                months=", ".join(str(m) for m in dialog.recorded)))

    def cancel_payment(self) -> None:
        line, month = self.current_line(), self.model.month_of(self.grid.currentIndex().column())
        if line is None or month is None or line.cell(month).payment is None:
            self.status.show_message(i18n.t("dues_ui.choose_paid_cell"))
            return
        if not confirm(self, plain("dues_ui.button_cancel"),
                       i18n.t("dues_ui.cancel_confirm", name=line.name, month=str(month),
                              amount=money(line.cell(month).paid)),
                       plain("dues_ui.cancel_verb")):
            return
        ws, member_id = self.workspace, line.member_id
        self.runner.op(lambda: dues.cancel_payment(ws, member_id=member_id, month=month),
                       lambda _c: self.note.show_message(i18n.t(
                           "dues_ui.cancelled_note", name=line.name, month=str(month))),
                       self.status.show_exception)

    def edit_basis(self) -> None:
        line = self.current_line()
        if line is not None:
            self.run_dialog(BasisDialog(self.workspace, self.runner, line.member_id, line.name,
                                        self))

    def edit_rates(self) -> None:
        self.run_dialog(RatesDialog(self.workspace, self.runner, self))

    # --- papers

    def _ask_path(self, name: str, filters: str) -> Path | None:
        chosen, _ = QtWidgets.QFileDialog.getSaveFileName(self, plain("dues_ui.button_save"),
                                                          name, filters)
        return Path(chosen) if chosen else None

    def _saved(self, path: Any) -> None:
        self.note.show_message(i18n.t("ui.exported", path=str(path)))

    def print_book(self) -> None:
        ws, year = self.workspace, self.year.value()
        self.runner.query(lambda: dues_papers.book_bytes(ws, year, "pdf"),
                          lambda pdf: self._preview(pdf, year), self.status.show_exception)

    def _preview(self, pdf: bytes, year: int) -> None:
        remembered = (self.settings.get("printer_name") if self.settings else "",
                      self.settings.get("paper") if self.settings else "A4")
        try:
            printing.preview_pdf(self, pdf, printer_name=remembered[0], paper=remembered[1])
        except (ValueError, OSError) as exc:
            self.status.show_message(error_text(exc))
            return
        ws = self.workspace
        self.runner.op(lambda: dues_papers.book_printed(ws, year), None,
                       self.status.show_exception)

    def save_book(self, target: Path | None = None) -> None:
        year = self.year.value()
        target = target or self._ask_path(f"so-dang-phi-{year}.pdf",
                                          i18n.t("dues_ui.book_filter"))
        if target is None:
            return
        ws = self.workspace
        self.runner.query(lambda: dues_papers.save_book(ws, year, target), self._saved,
                          self.status.show_exception)

    def save_receipts(self, target: Path | None = None) -> None:
        month = self.selected_month()
        if month is None:
            return
        target = target or self._ask_path(
            f"phieu-thu-{month.year}-{month.month:02d}.pdf", i18n.t("ui.pdf_filter"))
        if target is None:
            return
        ws = self.workspace
        self.runner.query(lambda: dues_papers.save_receipts(ws, month, target), self._saved,
                          self.status.show_exception)
