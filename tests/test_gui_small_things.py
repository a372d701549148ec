"""Issue 16, part 8 through the real widgets: a note after saving, the roll call closed in
one step, a question before "Miễn sinh hoạt" for someone not exempted, and the event dialog
offering only what can happen next."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6 import QtCore, QtWidgets

from sotay_core.domain.entities import Attendance, EventKind, MemberStatus
from sotay_desktop.settings import Settings
from sotay_desktop.ui.meetings.screen import MeetingsScreen, NewMeetingDialog
from sotay_desktop.ui.member.event_dialog import EventDialog
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import members
from sotay_desktop.usecases.workspace import Workspace
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)
AT_TIME = re.compile(r"lúc \d\d:\d\d")


@pytest.fixture
def store(demo_db) -> Workspace:  # type: ignore[no-untyped-def]
    return Workspace(demo_db, today=lambda: TODAY)


@pytest.fixture
def screen(qtbot, store, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The meetings screen on a new meeting (nobody marked but the exempted and away)."""
    widget = MeetingsScreen(store, TaskRunner(inline=True), Settings(tmp_path / "s.json"))
    qtbot.addWidget(widget)
    widget.show()
    widget.load()

    def run(self, dialog: NewMeetingDialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.editors["date"].setText("05/12/2026")
        dialog.buttons.accepted.emit()
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(MeetingsScreen, "run_dialog", run)
    widget.new_meeting()
    assert widget.sheet is not None and "tháng 12 năm 2026" in widget.sheet.data.title
    return widget


def _note(widget: QtWidgets.QLabel) -> str:
    """The note as a person (and a screen reader) gets it; empty while hidden."""
    if widget.isHidden():
        return ""
    assert widget.accessibleName() == widget.text()
    return widget.text()


def test_saving_the_minutes_and_circulating_say_so_without_a_dialog(screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked = answer_boxes(monkeypatch, None)
    details = screen.details                       # the recorder, needed to circulate
    details.recorder.setCurrentIndex(3)
    details.save_button.click()
    assert _note(details.done_note).startswith("✓ Đã lưu thông tin cuộc họp")
    minutes = screen.minutes
    assert _note(minutes.done_note) == ""
    minutes.conclusion.setPlainText("Nhất trí với báo cáo.")
    minutes.save_button.click()
    assert screen.sheet.data.conclusion == "Nhất trí với báo cáo."
    note = _note(minutes.done_note)
    assert note.startswith("✓ Đã lưu biên bản") and AT_TIME.search(note), note
    minutes.votes_for.setValue(999)                # refused: the error, and no "đã lưu"
    minutes.save_button.click()
    assert not minutes.errors["votes_for"].isHidden() and _note(minutes.done_note) == ""

    resolution = screen.resolution
    resolution.summary.setText("về nhiệm vụ tháng 01 năm 2027")
    resolution.save_button.click()
    assert AT_TIME.search(_note(resolution.done_note))
    assert _note(resolution.done_note).startswith("✓ Đã lưu dự thảo")
    resolution.circulate_button.click()
    assert screen.sheet.data.resolution is not None
    assert resolution.general_error.isHidden(), resolution.general_error.text()
    assert resolution.status_label.text() == "Đang lấy ý kiến"
    note = _note(resolution.done_note)
    assert note.startswith("✓ Đã chuyển dự thảo sang lấy ý kiến") and AT_TIME.search(note)
    assert asked == []                             # no message box took the focus

    screen.list.setCurrentIndex(screen.model.index(1, 0))   # another meeting: no stale note
    assert screen.sheet.data.title != "Sinh hoạt chi bộ tháng 12 năm 2026"
    assert _note(resolution.done_note) == "" and _note(minutes.done_note) == ""


def test_everyone_else_present_is_one_write(screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = screen.attendance
    lines = screen.sheet.attendance
    open_rows = [i for i, line in enumerate(lines) if line.status is None]
    assert len(open_rows) > 5
    tab.table.setCurrentIndex(tab.model.index(open_rows[0], 0))
    tab.status.setCurrentIndex(tab.status.findData(Attendance.ABSENT_EXCUSED.value))
    tab.mark_button.click()
    ops: list[object] = []
    real_op = TaskRunner.op

    def counting(self, fn, on_done=None, on_error=None):  # type: ignore[no-untyped-def]
        ops.append(fn)
        real_op(self, fn, on_done, on_error)

    monkeypatch.setattr(TaskRunner, "op", counting)
    tab.all_button.click()
    assert len(ops) == 1                           # one write for the whole rest of the list
    after = screen.sheet.attendance
    assert after[open_rows[0]].status is Attendance.ABSENT_EXCUSED    # kept
    assert all(after[i].status is Attendance.PRESENT for i in open_rows[1:])
    exempted = [line for line in after if line.member_status is MemberStatus.EXEMPTED]
    assert exempted and all(line.status is Attendance.EXEMPTED for line in exempted)
    assert _note(tab.done_note) == f"✓ Đã ghi có mặt cho {len(open_rows) - 1} đồng chí còn lại."
    tab.all_button.click()                         # nothing left: said, nothing written
    assert len(ops) == 1 and _note(tab.done_note) == "Mọi đồng chí đều đã được điểm danh."


def test_everyone_else_present_has_a_shortcut(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    tab = screen.attendance
    screen.tabs.setCurrentWidget(tab)
    screen.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    assert "Ctrl+Shift+C" in tab.all_button.toolTip()
    qtbot.keyClick(tab.table, QtCore.Qt.Key.Key_C,
                   QtCore.Qt.KeyboardModifier.ControlModifier
                   | QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert all(line.status is not None for line in screen.sheet.attendance)


def test_exempting_someone_not_exempted_asks_first(screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = screen.attendance
    lines = screen.sheet.attendance
    row = next(i for i, line in enumerate(lines)
               if line.member_status is MemberStatus.OFFICIAL and line.status is None)
    name = lines[row].name
    exempted = tab.status.findData(Attendance.EXEMPTED.value)

    asked = answer_boxes(monkeypatch, None)        # Huỷ: nothing written
    tab.table.setCurrentIndex(tab.model.index(row, 0))
    tab.status.setCurrentIndex(exempted)
    tab.mark_button.click()
    assert len(asked) == 1 and name in asked[0][0] and "Chính thức" in asked[0][0]
    assert asked[0][1] == ["Vẫn ghi miễn sinh hoạt", "Huỷ"]
    assert screen.sheet.attendance[row].status is None
    assert tab.table.currentIndex().row() == row   # still on that person

    asked = answer_boxes(monkeypatch, "Vẫn ghi miễn sinh hoạt")
    tab.status.setCurrentIndex(exempted)
    tab.mark_button.click()
    assert len(asked) == 1 and screen.sheet.attendance[row].status is Attendance.EXEMPTED

    # A member exempted by decision is marked without a question; so is any other mark.
    asked = answer_boxes(monkeypatch, None)
    already = next(i for i, line in enumerate(screen.sheet.attendance)
                   if line.member_status is MemberStatus.EXEMPTED)
    tab.table.setCurrentIndex(tab.model.index(already, 0))
    tab.status.setCurrentIndex(exempted)
    tab.mark_button.click()
    other = next(i for i, line in enumerate(screen.sheet.attendance) if line.status is None)
    tab.table.setCurrentIndex(tab.model.index(other, 0))
    tab.status.setCurrentIndex(tab.status.findData(Attendance.PRESENT.value))
    tab.mark_button.click()
    assert asked == [] and screen.sheet.attendance[other].status is Attendance.PRESENT


def _first(store: Workspace, status: MemberStatus) -> str:
    return next(m.id for m in members.roster(store) if m.status is status)


def _offered(dialog: EventDialog) -> set[EventKind]:
    return {EventKind(dialog.kind.itemData(i)) for i in range(dialog.kind.count())}


def test_the_event_dialog_offers_what_can_follow_the_status(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(inline=True)

    def dialog_for(status: MemberStatus) -> EventDialog:
        dialog = EventDialog(store, runner, members.member(store, _first(store, status)),
                             today=lambda: TODAY)
        qtbot.addWidget(dialog)
        return dialog

    probationary = _offered(dialog_for(MemberStatus.PROBATIONARY))
    assert EventKind.MADE_OFFICIAL in probationary
    assert not probationary & {EventKind.ADMITTED, EventKind.EXEMPTED, EventKind.RETURNED,
                               EventKind.EXEMPTION_ENDED}
    official = _offered(dialog_for(MemberStatus.OFFICIAL))
    assert {EventKind.EXEMPTED, EventKind.TEMP_OUT, EventKind.DECEASED} <= official
    assert not official & {EventKind.ADMITTED, EventKind.MADE_OFFICIAL, EventKind.RETURNED}
    exempted = _offered(dialog_for(MemberStatus.EXEMPTED))
    assert EventKind.EXEMPTION_ENDED in exempted and EventKind.EXEMPTED not in exempted
    away = _offered(dialog_for(MemberStatus.AWAY))
    assert EventKind.RETURNED in away and EventKind.TEMP_OUT not in away

    deceased = dialog_for(MemberStatus.DECEASED)   # nothing can follow a death: said so
    assert deceased.kind.count() == 0
    assert "Từ trần" in deceased.general_error.text() and not deceased.general_error.isHidden()
    assert deceased.buttons is not None
    assert not deceased.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).isEnabled()


@pytest.fixture(params=[1.0, 1.5], ids=["100%", "150%"])
def documents_window(request, qtbot, make_window, store):  # type: ignore[no-untyped-def]
    """The documents screen in a 1366×768 main window at 100 % and 150 % type."""
    from sotay_desktop.ui import display

    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication)
    base = app.font().pointSizeF()
    display.apply_ui_scale(app, request.param, base)
    try:
        window = make_window(store)
        window.resize(1366, 768)
        window.show()
        window.refresh()
        window.nav.setCurrentRow(2)
        window.documents.run_search()
        qtbot.waitUntil(lambda: window.documents.model.rowCount() > 0)
        app.processEvents()
        yield window.documents
    finally:
        display.apply_ui_scale(app, 1.0, base)


def test_document_columns_are_readable(documents_window) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.documents.model import COLUMNS

    screen = documents_window
    table, model = screen.table, screen.model
    header = table.horizontalHeader()
    col = {name: COLUMNS.index(name) for name in COLUMNS}
    width = {name: header.sectionSize(c) for name, c in col.items()}
    # Dates, document numbers and the star are never cut; nothing scrolls sideways.
    for name in ("issued", "number", "later"):
        assert width[name] >= table.sizeHintForColumn(col[name]), name
    assert table.horizontalScrollBar().maximum() == 0
    # The title takes the room that is left, and more of it than any other column.
    assert header.sectionResizeMode(col["title"]) is QtWidgets.QHeaderView.ResizeMode.Stretch
    assert width["title"] == max(width.values())
    assert sum(width.values()) <= table.viewport().width() + 1
    metrics = table.fontMetrics()
    assert width["title"] >= metrics.horizontalAdvance("Hướng dẫn nội dung sinh hoạt")
    assert width["later"] < metrics.horizontalAdvance("Đọc sau")   # a star, named in its tip
    assert model.headerData(col["later"], QtCore.Qt.Orientation.Horizontal) == "★"
    assert model.headerData(col["later"], QtCore.Qt.Orientation.Horizontal,
                            QtCore.Qt.ItemDataRole.ToolTipRole) == "Đọc sau"
    # Long issuers are cut in the middle (both the body and the place stay), titles at the
    # end; every cut cell has its whole text in the tooltip.
    row = next(r for r in range(model.rowCount())
               if metrics.horizontalAdvance(model.hits[r].issuer) > width["issuer"])
    hit = model.hits[row]

    def elide_mode(column: str) -> QtCore.Qt.TextElideMode:
        option = QtWidgets.QStyleOptionViewItem()   # as the view paints the cell
        table.initViewItemOption(option)
        index = model.index(row, col[column])
        table.itemDelegateForIndex(index).initStyleOption(option, index)
        return option.textElideMode

    assert elide_mode("issuer") is QtCore.Qt.TextElideMode.ElideMiddle
    assert elide_mode("number") is QtCore.Qt.TextElideMode.ElideMiddle
    assert elide_mode("title") is QtCore.Qt.TextElideMode.ElideRight
    tip = QtCore.Qt.ItemDataRole.ToolTipRole
    assert model.data(model.index(row, col["issuer"]), tip) == hit.issuer
    assert model.data(model.index(row, col["number"]), tip) == hit.number
    assert model.data(model.index(row, col["title"]), tip).startswith(hit.title)


def test_a_narrow_document_list_keeps_a_few_words_of_the_title(documents_window) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.documents.model import COLUMNS

    screen = documents_window
    screen.window().resize(900, 700)
    QtWidgets.QApplication.processEvents()
    header = screen.table.horizontalHeader()
    title = header.sectionSize(COLUMNS.index("title"))
    assert title >= screen.table.fontMetrics().horizontalAdvance("Hướng dẫn nội dung")
    issued = COLUMNS.index("issued")
    assert header.sectionSize(issued) >= screen.table.sizeHintForColumn(issued)
