"""The "Học tập" screen through the real widgets (issue 21): reached by Ctrl+H; the plans with
their deadline in words; a plan from above read only, with the note why; the quick answer
grid typed key by key without a mouse (a full row saved with its score, a letter outside a
question's choices refused in words and nothing written, a Telex-marked "â" read as A,
Backspace, a scan that jumps to the member); the survey's tallies refused above those
present; the branch's own plan added and removed."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from PySide6 import QtCore, QtTest, QtWidgets

from sotay_core.domain.study_plan import member_code
from sotay_desktop.db.engine import Database
from sotay_desktop.ui.study.screen import StudyScreen
from sotay_desktop.ui.study.survey_dialog import SurveyDialog
from sotay_desktop.usecases import study
from tests.qt_helpers import answer_boxes
from tests.study_gui_fixtures import NAMES, StudyBranch, make_study_branch

pytestmark = pytest.mark.gui
Key = QtCore.Qt.Key


@pytest.fixture
def branch(branch_db: tuple[Database, str]) -> StudyBranch:
    return make_study_branch(*branch_db)


@pytest.fixture
def window(make_window: Callable[..., Any], branch: StudyBranch) -> Any:
    return make_window(branch.ws, show=True, refresh=True)


@pytest.fixture
def screen(window: Any, branch: StudyBranch) -> StudyScreen:
    found = window.lazy.named("StudyScreen")
    assert isinstance(found, StudyScreen)
    found.select(branch.plan_id)
    return found


def drive(monkeypatch: pytest.MonkeyPatch, fill: Callable[[QtWidgets.QDialog], None]
          ) -> list[QtWidgets.QDialog]:
    seen: list[QtWidgets.QDialog] = []

    def run(self: StudyScreen, dialog: QtWidgets.QDialog) -> bool:
        seen.append(dialog)
        dialog.show()
        fill(dialog)
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(StudyScreen, "run_dialog", run)
    return seen


def key(widget: QtWidgets.QWidget, text: str, code: int = Key.Key_unknown) -> None:
    """One key press as the keyboard (or a Vietnamese input method) sends it."""
    QtTest.QTest.sendKeyEvent(QtTest.QTest.KeyAction.Click, widget, QtCore.Qt.Key(code), text,
                              QtCore.Qt.KeyboardModifier.NoModifier)


def test_ctrl_h_reaches_the_study_screen_and_the_plans_read_in_words(
        window: Any, branch: StudyBranch, qtmodeltester: Any) -> None:
    QtTest.QTest.keyClick(window, Key.Key_H, QtCore.Qt.KeyboardModifier.ControlModifier)
    screen = window.stack.currentWidget()
    assert isinstance(screen, StudyScreen)
    assert window.nav.item(window.nav.currentRow()).toolTip() == "Học tập (Ctrl+H)"
    cells = {screen.plans.data(screen.plans.index(r, 0))
             for r in range(screen.plans.rowCount())}
    assert cells == {
        "Học tập Nghị quyết Đại hội XIV của Đảng\n"
        "chi bộ · còn 25 ngày · đã học 0/6 · 0 bài KT",
        "Quán triệt Chỉ thị 05 của cấp trên\n"
        "cấp trên · QUÁ HẠN 10 ngày · đã học 0/6 · 0 bài KT"}
    qtmodeltester.check(screen.plans)
    qtmodeltester.check(screen.members_tab.model)
    qtmodeltester.check(screen.quiz_tab.model)


def test_a_plan_from_above_is_read_only_with_the_reason_shown(
        screen: StudyScreen, branch: StudyBranch) -> None:
    screen.select(branch.above_id)
    assert screen.view() is not None and screen.view().plan.read_only
    assert screen.read_only.isVisibleTo(screen)
    assert "Cấp trên ban hành nên chi bộ không sửa nội dung" in screen.read_only.text()
    assert "cấp trên, 12-KH/ĐU, Đảng ủy xã Tân Lập · hạn: QUÁ HẠN 10 ngày" in \
        screen.facts.text()
    assert not screen.buttons["edit"].isEnabled() and not screen.buttons["remove"].isEnabled()
    assert "chỉ xem, không sửa" in screen.quiz_tab.questions.toPlainText()
    assert not screen.quiz_tab.edit_button.isVisibleTo(screen.quiz_tab)
    screen.select(branch.plan_id)
    assert not screen.read_only.isVisibleTo(screen) and screen.buttons["edit"].isEnabled()


def test_the_answer_grid_by_keyboard_alone(screen: StudyScreen, branch: StudyBranch) -> None:
    screen.tabs.setCurrentWidget(screen.quiz_tab)
    tab, grid = screen.quiz_tab, screen.quiz_tab.grid
    assert tab.model.rowCount() == 6 and tab.model.columnCount() == 5    # 4, the score
    assert tab.model.headerData(1, QtCore.Qt.Orientation.Vertical) == "2. Trần Thị Bình"
    grid.setFocus()
    assert grid.currentIndex().row() == 0 and grid.currentIndex().column() == 0
    for letter in "ABCA":                       # Q4's right answer is B: 3 of 4
        QtTest.QTest.keyClick(grid, letter)
    first = branch.ids[0]
    saved = study.view(branch.ws, branch.plan_id).member(first)
    assert saved is not None and saved.answers == "ABCA"
    assert saved.score is not None and (saved.score.correct, saved.score.total) == (3, 4)
    assert tab.model.data(tab.model.index(0, 4)) == "3/4 · đạt"
    assert tab.message.text() == "✓ Đã lưu bài của Nguyễn Văn An: 3/4 · đạt."
    assert not tab.message.refused
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 0)   # next member

    # Trần Thị Bình: "1", "b" (digit and lower case), then "D" on question 3 (A–C): refused
    QtTest.QTest.keyClick(grid, "1")
    QtTest.QTest.keyClick(grid, "b")
    QtTest.QTest.keyClick(grid, "D")
    assert tab.message.refused
    assert tab.message.text() == "✗ Câu 3: không có phương án D (chỉ có A–C)."
    assert tab.model.letters[branch.ids[1]] == ["A", "B", "", ""]
    assert grid.currentIndex().column() == 2            # still on question 3
    # Backspace clears question 2 and goes back to it; Telex "â" is read as A
    QtTest.QTest.keyClick(grid, Key.Key_Backspace)
    assert tab.model.letters[branch.ids[1]] == ["A", "", "", ""]
    assert grid.currentIndex().column() == 1
    key(grid, "â")
    assert tab.model.letters[branch.ids[1]] == ["A", "A", "", ""]
    assert "“â” là A" in tab.message.text() and not tab.message.refused
    QtTest.QTest.keyClick(grid, "c")
    QtTest.QTest.keyClick(grid, Key.Key_Space)           # a blank
    line = study.view(branch.ws, branch.plan_id).member(branch.ids[1])
    assert line is not None and line.answers == "AAC-"
    assert line.score is not None and line.score.correct == 2     # A and C right

    # arrows move; Enter on a row saves it as it stands and goes on
    QtTest.QTest.keyClick(grid, Key.Key_Down)
    assert grid.currentIndex().row() == 3
    QtTest.QTest.keyClick(grid, Key.Key_Up)
    QtTest.QTest.keyClick(grid, "A")
    QtTest.QTest.keyClick(grid, Key.Key_Return)
    line = study.view(branch.ws, branch.plan_id).member(branch.ids[2])
    assert line is not None and line.answers == "A---"
    assert grid.currentIndex().row() == 3


def test_a_scanned_sheet_jumps_to_its_member_in_the_grid(
        screen: StudyScreen, branch: StudyBranch) -> None:
    screen.tabs.setCurrentWidget(screen.quiz_tab)
    tab = screen.quiz_tab
    tab.scan.setFocus()
    QtTest.QTest.keyClicks(tab.scan, member_code(branch.unit_id, branch.ids[4]))
    QtTest.QTest.keyClick(tab.scan, Key.Key_Return)
    assert tab.scan.text() == ""
    assert tab.grid.currentIndex().row() == 4 and tab.grid.currentIndex().column() == 0
    assert tab.grid.hasFocus()
    assert tab.message.text() == "✓ Hoàng Văn Em: gõ đáp án từng câu"
    for letter in "BBCB":
        QtTest.QTest.keyClick(tab.grid, letter)
    line = study.view(branch.ws, branch.plan_id).member(branch.ids[4])
    assert line is not None and line.score is not None and line.score.correct == 3
    tab.scan.setFocus()
    QtTest.QTest.keyClicks(tab.scan, member_code("another-branch", branch.ids[4]))
    QtTest.QTest.keyClick(tab.scan, Key.Key_Return)
    assert tab.message.refused and "chi bộ khác" in tab.message.text()
    assert tab.grid.currentIndex().row() == 5      # moved on after the row; not by the scan


def test_a_survey_tally_above_those_present_is_refused(
        screen: StudyScreen, branch: StudyBranch, monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, SurveyDialog)
        dialog.present.setValue(4)
        dialog.spins[0][0].setValue(3)
        dialog.spins[0][1].setValue(2)           # 5 answers to a single-choice question
        assert dialog.check_line.isVisible()
        assert dialog.check_line.refused
        assert dialog.check_line.text() == ("✗ Câu 1: tổng 5 phiếu, nhiều hơn số đảng viên "
                                            "có mặt (4); câu này chỉ chọn một phương án.")
        assert dialog.spins[0][0].property("over_present")
        assert "color: #b3261e" in dialog.spins[0][1].styleSheet()        # shown in red
        dialog.buttons.accepted.emit()
        assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
        assert study.view(branch.ws, branch.plan_id).survey is None or \
            not study.view(branch.ws, branch.plan_id).survey.sheets
        dialog.spins[0][1].setValue(1)
        dialog.spins[1][1].setValue(6)           # several choices, but 6 of 4 present
        assert "Câu 2 B: 6 phiếu" in dialog.check_line.text()
        assert not dialog.spins[0][0].property("over_present")
        dialog.spins[1][1].setValue(4)
        assert not dialog.check_line.isVisible()
        assert dialog.texts[2] is not None
        dialog.texts[2].setPlainText("Đề nghị học buổi tối.")
        dialog.buttons.accepted.emit()

    seen = drive(monkeypatch, fill)
    screen.tabs.setCurrentWidget(screen.survey_tab)
    screen.survey_tab.enter_button.click()
    assert len(seen) == 1 and seen[0].result() == QtWidgets.QDialog.DialogCode.Accepted
    totals = study.view(branch.ws, branch.plan_id).survey
    assert totals is not None and totals.present == 4
    assert totals.tallies[0][:2] == (3, 1) and totals.tallies[1] == (0, 4)
    assert "3 phiếu (75%)" in screen.survey_tab.text.toPlainText()


def test_the_branch_s_own_plan_is_added_and_removed_after_asking(
        screen: StudyScreen, branch: StudyBranch, monkeypatch: pytest.MonkeyPatch) -> None:
    from sotay_desktop.ui.study.plan_dialog import PlanDialog

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, PlanDialog)
        dialog.buttons.accepted.emit()             # no title: refused beside the field
        assert dialog.errors["title"].isVisible()
        dialog.texts["title"].setText("Học tập chuyên đề Bác Hồ năm 2026")
        dialog.dates["due_on"].setText("31/12/2026")
        dialog.buttons.accepted.emit()

    drive(monkeypatch, fill)
    screen.buttons["add"].click()
    titles = [p.title for p in study.plans(branch.ws)]
    assert "Học tập chuyên đề Bác Hồ năm 2026" in titles
    assert screen.view() is not None
    assert screen.view().plan.title == "Học tập chuyên đề Bác Hồ năm 2026"
    asked = answer_boxes(monkeypatch, None)              # Huỷ: nothing removed
    screen.buttons["remove"].click()
    assert len(asked) == 1 and "Học tập chuyên đề Bác Hồ năm 2026" in asked[0][0]
    assert len(study.plans(branch.ws)) == 3
    answer_boxes(monkeypatch, "Xoá")
    screen.buttons["remove"].click()
    assert [p.title for p in study.plans(branch.ws)] == [
        p for p in titles if p != "Học tập chuyên đề Bác Hồ năm 2026"] or len(
        study.plans(branch.ws)) == 2
    assert "Đã xoá kế hoạch" in screen.note.text()


def test_papers_are_saved_from_the_screen(screen: StudyScreen, branch: StudyBranch,
                                          monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Any) -> None:
    from pypdf import PdfReader

    from sotay_desktop.ui.study.papers_dialog import PapersDialog

    made: list[PapersDialog] = []

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, PapersDialog)
        made.append(dialog)
        kinds = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
        assert kinds == ["cards", "sheets", "key", "attendance", "makeup", "results", "survey"]
        dialog.kind.setCurrentIndex(kinds.index("makeup"))
        assert dialog.form.isRowVisible(dialog.rows["large"])
        assert not dialog.form.isRowVisible(dialog.rows["who"])
        dialog.large.setChecked(True)
        dialog.save_paper(tmp_path / "hoc-bu.pdf")
        dialog.kind.setCurrentIndex(kinds.index("sheets"))
        assert dialog.form.isRowVisible(dialog.rows["blank"])
        dialog.save_paper(tmp_path / "phieu.pdf")
        dialog.kind.setCurrentIndex(kinds.index("cards"))
        assert dialog.form.isRowVisible(dialog.rows["who"])
        assert not dialog.row_errors[0].isVisible()      # no empty error line shown
        dialog.who.setCurrentIndex(1)                    # only the member chosen
        dialog.save_paper(tmp_path / "the.pdf")

    drive(monkeypatch, fill)
    screen.members_tab.table.setCurrentIndex(screen.members_tab.model.index(0, 0))
    screen.buttons["papers"].click()
    assert "✓ Đã lưu" in made[0].note.text()
    text = unicodedata.normalize("NFC", " ".join(
        page.extract_text() for page in PdfReader(tmp_path / "hoc-bu.pdf").pages))
    assert all(name in text for name in NAMES)             # nobody has studied yet
    assert len(PdfReader(tmp_path / "phieu.pdf").pages) >= 6       # one sheet per member
    card = unicodedata.normalize("NFC", PdfReader(tmp_path / "the.pdf").pages[0].extract_text())
    assert "Nguyễn Văn An" in card and "Trần Thị Bình" not in card
    screen.select(branch.above_id)                  # no survey: no survey form offered
    drive(monkeypatch, lambda d: made.append(d))    # type: ignore[arg-type]
    screen.buttons["papers"].click()
    last = made[-1]
    assert "survey" not in [last.kind.itemData(i) for i in range(last.kind.count())]


def test_a_study_reminder_on_home_opens_its_plan(window: Any, branch: StudyBranch) -> None:
    window.nav.setCurrentRow(0)
    rows = window.home.reminders.reminders
    found = [i for i, r in enumerate(rows) if r.kind.value == "study_overdue"]
    assert len(found) == 1 and rows[found[0]].ref == branch.above_id
    assert "quá hạn, còn 6 đảng viên chưa học" in window.home.reminders.data(
        window.home.reminders.index(found[0], 1))
    window.home.table.activated.emit(window.home.reminders.index(found[0], 1))
    screen = window.stack.currentWidget()
    assert isinstance(screen, StudyScreen)
    assert screen.view() is not None and screen.view().plan.id == branch.above_id
    assert screen.plan_table.currentIndex().row() == screen.plans.row_of(branch.above_id)
    # shown at its make-up list: the members tab, only those who have not studied
    assert screen.tabs.currentWidget() is screen.members_tab
    assert screen.members_tab.makeup.isChecked()
    # a session recorded: fewer left to study, Home reads again on the broadcast
    study_ids = branch.ids[:4]
    window.runner.op(lambda: study.record_session(branch.ws, branch.above_id,
                                                  held_on="15/11/2026", member_ids=study_ids))
    rows = window.home.reminders.reminders
    left = next(r for r in rows if r.kind.value == "study_overdue")
    assert left.years == 2


def test_the_member_panel_shows_the_year_s_study(window: Any, branch: StudyBranch) -> None:
    an = branch.ids[0]
    study.record_session(branch.ws, branch.plan_id, held_on="12/11/2026", member_ids=[an])
    study.enter_answers(branch.ws, branch.plan_id, an, "ABCB")
    window.nav.setCurrentRow(1)
    window.roster.select_member(an)
    panel = window.roster.panel
    assert panel.study.isVisibleTo(panel)
    text = panel.study.text()
    assert text.startswith("Học tập năm 2026: đã học 1/2 kế hoạch; 15 điểm tích lũy")
    assert ("• Học tập Nghị quyết Đại hội XIV của Đảng: học 12/11/2026; bài kiểm tra "
            "4/4 · đạt; 15 điểm") in text
    assert "• Quán triệt Chỉ thị 05 của cấp trên: chưa học" in text
    # a sheet entered elsewhere: the panel follows the broadcast
    window.runner.op(lambda: study.clear_answers(branch.ws, branch.plan_id, an))
    assert "bài kiểm tra chưa nhập; 10 điểm" in panel.study.text()


def test_the_own_plan_s_questions_are_typed_as_text_and_a_bad_one_is_kept(
        screen: StudyScreen, branch: StudyBranch, monkeypatch: pytest.MonkeyPatch) -> None:
    from sotay_desktop.ui.study.plan_dialog import ContentDialog

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, ContentDialog)
        text = dialog.text.toPlainText()
        assert text.startswith("1. Đại hội XIV của Đảng họp năm nào?\n*A. 2026\nB. 2025")
        bad = text.replace("*B. Có, khi sức khoẻ cho phép", "B. Có, khi sức khoẻ cho phép")
        dialog.text.setPlainText(bad)
        dialog.buttons.accepted.emit()                 # question 4 has no right answer
        assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
        assert "Câu 4 chưa có đáp án đúng" in dialog.errors["text"].text()
        assert dialog.text.toPlainText() == bad        # kept as typed
        dialog.text.setPlainText(bad + "\nĐáp án: A")
        dialog.pass_percent.setValue(75)
        dialog.buttons.accepted.emit()

    drive(monkeypatch, fill)
    screen.tabs.setCurrentWidget(screen.quiz_tab)
    assert screen.quiz_tab.edit_button.isVisibleTo(screen.quiz_tab)
    screen.quiz_tab.edit_button.click()
    quiz = study.view(branch.ws, branch.plan_id).plan.quiz
    assert quiz is not None and quiz.pass_percent == 75
    assert quiz.questions[3].correct_letter == "A"
    assert "Đã lưu câu hỏi" in screen.note.text()


def test_a_row_whose_save_is_refused_stays_as_typed(screen: StudyScreen,
                                                    branch: StudyBranch) -> None:
    screen.tabs.setCurrentWidget(screen.quiz_tab)
    tab, grid = screen.quiz_tab, screen.quiz_tab.grid
    grid.setFocus()
    study.remove_plan(branch.ws, branch.plan_id)      # meanwhile, from the command line
    for letter in "ABCB":
        QtTest.QTest.keyClick(grid, letter)
    first = branch.ids[0]
    assert tab.message.refused and "Chưa lưu được bài của Nguyễn Văn An" in tab.message.text()
    assert tab.model.letters[first] == ["A", "B", "C", "B"] and first in tab.model.drafts
    assert tab.model.data(tab.model.index(0, 4)) == "chưa lưu"


def test_the_tab_key_walks_the_screen_in_reading_order(screen: StudyScreen) -> None:
    order = [screen.plan_table]
    while len(order) < 7:
        order.append(order[-1].nextInFocusChain())
        while not order[-1].focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus:
            order[-1] = order[-1].nextInFocusChain()
    assert order[1:6] == [screen.buttons["add"], screen.buttons["edit"],
                          screen.buttons["remove"], screen.points_button,
                          screen.buttons["papers"]]
    assert order[6] is screen.tabs.tabBar() or order[6] is screen.tabs
    tab = screen.quiz_tab
    walk = [tab.scan]
    for _ in range(2):
        nxt = walk[-1].nextInFocusChain()
        while not (nxt.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus):
            nxt = nxt.nextInFocusChain()
        walk.append(nxt)
    assert walk[1:] == [tab.clear_button, tab.grid]
