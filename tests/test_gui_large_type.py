"""At 200 % type on a 1366×768 screen every control of every screen and dialog is reachable.

The offscreen platform's screen is 800×600 whatever the test asks, so the screen is the edge
mocked here: ``display.available_geometry`` answers 1366×728 (1366×768 less Windows' 40-pixel
taskbar), and windows are fitted to that, as they are fitted to the real screen in use.

A control is reachable when it lies inside its window, and the window inside the screen;
a control inside a scroll area needs only to lie inside the scrolled content. A control
squeezed below its own minimum (a button whose text is cut) counts as unreachable too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets

from sotay_core.domain.entities import MemberStatus
from sotay_desktop.settings import Settings
from sotay_desktop.ui import display
from sotay_desktop.usecases import members, roster
from tests.conftest import TODAY

pytestmark = pytest.mark.gui

AREA = QtCore.QRect(0, 0, 1366, 728)
CONTROLS = (QtWidgets.QAbstractButton, QtWidgets.QLineEdit, QtWidgets.QComboBox,
            QtWidgets.QAbstractSpinBox, QtWidgets.QAbstractScrollArea, QtWidgets.QTabBar)


def _name(widget: QtWidgets.QWidget) -> str:
    text = ""
    if isinstance(widget, (QtWidgets.QAbstractButton, QtWidgets.QLabel)):
        text = widget.text()
    return f"{type(widget).__name__}({(widget.accessibleName() or text)[:40]!r})"


def _size(widget: QtWidgets.QWidget) -> QtCore.QSize:
    return QtWidgets.QWidget.size(widget)   # some of ours have a ``size`` attribute


def _rect(widget: QtWidgets.QWidget, top: QtWidgets.QWidget) -> QtCore.QRect:
    return QtCore.QRect(widget.mapTo(top, QtCore.QPoint(0, 0)), _size(widget))


def _is_viewport(widget: QtWidgets.QWidget) -> bool:
    parent = widget.parentWidget()
    return isinstance(parent, QtWidgets.QAbstractScrollArea) and parent.viewport() is widget


def _inside_item_view(widget: QtWidgets.QWidget, top: QtWidgets.QWidget) -> bool:
    """Headers, corner buttons and scroll bars of a table belong to the table."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QtWidgets.QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def offenders(top: QtWidgets.QWidget, area: QtCore.QRect) -> list[str]:
    """What of ``top`` cannot be reached on a screen whose usable part is ``area``."""
    problems = []
    if not area.contains(top.frameGeometry()):
        problems.append(f"window {_name(top)} {top.frameGeometry()} is not inside {area}")
    for child in top.findChildren(QtWidgets.QWidget):
        if child.isWindow() or not child.isVisibleTo(top) or _inside_item_view(child, top):
            continue
        rect = _rect(child, top)
        if isinstance(child, CONTROLS) and (rect.width() < 4 or rect.height() < 4):
            problems.append(f"{_name(child)} is squeezed to {rect.size()}")
            continue
        if isinstance(child, QtWidgets.QAbstractButton) and not isinstance(
                child.parentWidget(), QtWidgets.QTabBar):
            hint = child.minimumSizeHint()
            if rect.width() + 1 < hint.width() or rect.height() + 1 < hint.height():
                problems.append(f"{_name(child)} is {rect.size()}, smaller than {hint}")
        ancestor = child.parentWidget()
        while ancestor is not None and ancestor is not top and not _is_viewport(ancestor):
            if not _rect(ancestor, top).contains(rect):
                problems.append(f"{_name(child)} {rect} sticks out of {_name(ancestor)} "
                                f"{_rect(ancestor, top)}")
                break
            ancestor = ancestor.parentWidget()
        else:
            if ancestor is top and not top.rect().contains(rect):
                problems.append(f"{_name(child)} {rect} is outside the window {top.rect()}")
    return problems


def settle(app: QtWidgets.QApplication) -> None:
    for _ in range(3):
        app.processEvents()


@pytest.fixture
def large(qtbot, monkeypatch, request) -> Iterator[QtWidgets.QApplication]:  # type: ignore[no-untyped-def]
    """200 % type (and high contrast when the test is parametrised so) on a 1366×768 screen."""
    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication)
    base = app.font().pointSizeF()
    monkeypatch.setattr(display, "available_geometry", lambda _widget: QtCore.QRect(AREA))
    display.apply_ui_scale(app, 2.0, base)
    display.apply_contrast(app, getattr(request, "param", False))
    yield app
    display.apply_contrast(app, False)
    display.apply_ui_scale(app, 1.0, base)


@pytest.fixture
def window(make_window, large, demo_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    win = make_window(demo_db, show=True, scale=2.0,
                      settings=Settings(tmp_path / "settings.json"))
    display.fit_to_screen(win)      # as app.py does
    win.refresh()
    settle(large)
    return win


def _check(top: QtWidgets.QWidget, app: QtWidgets.QApplication, what: str) -> list[str]:
    settle(app)
    return [f"{what}: {problem}" for problem in offenders(top, AREA)]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "high-contrast"],
                         indirect=True)
def test_every_screen_and_meeting_tab_fits_at_200_percent(window, large) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    assert window.font().pointSizeF() >= 2 * 9
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        problems += _check(window, large, f"screen {row}")
    window.nav.setCurrentRow(1)
    model = window.roster.model
    member = next(model.row_at(r) for r in range(model.rowCount())
                  if model.row_at(r).status is MemberStatus.OFFICIAL)
    window.roster.select_member(member.id)     # the panel filled with a member
    problems += _check(window, large, "roster with a member")
    window.nav.setCurrentRow(3)
    meetings = window.meetings
    assert meetings.sheet is not None
    for index in range(meetings.tabs.count()):
        meetings.tabs.setCurrentIndex(index)
        problems += _check(window, large, f"meeting tab {meetings.tabs.tabText(index)}")
    assert not problems, "\n".join(problems)


def _member_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.member.dialog import MemberDialog

    record = members.member(window.workspace, window.roster.model.row_at(0).id)
    return MemberDialog(window.workspace, window.runner, record.member, window, today=lambda: TODAY)


def _new_member_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.member.dialog import MemberDialog

    return MemberDialog(window.workspace, window.runner, None, window, today=lambda: TODAY)


def _event_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.member.event_dialog import EventDialog

    record = members.member(window.workspace, window.roster.model.row_at(0).id)
    return EventDialog(window.workspace, window.runner, record, window, today=lambda: TODAY)


def _import_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.roster.import_dialog import ImportDialog

    path = roster.export_roster(window.workspace, tmp_path / "so-danh-sach.xlsx")
    preview = roster.preview_import(window.workspace, path)
    return ImportDialog(window.workspace, window.runner, preview, window)


def _audit_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.audit_dialog import AuditDialog

    return AuditDialog(window.workspace, window.runner, window)


def _new_meeting_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.meetings.screen import NewMeetingDialog

    return NewMeetingDialog(window.workspace, window.runner, place="Nhà văn hoá thôn Thượng",
                            parent=window)


def _add_document_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.documents.add_dialog import AddDocumentDialog

    return AddDocumentDialog(tmp_path / "Chi_thi_so_05_ve_hoc_tap_va_lam_theo.pdf", window)


def _first_run_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.ui.first_run import FirstRunDialog

    dialog = FirstRunDialog()
    dialog.new.setChecked(True)
    dialog.protect.setChecked(True)
    return dialog


def _recovery_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.security import key_wrap
    from sotay_desktop.ui.first_run import RecoveryCodeDialog

    return RecoveryCodeDialog("Chi bộ thôn Thượng Đông Hòa", key_wrap.new_recovery_code(), b"%PDF")


def _login_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    from sotay_desktop.security import profile
    from sotay_desktop.security.key_wrap import KdfParams
    from sotay_desktop.ui.login import LoginDialog

    folder = tmp_path / "p"
    profile.create_profile(folder, branch_name="Chi bộ thôn Thượng Đông Hòa", user="bi-thu",
                           password="Mật khẩu chi bộ 2026",
                           params=KdfParams(memory_kib=8 * 1024, time_cost=1))
    dialog = LoginDialog(folder)
    dialog.message.setText("Sai mật khẩu. " * 8)
    return dialog


def _file_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    dialog = QtWidgets.QFileDialog(window, "Nhập danh sách đảng viên", str(tmp_path),
                                   "Bảng tính (*.xlsx *.xls *.csv)")
    dialog.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog)
    return dialog


def _progress_dialog(window, tmp_path: Path) -> QtWidgets.QDialog:  # type: ignore[no-untyped-def]
    dialog = QtWidgets.QProgressDialog("Đang thêm văn bản…\nChi_thi_so_05.pdf", "Huỷ", 0, 9,
                                       window)
    dialog.setValue(3)
    return dialog


DIALOGS = {
    "member": _member_dialog, "new member": _new_member_dialog, "event": _event_dialog,
    "import": _import_dialog, "audit": _audit_dialog, "new meeting": _new_meeting_dialog,
    "add document": _add_document_dialog, "first run": _first_run_dialog,
    "recovery code": _recovery_dialog, "login": _login_dialog, "file": _file_dialog,
    "progress": _progress_dialog,
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_every_dialog_fits_at_200_percent(qtbot, window, large, tmp_path: Path,
                                          name: str) -> None:  # type: ignore[no-untyped-def]
    dialog = DIALOGS[name](window, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    problems = _check(dialog, large, name)
    if isinstance(dialog, QtWidgets.QTabWidget | QtWidgets.QDialog):
        for tabs in dialog.findChildren(QtWidgets.QTabWidget):
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                problems += _check(dialog, large, f"{name}, tab {index}")
    assert not problems, "\n".join(problems)


def test_confirmations_messages_and_print_preview_fit_at_200_percent(
        qtbot, window, large, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sotay_core import i18n
    from sotay_desktop.ui.widgets import confirm

    problems: list[str] = []

    def check_box(box: QtWidgets.QMessageBox) -> int:
        box.show()
        problems.extend(_check(box, large, "message box"))
        box.hide()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", check_box)
    confirm(window, i18n.t("ui.login_title"),
            i18n.t("ui.login_lost_question", pending=12, last="02/11/2026 19:45"),
            i18n.t("ui.verb_set_aside"))
    confirm(window, "Ghi quá trình", i18n.t("ui.event_confirm", event="Chuyển sinh hoạt tạm "
            "thời đi", date="01/10/2026", name="Nguyễn Thị Phương Thảo"),
            i18n.t("ui.verb_record_event"))

    def check_preview(dialog: QtPrintSupport.QPrintPreviewDialog) -> int:
        dialog.show()
        problems.extend(_check(dialog, large, "print preview"))
        dialog.hide()
        return 0

    monkeypatch.setattr(QtPrintSupport.QPrintPreviewDialog, "exec", check_preview)
    window.nav.setCurrentRow(0)
    window.home.print_reminders()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scale", [1.5, 2.0])
def test_screens_fit_at_150_and_200_percent_in_a_window_of_the_screen_s_size(
        make_window, large, demo_db, tmp_path: Path, scale: float) -> None:  # type: ignore[no-untyped-def]
    """The window as a secretary has it: maximised on 1366×768, at each large size."""
    base = large.font().pointSizeF() / 2.0
    display.apply_ui_scale(large, scale, base)
    win = make_window(demo_db, scale=scale, settings=Settings(tmp_path / "settings.json"))
    win.resize(AREA.size())
    win.show()
    display.fit_to_screen(win)
    win.refresh()
    problems: list[str] = []
    for row in range(win.nav.count()):
        win.nav.setCurrentRow(row)
        problems += _check(win, large, f"{scale:.0%} screen {row}")
    assert win.minimumSizeHint().width() <= AREA.width()
    assert win.minimumSizeHint().height() <= AREA.height()
    display.apply_ui_scale(large, 2.0, base)
    assert not problems, "\n".join(problems)


def test_check_boxes_and_radio_buttons_grow_with_the_type(qtbot, large) -> None:  # type: ignore[no-untyped-def]
    base = large.font().pointSizeF() / 2.0
    sizes = {}
    for scale in (1.0, 2.0):
        display.apply_ui_scale(large, scale, base)
        box = QtWidgets.QCheckBox("Đã đóng đảng phí")
        radio = QtWidgets.QRadioButton("Tạo chi bộ mẫu")
        qtbot.addWidget(box)
        qtbot.addWidget(radio)
        style = large.style()
        option = QtWidgets.QStyleOptionButton()
        option.initFrom(box)
        indicator = style.subElementRect(QtWidgets.QStyle.SubElement.SE_CheckBoxIndicator,
                                         option, box)
        radio_option = QtWidgets.QStyleOptionButton()
        radio_option.initFrom(radio)
        round_one = style.subElementRect(QtWidgets.QStyle.SubElement.SE_RadioButtonIndicator,
                                         radio_option, radio)
        sizes[scale] = (indicator.width(), indicator.height(), round_one.width())
    small, big = sizes[1.0], sizes[2.0]
    assert all(b >= 2 * s - 1 for s, b in zip(small, big, strict=True)), sizes
    display.apply_ui_scale(large, 2.0, base)


def _brightness(image: QtGui.QImage, x: int, y: int) -> int:
    return QtGui.QColor(image.pixel(x, y)).lightness()


@pytest.mark.parametrize("large", [True], ids=["high-contrast"], indirect=True)
def test_high_contrast_inputs_have_a_visible_border_and_no_text_is_pale_grey(
        qtbot, large) -> None:  # type: ignore[no-untyped-def]
    page = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(page)
    inputs = [QtWidgets.QLineEdit("Nguyễn Văn An"), QtWidgets.QComboBox(),
              QtWidgets.QPlainTextEdit("Ý kiến"), QtWidgets.QSpinBox(),
              QtWidgets.QPushButton("Lưu biên bản"), QtWidgets.QListView()]
    disabled = QtWidgets.QLineEdit("khoá")
    disabled.setEnabled(False)
    for widget in (*inputs, disabled):
        layout.addWidget(widget)
    qtbot.addWidget(page)
    page.show()
    settle(large)
    for widget in (*inputs, disabled):
        image = widget.grab().toImage()
        middle = image.height() // 2
        # the left edge is drawn bright on the black window: the border is there
        assert max(_brightness(image, x, middle) for x in range(3)) >= 128, \
            type(widget).__name__
    palette = large.palette()
    role, group = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup
    for g in (group.Active, group.Inactive, group.Disabled):
        for r in (role.WindowText, role.Text, role.ButtonText, role.PlaceholderText):
            color = palette.color(g, r)
            pale_grey = color.saturation() < 30 and 96 <= color.lightness() < 250
            assert not pale_grey, (g, r, color.name())
