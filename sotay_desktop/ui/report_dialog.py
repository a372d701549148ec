"""The monthly report to the commune (báo cáo tháng): pick a month, read its figures, write the
remarks, save, regenerate, print or save the paper, mark it sent (it goes up with the next
sync). Reads through ``runner.query``, writes through ``runner.op``; typed remarks are never
lost: closing or changing the month with unsaved remarks asks first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain import monthly_report as mr
from sotay_core.domain.dues import Month
from sotay_core.domain.entities import MemberStatus, ReportStatus
from sotay_core.domain.lifecycle import event_label
from sotay_desktop.documents.monthly_report_doc import month_list
from sotay_desktop.services.changes import Changes
from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.display import fit_to_screen, resize_within_screen, scrolling
from sotay_desktop.ui.flow_layout import screen_budget, wrapped_rows
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.widgets import DoneNote, FieldError, clock_time, confirm, plain
from sotay_desktop.usecases import report
from sotay_desktop.usecases.workspace import Workspace

if TYPE_CHECKING:
    from sotay_desktop.services.monthly_report import ReportView

MONTHS_BACK = 24


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _day(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def figures_lines(f: mr.ReportFigures) -> list[str]:
    """The figures as the screen shows them, one fact a line, in the person's language."""
    t = i18n.t
    lines: list[str] = []
    n = f.numbers
    lines.append(t("ui.report.f_numbers", total=f.total_members,
                   official=n.get(MemberStatus.OFFICIAL, 0),
                   probationary=n.get(MemberStatus.PROBATIONARY, 0),
                   exempted=n.get(MemberStatus.EXEMPTED, 0), away=n.get(MemberStatus.AWAY, 0)))
    if f.changes:
        lines.append(t("ui.report.f_changes", count=len(f.changes)))
        lines += [t("ui.report.f_change", day=_day(c.date), name=c.name, kind=event_label(c.kind))
                  for c in f.changes]
    else:
        lines.append(t("ui.report.f_no_changes"))
    meeting = f.meeting
    if meeting is None:
        lines.append(t("ui.report.f_no_meeting"))
    else:
        a = meeting.attendance
        lines.append(t("ui.report.f_meeting", day=_day(meeting.date), present=a.present,
                       called=a.called, excused=a.absent_excused, unexcused=a.absent_unexcused,
                       exempted=a.exempted, away=a.away, base=a.voting_base))
        r = meeting.resolution
        if r is None:
            lines.append(t("ui.report.f_no_resolution"))
        else:
            state = t("ui.report.f_adopted" if r.adopted else "ui.report.f_not_adopted")
            lines.append(t("ui.report.f_resolution", number=r.number, title=r.title,
                           state=state, votes_for=r.votes_for or 0,
                           against=r.votes_against or 0, base=r.voting_base))
    if f.score is not None:
        lines.append(t("ui.report.f_score", total=f.score.total, grade=f.score.grade))
    tasks = f.tasks
    lines.append(t("ui.report.f_tasks", done=tasks.done, in_progress=tasks.in_progress,
                   overdue=tasks.overdue))
    lines += [t("ui.report.f_overdue", text=line.text, person=line.person or "—",
                due=_day(line.due_on)) for line in tasks.overdue_list]
    d = f.dues
    lines.append(t("ui.report.f_dues", collected=_money(d.collected),
                   retained=_money(d.retained), sent_up=_money(d.sent_up), payers=d.payers,
                   owing=d.owing))
    for u in d.unpaid:
        flag = t(f"ui.report.f_flag_{u.flag}") if u.flag in ("warn", "strike_off") else ""
        lines.append(t("ui.report.f_unpaid", name=u.name, months=month_list(u.months),
                       flag=flag))
    return lines


class MonthlyReportDialog(QtWidgets.QDialog):
    """One month's report. ``view`` is what was last read; ``saved_remarks`` what the
    database holds, so typed remarks not yet saved are known (``dirty``)."""

    loaded = QtCore.Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner, settings: Settings | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.settings = workspace, runner, settings
        self.view: ReportView | None = None
        self.saved_remarks = ""
        self.setWindowTitle(plain("ui.report.title"))
        self.month = QtWidgets.QComboBox(self)
        current = Month.of(workspace.today())
        for back in range(MONTHS_BACK):
            month = current.plus(-back)
            self.month.addItem(i18n.t("ui.report.month_item", month=str(month)), month)
        self.month.setCurrentIndex(1)   # the month just ended, the one usually reported
        self.month.setAccessibleName(plain("ui.report.month"))
        self._month_index = 1
        month_label = QtWidgets.QLabel(i18n.t("ui.report.month"), self)
        month_label.setBuddy(self.month)
        self.state = QtWidgets.QLabel(self)
        self.state.setWordWrap(True)
        self.figures = QtWidgets.QPlainTextEdit(self)
        self.figures.setReadOnly(True)
        self.figures.setAccessibleName(plain("ui.report.figures"))
        self.figures.setTabChangesFocus(True)
        figures_label = QtWidgets.QLabel(i18n.t("ui.report.figures"), self)
        figures_label.setBuddy(self.figures)
        self.remarks = QtWidgets.QPlainTextEdit(self)
        self.remarks.setTabChangesFocus(True)
        self.remarks.setAccessibleName(plain("ui.report.remarks"))
        line = self.remarks.fontMetrics().lineSpacing()
        self.remarks.setMinimumHeight(line * 4)
        self.figures.setMinimumHeight(line * 8)
        remarks_label = QtWidgets.QLabel(i18n.t("ui.report.remarks"), self)
        remarks_label.setBuddy(self.remarks)
        self.error = FieldError(self)
        self.note = DoneNote(self)
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for name, key, slot in (
                ("regenerate", "ui.report.regenerate", self.regenerate),
                ("save", "ui.report.save", self.save),
                ("print", "ui.preview_print", lambda: self.paper("print")),
                ("pdf", "ui.save_pdf", lambda: self.paper("pdf")),
                ("docx", "ui.save_docx", lambda: self.paper("docx")),
                ("send", "ui.report.send", self.send),
                ("close", "ui.close", self.close)):
            button = QtWidgets.QPushButton(i18n.t(key), self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
            self.buttons[name] = button
        content = QtWidgets.QWidget(self)   # scrolls at large type; the buttons stay
        form = QtWidgets.QVBoxLayout(content)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.month, 1)
        form.addLayout(top)
        form.addWidget(self.state)
        form.addWidget(figures_label)
        form.addWidget(self.figures, 3)
        form.addWidget(remarks_label)
        form.addWidget(self.remarks, 2)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(scrolling(content, self), 1)
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        layout.addLayout(wrapped_rows(list(self.buttons.values()), screen_budget(self, 0.8),
                                      spacing=8))
        self.month.currentIndexChanged.connect(self._month_changed)
        runner.operation_did_execute.connect(self.on_changes)
        resize_within_screen(self, self.fontMetrics().averageCharWidth() * 110, line * 34)
        self._set_enabled(False)

    # --- reading ---------------------------------------------------------------------------

    def chosen_month(self) -> Month:
        month = self.month.currentData()
        assert isinstance(month, Month)
        return month

    @property
    def dirty(self) -> bool:
        return self.remarks.toPlainText().strip() != self.saved_remarks.strip()

    def load(self) -> None:
        workspace, month = self.workspace, self.chosen_month()
        self.runner.query(lambda: report.month_report(workspace, month), self._show,
                          self._failed)

    def _show(self, view: ReportView) -> None:
        if view.month != self.chosen_month():
            return   # an answer for a month no longer chosen
        keep_typed = self.dirty and self.view is not None and self.view.month == view.month
        self.view = view
        self.figures.setPlainText("\n".join(figures_lines(view.figures)))
        self.saved_remarks = view.remarks
        if not keep_typed:
            self.remarks.setPlainText(view.remarks)
        number = view.figures.number or "—"
        if not view.saved:
            state = i18n.t("ui.report.state_new")
        elif view.status is ReportStatus.SENT:
            state = i18n.t("ui.report.state_sent", day=_day(view.sent_on), number=number)
        else:
            state = i18n.t("ui.report.state_draft", number=number)
        if view.stale:
            state += " " + i18n.t("ui.report.stale")
        self.state.setText(state)
        self.state.setAccessibleName(state)
        self._set_enabled(True)
        self.loaded.emit(view)

    def _failed(self, exc: Exception) -> None:
        self._set_enabled(True)
        self.error.show_exception(exc)

    def _set_enabled(self, enabled: bool) -> None:
        for name, button in self.buttons.items():
            button.setEnabled(enabled or name == "close")

    def on_changes(self, changes: Changes) -> None:
        """Records changed (here, elsewhere, a sync): read the month again; typed remarks stay."""
        if changes and self.isVisible():
            self.load()

    # --- unsaved remarks --------------------------------------------------------------------

    def ask_unsaved(self) -> str:
        """"save", "discard" or "cancel" (tests patch this)."""
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question,
                                    plain("ui.report.title"), i18n.t("ui.report.unsaved"),
                                    QtWidgets.QMessageBox.StandardButton.NoButton, self)
        save = box.addButton(plain("ui.report.save"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(i18n.t("ui.report.discard"),
                                QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(i18n.t("ui.cancel"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def _may_leave(self, then: Callable[[], object]) -> bool:
        """True when nothing typed would be lost; else asks, and may save first (``then``
        runs once saved)."""
        if not self.dirty or self.view is None:
            return True
        answer = self.ask_unsaved()
        if answer == "discard":
            self.remarks.setPlainText(self.saved_remarks)
            return True
        if answer == "save":
            self._write(lambda ws, m, text: report.save_report(ws, m, remarks=text),
                        "ui.report.saved", then=then)
        return False

    def _month_changed(self, index: int) -> None:
        if index == self._month_index:
            return
        if not self._may_leave(lambda: self.month.setCurrentIndex(index)):
            self.month.blockSignals(True)   # back to the month whose remarks are typed
            self.month.setCurrentIndex(self._month_index)
            self.month.blockSignals(False)
            return
        self._month_index = index
        self.view = None
        self.load()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)   # its frame too: all of it on the screen, at any type size

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._may_leave(self.close):
            event.accept()
        else:
            event.ignore()

    def reject(self) -> None:   # Esc
        if self._may_leave(self.close):
            super().reject()

    # --- writing -----------------------------------------------------------------------------

    def _write(self, job: Callable[[Workspace, Month, str], object], note_key: str, *,
               then: Callable[[], object] | None = None) -> None:
        workspace, month, text = self.workspace, self.chosen_month(), self.remarks.toPlainText()
        self.error.clear_message()
        self._set_enabled(False)

        def done(_result: object) -> None:
            self.saved_remarks = text
            self.note.show_message(i18n.t(note_key, time=clock_time()))
            self._set_enabled(True)
            if then is not None:   # after the event that asked (a close) has ended
                QtCore.QTimer.singleShot(0, then)

        self.runner.op(lambda: job(workspace, month, text), done, self._failed)

    def save(self) -> None:
        self._write(lambda ws, m, text: report.save_report(ws, m, remarks=text),
                    "ui.report.saved")

    def regenerate(self) -> None:
        self._write(lambda ws, m, text: report.save_report(ws, m, remarks=text,
                                                           regenerate=True),
                    "ui.report.regenerated")

    def send(self) -> None:
        month = self.chosen_month()
        if not confirm(self, plain("ui.report.title"),
                       i18n.t("ui.report.confirm_send", month=str(month)),
                       plain("ui.report.send")):
            return
        self._write(lambda ws, m, text: report.mark_sent(ws, m, remarks=text),
                    "ui.report.sent_done")

    def ask_path(self, fmt: str, name: str) -> Path | None:
        key = "ui.pdf_filter" if fmt == "pdf" else "ui.docx_filter"
        chosen, _ = QtWidgets.QFileDialog.getSaveFileName(self, name, f"{name}.{fmt}",
                                                          i18n.t(key))
        return Path(chosen) if chosen else None

    def paper(self, action: str) -> None:
        """Save the report as shown (remarks included), then print or save its paper."""
        month = self.chosen_month()
        workspace = self.workspace
        if action == "print":
            def read() -> None:
                self.runner.query(lambda: report.report_paper(workspace, month, "pdf"),
                                  lambda pdf: self._preview(month, pdf), self._failed)
            self._write(lambda ws, m, text: report.save_report(ws, m, remarks=text),
                        "ui.report.saved", then=read)
            return
        target = self.ask_path(action, f"bao-cao-thang-{month.key}")
        if target is None:
            return

        def write_file() -> None:
            self.runner.query(
                lambda: report.save_report_paper(workspace, month, action, target),
                lambda _r: self.note.show_message(i18n.t("ui.exported", path=str(target))),
                self._failed)
        self._write(lambda ws, m, text: report.save_report(ws, m, remarks=text),
                    "ui.report.saved", then=write_file)

    def _preview(self, month: Month, pdf: bytes) -> None:
        settings = self.settings
        try:
            name, paper = printing.preview_pdf(
                self, pdf, printer_name=settings.get("printer_name") if settings else "",
                paper=settings.get("paper") if settings else "A4")
        except (ValueError, OSError) as exc:
            self.error.show_exception(exc)
            return
        workspace = self.workspace
        self.runner.op(lambda: report.report_printed(workspace, month), None, self._failed)
        if settings is not None:
            settings.set("printer_name", name)
            settings.set("paper", paper)
            settings.save()
