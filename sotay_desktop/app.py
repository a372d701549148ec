"""Composition root: settings, the data folder, the workspace, the task runner, the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtGui, QtWidgets

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_core.i18n import argparse_words
from sotay_desktop.paths import default_data_dir
from sotay_desktop.settings import Settings
from sotay_desktop.ui import qt_vi
from sotay_desktop.ui.display import apply_contrast, apply_ui_scale, fit_to_screen
from sotay_desktop.usecases import backups, documents
from sotay_desktop.usecases import branch as uc_branch

if TYPE_CHECKING:  # imported lazily at run time: start-up draws the window first
    from sotay_desktop.db.engine import Database
    from sotay_desktop.ui.first_run import FirstRunChoice
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace


def parse_args(argv: Sequence[str], language: str = "vi") -> argparse.Namespace:
    """The options, with help in ``language`` (--lang, SOTAY_LANG or the saved setting)."""
    chosen = argparse_words.language_in(argv, language)
    i18n.set_language(chosen if chosen in i18n.LANGUAGES else "vi")
    with argparse_words.speaking():
        parser = argparse.ArgumentParser(prog="sotay-desktop",
                                         description=i18n.t("cli.window_description"))
        parser.add_argument("--data-dir", default=None, help=i18n.t("cli.window_data_dir"))
        parser.add_argument("--demo", action="store_true", help=i18n.t("cli.window_demo"))
        parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None,
                            help=i18n.t("cli.lang"))
        parser.add_argument("--scale", type=float, default=None,
                            help=i18n.t("cli.window_scale"))
        return parser.parse_args(argv)


def load_fonts() -> None:
    """Bundled fonts, so Vietnamese never depends on what the PC has installed."""
    from sotay_desktop.resources import font_path

    for key in ("sans", "sans-bold", "serif", "serif-bold"):
        path = font_path(key)
        if path.exists():
            QtGui.QFontDatabase.addApplicationFont(str(path))


class Controller:
    """Owns the window; rebuilds it when the display settings change."""

    def __init__(self, app: QtWidgets.QApplication, settings: Settings, workspace: Workspace,
                 runner: TaskRunner, base_point_size: float) -> None:
        self._setup(app, settings, runner, base_point_size)
        self.workspace = workspace
        self.window = self._make_window()

    def _setup(self, app: QtWidgets.QApplication, settings: Settings, runner: TaskRunner,
               base_point_size: float) -> None:
        self.app = app
        self.settings = settings
        self.runner = runner
        self.base = base_point_size

    def _make_window(self) -> MainWindow:
        from sotay_desktop.ui.main_window import MainWindow

        scale = float(self.settings.get("ui_scale"))
        contrast = bool(self.settings.get("high_contrast"))
        apply_ui_scale(self.app, scale, self.base)
        apply_contrast(self.app, contrast)
        window = MainWindow(self.workspace, self.runner, scale=scale, high_contrast=contrast,
                            settings=self.settings)
        window.display_change_requested.connect(self.change_display)
        return window

    def change_display(self, scale: float, high_contrast: bool) -> None:
        self.settings.set("ui_scale", scale)
        self.settings.set("high_contrast", high_contrast)
        saved_error = ""
        try:
            self.settings.save()
        except OSError as exc:   # the change still applies for this session; say so
            saved_error = i18n.t("settings_not_saved", path=str(self.settings.path),
                                 detail=exc.strerror or str(exc))
        old = self.window
        self.window = self._make_window()
        self.window.setGeometry(old.geometry())
        self.window.nav.setCurrentRow(old.nav.currentRow())
        self.window.show()
        fit_to_screen(self.window)   # never larger than the screen
        self.window.refresh()
        if saved_error:
            self.window.statusBar().showMessage(saved_error)
        old.close()
        old.deleteLater()


class ProfileController(Controller):
    """An encrypted profile: a login first; locking (idle time, Ctrl+L) closes the window and
    the database, forgets the key, clears the clipboard and shows the login again."""

    def __init__(self, app: QtWidgets.QApplication, settings: Settings, data_dir: Path,
                 runner: TaskRunner, base_point_size: float) -> None:
        from sotay_desktop.ui.login import IdleWatch

        self._setup(app, settings, runner, base_point_size)
        self.data_dir = data_dir
        self.workspace: Workspace | None = None  # type: ignore[assignment]
        self.window: MainWindow | None = None  # type: ignore[assignment]
        self.login: QtWidgets.QDialog | None = None
        self.watch = IdleWatch(float(settings.get("lock_minutes")), app)
        self.watch.idle.connect(self.lock)
        app.installEventFilter(self.watch)
        self.show_login()

    def show_login(self) -> None:
        from sotay_desktop.ui.login import LoginDialog

        self.login = LoginDialog(self.data_dir)
        self.login.unlocked.connect(self._unlocked)
        self.login.show()
        fit_to_screen(self.login)   # never larger than the screen

    def _unlocked(self, key: bytes, user: str) -> None:
        from sotay_desktop.db.engine import open_database
        from sotay_desktop.usecases.workspace import Workspace

        if self.login is not None:  # the branch chosen on the login screen
            self.data_dir = Path(getattr(self.login, "data_dir", self.data_dir))
        from sotay_desktop import errorlog

        errorlog.setup(self.data_dir)
        try:
            db = open_database(self.data_dir, create=False, key=key)
        except DomainError as exc:
            QtWidgets.QMessageBox.critical(None, i18n.t("ui.error_title"), exc.message())
            self.show_login()
            return
        db.sessions.configure(info={"actor": user})
        self.workspace = Workspace(db, key=key)
        self.window = self._make_window()
        self.window.lock_requested.connect(self.lock)
        self.window.show()
        fit_to_screen(self.window)   # never larger than the screen
        self.window.refresh()
        self.watch.timer.start()
        self.login = None

    def close(self) -> None:
        """At exit: note the unsent changes beside the profile, close the database."""
        if self.workspace is not None:
            try:
                backups.record_profile_status(self.workspace)
            except (OSError, DomainError):
                pass
            self.workspace.close()
            self.workspace = None

    def lock(self) -> None:
        from sotay_desktop.ui.login import clear_clipboard

        if self.window is None:
            return
        self.watch.timer.stop()
        window, self.window = self.window, None
        window.close()           # stops a sync at its next step
        # every query, the sync, then the writer's queue (no lost write), and their results
        # delivered while the window still exists
        self.runner.settle()
        window.deleteLater()
        if self.workspace is not None:
            try:
                backups.record_profile_status(self.workspace)
            except (OSError, DomainError):
                pass  # only a hint for a lost password; the lock goes on
            self.workspace.close()
            self.workspace = None
        clear_clipboard()
        self.show_login()


def _report_paint(window: MainWindow) -> None:
    """Paint the loaded window now and print when that happened (start-up benchmark)."""
    import time

    window.repaint()
    print(f"SOTAY_PAINTED {time.time():.6f}", flush=True)


def _report_memory_and_quit(app: QtWidgets.QApplication) -> None:
    """After the background loading: print the resident memory, then quit."""
    from PySide6 import QtCore

    rss_kib = 0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss_kib = int(line.split()[1])
    except OSError:
        pass
    print(f"SOTAY_RSS_KIB {rss_kib}", flush=True)
    QtCore.QTimer.singleShot(0, app.quit)   # the event loop may not be running yet


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings()
    args = parse_args(sys.argv[1:] if argv is None else argv, str(settings.get("language")))
    if args.scale:
        settings.set("ui_scale", args.scale)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName("Sổ tay")
    from sotay_desktop.resources import icon_path

    app.setWindowIcon(QtGui.QIcon(str(icon_path("app"))))
    load_fonts()
    qt_vi.install(app, i18n.language())   # Qt's own buttons and dialogs in Vietnamese
    base_size = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0

    from sotay_desktop.services.first_paint import quick_read
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    from sotay_desktop import errorlog
    from sotay_desktop.db.layout import is_encrypted

    errorlog.setup(data_dir)   # unexpected errors: the detail there, a sentence on screen

    if is_encrypted(data_dir):
        runner = TaskRunner(app)
        locked = ProfileController(app, settings, data_dir, runner, base_size)
        code = app.exec()
        runner.wait()
        locked.close()
        return code
    # The usual case (a current database with a branch): paint from a plain SQL read and
    # open SQLAlchemy in a worker afterwards. Anything else takes the full path below.
    first = quick_read(data_dir)
    if first is not None:
        workspace = Workspace(lambda: _open(data_dir), data_dir=data_dir)
    else:
        opened, exit_code = _open_or_create(data_dir, demo=args.demo)
        if opened is None and exit_code == LOGIN_NEXT:
            runner = TaskRunner(app)
            locked = ProfileController(app, settings, data_dir, runner, base_size)
            code = app.exec()
            runner.wait()
            locked.close()
            return code
        if opened is None:
            return exit_code
        workspace = opened
    runner = TaskRunner(app)
    controller = Controller(app, settings, workspace, runner, base_size)
    window = controller.window
    if os.environ.get("SOTAY_EXIT_AFTER_LOAD"):  # start-up benchmark and smoke tests
        window.data_loaded.connect(lambda _s: _report_paint(window))
        window.reminders_loaded.connect(lambda _r: _report_memory_and_quit(app))
        window.load_failed.connect(lambda _t: app.exit(1))
    window.show()
    fit_to_screen(window)   # never larger than the screen
    # copies handed to the system viewer last time: removed off the UI thread
    runner.op(lambda: documents.clear_open_copies(workspace))   # a failure shows in the status area
    if first is not None:
        window.show_snapshot(first)
    else:
        window.refresh()
    code = app.exec()
    runner.wait()
    workspace.close()
    return code


LOGIN_NEXT = -1  # _open_or_create made an encrypted profile: go on with the login


def protect_new_folder(data_dir: Path, choice: FirstRunChoice) -> tuple[str, str]:
    """Encrypt the (empty) new folder, then make the demo or the branch inside it; returns
    the branch name and the recovery code to show once."""
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.security import profile
    from sotay_desktop.usecases.workspace import Workspace

    name = "Chi bộ mẫu" if choice.demo else choice.branch_name.strip()
    new = profile.encrypt_existing(data_dir, branch_name=name, user="bi-thu",
                                   password=choice.password)
    workspace = Workspace(open_database(data_dir, key=new.key), key=new.key)
    try:
        if choice.demo:
            name = uc_branch.create_demo(workspace)[0].branch_name
        else:
            uc_branch.create_branch(workspace, branch_name=name, commune_name=choice.commune_name,
                                    province_name=choice.province_name)
    finally:
        workspace.close()
    return name, new.recovery_code


def show_recovery_code(branch: str, code: str) -> None:
    import datetime as dt

    from sotay_desktop.documents.recovery_sheet import render_recovery_sheet
    from sotay_desktop.ui.first_run import RecoveryCodeDialog

    sheet = render_recovery_sheet(branch, code, dt.date.today())
    RecoveryCodeDialog(branch, code, sheet).exec()


def _open(data_dir: Path) -> Database:
    from sotay_desktop.db.engine import open_database

    return open_database(data_dir)


def _open_or_create(data_dir: Path, *, demo: bool) -> tuple[Workspace | None, int]:
    """Open (migrating if needed), and on an empty folder offer a demo or a new branch.

    Returns the workspace, or None with the exit code (0: the user cancelled, 1: an error).
    """
    from sotay_desktop.ui.first_run import FirstRunDialog
    from sotay_desktop.usecases.workspace import Workspace

    try:
        workspace = Workspace(_open(data_dir))
        if uc_branch.branch(workspace) is None:
            if demo:
                uc_branch.create_demo(workspace)
            else:
                dialog = FirstRunDialog()
                if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                    workspace.close()
                    return None, 0
                choice = dialog.choice()
                if choice.password:
                    workspace.close()
                    branch, code = protect_new_folder(data_dir, choice)
                    show_recovery_code(branch, code)
                    return None, LOGIN_NEXT
                if choice.demo:
                    uc_branch.create_demo(workspace)
                else:
                    uc_branch.create_branch(workspace, branch_name=choice.branch_name,
                                            commune_name=choice.commune_name,
                                            province_name=choice.province_name)
    except DomainError as exc:
        QtWidgets.QMessageBox.critical(None, i18n.t("ui.error_title"), exc.message())
        return None, 1
    return workspace, 0


if __name__ == "__main__":
    sys.exit(main())
