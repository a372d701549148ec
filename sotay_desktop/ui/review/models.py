"""The review screen's table and its words: one row for the branch's own self-grade, then
one per member in roster order (name, self-review, the branch meeting's points, proposed
grade, vote, the level above's decision); the counts per grade, the cap on "excellent" and
the members left out, as the screen shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.review import Grade, Proposal, Scheme, Tally, excellent_cap
from sotay_core.domain.review_sheet import CampaignView, ReviewSheet
from sotay_desktop.ui.table_model import ListTableModel

Qt = QtCore.Qt
ABBREVIATIONS = {Grade.EXCELLENT: "HTXSNV", Grade.GOOD: "HTTNV", Grade.FULFILLED: "HTNV",
                 Grade.NOT_FULFILLED: "KHTNV"}


def points_text(value: Decimal | None) -> str:
    """83,5 — points as a Vietnamese reader writes them; blank when not given."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def abbr(grade: Grade | None) -> str:
    return "" if grade is None else ABBREVIATIONS[grade]


def grade_words(grade: Grade | None) -> str:
    return "" if grade is None else i18n.t(f"review.grade.{grade.value}")


def day_text(day: dt.date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def vote_text(tally: Tally | None) -> str:
    """"85/87", or "kín 80/87" for a secret ballot: those for, of the voting base."""
    if tally is None:
        return ""
    shown = f"{tally.yes}/{tally.base}"
    return i18n.t("review_ui.vote_secret", votes=shown) if tally.secret else shown


def vote_words(tally: Tally | None) -> str:
    if tally is None:
        return i18n.t("review_ui.no_vote")
    key = "review_ui.vote_words_secret" if tally.secret else "review_ui.vote_words_open"
    return i18n.t(key, yes=tally.yes, base=tally.base, no=tally.no, abstain=tally.abstain,
                  invalid=tally.invalid)


def self_text(sheet: ReviewSheet) -> str:
    if sheet.self_points is not None:
        return f"{points_text(sheet.self_points)} · {abbr(sheet.self_grade)}"
    return i18n.t("review_ui.self_written") if sheet.self_text else ""


@dataclass(frozen=True, slots=True)
class Row:
    sheet: ReviewSheet
    branch: bool = False     # the branch's own self-grade


def rows_of(view: CampaignView) -> list[Row]:
    found = [Row(view.branch, True)] if view.branch is not None else []
    return found + [Row(sheet) for sheet in view.sheets]


def row_words(row: Row) -> str:
    """The row in a sentence, for its tooltip and a screen reader."""
    sheet = row.sheet
    return i18n.t("review_ui.row_words",
                  name=f"{i18n.t('review_ui.branch_row')} ({sheet.name})" if row.branch
                  else sheet.name,
                  self=self_text(sheet) or i18n.t("review_ui.nothing"),
                  points=points_text(sheet.points) or i18n.t("review_ui.nothing"),
                  grade=grade_words(sheet.grade) or i18n.t("review_ui.nothing"),
                  vote=vote_words(sheet.tally),
                  decided=grade_words(sheet.decided_grade) or i18n.t("review_ui.not_decided"),
                  decision=sheet.decision)


class ReviewModel(ListTableModel[Row]):
    """Read-only; Enter or a double-click on a row opens the proposal."""

    columns = ("name", "self", "points", "grade", "vote", "decided")
    header_keys: ClassVar[dict[str, str]] = {name: f"review_ui.col_{name}" for name in columns}

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._bold: QtGui.QFont | None = None

    def set_rows(self, rows: Sequence[Row]) -> None:
        self._bold = QtGui.QFont(QtWidgets.QApplication.font())
        self._bold.setBold(True)
        super().set_rows(rows)

    def cell(self, row: Row, column: str) -> str:
        sheet = row.sheet
        if column == "name":
            return i18n.t("review_ui.branch_row") if row.branch else sheet.name
        if column == "self":
            return self_text(sheet)
        if column == "points":
            return points_text(sheet.points)
        if column == "grade":
            return abbr(sheet.grade)
        if column == "vote":
            return vote_text(sheet.tally)
        return abbr(sheet.decided_grade)

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = getattr(role, "value", role)
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole.value:
            return self.cell(row, column)
        if role in (Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.AccessibleTextRole.value):
            return row_words(row)
        if role == Qt.ItemDataRole.FontRole.value and row.branch:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole.value and column != "name":
            return int((Qt.AlignmentFlag.AlignCenter).value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.rows):
                first = 1 if self.rows and self.rows[0].branch else 0
                return "" if section < first else str(section - first + 1)
            return None
        return super().headerData(section, orientation, role)


class LeftOutModel(ListTableModel[Any]):
    """Members on the roster the campaign does not grade (``review.LeftOut``), and why."""

    columns = ("name", "reason")
    header_keys: ClassVar[dict[str, str]] = {"name": "review_ui.col_name",
                                             "reason": "review_ui.col_reason"}

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.AccessibleTextRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.rows[index.row()]
        if self.columns[index.column()] == "name":
            return item.name
        return i18n.t(f"review_app.left_{item.reason.value}")


def left_out_text(left_out: Sequence[Any]) -> str:
    """How many are left out, per reason, in one line (the names are in their tab)."""
    if not left_out:
        return i18n.t("review_ui.left_out_none")
    reasons: dict[str, int] = {}
    for item in left_out:
        reasons[item.reason.value] = reasons.get(item.reason.value, 0) + 1
    return i18n.t("review_ui.left_out_text", count=len(left_out), reasons=", ".join(
        i18n.t(f"review_ui.left_short_{reason}", count=count)
        for reason, count in reasons.items()))


# --- the words under the table ---------------------------------------------------------


def counts_line(counts: dict[str, int]) -> str:
    return " · ".join(f"{ABBREVIATIONS[g]} {counts.get(g.value, 0)}" for g in Grade)


def cap_text(view: CampaignView) -> str:
    """The share of "excellent" against the cap the scheme sets (a setting, UNCONFIRMED)."""
    scheme: Scheme = view.scheme
    proposals = [Proposal(s.name, s.points or Decimal(0), s.grade)
                 for s in view.sheets if s.grade is not None]
    check = excellent_cap(proposals, scheme)
    if check.allowed is None:
        return i18n.t("review_ui.cap_none", proposed=check.proposed)
    words = i18n.t("review_ui.cap_text", proposed=check.proposed, allowed=check.allowed,
                   percent=scheme.conditions.excellent_cap_percent, base=check.base,
                   counted=i18n.t(f"review_ui.cap_base_"
                                  f"{scheme.conditions.excellent_cap_base.value}"))
    if check.over:
        return words + " " + i18n.t("review_ui.cap_over", count=len(check.over),
                                    names=", ".join(p.who for p in check.over))
    return words + " " + i18n.t("review_ui.cap_within")
