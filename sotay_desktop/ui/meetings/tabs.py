"""The tabs of one meeting: attendance, minutes, resolution (with comments beside it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_desktop.documents.party_docs import ATTENDANCE_WORDS
from sotay_core.domain.entities import Attendance, MemberStatus
from sotay_core.domain.errors import DomainError
from sotay_core.domain.rules import majority_needed
from sotay_desktop.services.store import MeetingSheet
from sotay_desktop.ui.display import scrolling
from sotay_desktop.ui.meetings.models import AttendanceModel
from sotay_desktop.ui.widgets import (
    DoneNote,
    FieldError,
    add_field_row,
    clock_time,
    confirm,
    plain,
)

MARK_REST_PRESENT = "Ctrl+Shift+C"   # "có mặt": the rest of the roll call in one step


class Write(Protocol):
    """Run one meeting write off the UI thread; errors go to ``on_error``; ``on_done`` gets
    what the write returned."""

    def __call__(self, operation: str, kwargs: dict[str, Any],
                 on_error: Callable[[Exception], None],
                 on_done: Callable[[Any], None] | None = None) -> None: ...


def _text_edit(parent: QtWidgets.QWidget, lines: int = 4) -> QtWidgets.QPlainTextEdit:
    edit = QtWidgets.QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


def form_rows(form: QtWidgets.QFormLayout, parent: QtWidgets.QWidget,
              rows: tuple[tuple[str, str, QtWidgets.QWidget], ...]) -> dict[str, FieldError]:
    """(field name, i18n key of the label, editor) rows -> the error line of each field."""
    return {name: add_field_row(form, parent, i18n.t(key), editor, plain(key))
            for name, key, editor in rows}


def split_pairs(text: str, separators: tuple[str, ...]) -> list[tuple[str, str]]:
    """Lines of "name: text" (or "task — who") into pairs; a line without one keeps it all."""
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in separators:
            if sep in line:
                left, right = line.split(sep, 1)
                pairs.append((left.strip(), right.strip()))
                break
        else:
            pairs.append((line, ""))
    return pairs


def ask_same_title(parent: QtWidgets.QWidget, exc: DomainError,
                   verb_key: str = "ui.create_anyway") -> bool:
    """"Vẫn tạo" (or "Vẫn lưu") or "Huỷ" for a second meeting with the same title in one
    month."""
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question,
                                i18n.t("ui.meeting_same_title_title"), exc.message(),
                                QtWidgets.QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    act = box.addButton(i18n.t(verb_key), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(i18n.t("ui.cancel"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is act


class FormTab(QtWidgets.QWidget):
    """A tab of fields saved through ``write``, with errors shown beside each field."""

    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.write = write
        self.sheet: MeetingSheet | None = None
        self.errors: dict[str, FieldError] = {}
        self.general_error = FieldError(self)
        self.done_note = DoneNote(self)

    def saved(self, key: str) -> Callable[[Any], None]:
        """What ``on_done`` runs: the note "✓ Đã lưu … lúc 09:12" under the buttons."""
        return lambda _result: self.done_note.show_message(i18n.t(key, time=clock_time()))

    def lay_out(self, form: QtWidgets.QFormLayout, save_button: QtWidgets.QPushButton) -> None:
        """The form, its error line and the save button, in a scroll area (large type)."""
        content = QtWidgets.QWidget(self)
        layout = QtWidgets.QVBoxLayout(content)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        row = QtWidgets.QHBoxLayout()   # the note beside the button it answers
        row.addWidget(save_button, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.done_note, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content, self))

    def clear_errors(self) -> None:
        for error in (*self.errors.values(), self.general_error, self.done_note):
            error.clear_message()

    def show_error(self, exc: Exception) -> None:
        field = getattr(exc, "field", None)
        self.errors.get(field or "", self.general_error).show_exception(exc)


class AttendanceTab(QtWidgets.QWidget):
    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.write = write
        self.sheet: MeetingSheet | None = None
        self.model = AttendanceModel(self)
        self.table = QtWidgets.QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(plain("ui.tab_attendance"))
        self.status = QtWidgets.QComboBox(self)
        for mark in Attendance:
            self.status.addItem(ATTENDANCE_WORDS[mark], mark.value)
        self.reason = QtWidgets.QLineEdit(self)
        self.mark_button = QtWidgets.QPushButton(i18n.t("ui.mark"), self)
        self.all_button = QtWidgets.QPushButton(i18n.t("ui.mark_all_present"), self)
        shortcut = QtGui.QKeySequence(MARK_REST_PRESENT)
        tip = i18n.t("ui.mark_all_present_tip", shortcut=shortcut.toString(
            QtGui.QKeySequence.SequenceFormat.NativeText))
        self.all_button.setToolTip(tip)
        self.all_button.setAccessibleDescription(tip)
        self.rest_shortcut = QtGui.QShortcut(shortcut, self)
        self.rest_shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.rest_shortcut.activated.connect(self.mark_rest_present)
        self.counts = QtWidgets.QLabel(self)
        self.counts.setWordWrap(True)
        self.error = FieldError(self)
        self.done_note = DoneNote(self)
        form = QtWidgets.QFormLayout()
        add_field_row(form, self, i18n.t("ui.col_attendance") + ":", self.status,
                      i18n.t("ui.col_attendance"))
        add_field_row(form, self, i18n.t("ui.col_reason") + ":", self.reason,
                      i18n.t("ui.col_reason"))
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.all_button)
        buttons.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.done_note)
        self.mark_button.clicked.connect(self.mark_selected)
        self.all_button.clicked.connect(self.mark_rest_present)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def show_sheet(self, sheet: MeetingSheet) -> None:
        row = self.table.currentIndex().row()
        self.sheet = sheet
        self.model.set_rows(sheet.attendance)
        self.table.resizeColumnsToContents()
        if 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, 0))
        present = sum(1 for line in sheet.attendance if line.status is Attendance.PRESENT)
        called = sum(1 for line in sheet.attendance
                     if line.status not in (Attendance.EXEMPTED, Attendance.AWAY))
        self.counts.setText(i18n.t("ui.attendance_counts", present=present, called=called,
                                   base=sheet.voting_base,
                                   needed=majority_needed(sheet.voting_base)))

    def _row_changed(self, current: QtCore.QModelIndex, _previous: Any) -> None:
        if current.isValid():
            line = self.model.row_at(current.row())
            if line.status is not None:
                self.status.setCurrentIndex(self.status.findData(line.status.value))
            self.reason.setText(line.reason)

    def mark_selected(self) -> None:
        index = self.table.currentIndex()
        if self.sheet is None or not index.isValid():
            return
        self.error.clear_message()
        self.done_note.clear_message()
        line = self.model.row_at(index.row())
        if (self.status.currentData() == Attendance.EXEMPTED.value
                and line.member_status is not MemberStatus.EXEMPTED
                and not self._exempt_anyway(line.name, line.member_status)):
            return
        self.write("set_attendance", {"meeting_id": self.sheet.meeting_id,
                                      "member_id": line.member_id,
                                      "status": self.status.currentData(),
                                      "reason": self.reason.text()}, self.error.show_exception)
        if index.row() + 1 < self.model.rowCount():   # on to the next person, as on paper
            self.table.setCurrentIndex(self.model.index(index.row() + 1, 0))

    def _exempt_anyway(self, name: str, status: MemberStatus | None) -> bool:
        """"Miễn sinh hoạt" is for members exempted by a decision; anyone else, ask first."""
        status_text = i18n.t(f"status.{status.value}") if status else ""
        return confirm(self, ATTENDANCE_WORDS[Attendance.EXEMPTED],
                       i18n.t("ui.exempt_confirm", name=name, status=status_text),
                       i18n.t("ui.exempt_anyway"))

    def mark_rest_present(self) -> None:
        """Everyone not yet marked is present: one write, however many people."""
        if self.sheet is None:
            return
        self.error.clear_message()
        if all(line.status is not None for line in self.sheet.attendance):
            self.done_note.show_message(i18n.t("ui.nobody_left_to_mark"))
            return
        self.done_note.clear_message()

        def done(result: tuple[int, Any]) -> None:
            self.done_note.show_message(i18n.t("ui.marked_rest_present", count=result[0]))

        self.write("mark_rest_present", {"meeting_id": self.sheet.meeting_id},
                   self.error.show_exception, done)


class MinutesTab(FormTab):
    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(write, parent)
        self.speakers = _text_edit(self, 6)
        self.conclusion = _text_edit(self, 3)
        self.votes_for = QtWidgets.QSpinBox(self)
        self.votes_against = QtWidgets.QSpinBox(self)
        for spin in (self.votes_for, self.votes_against):
            spin.setRange(0, 1000)
        self.ends_at = QtWidgets.QLineEdit(self)
        self.ends_at.setPlaceholderText("21:00")
        self.save_button = QtWidgets.QPushButton(i18n.t("ui.save_minutes"), self)
        form = QtWidgets.QFormLayout()
        self.errors = form_rows(form, self, (
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
        self.speakers.setPlainText("\n".join(f"{s.name}: {s.gist}" for s in data.speakers))
        self.conclusion.setPlainText(data.conclusion)
        self.votes_for.setValue(data.votes_for or 0)
        self.votes_against.setValue(data.votes_against or 0)
        self.ends_at.setText(data.ends_at)

    def save(self) -> None:
        if self.sheet is None:
            return
        self.clear_errors()
        self.write("save_minutes", {
            "meeting_id": self.sheet.meeting_id,
            "speakers": split_pairs(self.speakers.toPlainText(), (":",)),
            "conclusion": self.conclusion.toPlainText(),
            "votes_for": self.votes_for.value(), "votes_against": self.votes_against.value(),
            "ends_at": self.ends_at.text()}, self.show_error, self.saved("ui.minutes_saved_at"))


class ResolutionTab(FormTab):
    def __init__(self, write: Write, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(write, parent)
        self.number = QtWidgets.QLineEdit(self)
        self.summary = QtWidgets.QLineEdit(self)
        self.results = _text_edit(self)
        self.tasks = _text_edit(self)
        self.implementation = _text_edit(self, 2)
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
        self.comment_body = _text_edit(self, 2)
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
        self.write("save_resolution", {
            "meeting_id": self.sheet.meeting_id, "number": self.number.text(),
            "summary": self.summary.text(), "results": self.results.toPlainText(),
            "tasks": split_pairs(self.tasks.toPlainText(), (" — ", " - ", "—")),
            "implementation": self.implementation.toPlainText()}, self.show_error,
            self.saved("ui.draft_saved_at"))

    def circulate(self) -> None:
        if self.sheet is not None and self.sheet.resolution_id:
            self._clear()
            self.write("circulate_resolution", {"resolution_id": self.sheet.resolution_id},
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
        self.write("adopt_resolution", {"resolution_id": self.sheet.resolution_id,
                                        "votes_for": data.votes_for or 0,
                                        "votes_against": data.votes_against or 0},
                   self.show_error)

    def add_comment(self) -> None:
        if self.sheet is None or not self.sheet.resolution_id:
            return
        self._clear()
        self.write("add_comment", {"resolution_id": self.sheet.resolution_id,
                                   "body": self.comment_body.toPlainText(),
                                   "author_text": self.comment_author.text()}, self.show_error,
                   lambda _result: self.comment_body.clear())   # only once it is stored


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
        self.agenda = _text_edit(self, 7)
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
        self.write("update_meeting", {   # the service checks every field and names it
            "allow_same_title": allow_same_title,
            "meeting_id": self.sheet.meeting_id, "title": self.title.text(),
            "date": self.date.text(),
            "starts_at": self.starts_at.text(), "place": self.place.text(),
            "chair_id": self.chair.currentData() or None,
            "recorder_id": self.recorder.currentData() or None, "guests": self.guests.text(),
            "secretary_id": self.signer.currentData() or None,
            "agenda": [line for line in self.agenda.toPlainText().splitlines() if line.strip()],
        }, self.show_error, self.saved("ui.details_saved_at"))
