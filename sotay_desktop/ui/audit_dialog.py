"""Tệp → Nhật ký…: who viewed, changed, exported or printed what, newest first; export to CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import local_time
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import error_text
from sotay_desktop.usecases import audit_log

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace

COLUMNS = ("ui.audit_when", "ui.audit_who", "ui.audit_action", "ui.audit_what",
           "ui.audit_fields")


class AuditDialog(QtWidgets.QDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle(i18n.t("ui.audit_title"))
        resize_within_screen(self, 900, 500)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([i18n.t(c) for c in COLUMNS])
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = QtWidgets.QLabel(self)
        export = QtWidgets.QPushButton(i18n.t("ui.audit_export"), self)
        export.clicked.connect(self.export)
        close = QtWidgets.QPushButton(i18n.t("ui.close"), self)
        close.clicked.connect(self.accept)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(export)
        row.addWidget(close)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        runner.query(lambda: audit_log.audit_entries(workspace), self.show_entries,
                   lambda exc: self.message.setText(error_text(exc)))

    def show_entries(self, entries: list[Any]) -> None:
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            detail = (", ".join(i18n.field_label(f.strip()) for f in e.detail.split(","))
                      if e.action == "change" and e.detail else e.detail)
            values = (local_time(e.at), e.actor, i18n.t(f"audit.{e.action}"),
                      i18n.table_label(e.entity), detail)
            for c, value in enumerate(values):
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()

    def export(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, i18n.t("ui.audit_export").replace("&", ""), "nhat-ky-so-tay.csv", "CSV (*.csv)")
        if not name:
            return
        workspace = self.workspace
        self.runner.query(lambda: audit_log.export_audit(workspace, Path(name)),
                        lambda count: self.message.setText(
                            i18n.t("ui.exported", path=name) + f" ({count})"),
                        lambda exc: self.message.setText(error_text(exc)))
