"""Screenshots of the real app for the README: run under Xvfb (see the Makefile's `screenshots`).

Creates a demo branch in a temporary folder, opens the main window at normal
and large type, and saves each screen with QWidget.grab().
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from sotay_desktop.db.engine import open_database
from sotay_desktop.services.store import BranchStore
from sotay_desktop.ui.display import apply_ui_scale
from sotay_desktop.ui.main_window import MainWindow
from sotay_desktop.ui.tasks import TaskRunner

OUT = Path(__file__).parent / "screenshots"


def main() -> int:
    app = QtWidgets.QApplication(sys.argv[:1])
    base = app.font().pointSizeF()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        store = BranchStore(db, today=lambda: dt.date(2026, 11, 22))
        store.create_demo(members=180, documents=40)
        for scale, suffix in ((1.0, "normal"), (1.5, "large")):
            apply_ui_scale(app, scale, base)
            window = MainWindow(store, TaskRunner(inline=True))
            window.resize(1366, 768)
            window.show()
            window.refresh()
            for row, name in ((0, "home"), (1, "roster"), (2, "documents"), (3, "meetings")):
                window.nav.setCurrentRow(row)
                if name == "roster":
                    window.roster.search.setText("nguyen thi")
                    model = window.roster.model
                    window.roster.table.setCurrentIndex(model.index(min(2, model.rowCount() - 1),
                                                                    0))
                if name == "meetings":
                    window.meetings.load()
                    window.meetings.tabs.setCurrentWidget(window.meetings.resolution)
                if name == "documents":
                    window.documents.search.setText("dang vien")
                    window.documents.run_search()
                for _ in range(5):
                    app.processEvents()
                    QtCore.QThread.msleep(50)
                window.grab().save(str(OUT / f"{name}-{suffix}.png"))
            window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
