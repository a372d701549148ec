"""The study plan's papers (issue 21, ``usecases.study_papers``): the members' study cards
with their code, the quiz sheets (with blank ones) and the answer key, a session's sign-in
sheet, the make-up list, the results (the branch's copy with names, or counts only for the
level above) and the survey form; in normal or large type (18–24 pt). Previewed and printed,
or saved as PDF or DOCX; made off the UI thread with a busy bar meanwhile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.study_view import PlanView
from sotay_core.domain.text import fold
from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.display import resize_within_screen, scrolling
from sotay_desktop.ui.study.words import day_text, kind_words
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, add_field_row, error_text, plain
from sotay_desktop.usecases import study_papers
from sotay_desktop.usecases.workspace import Workspace

# which options each paper takes
USES = {"cards": {"who"}, "sheets": {"who", "blank", "size"}, "key": {"large", "size"},
        "attendance": {"session", "size"}, "makeup": {"large", "size"},
        "results": {"named", "large", "size"}, "survey": {"copies", "size"}}


class PapersDialog(QtWidgets.QDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None,
                 view: PlanView, member: tuple[str, str] | None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.view, self.member = view, member
        self.setWindowTitle(i18n.t("study_ui.papers_title", plan=view.plan.title))
        self.kind = QtWidgets.QComboBox(self)
        for kind in study_papers.KINDS:
            if kind in ("sheets", "key") and view.plan.quiz is None:
                continue
            if kind == "survey" and view.plan.survey is None:
                continue
            self.kind.addItem(i18n.t(f"study_ui.paper_{kind}"), kind)
        self.who = QtWidgets.QComboBox(self)
        self.who.addItem(i18n.t("study_ui.paper_everyone"), None)
        if member is not None:
            self.who.addItem(i18n.t("study_ui.paper_only", name=member[1]), member[0])
        self.blank = QtWidgets.QSpinBox(self)
        self.blank.setRange(0, 50)
        self.session = QtWidgets.QComboBox(self)
        for line in sorted(view.sessions, key=lambda s: s.held_on, reverse=True):
            self.session.addItem(f"{kind_words(line.kind)} {day_text(line.held_on)}", line.id)
        self.session.addItem(i18n.t("study_ui.paper_new_session"), None)
        self.named = QtWidgets.QCheckBox(i18n.t("study_ui.paper_named"), self)
        self.named.setChecked(True)
        self.copies = QtWidgets.QSpinBox(self)
        self.copies.setRange(1, 200)
        self.copies.setValue(max(1, len(view.progress.targeted)))
        self.large = QtWidgets.QCheckBox(i18n.t("study_ui.paper_large"), self)
        self.size = QtWidgets.QSpinBox(self)
        self.size.setRange(18, 24)
        self.size.setValue(20)
        self.size.setSuffix(" pt")
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form = form
        self.rows: dict[str, int] = {}
        self.row_errors: list[FieldError] = []
        add_field_row(form, self, i18n.t("study_ui.paper_kind"), self.kind,
                      plain("study_ui.paper_kind"))
        for name, editor in (("who", self.who), ("blank", self.blank),
                             ("session", self.session), ("copies", self.copies),
                             ("size", self.size)):
            key = f"study_ui.paper_{name}_label"
            self.row_errors.append(add_field_row(form, self, i18n.t(key), editor, plain(key)))
            self.rows[name] = form.rowCount() - 1
        for name, box in (("named", self.named), ("large", self.large)):
            form.addRow(box)
            box.setAccessibleName(box.text().replace("&", ""))
            self.rows[name] = form.rowCount() - 1
        content = QtWidgets.QWidget(self)
        column = QtWidgets.QVBoxLayout(content)
        column.addLayout(form)
        column.addStretch(1)          # the rows keep their height; the room goes below
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setFormat(i18n.t("study_ui.paper_busy"))
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.error, self.note = FieldError(self), DoneNote(self)
        buttons = QtWidgets.QDialogButtonBox(self)
        self.print_button = buttons.addButton(i18n.t("study_ui.paper_print"),
                                              QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(i18n.t("study_ui.paper_save"),
                                             QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(i18n.t("study_ui.close"),
                                  QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(plain("study_ui.close"))
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_paper)
        self.save_button.clicked.connect(lambda: self.save_paper())
        self.buttons = buttons
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scrolling(content, self), 1)
        for widget in (self.progress, self.error, self.note, buttons):
            layout.addWidget(widget)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self._kind_chosen()
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 72, metrics.lineSpacing() * 16)

    def _kind_chosen(self, *_args: Any) -> None:
        uses = USES.get(self.kind.currentData(), set())
        for name, row in self.rows.items():
            self.form.setRowVisible(row, name in uses)
        for error in self.row_errors:      # setRowVisible shows a row's empty error line too
            error.setVisible(bool(error.text()))

    def options(self) -> study_papers.Options:
        kind = self.kind.currentData()
        who = self.who.currentData() if kind in ("cards", "sheets") else None
        session_id = self.session.currentData() if kind == "attendance" else None
        return study_papers.Options(
            size=self.size.value(), large=self.large.isChecked(),
            member_ids=(who,) if who else None, blank=self.blank.value(),
            session_id=session_id, held_on=None if session_id else self.workspace.today(),
            named=self.named.isChecked(), copies=self.copies.value())

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.print_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.error.show_message(error_text(exc))

    def print_paper(self) -> None:
        self.error.clear_message()
        self.note.clear_message()
        ws, plan_id, kind, options = self.workspace, self.view.plan.id, \
            self.kind.currentData(), self.options()
        self._busy(True)
        self.runner.query(lambda: study_papers.paper_bytes(ws, plan_id, kind, "pdf", options),
                          lambda pdf: self._preview(pdf, kind), self._failed)

    def _preview(self, pdf: bytes, kind: str) -> None:
        self._busy(False)
        printer = self.settings.get("printer_name") if self.settings else ""
        try:
            printing.preview_pdf(self, pdf, printer_name=printer)
        except (ValueError, OSError) as exc:
            self.error.show_message(error_text(exc))
            return
        ws, plan_id = self.workspace, self.view.plan.id
        self.runner.op(lambda: study_papers.paper_printed(ws, plan_id, kind), None,
                       self._failed)

    def default_name(self, kind: str) -> str:
        title = "-".join(fold(self.view.plan.title).split()[:6])
        return f"{i18n.t(f'study_ui.paper_file_{kind}')}-{title}.pdf"

    def save_paper(self, target: Path | None = None) -> None:
        self.error.clear_message()
        self.note.clear_message()
        kind = self.kind.currentData()
        if target is None:
            chosen, _ = QtWidgets.QFileDialog.getSaveFileName(
                self, plain("study_ui.paper_save"), self.default_name(kind),
                i18n.t("study_ui.paper_filter"))
            if not chosen:
                return
            target = Path(chosen)
        ws, plan_id, options, where = self.workspace, self.view.plan.id, self.options(), target
        self._busy(True)
        self.runner.query(lambda: study_papers.save_paper(ws, plan_id, kind, where, options),
                          self._saved, self._failed)

    def _saved(self, path: Path) -> None:
        self._busy(False)
        self.note.show_message(i18n.t("study_ui.paper_saved", path=str(path)))
