"""The study screen's survey entries and points rule (issue 21): a survey count entered by
mistake is removed from the survey tab after asking (Huỷ keeps it; the totals are worked out
again without it); the general points rule is read into "Điểm tích lũy…", changed and saved,
and a refused save is shown in the dialog with what was typed kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6 import QtWidgets

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study_plan import PointsRule
from sotay_desktop.db.engine import Database
from sotay_desktop.ui import display
from sotay_desktop.ui.study.points_dialog import PointsDialog
from sotay_desktop.ui.study.screen import StudyScreen
from sotay_desktop.usecases import study
from tests.qt_helpers import answer_boxes
from tests.study_gui_fixtures import StudyBranch, make_study_branch
from tests.test_gui_large_type import _check, large  # noqa: F401  (the fixture)
from tests.test_gui_study import drive
from tests.test_gui_study_large import screen as large_screen  # noqa: F401  (the fixture)

pytestmark = pytest.mark.gui


@pytest.fixture
def branch(branch_db: tuple[Database, str]) -> StudyBranch:
    made = make_study_branch(*branch_db)
    for day, present, first in ((dt.date(2026, 11, 5), 3, (2, 1, 0)),
                                (dt.date(2026, 11, 12), 2, (1, 1, 0))):
        study.enter_survey(made.ws, made.plan_id, collected_on=day, present=present,
                           tallies=[list(first), [1, 1], []])
    return made


@pytest.fixture
def screen(make_window: Callable[..., Any], branch: StudyBranch) -> StudyScreen:
    window = make_window(branch.ws, show=True, refresh=True)
    found = window.lazy.named("StudyScreen")
    assert isinstance(found, StudyScreen)
    found.select(branch.plan_id)
    return found


def test_a_survey_entry_is_removed_after_asking(screen: StudyScreen, branch: StudyBranch,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tab = screen.survey_tab
    screen.tabs.setCurrentWidget(tab)
    lines = [tab.counts.item(r).text() for r in range(tab.counts.count())]
    assert lines == ["05/11/2026: 3 người có mặt", "12/11/2026: 2 người có mặt"]
    assert not tab.remove_button.isEnabled()           # nothing chosen yet
    tab.counts.setCurrentRow(1)
    assert tab.remove_button.isEnabled() and tab.remove_button.isVisible()
    asked = answer_boxes(monkeypatch, None)             # Huỷ: kept
    tab.remove_button.click()
    assert len(asked) == 1 and "12/11/2026" in asked[0][0] and "Xoá" in asked[0][1]
    assert len(study.survey_counts(branch.ws, branch.plan_id)) == 2
    answer_boxes(monkeypatch, "Xoá")
    tab.remove_button.click()
    left = study.survey_counts(branch.ws, branch.plan_id)
    assert [(c.collected_on, c.present) for c in left] == [(dt.date(2026, 11, 5), 3)]
    totals = study.view(branch.ws, branch.plan_id).survey
    assert totals is not None and totals.present == 3 and totals.tallies[0][:2] == (2, 1)
    assert [tab.counts.item(r).text() for r in range(tab.counts.count())] == [
        "05/11/2026: 3 người có mặt"]
    assert "Đã xoá lần nhập số phiếu ngày 12/11/2026" in screen.note.text()


def test_the_points_rule_is_changed_from_the_screen(screen: StudyScreen, branch: StudyBranch,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    study.set_points_rule(branch.ws, PointsRule(per_plan=8, per_session=1, quiz_passed=4))
    seen_values: list[tuple[int, ...]] = []

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, PointsDialog)
        seen_values.append(tuple(s.value() for s in dialog.spins.values()))
        spin = dialog.spins["per_session"]
        spin.setValue(5000)                              # above the range: kept at 1000
        assert spin.value() == 1000 and spin.minimum() == 0
        dialog.spins["per_plan"].setValue(12)
        dialog.spins["per_session"].setValue(2)
        dialog.spins["quiz_passed"].setValue(0)
        dialog.buttons.accepted.emit()

    drive(monkeypatch, fill)
    assert screen.points_button.isVisible() and screen.points_button.isEnabled()
    screen.points_button.click()
    assert seen_values == [(8, 1, 4)]                    # the current rule, not the defaults
    assert study.points_rule(branch.ws) == PointsRule(per_plan=12, per_session=2,
                                                      quiz_passed=0)
    assert "học kế hoạch 12, mỗi buổi thêm 2, bài kiểm tra đạt 0" in screen.note.text()


def test_a_refused_points_save_is_shown_in_the_dialog(screen: StudyScreen, branch: StudyBranch,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_ws: Any, _rule: Any) -> Any:
        raise ValidationError("study.points_range")

    monkeypatch.setattr(study, "set_points_rule", refuse)
    kept: list[PointsDialog] = []

    def fill(dialog: QtWidgets.QDialog) -> None:
        assert isinstance(dialog, PointsDialog)
        dialog.spins["per_plan"].setValue(30)
        dialog.buttons.accepted.emit()
        kept.append(dialog)

    drive(monkeypatch, fill)
    screen.points_button.click()
    dialog = kept[0]
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.general_error.isVisible() and "1000" in dialog.general_error.text()
    assert dialog.spins["per_plan"].value() == 30        # what was typed stays
    assert study.points_rule(branch.ws) == PointsRule()  # nothing written
    dialog.reject()


@pytest.mark.parametrize("large", [True], ids=["high-contrast"], indirect=True)
def test_the_entries_and_the_points_dialog_fit_at_200_percent(
        large_screen: StudyScreen, large: QtWidgets.QApplication) -> None:  # noqa: F811
    screen, problems = large_screen, []
    with_counts = [p for p in screen.plans.rows
                   if study.survey_counts(screen.workspace, p.id)]
    assert with_counts, "the demo has a plan with survey counts entered"
    screen.select(with_counts[0].id)
    screen.tabs.setCurrentWidget(screen.survey_tab)
    screen.survey_tab.counts.setCurrentRow(0)
    assert screen.survey_tab.counts.count() >= 1 and screen.survey_tab.remove_button.isEnabled()
    problems += _check(screen.window(), large, "survey tab with its entries")
    dialog = PointsDialog(screen.workspace, screen.runner, study.points_rule(screen.workspace),
                          screen)
    dialog.show()
    display.fit_to_screen(dialog)
    problems += _check(dialog, large, "points dialog")
    dialog.close()
    assert not problems, "\n".join(problems)
