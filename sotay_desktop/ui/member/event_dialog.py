"""Recording one event in a member's life in the Party, after a confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6 import QtWidgets

from sotay_desktop import i18n
from sotay_desktop.domain.entities import EventKind, Member
from sotay_desktop.domain.errors import ValidationError
from sotay_desktop.domain.lifecycle import event_label
from sotay_desktop.domain.member_input import clean_date_field
from sotay_desktop.services.store import BranchStore
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, confirm, plain

FIELDS = (("kind", "ui.event_kind"), ("date", "ui.event_date"),
          ("decision", "ui.event_decision"), ("place", "ui.event_place"),
          ("detail", "ui.event_detail"))


class EventDialog(FormDialog):
    def __init__(self, store: BranchStore, runner: TaskRunner, member: Member,
                 parent: QtWidgets.QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.member = member
        self.today = today
        self.setWindowTitle(i18n.t("ui.event_title", name=member.full_name))
        self.kind = QtWidgets.QComboBox(self)
        for kind in EventKind:
            self.kind.addItem(event_label(kind), kind.value)
        self.date = QtWidgets.QLineEdit(self)
        self.date.setPlaceholderText(i18n.t("ui.date_hint"))
        self.date.setText(today().strftime("%d/%m/%Y"))
        self.decision = QtWidgets.QLineEdit(self)
        self.place = QtWidgets.QLineEdit(self)
        self.detail = QtWidgets.QLineEdit(self)
        form = QtWidgets.QFormLayout()
        self.editors = {"kind": self.kind, "date": self.date,
                                                 "decision": self.decision,
                                                 "place": self.place, "detail": self.detail}
        for name, key in FIELDS:
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        self.lay_out(form)

    def selected_kind(self) -> EventKind:
        return EventKind(self.kind.currentData())

    def save(self) -> None:
        self.clear_errors()
        try:   # the service's own check, here so the confirmation names a real date
            day = clean_date_field("date", self.date.text(), today=self.today())
            if day is None:
                raise ValidationError("required", field="date")
        except ValidationError as exc:
            self.show_error(exc)
            return
        kind = self.selected_kind()
        if not confirm(self, self.windowTitle(),
                       i18n.t("ui.event_confirm", event=event_label(kind),
                              date=day.strftime("%d/%m/%Y"), name=self.member.full_name),
                       i18n.t("ui.verb_record_event")):
            return
        store, member_id = self.store, self.member.id
        decision, place, detail = self.decision.text(), self.place.text(), self.detail.text()
        self.submit(self.runner, lambda: store.record_event(
            member_id, kind, day, decision=decision, place=place, detail=detail)[0])
