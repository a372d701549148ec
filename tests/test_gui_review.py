"""The "Kiểm điểm" screen through the real widgets: a whole review campaign on a small branch
(opened, self-reviews, a proposal with its vote for every member and the branch, one of
them refused for a grade the points do not give and kept as typed, held at the December
meeting, the collective report saved as PDF and read back, sent up), the counts shown
against the use case's summary; the demo's finished year as it came down; the keyboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6 import QtCore, QtGui, QtWidgets

from sotay_core.domain.review import Grade
from sotay_desktop.db.engine import Database
from sotay_desktop.ui.review.hold_dialog import HoldDialog
from sotay_desktop.ui.review.models import ABBREVIATIONS, counts_line
from sotay_desktop.ui.review.papers_dialog import PapersDialog
from sotay_desktop.ui.review.proposal_dialog import ProposalDialog
from sotay_desktop.ui.review.screen import ReviewScreen
from sotay_desktop.ui.review.self_dialog import SelfReviewDialog
from sotay_desktop.ui.review.settings_dialog import SettingsDialog
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace
from tests.qt_helpers import answer_boxes

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 12, 20)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
         "Vũ Thị Gấm", "Đỗ Văn Hùng", "Ngô Thị Lan")
# the branch meeting's points per criterion (politics, innovation, self-criticism, tasks)
SCORES = {"Nguyễn Văn An": ("9.5", "9.5", "9.0", "65.0"),       # 93.0: excellent
          "Trần Thị Bình": ("8.0", "8.0", "8.0", "60.0"),       # 84.0: good
          "Lê Văn Cường": ("8,5", "7.5", "8.0", "56.5"),        # 80.5: good
          "Phạm Thị Dung": ("7.0", "7.0", "7.0", "50.0"),       # 71.0: good
          "Hoàng Văn Em": ("9.0", "9.0", "9.0", "50.0"),        # 77.0: good
          "Vũ Thị Gấm": ("6.0", "6.0", "6.0", "40.0"),          # 58.0: fulfilled
          "Đỗ Văn Hùng": ("8.0", "8.0", "8.0", "51.0"),         # 75.0: good
          "Ngô Thị Lan": ("4.0", "4.0", "4.0", "30.0")}         # 42.0: not fulfilled
BRANCH = ("8.5", "8.5", "8.5", "60.0")                          # 85.5: good
REFUSED = "Đỗ Văn Hùng"        # first proposed as excellent with 75 points: refused
SECRET = "Ngô Thị Lan"         # voted by secret ballot, one invalid ballot


@pytest.fixture
def small_branch(branch_db: tuple[Database, str]) -> Workspace:
    """Eight members admitted long ago, one exempted from party life (left out), and the
    December meeting with everyone present."""
    from sotay_desktop.db.tables import AttendanceRow, MeetingRow
    from sotay_desktop.services import members

    db, unit_id = branch_db
    with db.sessions.begin() as s:
        ids = []
        for name in NAMES:
            member_id, _ = members.add_member(s, unit_id=unit_id, data={
                "full_name": name, "date_of_birth": dt.date(1950, 5, 5),
                "admitted_on": dt.date(1990, 3, 1), "official_on": dt.date(1991, 3, 1)},
                today=TODAY)
            ids.append(member_id)
        exempted, _ = members.add_member(s, unit_id=unit_id, data={
            "full_name": "Bùi Văn Miễn", "date_of_birth": dt.date(1935, 1, 1),
            "admitted_on": dt.date(1960, 1, 1), "official_on": dt.date(1961, 1, 1)},
            today=TODAY)
        members.record_event(s, member_id=exempted, kind="exempted",
                             date=dt.date(2024, 5, 1), today=TODAY)
        s.add(MeetingRow(id="m12", unit_id=unit_id, title="Hội nghị kiểm điểm năm 2026",
                         date=dt.date(2026, 12, 18), place="Nhà văn hoá thôn",
                         starts_at="08:00", ends_at="11:00"))
        s.flush()
        for member_id in ids:
            s.add(AttendanceRow(id=f"a-{member_id}", meeting_id="m12", member_id=member_id,
                                status="present"))
    return Workspace(db, today=lambda: TODAY)


@pytest.fixture
def screen(make_window: Callable[..., Any], small_branch: Workspace) -> ReviewScreen:
    window = make_window(small_branch, show=True, refresh=True)
    found = window.lazy.named("ReviewScreen")
    assert isinstance(found, ReviewScreen) and window.stack.currentWidget() is found
    return found


def _drive(monkeypatch: pytest.MonkeyPatch,
           fill: Callable[[QtWidgets.QDialog], None]) -> list[QtWidgets.QDialog]:
    """Modal dialogs filled by ``fill`` then saved, never blocking."""
    seen: list[QtWidgets.QDialog] = []

    def run(self: ReviewScreen, dialog: QtWidgets.QDialog) -> bool:
        seen.append(dialog)
        fill(dialog)
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReviewScreen, "run_dialog", run)
    return seen


def _enter(widget: QtWidgets.QWidget) -> None:
    QtCore.QCoreApplication.sendEvent(widget, QtGui.QKeyEvent(
        QtCore.QEvent.Type.KeyPress, QtCore.Qt.Key.Key_Return,
        QtCore.Qt.KeyboardModifier.NoModifier))


def _ok(dialog: QtWidgets.QDialog) -> None:
    """OK pressed: the dialog saves (and stays open on a refusal)."""
    buttons = getattr(dialog, "buttons", None)
    assert isinstance(buttons, QtWidgets.QDialogButtonBox)
    buttons.accepted.emit()


def _type_points(dialog: ProposalDialog, values: tuple[str, ...]) -> None:
    """The points as typed in each criterion's field (a comma or a point)."""
    for spin, text in zip(dialog.scores.values(), values, strict=True):
        spin.lineEdit().setText(text)
        spin.interpretText()


def test_a_whole_campaign_through_the_screen(screen: ReviewScreen, small_branch: Workspace,
                                            monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    ws = small_branch
    assert "Chưa mở đợt kiểm điểm năm 2026" in screen.state.text()
    assert screen.model.rowCount() == 0 and not screen.buttons["propose"].isEnabled()
    screen.buttons["open"].click()
    assert "đang kiểm điểm" in screen.state.text() and "8 đảng viên" in screen.state.text()
    assert screen.note.text() == "✓ Đã mở đợt kiểm điểm năm 2026."
    rows = screen.model.rows
    assert rows[0].branch and rows[0].sheet.member_id is None
    assert {r.sheet.name for r in rows[1:]} == set(NAMES) and len(rows) == 9
    assert "Không xếp loại 1: 1 miễn sinh hoạt" in screen.left_out.text()
    assert screen.left_model.rows[0].name == "Bùi Văn Miễn"
    assert "miễn" in screen.left_model.data(screen.left_model.index(0, 1))

    # self-reviews: the text typed, the points, the grade left to the points
    def fill_self(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, SelfReviewDialog)
        dialog.text.setPlainText(f"Tôi, {dialog.sheet.name}, tự nhận thấy đã hoàn thành "
                                 "nhiệm vụ; hạn chế: đôi khi chưa mạnh dạn phê bình.")
        dialog.points.lineEdit().setText("80,5")
        dialog.points.interpretText()
        _ok(dialog)

    _drive(monkeypatch, fill_self)
    for row in range(screen.model.rowCount()):
        screen.table.setCurrentIndex(screen.model.index(row, 0))
        screen.buttons["self"].click()
    assert screen.note.text().startswith("✓ Đã ghi bản tự kiểm điểm")
    assert all(screen.model.data(screen.model.index(r, 1)) == "80,5 · HTTNV"
               for r in range(screen.model.rowCount()))
    assert "8 đã tự kiểm điểm" in screen.state.text()

    # proposals with the vote, row after row by Enter; one refused then mended
    refusals: list[str] = []

    def fill_proposal(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, ProposalDialog)
        name = dialog.sheet.name
        assert dialog.votes["base"].value() == 8         # the voting base, prefilled
        _type_points(dialog, BRANCH if dialog.sheet.member_id is None else SCORES[name])
        if name == REFUSED:
            dialog.grade.setCurrentIndex(dialog.grade.findData(Grade.EXCELLENT.value))
            dialog.grade.activated.emit(dialog.grade.currentIndex())
            dialog.comments.setPlainText("Nhiệt tình, trách nhiệm")
            dialog.all_yes.click()
            _ok(dialog)
            assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
            refusals.append(dialog.general_error.text())
            # nothing typed is lost: the points, the grade chosen, the comments, the vote
            assert "Tổng điểm: 75,0/100" in dialog.total.text()
            assert dialog.scores["tasks"].points() == 51
            assert dialog.grade.currentData() == Grade.EXCELLENT.value
            assert dialog.comments.toPlainText() == "Nhiệt tình, trách nhiệm"
            assert dialog.votes["yes"].value() == 8
            dialog.grade.setCurrentIndex(dialog.grade.findData(Grade.GOOD.value))
        elif name == SECRET:
            dialog.secret.setChecked(True)
            for field, value in (("yes", 6), ("no", 0), ("abstain", 1), ("invalid", 1)):
                dialog.votes[field].setValue(value)
            assert "Đạt" in dialog.vote_note.text()
        else:
            dialog.all_yes.click()
        _ok(dialog)
        assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted, \
            dialog.general_error.text()

    dialogs = _drive(monkeypatch, fill_proposal)
    screen.table.setFocus()
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    for _row in range(screen.model.rowCount()):
        _enter(screen.table)          # Enter opens the proposal; the next row is chosen then
    assert len(dialogs) == 1 + len(NAMES)
    [refusal] = refusals
    assert refusal.startswith("⚠ ") and REFUSED in refusal
    assert "75.0 điểm không thể xếp loại “Hoàn thành xuất sắc nhiệm vụ”" in refusal
    assert "mức đúng là “Hoàn thành tốt nhiệm vụ”" in refusal
    by_name = {r.sheet.name: r for r in screen.model.rows}
    assert screen.model.data(screen.model.index(0, 3)) == "HTTNV"       # the branch
    secret_row = [r.sheet.name for r in screen.model.rows].index(SECRET)
    assert screen.model.data(screen.model.index(secret_row, 4)) == "kín 6/8"
    assert screen.model.data(screen.model.index(secret_row, 3)) == "KHTNV"
    assert by_name[REFUSED].sheet.grade is Grade.GOOD
    assert by_name[REFUSED].sheet.comments == "Nhiệt tình, trách nhiệm"
    assert screen.cap.text() == ("Xuất sắc 1, tối đa 1 (20 % của 6 tốt trở lên, "
                                 "mức chưa xác nhận): trong giới hạn.")

    # the counts shown are the use case's
    summary = review.summary(review.view(ws, 2026))
    assert summary.counts == {"excellent": 1, "good": 5, "fulfilled": 1, "not_fulfilled": 1}
    assert counts_line(summary.counts) in screen.counts.text()
    assert f"Đề nghị {summary.proposed}/{summary.members}: " in screen.counts.text()
    assert f"{ABBREVIATIONS[Grade.GOOD]} 5" in screen.counts.text()

    # held at the December meeting (chosen in the dialog, its day taken)
    def fill_hold(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, HoldDialog)
        assert dialog.meeting.currentData()[0] == "m12"
        assert dialog.day.text() == "18/12/2026"
        _ok(dialog)

    _drive(monkeypatch, fill_hold)
    screen.buttons["hold"].click()
    assert "chi bộ đã họp xét ngày 18/12/2026" in screen.state.text()
    assert screen.buttons["send"].isEnabled() and not screen.buttons["propose"].isEnabled()

    # the collective report, saved and read back; the names prefilled from the meeting
    target = tmp_path / "bao-cao.pdf"

    def fill_papers(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, PapersDialog)
        assert dialog.fields["made_on"].text() == "18/12/2026"
        assert "8/8" in dialog.attendance.text()
        dialog.kind.setCurrentIndex(dialog.kind.findData("report"))
        dialog.fields["secretary"].setText("Nguyễn Văn An")
        dialog.fields["number"].setText("07-BC/CB")
        dialog.save_paper(target)
        assert dialog.note.text() == f"✓ Đã lưu {target}", dialog.error.text()

    _drive(monkeypatch, fill_papers)
    screen.buttons["papers"].click()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert "BÁO CÁO" in text and "07-BC/CB" in text and "Nguyễn Văn An" in text
    assert "Hoàng Văn Em" in text and "77,0" in text

    # sent up, after the confirmation
    asked = answer_boxes(monkeypatch, "Gửi cấp trên")
    screen.buttons["send"].click()
    assert asked and "năm 2026" in asked[0][0] and asked[0][1] == ["Gửi cấp trên", "Huỷ"]
    assert "đã gửi cấp trên" in screen.state.text()
    assert not screen.buttons["reopen"].isEnabled()
    assert review.campaigns(ws)[0].status.value == "sent"


def test_refused_hold_and_a_reopened_campaign(screen: ReviewScreen, small_branch: Workspace,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Held while proposals are missing: refused in the dialog by name; a held campaign
    reopened only after the confirmation."""
    from sotay_desktop.services.review import Votes

    screen.buttons["open"].click()
    kept: list[str] = []

    def fill_hold(dialog: QtWidgets.QDialog) -> None:
        _ok(dialog)
        kept.append(dialog.general_error.text())            # type: ignore[attr-defined]

    _drive(monkeypatch, fill_hold)
    screen.buttons["hold"].click()
    assert "9 trường hợp" in kept[0] and NAMES[0] in kept[0]
    assert "đang kiểm điểm" in screen.state.text()
    for sheet in (*review.view(small_branch, 2026).sheets, None):
        review.propose(small_branch, 2026, None, sheet.member_id if sheet else None,
                       points="75", votes=Votes(yes=8))
    review.hold(small_branch, 2026, None, dt.date(2026, 12, 18))
    screen.load()
    asked = answer_boxes(monkeypatch, None)                 # Esc: nothing happens
    screen.buttons["reopen"].click()
    assert asked and "Mở lại" in asked[0][1] and "đã họp xét" in screen.state.text()
    answer_boxes(monkeypatch, "Mở lại")
    screen.buttons["reopen"].click()
    assert "đang kiểm điểm" in screen.state.text()
    assert screen.note.text() == "✓ Đã mở lại đợt kiểm điểm năm 2026."


def test_the_demos_finished_year(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    screen = window.lazy.named("ReviewScreen")
    screen.year.setValue(2025)
    view = review.view(window.workspace, 2025)
    summary = review.summary(view)
    assert "đã gửi cấp trên (họp xét ngày 20/12/2025)" in screen.state.text()
    assert counts_line(summary.counts) in screen.counts.text()
    assert "Cấp trên (Số " in screen.counts.text()
    assert counts_line(summary.decided) in screen.counts.text()
    assert screen.model.rowCount() == len(view.sheets) + 1
    first = view.sheets[0]
    assert screen.model.data(screen.model.index(1, 0)) == first.name
    assert first.decided_grade is not None
    assert screen.model.data(screen.model.index(1, 5)) == ABBREVIATIONS[first.decided_grade]
    opened = _drive(monkeypatch, lambda d: None)
    screen.table.setCurrentIndex(screen.model.index(1, 0))
    _enter(screen.table)                                   # a sent campaign: no dialog
    assert not opened and "không còn mở" in screen.status.text()
    assert not any(screen.buttons[n].isEnabled() for n in ("self", "propose", "hold", "send"))
    screen.year.setValue(2026)
    assert "đang kiểm điểm" in screen.state.text()
    assert screen.buttons["open"].text().replace("&", "") == "Cập nhật số liệu"


def test_the_models(qtmodeltester: Any, window: Any) -> None:
    screen = window.lazy.named("ReviewScreen")
    screen.year.setValue(2025)
    qtmodeltester.check(screen.model)
    qtmodeltester.check(screen.left_model)
    assert screen.left_model.rowCount() > 0
    words = screen.model.data(screen.model.index(1, 2), QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "Chi bộ chấm" in words and "Biểu quyết: biểu quyết công khai" in words


def test_a_quarter_when_the_policy_enables_quarters(
        screen: ReviewScreen, small_branch: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The period chooser appears once the settings dialog turns quarters on; a quarter's
    campaign is opened apart from the year's."""
    assert not screen.period_box.isVisibleTo(screen)

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        dialog.flags["quarters"].setChecked(True)
        _ok(dialog)

    _drive(monkeypatch, fill)
    screen.buttons["settings"].click()
    assert review.policy(small_branch).quarters and screen.period_box.isVisibleTo(screen)
    screen.quarter.setCurrentIndex(screen.quarter.findData(4))
    assert "Chưa mở đợt kiểm điểm quý 4 năm 2026" in screen.state.text()
    screen.buttons["open"].click()
    assert screen.state.text().startswith("Quý 4 năm 2026: đang kiểm điểm")
    assert [c.period.value for c in review.campaigns(small_branch)] == ["q4"]
