from __future__ import annotations

import datetime as dt

import pytest
from PySide6 import QtCore, QtWidgets

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.text import fold
from sotay_desktop.ui.first_run import FirstRunDialog
from sotay_desktop.ui.main_window import MainWindow
from sotay_desktop.ui.roster.model import ID_ROLE, RosterModel
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases.workspace import Workspace
from tests.qt_helpers import type_vi

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)


# `window` (conftest): the main window on the demo branch, shown and loaded


def _shown_names(win: MainWindow) -> list[str]:
    model = win.roster.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_models_pass_qtmodeltester(qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.roster.model)
    window.roster.search.setText("nguyen")
    qtmodeltester.check(window.roster.model)


def test_loads_the_branch_off_the_ui_thread(qtbot, make_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()  # a real thread pool here
    win = make_window(demo_db, runner)
    with qtbot.waitSignal(win.data_loaded, timeout=10_000) as blocker:
        win.refresh()
    snapshot = blocker.args[0]
    assert snapshot.branch.branch.name == "Chi bộ thôn Đông Hòa"
    assert win.roster.model.total == len(snapshot.roster) == 120
    assert "Chi bộ thôn Đông Hòa" in win.branch_label.text()
    runner.wait()


def test_typing_vietnamese_filters_as_you_type(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.roster.show_all()
    model = window.roster.model
    target = next(m.full_name for m in model.all_rows()
                  if not m.full_name.split()[-1].isascii())
    *family, given = target.split()
    query = " ".join(family) + " " + given[:2]           # e.g. "Nguyễn Thị Ng"
    window.roster.search.setFocus()
    type_vi(window.roster.search, query)
    assert window.roster.search.text() == query
    shown = _shown_names(window)
    assert target in shown
    want, last = fold(" ".join(family)).split(), fold(given[:2])
    for name in shown:
        words = fold(name).split()
        assert set(want) <= set(words) and any(w.startswith(last) for w in words)
    window.roster.search.clear()
    type_vi(window.roster.search, fold(target))  # typed without diacritics: still found
    assert target in _shown_names(window)
    assert "Hiển thị" in window.roster.count_label.text()


def test_status_filter_and_default_shows_the_party_numbers(window) -> None:  # type: ignore[no-untyped-def]
    model = window.roster.model
    everyone = model.all_rows()
    on_roster = sum(1 for m in everyone if m.status.on_roster)
    assert model.rowCount() == on_roster < model.total == len(everyone)
    combo = window.roster.status
    combo.setCurrentIndex(combo.findData(MemberStatus.DECEASED.value))
    ids = {model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())}
    assert ids == {m.id for m in everyone if m.status is MemberStatus.DECEASED}


def test_sorting_by_name_uses_roster_order_and_row_numbers_follow(window) -> None:  # type: ignore[no-untyped-def]
    from sotay_core.domain.text import name_sort_key

    window.roster.show_all()
    names = _shown_names(window)
    assert names == sorted(names, key=name_sort_key)
    window.roster.table.sortByColumn(0, QtCore.Qt.SortOrder.DescendingOrder)
    assert _shown_names(window) == sorted(names, key=name_sort_key, reverse=True)
    header = window.roster.model.headerData(0, QtCore.Qt.Orientation.Vertical)
    assert header == "1"
    window.roster.table.sortByColumn(1, QtCore.Qt.SortOrder.AscendingOrder)
    born = [window.roster.model.row_at(r).date_of_birth
            for r in range(window.roster.model.rowCount())]
    assert born == sorted(born)


def test_card_number_search(window) -> None:  # type: ignore[no-untyped-def]
    window.roster.show_all()
    member = window.roster.model.row_at(3)
    window.roster.search.setText(member.card_number[:6])
    model = window.roster.model
    assert member.id in {model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())}


def test_keyboard_shortcuts_reach_the_screens(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_1, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.home
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.roster
    assert "Đảng số" in window.home.counts.text()


def test_load_errors_are_shown_not_raised(make_window, demo_db, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A background failure is said in the status area, in plain words, without a dialog
    (which would take the focus from someone typing); the detail goes to the log file."""
    from sotay_desktop import errorlog

    dialogs: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind,
                            lambda *args: dialogs.append(str(args[2])))
    log = errorlog.setup(tmp_path)
    assert log is not None
    store = Workspace(demo_db, today=lambda: TODAY)

    def broken(_store: object) -> list[object]:
        raise RuntimeError("SELECT full_name FROM members WHERE id = 'Nguyễn Văn Secret'")

    from sotay_desktop.usecases import members

    monkeypatch.setattr(members, "roster", broken)
    win = make_window(store, refresh=True)
    shown = win.statusBar().currentMessage()
    assert not dialogs
    assert "ngoài dự kiến" in shown and str(log) in shown
    assert "SELECT" not in shown and "Secret" not in shown
    for handler in errorlog.log.handlers:
        handler.flush()
    assert "RuntimeError" in log.read_text(encoding="utf-8")


def test_empty_model_is_valid(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(RosterModel())


def test_first_run_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.choice().demo
    dialog.new.setChecked(True)
    assert not dialog.ok_button.isEnabled()
    dialog.branch.setText("Chi bộ thôn Thượng")
    dialog.commune.setText("Đảng bộ xã Tân Lập")
    assert not dialog.ok_button.isEnabled()
    dialog.province.setText("Đảng bộ tỉnh Hưng Yên")
    assert dialog.ok_button.isEnabled()
    choice = dialog.choice()
    assert not choice.demo and choice.branch_name == "Chi bộ thôn Thượng"


def test_large_type_scales_the_whole_ui(make_window, window) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.display import apply_ui_scale

    app = QtWidgets.QApplication.instance()
    base = app.font().pointSizeF()
    try:
        row_before = window.roster.table.verticalHeader().defaultSectionSize()
        apply_ui_scale(app, 1.5, base)
        bigger = make_window(window.workspace, refresh=True)
        assert bigger.roster.table.font().pointSizeF() == pytest.approx(base * 1.5)
        assert bigger.roster.table.verticalHeader().defaultSectionSize() > row_before
    finally:
        apply_ui_scale(app, 1.0, base)
