"""Screenshots of political study (issue 21): Home with its study reminders at 100 and 200 %
(home-study-100/200.png), the "Học tập" screen on the demo's plan in
progress at 100, 150 and 200 % type on the 1366×768 screen (study-100/150/200.png), its
make-up list (study-makeup-200.png), the quiz tab with a row being typed in the answer grid
(study-quiz-100/200.png), the session dialog just after a card was scanned and after a
stranger's card was refused (study-session-100/200.png, study-session-refused-200.png), the
survey's tally dialog with a count above those present (study-survey-200.png), and the
demo's finished plan with its survey's totals (study-finished-200.png), and the papers
dialog on one member's quiz sheet in large type (study-papers-200.png). Modal dialogs are grabbed
in place of running them; nothing is saved.

Called by docs/make_screenshots.py, or on its own under Xvfb on a fresh demo:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m docs.study_screenshots``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtTest, QtWidgets

from docs.shots import SCALES, grab, open_window, reset, run_alone, settle, show_dialog

if TYPE_CHECKING:
    from sotay_desktop.ui.study.screen import StudyScreen
    from sotay_desktop.usecases.workspace import Workspace


def study_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                      out: Path) -> list[Path]:
    from sotay_desktop.ui.study.screen import StudyScreen
    from sotay_desktop.usecases import study

    plans = study.plans(store)
    going = next((p for p in plans if p.not_studied), plans[0])
    done = next((p for p in plans if not p.not_studied), plans[-1])
    made: list[Path] = []
    for scale, suffix in SCALES:
        window = open_window(app, store, scale, base)
        if scale in (1.0, 2.0):
            made.append(home_study(window, app, out / f"home-study-{suffix}.png"))
        screen = window.lazy.named("StudyScreen")
        assert isinstance(screen, StudyScreen)
        screen.select(going.id)
        settle(app)
        made.append(grab(window, app, out / f"study-{suffix}.png"))
        if scale == 2.0:
            screen.members_tab.makeup.setChecked(True)
            made.append(grab(window, app, out / "study-makeup-200.png"))
            screen.members_tab.makeup.setChecked(False)
        if scale in (1.0, 2.0):
            made.append(quiz_tab(screen, app, out / f"study-quiz-{suffix}.png"))
            made += session_dialog(screen, app, out, suffix, refused=scale == 2.0)
        if scale == 2.0:
            screen.select(done.id)
            screen.tabs.setCurrentWidget(screen.survey_tab)
            made.append(grab(window, app, out / "study-finished-200.png"))
            made.append(survey_dialog(screen, app, out / "study-survey-200.png"))
            made.append(papers_dialog(screen, app, out / "study-papers-200.png"))
        window.close()
    reset(app, base)
    return made


def home_study(window: QtWidgets.QWidget, app: QtWidgets.QApplication, path: Path) -> Path:
    """Home with its study reminders in view: the plan under way, its deadline and how many
    have not studied (Enter opens the plan at its make-up list)."""
    nav = getattr(window, "nav")  # noqa: B009 (MainWindow, imported lazily)
    home = getattr(window, "home")  # noqa: B009
    nav.setCurrentRow(0)
    settle(app)
    rows = home.reminders.reminders
    first = next((i for i, r in enumerate(rows) if r.kind.value.startswith("study_")), 0)
    table = home.table
    table.setCurrentIndex(home.reminders.index(first, 0))
    table.scrollTo(table.currentIndex(), QtWidgets.QAbstractItemView.ScrollHint.PositionAtTop)
    return grab(window, app, path)


def quiz_tab(screen: StudyScreen, app: QtWidgets.QApplication, path: Path) -> Path:
    """The grid with the first member without a sheet half typed (a draft: not saved)."""
    screen.tabs.setCurrentWidget(screen.quiz_tab)
    grid = screen.quiz_tab.grid
    model = screen.quiz_tab.model
    row = next((i for i, line in enumerate(model.lines) if not line.answers), 0)
    grid.go(row, 0)
    grid.setFocus()
    for letter in "BA":
        QtTest.QTest.keyClick(grid, letter)
    made = grab(screen.window(), app, path)
    member_id = model.lines[row].member_id if model.lines else ""
    model.drafts.discard(member_id)
    screen.show_plan(screen.view())
    return made


def session_dialog(screen: StudyScreen, app: QtWidgets.QApplication, out: Path, suffix: str,
                   *, refused: bool) -> list[Path]:
    """A new session's dialog just after two cards were scanned (not saved)."""
    from sotay_core.domain.study_plan import member_code
    from sotay_desktop.ui.study.session_dialog import SessionDialog

    view = screen.view()
    assert view is not None
    screen.tabs.setCurrentWidget(screen.sessions_tab)
    dialog = SessionDialog(screen.workspace, screen.runner, view, None, "makeup", screen)
    for line in view.makeup[:2]:
        dialog.scanned(line.code)
    made = [show_dialog_kept(dialog, app, out / f"study-session-{suffix}.png")]
    if refused:
        dialog.scanned(member_code("another-branch", view.members[0].member_id))
        made.append(show_dialog_kept(dialog, app, out / "study-session-refused-200.png"))
    dialog.close()
    return made


def show_dialog_kept(dialog: QtWidgets.QDialog, app: QtWidgets.QApplication,
                     path: Path) -> Path:
    from sotay_desktop.ui.display import fit_to_screen

    dialog.show()
    fit_to_screen(dialog)
    return grab(dialog, app, path)


def survey_dialog(screen: StudyScreen, app: QtWidgets.QApplication, path: Path) -> Path:
    from sotay_desktop.ui.study.survey_dialog import SurveyDialog

    view = screen.view()
    assert view is not None and view.plan.survey is not None
    dialog = SurveyDialog(screen.workspace, screen.runner, view, screen)
    present = dialog.present.value() or 5
    dialog.present.setValue(present)
    if dialog.spins and dialog.spins[0]:
        dialog.spins[0][0].setValue(present - 1)
        dialog.spins[0][1].setValue(2)
    return show_dialog(dialog, app, path)


def papers_dialog(screen: StudyScreen, app: QtWidgets.QApplication, path: Path) -> Path:
    """The papers dialog on the quiz sheets, in large type, for one member."""
    from sotay_desktop.ui.study.papers_dialog import PapersDialog

    view = screen.view()
    assert view is not None
    line = view.members[0]
    dialog = PapersDialog(screen.workspace, screen.runner, None, view,
                          (line.member_id, line.name), screen)
    dialog.kind.setCurrentIndex(max(0, dialog.kind.findData("sheets")))
    dialog.who.setCurrentIndex(1)
    return show_dialog(dialog, app, path)


if __name__ == "__main__":
    raise SystemExit(run_alone(study_screenshots))
