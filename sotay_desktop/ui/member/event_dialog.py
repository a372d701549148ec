"""Recording one event in a member's life in the Party, after a confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6 import QtWidgets

from sotay_desktop import i18n
from sotay_desktop.domain.dates import parse_date
from sotay_desktop.domain.entities import EventKind, Member
from sotay_desktop.domain.errors import DomainError, ValidationError
from sotay_desktop.domain.lifecycle import event_label
from sotay_desktop.services.store import BranchStore
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FieldError, add_field_row, error_text, ok_cancel, plain

FIELDS = (("kind", "ui.event_kind"), ("date", "ui.event_date"),
          ("decision", "ui.event_decision"), ("place", "ui.event_place"),
          ("detail", "ui.event_detail"))


class EventDialog(QtWidgets.QDialog):
    def __init__(self, store: BranchStore, runner: TaskRunner, member: Member,
                 parent: QtWidgets.QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.member = member
        self.today = today
        self.saved_id: str | None = None
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
        self.errors: dict[str, FieldError] = {}
        form = QtWidgets.QFormLayout()
        editors: dict[str, QtWidgets.QWidget] = {"kind": self.kind, "date": self.date,
                                                 "decision": self.decision,
                                                 "place": self.place, "detail": self.detail}
        for name, key in FIELDS:
            self.errors[name] = add_field_row(form, self, i18n.t(key), editors[name], plain(key))
        self.general_error = FieldError(self)
        self.buttons = ok_cancel(self)
        self.buttons.accepted.connect(self.save)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def selected_kind(self) -> EventKind:
        return EventKind(self.kind.currentData())

    def show_error(self, exc: BaseException) -> None:
        field = exc.field if isinstance(exc, DomainError) else None
        target = self.errors.get(field or "", self.general_error)
        target.show_message(error_text(exc))

    def save(self) -> None:
        self.general_error.clear_message()
        for error in self.errors.values():
            error.clear_message()
        try:
            day = parse_date(self.date.text())
        except ValueError:
            self.show_error(ValidationError("bad_date", field="date", value=self.date.text()))
            return
        kind = self.selected_kind()
        answer = QtWidgets.QMessageBox.question(
            self, self.windowTitle(),
            i18n.t("ui.event_confirm", event=event_label(kind), date=day.strftime("%d/%m/%Y"),
                   name=self.member.full_name))
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        store, member_id = self.store, self.member.id
        decision, place, detail = self.decision.text(), self.place.text(), self.detail.text()
        self.buttons.setEnabled(False)
        self.runner.run(
            lambda: store.record_event(member_id, kind, day, decision=decision, place=place,
                                       detail=detail)[0],
            self._saved, self._failed, write=True)

    def _saved(self, event_id: str) -> None:
        self.saved_id = event_id
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.show_error(exc)
