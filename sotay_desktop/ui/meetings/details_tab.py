"""The details tab: date, time, place, chair, recorder, signer, guests and agenda."""

from __future__ import annotations

from functools import partial

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.ui.meetings.tab_base import (
    FormTab,
    Write,
    ask_same_title,
    form_rows,
    text_edit,
)
from sotay_desktop.usecases import meetings
from sotay_desktop.usecases.meetings import MeetingFields, MeetingSheet


class DetailsTab(FormTab):
    """Title, date and time, place, chair and recorder, guests, and the agenda."""

    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(write, parent)
        self.title = QtWidgets.QLineEdit(self)
        self.date = QtWidgets.QLineEdit(self)
        self.starts_at = QtWidgets.QLineEdit(self)
        self.place = QtWidgets.QLineEdit(self)
        self.chair = QtWidgets.QComboBox(self)
        self.recorder = QtWidgets.QComboBox(self)
        self.signer = QtWidgets.QComboBox(self)     # the bí thư of the committee term
        self.guests = QtWidgets.QLineEdit(self)
        self.agenda = text_edit(self, 7)
        form = QtWidgets.QFormLayout()
        self.errors = form_rows(form, self, (
            ("title", "ui.meeting_title", self.title),
            ("date", "ui.meeting_date", self.date),
            ("starts_at", "ui.meeting_time", self.starts_at),
            ("place", "ui.meeting_place", self.place),
            ("chair_id", "ui.meeting_chair", self.chair),
            ("recorder_id", "ui.meeting_recorder", self.recorder),
            ("secretary_id", "ui.meeting_signer", self.signer),
            ("guests", "ui.meeting_guests", self.guests),
            ("agenda", "ui.meeting_agenda", self.agenda)))
        self.save_button = QtWidgets.QPushButton(i18n.t("ui.save_details"), self)
        self.lay_out(form, self.save_button)
        self.save_button.clicked.connect(lambda _checked=False: self.save())

    def show_sheet(self, sheet: MeetingSheet) -> None:
        self.sheet = sheet
        d = sheet.details
        self.title.setText(d.title)
        self.date.setText(d.date.strftime("%d/%m/%Y"))
        self.starts_at.setText(d.starts_at)
        self.place.setText(d.place)
        # An empty chair or signer is offered the branch secretary in office (or the chair):
        # the papers need both names, and it is usually the bí thư.
        for combo, current in ((self.chair, d.chair_id or d.secretary_id),
                               (self.recorder, d.recorder_id),
                               (self.signer, d.secretary_id or d.chair_id)):
            combo.clear()
            combo.addItem(i18n.t("ui.nobody"), "")
            for member_id, name in d.people:
                combo.addItem(name, member_id)
            combo.setCurrentIndex(max(0, combo.findData(current or "")))
        self.guests.setText(d.guests)
        self.agenda.setPlainText("\n".join(d.agenda))

    def show_error(self, exc: Exception) -> None:
        if (isinstance(exc, DomainError) and exc.code == "meeting_same_title"
                and ask_same_title(self, exc, "ui.save_anyway")):
            self.save(allow_same_title=True)
            return
        super().show_error(exc)

    def save(self, *, allow_same_title: bool = False) -> None:
        if self.sheet is None:
            return
        self.clear_errors()
        fields: MeetingFields = {   # the service checks every field and names it
            "title": self.title.text(), "date": self.date.text(),
            "starts_at": self.starts_at.text(), "place": self.place.text(),
            "chair_id": self.chair.currentData() or None,
            "recorder_id": self.recorder.currentData() or None, "guests": self.guests.text(),
            "secretary_id": self.signer.currentData() or None,
            "agenda": [line for line in self.agenda.toPlainText().splitlines() if line.strip()],
        }
        self.write(partial(meetings.update_meeting, meeting_id=self.sheet.meeting_id,
                           fields=fields, allow_same_title=allow_same_title),
                   self.show_error, self.saved("ui.details_saved_at"))
