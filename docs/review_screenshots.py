"""Screenshots of the annual review (issue 20): the "Kiểm điểm" screen on the demo's finished
last year at 100, 150 and 200 % type on the 1366×768 screen (review-100/150/200.png), this
year's open campaign at 200 % (review-open-200.png), and the proposal dialog at 200 %
(review-proposal-200.png; scrolled to the vote: review-proposal-vote-200.png). Modal
dialogs are grabbed in place of running them.

Called by docs/make_screenshots.py, or on its own under Xvfb on a fresh demo:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/review_screenshots.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from sotay_desktop.ui.display import apply_ui_scale, fit_to_screen
from sotay_desktop.ui.main_window import MainWindow
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases.workspace import Workspace

SCALES = ((1.0, "100"), (1.5, "150"), (2.0, "200"))
OUT = Path(__file__).parent / "screenshots"


def _settle(app: QtWidgets.QApplication) -> None:
    for _ in range(6):
        app.processEvents()
        QtCore.QThread.msleep(40)


def _grab(widget: QtWidgets.QWidget, app: QtWidgets.QApplication, path: Path) -> Path:
    _settle(app)
    widget.grab().save(str(path))
    return path


def review_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                       out: Path) -> list[Path]:
    from sotay_desktop.ui.review.proposal_dialog import ProposalDialog
    from sotay_desktop.ui.review.screen import ReviewScreen

    made: list[Path] = []
    last_year = store.today().year - 1
    for scale, suffix in SCALES:
        apply_ui_scale(app, scale, base)
        window = MainWindow(store, TaskRunner(inline=True), scale=scale)
        window.resize(1366, 768)
        window.show()
        fit_to_screen(window)
        window.refresh()
        screen = window.lazy.named("ReviewScreen")
        assert isinstance(screen, ReviewScreen)
        screen.year.setValue(last_year)
        _settle(app)
        if screen.model.rowCount() > 3:
            screen.table.setCurrentIndex(screen.model.index(3, 0))
        made.append(_grab(window, app, out / f"review-{suffix}.png"))
        if scale == 2.0:
            screen.year.setValue(store.today().year)
            _settle(app)
            made.append(_grab(window, app, out / "review-open-200.png"))
            data = screen.data
            if data is not None and data.view is not None and data.view.sheets:
                sheet = data.view.sheets[2]
                dialog = ProposalDialog(store, window.runner, data.year, data.quarter,
                                        data.view.scheme, sheet, sheet.name, data.voting_base,
                                        window)
                dialog.show()
                fit_to_screen(dialog)
                made.append(_grab(dialog, app, out / "review-proposal-200.png"))
                area = dialog.findChild(QtWidgets.QScrollArea)
                if area is not None:     # the vote, below the fold at 200 %
                    area.ensureWidgetVisible(dialog.all_yes)
                    made.append(_grab(dialog, app, out / "review-proposal-vote-200.png"))
                dialog.close()
        window.close()
    apply_ui_scale(app, 1.0, base)
    return made


def main() -> int:
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.ui import qt_vi
    from sotay_desktop.usecases import branch as uc_branch

    app = QtWidgets.QApplication(sys.argv[:1])
    qt_vi.install(app, "vi")
    base = app.font().pointSizeF()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        store = Workspace(db, today=lambda: dt.date(2026, 11, 22))
        uc_branch.create_demo(store, members=180, documents=10)
        for path in review_screenshots(app, store, base, OUT):
            print(path)
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
