"""The letters' table: number, way, member, kind, issued, deadline, the other place, dues
paid up to and the standing in words; a letter past its deadline reads in bold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6 import QtCore, QtGui

from sotay_core import i18n
from sotay_core.domain.dates import format_vn
from sotay_desktop.services.transfers_read import LetterView, status_words
from sotay_desktop.ui.table_model import ListTableModel

Qt = QtCore.Qt


def place_of(view: LetterView) -> str:
    """The other end: where the member went, or came from."""
    return view.to_place if view.direction.value == "out" else view.from_place


class LettersModel(ListTableModel[LetterView]):
    # The standing (late N days) right after the name: at large type the last columns need
    # scrolling, and a late letter must not be told by bold type alone.
    columns: ClassVar[tuple[str, ...]] = ("number", "direction", "member", "status", "kind",
                                          "issued", "deadline", "place", "dues")
    header_keys: ClassVar[Mapping[str, str]] = {
        name: f"transfers_ui.col_{name}" for name in columns}

    def texts(self, view: LetterView) -> tuple[str, ...]:
        return (view.number, i18n.t(f"transfers.direction_{view.direction.value}"), view.name,
                status_words(view) + (i18n.t("transfers_ui.ended", date=format_vn(
                    view.ended_on)) if view.ended_on else ""),
                i18n.t(f"transfers_ui.kind_short_{view.kind.value}"), format_vn(view.issued_on),
                format_vn(view.valid_until), place_of(view),
                str(view.dues_paid_to) if view.dues_paid_to else "")

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return self.texts(view)[index.column()]
        if role == Qt.ItemDataRole.FontRole and view.late and view.presented_on is None:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        return None
