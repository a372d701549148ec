"""The study screen's tables: the plans (left), the members of the chosen plan in roster
order (with the make-up filter: those at no session yet) and its sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.study_view import MemberLine, PlanSummary, SessionLine
from sotay_desktop.ui.study.words import (
    day_text,
    due_words,
    kind_words,
    member_words,
    origin_words,
    plan_line,
    score_text,
    session_words,
)
from sotay_desktop.ui.table_model import ListTableModel

Qt = QtCore.Qt
CENTRED = int(Qt.AlignmentFlag.AlignCenter.value)


def _bold() -> QtGui.QFont:
    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setBold(True)
    return font


class PlansModel(ListTableModel[PlanSummary]):
    """The plans as the use case orders them, each in one cell of two lines: the title, then
    where it came from, the deadline in words, studied x/y and the quiz sheets entered (a
    long title wraps rather than pushing the figures out of a narrow list). Overdue plans
    in bold."""

    columns = ("plan",)
    header_keys: ClassVar[dict[str, str]] = {"plan": "study_ui.col_title"}

    def __init__(self, today: Callable[[], dt.date],
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.today = today

    def figures(self, plan: PlanSummary) -> str:
        """"cấp trên · còn 21 ngày · đã học 137/172 · 5 bài KT"."""
        due = due_words(plan.due_on, self.today(), overdue=plan.overdue,
                        done=plan.targeted > 0 and plan.not_studied == 0)
        return i18n.t("study_ui.plan_figures", origin=origin_words(plan.from_above), due=due,
                      studied=plan.studied, targeted=plan.targeted,
                      sheets=i18n.t("study_ui.plan_sheets", count=plan.quiz_sat)
                      if plan.has_quiz else i18n.t("study_ui.plan_no_quiz"))

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = getattr(role, "value", role)
        plan = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole.value:
            return f"{plan.title}\n{self.figures(plan)}"
        if role in (Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.AccessibleTextRole.value):
            return plan_line(plan, self.today())
        if role == Qt.ItemDataRole.FontRole.value and plan.overdue:
            return _bold()
        return None

    def row_of(self, plan_id: str) -> int:
        return next((i for i, p in enumerate(self.rows) if p.id == plan_id), -1)


class MembersModel(ListTableModel[MemberLine]):
    """The plan's members in roster order; ``makeup_only`` keeps the targeted members at no
    session (the make-up list)."""

    # what tells whether each studied comes first, so it stays in view at large type
    columns = ("name", "sessions", "score", "points", "status")
    header_keys: ClassVar[dict[str, str]] = {name: f"study_ui.col_{name}" for name in columns}

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.all_rows: list[MemberLine] = []
        self.makeup_only = False

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            return i18n.t(f"study_ui.col_{self.columns[section]}_tip")
        return super().headerData(section, orientation, role)

    def set_members(self, members: Sequence[MemberLine], makeup_only: bool) -> None:
        self.all_rows = list(members)
        self.makeup_only = makeup_only
        self.set_rows([m for m in self.all_rows
                       if not makeup_only or (m.targeted and not m.studied)])

    def cell(self, line: MemberLine, column: str) -> str:
        if column == "name":
            return line.name if line.targeted else i18n.t("study_ui.guest", name=line.name)
        if column == "status":
            return i18n.t(f"status.{line.status.value}")
        if column == "sessions":
            return str(len(line.sessions)) if line.sessions else i18n.t("study_ui.not_yet")
        if column == "score":
            return score_text(line.score)
        return str(line.points) if line.points else ""

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = getattr(role, "value", role)
        line, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole.value:
            return self.cell(line, column)
        if role in (Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.AccessibleTextRole.value):
            return member_words(line)
        if role == Qt.ItemDataRole.FontRole.value and line.targeted and not line.studied:
            return _bold()
        if role == Qt.ItemDataRole.TextAlignmentRole.value and column in ("sessions", "points"):
            return CENTRED
        return None


class SessionsModel(ListTableModel[SessionLine]):
    columns = ("day", "kind", "place", "present")
    header_keys: ClassVar[dict[str, str]] = {name: f"study_ui.col_{name}" for name in columns}

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = getattr(role, "value", role)
        line, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole.value:
            return {"day": day_text(line.held_on), "kind": kind_words(line.kind),
                    "place": line.place, "present": str(len(line.present))}[column]
        if role in (Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.AccessibleTextRole.value):
            return session_words(line)
        if role == Qt.ItemDataRole.TextAlignmentRole.value and column == "present":
            return CENTRED
        return None
