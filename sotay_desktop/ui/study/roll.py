"""The attendance list of a study session: the members by name in roster order, each with a
tick, filtered by a search that ignores diacritics ("nguyen van a" finds "Nguyễn Văn A")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6 import QtCore

from sotay_core import i18n
from sotay_core.domain.text import fold, matches_words

Qt = QtCore.Qt
ROOT = QtCore.QModelIndex()


class RollModel(QtCore.QAbstractListModel):
    """Items are (member id, name, guest); ``present`` holds the ticked ids, shown or not."""

    ticked = QtCore.Signal()
    toggled = QtCore.Signal(str, bool)    # a tick put or taken off by the person

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[tuple[str, str, bool]] = []
        self.folded: dict[str, str] = {}
        self.present: set[str] = set()
        self.shown: list[int] = []
        self.query = ""

    def set_members(self, items: Sequence[tuple[str, str, bool]],
                    present: Iterable[str] = ()) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.folded = {m: fold(name) for m, name, _g in self.items}
        self.present = set(present) & set(self.folded)
        self._filter()
        self.endResetModel()

    def add_member(self, member_id: str, name: str) -> None:
        """A member present who is not on the list (the plan is not for them)."""
        if member_id in self.folded:
            return
        self.beginResetModel()
        self.items.append((member_id, name, True))
        self.folded[member_id] = fold(name)
        self._filter()
        self.endResetModel()

    def has(self, member_id: str) -> bool:
        return member_id in self.folded

    def name_of(self, member_id: str) -> str:
        return next((n for m, n, _g in self.items if m == member_id), "")

    def set_query(self, text: str) -> None:
        self.beginResetModel()
        self.query = text
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self.shown = [i for i, (m, _n, _g) in enumerate(self.items)
                      if matches_words(self.query, self.folded[m], prefix_last=True)]

    def tick(self, member_id: str, on: bool = True) -> bool:
        """True when it changed."""
        if (member_id in self.present) == on:
            return False
        if on:
            self.present.add(member_id)
        else:
            self.present.discard(member_id)
        row = next((r for r, i in enumerate(self.shown) if self.items[i][0] == member_id), -1)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked.emit()
        return True

    def present_ids(self) -> tuple[str, ...]:
        """Ticked, in the list's order."""
        return tuple(m for m, _n, _g in self.items if m in self.present)

    def member_at(self, row: int) -> str:
        return self.items[self.shown[row]][0]

    def row_of(self, member_id: str) -> int:
        return next((r for r, i in enumerate(self.shown) if self.items[i][0] == member_id), -1)

    # --- Qt

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.shown)

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.shown):
            return None
        member_id, name, guest = self.items[self.shown[index.row()]]
        role = getattr(role, "value", role)
        if role == Qt.ItemDataRole.DisplayRole.value:
            return i18n.t("study_ui.guest", name=name) if guest else name
        if role == Qt.ItemDataRole.CheckStateRole.value:
            return (Qt.CheckState.Checked if member_id in self.present
                    else Qt.CheckState.Unchecked).value
        if role == Qt.ItemDataRole.AccessibleTextRole.value:
            return i18n.t("study_ui.roll_words", name=name, state=i18n.t(
                "study_ui.roll_present" if member_id in self.present else "study_ui.roll_absent"))
        return None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        member_id, on = self.member_at(index.row()), state == Qt.CheckState.Checked.value
        if self.tick(member_id, on):
            self.toggled.emit(member_id, on)
        return True
