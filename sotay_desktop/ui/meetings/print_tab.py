"""Printing and saving a meeting's documents, and the large-type packet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.meeting_data import require_names
from sotay_desktop.documents.packet import SIZES
from sotay_desktop.services.papers import KINDS
from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.check_list import CheckListModel
from sotay_desktop.ui.display import scrolling
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FieldError, add_field_row, plain
from sotay_desktop.usecases import papers
from sotay_desktop.usecases.documents import search_documents
from sotay_desktop.usecases.meetings import MeetingSheet
from sotay_desktop.usecases.papers import PacketMade
from sotay_desktop.usecases.workspace import Workspace


class PrintTab(QtWidgets.QWidget):
    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.settings = settings
        self.sheet: MeetingSheet | None = None
        self.status = FieldError(self)
        grid = QtWidgets.QGridLayout()
        self.buttons: dict[tuple[str, str], QtWidgets.QPushButton] = {}
        for row, kind in enumerate(KINDS):
            grid.addWidget(QtWidgets.QLabel(i18n.t(f"ui.doc_{kind}"), self), row, 0)
            for column, (action, key) in enumerate((("print", "ui.preview_print"),
                                                     ("pdf", "ui.save_pdf"),
                                                     ("docx", "ui.save_docx")), start=1):
                button = QtWidgets.QPushButton(plain(key), self)   # repeated: no mnemonic
                button.setAccessibleName(f"{plain(key)} – {i18n.t(f'ui.doc_{kind}')}")
                button.clicked.connect(lambda _c=False, k=kind, a=action: self.act(k, a))
                grid.addWidget(button, row, column)
                self.buttons[(kind, action)] = button
        self.size = QtWidgets.QComboBox(self)
        for size in SIZES:
            self.size.addItem(f"{size} pt", size)
        self.size.setCurrentIndex(1)
        self.paper = QtWidgets.QComboBox(self)
        self.paper.addItem("A4", "a4")
        self.paper.addItem("A5", "a5")
        self.names = QtWidgets.QCheckBox(i18n.t("ui.packet_names"), self)
        self.documents = CheckListModel(self)
        self.document_list = QtWidgets.QListView(self)
        self.document_list.setModel(self.documents)
        self.document_list.setMinimumHeight(self.document_list.fontMetrics().lineSpacing() * 6)
        self.packet_button = QtWidgets.QPushButton(i18n.t("ui.packet_save"), self)
        packet = QtWidgets.QGroupBox(i18n.t("ui.packet"), self)
        form = QtWidgets.QFormLayout(packet)
        add_field_row(form, packet, i18n.t("ui.packet_size"), self.size, plain("ui.packet_size"))
        add_field_row(form, packet, i18n.t("ui.packet_paper"), self.paper,
                      plain("ui.packet_paper"))
        add_field_row(form, packet, i18n.t("ui.packet_documents"), self.document_list,
                      plain("ui.packet_documents"))
        form.addRow(self.names)
        form.addRow(self.packet_button)
        content = QtWidgets.QWidget(self)   # scrolls at large type
        layout = QtWidgets.QVBoxLayout(content)
        layout.addLayout(grid)
        layout.addWidget(packet)
        layout.addWidget(self.status)
        layout.addStretch(1)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content, self))
        self.packet_button.clicked.connect(self.save_packet)

    def show_sheet(self, sheet: MeetingSheet) -> None:
        self.sheet = sheet
        workspace = self.workspace
        self.runner.query(lambda: search_documents(workspace, ""), self._show_documents,
                          self.status.show_exception)
        has_resolution = sheet.data.resolution is not None
        for action in ("print", "pdf", "docx"):
            self.buttons[("resolution", action)].setEnabled(has_resolution)

    def _show_documents(self, hits: list[Any]) -> None:
        self.documents.set_items([
            (h.id, " – ".join(x for x in (h.number, h.title) if x)) for h in hits])

    def _ask_path(self, suffix: str, name: str) -> Path | None:
        key = "ui.pdf_filter" if suffix == "pdf" else "ui.docx_filter"
        chosen, _ = QtWidgets.QFileDialog.getSaveFileName(self, name, f"{name}.{suffix}",
                                                          i18n.t(key))
        return Path(chosen) if chosen else None

    def act(self, kind: str, action: str) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        self.status.clear_message()
        try:
            require_names(sheet.data)     # no paper with blank names is printed or saved
        except DomainError as exc:
            self.status.show_exception(exc)
            return
        ws = self.workspace
        if action == "print":
            # the very PDF "Lưu PDF" writes, made off the UI thread, drawn by PDFium
            self.runner.query(lambda: papers.meeting_paper(ws, sheet.meeting_id, kind, "pdf"),
                              lambda pdf: self._preview(kind, sheet, pdf),
                              self.status.show_exception)
            return
        target = self._ask_path(action, f"{kind}-{sheet.data.date.isoformat()}")
        if target is None:
            return
        self.runner.query(lambda: papers.save_meeting_paper(ws, sheet.meeting_id, kind,
                                                            action, target),
                          lambda _r: self.status.show_message(
                              i18n.t("ui.exported", path=str(target))),
                          self.status.show_exception)

    def _preview(self, kind: str, sheet: MeetingSheet, pdf: bytes) -> None:
        remembered = (self.settings.get("printer_name") if self.settings else "",
                      self.settings.get("paper") if self.settings else "A4")
        try:
            name, paper = printing.preview_pdf(self, pdf, printer_name=remembered[0],
                                               paper=remembered[1])
        except (ValueError, OSError) as exc:
            self.status.show_exception(exc)
            return
        workspace = self.workspace
        self.runner.op(lambda: papers.paper_printed(workspace, sheet.meeting_id, kind),
                       None, self.status.show_exception)
        if self.settings is not None:
            self.settings.set("printer_name", name)
            self.settings.set("paper", paper)
            self.settings.save()

    def save_packet(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        target = self._ask_path("pdf", f"tai-lieu-chu-to-{sheet.data.date.isoformat()}")
        if target is None:
            return
        workspace, size, paper = self.workspace, self.size.currentData(), self.paper.currentData()
        members = "all" if self.names.isChecked() else ""
        documents = self.documents.checked_ids()
        self.packet_button.setEnabled(False)

        def done(made: PacketMade) -> None:
            self.packet_button.setEnabled(True)
            self.status.show_message(i18n.t("ui.exported", path=str(made.path)))

        def failed(exc: Exception) -> None:
            self.packet_button.setEnabled(True)
            self.status.show_exception(exc)

        self.runner.query(lambda: papers.packet(workspace, sheet.meeting_id, target,
                                                members=members, document_ids=documents,
                                                font_size=size, paper=paper), done, failed)
