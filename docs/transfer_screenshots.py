"""Screenshots of the transfers screen (issue 20) at 100, 150 and 200 % type on the 1366×768
screen (transfers-100/150/200.png), and of the letter dialog: out and in at 100 %, in at
200 % (transfers-out-100.png, transfers-in-100.png, transfers-in-200.png). Modal dialogs
are grabbed in place of running them.

Called by docs/make_screenshots.py, or on its own under Xvfb on a fresh demo:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m docs.transfer_screenshots``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets

from docs.shots import SCALES, grab, open_window, reset, run_alone, show_dialog

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace


def transfer_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                         out: Path) -> list[Path]:
    from sotay_core.domain.transfers import Direction
    from sotay_desktop.ui.transfers.letter_dialog import LetterDialog
    from sotay_desktop.ui.transfers.screen import TransfersScreen

    made: list[Path] = []
    for scale, suffix in SCALES:
        window = open_window(app, store, scale, base)
        screen = window.lazy.named("TransfersScreen")
        assert isinstance(screen, TransfersScreen)
        made.append(grab(window, app, out / f"transfers-{suffix}.png"))
        for direction in (Direction.OUT, Direction.IN):
            if scale == 1.0 or (scale == 2.0 and direction is Direction.IN):
                dialog = LetterDialog(store, window.runner, direction, screen.people, window,
                                      rules=screen.rules)
                made.append(show_dialog(dialog, app,
                                        out / f"transfers-{direction.value}-{suffix}.png"))
        window.close()
    reset(app, base)
    return made


if __name__ == "__main__":
    raise SystemExit(run_alone(transfer_screenshots))
