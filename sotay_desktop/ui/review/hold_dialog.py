"""The branch meeting held: its day, and the meeting of the records it was (optional; its
day is then the day held). Refused in words while a proposal is missing or the
"excellent" pass the cap; the dialog stays open with what was chosen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, plain
from sotay_desktop.usecases import meetings, review
from sotay_desktop.usecases.workspace import Workspace


class HoldDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, year: int,
                 quarter: int | None, period_words: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.year, self.quarter = workspace, runner, year, quarter
        self.setWindowTitle(i18n.t("review_ui.hold_title", period=period_words))
        self.day = QtWidgets.QLineEdit(format_vn(workspace.today()), self)
        self.day.setPlaceholderText(i18n.t("review_ui.date_hint"))
        self.meeting = QtWidgets.QComboBox(self)
        self.meeting.addItem(i18n.t("review_ui.no_meeting"), None)
        self.editors = {"meeting": self.meeting, "day": self.day}
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, key in (("meeting", "review_ui.hold_meeting"), ("day", "review_ui.hold_day")):
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        note = QtWidgets.QLabel(i18n.t("review_ui.hold_note"), self)
        note.setWordWrap(True)
        form.addRow(note)
        self.lay_out(form, ok_key="review_ui.hold_save")
        self.meeting.activated.connect(self._meeting_chosen)
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 72, metrics.lineSpacing() * 16)
        ws = workspace
        runner.query(lambda: meetings.meetings(ws), self._show_meetings,
                     self.general_error.show_exception)

    def _show_meetings(self, found: list[Any]) -> None:
        """The meetings of the year, newest first; the latest one chosen."""
        days: list[dt.date] = []
        for summary in sorted(found, key=lambda m: m.date, reverse=True):
            if summary.date.year != self.year or summary.date > self.workspace.today():
                continue
            self.meeting.addItem(f"{format_vn(summary.date)} — {summary.title}",
                                 (summary.id, summary.date.isoformat()))
            days.append(summary.date)
        if days:
            self.meeting.setCurrentIndex(1)
            self._meeting_chosen()

    def _meeting_chosen(self, *_args: Any) -> None:
        chosen = self.meeting.currentData()
        if chosen is not None:
            self.day.setText(format_vn(dt.date.fromisoformat(chosen[1])))

    def save(self) -> None:
        self.clear_errors()
        try:
            held_on = parse_date(self.day.text())
        except ValueError:
            self.errors["day"].show_message(i18n.t("review_ui.bad_date", value=self.day.text()))
            self.day.setFocus()
            return
        chosen = self.meeting.currentData()
        meeting_id = chosen[0] if chosen is not None else None
        ws, year, quarter = self.workspace, self.year, self.quarter

        def job() -> tuple[str, Changes]:
            return "", review.hold(ws, year, quarter, held_on, meeting_id)

        self.submit(self.runner, job)
