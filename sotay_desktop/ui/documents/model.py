"""The documents table over search hits."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from sotay_desktop import i18n
from sotay_desktop.services.documents import DocumentHit
from sotay_desktop.ui.table_model import ListTableModel

Qt = QtCore.Qt
COLUMNS = ("number", "issued", "issuer", "title", "later")
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class DocumentsModel(ListTableModel[DocumentHit]):
    columns = COLUMNS

    @property
    def hits(self) -> list[DocumentHit]:
        return self.rows

    def set_hits(self, hits: list[DocumentHit]) -> None:
        self.set_rows(hits)

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
