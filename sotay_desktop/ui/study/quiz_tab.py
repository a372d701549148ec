"""The plan's quiz tab: its questions (read only for a plan from above; the branch's own
plan's questions are typed in a dialog), a scan field that jumps to the member whose card or
quiz sheet is scanned, and the quick entry grid. Each completed row is saved through the
writer (``usecases.study.enter_answers``) and shows its score; a refused or failed save
keeps the row as typed."""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.study import LETTERS, Quiz
from sotay_core.domain.study_view import PlanView
from sotay_desktop.ui.study.answer_grid import AnswerGrid, AnswerGridModel
from sotay_desktop.ui.study.scan import ScanField, ScanNote, ScanQueue, scan_label
from sotay_desktop.ui.study.screen_data import Found, who_is
from sotay_desktop.ui.study.words import score_text
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import confirm, error_text, plain
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace


def quiz_html(quiz: Quiz | None, *, read_only: bool = False) -> str:
    """The questions, their choices, the right answer and its explanation."""
    if quiz is None:
        return f"<p>{html.escape(i18n.t('study_ui.no_quiz'))}</p>"
    head = i18n.t("study_ui.quiz_head", count=len(quiz.questions), percent=quiz.pass_percent)
    if read_only:
        head += " " + i18n.t("study_ui.quiz_read_only")
    parts = [f"<p>{html.escape(head)}</p>"]
    for n, q in enumerate(quiz.questions, 1):
        choices = "<br>".join(
            f"{'<b>' if i == q.correct else ''}{LETTERS[i]}. {html.escape(c)}"
            f"{' ✓</b>' if i == q.correct else ''}" for i, c in enumerate(q.choices))
        why = f"<br><i>{html.escape(q.explanation)}</i>" if q.explanation else ""
        parts.append(f"<p><b>{n}.</b> {html.escape(q.text)}<br>{choices}{why}</p>")
    return "".join(parts)


class QuizTab(QtWidgets.QWidget):
    edit_requested = QtCore.Signal()     # the branch's own plan: type its questions

    def __init__(self, workspace: Workspace, runner: TaskRunner,
                 run_dialog: Callable[[QtWidgets.QDialog], bool],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.run_dialog = workspace, runner, run_dialog
        self.view: PlanView | None = None
        self.questions = QtWidgets.QTextBrowser(self)
        self.questions.setAccessibleName(plain("study_ui.questions"))
        self.show_questions = QtWidgets.QToolButton(self)
        self.show_questions.setText(i18n.t("study_ui.show_questions"))
        self.show_questions.setAccessibleName(plain("study_ui.show_questions"))
        self.show_questions.setCheckable(True)
        self.show_questions.setToolButtonStyle(
            QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.show_questions.toggled.connect(self._questions_shown)
        self.edit_button = QtWidgets.QPushButton(i18n.t("study_ui.edit_quiz"), self)
        self.edit_button.clicked.connect(self.edit_requested)
        self.scan = ScanField(self)
        self.message = ScanNote(self, lines=2)   # the one line answering every key and scan
        self.message.show_hint(i18n.t("study_ui.grid_ready"))
        self.model = AnswerGridModel(self)
        self.grid = AnswerGrid(self.model, self)
        self.grid.setAccessibleName(plain("study_ui.grid"))
        self.grid.setAccessibleDescription(i18n.t("study_ui.grid_keys"))
        self.grid.setToolTip(i18n.t("study_ui.grid_keys"))
        grid_label = QtWidgets.QLabel(i18n.t("study_ui.grid"), self)
        grid_label.setBuddy(self.grid)
        self.clear_button = QtWidgets.QPushButton(i18n.t("study_ui.clear_sheet"), self)
        self.clear_button.clicked.connect(self.clear_sheet)
        top_row = QtWidgets.QHBoxLayout()
        top_row.addWidget(self.show_questions)
        top_row.addWidget(self.edit_button)
        top_row.addStretch(1)
        scan_row = QtWidgets.QHBoxLayout()
        scan_row.addWidget(scan_label(self.scan, self))
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(self.clear_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top_row)
        layout.addWidget(self.questions, 2)
        layout.addLayout(scan_row)
        layout.addWidget(self.message)
        layout.addWidget(grid_label)
        layout.addWidget(self.grid, 3)
        # at normal type the questions are in view; at large type the grid has the room
        self.show_questions.setChecked(QtWidgets.QApplication.font().pointSizeF() < 14)
        self._questions_shown(self.show_questions.isChecked())
        chain = (self.show_questions, self.edit_button, self.questions, self.scan,
                 self.clear_button, self.grid)
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)
        self.queue = ScanQueue(self._look_up, self._found, self._scan_refused)
        self.scan.code_entered.connect(self.scanned)
        self.grid.refused.connect(self.message.show_refusal)
        self.grid.accepted_marked.connect(self._marked)
        self.grid.row_completed.connect(self.save_row)

    # --- showing

    def _questions_shown(self, shown: bool) -> None:
        self.questions.setVisible(shown)
        self.show_questions.setArrowType(QtCore.Qt.ArrowType.DownArrow if shown
                                         else QtCore.Qt.ArrowType.RightArrow)

    def set_view(self, view: PlanView | None) -> None:
        """The plan's quiz and saved sheets; the cursor and the rows being typed stay."""
        same_plan = view is not None and self.view is not None \
            and view.plan.id == self.view.plan.id
        index = self.grid.currentIndex()
        at = (self.model.lines[index.row()].member_id, index.column()) \
            if same_plan and index.isValid() and index.row() < len(self.model.lines) else None
        if not same_plan:
            self.model.drafts.clear()
            self.message.show_hint(i18n.t("study_ui.grid_ready"))
        self.view = view
        quiz = view.plan.quiz if view else None
        read_only = view is None or view.plan.read_only
        self.questions.setHtml(quiz_html(quiz, read_only=view is not None and read_only)
                               if view else "")
        self.edit_button.setVisible(view is not None and not read_only)
        self.model.set_sheets(quiz, view.members if view else ())
        self.grid.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.grid.horizontalHeader().setSectionResizeMode(
                column, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        for widget in (self.scan, self.grid, self.clear_button):
            widget.setEnabled(quiz is not None and bool(self.model.lines))
        if at is not None and self.model.row_of(at[0]) >= 0:
            self.grid.go(self.model.row_of(at[0]), at[1])
        elif self.model.lines and quiz is not None:
            self.grid.go(0, 0)

    # --- typing, scanning, saving

    def _marked(self, typed: str, letter: str) -> None:
        self.message.show_hint(i18n.t("study_ui.marked_key", typed=typed, letter=letter))

    def scanned(self, code: str) -> None:
        if self.view is not None:
            self.queue.push(code)

    def _look_up(self, code: str, done: Any, failed: Any) -> None:
        ws, view = self.workspace, self.view
        if view is None:
            failed(LookupError(code))
            return
        self.runner.query(lambda: who_is(ws, view, code), done, failed)

    def _found(self, found: Found) -> None:
        member_id, name = found.member_id, found.name
        if self.grid.go_to_member(member_id):
            self.message.show_found(i18n.t("study_ui.scan_grid_found", name=name))
        else:
            self.message.show_refusal(i18n.t("study_ui.scan_not_targeted", name=name))
            self.scan.setFocus()

    def _scan_refused(self, exc: BaseException) -> None:
        self.message.show_refusal(error_text(exc))
        self.scan.setFocus()

    def save_row(self, member_id: str) -> None:
        if self.view is None or member_id not in self.model.letters:
            return
        ws, plan_id = self.workspace, self.view.plan.id
        answers = self.model.answers(member_id)
        name = self.model.member_at(self.model.row_of(member_id)).name
        self.model.mark_saving(member_id)

        def done(result: Any) -> None:
            score = result[0]
            self.model.mark_saved(member_id, score, answers)
            self.message.show_found(i18n.t("study_ui.sheet_saved", name=name,
                                           score=score_text(score)))

        def failed(exc: Exception) -> None:
            self.model.mark_failed(member_id)
            self.message.show_refusal(i18n.t("study_ui.sheet_not_saved", name=name,
                                             reason=error_text(exc)))

        self.runner.op(lambda: study.enter_answers(ws, plan_id, member_id, answers),
                       done, failed)

    def clear_sheet(self) -> None:
        index = self.grid.currentIndex()
        if self.view is None or not index.isValid():
            return
        line = self.model.member_at(index.row())
        if not confirm(self, plain("study_ui.clear_sheet"),
                       i18n.t("study_ui.clear_sheet_confirm", name=line.name),
                       plain("study_ui.clear_verb")):
            return
        ws, plan_id, member_id = self.workspace, self.view.plan.id, line.member_id
        self.model.drafts.discard(member_id)
        self.runner.op(lambda: study.clear_answers(ws, plan_id, member_id),
                       lambda _r: self.message.show_found(
                           i18n.t("study_ui.sheet_cleared", name=line.name)),
                       lambda exc: self.message.show_refusal(error_text(exc)))
