"""The branch's own study plan (issue 21), or a paper plan from above typed in: title, kind,
number, issuer, dates, who it is for, the documents, the points; and, apart, its quiz and
its survey typed as text (numbered questions, lettered choices, the right one marked "*").
A refusal shows beside its field and keeps what was typed."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.study import LETTERS, Audience, PlanKind, Quiz, Survey
from sotay_core.domain.study_view import PlanInfo
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.check_list import CheckListModel
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import documents, study
from sotay_desktop.usecases.workspace import Workspace

STATUSES = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPTED,
            MemberStatus.AWAY, MemberStatus.TEMPORARY)
TEXT_FIELDS = ("title", "number", "issuer")
DATE_FIELDS = ("issued_on", "starts_on", "due_on")


class PlanDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, plan: PlanInfo | None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.plan = workspace, runner, plan
        self.setWindowTitle(i18n.t("study_ui.plan_title_edit" if plan
                                   else "study_ui.plan_title_new"))
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.texts = {name: QtWidgets.QLineEdit(str(getattr(plan, name) or "") if plan else "",
                                                self) for name in TEXT_FIELDS}
        self.kind = QtWidgets.QComboBox(self)
        for kind in PlanKind:
            self.kind.addItem(i18n.t(f"study_ui.plan_kind_{kind.value}"), kind.value)
        self.from_above = QtWidgets.QCheckBox(i18n.t("study_ui.plan_from_above"), self)
        self.dates = {name: QtWidgets.QLineEdit(format_vn(getattr(plan, name))
                                                if plan and getattr(plan, name) else "", self)
                      for name in DATE_FIELDS}
        self.audience = QtWidgets.QComboBox(self)
        for audience in Audience:
            self.audience.addItem(i18n.t(f"study_ui.audience_{audience.value}"), audience.value)
        self.statuses = {s: QtWidgets.QCheckBox(i18n.t(f"status.{s.value}"), self)
                         for s in STATUSES}
        self.points = QtWidgets.QSpinBox(self)
        self.points.setRange(-1, 1000)
        self.points.setSpecialValueText(i18n.t("study_ui.points_setting"))
        self.note = QtWidgets.QPlainTextEdit(plan.note if plan else "", self)
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.docs = CheckListModel(self)
        self.docs_view = QtWidgets.QListView(self)
        self.docs_view.setModel(self.docs)
        self.docs_view.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.editors = {**self.texts, "kind": self.kind, **self.dates,
                        "audience": self.audience, "points": self.points, "note": self.note,
                        "documents": self.docs_view}
        for name in ("title", "kind"):
            self._row(form, name)
        form.addRow(self.from_above)
        for name in ("number", "issuer", *DATE_FIELDS, "audience"):
            self._row(form, name)
        boxes = QtWidgets.QWidget(self)
        box_row = QtWidgets.QVBoxLayout(boxes)
        box_row.setContentsMargins(0, 0, 0, 0)
        for box in self.statuses.values():
            box_row.addWidget(box)
        form.addRow(boxes)
        for name in ("documents", "points", "note"):
            self._row(form, name)
        for day in self.dates.values():
            day.setPlaceholderText(i18n.t("study_ui.date_hint"))
        if plan is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(plan.kind.value)))
            self.from_above.setChecked(plan.from_above)
            self.audience.setCurrentIndex(max(0, self.audience.findData(
                plan.target.audience.value)))
            for status, box in self.statuses.items():
                box.setChecked(status in plan.target.statuses)
            self.points.setValue(-1 if plan.points is None else plan.points)
            self.docs.checked = {d.id for d in plan.documents}
            for line in self.texts.values():     # a long title shows its start, not its end
                line.setCursorPosition(0)
        else:
            self.points.setValue(-1)
        self.audience.currentIndexChanged.connect(self._audience_chosen)
        self._audience_chosen()
        self.lay_out(form, "study_ui.plan_save")
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 80, metrics.lineSpacing() * 36)
        ws = workspace
        runner.query(lambda: documents.search_documents(ws), self._show_documents,
                     self.general_error.show_exception)

    def _row(self, form: QtWidgets.QFormLayout, name: str) -> None:
        key = f"study_ui.plan_{name}"
        self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name], plain(key))

    def _audience_chosen(self, *_args: Any) -> None:
        by_status = self.audience.currentData() == Audience.STATUSES.value
        for box in self.statuses.values():
            box.setEnabled(by_status)

    def _show_documents(self, hits: list[Any]) -> None:
        chosen = set(self.docs.checked)
        items = [(h.id, h.title + (f" ({h.number})" if h.number else "")) for h in hits]
        known = {i for i, _t in items}
        items += [(d.id, d.title) for d in (self.plan.documents if self.plan else ())
                  if d.id not in known]
        self.docs.set_items(items)
        self.docs.checked = chosen

    def title_text(self) -> str:
        return self.texts["title"].text().strip()

    def save(self) -> None:
        self.clear_errors()
        fields: dict[str, Any] = {name: self.texts[name].text().strip() for name in TEXT_FIELDS}
        for name, editor in self.dates.items():
            text = editor.text().strip()
            try:
                fields[name] = parse_date(text) if text else None
            except ValueError:
                self.errors[name].show_message(i18n.t("study_ui.bad_date", value=text))
                editor.setFocus()
                return
        fields.update(kind=self.kind.currentData(), from_above=self.from_above.isChecked(),
                      audience=self.audience.currentData(),
                      statuses=[s.value for s, box in self.statuses.items() if box.isChecked()],
                      documents=list(self.docs.checked_ids()),
                      points=None if self.points.value() < 0 else self.points.value(),
                      note=self.note.toPlainText().strip())
        ws, plan = self.workspace, self.plan

        def job() -> tuple[str, Changes]:
            if plan is None:
                return study.add_plan(ws, **fields)
            return plan.id, study.edit_plan(ws, plan.id, **fields)

        self.submit(self.runner, job)


def quiz_text(quiz: Quiz | None) -> str:
    """The quiz in the text form ``parse_quiz_text`` reads back."""
    if quiz is None:
        return ""
    blocks = []
    for n, q in enumerate(quiz.questions, 1):
        lines = [f"{n}. {q.text}"] + [f"{'*' if i == q.correct else ''}{LETTERS[i]}. {c}"
                                      for i, c in enumerate(q.choices)]
        if q.explanation:
            lines.append(f"Giải thích: {q.explanation}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def survey_text(survey: Survey | None) -> str:
    """The survey in the text form ``parse_survey_text`` reads back."""
    if survey is None:
        return ""
    blocks = [] if survey.anonymous else ["Ghi tên"]
    for n, q in enumerate(survey.questions, 1):
        head = f"{n}. {q.text}" + (" (nhiều lựa chọn)" if q.multiple else "")
        blocks.append("\n".join([head] + [f"{LETTERS[i]}. {c}"
                                          for i, c in enumerate(q.choices)]))
    return "\n\n".join(blocks)


class ContentDialog(FormDialog):
    """The quiz (``what == "quiz"``, with its pass mark) or the survey, typed as text."""

    def __init__(self, workspace: Workspace, runner: TaskRunner, plan: PlanInfo, what: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.plan, self.what = workspace, runner, plan, what
        self.setWindowTitle(i18n.t(f"study_ui.{what}_dialog_title", title=plan.title))
        self.text = QtWidgets.QPlainTextEdit(
            quiz_text(plan.quiz) if what == "quiz" else survey_text(plan.survey), self)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self.pass_percent = QtWidgets.QSpinBox(self)
        self.pass_percent.setRange(0, 100)
        self.pass_percent.setSuffix(" %")
        self.pass_percent.setValue(plan.quiz.pass_percent if plan.quiz else 50)
        self.editors = {"text": self.text, "pass_percent": self.pass_percent}
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapAllRows)
        hint = QtWidgets.QLabel(i18n.t(f"study_ui.{what}_text_hint"), self)
        hint.setWordWrap(True)
        form.addRow(hint)
        self.errors["text"] = add_field_row(form, self, i18n.t(f"study_ui.{what}_text"),
                                            self.text, plain(f"study_ui.{what}_text"))
        if what == "quiz":
            self.errors["pass_percent"] = add_field_row(
                form, self, i18n.t("study_ui.pass_percent"), self.pass_percent,
                plain("study_ui.pass_percent"))
        else:
            self.pass_percent.hide()
        self.lay_out(form)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 80, metrics.lineSpacing() * 34)

    def save(self) -> None:
        self.clear_errors()
        ws, plan_id, text = self.workspace, self.plan.id, self.text.toPlainText()
        mark = self.pass_percent.value()

        def job() -> tuple[str, Changes]:
            if self.what == "quiz":
                return plan_id, study.set_quiz(ws, plan_id, text, pass_percent=mark)
            return plan_id, study.set_survey(ws, plan_id, text)

        self.submit(self.runner, job)

    def show_error(self, exc: BaseException) -> None:
        """The core's refusals name the question; they belong under the text."""
        from sotay_desktop.ui.widgets import error_text

        self.errors["text"].show_message(error_text(exc))
        self.text.setFocus()
