"""Attendance at a study session by scanning members' cards (issue 21). The USB scanner is a
keyboard: it types the card's 14 digits and Enter into the field that has the focus, so the
tests type them with key events. A good code ticks its member and names them in large type;
the same card twice counts once; another branch's card, an unknown and a misread code are
refused in words and tick nothing; a name is found without its diacritics; a refused save
keeps all that was ticked; an existing session's scans are written as they come."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6 import QtCore, QtTest, QtWidgets

from sotay_core.domain.study_plan import member_code
from sotay_desktop.db.engine import Database
from sotay_desktop.ui.study.screen import StudyScreen
from sotay_desktop.ui.study.session_dialog import SessionDialog
from sotay_desktop.usecases import study
from tests.study_gui_fixtures import StudyBranch, make_study_branch

pytestmark = pytest.mark.gui
Key = QtCore.Qt.Key


@pytest.fixture
def branch(branch_db: tuple[Database, str]) -> StudyBranch:
    return make_study_branch(*branch_db)


@pytest.fixture
def screen(make_window: Callable[..., Any], branch: StudyBranch) -> StudyScreen:
    window = make_window(branch.ws, show=True, refresh=True)
    found = window.lazy.named("StudyScreen")
    assert isinstance(found, StudyScreen)
    found.select(branch.plan_id)
    found.tabs.setCurrentWidget(found.sessions_tab)
    return found


def scan(dialog: SessionDialog, code: str) -> None:
    """The scanner: digits typed fast into the focused field, then Enter."""
    assert dialog.focusWidget() is dialog.scan
    QtTest.QTest.keyClicks(dialog.scan, code)
    QtTest.QTest.keyClick(dialog.scan, Key.Key_Return)


def open_dialog(screen: StudyScreen, monkeypatch: pytest.MonkeyPatch,
                fill: Callable[[SessionDialog], None], *, live: bool = False) -> SessionDialog:
    seen: list[SessionDialog] = []

    def run(self: StudyScreen, dialog: QtWidgets.QDialog) -> bool:
        assert isinstance(dialog, SessionDialog)
        seen.append(dialog)
        dialog.show()
        # the widget that gets the keys once the dialog is active (the offscreen platform
        # does not activate dialogs): the scan field, without a click
        assert dialog.focusWidget() is dialog.scan
        fill(dialog)
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(StudyScreen, "run_dialog", run)
    if live:
        screen.sessions_tab.attend_button.click()
    else:
        screen.sessions_tab.add_button.click()
    assert len(seen) == 1
    return seen[0]


def test_scanning_cards_ticks_members_once_and_refuses_strangers(
        screen: StudyScreen, branch: StudyBranch, monkeypatch: pytest.MonkeyPatch) -> None:
    an, binh = branch.ids[0], branch.ids[1]
    good = member_code(branch.unit_id, an)

    def fill(dialog: SessionDialog) -> None:
        assert dialog.roll.present == set()
        scan(dialog, good)
        assert dialog.roll.present == {an}
        assert dialog.scan_note.text() == "✓ Nguyễn Văn An" and not dialog.scan_note.refused
        assert dialog.scan.text() == "" and dialog.focusWidget() is dialog.scan
        assert dialog.isVisible()
        scan(dialog, good)                                  # the same card again
        assert dialog.roll.present == {an}
        assert "đã điểm danh" in dialog.scan_note.text()
        assert dialog.count.text() == "Có mặt 1/6"
        for code, words in ((member_code("another-branch-id", an), "chi bộ khác"),
                            (member_code(branch.unit_id, "not-a-member"), "không có trong"),
                            (good[:-1] + str((int(good[-1]) + 1) % 10), "đọc sai"),
                            ("12345", "14 chữ số")):
            scan(dialog, code)
            assert dialog.scan_note.refused, code
            assert words in dialog.scan_note.text(), dialog.scan_note.text()
            assert dialog.roll.present == {an}
            assert dialog.scan.text() == "" and dialog.focusWidget() is dialog.scan
        assert dialog.isVisible()
        scan(dialog, member_code(branch.unit_id, binh))
        assert dialog.roll.present == {an, binh} and not dialog.scan_note.refused
        # by name: the search ignores diacritics; a tick by hand
        dialog.search.setText("pham thi d")
        assert dialog.roll.rowCount() == 1
        dialog.roll.setData(dialog.roll.index(0, 0), QtCore.Qt.CheckState.Checked.value,
                            QtCore.Qt.ItemDataRole.CheckStateRole)
        dialog.place.setText("Nhà văn hoá thôn")
        dialog.buttons.accepted.emit()

    dialog = open_dialog(screen, monkeypatch, fill)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    view = study.view(branch.ws, branch.plan_id)
    assert len(view.sessions) == 1
    assert set(view.sessions[0].present) == {an, binh, branch.ids[3]}
    assert view.sessions[0].place == "Nhà văn hoá thôn"
    assert [m.name for m in view.makeup] == ["Lê Văn Cường", "Hoàng Văn Em", "Vũ Thị Gấm"]
    assert "3 người có mặt" in screen.note.text() or "3 có mặt" in screen.note.text()
    screen.tabs.setCurrentWidget(screen.members_tab)
    screen.members_tab.makeup.setChecked(True)
    assert [r.name for r in screen.members_tab.model.rows] == [
        "Lê Văn Cường", "Hoàng Văn Em", "Vũ Thị Gấm"]


def test_a_refused_save_keeps_every_tick(screen: StudyScreen, branch: StudyBranch,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(dialog: SessionDialog) -> None:
        for member_id in branch.ids[:3]:
            scan(dialog, member_code(branch.unit_id, member_id))
        dialog.day.setText("31/02/2026")
        dialog.buttons.accepted.emit()
        assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
        assert dialog.errors["held_on"].isVisible()
        assert dialog.roll.present == set(branch.ids[:3])
        dialog.day.setText("15/12/2026")                 # after today: refused by the rules
        dialog.buttons.accepted.emit()
        assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
        assert dialog.roll.present == set(branch.ids[:3])
        assert (dialog.general_error.isVisible() or dialog.errors["held_on"].isVisible())
        dialog.reject()

    open_dialog(screen, monkeypatch, fill)
    assert study.view(branch.ws, branch.plan_id).sessions == ()


def test_an_existing_session_s_scans_are_written_as_they_come(
        screen: StudyScreen, branch: StudyBranch, monkeypatch: pytest.MonkeyPatch) -> None:
    study.record_session(branch.ws, branch.plan_id, held_on="10/11/2026",
                         member_ids=[branch.ids[0]])
    screen.load()
    cuong = branch.ids[2]

    def fill(dialog: SessionDialog) -> None:
        assert dialog.roll.present == {branch.ids[0]}
        assert not dialog.day.isEnabled()
        scan(dialog, member_code(branch.unit_id, cuong))
        assert dialog.scan_note.text() == "✓ Lê Văn Cường"
        assert cuong in study.view(branch.ws, branch.plan_id).sessions[0].present
        scan(dialog, member_code(branch.unit_id, cuong))
        assert "đã điểm danh" in dialog.scan_note.text()
        scan(dialog, member_code("x-branch", cuong))
        assert dialog.scan_note.refused
        assert len(study.view(branch.ws, branch.plan_id).sessions[0].present) == 2
        dialog.accept()

    open_dialog(screen, monkeypatch, fill, live=True)
    assert screen.sessions_tab.model.rows[0].present == (branch.ids[0], cuong) or set(
        screen.sessions_tab.model.rows[0].present) == {branch.ids[0], cuong}
