"""The meeting screen and names on every paper, the same-title question, and the print
preview drawing the saved PDF (issue 16 §4–5), through the real widgets."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from PySide6 import QtPrintSupport, QtWidgets

from sotay_desktop.ui import printing
from sotay_desktop.ui.meetings.screen import MeetingsScreen, NewMeetingDialog
from sotay_desktop.usecases import papers
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def screen(meetings_screen):  # type: ignore[no-untyped-def]
    return meetings_screen


def test_no_print_or_save_without_names_and_the_secretary_is_offered(screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    details = screen.details
    secretary = screen.sheet.details.secretary_id
    assert secretary
    details.chair.setCurrentIndex(0)            # "(chưa chọn)"
    details.recorder.setCurrentIndex(0)
    details.save_button.click()
    assert screen.sheet.data.chair == "" and screen.sheet.data.recorder == ""
    # shown again, the empty chair is offered the secretary; the recorder stays empty
    assert details.chair.currentData() == secretary and details.recorder.currentData() == ""
    previewed: list[bytes] = []
    monkeypatch.setattr(printing, "preview_pdf",
                        lambda _p, pdf, **_k: (previewed.append(pdf), ("", "A4"))[1])
    asked: list[object] = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (asked.append(a), ("", ""))[1])
    for kind in ("minutes", "resolution", "invitation", "attendance"):
        for action in ("print", "pdf", "docx"):
            screen.printing.buttons[(kind, action)].click()
            message = screen.printing.status.text()
            assert "còn thiếu: người chủ trì, thư ký" in message, (kind, action, message)
    assert previewed == [] and asked == []
    details.recorder.setCurrentIndex(2)
    details.save_button.click()                  # the offered chair is saved with it
    assert screen.sheet.data.chair and screen.sheet.data.recorder
    screen.printing.buttons[("minutes", "print")].click()
    assert len(previewed) == 1 and previewed[0].startswith(b"%PDF")


def test_a_second_meeting_of_the_same_title_asks_first(screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def run(self, dialog: NewMeetingDialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.editors["date"].setText("05/12/2026")
        dialog.buttons.accepted.emit()
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(MeetingsScreen, "run_dialog", run)
    screen.new_meeting()
    assert screen.model.rowCount() == 7
    asked = answer_boxes(monkeypatch, None)
    screen.new_meeting()                          # the same month again: asked, declined
    assert screen.model.rowCount() == 7
    assert asked and "đã có một cuộc họp tên «Sinh hoạt chi bộ tháng 12 năm 2026»" in asked[0][0]
    assert asked[0][1] == ["Vẫn tạo", "Huỷ"]
    answer_boxes(monkeypatch, "Vẫn tạo")
    screen.new_meeting()
    assert screen.model.rowCount() == 8


def test_the_preview_dialog_shows_the_saved_pdf_pages(qtbot, screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pdf = papers.meeting_paper(screen.workspace, screen.sheet.meeting_id, "minutes", "pdf")
    shown: list[int] = []

    def run(dialog: QtPrintSupport.QPrintPreviewDialog) -> int:
        preview = dialog.findChild(QtPrintSupport.QPrintPreviewWidget)
        preview.updatePreview()
        shown.append(preview.pageCount())
        return 0

    monkeypatch.setattr(QtPrintSupport.QPrintPreviewDialog, "exec", run)
    _name, paper = printing.preview_pdf(screen, pdf, printer_name="", paper="A4")
    assert paper == "A4" and shown == [len(PdfReader(io.BytesIO(pdf)).pages)]


def test_renaming_into_a_title_of_the_month_asks_to_save_anyway(screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    latest = screen.sheet.data
    other = next(m for m in screen.model.rows if m.id != screen.sheet.meeting_id)
    screen.load_sheet(other.id)
    details = screen.details
    details.title.setText(latest.title)
    details.date.setText(latest.date.strftime("%d/%m/%Y"))
    asked = answer_boxes(monkeypatch, None)
    details.save_button.click()
    assert asked and asked[0][1] == ["Vẫn lưu", "Huỷ"] and "nhập trùng" in asked[0][0]
    assert screen.sheet.data.title == other.title          # declined: nothing saved
    answer_boxes(monkeypatch, "Vẫn lưu")
    details.save_button.click()
    assert screen.sheet.data.title == latest.title and screen.sheet.meeting_id == other.id
