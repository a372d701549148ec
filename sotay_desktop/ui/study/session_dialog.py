"""A study session (issue 21): its day, kind (a session, a make-up, a visit at home), place,
the documents studied, and who was present: ticked by name (roster order, a search that
ignores diacritics) or by scanning the member's card into the field that has the focus.

A scan is looked up by the core's rules (``usecases.study.find_member_by_code``): the member
is ticked and named in large type ("✓ Nguyễn Văn A"); a second scan of the same card says
"đã điểm danh" and counts once; another branch's card, an unknown or misread code is refused
in red and nothing changes. The field clears and keeps the focus for the next card.

A new session is written once, on Save (``record_session``); a refused save keeps all that
was typed and ticked. An existing session's attendance is written as it is taken
(``scan``, ``mark_present``, ``unmark``), so a queue at the door loses nothing."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_core.domain.dates import format_vn, parse_date
from sotay_core.domain.study_view import PlanView, SessionLine
from sotay_desktop.services.changes import Changes
from sotay_desktop.ui.check_list import CheckListModel
from sotay_desktop.ui.display import resize_within_screen
from sotay_desktop.ui.flow_layout import labelled, screen_budget, wrapped_rows
from sotay_desktop.ui.study.roll import RollModel
from sotay_desktop.ui.study.scan import ScanField, ScanNote, ScanQueue, scan_label
from sotay_desktop.ui.study.screen_data import Found, who_is
from sotay_desktop.ui.study.words import SESSION_KINDS, kind_words
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, FormDialog, error_text, plain
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace


class SessionDialog(FormDialog):
    def __init__(self, workspace: Workspace, runner: TaskRunner, view: PlanView,
                 session: SessionLine | None = None, kind: str = "session",
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.view, self.session = workspace, runner, view, session
        live = session is not None
        self.setWindowTitle(i18n.t("study_ui.session_title_live" if live
                                   else "study_ui.session_title", plan=view.plan.title))
        self.day = QtWidgets.QLineEdit(format_vn(session.held_on if session
                                                 else workspace.today()), self)
        self.day.setPlaceholderText(i18n.t("study_ui.date_hint"))
        self.kind = QtWidgets.QComboBox(self)
        for name in SESSION_KINDS:
            self.kind.addItem(kind_words(name), name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(session.kind if session else kind)))
        self.place = QtWidgets.QLineEdit(session.place if session else "", self)
        self.docs = CheckListModel(self)
        self.docs.set_items([(d.id, d.title + (f" ({d.number})" if d.number else ""))
                             for d in view.plan.documents])
        self.docs.checked = set(session.documents) if session else {
            d.id for d in view.plan.documents}
        self.docs_view = QtWidgets.QListView(self)
        self.docs_view.setModel(self.docs)
        self.docs_view.setAccessibleName(plain("study_ui.session_documents"))
        self.scan = ScanField(self)
        self.scan_note = ScanNote(self)
        self.scan_note.hide()
        self.search = QtWidgets.QLineEdit(self)
        self.search.setPlaceholderText(i18n.t("study_ui.search_hint"))
        self.search.setAccessibleName(plain("study_ui.search"))
        self.search.setClearButtonEnabled(True)
        self.roll = RollModel(self)
        members = [(m.member_id, m.name, not m.targeted) for m in view.members]
        self.roll.set_members(members, session.present if session else ())
        self.roll_view = QtWidgets.QListView(self)
        self.roll_view.setModel(self.roll)
        self.roll_view.setAccessibleName(plain("study_ui.roll"))
        self.count = QtWidgets.QLabel(self)
        self.count.setAccessibleName(plain("study_ui.roll"))
        self.editors = {"held_on": self.day, "kind": self.kind, "place": self.place}
        self._lay_out(live)
        self.roll.ticked.connect(self._show_count)
        self.search.textChanged.connect(self.roll.set_query)
        self.queue = ScanQueue(self._look_up, self._answered, self._refused)
        self.scan.code_entered.connect(self.scanned)
        if live:
            for widget in (self.day, self.kind, self.place, self.docs_view):
                widget.setEnabled(False)
            self.roll.toggled.connect(self._toggled_live)
        self._show_count()
        metrics = self.fontMetrics()
        resize_within_screen(self, metrics.averageCharWidth() * 90, metrics.lineSpacing() * 36)
        self.scan.setFocus()

    def _label(self, key: str, editor: QtWidgets.QWidget) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(i18n.t(key), self)
        label.setBuddy(editor)
        editor.setAccessibleName(plain(key))
        return label

    def _lay_out(self, live: bool) -> None:
        for name in ("held_on", "kind", "place"):
            self.errors[name] = FieldError(self)
        self.place.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.place.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                                 QtWidgets.QSizePolicy.Policy.Fixed)
        fields = [labelled(self._label("study_ui.session_day", self.day), self.day, self),
                  labelled(self._label("study_ui.session_kind", self.kind), self.kind, self),
                  labelled(self._label("study_ui.session_place", self.place), self.place, self)]
        self.day.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        fields[0].setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed,
                                QtWidgets.QSizePolicy.Policy.Preferred)
        bar = wrapped_rows(fields, int(screen_budget(self, 0.9) * 0.9))
        docs_label = self._label("study_ui.session_documents", self.docs_view)
        rows = max(1, min(len(self.docs.items), 4))      # as many lines as documents
        self.docs_view.setMaximumHeight(self.docs_view.sizeHintForRow(0) * rows + 8
                                        if self.docs.items else 0)
        scan_row = QtWidgets.QHBoxLayout()
        scan_row.addWidget(scan_label(self.scan, self))
        scan_row.addWidget(self.scan, 1)
        search_row = QtWidgets.QHBoxLayout()
        search_row.addWidget(self._label("study_ui.search", self.search))
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count)
        self.note = DoneNote(self)
        if live:
            self.buttons = QtWidgets.QDialogButtonBox(self)
            close = self.buttons.addButton(i18n.t("study_ui.close"),
                                           QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
            close.setAccessibleName(plain("study_ui.close"))
            self.buttons.rejected.connect(self.accept)
        else:
            from sotay_desktop.ui.widgets import ok_cancel

            self.buttons = ok_cancel(self, "study_ui.session_save")
            self.buttons.accepted.connect(self.save)
        self.buttons.setAutoFillBackground(True)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)     # Enter in the scan field is the scanner's
            button.setDefault(False)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        for error in self.errors.values():
            layout.addWidget(error)
        if self.docs.items:
            layout.addWidget(docs_label)
            layout.addWidget(self.docs_view)
        else:
            docs_label.hide()
            self.docs_view.hide()
        layout.addLayout(scan_row)
        layout.addWidget(self.scan_note)
        layout.addLayout(search_row)
        layout.addWidget(self.roll_view, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

    def _show_count(self) -> None:
        self.count.setText(i18n.t("study_ui.roll_count", present=len(self.roll.present),
                                  listed=len(self.roll.items)))

    # --- taking attendance

    def scanned(self, code: str) -> None:
        self.queue.push(code)

    def _look_up(self, code: str, done: Any, failed: Any) -> None:
        ws, view = self.workspace, self.view
        if self.session is None:
            self.runner.query(lambda: who_is(ws, view, code), done, failed)
            return
        session_id = self.session.id

        def write() -> tuple[study.ScanResult, Changes]:
            result = study.scan(ws, session_id, code)
            return result, result.changes     # the broadcast reads the changes last

        self.runner.op(write, done, failed)

    def _answered(self, result: Any) -> None:
        if self.session is None:
            self._found(result)
        else:
            self._scanned_live(result[0])

    def _found(self, found: Found) -> None:
        member_id, name = found.member_id, found.name
        if not self.roll.has(member_id):
            self.roll.add_member(member_id, name)
        self._ticked(member_id, name, already=not self.roll.tick(member_id))

    def _scanned_live(self, result: Any) -> None:
        """Written already: tick the member the use case found."""
        if not self.roll.has(result.member_id):
            self.roll.add_member(result.member_id, result.name)
        self.roll.tick(result.member_id)
        self._ticked(result.member_id, result.name, already=result.already)

    def _toggled_live(self, member_id: str, on: bool) -> None:
        """A tick by hand on an existing session, written at once; put back if refused."""
        ws, session_id = self.workspace, self.session.id if self.session else ""
        name = self.roll.name_of(member_id)

        def done(_result: Any) -> None:
            self.note.show_message(i18n.t("study_ui.marked" if on else "study_ui.unmarked",
                                          name=name))

        def failed(exc: Exception) -> None:
            self.roll.tick(member_id, not on)
            self.general_error.show_message(error_text(exc))

        write = study.mark_present if on else study.unmark
        self.runner.op(lambda: write(ws, session_id, member_id), done, failed)

    def _ticked(self, member_id: str, name: str, *, already: bool) -> None:
        if already:
            self.scan_note.show_found(i18n.t("study_ui.scan_again", name=name))
        else:
            self.scan_note.show_found(i18n.t("study_ui.scan_found", name=name))
            QtWidgets.QApplication.beep()
        row = self.roll.row_of(member_id)
        if row >= 0:
            self.roll_view.scrollTo(self.roll.index(row, 0))
        self.scan.setFocus()

    def _refused(self, exc: BaseException) -> None:
        self.scan_note.show_refusal(error_text(exc))
        self.scan.setFocus()

    # --- saving

    def save(self) -> None:
        self.clear_errors()
        try:
            held_on = parse_date(self.day.text())
        except ValueError:
            self.errors["held_on"].show_message(i18n.t("study_ui.bad_date",
                                                       value=self.day.text()))
            self.day.setFocus()
            return
        ws, plan_id = self.workspace, self.view.plan.id
        kind, place = self.kind.currentData(), self.place.text().strip()
        documents, present = self.docs.checked_ids(), self.roll.present_ids()

        def job() -> tuple[str, Changes]:
            return study.record_session(ws, plan_id, held_on=held_on, kind=kind, place=place,
                                        documents=documents, member_ids=present)

        self.submit(self.runner, job)

