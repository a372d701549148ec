from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from sotay_desktop.ui.documents.add_dialog import AddDocumentDialog
from sotay_desktop.ui.documents.screen import DocumentsScreen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases.workspace import Workspace
from tests.docfactory import make_docx, make_pdf, to_tcvn3
from tests.qt_helpers import type_vi

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def screen(qtbot, branch_db):  # type: ignore[no-untyped-def]
    db, _unit = branch_db
    widget = DocumentsScreen(Workspace(db, today=lambda: TODAY), TaskRunner(inline=True))
    qtbot.addWidget(widget)
    widget.show()
    widget.run_search()
    return widget


@pytest.fixture
def messages(monkeypatch):  # type: ignore[no-untyped-def]
    shown: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QtWidgets.QMessageBox, name,
                            lambda _parent, _title, text, *a: shown.append(text))
    return shown


def _accept_with(monkeypatch, **values: str) -> None:  # type: ignore[no-untyped-def]
    def run(self, dialog: AddDocumentDialog) -> bool:  # type: ignore[no-untyped-def]
        for name, value in values.items():
            dialog.editors[name].setText(value)
        values.clear()   # a second round (after an error) accepts what is there
        return True

    monkeypatch.setattr(DocumentsScreen, "run_dialog", run)


def _titles(screen: DocumentsScreen) -> list[str]:
    return [h.title for h in screen.model.hits]


def test_add_one_document_and_find_it_typing(qtbot, screen, tmp_path, monkeypatch,
                                            messages) -> None:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "ct.pdf", ["Chỉ thị về phòng, chống thiên tai mùa mưa bão"])
    _accept_with(monkeypatch, number="12-CT/TU", issued_on="05/08/2026",
                 issuer="Tỉnh ủy Hưng Yên", title="Chỉ thị phòng chống thiên tai")
    screen.add_files([pdf])
    assert _titles(screen) == ["Chỉ thị phòng chống thiên tai"]
    with qtbot.waitSignal(screen.results_shown, timeout=3000):
        type_vi(screen.search, "thiên tai")
    assert _titles(screen) == ["Chỉ thị phòng chống thiên tai"]
    assert "thiên tai mùa mưa bão" in screen.preview.toPlainText()
    with qtbot.waitSignal(screen.results_shown, timeout=3000):
        type_vi(screen.search, " không có")
    assert screen.model.rowCount() == 0


def test_metadata_error_is_shown_in_the_dialog_and_fixed(qtbot, screen, tmp_path,
                                                         monkeypatch, messages) -> None:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "a.pdf", ["Thông báo"])
    rounds: list[str] = []

    def run(self, dialog: AddDocumentDialog) -> bool:  # type: ignore[no-untyped-def]
        if not rounds:
            dialog.editors["issued_on"].setText("31/02/2026")
        else:
            assert "31/02/2026" in dialog.errors["issued_on"].text()
            dialog.editors["issued_on"].setText("28/02/2026")
        rounds.append("x")
        return True

    monkeypatch.setattr(DocumentsScreen, "run_dialog", run)
    screen.add_files([pdf])
    assert len(rounds) == 2
    assert screen.model.hits[0].issued_on == dt.date(2026, 2, 28)


def test_bad_files_are_reported_and_the_screen_keeps_working(qtbot, screen, tmp_path,
                                                             monkeypatch, messages) -> None:  # type: ignore[no-untyped-def]
    locked = make_pdf(tmp_path / "mat-khau.pdf", ["Tuyệt mật"], password="x")
    _accept_with(monkeypatch)
    screen.add_files([locked])
    assert messages and "mật khẩu" in messages[-1]
    assert screen.model.rowCount() == 0


def test_add_many_with_progress_and_a_report(qtbot, screen, tmp_path, messages) -> None:  # type: ignore[no-untyped-def]
    files = [make_pdf(tmp_path / f"vb{i}.pdf", [f"Văn bản số {i} về đảng viên"]) for i in range(3)]
    files.append(make_docx(tmp_path / "cu.docx", [(to_tcvn3("nghị quyết chi bộ"), ".VnTime")]))
    files.append(tmp_path / "hong.pdf")
    files[-1].write_bytes("%PDF-1.4 hỏng".encode())
    with qtbot.waitSignal(screen.documents_added, timeout=10_000) as blocker:
        screen.add_files(files)
    report = blocker.args[0]
    assert report[0].startswith("Đã thêm 4/5")
    assert any("hong.pdf" in line and "hỏng" in line for line in report)
    assert any("TCVN3" in line for line in report)
    assert screen.model.rowCount() == 4
    screen.search.setText("nghi quyet")
    screen.run_search()
    assert _titles(screen) == ["cu"]


def test_bookmark_and_filter(qtbot, screen, tmp_path, monkeypatch, messages, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b"):
        _accept_with(monkeypatch, title=name.upper())
        screen.add_files([make_pdf(tmp_path / f"{name}.pdf", [f"Văn bản {name}"])])
    qtmodeltester.check(screen.model)
    screen.table.setCurrentIndex(screen.model.index(_titles(screen).index("B"), 0))
    screen.later_button.click()
    assert [h.title for h in screen.model.hits if h.bookmarked] == ["B"]
    screen.later_only.setChecked(True)
    assert _titles(screen) == ["B"]
    assert screen.later_button.text().startswith("Bỏ")


def test_open_hands_a_named_copy_to_the_viewer(qtbot, screen, tmp_path, monkeypatch,
                                               messages) -> None:  # type: ignore[no-untyped-def]
    opened: list[QtCore.QUrl] = []
    monkeypatch.setattr(QtGui.QDesktopServices, "openUrl", lambda url: opened.append(url))
    pdf = make_pdf(tmp_path / "Chỉ thị 12.pdf", ["Nội dung"])
    _accept_with(monkeypatch)
    screen.add_files([pdf])
    screen.open_button.click()
    path = Path(opened[0].toLocalFile())
    assert path.name == "Chỉ thị 12.pdf" and path.read_bytes() == pdf.read_bytes()
