"""The admission figures as settings: each with its label, the figures not confirmed against
the 2025 texts marked "(CHƯA XÁC NHẬN)", the public holidays one per line; saved checked by
the service (a value out of range refused beside its field), or back to the defaults."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.admission import AdmissionRules
from sotay_core.domain.dates import parse_date
from sotay_core.domain.errors import ValidationError
from sotay_desktop.services.admission_settings import BOUNDS, UNCONFIRMED
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace

NO_LIMIT = "maximum_age"


def _label(name: str) -> str:
    text = i18n.t(f"field.{name}")
    if name in UNCONFIRMED:
        text += " " + i18n.t("admission_app.unconfirmed")
    return text


class RulesDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.reset = False
        self.setWindowTitle(i18n.t("admission_app.rules_title"))
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapAllRows)
        intro = QtWidgets.QLabel(i18n.t("admission_app.rules_intro"), self)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.spins: dict[str, QtWidgets.QSpinBox] = {}
        for name, (low, high) in BOUNDS.items():
            spin = QtWidgets.QSpinBox(self)
            spin.setRange(low - 1 if name == NO_LIMIT else low, high)
            if name == NO_LIMIT:
                spin.setSpecialValueText(i18n.t("admission_app.no_limit"))
            self.spins[name] = spin
            self.editors[name] = spin
            self.errors[name] = add_field_row(form, self, _label(name), spin, _label(name))
        self.strict = QtWidgets.QCheckBox(_label("majority_strict"), self)
        self.editors["majority_strict"] = self.strict
        form.addRow(self.strict)
        self.holidays = QtWidgets.QPlainTextEdit(self)
        self.holidays.setTabChangesFocus(True)
        self.holidays.setFixedHeight(self.holidays.fontMetrics().lineSpacing() * 5)
        self.holidays.setPlaceholderText(i18n.t("admission_app.holidays_hint"))
        self.editors["public_holidays"] = self.holidays
        self.errors["public_holidays"] = add_field_row(
            form, self, _label("public_holidays"), self.holidays, _label("public_holidays"))
        self.lay_out(form, ok_key="admission_app.rules_save")
        assert self.buttons is not None
        self.defaults_button = self.buttons.addButton(
            i18n.t("admission_app.rules_defaults"),
            QtWidgets.QDialogButtonBox.ButtonRole.ResetRole)
        self.defaults_button.clicked.connect(self.back_to_defaults)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 90, metrics.lineSpacing() * 40)
        ws = workspace
        runner.query(lambda: cases.rules(ws), self.show_rules, self.general_error.show_exception)

    def show_rules(self, found: tuple[AdmissionRules, bool]) -> None:
        rules = found[0]
        for name, spin in self.spins.items():
            value = getattr(rules, name)
            spin.setValue(spin.minimum() if value is None else value)
        self.strict.setChecked(rules.majority_strict)
        self.holidays.setPlainText("\n".join(
            day.strftime("%d/%m/%Y") for day in sorted(rules.public_holidays)))

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, spin in self.spins.items():
            no_limit = name == NO_LIMIT and spin.value() == spin.minimum()
            data[name] = None if no_limit else spin.value()
        data["majority_strict"] = self.strict.isChecked()
        days = []
        for line in self.holidays.toPlainText().splitlines():
            if line.strip():
                try:
                    days.append(parse_date(line).isoformat())
                except ValueError:
                    raise ValidationError("admission_app.bad_holiday", field="public_holidays",
                                          value=line.strip()) from None
        data["public_holidays"] = days
        return data

    def save(self) -> None:
        self.clear_errors()
        try:
            values: dict[str, Any] | None = None if self.reset else self.values()
        except ValidationError as exc:
            self.show_error(exc)
            return
        ws = self.workspace

        def job() -> tuple[str, Changes]:
            return "", cases.set_rules(ws, values)

        self.submit(self.runner, job)

    def back_to_defaults(self) -> None:
        self.reset = True
        self.save()
