"""The main window's menus: File (backup, audit log, quit) and View (type size, contrast)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtGui

from sotay_core import i18n

if TYPE_CHECKING:
    from sotay_desktop.ui.main_window import MainWindow

SIZES = ((1.0, "ui.size_normal", "Ctrl+0"), (1.5, "ui.size_large", "Ctrl+="),
         (2.0, "ui.size_huge", "Ctrl+Shift+="))


def build_menus(window: MainWindow, scale: float, high_contrast: bool) -> None:
    """Sets ``window.size_actions`` and ``window.contrast_action``; a change of size or
    contrast is asked through ``display_change_requested`` (the app rebuilds the window)."""
    file_menu = window.menuBar().addMenu(i18n.t("ui.menu_file"))
    backup_action = file_menu.addAction(i18n.t("ui.backup"))
    backup_action.triggered.connect(window.choose_backup)
    audit_action = file_menu.addAction(i18n.t("ui.audit_menu"))
    audit_action.triggered.connect(window.show_audit)
    file_menu.addSeparator()
    quit_action = file_menu.addAction(i18n.t("ui.quit"))
    quit_action.setShortcut(QtGui.QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    view = window.menuBar().addMenu(i18n.t("ui.menu_view"))
    sizes = QtGui.QActionGroup(window)
    window.size_actions = {}
    for value, key, shortcut in SIZES:
        action = view.addAction(i18n.t(key))
        action.setCheckable(True)
        action.setChecked(abs(value - scale) < 0.01)
        action.setShortcut(QtGui.QKeySequence(shortcut))
        action.triggered.connect(lambda _c=False, v=value: window.display_change_requested.emit(
            v, window.contrast_action.isChecked()))
        sizes.addAction(action)
        window.size_actions[value] = action
    view.addSeparator()
    window.contrast_action = view.addAction(i18n.t("ui.high_contrast"))
    window.contrast_action.setCheckable(True)
    window.contrast_action.setChecked(high_contrast)
    window.contrast_action.toggled.connect(lambda on: window.display_change_requested.emit(
        window.current_scale(), on))
