"""Qt's own texts in Vietnamese: standard buttons, the context menus of text fields, the file
dialog and the print preview. Qt ships no Vietnamese, so sotay_desktop/ui/qt_vi.py does."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets

from sotay_desktop.ui import qt_vi

pytestmark = pytest.mark.gui

# Texts of Qt's that need no translation: key names, a percentage, the layout direction.
UNTRANSLATED = {"%1%", "Alt+Left", "Alt+Right", "Alt+Up", "QT_LAYOUT_DIRECTION", "Ctrl",
                "Form", "..."}


def qt_sources(contexts: set[str]) -> set[str]:
    """Every English text Qt has in these contexts, read from a catalogue Qt ships (German:
    complete, and it keeps the source texts). Qt's .qm format: a 16-byte magic number, then
    tagged blocks; block 0x69 holds the messages, each a run of tagged fields ending in 1."""
    path = Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)) \
        / "qtbase_de.qm"
    if not path.exists():
        pytest.skip("no Qt catalogue to compare with")
    data, pos, found = path.read_bytes(), 16, set()
    while pos < len(data):
        tag, length = data[pos], struct.unpack(">I", data[pos + 1:pos + 5])[0]
        pos += 5
        if tag == 0x69:
            block, at, fields = data[pos:pos + length], 0, {}
            while at < len(block):
                kind, at = block[at], at + 1
                if kind == 1:
                    if fields.get(7) in contexts and 6 in fields:
                        found.add(fields[6])
                    fields = {}
                elif kind == 5:
                    at += 4
                else:
                    size = struct.unpack(">I", block[at:at + 4])[0]
                    at += 4
                    if size != 0xFFFFFFFF:
                        if kind in (6, 7):
                            fields[kind] = block[at:at + size].decode("utf-8")
                        at += size
        pos += length
    return found - UNTRANSLATED


@pytest.fixture
def vietnamese(qtbot) -> Iterator[None]:  # type: ignore[no-untyped-def]
    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication)
    qt_vi.install(app, "vi")
    yield
    qt_vi.install(app, "en")


def _texts(actions: list[QtGui.QAction]) -> set[str]:
    return {a.text().replace("&", "").split("\t")[0] for a in actions if not a.isSeparator()}


def _shown(widget: QtWidgets.QWidget) -> set[str]:
    """The texts a person can see on a widget and its children (labels, buttons, actions,
    tool tips, column headers, the title)."""
    texts = {widget.windowTitle()}
    for child in [widget, *widget.findChildren(QtWidgets.QWidget)]:
        for attr in ("text", "toolTip", "placeholderText"):
            value = getattr(child, attr, None)
            if callable(value):
                try:
                    texts.add(str(value()))
                except TypeError:
                    pass
        texts |= _texts(child.actions())
        if isinstance(child, QtWidgets.QAbstractItemView) and child.model() is not None:
            model = child.model()
            texts |= {str(model.headerData(c, QtCore.Qt.Orientation.Horizontal))
                      for c in range(model.columnCount())}
    return {t for t in texts if t}


def _english_left(shown: set[str], contexts: set[str]) -> set[str]:
    sources = qt_sources(contexts)
    return {t for t in shown if t in sources or t.replace("&", "") in {
        s.replace("&", "") for s in sources}}


def test_the_compiled_catalogue_says_what_the_table_says() -> None:
    translator = QtCore.QTranslator()
    assert translator.load(str(qt_vi.qm_path())), qt_vi.qm_path()
    wrong = [(context, source, translator.translate(context, source), wanted)
             for context, messages in qt_vi.TABLE.items()
             for source, wanted in messages.items()
             if translator.translate(context, source) != wanted]
    assert not wrong, "python -m sotay_desktop.ui.qt_vi\n" + "\n".join(map(str, wrong))


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
    shown = _texts(menu.actions()) | _texts(text.createStandardContextMenu().actions())
    assert not _english_left(shown, {"QLineEdit", "QWidgetTextControl"})


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
    assert not _english_left(_shown(box) | _shown(bar), {"QPlatformTheme", "QDialogButtonBox"})


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
    assert not _english_left(_shown(dialog), {"QPrintPreviewDialog"})


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
    assert not _english_left(_shown(dialog), {"QFileDialog", "QFileSystemModel"})


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
    from sotay_core import i18n
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
