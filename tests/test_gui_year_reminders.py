"""Home's reminders of the secretary's year open the right screen (issue 20): a candidate's
deadline opens "Kết nạp đảng viên" on that candidate (also when the screen is made and read
in the background), the review's opens "Kiểm điểm" at its year, a late letter opens
"Chuyển sinh hoạt" on the late letters with that member's chosen; Home reads again after a
step of the pipeline."""

from __future__ import annotations

import pytest

from sotay_core.domain.admission import Step
from sotay_core.domain.reminders import Reminder, ReminderKind
from sotay_desktop.ui.candidates.screen import CandidatesScreen
from sotay_desktop.ui.review.screen import ReviewScreen
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.ui.transfers.screen import TransfersScreen
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace
from tests.candidates_support import TODAY, D, new_candidate, officials, walk
from tests.test_year_reminders import CEREMONY_SOON, PROBATION_ENDING

pytestmark = pytest.mark.gui
K = ReminderKind


@pytest.fixture
def year_branch(branch_db):  # type: ignore[no-untyped-def]
    """A branch with a candidate whose ceremony is due, another sorted before them, and this
    year's review campaign open."""
    db, _ = branch_db
    ws = Workspace(db, today=lambda: TODAY)
    sponsors = officials(ws, 3)
    new_candidate(ws, "Nguyễn Văn An")                 # first in the list, nothing due
    due = new_candidate(ws, "Vũ Thị Lễ")
    walk(ws, due, sponsors, until=Step.CEREMONY, days=CEREMONY_SOON)
    ending = new_candidate(ws, "Hồ Ngọc Ơn")           # on probation, ending soon
    walk(ws, ending, sponsors, until=Step.SELF_REVIEW, days=PROBATION_ENDING)
    review.open_campaign(ws, TODAY.year)
    return ws, due, ending


def activate(window, kind: ReminderKind) -> Reminder:  # type: ignore[no-untyped-def]
    rows = window.home.reminders.reminders
    row = next(i for i, r in enumerate(rows) if r.kind is kind)
    window.home.table.activated.emit(window.home.reminders.index(row, 0))
    return rows[row]


def test_a_candidates_deadline_opens_the_candidate(make_window, year_branch) -> None:  # type: ignore[no-untyped-def]
    ws, due, ending = year_branch
    window = make_window(ws, show=True, refresh=True)
    window.nav.setCurrentRow(0)
    reminder = activate(window, K.CANDIDATE_CEREMONY)
    assert reminder.ref == due and reminder.full_name == "Vũ Thị Lễ"
    screen = window.stack.currentWidget()
    assert isinstance(screen, CandidatesScreen)
    assert screen.current() is not None and screen.current().id == due
    assert screen.panel.view is not None and screen.panel.view.id == due
    # the probation reminder of the member the pipeline admitted opens that candidate
    window.nav.setCurrentRow(0)
    rows = window.home.reminders.reminders
    row = next(i for i, r in enumerate(rows) if r.kind is K.PROBATION and r.ref == ending)
    window.home.table.activated.emit(window.home.reminders.index(row, 0))
    assert window.stack.currentWidget() is screen and screen.current().id == ending
    # the review's reminder opens the review at its year
    screen_year = TODAY.year
    window.nav.setCurrentRow(0)
    reminder = activate(window, K.REVIEW_NOT_HELD)
    review_screen = window.stack.currentWidget()
    assert isinstance(review_screen, ReviewScreen)
    assert review_screen.year.value() == screen_year == reminder.years
    assert review_screen.data is not None and review_screen.data.view is not None
    # Home reads again after a step of the pipeline: the ceremony held, its reminder goes
    window.runner.op(lambda: cases.record_step(ws, due, Step.CEREMONY, date=D(2026, 11, 20)))
    assert K.CANDIDATE_CEREMONY not in {r.kind for r in window.home.reminders.reminders}
    # ... and after a review's write that touches no member: last year's campaign opened
    window.runner.op(lambda: review.open_campaign(ws, TODAY.year - 1))
    assert str(TODAY.year - 1) in {r.ref for r in window.home.reminders.reminders}


def test_the_candidate_is_chosen_once_the_screen_has_read(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                          year_branch) -> None:
    ws, due, _ending = year_branch
    runner = TaskRunner()      # real threads: the screen is made now and reads later
    window = make_window(ws, runner, show=True)
    with qtbot.waitSignal(window.reminders_loaded, timeout=10_000):
        window.refresh()
    window.nav.setCurrentRow(0)
    activate(window, K.CANDIDATE_CEREMONY)
    screen = window.stack.currentWidget()
    assert isinstance(screen, CandidatesScreen)
    qtbot.waitUntil(lambda: screen.current() is not None and screen.current().id == due,
                    timeout=10_000)
    runner.wait()


def test_a_late_letter_opens_the_late_letters(window) -> None:  # type: ignore[no-untyped-def]
    window.nav.setCurrentRow(0)
    reminder = activate(window, K.TRANSFER_LATE)
    screen = window.stack.currentWidget()
    assert isinstance(screen, TransfersScreen)
    assert screen.filter.currentData() == "late"
    assert screen.model.rows and all(v.late for v in screen.model.rows)
    chosen = screen.selected()
    assert chosen is not None and chosen.member_id == reminder.member_id


def test_every_reminder_is_whole_at_200_percent_type(make_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    """At 200 % type on the 1366×768 screen no name or reminder is cut: each cell's words fit
    in its column, wrapped onto as many lines as the row is tall."""
    from PySide6 import QtCore, QtGui, QtWidgets

    from sotay_desktop.ui.display import apply_ui_scale

    app = QtWidgets.QApplication.instance()
    apply_ui_scale(app, 2.0, app.font().pointSizeF())
    window = make_window(demo_db, scale=2.0)
    window.resize(1366, 768)
    window.show()
    window.refresh()
    window.nav.setCurrentRow(0)
    table, model = window.home.table, window.home.reminders
    assert model.rowCount() > 10
    for column in (1, 2):
        width = table.columnWidth(column) - 8        # the cell's margins
        for row in range(model.rowCount()):
            index = model.index(row, column)
            text = index.data()
            metrics = QtGui.QFontMetrics(index.data(QtCore.Qt.ItemDataRole.FontRole)
                                         or table.font())
            needed = metrics.boundingRect(QtCore.QRect(0, 0, width, 10_000),
                                          QtCore.Qt.TextFlag.TextWordWrap, text)
            assert needed.width() <= width, (text, width)
            assert needed.height() <= table.rowHeight(row), (text, table.rowHeight(row))
