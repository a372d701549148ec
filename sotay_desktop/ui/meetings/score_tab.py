"""The score tab of the meetings screen (issue 19): the meeting's score sheet ("chấm điểm
chất lượng sinh hoạt chi bộ"). Attendance, length and speakers are filled from the records;
the secretary scores the rest; total and grade follow as they type, and the sheet is saved
as the meeting's score (printed in the minutes). The scheme is a setting: "Bộ tiêu chí…"
edits it as JSON (checked before it is kept) or puts the default back.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.meeting_score import Source, scheme_to_json, score
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.meeting_scores import ScoreForm
from sotay_desktop.ui.display import scrolling
from sotay_desktop.ui.meetings.tab_base import text_edit
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import (
    DoneNote,
    FieldError,
    FormDialog,
    add_field_row,
    clock_time,
    plain,
)
from sotay_desktop.usecases import meeting_scores
from sotay_desktop.usecases.meetings import MeetingSheet
from sotay_desktop.usecases.workspace import Workspace

MEASURE_KEYS = {Source.ATTENDANCE: "ui.score.measure_attendance",
                Source.LENGTH: "ui.score.measure_length",
                Source.SPEAKERS: "ui.score.measure_speakers"}


class SchemeDialog(FormDialog):
    """The scheme as JSON; "Mặc định" puts the default back."""

    def __init__(self, workspace: Workspace, runner: TaskRunner, text: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.setWindowTitle(plain("ui.score.scheme_title"))
        self.text = text_edit(self, 18)
        self.text.setPlainText(text)
        form = QtWidgets.QFormLayout()
        self.errors["scheme"] = add_field_row(form, self, i18n.t("ui.score.scheme_json"),
                                              self.text, plain("ui.score.scheme_json"))
        self.lay_out(form)
        self.default_button = QtWidgets.QPushButton(i18n.t("ui.score.scheme_default"), self)
        self.layout().addWidget(self.default_button)
        self.default_button.clicked.connect(self.reset)

    def save(self) -> None:
        self.clear_errors()
        workspace, text = self.workspace, self.text.toPlainText()
        self.submit(self.runner, lambda: ("", meeting_scores.set_scheme(workspace, text)))

    def reset(self) -> None:
        self.clear_errors()
        workspace = self.workspace
        self.submit(self.runner, lambda: ("", meeting_scores.set_scheme(workspace, None)))


class ScoreTab(QtWidgets.QWidget):
    form_shown = QtCore.Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self.form: ScoreForm | None = None
        self.meeting_id = ""
        self.spins: dict[str, QtWidgets.QSpinBox] = {}
        self.heading = QtWidgets.QLabel(self)
        self.heading.setWordWrap(True)
        self.criteria = QtWidgets.QFormLayout()
        # Long criteria put their field under the label, so large type never hides it.
        self.criteria.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.total = QtWidgets.QLabel(self)
        font = self.total.font()
        font.setBold(True)
        self.total.setFont(font)
        self.note = text_edit(self, 2)
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 5 + 12)
        self.save_button = QtWidgets.QPushButton(i18n.t("ui.score.save"), self)
        self.scheme_button = QtWidgets.QPushButton(i18n.t("ui.score.scheme"), self)
        self.error = FieldError(self)
        self.done_note = DoneNote(self)
        content = QtWidgets.QWidget(self)
        layout = QtWidgets.QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addLayout(self.criteria)
        layout.addWidget(self.total)
        note_form = QtWidgets.QFormLayout()
        add_field_row(note_form, content, i18n.t("ui.score.note"), self.note,
                      plain("ui.score.note"))
        layout.addLayout(note_form)
        layout.addWidget(self.error)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.scheme_button)
        buttons.addWidget(self.done_note, 1)
        buttons.addStretch(1)   # the buttons keep their size while the note is hidden
        layout.addLayout(buttons)
        layout.addStretch(1)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content, self))
        self.save_button.clicked.connect(self.save)
        self.scheme_button.clicked.connect(self.edit_scheme)
        runner.operation_did_execute.connect(self.on_changes)

    def show_sheet(self, sheet: MeetingSheet) -> None:
        if sheet.meeting_id != self.meeting_id:
            self.done_note.clear_message()
        self.meeting_id = sheet.meeting_id
        self.load()

    def on_changes(self, changes: Changes) -> None:
        """A score, the scheme, attendance or minutes changed: read the sheet again."""
        if self.meeting_id and (changes.touches("meeting_scores") or changes.meetings):
            self.load()

    def load(self) -> None:
        workspace, meeting_id = self.workspace, self.meeting_id
        self.runner.query(lambda: meeting_scores.score_form(workspace, meeting_id),
                          self.show_form, self.error.show_exception)

    def show_form(self, form: ScoreForm) -> None:
        if form.meeting_id != self.meeting_id:
            return
        self.form = form
        while self.criteria.rowCount():
            self.criteria.removeRow(0)
        self.spins = {}
        self.heading.setText(i18n.t("ui.score.heading", scheme=form.scheme.name) + (
            "" if form.saved else "\n" + i18n.t("ui.score.not_saved")))
        for criterion, item in zip(form.scheme.criteria, form.sheet.items, strict=True):
            label = f"{criterion.label} ({criterion.max_points})"
            if criterion.source is Source.MANUAL:
                spin = QtWidgets.QSpinBox(self)
                spin.setRange(0, criterion.max_points)
                spin.setValue(form.manual.get(criterion.code, 0))
                spin.setSuffix(f" / {criterion.max_points}")
                spin.valueChanged.connect(self._recount)
                self.spins[criterion.code] = spin
                add_field_row(self.criteria, self, label, spin, criterion.label)
            else:
                measure = (i18n.t(MEASURE_KEYS[criterion.source], value=item.measure)
                           if item.measure is not None else i18n.t("ui.score.no_measure"))
                if criterion.source is Source.ATTENDANCE and criterion.penalty \
                        and form.facts.unexcused:   # why 88 % present is not full marks
                    measure += "; " + i18n.t("ui.score.unexcused", count=form.facts.unexcused,
                                             penalty=criterion.penalty)
                shown = QtWidgets.QLabel(f"{item.points} / {item.max_points} — {measure}", self)
                shown.setWordWrap(True)
                add_field_row(self.criteria, self, label, shown, criterion.label)
        for row in range(self.criteria.rowCount()):
            item = self.criteria.itemAt(row, QtWidgets.QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QtWidgets.QLabel):
                label.setWordWrap(True)
        self.note.setPlainText(form.note)
        self._recount()
        self.form_shown.emit(form)

    def manual_points(self) -> dict[str, int]:
        return {code: spin.value() for code, spin in self.spins.items()}

    def _recount(self, *_args: Any) -> None:
        if self.form is None:
            return
        sheet = score(self.form.scheme, self.form.facts, self.manual_points())
        self.total.setText(i18n.t("ui.score.total", total=sheet.total, max=sheet.max_total,
                                  grade=sheet.grade.label))

    def save(self) -> None:
        if not self.meeting_id:
            return
        self.error.clear_message()
        self.done_note.clear_message()
        self.runner.op(partial(meeting_scores.save_score, self.workspace,
                               meeting_id=self.meeting_id, points=self.manual_points(),
                               note=self.note.toPlainText()),
                       lambda _r: self.done_note.show_message(
                           i18n.t("ui.score.saved_at", time=clock_time())),
                       self.error.show_exception)

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def edit_scheme(self) -> None:
        if self.form is None:
            return
        self.run_dialog(SchemeDialog(self.workspace, self.runner,
                                     scheme_to_json(self.form.scheme), self))
