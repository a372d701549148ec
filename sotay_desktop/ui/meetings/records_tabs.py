"""The minutes tab and the resolution tab (with comments beside the draft)."""

from __future__ import annotations

from functools import partial

from PySide6 import QtCore, QtWidgets

from sotay_core import i18n
from sotay_desktop.ui.meetings.tab_base import (
    FormTab,
    Write,
    form_rows,
    split_pairs,
    text_edit,
)
from sotay_desktop.ui.widgets import (
    add_field_row,
    confirm,
    plain,
)
from sotay_desktop.usecases import meetings
from sotay_desktop.usecases.meetings import MeetingSheet


class MinutesTab(FormTab):
    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(write, parent)
        self.review = text_edit(self, 4)    # prefilled from last month's tasks (issue 19)
        self.speakers = text_edit(self, 6)
        self.conclusion = text_edit(self, 3)
        self.votes_for = QtWidgets.QSpinBox(self)
        self.votes_against = QtWidgets.QSpinBox(self)
        for spin in (self.votes_for, self.votes_against):
            spin.setRange(0, 1000)
        self.ends_at = QtWidgets.QLineEdit(self)
        self.ends_at.setPlaceholderText("21:00")
        self.save_button = QtWidgets.QPushButton(i18n.t("ui.save_minutes"), self)
        form = QtWidgets.QFormLayout()
        self.errors = form_rows(form, self, (
            ("review", "ui.review", self.review),
            ("speakers", "ui.speakers", self.speakers),
            ("conclusion", "ui.conclusion", self.conclusion),
            ("votes_for", "ui.votes_for", self.votes_for),
            ("votes_against", "ui.votes_against", self.votes_against),
            ("ends_at", "ui.ends_at", self.ends_at)))
        self.lay_out(form, self.save_button)
        self.save_button.clicked.connect(self.save)

    def show_sheet(self, sheet: MeetingSheet) -> None:
        self.sheet = sheet
        data = sheet.data
        self.review.setPlainText("\n".join(data.review))
        self.speakers.setPlainText("\n".join(f"{s.name}: {s.gist}" for s in data.speakers))
        self.conclusion.setPlainText(data.conclusion)
        self.votes_for.setValue(data.votes_for or 0)
        self.votes_against.setValue(data.votes_against or 0)
        self.ends_at.setText(data.ends_at)

    def save(self) -> None:
        if self.sheet is None:
            return
        self.clear_errors()
        self.write(partial(
            meetings.save_minutes, meeting_id=self.sheet.meeting_id,
            speakers=split_pairs(self.speakers.toPlainText(), (":",)),
            conclusion=self.conclusion.toPlainText(),
            votes_for=self.votes_for.value(), votes_against=self.votes_against.value(),
            ends_at=self.ends_at.text(), review=self.review.toPlainText()), self.show_error,
            self.saved("ui.minutes_saved_at"))


class ResolutionTab(FormTab):
    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(write, parent)
        self.number = QtWidgets.QLineEdit(self)
        self.summary = QtWidgets.QLineEdit(self)
        self.results = text_edit(self)
        self.tasks = text_edit(self)
        self.implementation = text_edit(self, 2)
        self.status_label = QtWidgets.QLabel(self)
        form = QtWidgets.QFormLayout()
        self.errors = form_rows(form, self, (
            ("number", "ui.res_number", self.number),
            ("summary", "ui.res_summary", self.summary),
            ("results", "ui.res_results", self.results),
            ("tasks", "ui.res_tasks", self.tasks),
            ("implementation", "ui.res_implementation", self.implementation)))
        self.save_button = QtWidgets.QPushButton(i18n.t("ui.save_draft"), self)
        self.circulate_button = QtWidgets.QPushButton(i18n.t("ui.circulate"), self)
        self.adopt_button = QtWidgets.QPushButton(i18n.t("ui.adopt"), self)
        buttons = QtWidgets.QHBoxLayout()
        for button in (self.save_button, self.circulate_button, self.adopt_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        editor = QtWidgets.QWidget(self)
        editor_layout = QtWidgets.QVBoxLayout(editor)
        editor_layout.addWidget(self.status_label)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.general_error)
        editor_layout.addLayout(buttons)
        editor_layout.addWidget(self.done_note)
        # Comments beside the draft
        self.comment_list = QtWidgets.QTextBrowser(self)
        self.comment_list.setAccessibleName(i18n.t("ui.comments"))
        self.comment_author = QtWidgets.QLineEdit(self)
        self.comment_body = text_edit(self, 2)
        self.comment_button = QtWidgets.QPushButton(i18n.t("ui.add_comment"), self)
        side = QtWidgets.QWidget(self)
        side_form = QtWidgets.QFormLayout()
        self.comment_error = add_field_row(side_form, side, i18n.t("ui.comment_author"),
                                           self.comment_author, plain("ui.comment_author"))
        self.errors["body"] = add_field_row(side_form, side, i18n.t("ui.comment_body"),
                                            self.comment_body, plain("ui.comment_body"))
        side_layout = QtWidgets.QVBoxLayout(side)
        side_layout.addWidget(QtWidgets.QLabel(i18n.t("ui.comments"), side))
        side_layout.addWidget(self.comment_list, 1)
        side_layout.addLayout(side_form)
        side_layout.addWidget(self.comment_button)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal, self)
        scroll = QtWidgets.QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)
        splitter.addWidget(scroll)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QtWidgets.QVBoxLayout(self).addWidget(splitter)
        self.save_button.clicked.connect(self.save)
        self.circulate_button.clicked.connect(self.circulate)
        self.adopt_button.clicked.connect(self.adopt)
        self.comment_button.clicked.connect(self.add_comment)

    def show_sheet(self, sheet: MeetingSheet) -> None:
        self.sheet = sheet
        resolution = sheet.data.resolution
        adopted = bool(resolution and resolution.adopted)
        self.number.setText(resolution.number if resolution else "")
        self.summary.setText(resolution.summary if resolution else "")
        self.results.setPlainText(resolution.results if resolution else "")
        self.tasks.setPlainText("\n".join(
            f"{t.text} — {t.responsible}" if t.responsible else t.text
            for t in (resolution.tasks if resolution else ())))
        self.implementation.setPlainText(resolution.implementation if resolution else "")
        for widget in (self.number, self.summary, self.results, self.tasks,
                       self.implementation, self.save_button, self.circulate_button,
                       self.adopt_button):
            widget.setEnabled(not adopted)
        self.circulate_button.setEnabled(sheet.resolution_id is not None and not adopted)
        self.adopt_button.setEnabled(sheet.resolution_id is not None and not adopted)
        self.comment_button.setEnabled(sheet.resolution_id is not None)
        status = "adopted" if adopted else ("draft" if resolution else "")
        self.status_label.setText(i18n.t(f"ui.res_status.{status}") if status else "")
        self.comment_list.setPlainText("\n\n".join(
            f"{c.author} ({c.created_at.strftime('%d/%m/%Y')}): {c.body}"
            for c in sheet.comments))

    def _clear(self) -> None:
        self.clear_errors()
        self.comment_error.clear_message()

    def save(self) -> None:
        if self.sheet is None:
            return
        self._clear()
        self.write(partial(
            meetings.save_resolution, meeting_id=self.sheet.meeting_id,
            number=self.number.text(), summary=self.summary.text(),
            results=self.results.toPlainText(),
            tasks=split_pairs(self.tasks.toPlainText(), (" — ", " - ", "—")),
            implementation=self.implementation.toPlainText()), self.show_error,
            self.saved("ui.draft_saved_at"))

    def circulate(self) -> None:
        if self.sheet is not None and self.sheet.resolution_id:
            self._clear()
            self.write(partial(meetings.circulate_resolution,
                               resolution_id=self.sheet.resolution_id),
                       self.show_error, self.saved("ui.circulated_at"))

    def adopt(self) -> None:
        """Adopt with the vote recorded in the minutes (more than half of the voting base)."""
        if self.sheet is None or not self.sheet.resolution_id:
            return
        self._clear()
        data = self.sheet.data
        number = data.resolution.number if data.resolution else ""
        if not confirm(self, plain("ui.adopt"),
                       i18n.t("ui.adopt_confirm", number=number, votes_for=data.votes_for or 0,
                              base=self.sheet.voting_base), i18n.t("ui.adopt")):
            return
        self.write(partial(meetings.adopt_resolution, resolution_id=self.sheet.resolution_id,
                           votes_for=data.votes_for or 0,
                           votes_against=data.votes_against or 0), self.show_error)

    def add_comment(self) -> None:
        if self.sheet is None or not self.sheet.resolution_id:
            return
        self._clear()
        self.write(partial(meetings.add_comment, resolution_id=self.sheet.resolution_id,
                           body=self.comment_body.toPlainText(),
                           author_text=self.comment_author.text()), self.show_error,
                   lambda _result: self.comment_body.clear())   # only once it is stored
