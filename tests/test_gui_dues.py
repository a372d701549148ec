"""The "Đảng phí" screen through the real widgets: a month of payments recorded for several
members (the dialog driven, not blocking), the month's totals, a refusal shown in words, a
cancelled payment, an advance, and the book printed to PDF with those totals in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6 import QtCore, QtWidgets

from sotay_core.domain.dues import Month
from sotay_desktop.documents.vn_money import vnd
from sotay_desktop.ui.dues.models import FIRST_MONTH, TOTAL
from sotay_desktop.ui.dues.payment_dialog import PaymentDialog
from sotay_desktop.ui.dues.screen import DuesScreen
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui
DECEMBER = FIRST_MONTH + 11


@pytest.fixture
def screen(window) -> DuesScreen:  # type: ignore[no-untyped-def]
    window.nav.setCurrentRow(window._dues_index)
    assert window.stack.currentWidget() is window.dues
    return window.dues


def _drive(monkeypatch: pytest.MonkeyPatch, fill=None) -> list[PaymentDialog]:  # type: ignore[no-untyped-def]
    seen: list[PaymentDialog] = []

    def run(self: DuesScreen, dialog: QtWidgets.QDialog) -> bool:
        assert isinstance(dialog, PaymentDialog)
        seen.append(dialog)
        if fill is not None:
            fill(dialog)
        dialog.buttons.accepted.emit()
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(DuesScreen, "run_dialog", run)
    return seen


def _due_rows(screen: DuesScreen, column: int) -> list[int]:
    return [row for row, line in enumerate(screen.model.lines)
            if line.cells[column - FIRST_MONTH].due > 0
            and line.cells[column - FIRST_MONTH].payment is None]


def test_the_model_and_every_cell(qtmodeltester, screen: DuesScreen) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(screen.model)
    assert screen.model.rowCount() == len(screen.book.lines) > 10
    for row in range(screen.model.rowCount()):
        for column in range(screen.model.columnCount()):
            index = screen.model.index(row, column)
            assert isinstance(screen.model.data(index), str)


def test_a_month_of_payments_then_the_book_printed(
        screen: DuesScreen, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dialogs = _drive(monkeypatch)
    rows = _due_rows(screen, DECEMBER)[:5]
    assert len(rows) == 5
    before = screen.book.month_totals(Month(2026, 12)).collected
    expected = 0
    for row in rows:
        index = screen.model.index(row, DECEMBER)
        screen.grid.setCurrentIndex(index)
        expected += screen.model.lines[row].cells[11].due
        QtCore.QCoreApplication.sendEvent(screen.grid, _enter())   # Enter opens the dialog
    assert len(dialogs) == 5
    assert all(d.result() == QtWidgets.QDialog.DialogCode.Accepted for d in dialogs)
    assert dialogs[0].editors["amount"].text() == str(
        screen.model.lines[rows[0]].cells[11].due)
    totals = screen.book.month_totals(Month(2026, 12))
    assert totals.collected == before + expected
    assert vnd(totals.collected) in screen.totals.text()
    assert vnd(totals.retained) in screen.totals.text()
    assert screen.note.text().startswith("✓")
    for row in rows:
        assert screen.model.data(screen.model.index(row, DECEMBER)) == vnd(
            screen.model.lines[row].cells[11].paid)
    target = tmp_path / "so.pdf"
    screen.save_book(target)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert "SỔ THU NỘP ĐẢNG PHÍ" in text
    assert vnd(screen.book.collected) in text
    assert screen.model.lines[rows[0]].name in text


def test_a_refusal_is_shown_in_the_dialog_and_nothing_is_lost(
        screen: DuesScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    row = _due_rows(screen, DECEMBER)[0]
    name = screen.model.lines[row].name
    dialogs = _drive(monkeypatch, fill=lambda d: d.editors["amount"].setText("-5000"))
    screen.pay_at(screen.model.index(row, DECEMBER))
    [dialog] = dialogs
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert name in dialog.general_error.text() and "12/2026" in dialog.general_error.text()
    assert screen.model.lines[row].cells[11].payment is None


def test_an_advance_then_a_cancelled_month(screen: DuesScreen,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    row = _due_rows(screen, DECEMBER)[0]
    line = screen.model.lines[row]
    _drive(monkeypatch, fill=lambda d: d.editors["months"].setValue(3))
    screen.pay_at(screen.model.index(row, DECEMBER))
    assert "12/2026" in screen.note.text() and "02/2027" in screen.note.text()
    screen.grid.setCurrentIndex(screen.model.index(row, DECEMBER))
    asked = answer_boxes(monkeypatch, "Huỷ khoản nộp")
    screen.buttons["cancel"].click()
    assert asked and line.name in asked[0][0] and "12/2026" in asked[0][0]
    assert screen.model.lines[row].cells[11].payment is None
    assert screen.model.lines[row].member_id == line.member_id
    assert screen.model.data(screen.model.index(row, TOTAL)) == vnd(line.paid_total)


def _enter() -> object:
    from PySide6 import QtGui

    return QtGui.QKeyEvent(QtCore.QEvent.Type.KeyPress, QtCore.Qt.Key.Key_Return,
                           QtCore.Qt.KeyboardModifier.NoModifier)


def test_the_member_panel_shows_the_paid_up_month_and_basis(  # type: ignore[no-untyped-def]
        window, screen: DuesScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    row = _due_rows(screen, DECEMBER)[0]
    line = screen.model.lines[row]
    _drive(monkeypatch)
    screen.pay_at(screen.model.index(row, DECEMBER))
    window.show_member(line.member_id)
    text = window.roster.panel.dues.text()
    paid_up = screen.model.lines[row].paid_up_to
    assert paid_up is not None and f"Đảng phí: đã nộp đến tháng {paid_up}" in text
    assert "Căn cứ đóng: " in text and "phải nộp tháng này" in text


def test_headers_name_the_months_and_the_members(screen: DuesScreen) -> None:
    model, horizontal = screen.model, QtCore.Qt.Orientation.Horizontal
    assert [model.headerData(c, horizontal) for c in range(FIRST_MONTH, FIRST_MONTH + 12)] == [
        f"T{m}" for m in range(1, 13)]
    assert model.headerData(TOTAL, horizontal) == "Cộng"
    first = model.headerData(0, QtCore.Qt.Orientation.Vertical)
    assert first == f"1. {screen.book.lines[0].name}"


def _mnemonics(widget: QtWidgets.QWidget) -> list[str]:
    found = []
    for child in widget.findChildren(QtWidgets.QLabel) + widget.findChildren(
            QtWidgets.QAbstractButton):
        text = child.text()
        at = text.find("&")
        if 0 <= at < len(text) - 1 and child.isVisibleTo(widget):
            found.append(text[at + 1].lower())
    return found


def test_every_dialog_is_reachable_by_keyboard(screen: DuesScreen) -> None:
    from sotay_desktop.ui.dues.basis_dialog import BasisDialog
    from sotay_desktop.ui.dues.rates_dialog import RatesDialog

    line = screen.book.lines[0]
    dialogs = (PaymentDialog(screen.workspace, screen.runner, line, Month(2026, 12), screen),
               BasisDialog(screen.workspace, screen.runner, line.member_id, line.name, screen),
               RatesDialog(screen.workspace, screen.runner, screen), screen)
    for widget in dialogs:
        letters = _mnemonics(widget)
        assert letters and len(letters) == len(set(letters)), (type(widget), letters)
        assert all(letter.isascii() for letter in letters), letters
        for label in widget.findChildren(QtWidgets.QLabel):
            if "&" in label.text():
                assert label.buddy() is not None, label.text()
                assert label.buddy().accessibleName(), label.text()


def test_print_preview_and_receipts_are_audited(screen: DuesScreen, window,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    from sotay_desktop.services import audit
    from sotay_desktop.ui import printing

    shown: list[bytes] = []
    monkeypatch.setattr(printing, "preview_pdf",
                        lambda parent, pdf, **_kw: shown.append(pdf) or ("", "A4"))
    screen.buttons["print"].click()
    assert shown and shown[0].startswith(b"%PDF")
    screen.grid.setCurrentIndex(screen.model.index(0, FIRST_MONTH + 10))
    target = tmp_path / "phieu.pdf"
    screen.save_receipts(target)
    assert "11/2026" in " ".join(p.extract_text() for p in PdfReader(target).pages)
    window.runner.settle()
    with window.workspace.db.reads() as session:
        acts = [(e.action, e.detail) for e in audit.entries(session, limit=20)]
    assert ("print", "book-2026") in acts and ("export", "receipts-2026-11") in acts
