"""Backups from the window: into a folder chosen (File menu), and once a week by itself."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets

from sotay_core import i18n
from sotay_desktop.usecases import backups

if TYPE_CHECKING:
    from sotay_desktop.ui.main_window import MainWindow


def choose_backup(window: MainWindow) -> None:
    settings = window.settings
    start = str(settings.get("backup_dir")) if settings else ""
    folder = QtWidgets.QFileDialog.getExistingDirectory(
        window, i18n.t("ui.backup").replace("&", ""), start)
    if folder:
        if settings is not None:
            settings.set("backup_dir", folder)
            try:
                settings.save()
            except OSError:
                pass  # the backup still runs; the folder is asked again next time
        backup_to(window, Path(folder))


def backup_to(window: MainWindow, folder: Path) -> None:
    workspace = window.workspace
    window.statusBar().showMessage(i18n.t("ui.backup_running"))
    window.runner.query(lambda: backups.backup(workspace, folder),
                        lambda made: window.statusBar().showMessage(
                            i18n.t("backup_done", path=str(made))), window.failed_read)


def weekly_backup(window: MainWindow) -> None:
    """Once a week, into the folder chosen last time (a USB stick may be absent: then
    nothing happens and the status bar says so)."""
    folder = str(window.settings.get("backup_dir")) if window.settings else ""
    if not folder:
        return
    workspace = window.workspace

    def run() -> Path | None:
        if not backups.backup_due(workspace):
            return None
        if not Path(folder).is_dir():
            raise FileNotFoundError(folder)
        return backups.backup(workspace, Path(folder))

    def done(made: Path | None) -> None:
        if made is not None:
            window.statusBar().showMessage(i18n.t("backup_done", path=str(made)))

    def failed(exc: Exception) -> None:
        window.statusBar().showMessage(i18n.t("ui.backup_skipped", path=folder))

    window.runner.query(run, done, failed)   # the copy is a read; its date goes to the writer
