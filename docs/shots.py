"""What every screenshot script in docs/ shares: the three type sizes, waiting for the window
to settle, grabbing a widget into a PNG, opening the main window at a size on the 1366×768
screen, and running one script on its own on a fresh demo branch.

``make screenshots`` runs docs/make_screenshots.py under Xvfb, which calls each area's
``<area>_screenshots(app, store, base, out) -> list[Path]`` on one demo branch (the month,
the annual review, transfers, admission). Each area's script also runs alone:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m docs.review_screenshots``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtWidgets

if TYPE_CHECKING:
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.usecases.workspace import Workspace

OUT = Path(__file__).resolve().parent / "screenshots"
TODAY = dt.date(2026, 11, 22)       # the demo's day in every picture
SCALES = ((1.0, "100"), (1.5, "150"), (2.0, "200"))

Shots = Callable[[QtWidgets.QApplication, "Workspace", float, Path], list[Path]]


def settle(app: QtWidgets.QApplication) -> None:
    for _ in range(6):
        app.processEvents()
        QtCore.QThread.msleep(40)


def grab(widget: QtWidgets.QWidget, app: QtWidgets.QApplication, path: Path) -> Path:
    settle(app)
    widget.grab().save(str(path))
    return path


def open_window(app: QtWidgets.QApplication, store: Workspace, scale: float,
                base: float) -> MainWindow:
    """The main window at ``scale`` × the base type, 1366×768 fitted to the screen, loaded."""
    from sotay_desktop.ui.display import apply_ui_scale, fit_to_screen
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.ui.tasks import TaskRunner

    apply_ui_scale(app, scale, base)
    window = MainWindow(store, TaskRunner(inline=True), scale=scale)
    window.resize(1366, 768)
    window.show()
    fit_to_screen(window)
    window.refresh()
    return window


def show_dialog(dialog: QtWidgets.QWidget, app: QtWidgets.QApplication, path: Path) -> Path:
    """A dialog shown (not run), fitted to the screen as the app does, grabbed, closed."""
    from sotay_desktop.ui.display import fit_to_screen

    dialog.show()
    fit_to_screen(dialog)
    made = grab(dialog, app, path)
    dialog.close()
    return made


def application() -> tuple[QtWidgets.QApplication, float]:
    """The application, Qt's own words in Vietnamese as in the app, and its base type size."""
    from sotay_desktop.ui import qt_vi

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    assert isinstance(app, QtWidgets.QApplication)
    qt_vi.install(app, "vi")
    return app, app.font().pointSizeF()


def run_alone(shots: Shots, *, members: int = 180) -> int:
    """One area's screenshots on a fresh demo branch in a temporary folder (under Xvfb)."""
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.usecases import branch as uc_branch
    from sotay_desktop.usecases.workspace import Workspace

    app, base = application()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        store = Workspace(db, today=lambda: TODAY)
        uc_branch.create_demo(store, members=members, documents=10)
        for path in shots(app, store, base, OUT):
            print(path)
        db.close()
    return 0


def reset(app: QtWidgets.QApplication, base: float) -> None:
    """Back to the normal type for the next area's pictures."""
    from sotay_desktop.ui.display import apply_ui_scale

    apply_ui_scale(app, 1.0, base)
