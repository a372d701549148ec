"""Table models of the meetings screen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6 import QtCore

from sotay_core import i18n
from sotay_desktop.services.attendance import AttendanceLine
from sotay_desktop.services.meetings import MeetingSummary
from sotay_desktop.ui.table_model import ListTableModel

Qt = QtCore.Qt


class MeetingsModel(ListTableModel[MeetingSummary]):
    columns = ("date", "title", "present", "resolution")
    header_keys: ClassVar[Mapping[str, str]] = {"date": "ui.col_date", "title": "ui.col_title"}

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        m = self.rows[index.row()]
        column = self.column_name(index)
        if column == "date":
            return m.date.strftime("%d/%m/%Y")
        if column == "title":
            return m.title
        if column == "present":
            return f"{m.present}/{m.called}"
        status = i18n.t(f"ui.res_status.{m.resolution_status}") if m.resolution_status else ""
        return f"{m.resolution_number} {status}".strip()


class AttendanceModel(ListTableModel[AttendanceLine]):
    columns = ("name", "kind", "attendance", "reason")

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        line = self.rows[index.row()]
        column = self.column_name(index)
        if column == "name":
            return line.name
        if column == "kind":
            return i18n.t("status.official" if line.official else "status.probationary")
        if column == "attendance":
            from sotay_desktop.documents.party_docs import ATTENDANCE_WORDS

            return ATTENDANCE_WORDS[line.status] if line.status else i18n.t("ui.not_marked")
        return line.reason
