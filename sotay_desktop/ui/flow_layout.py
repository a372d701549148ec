"""A layout that wraps its items onto the next line when the row is full.

For bars of fields and buttons: at normal type they sit on one line; at 200 % type on a
1366-pixel screen they wrap instead of pushing the last buttons off the screen. Items whose
horizontal size policy expands (a search field) share the room left on their line.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class FlowLayout(QtWidgets.QLayout):
    def __init__(self, parent: QtWidgets.QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self.setSpacing(spacing)
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout's item list

    def addItem(self, item: QtWidgets.QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QtWidgets.QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QtWidgets.QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # --- sizes

    def expandingDirections(self) -> QtCore.Qt.Orientation:
        return QtCore.Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QtCore.QRect(0, 0, width, 0), apply=False)

    def minimumSize(self) -> QtCore.QSize:
        size = QtCore.QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QtCore.QSize(margins.left() + margins.right(),
                                   margins.top() + margins.bottom())

    def sizeHint(self) -> QtCore.QSize:
        """One line of everything (what the bar would like at normal type)."""
        visible = [i for i in self._items if not i.isEmpty()]
        width = sum(i.sizeHint().width() for i in visible) + self.spacing() * max(
            0, len(visible) - 1)
        height = max((i.sizeHint().height() for i in visible), default=0)
        margins = self.contentsMargins()
        return QtCore.QSize(width + margins.left() + margins.right(),
                            height + margins.top() + margins.bottom())

    def setGeometry(self, rect: QtCore.QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    # --- placing

    def _arrange(self, rect: QtCore.QRect, *, apply: bool) -> int:
        """Lay the items out in ``rect`` (only measure unless ``apply``); returns the height."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        gap = self.spacing()
        lines: list[list[QtWidgets.QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            if item.isEmpty():
                continue
            width = min(item.sizeHint().width(), area.width())
            width = max(width, min(item.minimumSize().width(), area.width()))
            if lines[-1] and used + gap + width > area.width():
                lines.append([])
                used = 0
            used += (gap if lines[-1] else 0) + width
            lines[-1].append(item)
        y = area.top()
        for line in lines:
            if not line:
                continue
            widths = [max(min(i.sizeHint().width(), area.width()),
                          min(i.minimumSize().width(), area.width())) for i in line]
            room = area.width() - sum(widths) - gap * (len(line) - 1)
            growing = [n for n, i in enumerate(line)
                       if i.expandingDirections() & QtCore.Qt.Orientation.Horizontal]
            for n in growing:
                widths[n] += max(0, room) // len(growing)
            height = max(i.sizeHint().height() for i in line)
            x = area.left()
            for item, width in zip(line, widths, strict=True):
                if apply:
                    item.setGeometry(QtCore.QRect(x, y, width, height))
                x += width + gap
            y += height + gap
        return y - gap - area.top() + margins.top() + margins.bottom() if y > area.top() \
            else margins.top() + margins.bottom()


def labelled(label: QtWidgets.QLabel, field: QtWidgets.QWidget,
             parent: QtWidgets.QWidget | None = None) -> QtWidgets.QWidget:
    """A label and its field kept together on one line of a flow; it grows as the field."""
    box = QtWidgets.QWidget(parent)
    row = QtWidgets.QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field, 1)
    box.setSizePolicy(field.sizePolicy().horizontalPolicy(),
                      QtWidgets.QSizePolicy.Policy.Preferred)
    return box
