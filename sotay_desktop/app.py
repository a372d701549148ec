"""Composition root: settings, the data folder, the store, the task runner, the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtGui, QtWidgets

from sotay_desktop import i18n
from sotay_desktop.domain.errors import DomainError
from sotay_desktop.paths import default_data_dir
from sotay_desktop.settings import Settings
from sotay_desktop.ui.display import apply_contrast, apply_ui_scale

if TYPE_CHECKING:  # imported lazily at run time: start-up draws the window first
    from sotay_desktop.services.store import BranchStore
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.ui.tasks import TaskRunner


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sotay-desktop")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--demo", action="store_true",
                        help="tạo chi bộ mẫu nếu thư mục dữ liệu còn trống")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    parser.add_argument("--scale", type=float, default=None, help="cỡ chữ, ví dụ 1.5")
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

    def __init__(self, app: QtWidgets.QApplication, settings: Settings, store: BranchStore,
                 runner: TaskRunner, base_point_size: float) -> None:
        self.app = app
        self.settings = settings
        self.store = store
        self.runner = runner
        self.base = base_point_size
        self.window = self._make_window()

    def _make_window(self) -> MainWindow:
        from sotay_desktop.ui.main_window import MainWindow

        scale = float(self.settings.get("ui_scale"))
        contrast = bool(self.settings.get("high_contrast"))
        apply_ui_scale(self.app, scale, self.base)
        apply_contrast(self.app, contrast)
        window = MainWindow(self.store, self.runner, scale=scale, high_contrast=contrast,
                            settings=self.settings)
        window.display_change_requested.connect(self.change_display)
        return window

    def change_display(self, scale: float, high_contrast: bool) -> None:
        self.settings.set("ui_scale", scale)
        self.settings.set("high_contrast", high_contrast)
        try:
            self.settings.save()
        except OSError:
            pass  # the change still applies for this session
        old = self.window
        self.window = self._make_window()
        self.window.setGeometry(old.geometry())
        self.window.nav.setCurrentRow(old.nav.currentRow())
        self.window.show()
        self.window.refresh()
        old.close()
        old.deleteLater()


def _report_and_quit(app: QtWidgets.QApplication, window: MainWindow) -> None:
    """Paint the loaded window now, then print when that happened and the memory in use."""
    import time

    window.repaint()
    rss_kib = 0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss_kib = int(line.split()[1])
    except OSError:
        pass
    print(f"SOTAY_PAINTED {time.time():.6f} RSS_KIB {rss_kib}", flush=True)
    app.quit()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    i18n.set_language(args.lang or settings.get("language"))
    if args.scale:
        settings.set("ui_scale", args.scale)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName("Sổ tay")
    load_fonts()
    base_size = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.services.store import BranchStore
    from sotay_desktop.ui.first_run import FirstRunDialog
    from sotay_desktop.ui.tasks import TaskRunner

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    try:
        db = open_database(data_dir)
        store = BranchStore(db)
        store.clear_open_copies()  # copies handed to the viewer last time
        if store.branch() is None:
            if args.demo:
                store.create_demo()
            else:
                dialog = FirstRunDialog()
                if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                    return 0
                choice = dialog.choice()
                if choice.demo:
                    store.create_demo()
                else:
                    store.create_branch(branch_name=choice.branch_name,
                                        commune_name=choice.commune_name,
                                        province_name=choice.province_name)
    except DomainError as exc:
        QtWidgets.QMessageBox.critical(None, i18n.t("ui.error_title"), exc.message())
        return 1

    runner = TaskRunner(app)
    controller = Controller(app, settings, store, runner, base_size)
    window = controller.window
    window.show()
    window.refresh()
    if os.environ.get("SOTAY_EXIT_AFTER_LOAD"):  # start-up benchmark and smoke tests
        window.data_loaded.connect(lambda _s: _report_and_quit(app, window))
        window.load_failed.connect(lambda _t: app.exit(1))
    code = app.exec()
    runner.wait()
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
