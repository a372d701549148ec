"""The window's smoke test, run by installers/smoke_test.sh inside the BUILT bundle:

    SoTay --smoke installers/smoke_gui.py DATA_DIR PACKET_PDF OUT_DIR PROTECTED PASSWORD_FILE

(it also runs from a source checkout: ``python installers/smoke_gui.py …``). On the demo
branch in DATA_DIR, already enrolled with a sync server: every screen of the navigation is
shown; on each, every tab is opened, the first row of every list chosen and every visible
button clicked, and so is every button of each dialog that opens (one level down). Modal
dialogs are shown, painted and closed instead of waiting for a person; the system's file,
input and message boxes answer "cancel". The dialogs no button opens here are opened
directly, a password-protected folder (PROTECTED, its password in PASSWORD_FILE) is
unlocked through the login dialog, the packet PDF is printed to a PDF file through Qt, and
the window syncs with the server. Any unhandled exception, logged
unexpected error or failed check makes the exit code 1: a Qt plugin or a Python module the
bundle lacks shows up here.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets

problems: list[str] = []
opened: list[str] = []
messages: list[str] = []
clicks = [0]
MAX_CLICKS_PER_SCREEN = 250
DIALOG_DEPTH = [0]


class _Catch(logging.Handler):
    """Every ERROR the app logs (a background task's unexpected error) is a failure."""

    def emit(self, record: logging.LogRecord) -> None:
        problems.append(f"logged: {self.format(record)}")


def _hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
    text = "".join(traceback.format_exception(kind, value, tb))
    problems.append("unhandled: " + text)
    print(text, file=sys.stderr)


QT_FAULTS = ("cannot load", "could not load", "could not find", "failed to load",
             "no such file", "not loaded")
QT_NOISE = ("propagateSizeHints",)


def _qt_message(kind: QtCore.QtMsgType, _context: Any, text: str) -> None:
    """Qt's warnings: a plugin or library it could not load is a failure."""
    if any(fault in text.lower() for fault in QT_FAULTS):
        problems.append(f"Qt: {text}")
    elif not any(noise in text for noise in QT_NOISE):
        print(f"Qt: {text}", file=sys.stderr)


def pump(rounds: int = 3) -> None:
    app = QtWidgets.QApplication.instance()
    assert app is not None
    for _ in range(rounds):
        app.processEvents()


def _fake_exec(self: QtWidgets.QDialog, *_args: Any) -> int:
    """A modal dialog: shown, painted (fonts, icons, styles, previews), crawled when it is
    the first level, then closed as if cancelled."""
    opened.append(type(self).__name__)
    self.show()
    pump()
    self.grab()
    if DIALOG_DEPTH[0] == 0 and not isinstance(self, QtWidgets.QMessageBox):
        DIALOG_DEPTH[0] += 1
        try:
            crawl(self, lambda: None)
        finally:
            DIALOG_DEPTH[0] -= 1
    if shiboken6.isValid(self):
        self.reject()
    return 0


def _message(kind: str) -> Callable[..., Any]:
    def box(_parent: Any, title: str, text: str, *_args: Any, **_kw: Any) -> Any:
        opened.append(f"QMessageBox.{kind}")
        messages.append(f"{title}: {text}")
        return QtWidgets.QMessageBox.StandardButton.Cancel
    return box


def patch_modal() -> None:
    """No modal loop may wait for a person."""
    for module in (QtWidgets, QtPrintSupport):
        for name in dir(module):
            cls = getattr(module, name)
            if isinstance(cls, type) and issubclass(cls, QtWidgets.QDialog):
                cls.exec = _fake_exec  # type: ignore[method-assign]
    box = QtWidgets.QMessageBox
    for kind in ("warning", "critical", "information", "question", "about"):
        setattr(box, kind, staticmethod(_message(kind)))
    files = QtWidgets.QFileDialog
    files.getOpenFileName = staticmethod(lambda *a, **k: ("", ""))  # type: ignore[method-assign]
    files.getSaveFileName = staticmethod(lambda *a, **k: ("", ""))  # type: ignore[method-assign]
    files.getOpenFileNames = staticmethod(lambda *a, **k: ([], ""))  # type: ignore[method-assign]
    files.getExistingDirectory = staticmethod(lambda *a, **k: "")  # type: ignore[method-assign]
    ask = QtWidgets.QInputDialog
    for name, answer in (("getText", ("", False)), ("getItem", ("", False)),
                         ("getInt", (0, False)), ("getDouble", (0.0, False)),
                         ("getMultiLineText", ("", False))):
        setattr(ask, name, staticmethod(lambda *a, _r=answer, **k: _r))
    QtWidgets.QMenu.exec = lambda *a, **k: None  # type: ignore[method-assign,assignment]


def watchdog(app: QtWidgets.QApplication) -> QtCore.QTimer:
    """A modal loop started from C++ (a tool button's menu, a print dialog inside a
    preview) is closed after a moment."""
    timer = QtCore.QTimer(app)

    def close() -> None:
        popup = app.activePopupWidget()
        if popup is not None:
            popup.close()
        modal = app.activeModalWidget()
        if isinstance(modal, QtWidgets.QDialog) and not modal.property("smoke_crawling"):
            opened.append(type(modal).__name__ + " (from Qt)")
            modal.reject()
    timer.timeout.connect(close)
    timer.start(500)
    return timer


def _key(widget: QtWidgets.QWidget) -> int:
    return int(shiboken6.getCppPointer(widget)[0])


def choose_first_rows(root: QtWidgets.QWidget) -> None:
    for view in root.findChildren(QtWidgets.QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))
    pump()


def crawl(root: QtWidgets.QWidget, back: Callable[[], None]) -> None:
    """Every tab, then every visible, enabled button not in a dialog's OK/Cancel box."""
    root.setProperty("smoke_crawling", True)
    done: set[int] = set()
    tabs = [(t, i) for t in root.findChildren(QtWidgets.QTabWidget) for i in range(t.count())]
    for tab, index in [(None, -1), *tabs]:
        if tab is not None:
            if not shiboken6.isValid(tab) or not tab.isVisible():
                continue
            tab.setCurrentIndex(index)
            pump()
        choose_first_rows(root)
        for button in root.findChildren(QtWidgets.QAbstractButton):
            if len(done) >= MAX_CLICKS_PER_SCREEN or not shiboken6.isValid(root):
                return
            if (not shiboken6.isValid(button) or _key(button) in done
                    or not button.isVisible() or not button.isEnabled()
                    or isinstance(button.parent(), (QtWidgets.QDialogButtonBox,
                                                    QtWidgets.QTabBar))):
                continue
            done.add(_key(button))
            clicks[0] += 1
            button.click()
            pump()
            back()
    if shiboken6.isValid(root):
        root.setProperty("smoke_crawling", False)


def walk(window: Any) -> list[str]:
    """Each screen of the navigation, crawled; then the menus' dialogs."""
    seen = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        pump()
        screen = window.stack.widget(row)
        seen.append(type(screen).__name__)
        screen.grab()

        def back(row: int = row) -> None:
            if window.nav.currentRow() != row:
                window.nav.setCurrentRow(row)
                pump()
        crawl(screen, back)
    window.show_audit()
    pump()
    return seen


def unlock(window: Any, protected: Path, password: str) -> None:
    """The login of a password-protected folder (Argon2, SQLCipher): unlocked with the
    password, its branch read; then the dialog is shown and crawled like the others."""
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.ui.login import LoginDialog
    from sotay_desktop.usecases import branch
    from sotay_desktop.usecases.workspace import Workspace

    dialog = LoginDialog(protected, window)
    keys: list[bytes] = []
    dialog.unlocked.connect(lambda key, _user: keys.append(key))
    dialog.password.setText(password)
    dialog.try_unlock()
    if not keys:
        problems.append(f"the protected folder did not unlock: {dialog.message.text()}")
    else:
        workspace = Workspace(open_database(protected, create=False, key=keys[0]), key=keys[0])
        if branch.branch(workspace) is None:
            problems.append("the protected folder's branch could not be read")
        workspace.close()
    dialog.exec()


def more_dialogs(window: Any, data_dir: Path, packet: Path, out_dir: Path) -> None:
    """The dialogs no screen button opens here: start-up, the recovery code, a file's
    details after the file dialog, the roster import, the study survey."""
    import datetime as dt

    from sotay_desktop.documents.recovery_sheet import render_recovery_sheet
    from sotay_desktop.ui.documents.add_dialog import AddDocumentDialog
    from sotay_desktop.ui.first_run import FirstRunDialog, RecoveryCodeDialog
    from sotay_desktop.ui.roster.import_dialog import ImportDialog
    from sotay_desktop.ui.study.survey_dialog import SurveyDialog
    from sotay_desktop.usecases import roster, study

    FirstRunDialog(window).exec()
    code = "ABCD-EFGH-JKLM-NPQR"
    RecoveryCodeDialog("Chi bộ", code, render_recovery_sheet("Chi bộ", code, dt.date.today()),
                       window).exec()
    AddDocumentDialog(packet, window).exec()
    sheet = roster.export_roster(window.workspace, out_dir / "roster.xlsx")
    ImportDialog(window.workspace, window.runner, roster.preview_import(window.workspace, sheet),
                 window).exec()
    view = window.lazy.named("StudyScreen").view()
    if view is None:
        problems.append("the study screen shows no plan: the survey dialog was not opened")
    else:   # the demo's plan has no survey: one question
        study.set_survey(window.workspace, view.plan.id,
                         "1. Buổi học có bổ ích không?\nA. Có\nB. Không")
        view = study.view(window.workspace, view.plan.id)
        SurveyDialog(window.workspace, window.runner, view, window).exec()
    pump()


def print_packet(packet: Path, out: Path) -> int:
    """The paper printed to a PDF file through Qt (the path of the print button)."""
    from sotay_desktop.ui import printing

    printer = printing.make_printer()
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPageSize(printing.pdf_page_size(packet.read_bytes()))
    pages = printing.paint_pdf(printer, packet.read_bytes())
    if not out.read_bytes().startswith(b"%PDF-") or pages < 1:
        problems.append(f"printing to {out} gave no PDF")
    table = out.with_name("table.pdf")
    printing.to_pdf(printing.table_html("Sổ tay", "Chi bộ", ["Họ và tên"], [["Nguyễn Văn Ánh"]]),
                    str(table))
    if not table.read_bytes().startswith(b"%PDF-"):
        problems.append("the table was not printed to PDF")
    return pages


def sync(window: Any) -> Any:
    """One sync from the window (the server was started and the PC enrolled by the script)."""
    from sotay_desktop.usecases import branch

    reports: list[Any] = []
    window.sync.finished.connect(reports.append)
    window.sync.sync_now()
    deadline = time.monotonic() + 120
    while not reports and time.monotonic() < deadline and window.sync.state == "syncing":
        pump()
    if not reports:
        problems.append(f"the sync did not finish: {window.sync.state} {window.sync.message}")
        return None
    pending = branch.pending_changes(window.workspace)
    if pending:
        problems.append(f"{pending} changes still unsent after the sync")
    # no Secret Service in the bundle: the token came from the folder's database, quietly
    from sotay_desktop.db.meta import get_meta
    from sotay_desktop.security import credentials

    if credentials._keyring() is not None:
        problems.append("keyring found a usable backend, but the bundle should hold none")
    with window.workspace.db.reads() as session:
        if get_meta(session, credentials.STORE_KEY) != "database":
            problems.append("the sync token is not kept in the folder's database")
    return reports[0]


def main(argv: list[str]) -> int:
    data_dir, packet, out_dir = Path(argv[0]), Path(argv[1]), Path(argv[2])
    protected, password = Path(argv[3]), Path(argv[4]).read_text(encoding="utf-8").strip()
    from sotay_core import i18n
    from sotay_desktop import errorlog
    from sotay_desktop.app import load_fonts
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.resources import icon_path
    from sotay_desktop.settings import Settings
    from sotay_desktop.ui import qt_vi
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace

    QtCore.qInstallMessageHandler(_qt_message)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["SoTay"])
    assert isinstance(app, QtWidgets.QApplication)
    errorlog.setup(data_dir)
    logging.getLogger().addHandler(_Catch(logging.ERROR))
    sys.excepthook = _hook
    icon = QtGui.QIcon(str(icon_path("app")))
    if icon.pixmap(32, 32).isNull():
        problems.append("the app icon did not load (image format plugins)")
    load_fonts()
    qt_vi.install(app, "vi")
    if QtCore.QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel":
        problems.append("Qt's own texts are not in Vietnamese")
    patch_modal()
    timer = watchdog(app)
    unexpected = i18n.t("unexpected_error", log="\x00").split("\x00")[0]
    workspace = Workspace(open_database(data_dir))
    window = MainWindow(workspace, TaskRunner(inline=True), settings=Settings())
    def status(text: str) -> None:
        if unexpected in text:
            problems.append(f"status: {text}")
    window.statusBar().messageChanged.connect(status)
    window.show()
    window.refresh()
    pump()
    seen = walk(window)
    more_dialogs(window, data_dir, packet, out_dir)
    unlock(window, protected, password)
    pages = print_packet(packet, out_dir / "printed.pdf")
    report = sync(window)
    timer.stop()
    problems.extend(f"message: {m}" for m in messages if unexpected in m)
    window.close()
    window.runner.settle()
    workspace.close()
    print(f"screens: {len(seen)} ({', '.join(seen)})")
    print(f"buttons clicked: {clicks[0]}; dialogs opened: {len(opened)}, "
          f"{len(set(opened))} kinds: {', '.join(sorted(set(opened)))}")
    print(f"printed to PDF: {pages} pages; sync: pushed {getattr(report, 'pushed', '?')}, "
          f"pulled {getattr(report, 'pulled', '?')}")
    for needed in ("QPrintPreviewDialog", "MemberDialog", "AuditDialog", "PapersDialog"):
        if needed not in opened:
            problems.append(f"{needed} never opened")
    for problem in problems:
        print("SMOKE FAILURE:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
