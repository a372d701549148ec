"""Entering a survey's results (issue 21): the answers were collected on paper at a session;
the secretary counts them and types, per question, how many ticked each choice (a free-text
question gets a short summary of what was written). "Có mặt" is prefilled from the chosen
session's attendance. A count above those present (or a single-choice question whose counts
add up to more) shows in red as it is typed, and Save is refused with the core's message;
what was typed stays."""

from __future__ import annotations

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study import LETTERS, check_tallies
from sotay_core.domain.study_view import PlanView
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen, scrolling
from sotay_desktop.ui.study.scan import ScanNote, refusal_sheet
from sotay_desktop.ui.study.words import day_text, kind_words
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import (
    FormDialog,
    add_field_row,
    error_text,
    ok_cancel,
    plain,
)
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace

MOST = 100_000


class SurveyDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, view: PlanView,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        assert view.plan.survey is not None
        self.workspace, self.runner, self.view = workspace, runner, view
        self.survey = view.plan.survey
        self.setWindowTitle(i18n.t("study_ui.survey_title", plan=view.plan.title))
        self.day = QtWidgets.QLineEdit(format_vn(workspace.today()), self)
        self.day.setPlaceholderText(i18n.t("study_ui.date_hint"))
        self.session = QtWidgets.QComboBox(self)
        self.session.addItem(i18n.t("study_ui.survey_no_session"), None)
        for line in sorted(view.sessions, key=lambda s: s.held_on, reverse=True):
            self.session.addItem(i18n.t("study_ui.survey_session", day=day_text(line.held_on),
                                        kind=kind_words(line.kind), present=len(line.present)),
                                 line.id)
        self.present = QtWidgets.QSpinBox(self)
        self.present.setRange(0, MOST)
        self.spins: list[list[QtWidgets.QSpinBox]] = []
        self.texts: list[QtWidgets.QPlainTextEdit | None] = []
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, key, editor in (
                ("session_id", "study_ui.survey_session_label", self.session),
                ("collected_on", "study_ui.survey_day", self.day),
                ("present", "study_ui.survey_present", self.present)):
            self.errors[name] = add_field_row(form, self, i18n.t(key), editor, plain(key))
        self.editors = {"collected_on": self.day, "present": self.present,
                        "session_id": self.session}
        for n, question in enumerate(self.survey.questions, 1):
            heading = QtWidgets.QLabel(i18n.t("study_ui.survey_question", number=n,
                                              text=question.text) + (
                " " + i18n.t("study_ui.survey_multiple") if question.multiple else ""), self)
            heading.setWordWrap(True)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            form.addRow(heading)
            row: list[QtWidgets.QSpinBox] = []
            if question.free_text:
                text = QtWidgets.QPlainTextEdit(self)
                text.setTabChangesFocus(True)
                text.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
                label = QtWidgets.QLabel(i18n.t("study_ui.survey_text_summary"), self)
                label.setBuddy(text)
                text.setAccessibleName(i18n.t("study_ui.survey_text_name", number=n))
                form.addRow(label, text)
                self.texts.append(text)
            else:
                self.texts.append(None)
                for i, choice in enumerate(question.choices):
                    spin = QtWidgets.QSpinBox(self)
                    spin.setRange(0, MOST)
                    spin.setAccessibleName(i18n.t("study_ui.survey_choice_name", number=n,
                                                  letter=LETTERS[i], text=choice))
                    label = QtWidgets.QLabel(f"{LETTERS[i]}. {choice}", self)
                    label.setWordWrap(True)
                    label.setBuddy(spin)
                    form.addRow(label, spin)
                    spin.valueChanged.connect(lambda _v: self.check())
                    row.append(spin)
            self.spins.append(row)
        self.check_line = ScanNote(self)        # the core's refusal, in red
        self.check_line.hide()
        content = QtWidgets.QWidget(self)
        content.setLayout(form)
        self.buttons = ok_cancel(self, "study_ui.survey_save")
        self.buttons.accepted.connect(self.save)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scrolling(content, self), 1)
        layout.addWidget(self.check_line)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.session.currentIndexChanged.connect(self._session_chosen)
        self.present.valueChanged.connect(lambda _v: self.check())
        if self.session.count() > 1:
            self.session.setCurrentIndex(1)     # the latest session
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 80, metrics.lineSpacing() * 36)

    def _session_chosen(self, _index: int) -> None:
        chosen = self.session.currentData()
        line = next((s for s in self.view.sessions if s.id == chosen), None)
        if line is not None:
            self.present.setValue(len(line.present))
            self.day.setText(format_vn(line.held_on))

    def tallies(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(spin.value() for spin in row) for row in self.spins)

    def check(self) -> bool:
        """Counts above those present in red, the core's message below; True when fine."""
        present = self.present.value()
        red = refusal_sheet(self)
        for question, row in zip(self.survey.questions, self.spins, strict=True):
            over_sum = not question.multiple and sum(s.value() for s in row) > present
            for spin in row:
                bad = spin.value() > present or over_sum
                spin.setStyleSheet(red if bad else "")
                spin.setProperty("over_present", bad)
        try:
            check_tallies(self.survey, present, self.tallies())
        except ValidationError as exc:
            self.check_line.show_refusal(error_text(exc))
            return False
        self.check_line.hide()
        return True

    def save(self) -> None:
        self.clear_errors()
        if not self.check():
            return
        try:
            collected_on = parse_date(self.day.text())
        except ValueError:
            self.errors["collected_on"].show_message(i18n.t("study_ui.bad_date",
                                                            value=self.day.text()))
            self.day.setFocus()
            return
        ws, plan_id = self.workspace, self.view.plan.id
        present, session_id = self.present.value(), self.session.currentData()
        tallies = self.tallies()
        texts = tuple(t.toPlainText().strip() if t is not None else "" for t in self.texts)

        def job() -> tuple[str, Changes]:
            result = study.enter_survey(ws, plan_id, collected_on=collected_on,
                                        present=present, session_id=session_id,
                                        tallies=tallies, texts=texts)
            return ("", result) if isinstance(result, Changes) else result

        self.submit(self.runner, job)
