"""The dues grid: one row per member (roster order, the name as the row's header), the 12
months, the year's total and the 2/3-unpaid-month flag; and the list of dated rate
versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.dues import Month, PaymentChannel, RateVersion, UnpaidFlag
from sotay_core.domain.dues_book import BookCell, BookLine, DuesBook
from sotay_desktop.documents.dues_paper import Mark, mark
from sotay_desktop.documents.vn_money import vnd
from sotay_desktop.ui.table_model import ROOT, ListTableModel

Qt = QtCore.Qt
# The member's name is the row's header, so it stays in view when the months scroll.
FIRST_MONTH, TOTAL, FLAG = 0, 12, 13
COLUMNS = 14


def money(amount: int) -> str:
    return vnd(amount)


def cell_text(line: BookLine, cell: BookCell) -> str:
    """Paid: the amount ("30.000", "· ĐT" on the portal); owed and late: the due in
    brackets; exempt: "miễn"; a month to come: the due, greyed."""
    kind = mark(line, cell)
    if kind is Mark.PAID:
        assert cell.payment is not None
        portal = cell.payment.channel is PaymentChannel.PORTAL
        return money(cell.paid) + (i18n.t("dues_ui.portal_mark") if portal else "")
    if kind is Mark.EXEMPT:
        return i18n.t("dues_ui.exempt")
    if kind is Mark.UNPAID:
        return f"({money(cell.due)})"
    if kind is Mark.BLANK and cell.due:
        return money(cell.due)
    return ""


def cell_words(line: BookLine, cell: BookCell) -> str:
    """The cell in a sentence, for the tooltip and a screen reader."""
    month = str(cell.month)
    kind = mark(line, cell)
    if kind is Mark.PAID:
        assert cell.payment is not None
        return i18n.t("dues_ui.cell_paid", name=line.name, month=month,
                      amount=money(cell.paid), due=money(cell.due),
                      channel=i18n.t(f"dues_ui.channel_{cell.payment.channel.value}"),
                      date=cell.payment.paid_on.strftime("%d/%m/%Y"))
    if kind is Mark.EXEMPT:
        return i18n.t("dues_ui.cell_exempt", name=line.name, month=month)
    if kind is Mark.UNPAID:
        return i18n.t("dues_ui.cell_unpaid", name=line.name, month=month, due=money(cell.due))
    if kind is Mark.OUTSIDE:
        return i18n.t("dues_ui.cell_outside", name=line.name, month=month)
    return i18n.t("dues_ui.cell_to_come", name=line.name, month=month, due=money(cell.due))


def flag_text(line: BookLine) -> str:
    if line.flag is None:
        return ""
    return i18n.t(f"dues_ui.flag_{line.flag.value}", count=len(line.unpaid))


DISPLAY, TOOLTIP, ACCESSIBLE = (Qt.ItemDataRole.DisplayRole.value,
                                 Qt.ItemDataRole.ToolTipRole.value,
                                 Qt.ItemDataRole.AccessibleTextRole.value)
ALIGNMENT, FOREGROUND, FONT = (Qt.ItemDataRole.TextAlignmentRole.value,
                               Qt.ItemDataRole.ForegroundRole.value,
                               Qt.ItemDataRole.FontRole.value)
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
DIM = frozenset({Mark.BLANK, Mark.OUTSIDE, Mark.EXEMPT})


class DuesGridModel(QtCore.QAbstractTableModel):
    """Read-only; the screen opens the payment dialog on a month cell. Each cell's text and
    mark are worked out once per book (``set_book``), so a paint asks only for lists."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.book: DuesBook | None = None
        self.lines: tuple[BookLine, ...] = ()
        self._texts: list[list[str]] = []
        self._marks: list[list[Mark]] = []
        self._dim: QtGui.QBrush | None = None
        self._bold: QtGui.QFont | None = None

    def set_book(self, book: DuesBook) -> None:
        self.beginResetModel()
        self.book, self.lines = book, book.lines
        self._texts, self._marks = [], []
        for line in book.lines:
            marks = [mark(line, cell) for cell in line.cells]
            self._marks.append(marks)
            self._texts.append([*(cell_text(line, cell) for cell in line.cells),
                                money(line.paid_total), flag_text(line)])
        self._dim = QtWidgets.QApplication.palette().brush(
            QtGui.QPalette.ColorGroup.Disabled, QtGui.QPalette.ColorRole.Text)
        self._bold = QtGui.QFont(QtWidgets.QApplication.font())
        self._bold.setBold(True)
        self.endResetModel()

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex
                    = ROOT) -> int:
        return 0 if parent.isValid() else COLUMNS

    def month_of(self, column: int) -> Month | None:
        if self.book is None or not FIRST_MONTH <= column < TOTAL:
            return None
        return Month(self.book.year, column - FIRST_MONTH + 1)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.lines):
            line = self.lines[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{section + 1}. {line.name}" + (" *" if line.no_basis else "")
            if role == Qt.ItemDataRole.ToolTipRole and line.no_basis:
                return i18n.t("dues_ui.no_basis", name=line.name)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
            return None
        if role != Qt.ItemDataRole.DisplayRole or orientation == Qt.Orientation.Vertical:
            return None
        if section == TOTAL:
            return i18n.t("dues_ui.col_total")
        if section == FLAG:
            return i18n.t("dues_ui.col_flag")
        return i18n.t("dues_ui.col_month", month=section - FIRST_MONTH + 1)

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = getattr(role, "value", role)
        row, column = index.row(), index.column()
        if role == DISPLAY:
            return self._texts[row][column]
        is_month = FIRST_MONTH <= column < TOTAL
        if role == ALIGNMENT:
            return RIGHT
        if role == FOREGROUND:
            return self._dim if is_month and self._marks[row][column] in DIM else None
        if role == FONT:
            if (is_month and self._marks[row][column] is Mark.UNPAID) or (
                    column == FLAG and self.lines[row].flag is UnpaidFlag.STRIKE_OFF):
                return self._bold
            return None
        if role in (TOOLTIP, ACCESSIBLE):
            line = self.lines[row]
            if is_month:
                return cell_words(line, line.cells[column - FIRST_MONTH])
            if column == TOTAL:
                return i18n.t("dues_ui.total_words", name=line.name,
                              amount=money(line.paid_total))
        return None


class RatesModel(ListTableModel[RateVersion]):
    columns = ("valid_from", "name", "salary", "pension", "student", "other", "retention")
    header_keys: ClassVar[Mapping[str, str]] = {name: f"dues_ui.rate_{name}"
                                                for name in columns}

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        rate = self.rows[index.row()]
        return {
            "valid_from": rate.valid_from.strftime("%d/%m/%Y"),
            "name": rate.name,
            "salary": f"{rate.salary_percent} %",
            "pension": f"{rate.pension_percent} %",
            "student": money(rate.student_amount),
            "other": f"{money(rate.other_default)} ({money(rate.other_min)}–"
                     f"{money(rate.other_max)})",
            "retention": f"{rate.retention_percent} %",
        }[self.columns[index.column()]]
