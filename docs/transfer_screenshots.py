"""Screenshots of the transfers screen (issue 20) at 100, 150 and 200 % type on the 1366×768
screen, and of the letter dialog: ``xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python -m
docs.transfer_screenshots`` writes docs/screenshots/transfers-*.png. Modal dialogs are grabbed
in place of running them.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from sotay_core.domain.transfers import Direction
from sotay_desktop.db.engine import open_database
from sotay_desktop.ui.display import apply_ui_scale, fit_to_screen
from sotay_desktop.ui.main_window import MainWindow
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.transfers.letter_dialog import LetterDialog
from sotay_desktop.ui.transfers.screen import TransfersScreen
from sotay_desktop.usecases import branch as uc_branch
from sotay_desktop.usecases.workspace import Workspace

OUT = Path(__file__).resolve().parent / "screenshots"
SCALES = ((1.0, "100"), (1.5, "150"), (2.0, "200"))


def _settle(app: QtWidgets.QApplication) -> None:
    for _ in range(6):
        app.processEvents()
        QtCore.QThread.msleep(40)


def _grab(widget: QtWidgets.QWidget, app: QtWidgets.QApplication, path: Path) -> Path:
    _settle(app)
    widget.grab().save(str(path))
    return path


def transfer_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                         out: Path) -> list[Path]:
    made: list[Path] = []
    for scale, suffix in SCALES:
        apply_ui_scale(app, scale, base)
        window = MainWindow(store, TaskRunner(inline=True), scale=scale)
        window.resize(1366, 768)
        window.show()
        fit_to_screen(window)
        window.refresh()
        screen = window.lazy.named("TransfersScreen")
        assert isinstance(screen, TransfersScreen)
        made.append(_grab(window, app, out / f"transfers-{suffix}.png"))
        for direction in (Direction.OUT, Direction.IN):
            if scale == 1.0 or (scale == 2.0 and direction is Direction.IN):
                dialog = LetterDialog(store, window.runner, direction, screen.people, window,
                                      rules=screen.rules)
                dialog.show()
                made.append(_grab(dialog, app, out / f"transfers-{direction.value}-{suffix}.png"))
                dialog.close()
        window.close()
    return made


def main() -> int:
    app = QtWidgets.QApplication(sys.argv[:1])
    base = app.font().pointSizeF()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        store = Workspace(db, today=lambda: dt.date(2026, 11, 22))
        uc_branch.create_demo(store, members=180, documents=10)
        for path in transfer_screenshots(app, store, base, OUT):
            print(path)
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
