"""Vietnamese for the texts Qt itself shows: standard buttons, file and print dialogs, the
print preview's toolbar, the context menus of text fields.

Qt ships no Vietnamese translation (no qtbase_vi.qm), so without this an OK button, a file
dialog or a right-click menu would speak English in a Vietnamese program. The table is keyed
by Qt's own (context, source text), as Qt's .ts files are; the source texts were taken from
Qt 6's translation catalogue (qtbase_*.qm lists them). A text missing here falls back to
Qt's English, never to an empty label. The table is compiled into
resources/translations/qtbase_vi.qm (``python -m sotay_desktop.ui.qt_vi``); a test checks
that the compiled file says what the table says.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from PySide6 import QtCore, QtWidgets

from sotay_desktop.resources import resources_dir

_EDIT_MENU = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xoá",
    "Select All": "Chọn tất cả",
}

_PAGE_SETUP = {
    "Page Layout": "Bố cục trang",
    "Paper": "Giấy",
    "Page size:": "Khổ giấy:",
    "Paper source:": "Khay giấy:",
    "Width:": "Rộng:",
    "Height:": "Cao:",
    "Orientation": "Hướng giấy",
    "Portrait": "Khổ dọc",
    "Landscape": "Khổ ngang",
    "Reverse portrait": "Khổ dọc, lộn ngược",
    "Reverse landscape": "Khổ ngang, lộn ngược",
    "Margins": "Lề",
    "top margin": "lề trên",
    "bottom margin": "lề dưới",
    "left margin": "lề trái",
    "right margin": "lề phải",
    "Custom": "Tuỳ chọn",
    "Millimeters (mm)": "Mi-li-mét (mm)",
    "Points (pt)": "Điểm (pt)",
    "Inches (in)": "In-sơ (in)",
    "Pages &per sheet:": "Số trang trên &một tờ:",
    "Page &order:": "&Thứ tự trang:",
    "Form": "Biểu mẫu",
}

TABLE: dict[str, dict[str, str]] = {
    # QMessageBox and QDialogButtonBox take their standard buttons from the platform theme.
    "QPlatformTheme": {
        "OK": "Đồng ý",
        "Save": "Lưu",
        "Save All": "Lưu tất cả",
        "Open": "Mở",
        "&Yes": "&Có",
        "Yes to &All": "Có, &tất cả",
        "&No": "&Không",
        "N&o to All": "Không, tất &cả",
        "Abort": "Dừng",
        "Retry": "Thử lại",
        "Ignore": "Bỏ qua",
        "Close": "Đóng",
        "Cancel": "Huỷ",
        "Discard": "Bỏ thay đổi",
        "Don't Save": "Không lưu",
        "Close without Saving": "Đóng, không lưu",
        "Help": "Trợ giúp",
        "Apply": "Áp dụng",
        "Reset": "Đặt lại",
        "Restore Defaults": "Khôi phục mặc định",
    },
    "QDialogButtonBox": {"OK": "Đồng ý"},
    "QMessageBox": {
        "Show Details...": "Xem chi tiết…",
        "Hide Details...": "Ẩn chi tiết…",
        "About Qt": "Về Qt",
    },
    "QProgressDialog": {"Cancel": "Huỷ"},
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": {**_EDIT_MENU, "Copy &Link Location": "Sao chép địa chỉ &liên kết"},
    "QAbstractSpinBox": {
        "&Select All": "&Chọn tất cả",
        "&Step up": "&Tăng",
        "Step &down": "&Giảm",
    },
    "QTabBar": {"Scroll Left": "Cuộn sang trái", "Scroll Right": "Cuộn sang phải"},
    "QFileDialog": {
        "Open": "Mở",
        "Save As": "Lưu thành",
        "Find Directory": "Chọn thư mục",
        "&Open": "&Mở",
        "&Save": "&Lưu",
        "&Choose": "&Chọn",
        "&Look in:": "&Tìm trong:",
        "File &name:": "&Tên tệp:",
        "Files of &type:": "&Loại tệp:",
        "Directory:": "Thư mục:",
        "Directories": "Thư mục",
        "Files": "Tệp",
        "All Files (*)": "Mọi tệp (*)",
        "All files (*)": "Mọi tệp (*)",
        "Back": "Quay lại",
        "Forward": "Đi tới",
        "Go back": "Quay lại",
        "Go forward": "Đi tới",
        "Parent Directory": "Thư mục cha",
        "Go to the parent directory": "Lên thư mục cha",
        "Create New Folder": "Tạo thư mục mới",
        "Create a New Folder": "Tạo thư mục mới",
        "New Folder": "Thư mục mới",
        "&New Folder": "Thư mục &mới",
        "List View": "Danh sách",
        "Detail View": "Chi tiết",
        "Change to list view mode": "Xem dạng danh sách",
        "Change to detail view mode": "Xem dạng chi tiết",
        "Sidebar": "Thanh bên",
        "List of places and bookmarks": "Các nơi hay dùng",
        "Recent Places": "Nơi mở gần đây",
        "Remove": "Bỏ khỏi danh sách",
        "&Rename": "Đổi &tên",
        "&Delete": "&Xoá",
        "Delete": "Xoá",
        "Show ": "Hiện ",
        "Show &hidden files": "Hiện tệp ẩ&n",
        "%1 already exists.\nDo you want to replace it?":
            "Đã có tệp %1.\nGhi đè lên tệp đó?",
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
        "'%1' is write protected.\nDo you want to delete it anyway?":
            "'%1' đang được chống ghi.\nVẫn xoá?",
        "Are you sure you want to delete '%1'?": "Xoá '%1'?",
        "Could not delete directory.": "Không xoá được thư mục.",
    },
    "QFileSystemModel": {
        "Name": "Tên",
        "Size": "Cỡ",
        "Type": "Loại",
        "Kind": "Loại",
        "Date Modified": "Ngày sửa",
        "Computer": "Máy tính",
        "My Computer": "Máy tính",
    },
    "QAbstractFileIconProvider": {
        "Drive": "Ổ đĩa",
        "Folder": "Thư mục",
        "File Folder": "Thư mục",
        "File": "Tệp",
        "Shortcut": "Lối tắt",
        "Alias": "Lối tắt",
        "Unknown": "Không rõ",
    },
    "QPrintPreviewDialog": {
        "Print Preview": "Xem trước khi in",
        "Next page": "Trang sau",
        "Previous page": "Trang trước",
        "First page": "Trang đầu",
        "Last page": "Trang cuối",
        "Fit width": "Vừa chiều ngang",
        "Fit page": "Vừa cả trang",
        "Zoom in": "Phóng to",
        "Zoom out": "Thu nhỏ",
        "Portrait": "Khổ dọc",
        "Landscape": "Khổ ngang",
        "Show single page": "Xem từng trang",
        "Show facing pages": "Xem hai trang liền nhau",
        "Show overview of all pages": "Xem tất cả các trang",
        "Print": "In",
        "Page setup": "Thiết lập trang",
        "Page Setup": "Thiết lập trang",
        "Export to PDF": "Xuất ra PDF",
    },
    # The print dialog below is Qt's own on Linux; Windows shows its own, in its language.
    "QPrintDialog": {
        "Print": "In",
        "&Print": "&In",
        "&Options >>": "&Tuỳ chọn >>",
        "&Options <<": "&Tuỳ chọn <<",
        "All Pages": "Tất cả các trang",
        "Odd Pages": "Trang lẻ",
        "Even Pages": "Trang chẵn",
        "Local file": "Tệp trên máy",
        "Write PDF file": "Ghi tệp PDF",
        "Print to File (PDF)": "In ra tệp (PDF)",
        "Print To File ...": "In ra tệp…",
        "%1 already exists.\nDo you want to overwrite it?":
            "Đã có tệp %1.\nGhi đè lên tệp đó?",
        "%1 is a directory.\nPlease choose a different file name.":
            "%1 là một thư mục.\nHãy chọn tên tệp khác.",
        "File %1 is not writable.\nPlease choose a different file name.":
            "Không ghi được tệp %1.\nHãy chọn tên tệp khác.",
        "The 'From' value cannot be greater than the 'To' value.":
            "Trang «từ» không được lớn hơn trang «đến».",
        "Invalid Pages Definition": "Khoảng trang không hợp lệ",
    },
    "QPrintWidget": {
        "Printer": "Máy in",
        "&Name:": "&Tên:",
        "P&roperties": "Thuộc &tính",
        "Location:": "Vị trí:",
        "Preview": "Xem trước",
        "Type:": "Loại:",
        "Output &file:": "&Tệp kết quả:",
        "Form": "Biểu mẫu",
    },
    "QPrintSettingsOutput": {
        "Copies": "Số bản",
        "Copies:": "Số bản:",
        "Collate": "In theo bộ",
        "Reverse": "In ngược thứ tự",
        "Options": "Tuỳ chọn",
        "Color Mode": "Chế độ màu",
        "Color": "Màu",
        "Grayscale": "Đen trắng",
        "Double Sided Printing": "In hai mặt",
        "Off": "Tắt",
        "Long side binding": "Lật theo cạnh dài",
        "Short side binding": "Lật theo cạnh ngắn",
        "Print range": "Phạm vi in",
        "Print all": "In tất cả",
        "Pages from": "Các trang từ",
        "to": "đến",
        "Pages": "Các trang",
        "Current Page": "Trang hiện tại",
        "Selection": "Phần đã chọn",
        "Page &Set:": "&Nhóm trang:",
        "Output Settings": "Thiết lập in",
        "Form": "Biểu mẫu",
        "Specify pages or ranges separated by commas. Ranges are specified by two numbers "
        "separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.":
            "Ghi các trang hoặc khoảng trang, cách nhau dấu phẩy; khoảng trang là hai số nối "
            "bằng gạch ngang. Ví dụ: 3,5-7,9 in các trang 3, 5, 6, 7 và 9.",
    },
    "QPageSetupWidget": _PAGE_SETUP,
    "QPrintPropertiesDialog": {
        "Printer Properties": "Thuộc tính máy in",
        "Job Options": "Tuỳ chọn lệnh in",
    },
}


def qm_path() -> Path:
    return resources_dir() / "translations" / "qtbase_vi.qm"


def ts_text() -> str:
    """The table as a Qt .ts file (what lrelease compiles into ``qm_path()``)."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="vi_VN">']
    for context, messages in TABLE.items():
        parts.append(f"<context><name>{escape(context)}</name>")
        for source, translation in messages.items():
            parts.append(f"<message><source>{escape(source)}</source>"
                         f"<translation>{escape(translation)}</translation></message>")
        parts.append("</context>")
    parts.append("</TS>")
    return "\n".join(parts) + "\n"


_installed: list[QtCore.QTranslator] = []


def install(app: QtWidgets.QApplication, language: str) -> None:
    """Install the compiled table when the interface speaks Vietnamese; remove it otherwise.

    A compiled catalogue, not a QTranslator subclass: with PySide6 6.12 a Python override of
    translate(), called for every text Qt shows, upsets the reference count of None until
    the interpreter aborts. Qt's own dialogs are used instead of the system's
    (AA_DontUseNativeDialogs), so that file dialogs speak the program's language and grow
    with its type size; the system's file dialog ignores both.
    """
    app.setAttribute(QtCore.Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    while _installed:
        app.removeTranslator(_installed.pop())
    if language == "vi":
        translator = QtCore.QTranslator(app)
        if translator.load(str(qm_path())):
            app.installTranslator(translator)
            _installed.append(translator)


def main() -> int:
    """Compile the table (run after changing it): python -m sotay_desktop.ui.qt_vi"""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "qtbase_vi.ts"
        source.write_text(ts_text(), encoding="utf-8")
        qm_path().parent.mkdir(parents=True, exist_ok=True)
        lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) \
            or "pyside6-lrelease"
        subprocess.run([lrelease, "-silent", str(source), "-qm", str(qm_path())], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
