"""Screenshots of the secretary's month (issue 19) for docs/thang.md: the Đảng phí screen and
its payment dialog, the meeting's Tasks and Score tabs and the monthly report dialog, at
100, 150 and 200 % type on the 1366×768 screen. Called by docs/make_screenshots.py (under
Xvfb); modal dialogs are grabbed in place of running them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from sotay_desktop.ui.display import apply_ui_scale, fit_to_screen
from sotay_desktop.ui.main_window import MainWindow
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases.workspace import Workspace

SCALES = ((1.0, "100"), (1.5, "150"), (2.0, "200"))


def _settle(app: QtWidgets.QApplication) -> None:
    for _ in range(6):
        app.processEvents()
        QtCore.QThread.msleep(40)


def _grab(widget: QtWidgets.QWidget, app: QtWidgets.QApplication, path: Path) -> None:
    _settle(app)
    widget.grab().save(str(path))


def month_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                      out: Path) -> list[Path]:
    from sotay_desktop.ui.dues.payment_dialog import PaymentDialog
    from sotay_desktop.ui.report_dialog import MonthlyReportDialog

    made: list[Path] = []
    for scale, suffix in SCALES:
        apply_ui_scale(app, scale, base)
        window = MainWindow(store, TaskRunner(inline=True), scale=scale)
        window.resize(1366, 768)
        window.show()
        fit_to_screen(window)
        window.refresh()
        window.nav.setCurrentRow(window.nav.count() - 1)   # Đảng phí
        dues = window.dues
        dues.load()
        _settle(app)
        if dues.book is not None and dues.model.rowCount() > 3:
            dues.grid.setCurrentIndex(dues.model.index(3, 9))   # October
        made.append(out / f"dues-{suffix}.png")
        _grab(window, app, made[-1])
        if dues.book is not None and scale == 2.0:
            line = dues.model.lines[3]
            month = dues.model.month_of(10) or dues.book.through
            dialog = PaymentDialog(store, window.runner, line, month, window)
            dialog.show()
            made.append(out / "dues-payment-200.png")
            _grab(dialog, app, made[-1])
            dialog.close()
        window.nav.setCurrentRow(3)
        meetings = window.meetings
        meetings.load()
        _settle(app)
        meetings.list.setCurrentIndex(meetings.model.index(0, 0))
        for tab, name in ((meetings.task_list, "tasks"), (meetings.score, "score")):
            meetings.tabs.setCurrentWidget(tab)
            made.append(out / f"meeting-{name}-{suffix}.png")
            _grab(window, app, made[-1])
        report = MonthlyReportDialog(store, window.runner, parent=window)
        report.show()
        fit_to_screen(report)
        report.load()
        made.append(out / f"report-{suffix}.png")
        _grab(report, app, made[-1])
        report.close()
        window.close()
    apply_ui_scale(app, 1.0, base)
    return made
