"""The roster table: a model over MemberSummary rows, and a proxy for filter and sort."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6 import QtCore

from sotay_desktop import i18n
from sotay_desktop.domain.entities import MemberStatus
from sotay_desktop.domain.text import matches_words, name_sort_key
from sotay_desktop.services.members import MemberSummary

Qt = QtCore.Qt
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

_ROOT = QtCore.QModelIndex()
COLUMNS = ("name", "born", "gender", "admitted", "official", "card", "status")


def _date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class RosterModel(QtCore.QAbstractTableModel):
    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberSummary] = []
        self._name_keys: list[str] = []

    def set_rows(self, rows: Sequence[MemberSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._name_keys = [name_sort_key(r.full_name) for r in self._rows]
        self.endResetModel()

    def row_at(self, row: int) -> MemberSummary:
        return self._rows[row]

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                 = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                    = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return i18n.t(f"ui.col_{COLUMNS[section]}")
        return None

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        member = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return member.id
        if role == SORT_ROLE:
            return {
                "name": self._name_keys[index.row()],
                "born": member.date_of_birth.isoformat() if member.date_of_birth else "",
                "admitted": member.admitted_on.isoformat() if member.admitted_on else "",
                "official": member.official_on.isoformat() if member.official_on else "",
            }.get(column, self.data(index, Qt.ItemDataRole.DisplayRole))
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "name": member.full_name,
                "born": _date(member.date_of_birth),
                "gender": i18n.t(f"gender.{member.gender.value}") if member.gender else "",
                "admitted": _date(member.admitted_on),
                "official": _date(member.official_on),
                "card": member.card_number,
                "status": i18n.t(f"status.{member.status.value}"),
            }[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("born", "admitted", "official",
                                                                     "card"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


ON_ROSTER = "on_roster"
ALL = "all"


class RosterFilter(QtCore.QSortFilterProxyModel):
    """Filter-as-you-type on the folded name (or card number) and by status."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._query = ""
        self._status: str | None = None
        self.setSortRole(SORT_ROLE)

    def _change_filter(self, apply: Callable[[], None]) -> None:
        if hasattr(self, "endFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            apply()
            self.endFilterChange(QtCore.QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt 6.9
            apply()
            self.invalidateFilter()

    def set_query(self, text: str) -> None:
        self._change_filter(lambda: setattr(self, "_query", text.strip()))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Row numbers (STT) count the rows as shown, 1..n, whatever the filter and sort.
        # (Not super().headerData(): in PySide6 6.12 it over-releases None and the
        # interpreter aborts at exit. Columns are never filtered, so ask the source.)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        source = self.sourceModel()
        return source.headerData(section, orientation, role) if source is not None else None

    def set_status(self, status: str | None) -> None:
        self._change_filter(lambda: setattr(self, "_status", status))

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RosterModel)
        member = model.row_at(source_row)
        if self._status == ON_ROSTER:
            if not member.status.on_roster:
                return False
        elif self._status not in (None, ALL) and member.status is not MemberStatus(self._status):
            return False
        if not self._query:
            return True
        compact = self._query.replace(" ", "")
        if compact.isdigit():
            return member.card_number.startswith(compact)
        return matches_words(self._query, member.search_key, prefix_last=True)
