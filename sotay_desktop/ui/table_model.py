"""The shared part of our table models: rows in a list, named columns, translated headers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6 import QtCore

from sotay_core import i18n

Qt = QtCore.Qt
ROOT = QtCore.QModelIndex()
Row = TypeVar("Row")


class ListTableModel(QtCore.QAbstractTableModel, Generic[Row]):
    """Subclasses set ``columns`` (names) and ``header_keys`` (i18n keys), and write ``data``."""

    columns: ClassVar[tuple[str, ...]] = ()
    header_keys: ClassVar[Mapping[str, str]] = {}

    def __init__(self, parent: QtCore.QObject | None = None, *, rows: Sequence[Row] = ()) -> None:
        super().__init__(parent)
        self.rows: list[Row] = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self.rows[row]

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                 = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                    = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            name = self.columns[section]
            return i18n.t(self.header_keys.get(name, f"ui.col_{name}"))
        return None

    def column_name(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> str:
        return self.columns[index.column()]
