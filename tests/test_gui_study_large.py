"""The study screen and its dialogs at 200 % type (and high contrast) on a 1366×768 screen,
on the demo branch (issue 21): every control reachable, nothing squeezed below its size,
with the quiz tab's grid, a session's scan confirmation, the survey's refusal in view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtWidgets

from sotay_desktop.settings import Settings
from sotay_desktop.ui import display
from sotay_desktop.ui.study.screen import StudyScreen
from tests.test_gui_large_type import _check, large  # noqa: F401  (the fixture)

pytestmark = pytest.mark.gui


@pytest.fixture
def screen(make_window: Callable[..., Any], large: QtWidgets.QApplication,  # noqa: F811
           demo_db: Any, tmp_path: Path) -> StudyScreen:
    win = make_window(demo_db, show=True, scale=2.0,
                      settings=Settings(tmp_path / "settings.json"))
    display.fit_to_screen(win)
    win.refresh()
    found = win.lazy.named("StudyScreen")
    assert isinstance(found, StudyScreen)
    return found


def _dialogs(screen: StudyScreen) -> dict[str, QtWidgets.QDialog]:
    from sotay_desktop.ui.study.papers_dialog import PapersDialog
    from sotay_desktop.ui.study.plan_dialog import ContentDialog, PlanDialog
    from sotay_desktop.ui.study.session_dialog import SessionDialog
    from sotay_desktop.ui.study.survey_dialog import SurveyDialog

    view = screen.view()
    assert view is not None
    session = SessionDialog(screen.workspace, screen.runner, view, None, "session", screen)
    session.scanned(view.members[0].code)
    made: dict[str, QtWidgets.QDialog] = {
        "session": session,
        "attendance": SessionDialog(screen.workspace, screen.runner, view, view.sessions[0],
                                    "session", screen),
        "plan": PlanDialog(screen.workspace, screen.runner, view.plan, screen),
        "quiz text": ContentDialog(screen.workspace, screen.runner, view.plan, "quiz", screen),
        "papers": PapersDialog(screen.workspace, screen.runner, None, view,
                               (view.members[0].member_id, view.members[0].name), screen)}
    if view.plan.survey is not None:
        survey = SurveyDialog(screen.workspace, screen.runner, view, screen)
        survey.spins[0][0].setValue(survey.present.value() + 1)
        made["survey"] = survey
    return made


@pytest.mark.parametrize("large", [False, True], ids=["normal", "high-contrast"],
                         indirect=True)
def test_the_study_screen_and_its_dialogs_fit_at_200_percent(
        screen: StudyScreen, large: QtWidgets.QApplication) -> None:  # noqa: F811
    problems: list[str] = []
    window = screen.window()
    for plan in screen.plans.rows:
        screen.select(plan.id)
        for index in range(screen.tabs.count()):
            if screen.tabs.isTabEnabled(index):
                screen.tabs.setCurrentIndex(index)
                problems += _check(window, large, f"{plan.title[:20]}, tab {index}")
        screen.tabs.setCurrentWidget(screen.quiz_tab)
        screen.quiz_tab.show_questions.setChecked(True)      # the questions opened too
        problems += _check(window, large, f"{plan.title[:20]}, questions shown")
        screen.quiz_tab.show_questions.setChecked(False)
        for name, dialog in _dialogs(screen).items():
            dialog.show()
            display.fit_to_screen(dialog)
            problems += _check(dialog, large, f"{plan.title[:20]}: {name}")
            dialog.close()
    assert not problems, "\n".join(problems)
