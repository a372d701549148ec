"""The monthly report dialog through its real widgets: the month's figures shown, remarks
typed and saved, unsaved remarks asked about before they could be lost, regenerate keeping
them, print and save the paper, mark sent; reached from the Meetings screen; and it fits a
1366×768 screen at 200 % type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6 import QtWidgets
from sqlalchemy import select

from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import AuditRow, OutboxRow
from sotay_desktop.settings import Settings
from sotay_desktop.ui import printing
from sotay_desktop.ui.report_dialog import MonthlyReportDialog
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import report
from sotay_desktop.usecases.workspace import Workspace
from tests.monthly_report_support import MONTH, TODAY, pay, seed_october
from tests.qt_helpers import answer_boxes, type_vi
from tests.test_gui_large_type import AREA, offenders, settle
from tests.test_gui_large_type import large as large  # the fixture, used by name

pytestmark = pytest.mark.gui


@pytest.fixture
def seeded(branch_db: tuple[Database, str]) -> Iterator[tuple[Workspace, dict[str, str]]]:
    db, branch_id = branch_db
    ids = seed_october(db, branch_id)
    yield Workspace(db, today=lambda: TODAY), ids


@pytest.fixture
def dialog(qtbot, seeded, tmp_path: Path) -> MonthlyReportDialog:  # type: ignore[no-untyped-def]
    ws, _ids = seeded
    made = MonthlyReportDialog(ws, TaskRunner(inline=True), Settings(tmp_path / "s.json"))
    qtbot.addWidget(made)
    made.show()
    made.load()
    return made


def _outbox_ops(ws: Workspace) -> list[str]:
    with ws.db.reads() as session:
        return list(session.scalars(select(OutboxRow.op).where(
            OutboxRow.entity == "monthly_reports").order_by(OutboxRow.mutation_id)))


def test_shows_the_month_and_saves_typed_remarks(dialog: MonthlyReportDialog) -> None:
    assert dialog.chosen_month().month == 10 and dialog.view is not None
    text = dialog.figures.toPlainText()
    assert "có mặt 2/3" in text and "Lê Văn Dũng" in text and "Hoàng Văn Bình" in text
    assert "Chưa lưu" in dialog.state.text()
    assert dialog.figures.isReadOnly()
    dialog.remarks.setFocus()
    type_vi(dialog.remarks, "Tốt")
    assert dialog.dirty
    dialog.buttons["save"].click()
    assert not dialog.dirty and "01-BC/CB" in dialog.state.text()
    assert dialog.note.text().startswith("✓")
    ws = dialog.workspace
    assert report.month_report(ws, MONTH).remarks == "Tốt"
    assert _outbox_ops(ws) == ["create"]


def test_unsaved_remarks_are_asked_about(qtbot, dialog: MonthlyReportDialog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog.remarks.setPlainText("Chưa lưu đâu")
    asked = answer_boxes(monkeypatch, None)        # Esc: stay
    dialog.month.setCurrentIndex(2)
    assert len(asked) == 1 and "chưa được lưu" in asked[0][0]
    assert dialog.chosen_month().month == 10
    assert dialog.remarks.toPlainText() == "Chưa lưu đâu"
    dialog.close()
    assert dialog.isVisible() and len(asked) == 2
    answer_boxes(monkeypatch, "Lưu báo cáo")        # save, then close
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert report.month_report(dialog.workspace, MONTH).remarks == "Chưa lưu đâu"


def test_discarding_typed_remarks_moves_on(dialog: MonthlyReportDialog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog.remarks.setPlainText("Bỏ đi")
    answer_boxes(monkeypatch, "Bỏ nhận xét vừa gõ")
    dialog.month.setCurrentIndex(2)
    assert dialog.chosen_month().month == 9 and dialog.remarks.toPlainText() == ""
    assert "chưa có buổi sinh hoạt" in dialog.figures.toPlainText()
    assert _outbox_ops(dialog.workspace) == []


def test_regenerate_keeps_the_remarks(dialog: MonthlyReportDialog, seeded) -> None:  # type: ignore[no-untyped-def]
    ws, ids = seeded
    dialog.remarks.setPlainText("Giữ nguyên")
    dialog.buttons["save"].click()
    pay(ws.db, ids["Dũng"], MONTH)
    dialog.load()
    assert "Tính lại số liệu" in dialog.state.text()      # stale: the records changed
    assert "thu 10.000 đ" in dialog.figures.toPlainText()
    dialog.buttons["regenerate"].click()
    assert "thu 20.000 đ" in dialog.figures.toPlainText()
    assert dialog.remarks.toPlainText() == "Giữ nguyên" and "Tính lại" not in dialog.state.text()
    assert _outbox_ops(ws) == ["create", "update"]


def test_print_save_and_mark_sent(qtbot, dialog: MonthlyReportDialog, monkeypatch,  # type: ignore[no-untyped-def]
                                  tmp_path: Path) -> None:
    printed: list[bytes] = []

    def fake_preview(parent, pdf: bytes, **_kw):  # type: ignore[no-untyped-def]
        printed.append(pdf)
        return "Máy in chi bộ", "A4"

    monkeypatch.setattr(printing, "preview_pdf", fake_preview)
    dialog.remarks.setPlainText("In ra giấy")
    dialog.buttons["print"].click()     # saved first, then the paper is read and shown
    qtbot.waitUntil(lambda: bool(printed))
    assert printed and printed[0].startswith(b"%PDF") and not dialog.dirty
    target = tmp_path / "bc.docx"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    dialog.buttons["docx"].click()
    qtbot.waitUntil(target.exists)
    assert target.exists() and str(target) in dialog.note.text()
    asked = answer_boxes(monkeypatch, "Đánh dấu đã gửi")
    dialog.buttons["send"].click()
    assert "10/2026" in asked[0][0]
    assert "Đã gửi ngày 22/11/2026" in dialog.state.text()
    ws = dialog.workspace
    with ws.db.reads() as session:
        acts = list(session.execute(select(AuditRow.action, AuditRow.detail).where(
            AuditRow.entity == "monthly_reports", AuditRow.action != "change")))
    assert [tuple(a) for a in acts] == [("print", "report"), ("export", "report.docx")]
    assert _outbox_ops(ws) == ["create", "update"]


def test_keyboard_labels_have_buddies(dialog: MonthlyReportDialog) -> None:
    buddies = {label.buddy() for label in dialog.findChildren(QtWidgets.QLabel)
               if label.buddy() is not None}
    assert {dialog.month, dialog.figures, dialog.remarks} <= buddies
    assert all("&" in button.text() for name, button in dialog.buttons.items())
    assert dialog.remarks.tabChangesFocus()


def test_reached_from_the_meetings_screen(meetings_screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[MonthlyReportDialog] = []
    monkeypatch.setattr(MonthlyReportDialog, "exec", lambda self: opened.append(self) or 0)
    meetings_screen.report_button.click()
    assert len(opened) == 1 and opened[0].view is not None


def test_fits_at_200_percent(qtbot, seeded, large, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws, _ids = seeded
    made = MonthlyReportDialog(ws, TaskRunner(inline=True), Settings(tmp_path / "s.json"))
    qtbot.addWidget(made)
    made.show()
    made.load()
    settle(large)
    assert offenders(made, AREA) == []
    made.grab().save(str(tmp_path / "report-200.png"))
