"""The study screen through the real thread pools (issue 21): a scanner's cards come faster
than the look-ups answer, and the grid is typed on while earlier rows are still being saved
and the screen reads again after each; nothing is lost or ticked twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6 import QtCore, QtTest

from sotay_core.domain.study_plan import member_code
from sotay_desktop.db.engine import Database
from sotay_desktop.ui.study.screen import StudyScreen
from sotay_desktop.ui.study.session_dialog import SessionDialog
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import study
from tests.study_gui_fixtures import StudyBranch, make_study_branch

pytestmark = pytest.mark.gui
Key = QtCore.Qt.Key


@pytest.fixture
def branch(branch_db: tuple[Database, str]) -> StudyBranch:
    return make_study_branch(*branch_db)


@pytest.fixture
def screen(qtbot: Any, make_window: Callable[..., Any], branch: StudyBranch) -> StudyScreen:
    window = make_window(branch.ws, TaskRunner(), show=True, refresh=True)
    found = window.lazy.named("StudyScreen")
    assert isinstance(found, StudyScreen)
    found.select(branch.plan_id)
    qtbot.waitUntil(lambda: found.view() is not None
                    and found.view().plan.id == branch.plan_id)
    return found


def test_cards_scanned_faster_than_the_look_ups(qtbot: Any, screen: StudyScreen,
                                                branch: StudyBranch) -> None:
    view = screen.view()
    assert view is not None
    dialog = SessionDialog(screen.workspace, screen.runner, view, None, "session", screen)
    qtbot.addWidget(dialog)
    dialog.show()
    codes = [member_code(branch.unit_id, m) for m in (*branch.ids[:4], branch.ids[0])]
    codes.insert(2, member_code("another-branch", branch.ids[5]))
    for code in codes:                       # no wait between cards
        QtTest.QTest.keyClicks(dialog.scan, code)
        QtTest.QTest.keyClick(dialog.scan, Key.Key_Return)
    qtbot.waitUntil(lambda: len(dialog.roll.present) == 4
                    and dialog.scan_note.text().endswith("(chỉ tính một lần)"))
    assert dialog.roll.present == set(branch.ids[:4]) and dialog.isVisible()
    with qtbot.waitSignal(screen.runner.operation_did_execute, timeout=10_000):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: len(screen.sessions_tab.model.rows) == 1)
    assert set(study.view(branch.ws, branch.plan_id).sessions[0].present) == set(
        branch.ids[:4])


def test_the_grid_typed_on_while_rows_are_saved(qtbot: Any, screen: StudyScreen,
                                                branch: StudyBranch) -> None:
    screen.tabs.setCurrentWidget(screen.quiz_tab)
    grid = screen.quiz_tab.grid
    grid.setFocus()
    rows = ("ABCB", "BBCB", "A-CA", "1234"[:2] + "32", "DCBA"[:1] + "BC-")
    for answers in rows:                     # no wait between rows
        for key in answers:
            QtTest.QTest.keyClick(grid, key)

    def saved() -> bool:
        lines = study.view(branch.ws, branch.plan_id).members
        return sum(1 for line in lines if line.answers) == len(rows) and \
            not screen.quiz_tab.model.drafts and not screen.quiz_tab.model.saving

    qtbot.waitUntil(saved, timeout=10_000)
    lines = study.view(branch.ws, branch.plan_id).members
    assert [line.answers for line in lines[:5]] == ["ABCB", "BBCB", "A-CA", "ABCB", "DBC-"]
    qtbot.waitUntil(lambda: screen.quiz_tab.model.data(
        screen.quiz_tab.model.index(4, 4)) == "2/4 · đạt")
    assert grid.currentIndex().row() == 5 and grid.currentIndex().column() == 0
