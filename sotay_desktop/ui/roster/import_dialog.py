"""Preview of a roster import: every row with its result; import the valid rows only."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_desktop.documents.roster_headings import MAPPABLE_FIELDS
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.files import write_file_atomically
from sotay_desktop.services.roster_io import ImportPreview, RowCheck, rejected_report_xlsx
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.table_model import ListTableModel
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FieldError, error_text
from sotay_desktop.usecases import roster
from sotay_desktop.usecases.workspace import Workspace

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
    def __init__(self, workspace: Workspace, runner: TaskRunner, preview: ImportPreview,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.preview = preview
        self.imported = 0
        self.setWindowTitle(i18n.t("ui.import_title", name=preview.file_name))
        summary = self.summary = QtWidgets.QLabel(self)
        summary.setWordWrap(True)
        self.ignored = QtWidgets.QLabel(self)
        self.ignored.setWordWrap(True)
        self.skipped = QtWidgets.QLabel(self)   # totals, captions, signatures: not members
        self.skipped.setWordWrap(True)
        self.model = PreviewModel(self, rows=preview.rows)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.table.setAccessibleName(i18n.t("ui.col_result"))
        self.error = FieldError(self)
        self.import_button = QtWidgets.QPushButton(self)
        self.report_button = QtWidgets.QPushButton(i18n.t("ui.save_report"), self)
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
        layout.addWidget(self.ignored)
        layout.addLayout(self._mapping_row())
        layout.addWidget(self.skipped)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        resize_within_screen(self, 900, 560)
        self._show(preview)

    def _mapping_row(self) -> QtWidgets.QLayout:
        """Say by hand what an unrecognised column holds; the preview is read again."""
        self.map_column = QtWidgets.QComboBox(self)
        self.map_field = QtWidgets.QComboBox(self)
        self.map_field.addItem(i18n.t("ui.import_map_none"), "")
        for name in MAPPABLE_FIELDS:
            self.map_field.addItem(i18n.field_label(name), name)
        self.map_button = QtWidgets.QPushButton(i18n.t("ui.import_map_apply"), self)
        self.map_column.currentIndexChanged.connect(self._column_chosen)
        self.map_button.clicked.connect(self.apply_mapping)
        parts: list[QtWidgets.QWidget] = []   # long headings do not widen the dialog
        for text, combo in (("ui.import_map_column", self.map_column),
                            ("ui.import_map_field", self.map_field)):
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            label = QtWidgets.QLabel(i18n.t(text), self)
            label.setBuddy(combo)
            parts.append(labelled(label, combo, self))
        parts.append(self.map_button)
        return wrapped_rows(parts, min(900, screen_budget(self, 0.6)), spacing=8)

    def _show(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.model.set_rows(preview.rows)
        self.table.resizeRowsToContents()
        self.summary.setText(i18n.t("ui.import_summary", valid=len(preview.valid),
                                    rejected=len(preview.rejected)))
        self.ignored.setText(i18n.t("ui.import_ignored",
                                    columns=", ".join(preview.ignored_columns)))
        self.ignored.setVisible(bool(preview.ignored_columns))
        lines = [str(line) for line, _text in preview.skipped]
        shown = ", ".join(lines[:12]) + (", …" if len(lines) > 12 else "")
        self.skipped.setText(i18n.t("ui.import_skipped", count=len(lines), lines=shown))
        self.skipped.setVisible(bool(lines))
        self.import_button.setText(i18n.t("ui.import_do", count=len(preview.valid)))
        self.import_button.setEnabled(bool(preview.valid))
        self.report_button.setEnabled(bool(preview.rejected))
        columns = [c for c in preview.columns if c.heading]
        self.map_column.blockSignals(True)
        self.map_column.clear()
        for column in columns:
            self.map_column.addItem(column.heading.replace("\n", " "), column.index)
        unknown = next((i for i, c in enumerate(columns) if not c.fields), 0)
        self.map_column.setCurrentIndex(unknown if columns else -1)
        self.map_column.blockSignals(False)
        self._column_chosen()
        for widget in (self.map_column, self.map_field, self.map_button):
            widget.setEnabled(bool(columns) and bool(preview.path))

    def _column_chosen(self) -> None:
        index = self.map_column.currentData()
        column = next((c for c in self.preview.columns if c.index == index), None)
        current = column.fields[0] if column and len(column.fields) == 1 else ""
        found = self.map_field.findData(current or "")
        self.map_field.setCurrentIndex(max(found, 0))

    def apply_mapping(self) -> None:
        index = self.map_column.currentData()
        if index is None or not self.preview.path:
            return
        mapping = dict(self.preview.mapping)
        mapping[int(index)] = str(self.map_field.currentData() or "")
        workspace, path = self.workspace, Path(self.preview.path)
        self.map_button.setEnabled(False)
        self.runner.query(lambda: roster.preview_import(workspace, path, mapping), self._show,
                          self._failed)

    def do_import(self) -> None:
        self.import_button.setEnabled(False)
        workspace, preview = self.workspace, self.preview
        self.runner.op(lambda: roster.import_valid(workspace, preview), self._imported,
                       self._failed)

    def _imported(self, result: tuple[int, Changes]) -> None:
        self.imported = result[0]
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.import_button.setEnabled(bool(self.preview.valid))
        self.map_button.setEnabled(bool(self.preview.path))
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
