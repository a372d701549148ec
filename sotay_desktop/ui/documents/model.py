"""The documents table over search hits."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from sotay_core import i18n
from sotay_desktop.services.documents import DocumentHit
from sotay_desktop.ui.table_model import ListTableModel

Qt = QtCore.Qt
COLUMNS = ("number", "issued", "issuer", "title", "later")
ID_ROLE = Qt.ItemDataRole.UserRole + 2
STAR = "★"


class DocumentsModel(ListTableModel[DocumentHit]):
    columns = COLUMNS

    @property
    def hits(self) -> list[DocumentHit]:
        return self.rows

    def set_hits(self, hits: list[DocumentHit]) -> None:
        self.set_rows(hits)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The "đọc sau" column is headed by its star (narrow); its name is the tooltip."""
        later = orientation == Qt.Orientation.Horizontal and section == COLUMNS.index("later")
        if later and role == Qt.ItemDataRole.DisplayRole:
            return STAR
        if later and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return i18n.t("ui.col_later")
        return super().headerData(section, orientation, role)

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return hit.id
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "number": hit.number,
                "issued": hit.issued_on.strftime("%d/%m/%Y") if hit.issued_on else "",
                "issuer": hit.issuer,
                "title": hit.title,
                "later": STAR if hit.bookmarked else "",
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:   # the whole text of a cut cell
            if column == "title":
                return "\n\n".join(part for part in (hit.title, hit.passage) if part)
            if column == "later":
                return i18n.t("ui.col_later") if hit.bookmarked else None
            return self.data(index, Qt.ItemDataRole.DisplayRole) or None
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "later":
            return i18n.t("ui.col_later") if hit.bookmarked else ""
        return None
