"""Small shared widgets: a labelled field with its error line, message helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import scrolling


class FieldError(QtWidgets.QLabel):
    """The message shown under a field; hidden while empty. Colour from the palette."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setForegroundRole(QtGui.QPalette.ColorRole.Link)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(f"⚠ {text}")
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))

    def show_exception(self, exc: BaseException) -> None:
        self.show_message(error_text(exc))

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class DoneNote(QtWidgets.QLabel):
    """The line saying what was just done ("✓ Đã lưu biên bản lúc 09:12"), beside the button:
    seen, announced to a screen reader, and never a dialog that takes the focus."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.show()
        QtGui.QAccessible.updateAccessibility(QtGui.QAccessibleAnnouncementEvent(self, text))
        QtCore.QTimer.singleShot(0, self._bring_into_view)   # once the layout has placed it

    def _bring_into_view(self) -> None:
        """At large type the form scrolls: scroll so the note is seen, not below the fold."""
        parent = self.parentWidget()
        while parent is not None and self.isVisible():
            if isinstance(parent, QtWidgets.QScrollArea):
                parent.ensureWidgetVisible(self)
                return
            parent = parent.parentWidget()

    def clear_message(self) -> None:
        self.clear()
        self.setAccessibleName("")
        self.hide()


def clock_time() -> str:
    """The time of day as the notes show it, "09:12"."""
    return QtCore.QTime.currentTime().toString("HH:mm")


def error_text(exc: BaseException) -> str:
    """What a person reads: never SQL, parameters or a trace (those go to the log file)."""
    from sotay_desktop.errorlog import describe

    return describe(exc)


def plain(key: str) -> str:
    """A translated label without its mnemonic ampersand or trailing colon."""
    return i18n.t(key).replace("&", "").rstrip(":")


def ok_cancel(parent: QtWidgets.QDialog, ok_key: str = "ui.save") -> QtWidgets.QDialogButtonBox:
    buttons = QtWidgets.QDialogButtonBox(
        QtWidgets.QDialogButtonBox.StandardButton.Ok
        | QtWidgets.QDialogButtonBox.StandardButton.Cancel, parent)
    buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText(i18n.t(ok_key))
    buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText(i18n.t("ui.cancel"))
    buttons.rejected.connect(parent.reject)
    return buttons


def add_field_row(form: QtWidgets.QFormLayout, parent: QtWidgets.QWidget, label_text: str,
                  editor: QtWidgets.QWidget, accessible_name: str) -> FieldError:
    """A labelled field (the label is its buddy, so its mnemonic focuses it) with an error line."""
    label = QtWidgets.QLabel(label_text, parent)
    label.setBuddy(editor)
    editor.setAccessibleName(accessible_name)
    error = FieldError(parent)
    column = QtWidgets.QVBoxLayout()
    column.setSpacing(2)
    column.addWidget(editor)
    column.addWidget(error)
    form.addRow(label, column)
    return error


class FormDialog(QtWidgets.QDialog):
    """A dialog of fields whose errors show beside them, saved by a job off the UI thread.

    Subclasses fill ``editors`` and ``errors`` (see ``add_field_row``), create
    ``buttons`` and call ``submit`` with the write to run.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QtWidgets.QWidget] = {}
        self.errors: dict[str, FieldError] = {}
        self.general_error = FieldError(self)
        self.buttons: QtWidgets.QDialogButtonBox | None = None
        self.saved_id: str | None = None

    def lay_out(self, form: QtWidgets.QFormLayout, ok_key: str = "ui.save") -> None:
        """The form, the general error line, and OK/Cancel (OK runs ``save``)."""
        self.buttons = ok_cancel(self, ok_key)
        self.buttons.accepted.connect(self.save)
        content = QtWidgets.QWidget(self)   # the fields scroll at large type; buttons stay
        content.setLayout(form)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scrolling(content, self))
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        """Subclasses validate and ``submit``; the default just accepts."""
        self.accept()

    def clear_errors(self) -> None:
        self.general_error.clear_message()
        for error in self.errors.values():
            error.clear_message()

    def show_error(self, exc: BaseException) -> None:
        field = exc.field if isinstance(exc, DomainError) else None
        if field in self.errors:
            self.errors[field].show_message(error_text(exc))
            editor = self.editors.get(field)
            if editor is not None:
                self.focus_field(editor)
        else:
            self.general_error.show_message(error_text(exc))

    def focus_field(self, editor: QtWidgets.QWidget) -> None:
        editor.setFocus()

    def submit(self, runner: Any, job: Callable[[], tuple[str, Changes]]) -> None:
        """Run the write (the id it saved, and its ``Changes`` for the broadcast); accept
        with the id, or show its error beside the field."""
        if self.buttons is not None:
            self.buttons.setEnabled(False)

        def done(result: tuple[str, Changes]) -> None:
            self.saved_id = result[0]
            if self.buttons is not None:
                self.buttons.setEnabled(True)
            self.accept()

        def failed(exc: Exception) -> None:
            if self.buttons is not None:
                self.buttons.setEnabled(True)
            self.show_error(exc)

        runner.op(job, done, failed)


def confirm(parent: QtWidgets.QWidget | None, title: str, text: str, verb: str) -> bool:
    """Ask before an act that cannot be undone. The buttons name the act ("Ghi vào lý lịch",
    "Thông qua", "Xoá") and "Huỷ", never Yes/No; Huỷ is the default, so a stray Enter does
    nothing. True only when the verb was chosen."""
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, title, text,
                                QtWidgets.QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    act = box.addButton(verb, QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(i18n.t("ui.cancel"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is act


def report_in_status(widget: QtWidgets.QWidget, exc: BaseException) -> None:
    """A failure of background work (loading, searching as one types): said in the window's
    status bar, never in a dialog that would take the focus from someone typing."""
    window = widget.window()
    if isinstance(window, QtWidgets.QMainWindow):
        window.statusBar().showMessage(error_text(exc))
    else:  # a screen shown on its own (tests, tools): nothing else can say it
        show_error(widget, exc)


def show_error(parent: QtWidgets.QWidget, exc: BaseException) -> None:
    from sotay_core import i18n

    QtWidgets.QMessageBox.warning(parent, i18n.t("ui.error_title"), error_text(exc))
