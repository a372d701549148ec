"""Composition root: settings, the data folder, the store, the task runner, the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6 import QtGui, QtWidgets

from sotay_desktop import i18n
from sotay_desktop.domain.errors import DomainError
from sotay_desktop.paths import default_data_dir
from sotay_desktop.settings import Settings


def apply_ui_scale(app: QtWidgets.QApplication, scale: float, base_point_size: float) -> None:
    """Large type: scale the application font (point sizes only, never pixels)."""
    font = app.font()
    font.setPointSizeF(base_point_size * max(0.8, min(scale, 2.5)))
    app.setFont(font)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sotay-desktop")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--demo", action="store_true",
                        help="tạo chi bộ mẫu nếu thư mục dữ liệu còn trống")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    parser.add_argument("--scale", type=float, default=None, help="cỡ chữ, ví dụ 1.5")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    i18n.set_language(args.lang or settings.get("language"))
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName("Sổ tay")
    base_size = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0
    apply_ui_scale(app, args.scale or settings.get("ui_scale"), base_size)

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.services.store import BranchStore
    from sotay_desktop.ui.first_run import FirstRunDialog
    from sotay_desktop.ui.main_window import MainWindow
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
    window = MainWindow(store, runner)
    window.setWindowIcon(QtGui.QIcon())
    window.show()
    window.refresh()
    if os.environ.get("SOTAY_EXIT_AFTER_LOAD"):  # start-up benchmark and smoke tests
        window.data_loaded.connect(lambda _s: app.quit())
        window.load_failed.connect(lambda _t: app.exit(1))
    code = app.exec()
    runner.wait()
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
