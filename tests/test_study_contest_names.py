"""Names go up only for a contest the branch secretaries take (issue 21: "only counts go up
for members"; attack). A contest plan aimed at every member (the level above or the branch
may make one) used to send every member's name and score to the province: the PC now sends
counts only for it, and the province refuses names on it as on a study plan."""

from __future__ import annotations

from sotay_core.domain import study_figures, study_rules
from sotay_core.domain.study_figures import NamedResult, StudyFigures
from sotay_desktop.usecases import study
from tests.test_study_codes import PLAN
from tests.test_study_service import QUIZ, _plan, _report, branch

__all__ = ["branch"]


def test_a_contest_for_every_member_sends_counts_only(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    contest = _plan(ws, kind="contest", audience="all")
    study.set_quiz(ws, contest, QUIZ)
    study.enter_answers(ws, contest, ids["an"], "BAA")
    study.enter_answers(ws, contest, ids["binh"], "BBB")
    report = _report(ws, contest)
    assert report["quiz_sat"] == 2 and report["named"] == []


def test_the_province_takes_names_only_on_a_secretaries_contest() -> None:
    named = StudyFigures(named=(NamedResult("Nguyễn Văn An", 1, 2),), histogram=(0, 0, 0))
    text = {"figures": study_figures.to_json(named)}
    assert study_rules.report_fits(text, {**PLAN, "kind": "contest",
                                          "audience": "secretary"})
    for audience in ("all", "statuses"):
        assert not study_rules.report_fits(text, {**PLAN, "kind": "contest",
                                                  "audience": audience})
    assert study_figures.names_go_up("contest", "secretary")
    assert not study_figures.names_go_up("study", "secretary")
