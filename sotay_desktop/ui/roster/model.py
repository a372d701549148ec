"""The roster table: one model that filters and sorts its own rows.

Filtering and sorting happen in Python over keys computed once per load (the
folded name words, the stored collation key), then the model resets. With
5,000 members this is a few milliseconds per keystroke, where a
QSortFilterProxyModel calling back into Python for every row and comparison
took tens of milliseconds (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6 import QtCore

from sotay_core import i18n
from sotay_core.domain.text import fold_words
from sotay_desktop.services.read_models import MemberSummary

Qt = QtCore.Qt
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_ROOT = QtCore.QModelIndex()
COLUMNS = ("name", "born", "gender", "admitted", "official", "card", "status")
ON_ROSTER = "on_roster"
ALL = "all"


def _date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _sort_key(member: MemberSummary, column: str) -> Any:
    if column == "name":
        return member.sort_key
    if column in ("born", "admitted", "official"):
        day = {"born": member.date_of_birth, "admitted": member.admitted_on,
               "official": member.official_on}[column]
        return (day is None, day or dt.date.min, member.sort_key)
    if column == "gender":
        return (member.gender.value if member.gender else "~", member.sort_key)
    if column == "card":
        return (member.card_number or "~", member.sort_key)
    return (i18n.t(f"status.{member.status.value}"), member.sort_key)


class RosterModel(QtCore.QAbstractTableModel):
    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[MemberSummary] = []
        self._words: list[tuple[frozenset[str], tuple[str, ...]]] = []
        self._order: list[int] = []
        self._visible: list[int] = []
        self._query: list[str] = []
        self._card_query = ""
        self._status: str | None = ON_ROSTER
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- loading, filtering, sorting

    def set_rows(self, rows: Sequence[MemberSummary]) -> None:
        self._all = list(rows)
        self._words = [(frozenset(m.search_key.split()), tuple(m.search_key.split()))
                       for m in self._all]
        self._resort()

    def set_query(self, text: str) -> None:
        self._query = fold_words(text)
        compact = "".join(self._query)
        self._card_query = compact if compact.isdigit() else ""
        self._refilter()

    def set_status(self, status: str | None) -> None:
        self._status = status
        self._refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        self._resort()

    def _resort(self) -> None:
        column = COLUMNS[self._sort_column]
        self._order = sorted(range(len(self._all)),
                             key=lambda i: _sort_key(self._all[i], column),
                             reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self._refilter()

    def _accepts(self, index: int) -> bool:
        member = self._all[index]
        if self._status == ON_ROSTER:
            if not member.status.on_roster:
                return False
        elif self._status not in (None, ALL) and member.status.value != self._status:
            return False
        if not self._query:
            return True
        if self._card_query:
            return member.card_number.startswith(self._card_query)
        word_set, words = self._words[index]
        *whole, last = self._query
        return all(w in word_set for w in whole) and any(w.startswith(last) for w in words)

    def _refilter(self) -> None:
        self.beginResetModel()
        self._visible = [i for i in self._order if self._accepts(i)]
        self.endResetModel()

    # --- access

    @property
    def total(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> MemberSummary:
        return self._all[self._visible[row]]

    def all_rows(self) -> list[MemberSummary]:
        return list(self._all)

    def row_of(self, member_id: str) -> int:
        for row, index in enumerate(self._visible):
            if self._all[index].id == member_id:
                return row
        return -1

    # --- Qt model API

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                 = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                    = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)   # STT counts the rows as shown
        if 0 <= section < len(COLUMNS):
            return i18n.t(f"ui.col_{COLUMNS[section]}")
        return None

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        member = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return member.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "name":
                return member.full_name
            if column == "born":
                return _date(member.date_of_birth)
            if column == "gender":
                return i18n.t(f"gender.{member.gender.value}") if member.gender else ""
            if column == "admitted":
                return _date(member.admitted_on)
            if column == "official":
                return _date(member.official_on)
            if column == "card":
                return member.card_number
            return i18n.t(f"status.{member.status.value}")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("born", "admitted",
                                                                     "official", "card"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
