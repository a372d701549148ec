"""Recording a transfer letter sent or received, or changing one; and the small dialog that
asks for one day (presented, a temporary stay over).

The member is chosen from the records (for a letter sent: those on the roster; received: a
new person, whose name and admission come from the letter, or someone who had left). The
deadline follows the issue day by the branch's setting until it is typed; the dues month is
taken from the dues book for a letter sent. Saving asks first, naming the life event that
the letter writes into the member's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.lifecycle import event_label
from sotay_core.domain.transfers import (
    DEFAULT_TRANSFER_RULES,
    Direction,
    TransferKind,
    TransferRules,
    deadline,
)
from sotay_desktop.services.read_models import MemberSummary
from sotay_desktop.services.transfers_read import LetterView, event_kind_for
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, confirm, plain
from sotay_desktop.usecases import transfers
from sotay_desktop.usecases.workspace import Workspace

NEW = "__new__"
LETTER_FIELDS = ("kind", "member", "full_name", "date_of_birth", "admitted_on", "official_on",
                 "number", "issued_on", "valid_until", "from_place", "to_place",
                 "dues_paid_to", "moved_on", "presented_on", "note")
PERSON = ("full_name", "date_of_birth", "admitted_on", "official_on")


def _day_text(day: dt.date | None) -> str:
    return format_vn(day) if day else ""


class LetterDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, direction: Direction,
                 people: list[MemberSummary], parent: QtWidgets.QWidget | None = None, *,
                 existing: LetterView | None = None,
                 rules: TransferRules = DEFAULT_TRANSFER_RULES) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.direction = workspace, runner, direction
        self.existing, self.rules = existing, rules
        self.deadline_typed = existing is not None
        title = "transfers_ui.edit_title" if existing else f"transfers_ui.new_{direction.value}"
        self.setWindowTitle(i18n.t(title))
        self.kind = QtWidgets.QComboBox(self)
        for kind in TransferKind:
            self.kind.addItem(i18n.t(f"transfers.kind_{kind.value}"), kind.value)
        self.member = QtWidgets.QComboBox(self)
        if direction is Direction.IN:
            self.member.addItem(i18n.t("transfers_ui.new_person"), NEW)
        for person in people:
            wanted = person.status.on_roster if direction is Direction.OUT else (
                person.status in (MemberStatus.TRANSFERRED_OUT, MemberStatus.TEMPORARY))
            if wanted or (existing is not None and person.id == existing.member_id):
                self.member.addItem(f"{person.full_name} ({i18n.t(f'status.{person.status}')})",
                                    person.id)
        today = workspace.today()
        line = {name: QtWidgets.QLineEdit(self) for name in LETTER_FIELDS
                if name not in ("kind", "member", "note")}
        self.note = QtWidgets.QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        for name in ("date_of_birth", "admitted_on", "official_on", "issued_on", "valid_until",
                     "moved_on", "presented_on"):
            line[name].setPlaceholderText(i18n.t("ui.date_hint"))
        line["dues_paid_to"].setPlaceholderText(i18n.t("transfers_ui.month_hint"))
        here = i18n.t("transfers_ui.this_branch")
        line["from_place" if direction is Direction.OUT else "to_place"].setPlaceholderText(here)
        line["issued_on"].setText(format_vn(today))
        if direction is Direction.IN:
            line["presented_on"].setText(format_vn(today))
        self.line = line
        self.editors = {"kind": self.kind, "member": self.member, **line, "note": self.note}
        form = QtWidgets.QFormLayout()
        self.rows: dict[str, QtWidgets.QWidget] = {}
        for name in LETTER_FIELDS:
            if (name == "moved_on" and direction is Direction.IN) or (
                    name in PERSON and direction is Direction.OUT):
                self.editors[name].hide()   # not a field of this way
                continue
            key = f"transfers_ui.field_{name}"
            if name == "presented_on":
                key += f"_{direction.value}"
            self.errors[name] = add_field_row(form, self, i18n.t(key), self.editors[name],
                                              plain(key))
        self.form = form
        self.lay_out(form, "transfers_ui.record" if existing is None else "ui.save")
        line["issued_on"].textEdited.connect(lambda _t: self.follow_deadline())
        line["valid_until"].textEdited.connect(self._deadline_typed)
        self.member.currentIndexChanged.connect(lambda _i: self.member_changed())
        if existing is not None:
            self.fill(existing)
        else:
            self.follow_deadline()
            self.member_changed()
        chars = self.fontMetrics().averageCharWidth()   # wider at large type
        resize_within_screen(self, chars * 100, self.fontMetrics().height() * 34)

    # --- filling in

    def fill(self, view: LetterView) -> None:
        self.kind.setCurrentIndex(self.kind.findData(view.kind.value))
        self.member.setCurrentIndex(max(0, self.member.findData(view.member_id)))
        self.kind.setEnabled(False)
        self.member.setEnabled(False)
        values = {"number": view.number, "issued_on": _day_text(view.issued_on),
                  "valid_until": _day_text(view.valid_until), "from_place": view.from_place,
                  "to_place": view.to_place, "presented_on": _day_text(view.presented_on),
                  "dues_paid_to": str(view.dues_paid_to) if view.dues_paid_to else "",
                  "moved_on": _day_text(view.event_date)}
        for name, text in values.items():
            self.line[name].setText(text)
        for name in PERSON:
            self.line[name].setEnabled(False)
        self.note.setPlainText(view.note)

    def _deadline_typed(self, _text: str) -> None:
        self.deadline_typed = True

    def follow_deadline(self) -> None:
        """Until the deadline is typed, it is the issue day plus the setting's days."""
        if self.deadline_typed:
            return
        try:
            issued = parse_date(self.line["issued_on"].text())
        except ValueError:
            return
        self.line["valid_until"].setText(format_vn(deadline(issued, self.rules)))

    def member_changed(self) -> None:
        """A new person shows the letter's admission fields; a member leaving gets the dues
        book's month (read off the UI thread)."""
        chosen = self.member.currentData()
        for name in PERSON:
            if name in self.errors:
                self.line[name].setEnabled(chosen == NEW)
        if self.direction is Direction.OUT and chosen and self.existing is None:
            ws = self.workspace
            self.runner.query(lambda: transfers.paid_up_to(ws, chosen), self._dues_found,
                              lambda exc: None)

    def _dues_found(self, month: Any) -> None:
        self.line["dues_paid_to"].setText(str(month) if month else "")

    # --- saving

    def values(self) -> dict[str, Any]:
        return {name: self.line[name].text().strip() for name in self.line}

    def save(self) -> None:
        self.clear_errors()
        v = self.values()
        if self.existing is not None:
            self.save_changes(v)
            return
        kind = TransferKind(self.kind.currentData())
        chosen = self.member.currentData()
        person = None
        if chosen == NEW:
            person = {name: v[name] for name in PERSON}
        day = v["moved_on"] or v["issued_on"] if self.direction is Direction.OUT \
            else v["presented_on"]
        name = v["full_name"] if chosen == NEW else self.member.currentText()
        event = event_label(event_kind_for(self.direction, kind))
        text = (i18n.t("transfers_ui.confirm", name=name, event=event, date=day) if day
                else i18n.t("transfers_ui.confirm_waiting", name=name))
        if not confirm(self, self.windowTitle(), text, i18n.t("transfers_ui.record")):
            return
        ws, direction = self.workspace, self.direction
        note = self.note.toPlainText()
        self.submit(self.runner, lambda: transfers.record_letter(
            ws, direction=direction, kind=kind, number=v["number"], issued_on=v["issued_on"],
            member_id=None if chosen == NEW else chosen, person=person,
            valid_until=v["valid_until"] or None, from_place=v["from_place"],
            to_place=v["to_place"], dues_paid_to=v["dues_paid_to"],
            presented_on=v["presented_on"] or None,
            moved_on=(v.get("moved_on") or None) if direction is Direction.OUT else None,
            note=note))

    def save_changes(self, v: dict[str, str]) -> None:
        assert self.existing is not None
        names = ["number", "issued_on", "valid_until", "from_place", "to_place",
                 "dues_paid_to", "presented_on"]
        if self.direction is Direction.OUT:
            names.append("moved_on")
        values: dict[str, Any] = {name: v[name] or None for name in names}
        values["note"] = self.note.toPlainText()
        values["dues_paid_to"] = v["dues_paid_to"]
        ws, transfer_id = self.workspace, self.existing.id
        self.submit(self.runner, lambda: (transfer_id, transfers.update_letter(
            ws, transfer_id, values)))


class DayDialog(FormDialog):
    """One day, asked for (presented; a temporary stay over), by ``job(day)``."""

    def __init__(self, runner: TaskRunner, title: str, label_key: str, job: Any,
                 today: dt.date, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.job = runner, job
        self.setWindowTitle(title)
        self.day = QtWidgets.QLineEdit(format_vn(today), self)
        self.day.setPlaceholderText(i18n.t("ui.date_hint"))
        self.editors = {"date": self.day}
        form = QtWidgets.QFormLayout()
        for field in ("date", "presented_on", "ended_on"):
            self.errors[field] = self.errors.get("date") or add_field_row(
                form, self, i18n.t(label_key), self.day, plain(label_key))
        self.lay_out(form)

    def save(self) -> None:
        self.clear_errors()
        day, job = self.day.text().strip(), self.job
        self.submit(self.runner, lambda: job(day))
