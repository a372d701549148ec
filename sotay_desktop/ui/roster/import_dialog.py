"""Preview of a roster import: every row with its result; import the valid rows only."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from PySide6 import QtCore, QtWidgets

from sotay_desktop import i18n
from sotay_desktop.services.files import write_file_atomically
from sotay_desktop.services.roster_io import ImportPreview, RowCheck, rejected_report_xlsx
from sotay_desktop.services.store import BranchStore
from sotay_desktop.ui.table_model import ListTableModel
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FieldError, error_text

Qt = QtCore.Qt
COLUMNS = ("line", "name", "result")


class PreviewModel(ListTableModel[RowCheck]):
    columns = COLUMNS
    header_keys: ClassVar[Mapping[str, str]] = {
        "line": "ui.col_line", "name": "ui.col_name", "result": "ui.col_result"}

    def data(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "line":
                return str(row.line)
            if column == "name":
                return row.full_name
            return i18n.t("ui.row_ok") if row.ok else "\n".join(row.errors)
        if role == Qt.ItemDataRole.FontRole and not row.ok and column == "result":
            font = QtWidgets.QApplication.font()
            font.setBold(True)
            return font
        return None


class ImportDialog(QtWidgets.QDialog):
    def __init__(self, store: BranchStore, runner: TaskRunner, preview: ImportPreview,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.preview = preview
        self.imported = 0
        self.setWindowTitle(i18n.t("ui.import_title", name=preview.file_name))
        summary = QtWidgets.QLabel(i18n.t("ui.import_summary", valid=len(preview.valid),
                                          rejected=len(preview.rejected)), self)
        summary.setWordWrap(True)
        self.model = PreviewModel(self, rows=preview.rows)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.table.setAccessibleName(i18n.t("ui.col_result"))
        self.error = FieldError(self)
        self.import_button = QtWidgets.QPushButton(
            i18n.t("ui.import_do", count=len(preview.valid)), self)
        self.import_button.setEnabled(bool(preview.valid))
        self.report_button = QtWidgets.QPushButton(i18n.t("ui.save_report"), self)
        self.report_button.setEnabled(bool(preview.rejected))
        cancel = QtWidgets.QPushButton(i18n.t("ui.cancel"), self)
        cancel.clicked.connect(self.reject)
        self.import_button.clicked.connect(self.do_import)
        self.report_button.clicked.connect(self.save_report)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(cancel)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(summary)
        if preview.ignored_columns:
            layout.addWidget(QtWidgets.QLabel(i18n.t(
                "ui.import_ignored", columns=", ".join(preview.ignored_columns)), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(900, 560)

    def do_import(self) -> None:
        self.import_button.setEnabled(False)
        store, preview = self.store, self.preview
        self.runner.op(lambda: store.import_valid(preview), self._imported, self._failed)

    def _imported(self, count: int) -> None:
        self.imported = count
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.import_button.setEnabled(True)
        self.error.show_message(error_text(exc))

    def save_report(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, i18n.t("ui.save_report").replace("&", ""),
            f"{Path(self.preview.file_name).stem}-dong-loi.xlsx", i18n.t("ui.xlsx_filter"))
        if name:
            try:
                write_file_atomically(Path(name), rejected_report_xlsx(self.preview))
            except OSError as exc:
                self.error.show_message(error_text(exc))
