"""The "Chuyển sinh hoạt" screen on the demo branch: reached from the navigation (its Ctrl+N
shortcut), the demo's four letters with the late one in bold, a letter out recorded through
the dialog (the member leaves the roster), a new person received, a refusal shown beside its
field with nothing written, presented, cancelled after a confirmation and restored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core.domain.entities import MemberStatus
from sotay_desktop.services.transfers_read import LetterStatus
from sotay_desktop.ui.transfers.letter_dialog import NEW, DayDialog, LetterDialog
from sotay_desktop.ui.transfers.screen import TransfersScreen
from sotay_desktop.usecases import members as member_cases
from sotay_desktop.usecases import transfers
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui


@pytest.fixture
def screen(window) -> TransfersScreen:  # type: ignore[no-untyped-def]
    found = window.lazy.named("TransfersScreen")
    assert isinstance(found, TransfersScreen)
    assert window.stack.currentWidget() is found
    return found


def drive(monkeypatch: pytest.MonkeyPatch, fill: Callable[[Any], None]) -> list[Any]:
    """Replace the screen's modal run: fill the dialog, press OK, note the result."""
    seen: list[Any] = []

    def run(self: TransfersScreen, dialog: QtWidgets.QDialog, done_key: str) -> None:
        seen.append(dialog)
        fill(dialog)
        dialog.buttons.accepted.emit()
        if dialog.result() == QtWidgets.QDialog.DialogCode.Accepted:
            self.note.show_message(done_key)

    monkeypatch.setattr(TransfersScreen, "_run", run)
    return seen


def test_reached_by_its_shortcut_and_shows_the_demo_letters(window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    row = window.lazy.first + [c for _k, _m, c in
                               __import__("sotay_desktop.ui.lazy_screens", fromlist=["x"])
                               .LAZY_SCREENS].index("TransfersScreen")
    assert window.nav.item(row).text() == "Chuyển sinh hoạt"
    QtTest = __import__("PySide6.QtTest", fromlist=["QTest"]).QTest
    QtTest.keyClick(window, QtCore.Qt.Key(QtCore.Qt.Key.Key_1 + row),
                    QtCore.Qt.KeyboardModifier.ControlModifier)
    screen = window.stack.currentWidget()
    assert isinstance(screen, TransfersScreen)
    qtmodeltester.check(screen.model)
    kinds = {(v.direction.value, v.kind.official) for v in screen.letters}
    assert kinds == {("out", True), ("out", False), ("in", True), ("in", False)}
    late = [i for i, v in enumerate(screen.model.rows) if v.status is LetterStatus.LATE]
    assert len(late) == 1
    font = screen.model.data(screen.model.index(late[0], 3), QtCore.Qt.ItemDataRole.FontRole)
    assert isinstance(font, QtGui.QFont) and font.bold()
    assert "Quá hạn" in screen.model.data(screen.model.index(late[0], 3))
    screen.filter.setCurrentIndex(screen.filter.findData("late"))
    assert screen.model.rowCount() == 1


def test_a_letter_out_recorded_through_the_dialog(screen: TransfersScreen,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    asked = answer_boxes(monkeypatch, "Ghi giấy")
    chosen: dict[str, str] = {}

    def fill(dialog: LetterDialog) -> None:
        assert isinstance(dialog, LetterDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("official_outside"))
        dialog.member.setCurrentIndex(1)
        chosen["id"] = dialog.member.currentData()
        dialog.line["number"].setText("99-GGT/ĐU")
        dialog.line["to_place"].setText("Đảng bộ phường Tiền Phong, tỉnh Thái Bình")
        assert dialog.line["valid_until"].text()     # followed the issue day
        assert "full_name" not in dialog.errors        # no new-person fields for a letter out

    dialogs = drive(monkeypatch, fill)
    screen.buttons["out"].click()
    assert dialogs[0].result() == QtWidgets.QDialog.DialogCode.Accepted, \
        dialogs[0].general_error.text()
    assert "lý lịch" in asked[0][0]
    assert any(v.number == "99-GGT/ĐU" for v in screen.letters)
    record = member_cases.member(screen.workspace, chosen["id"])
    assert record.status is MemberStatus.TRANSFERRED_OUT


def test_a_new_person_received_and_a_refusal_beside_its_field(
        screen: TransfersScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    answer_boxes(monkeypatch, "Ghi giấy")
    before = len(screen.letters)

    def no_admission(dialog: LetterDialog) -> None:
        assert dialog.member.currentData() == NEW
        dialog.kind.setCurrentIndex(dialog.kind.findData("temporary_within"))
        dialog.line["full_name"].setText("Đỗ Thị Thu")
        dialog.line["number"].setText("15/GGT")
        dialog.line["from_place"].setText("Chi bộ thôn Nam")

    tried = drive(monkeypatch, no_admission)
    screen.buttons["in"].click()
    [refused] = tried
    assert refused.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert "ngày vào Đảng" in refused.errors["admitted_on"].text()
    assert len(transfers.letters(screen.workspace)) == before

    def complete(dialog: LetterDialog) -> None:
        no_admission(dialog)
        dialog.line["admitted_on"].setText("02/09/2015")
        dialog.line["official_on"].setText("02/09/2016")

    seen = drive(monkeypatch, complete)
    screen.buttons["in"].click()
    dialog = seen[0]
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted, [
        e.text() for e in (dialog.general_error, *dialog.errors.values()) if e.text()]
    [new] = [v for v in screen.letters if v.number == "15/GGT"]
    assert member_cases.member(screen.workspace, new.member_id).status is MemberStatus.TEMPORARY


def test_presented_cancelled_and_restored(screen: TransfersScreen,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    late = next(i for i, v in enumerate(screen.model.rows) if v.status is LetterStatus.LATE)
    screen.table.selectRow(late)
    target = screen.selected()
    assert target is not None

    def day(dialog: DayDialog) -> None:
        dialog.day.setText(screen.workspace.today().strftime("%d/%m/%Y"))

    drive(monkeypatch, day)
    screen.buttons["present"].click()
    view = transfers.letter(screen.workspace, target.id)
    assert view.status is LetterStatus.PRESENTED_LATE and screen.note.text()
    asked = answer_boxes(monkeypatch, "Huỷ giấy")
    screen.table.selectRow(next(i for i, v in enumerate(screen.model.rows) if v.id == target.id))
    screen.buttons["cancel"].click()
    assert target.number in asked[0][0]
    assert all(v.id != target.id for v in screen.letters)
    assert screen.buttons["restore"].isEnabled()
    screen.buttons["restore"].click()
    assert any(v.id == target.id for v in screen.letters)


def test_every_button_has_a_mnemonic(screen: TransfersScreen) -> None:
    keys = [b.text().split("&")[1][0].lower() for b in screen.buttons.values()]
    assert all("&" in b.text() for b in screen.buttons.values())
    assert len(set(keys)) == len(keys)
