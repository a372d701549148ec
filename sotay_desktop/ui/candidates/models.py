"""The candidates' list (name, born, status, last step, next step, next deadline in words),
one candidate's steps in the path's order (done or not yet), and the dossier's checklist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.admission import STEPS, Step
from sotay_desktop.services.candidates_view import (
    AUTOMATIC,
    CandidateSummary,
    CandidateView,
    ChecklistItem,
    StepRecord,
    deadline_text,
)
from sotay_desktop.ui.table_model import ListTableModel

Qt = QtCore.Qt
TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
              Qt.ItemDataRole.ToolTipRole)


def day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def step_label(step: Step | None) -> str:
    return i18n.t(f"admission_app.step_{step.value}") if step else "—"


def _bold() -> QtGui.QFont:
    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setBold(True)
    return font


class CandidatesModel(ListTableModel[CandidateSummary]):
    columns = ("name", "status", "next", "deadline")
    header_keys: ClassVar[Mapping[str, str]] = {
        name: f"admission_app.col_{name}" for name in columns}

    def text(self, row: CandidateSummary, column: str) -> str:
        if column == "name":
            return row.full_name
        if column == "born":
            return day(row.date_of_birth)
        if column == "status":
            return i18n.t(f"admission_app.status_{row.status.value}")
        if column == "last":
            return (f"{step_label(row.last_step)} ({day(row.last_on)})"
                    if row.last_step else "—")
        if column == "next":
            return step_label(row.next_step) if row.next_step else "—"
        return deadline_text(row.next_deadline) if row.next_deadline else ""

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and column == "name":
            return i18n.t("admission_app.name_tip", born=day(row.date_of_birth) or "—",
                          last=self.text(row, "last"))
        if role in TEXT_ROLES:
            return self.text(row, column)
        if role == Qt.ItemDataRole.FontRole and column == "deadline" and \
                row.next_deadline is not None and row.next_deadline.overdue:
            return _bold()
        return None


class StepsModel(ListTableModel[tuple[Step, StepRecord | None]]):
    """Every step of the path, in order, and what is recorded of it (day, number, issuer,
    vote on lines of their own), or "chưa"."""

    columns = ("step", "record")
    header_keys: ClassVar[Mapping[str, str]] = {
        name: f"admission_app.col_step_{name}" for name in columns}

    def set_view(self, view: CandidateView | None) -> None:
        done = {s.step: s for s in view.steps} if view else {}
        self.set_rows([(step, done.get(step)) for step in STEPS
                       if step not in AUTOMATIC] if view else [])

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        step, taken = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and taken is None:
            return QtWidgets.QApplication.palette().brush(
                QtGui.QPalette.ColorGroup.Disabled, QtGui.QPalette.ColorRole.Text)
        if role not in TEXT_ROLES:
            return None
        if column == "step":
            return step_label(step)
        if taken is None:
            return i18n.t("admission_app.not_yet")
        lines = [day(taken.done_on)]
        if taken.number:
            lines[0] += " — " + i18n.t("admission_app.number_text", number=taken.number)
        if taken.issuer:
            lines.append(taken.issuer)
        if taken.votes_for is not None:
            lines.append(i18n.t("admission_app.votes_text", yes=taken.votes_for,
                                no=taken.votes_against or 0, base=taken.voting_base or 0))
        return "\n".join(lines)


class ChecklistModel(ListTableModel[ChecklistItem]):
    columns = ("form", "paper", "state")
    header_keys: ClassVar[Mapping[str, str]] = {
        name: f"admission_app.col_check_{name}" for name in columns}

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.FontRole and column == "state" and not item.is_done:
            return _bold()
        if role not in TEXT_ROLES:
            return None
        if column == "form":
            return item.form.code or "–"
        if column == "paper":
            return i18n.t(f"admission_app.form_{item.form.key}")
        if item.done is None:
            return "✗ " + i18n.t("admission_app.missing")
        return "✓ " + i18n.t("admission_app.done_on", day=day(item.done.done_on))
