"""Qt's own texts in Vietnamese: standard buttons, the context menus of text fields, the file
dialog and the print preview. Qt ships no Vietnamese, so sotay_desktop/ui/qt_vi.py does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets

from sotay_desktop.ui import qt_vi

pytestmark = pytest.mark.gui

# Texts Qt asks for that need no translation: key names, a percentage, layout direction.
UNTRANSLATED = {"%1%", "Alt+Left", "Alt+Right", "Alt+Up", "QT_LAYOUT_DIRECTION", "Ctrl"}


class Recorder(QtCore.QTranslator):
    """Notes every text Qt asks for and answers nothing (the next translator answers)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:  # type: ignore[override]
        self.asked.add((context, source_text))
        return None

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def vietnamese(qtbot) -> Iterator[Recorder]:  # type: ignore[no-untyped-def]
    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication)
    qt_vi.install(app, "vi")
    recorder = Recorder()
    app.installTranslator(recorder)      # asked first: it sees every request
    yield recorder
    app.removeTranslator(recorder)
    qt_vi.install(app, "en")


def _texts(actions: list[QtGui.QAction]) -> set[str]:
    return {a.text().replace("&", "").split("\t")[0] for a in actions if not a.isSeparator()}


def _english_left(recorder: Recorder, contexts: set[str]) -> list[tuple[str, str]]:
    return sorted((c, s) for c, s in recorder.asked
                  if c in contexts and s not in UNTRANSLATED
                  and s not in qt_vi.TABLE.get(c, {}))


def test_context_menus_of_text_fields_are_vietnamese(qtbot, vietnamese) -> None:  # type: ignore[no-untyped-def]
    line = QtWidgets.QLineEdit("Nguyễn Văn An")
    qtbot.addWidget(line)
    menu = line.createStandardContextMenu()
    assert {"Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xoá", "Chọn tất cả"} \
        <= _texts(menu.actions())
    text = QtWidgets.QPlainTextEdit("Biên bản")
    qtbot.addWidget(text)
    assert {"Hoàn tác", "Sao chép", "Dán", "Chọn tất cả"} <= _texts(
        text.createStandardContextMenu().actions())
    assert not _english_left(vietnamese, {"QLineEdit", "QWidgetTextControl"})


def test_standard_buttons_are_vietnamese(qtbot, vietnamese) -> None:  # type: ignore[no-untyped-def]
    button = QtWidgets.QMessageBox.StandardButton
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, "Sổ tay", "Lưu?",
                                button.Yes | button.No | button.Ok | button.Cancel
                                | button.Save | button.Close | button.Discard)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Có", "Không", "Đồng ý", "Huỷ", "Lưu", "Đóng", "Bỏ thay đổi"}
    bar = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                     | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(bar)
    assert {b.text() for b in bar.buttons()} == {"Đồng ý", "Huỷ"}
    assert not _english_left(vietnamese, {"QPlatformTheme", "QDialogButtonBox"})


def test_print_preview_title_and_toolbar_are_vietnamese(qtbot, vietnamese) -> None:  # type: ignore[no-untyped-def]
    printer = QtPrintSupport.QPrinter()
    dialog = QtPrintSupport.QPrintPreviewDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    actions = dialog.findChildren(QtGui.QAction)
    shown = _texts(actions) | {a.toolTip() for a in actions}
    assert dialog.windowTitle() == "Xem trước khi in"
    assert {"Trang sau", "Trang trước", "Trang đầu", "Trang cuối", "Phóng to", "Thu nhỏ",
            "Vừa chiều ngang", "Khổ dọc", "Khổ ngang", "In", "Thiết lập trang"} <= shown
    assert not _english_left(vietnamese, {"QPrintPreviewDialog"})


def test_the_file_dialog_is_vietnamese(qtbot, vietnamese, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "danh-sach.xlsx").write_bytes(b"")
    dialog = QtWidgets.QFileDialog(None, "Nhập danh sách", str(tmp_path), "Bảng tính (*.xlsx)")
    dialog.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.text().replace("&", "") for label in dialog.findChildren(QtWidgets.QLabel)}
    assert {"Tìm trong:", "Tên tệp:", "Loại tệp:"} <= labels
    buttons = {b.text().replace("&", "") for b in dialog.findChildren(QtWidgets.QPushButton)}
    assert {"Lưu", "Huỷ"} <= buttons
    assert not _english_left(vietnamese, {"QFileDialog", "QFileSystemModel"})


def test_english_interface_keeps_qt_english(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication)
    qt_vi.install(app, "vi")
    qt_vi.install(app, "en")           # switching back removes the table
    box = QtWidgets.QMessageBox()
    box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Yes)
    qtbot.addWidget(box)
    assert box.buttons()[0].text() == "&Yes"
    assert app.testAttribute(QtCore.Qt.ApplicationAttribute.AA_DontUseNativeDialogs)


def test_the_window_program_has_its_help_in_both_languages(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop import i18n
    from sotay_desktop.app import parse_args

    monkeypatch.delenv("SOTAY_LANG", raising=False)
    try:
        with pytest.raises(SystemExit):
            parse_args(["--help"], "vi")
        vi = capsys.readouterr().out
        with pytest.raises(SystemExit):
            parse_args(["--help"], "en")       # the saved setting
        en = capsys.readouterr().out
        assert parse_args(["--lang", "en", "--scale", "2"]).scale == 2.0
        assert i18n.language() == "en"
    finally:
        i18n.set_language("vi")
    assert vi.startswith("cách dùng: sotay-desktop") and "cỡ chữ" in vi and "tuỳ chọn:" in vi
    assert en.startswith("usage: sotay-desktop") and "type size" in en and "options:" in en
