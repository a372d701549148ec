"""The dues rates as settings: the dated versions in force, and a new one added (one that
starts on a month already set is refused by the service, in words)."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dues import Month
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.month_text import parse_amount
from sotay_desktop.ui.display import resize_within_screen, scrolling
from sotay_desktop.ui.dues.models import RatesModel
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, add_field_row, error_text, plain
from sotay_desktop.usecases import dues
from sotay_desktop.usecases.dues import RateSettings
from sotay_desktop.usecases.workspace import Workspace

FIELDS = ("valid_from", "name", "salary", "pension", "student", "other_default", "other_min",
          "other_max", "retention")


class RatesDialog(QtWidgets.QDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle(plain("dues_ui.rates_title"))
        self.model = RatesModel(self)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(plain("dues_ui.rates_title"))
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.defaults_note = QtWidgets.QLabel(i18n.t("dues_ui.rates_unconfirmed"), self)
        self.defaults_note.setWordWrap(True)
        next_month = Month.of(workspace.today()).plus(1)
        self.editors: dict[str, QtWidgets.QLineEdit] = {
            name: QtWidgets.QLineEdit(self) for name in FIELDS}
        self.editors["valid_from"].setText(str(next_month))
        box = QtWidgets.QGroupBox(i18n.t("dues_ui.rate_new"), self)
        form = QtWidgets.QFormLayout(box)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in FIELDS:
            add_field_row(form, box, i18n.t(f"dues_ui.rate_field_{name}"), self.editors[name],
                          plain(f"dues_ui.rate_field_{name}"))
        self.add_button = QtWidgets.QPushButton(i18n.t("dues_ui.rate_add"), box)
        form.addRow(self.add_button)
        self.error, self.note = FieldError(self), DoneNote(self)
        content = QtWidgets.QWidget(self)
        column = QtWidgets.QVBoxLayout(content)
        column.addWidget(self.table)
        column.addWidget(self.defaults_note)
        column.addWidget(box)
        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close, self)
        close.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setText(
            i18n.t("dues_ui.close"))
        close.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scrolling(content, self))
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_rate)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 110, metrics.lineSpacing() * 44)
        self.load()

    def load(self) -> None:
        ws = self.workspace
        self.runner.query(lambda: dues.rates(ws), self.show_rates, self.error.show_exception)

    def show_rates(self, settings: RateSettings) -> None:
        self.model.set_rows(settings.versions)
        self.table.resizeColumnsToContents()
        self.defaults_note.setVisible(not settings.recorded)
        if settings.versions:   # a new version starts from the latest one's values
            latest = settings.versions[-1]
            for name, value in (("salary", latest.salary_percent),
                                ("pension", latest.pension_percent),
                                ("student", latest.student_amount),
                                ("other_default", latest.other_default),
                                ("other_min", latest.other_min),
                                ("other_max", latest.other_max),
                                ("retention", latest.retention_percent)):
                if not self.editors[name].text():
                    self.editors[name].setText(str(value))

    def _int(self, name: str) -> int:
        text = self.editors[name].text()
        amount = parse_amount(text)
        if amount is None:
            raise ValidationError("dues_ui.bad_amount", field=name, value=text)
        return amount

    def add_rate(self) -> None:
        self.error.clear_message()
        values: dict[str, Any] = {name: self.editors[name].text() for name in FIELDS}
        try:
            amounts = {name: self._int(name) for name in
                       ("student", "other_default", "other_min", "other_max")}
        except ValidationError as exc:
            self.error.show_message(error_text(exc))
            return
        ws = self.workspace

        def job() -> Any:
            return dues.add_rate(
                ws, valid_from=values["valid_from"], name=values["name"],
                salary_percent=values["salary"], pension_percent=values["pension"],
                student_amount=amounts["student"], other_default=amounts["other_default"],
                other_min=amounts["other_min"], other_max=amounts["other_max"],
                retention_percent=values["retention"])

        def done(_changes: Any) -> None:
            self.note.show_message(i18n.t("dues_ui.rate_added"))
            self.load()

        self.runner.op(job, done, lambda exc: self.error.show_message(error_text(exc)))
