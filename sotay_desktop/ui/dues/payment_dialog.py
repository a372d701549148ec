"""Recording a member's dues for a month, or in advance over several months."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dues import Month, PaymentChannel
from sotay_core.domain.dues_book import BookLine
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.month_text import parse_amount, parse_month
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import dues
from sotay_desktop.usecases.workspace import Workspace

FIELDS = (("month", "dues_ui.pay_month"), ("months", "dues_ui.pay_months"),
          ("amount", "dues_ui.pay_amount"), ("channel", "dues_ui.pay_channel"),
          ("date", "dues_ui.pay_date"), ("receipt", "dues_ui.pay_receipt"))



class PaymentDialog(FormDialog):
    """Amount prefilled with the due (the sum of the dues for an advance within the year)."""

    def __init__(self, workspace: Workspace, runner: TaskRunner, line: BookLine, month: Month,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.line = workspace, runner, line
        self.recorded: list[Month] = []
        self.setWindowTitle(i18n.t("dues_ui.pay_title", name=line.name))
        month_edit = QtWidgets.QLineEdit(str(month), self)
        months = QtWidgets.QSpinBox(self)
        months.setRange(1, 24)
        amount = QtWidgets.QLineEdit(self)
        amount.setPlaceholderText(i18n.t("dues_ui.pay_amount_due"))
        channel = QtWidgets.QComboBox(self)
        for choice in PaymentChannel:
            channel.addItem(i18n.t(f"dues_ui.channel_{choice.value}"), choice.value)
        date = QtWidgets.QLineEdit(workspace.today().strftime("%d/%m/%Y"), self)
        receipt = QtWidgets.QLineEdit(self)
        receipt.setMaxLength(40)
        self.editors = {"month": month_edit, "months": months, "amount": amount,
                        "channel": channel, "date": date, "receipt": receipt}
        form = QtWidgets.QFormLayout()
        who = QtWidgets.QLabel(line.name, self)
        who.setAccessibleName(i18n.t("ui.col_member"))
        form.addRow(i18n.t("ui.col_member"), who)
        for name, key in FIELDS:
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.lay_out(form, ok_key="dues_ui.pay_save")
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 72, metrics.lineSpacing() * 24)
        months.valueChanged.connect(self._prefill)
        month_edit.textEdited.connect(self._prefill)
        self._prefill()

    def _line_edit(self, name: str) -> QtWidgets.QLineEdit:
        editor = self.editors[name]
        assert isinstance(editor, QtWidgets.QLineEdit)
        return editor

    def _months(self) -> int:
        editor = self.editors["months"]
        assert isinstance(editor, QtWidgets.QSpinBox)
        return editor.value()

    def _prefill(self, *_args: Any) -> None:
        """The due of the months chosen, when the book knows them all (this year)."""
        try:
            first = parse_month(self._line_edit("month").text())
        except ValidationError:
            return
        wanted = [first.plus(i) for i in range(self._months())]
        cells = [self.line.cell(m) for m in wanted if m.year == self.line.cells[0].month.year]
        known = len(cells) == len(wanted)
        total = sum(cell.due for cell in cells if cell.payment is None)
        self._line_edit("amount").setText(str(total) if known and total else "")

    def save(self) -> None:
        self.clear_errors()
        try:
            amount = parse_amount(self._line_edit("amount").text())
        except ValidationError as exc:
            self.show_error(exc)
            return
        channel = self.editors["channel"]
        assert isinstance(channel, QtWidgets.QComboBox)
        ws, member_id = self.workspace, self.line.member_id
        month, months = self._line_edit("month").text(), self._months()
        paid_on, receipt = self._line_edit("date").text(), self._line_edit("receipt").text()
        chosen = channel.currentData()

        def job() -> tuple[str, Changes]:
            recorded, changes = dues.record_payment(
                ws, member_id=member_id, month=parse_month(month), months=months,
                amount=amount, channel=chosen, paid_on=paid_on, receipt=receipt)
            self.recorded = recorded
            return member_id, changes

        self.submit(self.runner, job)

