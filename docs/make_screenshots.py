"""Screenshots of the real app for the README and the guides: the one entry point, run under
Xvfb by ``make screenshots``.

Creates a demo branch in a temporary folder, opens the main window at normal
and large type, and saves each screen with QWidget.grab(); then at 200 % type on the
1366×768 screen, each screen and the main dialogs (*-200.png); then each area's pictures at
100, 150 and 200 % (``area_screenshots``: the month, the annual review, transfers,
admission; each script also runs alone, see docs/shots.py); last the Sync screen after a
real sync.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtWidgets

from sotay_desktop.db.engine import open_database
from sotay_desktop.ui.display import apply_ui_scale
from sotay_desktop.ui.main_window import MainWindow
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import branch as uc_branch
from sotay_desktop.usecases import members as uc_members
from sotay_desktop.usecases import roster as uc_roster
from sotay_desktop.usecases.workspace import Workspace

OUT = Path(__file__).parent / "screenshots"
sys.path.insert(0, str(Path(__file__).parents[1]))  # docs.*, and the tests' server helpers

if TYPE_CHECKING:
    from docs.shots import Shots


def main() -> int:
    app = QtWidgets.QApplication(sys.argv[:1])
    from sotay_desktop.ui import qt_vi

    qt_vi.install(app, "vi")   # Qt's own buttons and dialogs in Vietnamese, as in the app
    base = app.font().pointSizeF()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp))
        store = Workspace(db, today=lambda: dt.date(2026, 11, 22))
        uc_branch.create_demo(store, members=180, documents=40)
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
        large_type_screenshots(app, store, base, Path(tmp))
        for shots in area_screenshots():   # before the sync enrols the PC
            for path in shots(app, store, base, OUT):
                print(path)
        sync_screenshot(app, store, db, Path(tmp))
        db.close()
    return 0


def area_screenshots() -> list[Shots]:
    """Each area's pictures at 100, 150 and 200 % type, in this order on the one demo branch:
    the secretary's month (issue 19), then the year (issue 20): the annual review, transfers,
    admission (it takes one more candidate through to full membership), then political study
    (issue 21; it saves nothing) and its papers' pages."""
    from docs.admission_screenshots import admission_screenshots
    from docs.month_screenshots import month_screenshots
    from docs.review_screenshots import review_screenshots
    from docs.study_paper_pages import study_paper_pages
    from docs.study_screenshots import study_screenshots
    from docs.transfer_screenshots import transfer_screenshots

    return [month_screenshots, review_screenshots, transfer_screenshots, admission_screenshots,
            study_screenshots, study_paper_pages]


def _settle(app: QtWidgets.QApplication) -> None:
    for _ in range(5):
        app.processEvents()
        QtCore.QThread.msleep(50)


def large_type_screenshots(app: QtWidgets.QApplication, store: Workspace, base: float,
                           tmp: Path) -> None:
    """At 200 % type on the 1366×768 screen (the Makefile's Xvfb): each screen, the meeting's
    tabs, the main dialogs, and the roster in high contrast. Modal dialogs are grabbed in
    place of running them."""
    from PySide6 import QtPrintSupport

    from sotay_core import i18n
    from sotay_desktop.ui.display import apply_contrast, fit_to_screen
    from sotay_desktop.ui.member.dialog import MemberDialog
    from sotay_desktop.ui.member.event_dialog import EventDialog
    from sotay_desktop.ui.roster.import_dialog import ImportDialog

    def grab_dialog(name: str) -> Callable[[QtWidgets.QDialog], int]:
        def run(dialog: QtWidgets.QDialog) -> int:
            dialog.show()
            _settle(app)
            dialog.grab().save(str(OUT / f"{name}-200.png"))
            dialog.hide()
            return 0
        return run

    apply_ui_scale(app, 2.0, base)
    for contrast in (False, True):
        apply_contrast(app, contrast)
        window = MainWindow(store, TaskRunner(inline=True), scale=2.0, high_contrast=contrast)
        window.resize(1366, 768)
        window.show()
        fit_to_screen(window)
        window.refresh()
        shots = ((1, "roster"),) if contrast else (
            (0, "home"), (1, "roster"), (2, "documents"), (3, "meetings"), (4, "sync"))
        for row, name in shots:
            window.nav.setCurrentRow(row)
            if name == "roster":
                model = window.roster.model
                window.roster.table.setCurrentIndex(model.index(2, 0))
            _settle(app)
            window.grab().save(str(OUT / f"{name}-200{'-contrast' if contrast else ''}.png"))
        if contrast:
            window.close()
            continue
        meetings = window.meetings
        window.nav.setCurrentRow(3)
        for tab in (meetings.attendance, meetings.minutes, meetings.printing):
            meetings.tabs.setCurrentWidget(tab)
            _settle(app)
            name = {meetings.attendance: "attendance", meetings.minutes: "minutes",
                    meetings.printing: "print"}[tab]
            window.grab().save(str(OUT / f"meeting-{name}-200.png"))
        QtPrintSupport.QPrintPreviewDialog.exec = grab_dialog("print-preview")  # type: ignore[method-assign]
        meetings.printing.act("minutes", "print")
        window.nav.setCurrentRow(1)
        record = uc_members.member(store, window.roster.model.row_at(2).id)
        grab_dialog("member-dialog")(MemberDialog(store, window.runner, record.member, window,
                                                  today=store.today))
        event = EventDialog(store, window.runner, record, window, today=store.today)
        QtWidgets.QMessageBox.exec = grab_dialog("confirm")  # type: ignore[method-assign]
        event.save()                    # the confirmation, with the act on its button
        grab_dialog("event-dialog")(event)
        sheet = uc_roster.export_roster(store, tmp / "so-danh-sach.xlsx")
        grab_dialog("import-dialog")(ImportDialog(store, window.runner,
                                                  uc_roster.preview_import(store, sheet), window))
        files = QtWidgets.QFileDialog(window, i18n.t("ui.import_roster").replace("&", ""),
                                      str(tmp), i18n.t("ui.sheet_filter"))
        files.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog)
        grab_dialog("file-dialog")(files)
        window.close()
    apply_contrast(app, False)
    apply_ui_scale(app, 1.0, base)


def sync_screenshot(app: QtWidgets.QApplication, store: Workspace, db: object,
                    tmp: Path) -> None:
    """The Sync screen after a real sync with a conflict and a province edit (real server)."""
    from sqlalchemy import select

    from sotay_desktop.db.tables import MemberRow
    from sotay_desktop.services.members import update_member
    from sotay_desktop.services.sync import client as sync_client
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
