"""A new candidate (an outstanding citizen the branch helps towards admission): their
details, each refusal shown beside its field."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace

FIELDS = (("full_name", "admission_app.field_name"), ("date_of_birth", "admission_app.field_born"),
          ("gender", "admission_app.field_gender"), ("residence", "admission_app.field_residence"),
          ("occupation", "admission_app.field_occupation"), ("phone", "admission_app.field_phone"),
          ("note", "admission_app.field_note"))


class CandidateDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle(plain("admission_app.add_title"))
        gender = QtWidgets.QComboBox(self)
        for value, key in (("", "admission_app.gender_unknown"), ("male", "admission_app.male"),
                           ("female", "admission_app.female")):
            gender.addItem(i18n.t(key), value)
        born = QtWidgets.QLineEdit(self)
        born.setPlaceholderText(i18n.t("admission_app.date_hint"))
        note = QtWidgets.QPlainTextEdit(self)
        note.setTabChangesFocus(True)
        note.setFixedHeight(note.fontMetrics().lineSpacing() * 4)
        self.editors = {"full_name": QtWidgets.QLineEdit(self), "date_of_birth": born,
                        "gender": gender, "residence": QtWidgets.QLineEdit(self),
                        "occupation": QtWidgets.QLineEdit(self),
                        "phone": QtWidgets.QLineEdit(self), "note": note}
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, key in FIELDS:
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        self.errors["occupation_now"] = self.errors["occupation"]   # checked as a member's
        self.over_age = QtWidgets.QCheckBox(i18n.t("admission_app.field_over_age"), self)
        form.addRow(self.over_age)
        self.lay_out(form, ok_key="admission_app.add_save")
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 80, metrics.lineSpacing() * 30)

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QtWidgets.QLineEdit):
                data[name] = editor.text()
            elif isinstance(editor, QtWidgets.QPlainTextEdit):
                data[name] = editor.toPlainText()
            elif isinstance(editor, QtWidgets.QComboBox):
                data[name] = editor.currentData()
        data["over_limit_approved"] = self.over_age.isChecked()
        return {k: v for k, v in data.items() if v not in ("", None)}

    def save(self) -> None:
        self.clear_errors()
        ws, data = self.workspace, self.values()

        def job() -> tuple[str, Changes]:
            return cases.add_candidate(ws, data)

        self.submit(self.runner, job)
