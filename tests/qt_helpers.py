"""Test helpers for Qt. ``qtbot.keyClicks`` aborts the process on non-ASCII text,
so Vietnamese is typed one character at a time with real key events."""

from __future__ import annotations

from PySide6 import QtCore, QtTest, QtWidgets


def type_vi(widget: QtWidgets.QWidget, text: str) -> None:
    for ch in text:
        QtTest.QTest.sendKeyEvent(QtTest.QTest.KeyAction.Click, widget, QtCore.Qt.Key.Key_unknown,
                                  ch, QtCore.Qt.KeyboardModifier.NoModifier)


def answer_boxes(monkeypatch, verb: str | None) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Replace ``QMessageBox.exec``: note each box's text and button labels (without '&'),
    then press the button labelled ``verb``; with None (or no such button) press the box's
    escape button, as Esc would."""
    asked: list[tuple[str, list[str]]] = []

    def run(box: QtWidgets.QMessageBox) -> int:
        buttons = box.buttons()
        asked.append((box.text(), [b.text().replace("&", "") for b in buttons]))
        chosen = next((b for b in buttons if verb is not None
                       and b.text().replace("&", "") == verb.replace("&", "")),
                      box.escapeButton())
        if chosen is not None:
            chosen.click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", run)
    return asked
