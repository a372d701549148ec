"""Screenshots of the secretary's month (issue 19) for docs/thang.md: the Đảng phí screen and
its payment dialog, the meeting's Tasks and Score tabs and the monthly report dialog, at
100, 150 and 200 % type on the 1366×768 screen. Called by docs/make_screenshots.py (under
Xvfb), or alone: ``.venv/bin/python -m docs.month_screenshots``; modal dialogs are grabbed
in place of running them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets

from docs.shots import SCALES, grab, open_window, reset, run_alone, settle

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace


def month_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                      out: Path) -> list[Path]:
    from sotay_desktop.ui.display import fit_to_screen
    from sotay_desktop.ui.dues.payment_dialog import PaymentDialog
    from sotay_desktop.ui.report_dialog import MonthlyReportDialog

    made: list[Path] = []
    for scale, suffix in SCALES:
        window = open_window(app, store, scale, base)
        window.nav.setCurrentRow(window.nav.count() - 1)   # Đảng phí
        dues = window.dues
        dues.load()
        settle(app)
        if dues.book is not None and dues.model.rowCount() > 3:
            dues.grid.setCurrentIndex(dues.model.index(3, 9))   # October
        made.append(grab(window, app, out / f"dues-{suffix}.png"))
        if dues.book is not None and scale == 2.0:
            line = dues.model.lines[3]
            month = dues.model.month_of(10) or dues.book.through
            dialog = PaymentDialog(store, window.runner, line, month, window)
            dialog.show()
            made.append(grab(dialog, app, out / "dues-payment-200.png"))
            dialog.close()
        window.nav.setCurrentRow(3)
        meetings = window.meetings
        meetings.load()
        settle(app)
        meetings.list.setCurrentIndex(meetings.model.index(0, 0))
        for tab, name in ((meetings.task_list, "tasks"), (meetings.score, "score")):
            meetings.tabs.setCurrentWidget(tab)
            made.append(grab(window, app, out / f"meeting-{name}-{suffix}.png"))
        report = MonthlyReportDialog(store, window.runner, parent=window)
        report.show()
        fit_to_screen(report)
        report.load()
        made.append(grab(report, app, out / f"report-{suffix}.png"))
        report.close()
        window.close()
    reset(app, base)
    return made


if __name__ == "__main__":
    raise SystemExit(run_alone(month_screenshots))
