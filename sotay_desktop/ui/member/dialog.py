"""The member form: every field of the personal record, errors shown beside the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.entities import Gender, Member
from sotay_core.domain.errors import DomainError
from sotay_core.domain.member_input import MAX_LENGTH, clean_member_input
from sotay_desktop.ui.display import resize_within_screen, scrolling
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import FormDialog, add_field_row, ok_cancel
from sotay_desktop.usecases import members
from sotay_desktop.usecases.workspace import Workspace

TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ui.tab_personal", ("full_name", "birth_name", "alias", "gender", "date_of_birth",
                         "place_of_birth", "hometown", "residence", "ethnicity", "religion",
                         "phone", "admitted_on", "official_on")),
    ("ui.tab_education", ("education_general", "education_professional", "political_theory",
                          "languages", "occupation_before", "occupation_now",
                          "service_background")),
    ("ui.tab_party", ("card_number", "record_number", "badge_numbers", "notes")),
)
DATE_FIELDS = ("date_of_birth", "admitted_on", "official_on")
CREATE_ONLY = ("admitted_on", "official_on")


def with_mnemonic(label: str, used: set[str]) -> str:
    """Put '&' before the first ASCII letter not yet used in this dialog."""
    for index, ch in enumerate(label):
        if ch.isascii() and ch.isalpha() and ch.lower() not in used:
            used.add(ch.lower())
            return f"{label[:index]}&{label[index:]}"
    return label


def _format_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class MemberDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, member: Member | None = None,
                 parent: QtWidgets.QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.member = member
        self.today = today
        self.setWindowTitle(i18n.t("ui.member_edit" if member else "ui.member_new"))
        self.tabs = QtWidgets.QTabWidget(self)
        used: set[str] = {"l", "h"}  # &Lưu and &Huỷ
        for tab_key, fields in TABS:
            page = QtWidgets.QWidget(self.tabs)
            form = QtWidgets.QFormLayout(page)
            for name in fields:
                if member is not None and name in CREATE_ONLY:
                    continue  # dates of admission change only through recorded events
                editor = self._make_editor(name)
                self.errors[name] = add_field_row(
                    form, page, with_mnemonic(i18n.field_label(name) + ":", used), editor,
                    i18n.field_label(name))
                self.editors[name] = editor
            self.tabs.addTab(scrolling(page, self.tabs), i18n.t(tab_key))   # large type
        self.buttons = ok_cancel(self)
        self.buttons.accepted.connect(self.save)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        if member is not None:
            self._fill(member)
        # what the form showed when it opened: a save sends only what the person changed,
        # so a change made meanwhile elsewhere (the CLI, another window, a sync) is kept
        self._shown = self.values()
        resize_within_screen(self, 720, 560)

    def _make_editor(self, name: str) -> QtWidgets.QWidget:
        if name == "gender":
            combo = QtWidgets.QComboBox(self)
            combo.addItem(i18n.t("ui.gender_unknown"), "")
            for gender in Gender:
                combo.addItem(i18n.t(f"gender.{gender.value}"), gender.value)
            return combo
        if name == "notes":
            notes = QtWidgets.QPlainTextEdit(self)
            notes.setTabChangesFocus(True)
            return notes
        edit = QtWidgets.QLineEdit(self)
        if name in DATE_FIELDS:
            edit.setPlaceholderText(i18n.t("ui.date_hint"))
            edit.setMaxLength(10)
        elif name in MAX_LENGTH:
            edit.setMaxLength(MAX_LENGTH[name])
        return edit

    def _fill(self, member: Member) -> None:
        for name, editor in self.editors.items():
            value = getattr(member, name, "")
            if isinstance(editor, QtWidgets.QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(value.value if value else "")))
            elif isinstance(editor, QtWidgets.QPlainTextEdit):
                editor.setPlainText(value or "")
            elif isinstance(editor, QtWidgets.QLineEdit):
                editor.setText(_format_date(value) if name in DATE_FIELDS else (value or ""))

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QtWidgets.QComboBox):
                data[name] = editor.currentData() or None
            elif isinstance(editor, QtWidgets.QPlainTextEdit):
                data[name] = editor.toPlainText()
            elif isinstance(editor, QtWidgets.QLineEdit):
                data[name] = editor.text()
        return data

    def focus_field(self, editor: QtWidgets.QWidget) -> None:
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).isAncestorOf(editor):
                self.tabs.setCurrentIndex(index)
        editor.setFocus()

    def save(self) -> None:
        self.clear_errors()
        data = self.values()
        try:  # the same pure checks as the service, at once and on the UI thread
            clean_member_input(data, today=self.today(), creating=self.member is None)
        except DomainError as exc:
            self.show_error(exc)
            return
        workspace, member = self.workspace, self.member
        if member is None:
            self.submit(self.runner, lambda: members.add_member(workspace, data))
            return
        changed = {k: v for k, v in data.items() if self._shown.get(k) != v}
        self.submit(self.runner,
                    lambda: (member.id, members.update_member(workspace, member.id, changed)))
