"""Bars of fields and buttons that take as many lines as the screen needs.

At normal type a bar sits on one line; at 200 % type on a 1366-pixel screen it is laid out
on two or three lines instead of pushing its last buttons off the screen. The lines are
chosen once, when the bar is built (the window is rebuilt when the type size changes), from
the widgets' size hints and the screen's width.

Not a QLayout subclass that reflows on every resize: with PySide6 6.12 the Python overrides
such a layout needs (itemAt() answering None past its last item, sizeHint, setGeometry …),
called on every layout pass, upset the reference count of None until the interpreter
aborts (measured: about 500 resizes).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtWidgets

from sotay_desktop.ui import display


def wrapped_rows(widgets: Sequence[QtWidgets.QWidget], budget: int,
                 spacing: int = 12) -> QtWidgets.QVBoxLayout:
    """The widgets on as few lines as fit in ``budget`` pixels, in order. A widget whose
    width may grow (a search field) takes the room left on its line; other lines keep their
    widgets to the left."""
    rows = QtWidgets.QVBoxLayout()
    rows.setContentsMargins(0, 0, 0, 0)
    line: QtWidgets.QHBoxLayout | None = None
    used = 0
    growing = False
    for widget in widgets:
        width = widget.sizeHint().width()
        if line is None or used + spacing + width > budget:
            if line is not None and not growing:
                line.addStretch(1)
            line = QtWidgets.QHBoxLayout()
            line.setSpacing(spacing)
            rows.addLayout(line)
            used, growing = 0, False
        else:
            used += spacing
        grows = bool(widget.sizePolicy().horizontalPolicy().value
                     & QtWidgets.QSizePolicy.PolicyFlag.ExpandFlag.value)
        line.addWidget(widget, 1 if grows else 0)
        growing = growing or grows
        used += width
    if line is not None and not growing:
        line.addStretch(1)
    return rows


def screen_budget(widget: QtWidgets.QWidget, share: float) -> int:
    """``share`` of the usable screen width: what a bar may take on one line."""
    return int(display.available_geometry(widget).width() * share)


def labelled(label: QtWidgets.QLabel, field: QtWidgets.QWidget,
             parent: QtWidgets.QWidget | None = None) -> QtWidgets.QWidget:
    """A label and its field kept together on one line of a bar; it grows as the field."""
    box = QtWidgets.QWidget(parent)
    row = QtWidgets.QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field, 1)
    box.setSizePolicy(field.sizePolicy().horizontalPolicy(),
                      QtWidgets.QSizePolicy.Policy.Preferred)
    return box
