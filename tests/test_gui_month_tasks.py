"""The tasks tab, the score tab and the review in the minutes tab of the meetings screen
(issue 19), through the real widgets on the demo branch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6 import QtWidgets

from sotay_core.domain.entities import TaskStatus
from sotay_desktop.ui.meetings.score_tab import SchemeDialog, ScoreTab
from sotay_desktop.usecases import meeting_scores, papers, tasks

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 22)


def test_tasks_tab_lists_recent_tasks_and_saves_an_edit(qtmodeltester, meetings_screen) -> None:  # type: ignore[no-untyped-def]
    tab = meetings_screen.task_list
    meetings_screen.tabs.setCurrentWidget(tab)
    qtmodeltester.check(tab.model)
    assert tab.model.rowCount() >= 9            # three tasks per resolution, six months
    assert "quá hạn" in tab.summary.text()
    row = next(i for i, t in enumerate(tab.model.rows)
               if t.status is TaskStatus.NOT_STARTED)
    task = tab.model.row_at(row)
    tab.table.setCurrentIndex(tab.model.index(row, 0))
    assert tab.due.text() == task.due_on.strftime("%d/%m/%Y")   # type: ignore[union-attr]
    tab.status.setCurrentIndex(tab.status.findData("done"))
    tab.notes.setText("Đã xong trước hạn")
    tab.notes.returnPressed.emit()              # Enter in a field saves
    saved = next(t for t in tab.model.rows if t.id == task.id)
    assert (saved.status, saved.notes, saved.done_on) == (TaskStatus.DONE, "Đã xong trước hạn",
                                                          TODAY)
    assert tab.current_id() == task.id          # the selection stays on the task
    assert "Đã lưu nhiệm vụ" in tab.done_note.text()

    tab.due.setText("31/13/2026")               # bad date: said beside the field
    tab.save_button.click()
    assert "31/13/2026" in tab.errors["due_on"].text()
    assert next(t for t in tab.model.rows if t.id == task.id).due_on == saved.due_on

    tab.open_only.setChecked(True)              # done and carried over drop out
    assert all(t.status not in (TaskStatus.DONE, TaskStatus.CARRIED_OVER)
               for t in tab.model.rows)
    assert task.id not in {t.id for t in tab.model.rows}


def test_minutes_tab_shows_last_months_review(meetings_screen) -> None:  # type: ignore[no-untyped-def]
    review = meetings_screen.minutes.review.toPlainText().splitlines()
    assert review[0].startswith("Thực hiện Nghị quyết số") and len(review) == 4
    assert review[1].startswith("1. ") and "Phụ trách:" in review[1]
    meetings_screen.minutes.review.setPlainText("Các nhiệm vụ tháng trước đều hoàn thành.")
    meetings_screen.minutes.save_button.click()
    assert meetings_screen.sheet.data.review == ("Các nhiệm vụ tháng trước đều hoàn thành.",)


def test_score_tab_fills_scores_and_prints_in_the_minutes(qtbot, meetings_screen,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    tab: ScoreTab = meetings_screen.score
    meetings_screen.tabs.setCurrentWidget(tab)
    assert tab.form is not None and not tab.form.saved   # the latest meeting: not scored
    assert set(tab.spins) == {"preparation", "order", "minutes", "conclusion"}
    filled = tab.form.sheet.total
    for spin in tab.spins.values():
        spin.setValue(spin.maximum())
    expected = filled + 15 + 15 + 10 + 20
    assert f"{expected}/100" in tab.total.text()
    tab.save_button.click()
    assert tab.form.saved and tab.form.sheet.total == expected
    workspace = meetings_screen.workspace
    scores = meeting_scores.year_scores(workspace, 2026)
    assert scores[-1].meeting_id == meetings_screen.sheet.meeting_id
    assert scores[-1].total == expected
    grade = scores[-1].grade
    out = tmp_path / "bien-ban.pdf"
    papers.save_meeting_paper(workspace, meetings_screen.sheet.meeting_id, "minutes", "pdf", out)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert f"đạt {expected}/100 điểm, xếp loại {grade}" in text
    assert "Kiểm điểm việc thực hiện nghị quyết tháng trước" in text


def test_scheme_dialog_refuses_a_bad_scheme_and_puts_the_default_back(  # type: ignore[no-untyped-def]
        meetings_screen, monkeypatch) -> None:
    tab: ScoreTab = meetings_screen.score
    seen: list[SchemeDialog] = []

    def run(self, dialog: SchemeDialog) -> bool:  # type: ignore[no-untyped-def]
        seen.append(dialog)
        dialog.text.setPlainText('{"name": "x", "criteria": [], "grades": []}')
        dialog.buttons.accepted.emit()
        assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
        assert "mã tiêu chí" in dialog.errors["scheme"].text()
        text = dialog.text.toPlainText().replace('"criteria": []', (
            '"criteria": [{"code": "all", "label": "Tất cả", "max": 10}]')).replace(
            '"grades": []', '"grades": [{"code": "ok", "label": "Đạt", "min": 0}]')
        dialog.text.setPlainText(text)
        dialog.buttons.accepted.emit()
        return dialog.result() == QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(ScoreTab, "run_dialog", run)
    tab.edit_scheme()
    assert seen and set(tab.spins) == {"all"}
    assert "/10" in tab.total.text()
    meeting_scores.set_scheme(meetings_screen.workspace, None)
    assert tasks.recent_tasks(meetings_screen.workspace)   # still readable


def test_overdue_tasks_on_home_and_a_members_tasks_on_the_panel(window) -> None:  # type: ignore[no-untyped-def]
    home = window.home
    chosen = next(t for t in tasks.tasks(window.workspace) if t.responsible_id)
    tasks.update_task(window.workspace, task_id=chosen.id,   # behind the window's back
                      fields={"due_on": "01/11/2026", "status": "in_progress"})
    home.reload()
    late = [r for r in home.reminders.reminders if r.kind.value == "task_overdue"]
    assert late and all(r.due < TODAY and r.overdue for r in late)
    row = home.reminders.reminders.index(late[0])
    assert home.reminders.index(row, 1).data() == "Nhiệm vụ nghị quyết quá hạn"
    assert home.reminders.index(row, 2).data() == late[0].full_name   # task (person)
    task = next(t for t in tasks.tasks(window.workspace, overdue=True) if t.id == chosen.id)
    assert f"{task.text} ({task.responsible})" in [r.full_name for r in late]
    # done in the tasks tab: off Home at once
    tab = window.meetings.task_list
    tab.load()
    tab.table.setCurrentIndex(tab.model.index(
        next(i for i, t in enumerate(tab.model.rows) if t.id == task.id), 0))
    tab.status.setCurrentIndex(tab.status.findData("done"))
    tab.save_button.click()
    assert task.id not in {t.id for t in tasks.tasks(window.workspace, overdue=True)}
    assert len([r for r in home.reminders.reminders if r.kind.value == "task_overdue"]) \
        == len(late) - 1
    window.show_member(task.responsible_id)
    text = window.roster.panel.tasks.text()
    assert text.startswith("Nhiệm vụ được giao")
    assert f"• {task.text} ({task.resolution_number}" in text and "Đã hoàn thành" in text
