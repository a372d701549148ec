"""First run on an empty data folder: a demo branch, or a new empty branch."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_desktop.security.profile import MIN_PASSWORD


@dataclass(frozen=True)
class FirstRunChoice:
    demo: bool
    branch_name: str = ""
    commune_name: str = ""
    province_name: str = ""
    password: str = ""          # "" means no password (the folder stays unencrypted)


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
        self.protect = QtWidgets.QCheckBox(i18n.t("ui.first_run_protect"), self)
        self.password = QtWidgets.QLineEdit(self)
        self.again = QtWidgets.QLineEdit(self)
        for edit in (self.password, self.again):
            edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        secret = QtWidgets.QFormLayout()
        for key, edit in (("ui.login_password", self.password),
                          ("ui.first_run_again", self.again)):
            label = QtWidgets.QLabel(i18n.t(key), self)
            label.setBuddy(edit)
            secret.addRow(label, edit)
        self.hint = QtWidgets.QLabel(self)
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
        layout.addWidget(self.protect)
        layout.addLayout(secret)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.new.toggled.connect(self._mode_changed)
        for edit in (self.branch, self.commune, self.province, self.password, self.again):
            edit.textChanged.connect(self._mode_changed)
        self.protect.toggled.connect(self._mode_changed)
        self._mode_changed()

    def _fields_filled(self) -> bool:
        return all(e.text().strip() for e in (self.branch, self.commune, self.province))

    def _password_problem(self) -> str:
        if not self.protect.isChecked():
            return ""
        if len(self.password.text()) < MIN_PASSWORD:
            return i18n.t("password_too_short", minimum=MIN_PASSWORD)
        if self.password.text() != self.again.text():
            return i18n.t("ui.first_run_mismatch")
        return ""

    def _mode_changed(self, *_args: object) -> None:
        new = self.new.isChecked()
        for edit in (self.branch, self.commune, self.province):
            edit.setEnabled(new)
        for edit in (self.password, self.again):
            edit.setEnabled(self.protect.isChecked())
        problem = self._password_problem()
        self.hint.setText(problem)
        self.ok_button.setEnabled((not new or self._fields_filled()) and not problem)

    def _accept(self) -> None:
        if (self.new.isChecked() and not self._fields_filled()) or self._password_problem():
            return
        self.accept()

    def choice(self) -> FirstRunChoice:
        password = self.password.text() if self.protect.isChecked() else ""
        if self.demo.isChecked():
            return FirstRunChoice(demo=True, password=password)
        return FirstRunChoice(False, self.branch.text(), self.commune.text(),
                              self.province.text(), password)


class RecoveryCodeDialog(QtWidgets.QDialog):
    """The recovery code, once, in large type, with a page to print and keep."""

    def __init__(self, branch_name: str, code: str, sheet: bytes,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet = sheet
        self.setWindowTitle(i18n.t("ui.recovery_title"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(i18n.t("ui.recovery_intro", branch=branch_name), self)
        intro.setWordWrap(True)
        self.code = QtWidgets.QLabel(code, self)
        font = self.code.font()
        font.setPointSizeF(max(24.0, font.pointSizeF() * 2.4))
        font.setBold(True)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QtWidgets.QPushButton(i18n.t("ui.recovery_save"), self)
        self.save_button.clicked.connect(self.save_sheet)
        done = QtWidgets.QPushButton(i18n.t("ui.recovery_done"), self)
        done.clicked.connect(self.accept)
        for w in (intro, self.code, self.save_button, done):
            layout.addWidget(w)
        self.saved_to = ""

    def save_sheet(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, i18n.t("ui.recovery_save").replace("&", ""), "ma-khoi-phuc-so-tay.pdf",
            "PDF (*.pdf)")
        if name:
            from pathlib import Path

            Path(name).write_bytes(self.sheet)
            self.saved_to = name
