"""What the tabs of one meeting share: the write they save through, a form with its errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.ui.display import scrolling
from sotay_desktop.ui.widgets import (
    DoneNote,
    FieldError,
    add_field_row,
    clock_time,
    plain,
)
from sotay_desktop.usecases.meetings import MeetingSheet
from sotay_desktop.usecases.workspace import Workspace


class Write(Protocol):
    """Run one meeting use case (``usecases.meetings``) through the writer: ``job`` gets
    the workspace; errors go to ``on_error``; ``on_done`` gets what the write returned.

    Tabs build ``job`` with ``functools.partial`` so the fields are read on the UI thread.
    """

    def __call__(self, job: Callable[[Workspace], object],
                 on_error: Callable[[Exception], None],
                 on_done: Callable[[Any], None] | None = None) -> None: ...


def text_edit(parent: QtWidgets.QWidget, lines: int = 4) -> QtWidgets.QPlainTextEdit:
    edit = QtWidgets.QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


def form_rows(form: QtWidgets.QFormLayout, parent: QtWidgets.QWidget,
              rows: tuple[tuple[str, str, QtWidgets.QWidget], ...]) -> dict[str, FieldError]:
    """(field name, i18n key of the label, editor) rows -> the error line of each field."""
    return {name: add_field_row(form, parent, i18n.t(key), editor, plain(key))
            for name, key, editor in rows}


def split_pairs(text: str, separators: tuple[str, ...]) -> list[tuple[str, str]]:
    """Lines of "name: text" (or "task — who") into pairs; a line without one keeps it all."""
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in separators:
            if sep in line:
                left, right = line.split(sep, 1)
                pairs.append((left.strip(), right.strip()))
                break
        else:
            pairs.append((line, ""))
    return pairs


def ask_same_title(parent: QtWidgets.QWidget, exc: DomainError,
                   verb_key: str = "ui.create_anyway") -> bool:
    """"Vẫn tạo" (or "Vẫn lưu") or "Huỷ" for a second meeting with the same title in one
    month."""
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question,
                                i18n.t("ui.meeting_same_title_title"), exc.message(),
                                QtWidgets.QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    act = box.addButton(i18n.t(verb_key), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(i18n.t("ui.cancel"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is act


class FormTab(QtWidgets.QWidget):
    """A tab of fields saved through ``write``, with errors shown beside each field."""

    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.write = write
        self.sheet: MeetingSheet | None = None
        self.errors: dict[str, FieldError] = {}
        self.general_error = FieldError(self)
        self.done_note = DoneNote(self)

    def saved(self, key: str) -> Callable[[Any], None]:
        """What ``on_done`` runs: the note "✓ Đã lưu … lúc 09:12" under the buttons."""
        return lambda _result: self.done_note.show_message(i18n.t(key, time=clock_time()))

    def lay_out(self, form: QtWidgets.QFormLayout, save_button: QtWidgets.QPushButton) -> None:
        """The form, its error line and the save button, in a scroll area (large type)."""
        content = QtWidgets.QWidget(self)
        layout = QtWidgets.QVBoxLayout(content)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        row = QtWidgets.QHBoxLayout()   # the note beside the button it answers
        row.addWidget(save_button, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.done_note, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content, self))

    def clear_errors(self) -> None:
        for error in (*self.errors.values(), self.general_error, self.done_note):
            error.clear_message()

    def show_error(self, exc: Exception) -> None:
        field = getattr(exc, "field", None)
        self.errors.get(field or "", self.general_error).show_exception(exc)
