"""Test helpers for Qt. ``qtbot.keyClicks`` aborts the process on non-ASCII text,
so Vietnamese is typed one character at a time with real key events."""

from __future__ import annotations

from PySide6 import QtCore, QtTest, QtWidgets


def type_vi(widget: QtWidgets.QWidget, text: str) -> None:
    for ch in text:
        QtTest.QTest.sendKeyEvent(QtTest.QTest.KeyAction.Click, widget, QtCore.Qt.Key.Key_unknown,
                                  ch, QtCore.Qt.KeyboardModifier.NoModifier)
