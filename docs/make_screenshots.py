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
sys.path.insert(0, str(Path(__file__).parents[1]))  # the tests' server helpers


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
        sync_screenshot(app, store, db, Path(tmp))
        db.close()
    return 0


def sync_screenshot(app: QtWidgets.QApplication, store: BranchStore, db: object,
                    tmp: Path) -> None:
    """The Sync screen after a real sync with a conflict and a province edit (real server)."""
    from sqlalchemy import select

    from sotay_desktop.db.tables import MemberRow
    from sotay_desktop.services import sync_client
    from sotay_desktop.services.members import update_member
    from sync_server import admin
    from tests.sync_support import running_server

    with running_server(tmp / "server") as server:
        [branch] = server.tree()
        sync_client.enroll(db, server.url, server.code(branch), label="Máy nhà văn hóa")  # type: ignore[arg-type]
        sync_client.run_sync(db)  # type: ignore[arg-type]
        other = open_database(tmp / "pc2")
        sync_client.enroll(other, server.url, server.code(branch), label="Máy bí thư (PC-2)")
        sync_client.run_sync(other)
        with db.reads() as s:  # type: ignore[attr-defined]
            people = s.scalars(select(MemberRow).order_by(MemberRow.sort_key)).all()[:2]
            ids = [p.id for p in people]
        with other.sessions.begin() as s:
            update_member(s, member_id=ids[0], data={"residence": "Xóm Chợ, thôn Thượng"},
                          today=dt.date(2026, 11, 22))
        sync_client.run_sync(other)
        with server.session() as s:
            admin.province_edit(s, scope_id=branch, entity="members", row_id=ids[1],
                                values={"card_number": "79.012345"},
                                actor="Ban Tổ chức Tỉnh ủy")
        with db.sessions.begin() as s:  # type: ignore[attr-defined]
            update_member(s, member_id=ids[0], data={"residence": "Xóm Đình, thôn Thượng"},
                          today=dt.date(2026, 11, 22))
            update_member(s, member_id=ids[1], data={"card_number": "79.099999"},
                          today=dt.date(2026, 11, 22))
        window = MainWindow(store, TaskRunner(inline=True))
        window.resize(1366, 768)
        window.show()
        window.refresh()
        window.nav.setCurrentRow(4)
        window.sync_screen.sync_button.click()
        for _ in range(5):
            app.processEvents()
            QtCore.QThread.msleep(50)
        window.grab().save(str(OUT / "sync-normal.png"))
        window.close()
        other.close()


if __name__ == "__main__":
    sys.exit(main())
