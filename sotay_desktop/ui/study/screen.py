"""The "Học tập" screen (issue 21): political study, its quiz and its survey for members who
study on paper. Left, the plans (title, from above or the branch's own, the deadline in
words, studied x/y, quiz sheets entered); right, the chosen plan in tabs: its members in
roster order (the make-up list as a filter), its sessions (recorded with attendance by name
or by scanning the member's card), the quiz (its questions and the quick entry grid) and the
survey (its questions and the totals entered). Papers (cards, quiz sheets, the attendance
sheet, the make-up list, the results) are printed from here, in normal or large type. A survey
count entered by mistake is removed from the survey tab (after asking); "Điểm tích lũy…" sets
the general points rule.

Plans from above are read only (the province's record); the branch's own plans are added,
changed and removed here. Reads go through ``runner.query`` (one read of the plans and the
chosen plan), writes through ``runner.op``; the screen reads again when a broadcast
``Changes`` touches the study tables, the roster or the documents."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_core.domain.study_view import PlanView
from sotay_desktop.services.changes import Changes
from sotay_desktop.settings import Settings
from sotay_desktop.ui.flow_layout import screen_budget, wrapped_rows
from sotay_desktop.ui.study.models import PlansModel
from sotay_desktop.ui.study.quiz_tab import QuizTab
from sotay_desktop.ui.study.screen_data import WATCHED, ScreenData, read
from sotay_desktop.ui.study.tabs import ElidedLabel, MembersTab, SessionsTab, SurveyTab
from sotay_desktop.ui.study.words import due_words, plan_source
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, confirm, plain
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace

BUTTONS = ("add", "edit", "remove", "papers")


class StudyScreen(QtWidgets.QWidget):
    data_shown = QtCore.Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.data: ScreenData | None = None
        self.chosen: str | None = None
        runner.operation_did_execute.connect(self.on_changes)
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for name in BUTTONS:
            button = QtWidgets.QPushButton(i18n.t(f"study_ui.button_{name}"), self)
            button.setAccessibleName(plain(f"study_ui.button_{name}"))
            self.buttons[name] = button
        self.points_button = QtWidgets.QPushButton(i18n.t("study_more.button_points"), self)
        self.points_button.setAccessibleName(plain("study_more.button_points"))
        plan_bar = wrapped_rows((self.buttons["add"], self.buttons["edit"],
                                 self.buttons["remove"], self.points_button),
                                screen_budget(self, 0.27))
        self.plans = PlansModel(workspace.today, self)
        self.plan_table = QtWidgets.QTableView(self)
        self.plan_table.setModel(self.plans)
        self.plan_table.setAccessibleName(plain("study_ui.plans"))
        self.plan_table.setSelectionBehavior(
            QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.plan_table.setSelectionMode(
            QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.plan_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plan_table.setTabKeyNavigation(False)
        self.plan_table.verticalHeader().hide()
        self.plan_table.horizontalHeader().hide()
        self.plan_table.horizontalHeader().setStretchLastSection(True)
        self.plan_table.setWordWrap(True)
        self.plan_table.horizontalHeader().sectionResized.connect(
            lambda *_a: self.plan_table.resizeRowsToContents())
        plans_label = QtWidgets.QLabel(i18n.t("study_ui.plans"), self)
        plans_label.setBuddy(self.plan_table)
        self.empty = QtWidgets.QLabel(i18n.t("study_ui.no_plans"), self)
        self.empty.setWordWrap(True)
        left = QtWidgets.QWidget(self)
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(plans_label)
        left_layout.addWidget(self.plan_table, 1)
        left_layout.addWidget(self.empty)
        left_layout.addLayout(plan_bar)
        self.heading = ElidedLabel(self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.facts = QtWidgets.QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.read_only = QtWidgets.QLabel(i18n.t("study_ui.read_only_note"), self)
        self.read_only.setWordWrap(True)
        self.read_only.hide()
        self.members_tab = MembersTab(self)
        self.sessions_tab = SessionsTab(self)
        self.quiz_tab = QuizTab(workspace, runner, self.run_dialog, self)
        self.survey_tab = SurveyTab(self)
        self.tabs = QtWidgets.QTabWidget(self)
        for tab, key in ((self.members_tab, "study_ui.tab_members"),
                         (self.sessions_tab, "study_ui.tab_sessions"),
                         (self.quiz_tab, "study_ui.tab_quiz"),
                         (self.survey_tab, "study_ui.tab_survey")):
            self.tabs.addTab(tab, i18n.t(key))
        right = QtWidgets.QWidget(self)
        right_layout = QtWidgets.QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        heading_row = QtWidgets.QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.buttons["papers"], 0, QtCore.Qt.AlignmentFlag.AlignTop)
        right_layout.addLayout(heading_row)
        for widget in (self.facts, self.read_only):
            right_layout.addWidget(widget)
        right_layout.addWidget(self.tabs, 1)
        self.split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal, self)
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(1, 2)
        # the list keeps its least width (its buttons): at 200 % type the members table then
        # shows its columns whole ("Miễn sinh hoạt" was cut to "Miễn si…")
        self.split.setSizes([1, 3])
        self.status, self.note = FieldError(self), DoneNote(self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        chain = (self.plan_table, self.buttons["add"], self.buttons["edit"],
                 self.buttons["remove"], self.points_button, self.buttons["papers"], self.tabs)
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)      # the list, its buttons, then the plan
        self.plan_table.selectionModel().currentRowChanged.connect(self._plan_chosen)
        self.buttons["add"].clicked.connect(lambda: self.edit_plan(None))
        self.buttons["edit"].clicked.connect(lambda: self.edit_plan(self.view()))
        self.buttons["remove"].clicked.connect(self.remove_plan)
        self.buttons["papers"].clicked.connect(self.papers)
        self.points_button.clicked.connect(self.points)
        self.survey_tab.remove_button.clicked.connect(self.remove_survey_count)
        self.sessions_tab.add_button.clicked.connect(lambda: self.record_session("session"))
        self.sessions_tab.makeup_button.clicked.connect(lambda: self.record_session("makeup"))
        self.sessions_tab.attend_button.clicked.connect(self.attend_session)
        self.sessions_tab.table.doubleClicked.connect(lambda _i: self.attend_session())
        self.sessions_tab.remove_button.clicked.connect(self.remove_session)
        self.survey_tab.enter_button.clicked.connect(self.enter_survey)
        self.survey_tab.edit_button.clicked.connect(lambda: self.edit_content("survey"))
        self.quiz_tab.edit_requested.connect(lambda: self.edit_content("quiz"))
        self._enable()

    # --- reading

    def view(self) -> PlanView | None:
        return self.data.view if self.data else None

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*WATCHED):
            self.load()

    def load(self) -> None:
        ws, chosen = self.workspace, self.chosen
        self.runner.query(lambda: read(ws, chosen), self.show_data, self.status.show_exception)

    def show_data(self, data: ScreenData) -> None:
        if data.view is not None and self.chosen not in (None, data.view.plan.id) and any(
                p.id == self.chosen for p in data.plans):
            return                       # an older read, for a plan no longer chosen
        self.data = data
        self.chosen = data.view.plan.id if data.view else None
        blocked = self.plan_table.selectionModel().blockSignals(True)
        self.plans.set_rows(data.plans)
        row = self.plans.row_of(self.chosen) if self.chosen else -1
        if row >= 0:
            self.plan_table.setCurrentIndex(self.plans.index(row, 0))
        self.plan_table.selectionModel().blockSignals(blocked)
        self.plan_table.resizeRowsToContents()
        self.empty.setVisible(not data.plans)
        self.show_plan(data.view)
        self.survey_tab.set_counts(data.counts)
        self._enable()
        self.data_shown.emit(data)

    def show_plan(self, view: PlanView | None) -> None:
        if view is None:
            self.heading.set_full_text(i18n.t("study_ui.no_plan_chosen"))
            self.facts.clear()
            self.read_only.hide()
        else:
            plan = view.plan
            self.heading.set_full_text(plan.title)
            facts = [i18n.t("study_ui.facts", origin=plan_source(plan), due=due_words(
                plan.due_on, self.workspace.today(), overdue=view.overdue,
                done=view.progress.done), studied=len(view.progress.studied),
                targeted=len(view.progress.targeted), sessions=len(view.sessions))]
            missing = [d.title for d in plan.documents if d.missing]
            if missing:
                facts.append(i18n.t("study_ui.documents_missing", titles="; ".join(missing)))
            if plan.note:
                facts.append(plan.note)
            self.facts.setText("\n".join(facts))
            self.read_only.setVisible(plan.read_only)
        for tab in (self.members_tab, self.sessions_tab, self.quiz_tab, self.survey_tab):
            tab.set_view(view)
        self.tabs.setTabEnabled(2, view is not None and view.plan.quiz is not None)
        self.tabs.setTabEnabled(3, view is not None and view.plan.survey is not None)

    def _plan_chosen(self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.plans.rows):
            self.chosen = self.plans.rows[current.row()].id
            self.load()

    def select(self, plan_id: str) -> None:
        """Show the plan (a link from Home)."""
        self.chosen = plan_id
        row = self.plans.row_of(plan_id)
        if row >= 0:
            self.plan_table.setCurrentIndex(self.plans.index(row, 0))
        self.load()

    def _enable(self) -> None:
        view = self.view()
        own = view is not None and not view.plan.read_only
        self.buttons["edit"].setEnabled(own)
        self.buttons["remove"].setEnabled(own)
        self.buttons["papers"].setEnabled(view is not None)
        for name in ("edit", "remove"):
            self.buttons[name].setToolTip("" if own or view is None
                                          else i18n.t("study_ui.read_only_note"))

    # --- writing

    def run_dialog(self, dialog: QtWidgets.QDialog) -> bool:
        """Modal dialogs go through here, so tests can drive them without blocking."""
        return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted

    def edit_plan(self, view: PlanView | None) -> None:
        from sotay_desktop.ui.study.plan_dialog import PlanDialog

        if view is not None and view.plan.read_only:
            return
        dialog = PlanDialog(self.workspace, self.runner, view.plan if view else None, self)
        if self.run_dialog(dialog):
            if dialog.saved_id:
                self.chosen = dialog.saved_id
            self.note.show_message(i18n.t("study_ui.plan_saved", title=dialog.title_text()))
            self.load()

    def edit_content(self, what: str) -> None:
        from sotay_desktop.ui.study.plan_dialog import ContentDialog

        view = self.view()
        if view is None or view.plan.read_only:
            return
        if self.run_dialog(ContentDialog(self.workspace, self.runner, view.plan, what, self)):
            self.note.show_message(i18n.t(f"study_ui.{what}_saved", title=view.plan.title))

    def remove_plan(self) -> None:
        view = self.view()
        if view is None or view.plan.read_only:
            return
        if not confirm(self, plain("study_ui.button_remove"),
                       i18n.t("study_ui.remove_confirm", title=view.plan.title,
                              sessions=len(view.sessions)), plain("study_ui.remove_verb")):
            return
        ws, plan_id, title = self.workspace, view.plan.id, view.plan.title
        self.chosen = None
        self.runner.op(lambda: study.remove_plan(ws, plan_id),
                       lambda _r: self.note.show_message(i18n.t("study_ui.plan_removed",
                                                                title=title)),
                       self.status.show_exception)

    def record_session(self, kind: str) -> None:
        from sotay_desktop.ui.study.session_dialog import SessionDialog

        view = self.view()
        if view is None:
            return
        dialog = SessionDialog(self.workspace, self.runner, view, None, kind, self)
        if self.run_dialog(dialog):
            self.note.show_message(i18n.t("study_ui.session_saved",
                                          present=len(dialog.roll.present)))

    def attend_session(self) -> None:
        from sotay_desktop.ui.study.session_dialog import SessionDialog

        view, session = self.view(), self.sessions_tab.current()
        if view is None or session is None:
            return
        self.run_dialog(SessionDialog(self.workspace, self.runner, view, session,
                                      session.kind, self))

    def remove_session(self) -> None:
        from sotay_desktop.ui.study.words import day_text, kind_words

        session = self.sessions_tab.current()
        if session is None:
            return
        words = f"{kind_words(session.kind)} {day_text(session.held_on)}"
        if not confirm(self, plain("study_ui.remove_session"),
                       i18n.t("study_ui.remove_session_confirm", session=words,
                              present=len(session.present)), plain("study_ui.remove_verb")):
            return
        ws, session_id = self.workspace, session.id
        self.runner.op(lambda: study.remove_session(ws, session_id),
                       lambda _r: self.note.show_message(
                           i18n.t("study_ui.session_removed", session=words)),
                       self.status.show_exception)

    def enter_survey(self) -> None:
        from sotay_desktop.ui.study.survey_dialog import SurveyDialog

        view = self.view()
        if view is None or view.plan.survey is None:
            return
        if self.run_dialog(SurveyDialog(self.workspace, self.runner, view, self)):
            self.note.show_message(i18n.t("study_ui.survey_saved", title=view.plan.title))

    def remove_survey_count(self) -> None:
        entry = self.survey_tab.current()
        if entry is None:
            return
        day = entry.collected_on.strftime("%d/%m/%Y")
        if not confirm(self, plain("study_more.remove_count"),
                       i18n.t("study_more.remove_count_confirm", date=day,
                              present=entry.present), plain("study_more.remove_verb")):
            return
        ws, count_id = self.workspace, entry.id
        self.runner.op(lambda: study.remove_survey_count(ws, count_id),
                       lambda _r: self.note.show_message(
                           i18n.t("study_more.count_removed", date=day)),
                       self.status.show_exception)

    def points(self) -> None:
        from sotay_desktop.ui.study.points_dialog import PointsDialog

        def show(rule: Any) -> None:
            dialog = PointsDialog(self.workspace, self.runner, rule, self)
            if self.run_dialog(dialog):
                self.note.show_message(i18n.t("study_more.points_saved",
                                              **{n: s.value() for n, s in dialog.spins.items()}))

        ws = self.workspace
        self.runner.query(lambda: study.points_rule(ws), show, self.status.show_exception)

    def papers(self) -> None:
        from sotay_desktop.ui.study.papers_dialog import PapersDialog

        view = self.view()
        if view is None:
            return
        member = self.members_tab.table.currentIndex()
        chosen: Any = None
        if member.isValid() and member.row() < len(self.members_tab.model.rows):
            line = self.members_tab.model.rows[member.row()]
            chosen = (line.member_id, line.name)
        self.run_dialog(PapersDialog(self.workspace, self.runner, self.settings, view,
                                     chosen, self))
