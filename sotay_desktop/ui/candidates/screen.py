"""The "Kết nạp đảng viên" screen (issue 20): the branch's candidates with their current step
and next deadline (overdue said in words), the selected one's record beside it (details,
sponsors, deadlines, every step, the dossier's checklist), and the acts: add a candidate,
record the next step (Enter on a row does it too), take the last step back, stop or resume,
the papers (6-KNĐ, 13-KNĐ, checklist) previewed and printed or saved, and the admission
figures. Reads through ``runner.query``, writes through ``runner.op``; reads again when a
broadcast ``Changes`` touches the candidates or the members."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.admission import CandidateStatus, Step
from sotay_desktop.services.candidates_view import AUTOMATIC, CandidateSummary, CandidateView
from sotay_desktop.services.changes import Changes
from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.candidates.candidate_dialog import CandidateDialog
from sotay_desktop.ui.candidates.models import CandidatesModel
from sotay_desktop.ui.candidates.panel import CandidatePanel, FittedTable
from sotay_desktop.ui.candidates.rules_dialog import RulesDialog
from sotay_desktop.ui.candidates.step_dialog import StepDialog
from sotay_desktop.ui.display import scrolling
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, confirm, error_text, plain
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace

TABLES = ("candidates", "candidate_steps", "members", "member_events")
PAPERS = ("proposal", "official", "checklist")
BUTTONS = ("add", "step", "undo", "stop", "print", "save", "rules")


class CandidatesScreen(QtWidgets.QWidget):
    rows_loaded = QtCore.Signal(list)
    candidate_shown = QtCore.Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.rows: list[CandidateSummary] = []
        self._wanted = ""          # the candidate to select once the list is read
        runner.operation_did_execute.connect(self.on_changes)
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for name in BUTTONS:
            button = QtWidgets.QPushButton(i18n.t(f"admission_app.button_{name}"), self)
            button.setAccessibleName(plain(f"admission_app.button_{name}"))
            self.buttons[name] = button
        self.paper = QtWidgets.QComboBox(self)
        for kind in PAPERS:
            self.paper.addItem(i18n.t(f"admission_app.paper_{kind}"), kind)
        self.paper.setAccessibleName(plain("admission_app.paper"))
        paper_label = QtWidgets.QLabel(i18n.t("admission_app.paper"), self)
        paper_label.setBuddy(self.paper)
        bar = wrapped_rows((self.buttons["add"], self.buttons["step"], self.buttons["undo"],
                            self.buttons["stop"], labelled(paper_label, self.paper, self),
                            self.buttons["print"], self.buttons["save"], self.buttons["rules"]),
                           screen_budget(self, 0.75))
        self.model = CandidatesModel(self)
        self.table = FittedTable(self, (0, 1, 2, 3), fixed=False)   # columns share, and wrap
        self.table.setModel(self.model)
        self.table.setAccessibleName(plain("admission_app.list"))
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.count = QtWidgets.QLabel(self)
        self.count.setWordWrap(True)
        self.panel = CandidatePanel(self)
        # side by side when the screen is wide for the type; at large type one above the other
        wide = screen_budget(self, 1.0) > 120 * self.fontMetrics().averageCharWidth()
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal if wide
                                       else QtCore.Qt.Orientation.Vertical, self)
        left = QtWidgets.QWidget(self)
        column = QtWidgets.QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addWidget(self.count)
        splitter.addWidget(left)
        splitter.addWidget(scrolling(self.panel, self))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        if not wide:      # a few rows of the list stay in view above the record
            self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
            # most of the height to the list (a row wraps to four lines at 200 % type);
            # a minimum instead would push the window past a 768-pixel screen
            splitter.setSizes([5000, 2000])
        self.status, self.note = FieldError(self), DoneNote(self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        self.setTabOrder(self.buttons["rules"], self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.load_current())
        self.table.activated.connect(lambda _i: self.record_step())
        for name, slot in (("add", self.add_candidate), ("step", self.record_step),
                           ("undo", self.undo_step), ("stop", self.stop_or_resume),
                           ("print", self.print_paper), ("save", lambda: self.save_paper()),
                           ("rules", self.edit_rules)):
            self.buttons[name].clicked.connect(slot)
        self._enable()

    # --- reading

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*TABLES):
            self.load()

    def load(self) -> None:
        ws = self.workspace
        self.runner.query(lambda: cases.candidates(ws), self.show_rows, self.status.show_exception)

    def show_rows(self, rows: list[CandidateSummary]) -> None:
        keep = self._wanted or (self.current().id if self.current() else "")
        self._wanted = ""
        self.rows = rows
        self.model.set_rows(rows)
        self.table.refit()
        overdue = sum(1 for r in rows if r.next_deadline and r.next_deadline.overdue)
        self.count.setText(i18n.t("admission_app.count", count=len(rows), overdue=overdue))
        row = next((i for i, r in enumerate(rows) if r.id == keep), 0 if rows else -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.load_current()
        else:
            self.panel.show_view(None)
        self._enable()
        self.rows_loaded.emit(rows)

    def current(self) -> CandidateSummary | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def select(self, candidate_id: str) -> None:
        row = next((i for i, r in enumerate(self.model.rows) if r.id == candidate_id), -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def load_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            self.panel.show_view(None)
            self._enable()
            return
        ws, candidate_id = self.workspace, chosen.id
        self.runner.query(lambda: cases.candidate(ws, candidate_id), self.show_view,
                          self.status.show_exception)

    def show_view(self, view: CandidateView) -> None:
        chosen = self.current()
        if chosen is not None and chosen.id != view.id:
            return          # an older answer, for a row no longer selected
        self.panel.show_view(view)
        self._enable()
        self.candidate_shown.emit(view)

    def _enable(self) -> None:
        view = self.panel.view
        active = view is not None and view.summary.status is not CandidateStatus.STOPPED
        self.buttons["step"].setEnabled(active and view is not None
                                        and view.summary.next_step is not None)
        self.buttons["undo"].setEnabled(view is not None and any(
            s.step not in AUTOMATIC for s in view.steps))
        self.buttons["stop"].setEnabled(view is not None and view.summary.status in (
            CandidateStatus.ACTIVE, CandidateStatus.STOPPED))
        if view is not None:
            stopped = view.summary.status is CandidateStatus.STOPPED
            self.buttons["stop"].setText(i18n.t(
                "admission_app.button_resume" if stopped else "admission_app.button_stop"))
        for name in ("print", "save"):
            self.buttons[name].setEnabled(view is not None)

    # --- writing

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        """Modal dialogs go through here, so tests can drive them without blocking."""
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def add_candidate(self) -> None:
        self.status.clear_message()
        dialog = CandidateDialog(self.workspace, self.runner, self)
        if self.run_dialog(dialog) and dialog.saved_id:
            self._wanted = dialog.saved_id
            self.load()
            self.note.show_message(i18n.t("admission_app.added_note",
                                          name=dialog.values().get("full_name", "")))

    def record_step(self) -> None:
        view = self.panel.view
        self.status.clear_message()
        if view is None or view.summary.next_step is None:
            self.status.show_message(i18n.t("admission_app.no_next_step"))
            return
        if view.summary.status is CandidateStatus.STOPPED:
            self.status.show_message(i18n.t("admission_app.closed_stopped", name=view.full_name))
            return
        step = view.summary.next_step
        dialog = StepDialog(self.workspace, self.runner, view, step, self)
        if self.run_dialog(dialog) and dialog.saved_id:
            label = i18n.t(f"admission_app.step_{step.value}")
            text = i18n.t("admission_app.recorded_note", name=view.full_name, step=label)
            if step is Step.CEREMONY:
                text += " " + i18n.t("admission_app.now_member", name=view.full_name)
            self.note.show_message(text)

    def undo_step(self) -> None:
        view = self.panel.view
        steps = [s for s in view.steps if s.step not in AUTOMATIC] if view else []
        if view is None or not steps:
            return
        last = steps[-1].step
        label = i18n.t(f"admission_app.step_{last.value}")
        words = i18n.t("admission_app.undo_confirm", name=view.full_name, step=label,
                       day=steps[-1].done_on.strftime("%d/%m/%Y"))
        if last in (Step.CEREMONY, Step.OFFICIAL_RESOLUTION):
            words += "\n" + i18n.t(f"admission_app.undo_confirm_{last.value}",
                                   name=view.full_name)
        if not confirm(self, plain("admission_app.button_undo"), words,
                       plain("admission_app.undo_verb")):
            return
        ws, cid = self.workspace, view.id
        self.runner.op(lambda: cases.undo_last_step(ws, cid, expected=last),
                       lambda _r: self.note.show_message(i18n.t(
                           "admission_app.undone_note", name=view.full_name, step=label)),
                       self.status.show_exception)

    def ask_reason(self) -> tuple[str, bool]:
        """The reason to stop (a modal input; tests replace it)."""
        return QtWidgets.QInputDialog.getText(self, plain("admission_app.button_stop"),
                                              i18n.t("admission_app.stop_reason"))

    def stop_or_resume(self) -> None:
        view = self.panel.view
        if view is None:
            return
        ws, cid = self.workspace, view.id
        if view.summary.status is CandidateStatus.STOPPED:
            self.runner.op(lambda: cases.resume(ws, cid), lambda _r: self.note.show_message(
                i18n.t("admission_app.resumed_note", name=view.full_name)),
                self.status.show_exception)
            return
        reason, chosen = self.ask_reason()
        if not chosen:
            return
        self.runner.op(lambda: cases.stop(ws, cid, reason), lambda _r: self.note.show_message(
            i18n.t("admission_app.stopped_note", name=view.full_name)),
            self.status.show_exception)

    def edit_rules(self) -> None:
        if self.run_dialog(RulesDialog(self.workspace, self.runner, self)):
            self.note.show_message(i18n.t("admission_app.rules_saved"))

    # --- papers

    def _kind(self) -> str:
        return str(self.paper.currentData())

    def print_paper(self) -> None:
        view, kind = self.panel.view, self._kind()
        if view is None:
            return
        ws, cid = self.workspace, view.id
        self.runner.query(lambda: cases.paper_bytes(ws, cid, kind),
                          lambda pdf: self._preview(pdf, cid, kind), self.status.show_exception)

    def _preview(self, pdf: bytes, candidate_id: str, kind: str) -> None:
        remembered = (self.settings.get("printer_name") if self.settings else "",
                      self.settings.get("paper") if self.settings else "A4")
        try:
            printing.preview_pdf(self, pdf, printer_name=remembered[0], paper=remembered[1])
        except (ValueError, OSError) as exc:
            self.status.show_message(error_text(exc))
            return
        ws = self.workspace
        self.runner.op(lambda: cases.paper_printed(ws, candidate_id, kind), None,
                       self.status.show_exception)

    def save_paper(self, target: Path | None = None) -> None:
        view, kind = self.panel.view, self._kind()
        if view is None:
            return
        if target is None:
            chosen, _ = QtWidgets.QFileDialog.getSaveFileName(
                self, plain("admission_app.button_save"), f"{kind}.pdf",
                i18n.t("admission_app.paper_filter"))
            if not chosen:
                return
            target = Path(chosen)
        ws, cid, path = self.workspace, view.id, target
        self.runner.query(lambda: cases.save_paper(ws, cid, kind, path), self._saved,
                          self.status.show_exception)

    def _saved(self, path: Any) -> None:
        self.note.show_message(i18n.t("ui.exported", path=str(path)))
