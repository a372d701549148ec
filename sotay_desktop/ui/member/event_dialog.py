"""Recording one event in a member's life in the Party, after a confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import EventKind, MemberRecord
from sotay_core.domain.errors import LifecycleError, ValidationError
from sotay_core.domain.lifecycle import check_history, event_label, possible_events
from sotay_core.domain.member_input import clean_date_field
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, confirm, plain
from sotay_desktop.usecases import members
from sotay_desktop.usecases.workspace import Workspace

FIELDS = (("kind", "ui.event_kind"), ("date", "ui.event_date"),
          ("decision", "ui.event_decision"), ("place", "ui.event_place"),
          ("detail", "ui.event_detail"))


def offered_kinds(record: MemberRecord) -> list[EventKind]:
    """The events the member's history allows next (``lifecycle.possible_events``)."""
    try:
        state = check_history(record.events, date_of_birth=record.member.date_of_birth)
    except LifecycleError:   # a history the rules reject (old data): let the service judge
        return list(EventKind)
    return possible_events(state)


class EventDialog(FormDialog):
    """Offers only the events that can follow the member's present status: no "Trở về"
    for someone who never left, nothing after a death. A back-dated event is still checked
    against the whole history by the service, and its refusal shown beside the date."""

    def __init__(self, workspace: Workspace, runner: TaskRunner, record: MemberRecord,
                 parent: QtWidgets.QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.member = record.member
        self.today = today
        self.setWindowTitle(i18n.t("ui.event_title", name=self.member.full_name))
        self.kind = QtWidgets.QComboBox(self)
        for kind in offered_kinds(record):
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
        if self.kind.count() == 0:   # e.g. after a death: say so instead of an empty list
            self.general_error.show_message(i18n.t("ui.no_event_possible",
                                                   status=i18n.t(f"status.{record.status}")))
            for editor in self.editors.values():
                editor.setEnabled(False)
            assert self.buttons is not None
            ok = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
            ok.setEnabled(False)

    def selected_kind(self) -> EventKind:
        return EventKind(self.kind.currentData())

    def save(self) -> None:
        if self.kind.count() == 0:
            return
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
        workspace, member_id = self.workspace, self.member.id
        decision, place, detail = self.decision.text(), self.place.text(), self.detail.text()
        self.submit(self.runner, lambda: members.record_event(
            workspace, member_id, kind, day, decision=decision, place=place, detail=detail))
