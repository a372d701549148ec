"""The "Kết nạp đảng viên" screen through the real widgets: a whole admission from outstanding
citizen to full membership (the dialogs driven, not blocking; Vietnamese set as text), a
refusal shown in words in the dialog with nothing written, the ceremony asked first and then
the person on the roster, the last step taken back after a confirmation, the overdue
deadline said in words, and a paper saved with the record in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core.domain.admission import CandidateStatus, Step
from sotay_desktop.ui.candidates.candidate_dialog import CandidateDialog
from sotay_desktop.ui.candidates.screen import CandidatesScreen
from sotay_desktop.ui.candidates.step_dialog import StepDialog
from sotay_desktop.ui.lazy_screens import LazyScreens
from sotay_desktop.usecases import candidates as cases
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui
NAME = "Đỗ Thị Lan Anh"
PATH = {Step.OUTSTANDING: "21/07/2025", Step.TRAINING: "28/07/2025",
        Step.APPLICATION: "04/08/2025", Step.BACKGROUND: "06/08/2025",
        Step.SPONSORS: "11/08/2025", Step.MASS_COMMENTS: "20/08/2025",
        Step.BRANCH_RESOLUTION: "03/09/2025", Step.DECISION: "15/09/2025",
        Step.CEREMONY: "26/09/2025", Step.SELF_REVIEW: "10/09/2026",
        Step.OFFICIAL_RESOLUTION: "28/09/2026"}


@pytest.fixture
def screen(window) -> CandidatesScreen:  # type: ignore[no-untyped-def]
    found = window.lazy.named("CandidatesScreen")
    assert isinstance(found, CandidatesScreen)
    assert window.stack.currentWidget() is found
    return found


def _drive(monkeypatch: pytest.MonkeyPatch,
           fill: Callable[[QtWidgets.QDialog], None]) -> list[QtWidgets.QDialog]:
    seen: list[QtWidgets.QDialog] = []

    def run(self: CandidatesScreen, dialog: QtWidgets.QDialog) -> bool:
        seen.append(dialog)
        fill(dialog)
        assert isinstance(dialog.buttons, QtWidgets.QDialogButtonBox)  # type: ignore[attr-defined]
        dialog.buttons.accepted.emit()  # type: ignore[attr-defined]
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(CandidatesScreen, "run_dialog", run)
    return seen


def _step_filler(screen: CandidatesScreen, extra: dict[str, Any]) -> Callable[[Any], None]:
    def fill(dialog: Any) -> None:
        assert isinstance(dialog, StepDialog)
        dialog.editors["date"].setText(PATH[dialog.step])
        dialog.show_base()
        for name, value in extra.items():
            editor = dialog.editors.get(name)
            if isinstance(editor, QtWidgets.QSpinBox):
                editor.setValue(value)
            elif isinstance(editor, QtWidgets.QLineEdit | QtWidgets.QPlainTextEdit):
                editor.setPlainText(value) if isinstance(editor, QtWidgets.QPlainTextEdit) \
                    else editor.setText(value)
        if dialog.step is Step.SPONSORS:
            for index, (box, since) in enumerate(dialog.sponsor_boxes):
                box.setCurrentIndex(index + 1)
                since.setText("01/01/2020")
    return fill


def _needed(screen: CandidatesScreen, step: Step) -> tuple[int, int]:
    day = dt.datetime.strptime(PATH[step], "%d/%m/%Y").date()
    return cases.voting_base(screen.workspace, day)


def _record(screen: CandidatesScreen, monkeypatch: pytest.MonkeyPatch,
            **extra: Any) -> StepDialog:
    dialogs = _drive(monkeypatch, _step_filler(screen, extra))
    QtCore.QCoreApplication.sendEvent(screen.table, QtGui.QKeyEvent(
        QtCore.QEvent.Type.KeyPress, QtCore.Qt.Key.Key_Return,
        QtCore.Qt.KeyboardModifier.NoModifier))
    [dialog] = dialogs
    assert isinstance(dialog, StepDialog)
    return dialog


def test_a_whole_admission_through_the_screen(screen: CandidatesScreen, window: Any,
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    assert [r.status for r in screen.rows] == [CandidateStatus.ACTIVE, CandidateStatus.ADMITTED]
    nav_row = LazyScreens.keys().index("ui.nav_candidates") + window.lazy.first
    assert window.nav.currentRow() == nav_row

    def add(dialog: Any) -> None:
        assert isinstance(dialog, CandidateDialog)
        dialog.editors["full_name"].setText(NAME)
        dialog.editors["date_of_birth"].setText("15/03/1999")
        dialog.editors["gender"].setCurrentIndex(2)
        dialog.editors["residence"].setText("Xóm 4, thôn Đông Hòa")
        dialog.editors["occupation"].setText("Giáo viên")

    _drive(monkeypatch, add)
    screen.buttons["add"].click()
    assert screen.current() is not None and screen.current().full_name == NAME  # type: ignore[union-attr]
    assert NAME in screen.note.text()
    for step in (Step.OUTSTANDING, Step.TRAINING, Step.APPLICATION, Step.BACKGROUND,
                 Step.SPONSORS, Step.MASS_COMMENTS):
        assert screen.panel.view is not None and screen.panel.view.summary.next_step is step
        dialog = _record(screen, monkeypatch)
        assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted, \
            dialog.general_error.text()
    assert len(screen.panel.view.sponsors) == 2  # type: ignore[union-attr]

    base, needed = _needed(screen, Step.BRANCH_RESOLUTION)
    dialog = _record(screen, monkeypatch, votes_for=needed - 1, number="08-NQ/CB")
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    shown = dialog.general_error.text() + dialog.errors["votes_for"].text()
    assert "không đủ đa số" in shown and f"{needed - 1}/{base}" in shown
    assert f"{base} đảng viên chính thức" in dialog.base_label.text()
    assert screen.panel.view.step(Step.BRANCH_RESOLUTION) is None  # type: ignore[union-attr]
    dialog = _record(screen, monkeypatch, votes_for=needed, votes_against=1,
                     number="08-NQ/CB", detail="Ưu điểm: gương mẫu, nhiệt tình.")
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    dialog = _record(screen, monkeypatch, number="155-QĐ/ĐU", issuer="Đảng ủy xã Tân Lập")
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    asked = answer_boxes(monkeypatch, None)               # the ceremony: Huỷ first
    dialog = _record(screen, monkeypatch)
    assert asked and NAME in asked[0][0]
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert screen.panel.view.summary.member_id is None  # type: ignore[union-attr]
    asked = answer_boxes(monkeypatch, "Ghi lễ kết nạp")
    dialog = _record(screen, monkeypatch)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert "danh sách đảng viên" in screen.note.text()
    view = screen.panel.view
    assert view is not None and view.summary.status is CandidateStatus.ADMITTED
    window.roster.search.setText("lan anh")
    model = window.roster.model
    assert [model.row_at(i).full_name for i in range(model.rowCount())] == [NAME]

    dialog = _record(screen, monkeypatch)                 # the self-review
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    base, needed = _needed(screen, Step.OFFICIAL_RESOLUTION)
    dialog = _record(screen, monkeypatch, votes_for=base, number="21-NQ/CB")
    assert any("26/09/2026" in label.text() for label in dialog.findChildren(QtWidgets.QLabel))
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted, dialog.general_error.text()
    view = screen.panel.view
    assert view is not None and view.summary.status is CandidateStatus.OFFICIAL
    assert all(item.is_done for item in view.checklist)
    assert screen.panel.checklist_model.rowCount() == 9
    assert not screen.buttons["step"].isEnabled()

    screen.paper.setCurrentIndex(screen.paper.findData("official"))
    target = tmp_path / "13-knd.pdf"
    screen.save_paper(target)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert NAME in text and "21-NQ/CB" in text and "26 tháng 09 năm 2026" in text

    asked = answer_boxes(monkeypatch, "Huỷ bước")
    screen.buttons["undo"].click()
    assert asked and "Nghị quyết chi bộ đề nghị công nhận chính thức" in asked[0][0]
    assert screen.panel.view.summary.status is CandidateStatus.ADMITTED  # type: ignore[union-attr]


def test_overdue_is_said_in_words(screen: CandidatesScreen) -> None:
    admitted = next(r for r in screen.rows if r.status is CandidateStatus.ADMITTED)
    row = screen.rows.index(admitted)
    text = screen.model.data(screen.model.index(row, screen.model.columns.index("deadline")))
    assert text.startswith("Hạn xét công nhận chính thức")
    assert "còn" in text or "QUÁ HẠN" in text
    screen.select(admitted.id)
    assert screen.panel.deadlines.text().count("\n") >= 1
    assert "Hết thời gian dự bị" in screen.panel.deadlines.text()


def test_the_models(qtmodeltester, screen: CandidatesScreen) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(screen.model)
    qtmodeltester.check(screen.panel.steps_model)
    qtmodeltester.check(screen.panel.checklist_model)
