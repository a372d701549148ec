"""The documents table over search hits."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from sotay_desktop import i18n
from sotay_desktop.services.documents import DocumentHit

Qt = QtCore.Qt
_ROOT = QtCore.QModelIndex()
COLUMNS = ("number", "issued", "issuer", "title", "later")
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class DocumentsModel(QtCore.QAbstractTableModel):
    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[DocumentHit] = []

    def set_hits(self, hits: list[DocumentHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                 = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                    = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(COLUMNS)):
            return i18n.t(f"ui.col_{COLUMNS[section]}")
        return None

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == ID_ROLE:
            return hit.id
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "number": hit.number,
                "issued": hit.issued_on.strftime("%d/%m/%Y") if hit.issued_on else "",
                "issuer": hit.issuer,
                "title": hit.title,
                "later": "★" if hit.bookmarked else "",
            }[COLUMNS[index.column()]]
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.passage
        if role == Qt.ItemDataRole.AccessibleTextRole and COLUMNS[index.column()] == "later":
            return i18n.t("ui.col_later") if hit.bookmarked else ""
        return None
