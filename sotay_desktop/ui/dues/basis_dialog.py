"""A member's dues basis (category and amount from a month) and their exemptions and
reductions (kind, months, percent, decision): listed, added, ended or removed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.dues import DuesCategory, ExemptionKind, Month
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.month_text import parse_amount
from sotay_desktop.services.dues_read import MemberDuesView
from sotay_desktop.ui.display import resize_within_screen, scrolling
from sotay_desktop.ui.dues.models import money
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import (
    DoneNote,
    FieldError,
    add_field_row,
    confirm,
    error_text,
    plain,
)
from sotay_desktop.usecases import dues
from sotay_desktop.usecases.workspace import Workspace


def basis_words(category: DuesCategory, amount: int) -> str:
    text = i18n.t(f"dues_ui.category_{category.value}")
    return f"{text}: {money(amount)} đ" if amount else text


def exemption_words(kind: ExemptionKind, start: Month, end: Month | None, percent: int,
                    decision: str) -> str:
    label = i18n.t(f"dues_ui.kind_{kind.value}")
    if kind is ExemptionKind.REDUCTION:
        label += f" {percent} %"
    period = f"{start} – {end}" if end else i18n.t("dues_ui.from_month", month=str(start))
    return f"{label}, {period}" + (f" ({decision})" if decision else "")


class BasisDialog(QtWidgets.QDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, member_id: str, name: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.member_id = workspace, runner, member_id
        self.view: MemberDuesView | None = None
        self.setWindowTitle(i18n.t("dues_ui.basis_title", name=name))
        this_month = Month.of(workspace.today())
        self.bases = QtCore.QStringListModel(self)
        self.exemptions = QtCore.QStringListModel(self)
        self.category = QtWidgets.QComboBox(self)
        for category in DuesCategory:
            self.category.addItem(i18n.t(f"dues_ui.category_{category.value}"), category.value)
        self.amount = QtWidgets.QLineEdit(self)
        self.valid_from = QtWidgets.QLineEdit(str(this_month), self)
        self.kind = QtWidgets.QComboBox(self)
        for kind in ExemptionKind:
            self.kind.addItem(i18n.t(f"dues_ui.kind_{kind.value}"), kind.value)
        self.percent = QtWidgets.QComboBox(self)
        for percent in (100, 30, 50, 70):
            self.percent.addItem(f"{percent} %", percent)
        self.start = QtWidgets.QLineEdit(str(this_month), self)
        self.end = QtWidgets.QLineEdit(self)
        self.decision = QtWidgets.QLineEdit(self)
        self.decision.setMaxLength(200)
        self.error, self.note = FieldError(self), DoneNote(self)

        basis_box = QtWidgets.QGroupBox(i18n.t("dues_ui.basis_box"), self)
        form = QtWidgets.QFormLayout(basis_box)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self._list(self.bases, "dues_ui.basis_list", basis_box))
        for key, editor in (("dues_ui.category", self.category), ("dues_ui.basis_amount",
                            self.amount), ("dues_ui.valid_from", self.valid_from)):
            add_field_row(form, basis_box, i18n.t(key), editor, plain(key))
        self.save_basis_button = QtWidgets.QPushButton(i18n.t("dues_ui.save_basis"), basis_box)
        form.addRow(self.save_basis_button)

        exempt_box = QtWidgets.QGroupBox(i18n.t("dues_ui.exemption_box"), self)
        form = QtWidgets.QFormLayout(exempt_box)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.exemption_list = self._list(self.exemptions, "dues_ui.exemption_list", exempt_box)
        form.addRow(self.exemption_list)
        for key, editor in (("dues_ui.kind", self.kind), ("dues_ui.percent", self.percent),
                            ("dues_ui.start", self.start), ("dues_ui.end", self.end),
                            ("dues_ui.decision", self.decision)):
            add_field_row(form, exempt_box, i18n.t(key), editor, plain(key))
        buttons = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton(i18n.t("dues_ui.add_exemption"), exempt_box)
        self.end_button = QtWidgets.QPushButton(i18n.t("dues_ui.end_exemption"), exempt_box)
        self.remove_button = QtWidgets.QPushButton(i18n.t("dues_ui.remove_exemption"),
                                                   exempt_box)
        for button in (self.add_button, self.end_button, self.remove_button):
            buttons.addWidget(button)
        form.addRow(buttons)

        content = QtWidgets.QWidget(self)   # scrolls at large type; Close stays in view
        column = QtWidgets.QVBoxLayout(content)
        column.addWidget(basis_box)
        column.addWidget(exempt_box)
        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close, self)
        close.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setText(
            i18n.t("dues_ui.close"))
        close.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scrolling(content, self))
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        layout.addWidget(close)
        self.save_basis_button.clicked.connect(self.save_basis)
        self.add_button.clicked.connect(self.add_exemption)
        self.end_button.clicked.connect(self.end_exemption)
        self.remove_button.clicked.connect(self.remove_exemption)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 96, metrics.lineSpacing() * 44)
        self.load()

    def _list(self, model: QtCore.QStringListModel, key: str,
              parent: QtWidgets.QWidget) -> QtWidgets.QListView:
        view = QtWidgets.QListView(parent)
        view.setModel(model)
        view.setAccessibleName(plain(key))
        view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setMaximumHeight(view.fontMetrics().lineSpacing() * 5)
        return view

    def load(self) -> None:
        ws, member_id = self.workspace, self.member_id
        self.runner.query(lambda: dues.member_dues(ws, member_id), self.show_view,
                          self.error.show_exception)

    def show_view(self, view: MemberDuesView | None) -> None:
        self.view = view
        if view is None:
            self.bases.setStringList([])
            self.exemptions.setStringList([])
            return
        self.bases.setStringList([f"{i18n.t('dues_ui.from_month', month=str(start))}: "
                                  f"{basis_words(basis.category, basis.amount)}"
                                  for start, basis in view.bases]
                                 or [i18n.t("dues_ui.no_basis_yet")])
        self.exemptions.setStringList([
            exemption_words(e.kind, e.start, e.end, e.percent, e.decision)
            for e in view.exemptions])
        if view.basis is not None:
            self.category.setCurrentIndex(self.category.findData(view.basis.category.value))
            self.amount.setText(str(view.basis.amount or ""))

    def _run(self, job: Callable[[], Any], done_key: str) -> None:
        self.error.clear_message()

        def done(_result: Any) -> None:
            self.note.show_message(i18n.t(done_key))
            self.load()

        self.runner.op(job, done, lambda exc: self.error.show_message(error_text(exc)))

    def save_basis(self) -> None:
        try:
            amount = parse_amount(self.amount.text()) or 0
        except ValidationError as exc:
            self.error.show_message(error_text(exc))
            return
        ws, member_id = self.workspace, self.member_id
        category, valid_from = self.category.currentData(), self.valid_from.text()
        self._run(lambda: dues.set_basis(ws, member_id=member_id, category=category,
                                         amount=amount, valid_from=valid_from),
                  "dues_ui.basis_saved")

    def add_exemption(self) -> None:
        ws, member_id = self.workspace, self.member_id
        kind, percent = self.kind.currentData(), self.percent.currentData()
        start, end, decision = self.start.text(), self.end.text().strip(), self.decision.text()
        self._run(lambda: dues.add_exemption(ws, member_id=member_id, kind=kind, start=start,
                                             end=end or None, percent=percent,
                                             decision=decision), "dues_ui.exemption_added")

    def _selected(self) -> str | None:
        rows = self.exemption_list.selectionModel().selectedRows()
        if self.view is None or not rows:
            self.error.show_message(i18n.t("dues_ui.choose_exemption"))
            return None
        return self.view.exemptions[rows[0].row()].id

    def end_exemption(self) -> None:
        chosen, end = self._selected(), self.end.text().strip()
        if chosen is None:
            return
        ws = self.workspace
        self._run(lambda: dues.end_exemption(ws, exemption_id=chosen,
                                             end=end or str(Month.of(ws.today()))),
                  "dues_ui.exemption_ended")

    def remove_exemption(self) -> None:
        chosen = self._selected()
        if chosen is None or not confirm(self, plain("dues_ui.remove_exemption"),
                                         i18n.t("dues_ui.remove_exemption_confirm"),
                                         plain("dues_ui.remove_exemption")):
            return
        ws = self.workspace
        self._run(lambda: dues.remove_exemption(ws, exemption_id=chosen),
                  "dues_ui.exemption_removed")
