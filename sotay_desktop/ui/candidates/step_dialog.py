"""Recording the candidate's next step: its day, the document's number and issuer, what was
said; for a resolution the votes, with the official members on the roster that day and the
votes needed shown as the day is typed; for the sponsors' step the two sponsors chosen from
the roster's official members. The ceremony asks first: it puts the person on the roster.
Each refusal of the rules is shown in words beside its field or under the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.admission import Step
from sotay_core.domain.dates import parse_date
from sotay_desktop.services.candidates_view import RESOLUTIONS, CandidateView
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, confirm, plain
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace


def _line(parent: QtWidgets.QWidget, text: str = "") -> QtWidgets.QLineEdit:
    return QtWidgets.QLineEdit(text, parent)


class StepDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, view: CandidateView,
                 step: Step, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.view, self.step = workspace, runner, view, step
        self.confirmed = False
        label = i18n.t(f"admission_app.step_{step.value}")
        self.setWindowTitle(i18n.t("admission_app.step_title", step=label, name=view.full_name))
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        what = QtWidgets.QLabel(label, self)
        what.setWordWrap(True)
        form.addRow(i18n.t("admission_app.field_step"), what)
        self.date_edit = _line(self, workspace.today().strftime("%d/%m/%Y"))
        self.editors["date"] = self.date_edit
        self.editors["number"] = _line(self)
        self.editors["issuer"] = _line(self)
        detail = QtWidgets.QPlainTextEdit(self)
        detail.setTabChangesFocus(True)
        detail.setFixedHeight(detail.fontMetrics().lineSpacing() * 4)
        self.editors["detail"] = detail
        for name in ("date", "number", "issuer", "detail"):
            key = f"admission_app.field_{name}"
            if name == "detail" and step in RESOLUTIONS:
                key = "admission_app.field_remarks"
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        self.base_label = QtWidgets.QLabel(self)
        self.base_label.setWordWrap(True)
        if step in RESOLUTIONS:
            for name in ("votes_for", "votes_against"):
                spin = QtWidgets.QSpinBox(self)
                spin.setRange(0, 100_000)
                self.editors[name] = spin
                key = f"admission_app.field_{name}"
                self.errors[name] = add_field_row(form, self, i18n.t(key), spin, plain(key))
            form.addRow(self.base_label)
            self.date_edit.editingFinished.connect(self.show_base)
        self.sponsor_boxes: list[tuple[QtWidgets.QComboBox, QtWidgets.QLineEdit]] = []
        if step is Step.SPONSORS:
            for number in (1, 2):
                box = QtWidgets.QComboBox(self)
                since = _line(self)
                since.setPlaceholderText(i18n.t("admission_app.date_hint"))
                self.sponsor_boxes.append((box, since))
                text = i18n.t("admission_app.field_sponsor", number=number)
                add_field_row(form, self, text, box, text.replace("&", "").rstrip(":"))
                add_field_row(form, self, i18n.t("admission_app.field_since"), since,
                              plain("admission_app.field_since"))
            self.errors["sponsors"] = self.general_error
        note = self._note()
        if note:
            warning = QtWidgets.QLabel(note, self)
            warning.setWordWrap(True)
            form.addRow(warning)
        self.lay_out(form, ok_key="admission_app.step_save")
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 84, metrics.lineSpacing() * 34)
        if step is Step.SPONSORS:
            self.runner.query(lambda: cases.sponsor_choices(workspace), self.fill_sponsors,
                              self.general_error.show_exception)
        if step in RESOLUTIONS:
            self.show_base()

    def _note(self) -> str:
        if self.step is Step.CEREMONY:
            return i18n.t("admission_app.ceremony_note", name=self.view.full_name)
        if self.step is Step.OFFICIAL_RESOLUTION:
            end = next((d.due for d in self.view.deadlines if d.kind == "probation_end"), None)
            return i18n.t("admission_app.official_note", name=self.view.full_name,
                          day=end.strftime("%d/%m/%Y") if end else "—")
        return ""

    def text(self, name: str) -> str:
        editor = self.editors[name]
        if isinstance(editor, QtWidgets.QPlainTextEdit):
            return editor.toPlainText()
        assert isinstance(editor, QtWidgets.QLineEdit)
        return editor.text()

    def day(self) -> dt.date | None:
        try:
            return parse_date(self.text("date"))
        except ValueError:
            return None

    def show_base(self) -> None:
        """The official members on the roster on the day typed, and the votes needed."""
        on = self.day()
        if on is None:
            self.base_label.setText(i18n.t("admission_app.base_unknown"))
            return
        ws = self.workspace
        self.runner.query(lambda: cases.voting_base(ws, on), self._base_shown,
                          self.general_error.show_exception)

    def _base_shown(self, found: tuple[int, int]) -> None:
        on = self.day()
        self.base_label.setText(i18n.t("admission_app.base_text", base=found[0],
                                       needed=found[1],
                                       day=on.strftime("%d/%m/%Y") if on else ""))

    def fill_sponsors(self, choices: list[tuple[str, str]]) -> None:
        chosen = [s.member_id for s in self.view.sponsors]
        for index, (box, since) in enumerate(self.sponsor_boxes):
            box.clear()
            box.addItem(i18n.t("admission_app.choose_sponsor"), None)
            for member_id, name in choices:
                box.addItem(name, member_id)
            if index < len(chosen):
                found = box.findData(chosen[index])
                box.setCurrentIndex(max(found, 0))
                start = self.view.sponsors[index].since
                since.setText(start.strftime("%d/%m/%Y") if start else "")

    def sponsors(self) -> list[tuple[str, str | None]]:
        return [(box.currentData(), since.text().strip() or None)
                for box, since in self.sponsor_boxes if box.currentData()]

    def save(self) -> None:
        self.clear_errors()
        if self.step is Step.CEREMONY and not self.confirmed:
            if not confirm(self, plain("admission_app.step_ceremony"),
                           i18n.t("admission_app.ceremony_confirm", name=self.view.full_name),
                           plain("admission_app.ceremony_verb")):
                return
            self.confirmed = True
        ws, cid, step = self.workspace, self.view.id, self.step
        values: dict[str, Any] = {"date": self.text("date"), "number": self.text("number"),
                                  "issuer": self.text("issuer"), "detail": self.text("detail")}
        if step in RESOLUTIONS:
            for name in ("votes_for", "votes_against"):
                spin = self.editors[name]
                assert isinstance(spin, QtWidgets.QSpinBox)
                values[name] = spin.value()
        if step is Step.SPONSORS:
            values["sponsors"] = self.sponsors()

        def job() -> tuple[str, Changes]:
            return cases.record_step(ws, cid, step, **values)

        self.submit(self.runner, job)

    def show_error(self, exc: BaseException) -> None:
        self.confirmed = False       # asked again after a refusal is mended
        super().show_error(exc)
