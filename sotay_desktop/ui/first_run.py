"""First run on an empty data folder: a demo branch, or a new empty branch."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtWidgets

from sotay_desktop import i18n


@dataclass(frozen=True)
class FirstRunChoice:
    demo: bool
    branch_name: str = ""
    commune_name: str = ""
    province_name: str = ""


class FirstRunDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.t("ui.first_run_title"))
        intro = QtWidgets.QLabel(i18n.t("ui.first_run_intro"), self)
        self.demo = QtWidgets.QRadioButton(i18n.t("ui.first_run_demo"), self)
        self.new = QtWidgets.QRadioButton(i18n.t("ui.first_run_new"), self)
        self.demo.setChecked(True)
        self.branch = QtWidgets.QLineEdit(self)
        self.commune = QtWidgets.QLineEdit(self)
        self.province = QtWidgets.QLineEdit(self)
        form = QtWidgets.QFormLayout()
        for key, edit in (("ui.branch_name", self.branch), ("ui.commune_name", self.commune),
                          ("ui.province_name", self.province)):
            label = QtWidgets.QLabel(i18n.t(key), self)
            label.setBuddy(edit)
            form.addRow(label, edit)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText(i18n.t("ui.ok"))
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText(
            i18n.t("ui.cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.demo)
        layout.addWidget(self.new)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.new.toggled.connect(self._mode_changed)
        for edit in (self.branch, self.commune, self.province):
            edit.textChanged.connect(self._mode_changed)
        self._mode_changed()

    def _fields_filled(self) -> bool:
        return all(e.text().strip() for e in (self.branch, self.commune, self.province))

    def _mode_changed(self, *_args: object) -> None:
        new = self.new.isChecked()
        for edit in (self.branch, self.commune, self.province):
            edit.setEnabled(new)
        self.ok_button.setEnabled(not new or self._fields_filled())

    def _accept(self) -> None:
        if self.new.isChecked() and not self._fields_filled():
            return
        self.accept()

    def choice(self) -> FirstRunChoice:
        if self.demo.isChecked():
            return FirstRunChoice(demo=True)
        return FirstRunChoice(False, self.branch.text(), self.commune.text(),
                              self.province.text())
