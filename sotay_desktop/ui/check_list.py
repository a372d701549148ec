"""A list of (id, label) rows the user ticks: for choosing documents to print."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6 import QtCore

Qt = QtCore.Qt
_ROOT = QtCore.QModelIndex()


class CheckListModel(QtCore.QAbstractListModel):
    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[tuple[str, str]] = []
        self.checked: set[str] = set()

    def set_items(self, items: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.checked &= {item_id for item_id, _ in self.items}
        self.endResetModel()

    def checked_ids(self) -> tuple[str, ...]:
        return tuple(item_id for item_id, _ in self.items if item_id in self.checked)

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                 = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item_id, label = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if item_id in self.checked
                    else Qt.CheckState.Unchecked).value
        return None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
                value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        item_id = self.items[index.row()][0]
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        if state == Qt.CheckState.Checked.value:
            self.checked.add(item_id)
        else:
            self.checked.discard(item_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
