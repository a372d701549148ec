"""The review screen's papers dialog (a member's form in large type previewed and audited
once printed, a refusal in words with no file written) and every review dialog reachable
by keyboard (unique ASCII mnemonics, labels with buddies that have accessible names)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6 import QtWidgets

from sotay_desktop.ui.review.hold_dialog import HoldDialog
from sotay_desktop.ui.review.papers_dialog import PapersDialog
from sotay_desktop.ui.review.proposal_dialog import ProposalDialog
from sotay_desktop.ui.review.self_dialog import SelfReviewDialog
from sotay_desktop.ui.review.settings_dialog import SettingsDialog
from tests.test_gui_review import _drive

pytestmark = pytest.mark.gui


def test_papers_previewed_printed_and_refused_in_words(
        window: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A member's form in large type goes to the print preview (the PDF's own pages) and
    is audited once printed; minutes without the chair's name are refused in the dialog and
    no file is written."""
    from sotay_desktop.services import audit
    from sotay_desktop.ui import printing

    screen = window.lazy.named("ReviewScreen")
    screen.year.setValue(2025)
    screen.table.setCurrentIndex(screen.model.index(1, 0))
    name = screen.model.rows[1].sheet.name
    shown: list[bytes] = []

    def preview(_parent: QtWidgets.QWidget, pdf: bytes, **_kw: object) -> tuple[str, str]:
        shown.append(pdf)
        return "", "A4"

    monkeypatch.setattr(printing, "preview_pdf", preview)
    target = tmp_path / "bien-ban.pdf"

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, PapersDialog)
        assert dialog.kind.currentData() == "form" and name in dialog.kind.currentText()
        dialog.large.setChecked(True)
        dialog.type_size.setValue(22)
        dialog.print_button.click()
        dialog.kind.setCurrentIndex(dialog.kind.findData("minutes"))
        dialog.fields["chair"].clear()
        dialog.fields["made_on"].setText("31/02/2025")
        dialog.save_paper(target)
        assert "31/02/2025" in dialog.errors["made_on"].text()
        dialog.fields["made_on"].setText("20/12/2025")
        dialog.save_paper(target)
        assert "chủ trì" in dialog.error.text().lower()

    _drive(monkeypatch, fill)
    screen.buttons["papers"].click()
    assert len(shown) == 1 and shown[0].startswith(b"%PDF")
    text = " ".join(PdfReader(io.BytesIO(shown[0])).pages[0].extract_text().split())
    assert name in text and "BẢN KIỂM ĐIỂM" in text.upper()
    assert not target.exists()
    window.runner.settle()
    with window.workspace.db.reads() as session:
        acts = [(e.action, e.detail) for e in audit.entries(session, limit=20)]
    assert ("print", "review-form-2025") in acts


def _mnemonics(widget: QtWidgets.QWidget) -> list[str]:
    found = []
    for child in widget.findChildren(QtWidgets.QLabel) + widget.findChildren(
            QtWidgets.QAbstractButton) + widget.findChildren(QtWidgets.QGroupBox):
        text = child.title() if isinstance(child, QtWidgets.QGroupBox) else child.text()
        at = text.find("&")
        if 0 <= at < len(text) - 1 and child.isVisibleTo(widget):
            found.append(text[at + 1].lower())
    tabs = widget.findChildren(QtWidgets.QTabWidget)
    for tab_widget in tabs:
        for index in range(tab_widget.count()):
            text = tab_widget.tabText(index)
            if "&" in text:
                found.append(text[text.find("&") + 1].lower())
    return found


def test_every_dialog_is_reachable_by_keyboard(window: Any) -> None:
    screen = window.lazy.named("ReviewScreen")
    data = screen.data
    sheet = data.view.sheets[0]
    ws, runner = screen.workspace, screen.runner
    dialogs: Iterator[QtWidgets.QWidget] = iter((
        screen,
        SelfReviewDialog(ws, runner, 2026, None, sheet, sheet.name, screen),
        ProposalDialog(ws, runner, 2026, None, data.view.scheme, sheet, sheet.name,
                       data.voting_base, screen),
        HoldDialog(ws, runner, 2026, None, "năm 2026", screen),
        SettingsDialog(ws, runner, data.policy, data.scheme, screen),
        PapersDialog(ws, runner, None, 2026, None, (sheet.member_id, sheet.name), screen)))
    for widget in dialogs:
        letters = _mnemonics(widget)
        assert letters and len(letters) == len(set(letters)), (type(widget), letters)
        assert all(letter.isascii() for letter in letters), (type(widget), " ".join(letters))
        for label in widget.findChildren(QtWidgets.QLabel):
            if "&" in label.text():
                assert label.buddy() is not None, label.text()
                assert label.buddy().accessibleName(), label.text()
        for button in widget.findChildren(QtWidgets.QPushButton):
            assert button.accessibleName() or button.text(), type(widget)


def test_ctrl_7_reaches_the_review_screen(window: Any) -> None:
    from PySide6 import QtCore, QtTest

    from sotay_desktop.ui.review.screen import ReviewScreen

    QtTest.QTest.keyClick(window, QtCore.Qt.Key.Key_7, QtCore.Qt.KeyboardModifier.ControlModifier)
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReviewScreen)
    assert window.nav.currentItem().text() == "Kiểm điểm"
    assert screen.model.rowCount() > 1 and "Năm 2026: đang kiểm điểm" in screen.state.text()
