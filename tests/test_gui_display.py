"""Large type and high contrast, chosen from the menu, saved, and applied to a rebuilt window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6 import QtGui, QtWidgets

from sotay_desktop.app import Controller
from sotay_desktop.settings import Settings
from sotay_desktop.ui.display import apply_contrast, apply_ui_scale
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases.workspace import Workspace

pytestmark = pytest.mark.gui


@pytest.fixture
def controller(qtbot, demo_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    app = QtWidgets.QApplication.instance()
    base = app.font().pointSizeF()
    settings = Settings(tmp_path / "settings.json")
    store = Workspace(demo_db, today=lambda: dt.date(2026, 11, 22))
    ctl = Controller(app, settings, store, TaskRunner(inline=True), base)
    qtbot.addWidget(ctl.window)
    ctl.window.show()
    ctl.window.refresh()
    yield ctl
    apply_ui_scale(app, 1.0, base)
    apply_contrast(app, False)


def test_large_type_from_the_menu_is_saved_and_rebuilds_the_window(qtbot, controller,
                                                                  tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = controller.window
    base_rows = before.roster.table.verticalHeader().defaultSectionSize()
    base_font = before.roster.table.font().pointSizeF()
    before.nav.setCurrentRow(2)
    before.size_actions[1.5].trigger()
    after = controller.window
    qtbot.addWidget(after)
    assert after is not before
    assert after.roster.table.font().pointSizeF() == pytest.approx(base_font * 1.5)
    assert after.roster.table.verticalHeader().defaultSectionSize() > base_rows
    assert after.home.heading.font().pointSizeF() > before.home.heading.font().pointSizeF()
    assert after.nav.currentRow() == 2
    assert after.size_actions[1.5].isChecked()
    assert Settings(tmp_path / "settings.json").get("ui_scale") == 1.5


def test_high_contrast_uses_the_palette(qtbot, controller, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    controller.window.contrast_action.setChecked(True)
    window = controller.window
    qtbot.addWidget(window)
    palette = QtWidgets.QApplication.instance().palette()
    assert palette.color(QtGui.QPalette.ColorRole.Window) == QtGui.QColor("#000000")
    assert palette.color(QtGui.QPalette.ColorRole.WindowText) == QtGui.QColor("#ffffff")
    assert window.contrast_action.isChecked()
    assert Settings(tmp_path / "settings.json").get("high_contrast") is True


def test_damaged_settings_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    settings = Settings(path)
    assert settings.get("ui_scale") == 1.0
    assert (tmp_path / "settings.json.bad").exists()
    path.write_text('{"_version": 1, "ui_scale": "huge", "high_contrast": 1}', encoding="utf-8")
    settings = Settings(path)
    assert settings.get("ui_scale") == 1.0 and settings.get("high_contrast") is False


def test_settings_with_a_bad_version_fall_back_instead_of_crashing(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"_version": "hai", "ui_scale": 1.5}', encoding="utf-8")
    assert Settings(path).get("ui_scale") == 1.0
    assert (tmp_path / "settings.json.bad").exists()


def test_a_failed_settings_save_is_reported_not_swallowed(qtbot, controller, tmp_path: Path,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse() -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(controller.settings, "save", refuse)
    controller.window.size_actions[1.5].trigger()
    qtbot.addWidget(controller.window)
    assert "Không lưu được cài đặt" in controller.window.statusBar().currentMessage()
    assert controller.window.size_actions[1.5].isChecked()   # still applied this session
