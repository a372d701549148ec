"""A modified branch PC pushing study reports that lie (issue 21, attack): each is refused
with ``code:field`` and the province's pages, XLSX and PDF of the plan still open with the
branch's last true figures. Of what was tried, the ones the server let through before: a
written answer or a contest name holding a control character (openpyxl refused the cell:
the plan's XLSX answered 500 for every commune above the branch), sheets claimed without
their distribution, and a number passed that the distribution denies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sotay_core.domain import study_figures
from sotay_core.domain.ids import new_id
from tests.province.study_support import B1, contest_figures, plan, report
from tests.province.support import login, text_of

pytestmark = pytest.mark.server


def _lie(**changes: Any) -> str:
    return json.dumps(study_figures.to_dict(B1) | changes, ensure_ascii=False)


LIES = {
    "control character in a written answer": (
        _lie(survey_texts=["", "", "Ý kiến \u0001 lạ\u0000"]), "invalid_value:figures"),
    "studied above targeted": (_lie(studied=4), "invalid_value:figures"),
    "900 sheets, no distribution": (
        _lie(quiz_sat=900, quiz_passed=900, histogram=[], question_correct=[]),
        "invalid_value:figures"),
    "passed denied by the distribution": (_lie(quiz_passed=2), "invalid_value:figures"),
    "tallies above the present": (
        _lie(survey_tallies=[[3, 0, 0], [2, 1], []]), "invalid_value:figures"),
    "names on a study plan": (
        _lie(named=[{"name": "Nguyễn Văn An", "correct": 3, "total": 3}]),
        "invalid_value:figures"),
    "deeply nested": ("[" * 100_000 + "]" * 100_000, "invalid_value:figures"),
    "a megabyte": (_lie(survey_texts=["", "", "x" * 1_000_000]), "too_long:figures"),
}


def test_lying_reports_are_refused_and_the_plans_pages_still_open(env: dict[str, Any]
                                                                   ) -> None:
    c, ids, branches = env["client"], env["ids"], env["branches"]
    b1 = branches[ids["b1"]]
    plan_id = plan(env, ids["c1"])
    row_id = new_id()
    first = report(b1, plan_id, B1, row_id)
    assert first["status"] == "applied"
    version, true = first["version"], study_figures.to_json(B1)
    for label, (figures, reason) in LIES.items():
        got = b1.update("study_reports", row_id, version, {"figures": [true, figures]})
        assert (got["status"], got["reason"]) == ("rejected", reason), label
    # the queue moves on: a true change after the lies is applied
    better = study_figures.to_json(study_figures.StudyFigures(
        **{**study_figures.to_dict(B1), "histogram": (0, 1, 0, 1), "studied": 3,
           "question_correct": (2, 1, 1), "survey_tallies": ((1, 1, 0), (2, 1), ()),
           "survey_texts": ("", "", "Học buổi tối\nin chữ to"), "named": ()}))
    assert b1.update("study_reports", row_id, version,
                     {"figures": [true, better]})["status"] == "applied"
    login(c)
    page = c.get(f"/province/study/{plan_id}")
    assert page.status_code == 200
    assert "1/2 chi bộ đã báo cáo · 3/3 đảng viên đã học (100 %)" in text_of(page.text)
    for fmt in ("xlsx", "pdf"):
        got = c.get(f"/province/study/{plan_id}/download?format={fmt}")
        assert got.status_code in (200, 503), (fmt, got.status_code)


def test_a_contest_name_with_a_control_character_is_refused(env: dict[str, Any]) -> None:
    c, ids, branches = env["client"], env["ids"], env["branches"]
    plan_id = plan(env, ids["c1"], kind="contest", audience="secretary", survey="")
    figures = study_figures.to_dict(contest_figures("Bí thư\u0007 Lò Văn A", 3))
    got = report(branches[ids["b1"]], plan_id, json.dumps(figures, ensure_ascii=False))
    assert (got["status"], got["reason"]) == ("rejected", "invalid_value:figures")
    assert report(branches[ids["b1"]], plan_id,
                  contest_figures("Lò Văn A", 3))["status"] == "applied"
    login(c)
    assert c.get(f"/province/study/{plan_id}/download?format=xlsx").status_code == 200


def test_a_report_cannot_be_moved_onto_another_plan(env: dict[str, Any]) -> None:
    """A report's plan is its natural key: the duplicate check ran on a create only, so an
    update moving a report onto another plan left two live reports of the branch there."""
    ids, b1 = env["ids"], env["branches"][env["ids"]["b1"]]
    first, second = plan(env, ids["c1"]), plan(env, ids["c1"], title="Kế hoạch thứ hai")
    one, two = new_id(), new_id()
    sent = report(b1, first, B1, one)
    assert report(b1, second, B1, two)["status"] == "applied"
    got = b1.update("study_reports", one, sent["version"], {"plan_id": [first, second]})
    assert (got["status"], got["reason"]) == ("rejected", "invalid_value:plan_id")
    fewer = study_figures.to_json(study_figures.StudyFigures(targeted=3, studied=1))
    got = b1.update("study_reports", one, sent["version"],
                    {"figures": [study_figures.to_json(B1), fewer]})
    assert got["status"] == "applied", got                        # the queue moves on
