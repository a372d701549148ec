"""Screenshots of the annual review (issue 20): Home with the year's reminders in view at 100
and 200 % (home-year-100/200.png); the "Kiểm điểm" screen on the demo's finished
last year at 100, 150 and 200 % type on the 1366×768 screen (review-100/150/200.png), this
year's open campaign at 200 % (review-open-200.png), and the proposal dialog at 200 %
(review-proposal-200.png; scrolled to the vote: review-proposal-vote-200.png). Modal
dialogs are grabbed in place of running them.

Called by docs/make_screenshots.py, or on its own under Xvfb on a fresh demo:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m docs.review_screenshots``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets

from docs.shots import SCALES, grab, open_window, reset, run_alone, settle

if TYPE_CHECKING:
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.usecases.workspace import Workspace


def review_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                       out: Path) -> list[Path]:
    from sotay_desktop.ui.display import fit_to_screen
    from sotay_desktop.ui.review.proposal_dialog import ProposalDialog
    from sotay_desktop.ui.review.screen import ReviewScreen

    made: list[Path] = []
    last_year = store.today().year - 1
    for scale, suffix in SCALES:
        window = open_window(app, store, scale, base)
        if scale in (1.0, 2.0):
            made.append(year_reminders(window, app, out / f"home-year-{suffix}.png"))
        screen = window.lazy.named("ReviewScreen")
        assert isinstance(screen, ReviewScreen)
        screen.year.setValue(last_year)
        settle(app)
        if screen.model.rowCount() > 3:
            screen.table.setCurrentIndex(screen.model.index(3, 0))
        made.append(grab(window, app, out / f"review-{suffix}.png"))
        if scale == 2.0:
            screen.year.setValue(store.today().year)
            made.append(grab(window, app, out / "review-open-200.png"))
            data = screen.data
            if data is not None and data.view is not None and data.view.sheets:
                sheet = data.view.sheets[2]
                dialog = ProposalDialog(store, window.runner, data.year, data.quarter,
                                        data.view.scheme, sheet, sheet.name, data.voting_base,
                                        window)
                dialog.show()
                fit_to_screen(dialog)
                made.append(grab(dialog, app, out / "review-proposal-200.png"))
                area = dialog.findChild(QtWidgets.QScrollArea)
                if area is not None:     # the vote, below the fold at 200 %
                    area.ensureWidgetVisible(dialog.all_yes)
                    made.append(grab(dialog, app, out / "review-proposal-vote-200.png"))
                dialog.close()
        window.close()
    reset(app, base)
    return made


def year_reminders(window: MainWindow, app: QtWidgets.QApplication, path: Path) -> Path:
    """Home with the reminders of the secretary's year in view (the review's first)."""
    window.nav.setCurrentRow(0)
    settle(app)
    rows = window.home.reminders.reminders
    kinds = ("review_", "candidate_", "transfer_")
    first = next((i for i, r in enumerate(rows) if r.kind.value.startswith(kinds)), 0)
    table = window.home.table
    table.setCurrentIndex(window.home.reminders.index(first, 0))
    table.scrollTo(table.currentIndex(), QtWidgets.QAbstractItemView.ScrollHint.PositionAtTop)
    return grab(window, app, path)


if __name__ == "__main__":
    raise SystemExit(run_alone(review_screenshots))
