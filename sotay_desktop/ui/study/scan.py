"""The field a USB barcode scanner types into, and the line that answers each scan.

A scanner is a keyboard: it types the card's 14 digits fast, then Enter. The field hands the
text over on Enter (``code_entered``), clears itself and keeps the focus for the next card,
so a queue of members can be scanned without touching the mouse. The answer line says in
large type who was found ("✓ Nguyễn Văn A"), or the core's refusal in red; a refusal
changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_desktop.ui.widgets import plain


class ScanField(QtWidgets.QLineEdit):
    code_entered = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(i18n.t("study_ui.scan_placeholder"))
        self.setAccessibleName(plain("study_ui.scan_label"))
        self.setAccessibleDescription(i18n.t("study_ui.scan_placeholder"))
        self.setClearButtonEnabled(True)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        """Enter ends a scan here: it never reaches the dialog (whose default button would
        save and close it in the middle of a queue)."""
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            event.accept()
            self._entered()
            return
        super().keyPressEvent(event)

    def _entered(self) -> None:
        text = self.text().strip()
        self.clear()
        self.setFocus()
        if text:
            self.code_entered.emit(text)


Start = Callable[[str, Callable[[Any], None], Callable[[Exception], None]], None]


class ScanQueue:
    """Codes looked up one at a time, in the order scanned: the look-ups run in the
    background and a queue at the door scans faster than they answer; in order, the answer
    line always names the last card and a card scanned twice is the second that says so."""

    def __init__(self, start: Start, found: Callable[[Any], None],
                 refused: Callable[[Exception], None]) -> None:
        self.start, self.found, self.refused = start, found, refused
        self.waiting: list[str] = []
        self.busy = False

    def push(self, code: str) -> None:
        self.waiting.append(code)
        if not self.busy:
            self._next()

    def _next(self) -> None:
        if not self.waiting:
            return
        self.busy = True
        self.start(self.waiting.pop(0), self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.busy = False
        self.found(result)
        self._next()

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.refused(exc)
        self._next()


def scan_label(field: ScanField, parent: QtWidgets.QWidget) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(i18n.t("study_ui.scan_label"), parent)
    label.setBuddy(field)
    return label


class ScanNote(QtWidgets.QLabel):
    """Who the last scan found, in bold type (larger at normal type); a refusal in red; a
    hint in the ordinary type. Announced to a screen reader as it changes. ``lines`` keeps
    room for that many lines, so a longer message never pushes the screen about."""

    def __init__(self, parent: QtWidgets.QWidget | None = None, *, lines: int = 1) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
        self.plain_font = QtGui.QFont(self.font())
        self.loud_font = QtGui.QFont(self.font())
        self.loud_font.setBold(True)
        if QtWidgets.QApplication.font().pointSizeF() < 14:      # room for it at normal type
            self.loud_font.setPointSizeF(self.loud_font.pointSizeF() * 1.3)
        self.setFont(self.loud_font)
        self.setMinimumHeight(QtGui.QFontMetrics(self.loud_font).lineSpacing() * lines + 4)
        self.refused = False

    def show_hint(self, text: str) -> None:
        self.refused = False
        self.setFont(self.plain_font)
        self.setPalette(QtWidgets.QApplication.palette(self))
        self._say(text)

    def show_found(self, text: str) -> None:
        self.refused = False
        self.setFont(self.loud_font)
        self.setPalette(QtWidgets.QApplication.palette(self))
        self._say(text)

    def show_refusal(self, text: str) -> None:
        self.refused = True
        self.setFont(self.loud_font)
        palette = QtGui.QPalette(QtWidgets.QApplication.palette(self))
        palette.setColor(QtGui.QPalette.ColorRole.WindowText, refusal_colour(palette))
        self.setPalette(palette)
        self._say(f"✗ {text}")

    def _say(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.show()
        QtGui.QAccessible.updateAccessibility(QtGui.QAccessibleAnnouncementEvent(self, text))


def refusal_colour(palette: QtGui.QPalette) -> QtGui.QColor:
    """Red that reads on the palette's background: dark red on light, light red on dark
    (high contrast)."""
    dark_background = palette.color(QtGui.QPalette.ColorRole.Window).lightness() < 128
    return QtGui.QColor("#ff8a80" if dark_background else "#b3261e")


def refusal_sheet(widget: QtWidgets.QWidget) -> str:
    """A style sheet that paints a field's text red and bold (a palette alone is ignored
    once the application has a style sheet: large type, high contrast)."""
    colour = refusal_colour(QtWidgets.QApplication.palette(widget)).name()
    return f"color: {colour}; font-weight: bold;"
