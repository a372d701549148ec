"""The review's papers: a member's self-review form, all the forms, the minutes of the review
meeting or the collective report, in normal or large type; previewed and printed, or saved
as PDF or DOCX. The names that sign, the place, the date and the report's number are
prefilled from the records (the meeting the campaign was held at) and may be changed.
The paper is made off the UI thread, with a busy bar meanwhile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.display import resize_within_screen, scrolling
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, add_field_row, error_text, plain
from sotay_desktop.usecases import review_papers
from sotay_desktop.usecases.workspace import Workspace

TEXT_FIELDS = ("place", "made_on", "number", "secretary", "chair", "recorder", "location",
               "starts_at", "ends_at")
FILE_NAMES = {"form": "phieu-kiem-diem-{name}-{year}", "forms": "phieu-kiem-diem-{year}",
              "minutes": "bien-ban-kiem-diem-{year}", "report": "bao-cao-kiem-diem-{year}"}


class PapersDialog(QtWidgets.QDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None,
                 year: int, quarter: int | None, member: tuple[str, str] | None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.year, self.quarter, self.member = year, quarter, member
        self.info: Any = None
        self.setWindowTitle(plain("review_ui.papers_title"))
        self.kind = QtWidgets.QComboBox(self)
        for kind in review_papers.KINDS:
            if kind == "form" and member is None:
                continue
            self.kind.addItem(i18n.t(f"review_ui.paper_{kind}", name=member[1] if member
                                     else ""), kind)
        self.large = QtWidgets.QCheckBox(i18n.t("review_ui.paper_large"), self)
        self.large.setAccessibleName(plain("review_ui.paper_large"))
        self.type_size = QtWidgets.QSpinBox(self)
        self.type_size.setRange(18, 24)
        self.type_size.setValue(20)
        self.type_size.setSuffix(" pt")
        self.type_size.setEnabled(False)
        self.large.toggled.connect(self.type_size.setEnabled)
        self.fields = {name: QtWidgets.QLineEdit(self) for name in TEXT_FIELDS}
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.errors = {"kind": add_field_row(form, self, i18n.t("review_ui.paper_kind"),
                                             self.kind, plain("review_ui.paper_kind"))}
        form.addRow(self.large)
        add_field_row(form, self, i18n.t("review_ui.paper_size"), self.type_size,
                      plain("review_ui.paper_size"))
        for name in TEXT_FIELDS:
            key = f"review_ui.paper_{name}"
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.fields[name],
                                              plain(key))
        self.attendance = QtWidgets.QLabel(self)
        self.attendance.setWordWrap(True)
        form.addRow(self.attendance)
        content = QtWidgets.QWidget(self)
        content.setLayout(form)
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setRange(0, 0)             # busy: a paper has no steps to count
        self.progress.setFormat(i18n.t("review_ui.paper_busy"))
        self.progress.setTextVisible(True)
        self.progress.setAccessibleName(plain("review_ui.paper_busy"))
        self.progress.hide()
        self.error, self.note = FieldError(self), DoneNote(self)
        buttons = QtWidgets.QDialogButtonBox(self)
        self.print_button = buttons.addButton(
            i18n.t("review_ui.paper_print"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(
            i18n.t("review_ui.paper_save"), QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(i18n.t("review_ui.close"),
                                  QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(plain("review_ui.close"))
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_paper)
        self.save_button.clicked.connect(lambda: self.save_paper())
        self.buttons = buttons
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scrolling(content, self), 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 80, metrics.lineSpacing() * 34)
        ws = workspace
        self._busy(True)
        runner.query(lambda: review_papers.paper_info(ws, year, quarter), self.show_info,
                     self._failed)

    # --- the names and dates, prefilled

    def show_info(self, info: Any) -> None:
        self._busy(False)
        self.info = info
        for name in TEXT_FIELDS:
            value = getattr(info, name)
            self.fields[name].setText(format_vn(value) if name == "made_on" else str(value))
        if info.members_total is None:
            self.attendance.setText(i18n.t("review_ui.paper_no_attendance"))
        else:
            absent = "; ".join(a.name + (f" ({a.reason})" if a.reason else "")
                               for a in info.absent) or i18n.t("review_ui.nothing")
            self.attendance.setText(i18n.t("review_ui.paper_attendance",
                                           total=info.members_total, present=info.present,
                                           absent=absent))

    def paper_info(self) -> Any:
        """What the fields say, over what the records gave; None when the date is bad."""
        import dataclasses

        values: dict[str, Any] = {name: self.fields[name].text().strip()
                                  for name in TEXT_FIELDS}
        try:
            values["made_on"] = parse_date(values["made_on"])
        except ValueError:
            self.errors["made_on"].show_message(i18n.t("review_ui.bad_date",
                                                       value=values["made_on"]))
            self.fields["made_on"].setFocus()
            return None
        return dataclasses.replace(self.info, **values)

    # --- making the paper

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.print_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.error.show_message(error_text(exc))

    def _options(self) -> dict[str, Any] | None:
        self.error.clear_message()
        self.note.clear_message()
        for error in self.errors.values():
            error.clear_message()
        if self.info is None:
            return None
        info = self.paper_info()
        if info is None:
            return None
        kind = self.kind.currentData()
        return {"kind": kind, "info": info, "large": self.large.isChecked(),
                "size": self.type_size.value(),
                "member_id": self.member[0] if kind == "form" and self.member else None}

    def print_paper(self) -> None:
        options = self._options()
        if options is None:
            return
        ws, year, quarter = self.workspace, self.year, self.quarter
        kind = options.pop("kind")
        self._busy(True)
        self.runner.query(lambda: review_papers.paper_bytes(ws, year, quarter, kind, "pdf",
                                                            **options),
                          lambda pdf: self._preview(pdf, kind), self._failed)

    def _preview(self, pdf: bytes, kind: str) -> None:
        self._busy(False)
        settings = self.settings
        try:
            printing.preview_pdf(self, pdf,
                                 printer_name=settings.get("printer_name") if settings else "")
        except (ValueError, OSError) as exc:
            self.error.show_message(error_text(exc))
            return
        ws, year, quarter = self.workspace, self.year, self.quarter
        self.runner.op(lambda: review_papers.paper_printed(ws, year, quarter, kind), None,
                       self._failed)

    def default_name(self, kind: str) -> str:
        from sotay_core.domain.text import fold

        name = "-".join(fold(self.member[1]).split()) if self.member else ""
        return FILE_NAMES[kind].format(name=name, year=self.year) + (
            f"-q{self.quarter}" if self.quarter else "") + ".pdf"

    def save_paper(self, target: Path | None = None) -> None:
        options = self._options()
        if options is None:
            return
        kind = options.pop("kind")
        if target is None:
            chosen, _ = QtWidgets.QFileDialog.getSaveFileName(
                self, plain("review_ui.paper_save"), self.default_name(kind),
                i18n.t("review_ui.paper_filter"))
            if not chosen:
                return
            target = Path(chosen)
        ws, year, quarter, where = self.workspace, self.year, self.quarter, target
        self._busy(True)
        self.runner.query(lambda: review_papers.save_paper(ws, year, quarter, kind, where,
                                                           **options),
                          self._saved, self._failed)

    def _saved(self, path: Path) -> None:
        self._busy(False)
        self.note.show_message(i18n.t("review_ui.paper_saved", path=str(path)))
