"""The metadata of one document being added: number, date, issuer, title, origin …"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import DocumentOrigin
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.member.dialog import with_mnemonic
from sotay_desktop.ui.widgets import FormDialog, add_field_row

FIELDS = ("number", "issued_on", "issuer", "title", "origin", "tags", "summary")


class AddDocumentDialog(FormDialog):
    def __init__(self, path: Path, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(i18n.t("ui.add_document_title", name=path.name))
        form = QtWidgets.QFormLayout()
        used: set[str] = {"t", "h"}  # &Thêm, &Huỷ
        for name in FIELDS:
            editor: QtWidgets.QWidget
            if name == "origin":
                combo = QtWidgets.QComboBox(self)
                for origin in DocumentOrigin:
                    combo.addItem(i18n.t(f"origin.{origin.value}"), origin.value)
                editor = combo
            elif name == "summary":
                editor = QtWidgets.QPlainTextEdit(self)
                editor.setTabChangesFocus(True)
            else:
                line = QtWidgets.QLineEdit(self)
                if name == "issued_on":
                    line.setPlaceholderText(i18n.t("ui.date_hint"))
                if name == "title":
                    line.setText(path.stem.replace("_", " "))
                if name == "number":
                    line.setPlaceholderText("12-CT/TU")
                editor = line
            self.errors[name] = add_field_row(
                form, self, with_mnemonic(i18n.field_label(name) + ":", used), editor,
                i18n.field_label(name))
            self.editors[name] = editor
        self.lay_out(form, "ui.add")   # OK accepts; the screen adds the file
        resize_within_screen(self, 640, 480)

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QtWidgets.QComboBox):
                data[name] = editor.currentData()
            elif isinstance(editor, QtWidgets.QPlainTextEdit):
                data[name] = editor.toPlainText()
            elif isinstance(editor, QtWidgets.QLineEdit):
                data[name] = editor.text()
        return data
