"""A whole meeting through the real widgets: create, mark attendance, minutes, resolution,
comments, adoption, then print and save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6 import QtWidgets

from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.meetings.screen import MeetingsScreen, NewMeetingDialog
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def screen(meetings_screen):  # type: ignore[no-untyped-def]
    return meetings_screen


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_models_and_the_latest_meeting(qtmodeltester, screen) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(screen.model)
    qtmodeltester.check(screen.attendance.model)
    assert screen.model.rowCount() == 6
    assert screen.sheet is not None and "tháng 11 năm 2026" in screen.heading.text()


def test_a_whole_meeting(qtbot, screen, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    def run(self, dialog: NewMeetingDialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.editors["date"].setText("05/12/2026")
        dialog.buttons.accepted.emit()
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(MeetingsScreen, "run_dialog", run)
    screen.new_meeting()
    assert screen.sheet.data.title == "Sinh hoạt chi bộ tháng 12 năm 2026"
    assert screen.model.rowCount() == 7
    details = screen.details      # the branch secretary chairs and signs unless changed
    secretary = screen.sheet.details.secretary_id
    assert secretary and details.chair.currentData() == secretary
    assert details.signer.currentData() == secretary
    details.recorder.setCurrentIndex(3)
    details.save_button.click()
    assert screen.sheet.data.recorder == details.recorder.currentText()

    tab = screen.attendance
    first_open = next(i for i, line in enumerate(tab.model.rows) if line.status is None)
    tab.table.setCurrentIndex(tab.model.index(first_open, 0))
    tab.status.setCurrentIndex(tab.status.findData("absent_excused"))
    tab.reason.setText("Ốm nằm viện")
    tab.mark_button.click()
    marked = screen.sheet.attendance[first_open]
    assert marked.status.value == "absent_excused" and marked.reason == "Ốm nằm viện"
    tab.all_button.click()
    assert all(line.status is not None for line in screen.sheet.attendance)
    base = screen.sheet.voting_base
    assert "có quyền biểu quyết" in tab.counts.text()

    minutes = screen.minutes
    minutes.speakers.setPlainText(f"{screen.sheet.attendance[-1].name}: nhất trí.")
    minutes.votes_for.setValue(base + 5)
    minutes.save_button.click()
    assert "không hợp lệ" in minutes.errors["votes_for"].text()
    minutes.votes_for.setValue(base)
    minutes.ends_at.setText("21:05")
    minutes.save_button.click()
    assert minutes.errors["votes_for"].isHidden()
    assert screen.sheet.data.votes_for == base and screen.sheet.data.ends_at == "21:05"

    resolution = screen.resolution
    resolution.summary.setText("về lãnh đạo thực hiện nhiệm vụ tháng 01 năm 2027")
    resolution.results.setPlainText("Hoàn thành thu nộp đảng phí.")
    resolution.tasks.setPlainText("Dọn vệ sinh đường làng — Tổ 3\nThăm hỏi người cao tuổi")
    resolution.save_button.click()
    data = screen.sheet.data.resolution
    assert data is not None and data.number.endswith("-NQ/CB")
    assert [(t.text, t.responsible) for t in data.tasks] == [
        ("Dọn vệ sinh đường làng", "Tổ 3"), ("Thăm hỏi người cao tuổi", "")]
    resolution.comment_author.setText("Đảng ủy xã Tân Lập")
    resolution.comment_body.setPlainText("Đề nghị bổ sung mốc thời gian.")
    resolution.comment_button.click()
    assert "Đề nghị bổ sung mốc thời gian" in resolution.comment_list.toPlainText()
    assert resolution.comment_body.toPlainText() == ""
    resolution.comment_button.click()          # an empty comment: refused, beside the field
    assert not resolution.errors["body"].isHidden()
    asked = answer_boxes(monkeypatch, None)
    resolution.adopt_button.click()              # declined: nothing changes
    assert asked and f"{base}/{base}" in asked[0][0] and not screen.sheet.data.resolution.adopted
    assert asked[0][1] == ["Thông qua", "Huỷ"]   # the act is named; no Yes/No
    answer_boxes(monkeypatch, "Thông qua")
    resolution.adopt_button.click()
    assert screen.sheet.data.resolution.adopted
    assert not resolution.save_button.isEnabled()

    target = tmp_path / "nghi-quyet.pdf"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    screen.printing.buttons[("resolution", "pdf")].click()
    text = _pdf_text(target)
    assert f"Số {data.number}" in text and "Dọn vệ sinh đường làng (Phụ trách: Tổ 3)" in text
    assert f"Nghị quyết được {base}/{base}" in text


def test_print_preview_remembers_printer_and_paper(qtbot, screen, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, str, str]] = []

    def fake_preview(_parent, pdf, *, printer_name, paper):  # type: ignore[no-untyped-def]
        import io

        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        seen.append((text, printer_name, paper))
        return "May in van phong", "A5"

    monkeypatch.setattr(printing, "preview_pdf", fake_preview)
    screen.printing.buttons[("minutes", "print")].click()
    screen.printing.buttons[("invitation", "print")].click()
    assert "BIÊN BẢN" in seen[0][0] and "ĐẢNG CỘNG SẢN VIỆT NAM" in seen[0][0]
    assert seen[0][1:] == ("", "A4")
    assert seen[1][1:] == ("May in van phong", "A5")
    assert Settings(tmp_path / "s.json").get("paper") == "A5"


def test_packet_from_the_screen(qtbot, screen, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "chu-to.pdf"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    screen.printing.size.setCurrentIndex(screen.printing.size.findData(24))
    screen.printing.paper.setCurrentIndex(screen.printing.paper.findData("a5"))
    screen.printing.packet_button.click()
    reader = PdfReader(target)
    assert round(float(reader.pages[0].mediabox.width)) == 420
    assert "TÀI LIỆU SINH HOẠT CHI BỘ" in " ".join(reader.pages[0].extract_text().split())


def test_details_tab_and_documents_in_the_packet(qtbot, screen, monkeypatch, tmp_path,
                                                 qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from PySide6 import QtCore

    details = screen.details
    details.chair.setCurrentIndex(2)
    chosen = details.chair.currentText()
    details.guests.setText("Đồng chí Lý Văn Hùng, Đảng ủy viên")
    details.agenda.setPlainText("Thông tin thời sự\nChuyên đề: học tập và làm theo Bác")
    details.starts_at.setText("7h sáng")
    details.save_button.click()
    assert "7h sáng" in details.errors["starts_at"].text()
    details.starts_at.setText("07:30")
    details.date.setText("31/11/2026")            # checked by the service, shown by the field
    details.save_button.click()
    assert "31/11/2026" in details.errors["date"].text()
    details.date.setText("06/12/2026")
    details.save_button.click()
    data = screen.sheet.data
    assert data.chair == chosen and data.starts_at == "07:30"
    assert data.date.isoformat() == "2026-12-06"
    assert data.agenda == ("Thông tin thời sự", "Chuyên đề: học tập và làm theo Bác")
    assert data.guests.startswith("Đồng chí Lý Văn Hùng")

    documents = screen.printing.documents
    qtmodeltester.check(documents)
    assert documents.rowCount() == 15
    documents.setData(documents.index(0), QtCore.Qt.CheckState.Checked,
                      QtCore.Qt.ItemDataRole.CheckStateRole)
    title = documents.items[0][1].split(" – ")[-1]
    target = tmp_path / "p.pdf"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    screen.printing.packet_button.click()
    assert title in _pdf_text(target)
