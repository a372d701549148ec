"""A member's record of study for the year feeds the annual review (issue 21 §6): the
review's facts count the plans of the period meant for the member, those studied and the
points, read again on refresh; the self-review form (Mẫu 2C) prints them; facts stored
before study existed still read (as none)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sotay_core.domain.review_sheet import YearFacts
from sotay_desktop.db.engine import Database
from sotay_desktop.documents.review_form import render_forms
from sotay_desktop.services.review_facts import facts_from_json, facts_to_json
from sotay_desktop.usecases import review, study
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY
from tests.review_fixtures import campaign, docx_text, info

QUIZ = "1. Câu một\n*A. đúng\nB. sai\n2. Câu hai\nA. sai\nB. đúng *\n"


def test_study_feeds_the_review_facts_and_the_self_review_form(demo_db: Database) -> None:
    ws = Workspace(demo_db, today=lambda: TODAY)
    year = TODAY.year
    study.set_points_rule(ws, '{"per_plan": 10, "per_session": 2, "quiz_passed": 5}')
    review.refresh(ws, year)          # the demo's own plans (issue 21's demo) counted first
    roster = review.view(ws, year).sheets
    first, second, third = (s.member_id for s in roster[:3])
    assert first and second and third
    before = {s.member_id: s.facts for s in roster}

    def counts(facts: YearFacts) -> tuple[int, int, int]:
        return facts.study_plans, facts.study_plans_studied, facts.study_points

    studied, _ = study.add_plan(ws, title="Học Nghị quyết XIV", due_on=dt.date(year, 10, 31))
    study.set_quiz(ws, studied, QUIZ, 50)
    study.record_session(ws, studied, held_on=dt.date(year, 10, 5), member_ids=[first, second])
    study.record_session(ws, studied, held_on=dt.date(year, 10, 20), kind="makeup",
                         member_ids=[first])
    study.enter_answers(ws, studied, first, "AB")       # passed
    study.enter_answers(ws, studied, second, "BA")      # not passed
    missed, _ = study.add_plan(ws, title="Chỉ thị 35", due_on=dt.date(year, 11, 15))
    last_year, _ = study.add_plan(ws, title="Kế hoạch năm trước",
                                  due_on=dt.date(year - 1, 12, 1))
    study.record_session(ws, last_year, held_on=dt.date(year - 1, 11, 1), member_ids=[first])

    review.refresh(ws, year)
    found = {s.member_id: s.facts for s in review.view(ws, year).sheets}

    def added(member_id: str) -> tuple[int, ...]:
        return tuple(a - b for a, b in zip(counts(found[member_id]),
                                           counts(before[member_id]), strict=True))

    assert added(first) == (2, 1, 10 + 2 + 5)
    assert added(second) == (2, 1, 10)
    assert added(third) == (2, 0, 0)
    # the rest of the facts did not move
    assert found[first].meetings_held == before[first].meetings_held
    assert found[first].dues_months_paid == before[first].dues_months_paid

    # the record the member's screen shows is the same
    record = study.member_study(ws, first, year)
    assert (len(record.lines), record.plans_studied, record.total_points) == counts(
        found[first])
    assert {studied, missed} <= {line.plan_id for line in record.lines}
    assert last_year not in {line.plan_id for line in record.lines}

    view = review.view(ws, year)
    text = docx_text(render_forms(view, "docx", info=info(), member_id=first))
    plans, done, points = counts(found[first])
    assert (f"4. Học tập nghị quyết: đã học {done}/{plans} kế hoạch học tập, {points} điểm "
            "tích lũy.") in text
    assert "5. Những việc khác" in text


def test_facts_stored_before_study_read_as_none_and_say_so() -> None:
    old = json.loads(facts_to_json(YearFacts(meetings_held=12, meetings_attended=11)))
    for key in ("study_plans", "study_plans_studied", "study_points"):
        old.pop(key)
    facts = facts_from_json(json.dumps(old))
    assert facts.meetings_held == 12
    assert (facts.study_plans, facts.study_plans_studied, facts.study_points) == (0, 0, 0)
    kept = YearFacts(study_plans=4, study_plans_studied=3, study_points=35)
    assert facts_from_json(facts_to_json(kept)) == kept
    junk = facts_from_json(json.dumps({"study_plans": "4", "study_points": True}))
    assert (junk.study_plans, junk.study_points) == (0, 0)

    view = campaign(3)
    view = view.__class__(**{**{f: getattr(view, f) for f in view.__dataclass_fields__},
                             "sheets": tuple(s.__class__(**{
                                 **{f: getattr(s, f) for f in s.__dataclass_fields__},
                                 "facts": facts}) for s in view.sheets)})
    text = docx_text(render_forms(view, "docx", info=info()))
    assert text.count("4. Học tập nghị quyết: trong năm không có kế hoạch học tập nào.") == 3


def test_the_facts_of_150_members_read_each_plan_once(tmp_path: Path) -> None:
    """The review reads every member's facts on each refresh: the study part of it for 150
    members and 3 plans stays well under a second (each plan read once, not per member)."""
    import time

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.services.demo import create_demo
    from sotay_desktop.services.study_read import period_study

    db = open_database(tmp_path / "big", create=True)
    try:
        with db.sessions.begin() as session:
            create_demo(session, members=150, documents=2, meetings=2, as_of=TODAY)
        ws = Workspace(db, today=lambda: TODAY)
        for n in range(3):
            study.add_plan(ws, title=f"Kế hoạch {n}", due_on=dt.date(TODAY.year, 3 + n, 1))
        unit_id = ws.branch_id()
        with db.reads() as session:
            from sqlalchemy import select

            from sotay_desktop.db.tables import MemberRow
            ids = session.scalars(select(MemberRow.id)).all()
            started = time.perf_counter()
            found = period_study(session, unit_id=unit_id, start=dt.date(TODAY.year, 1, 1),
                                 end=dt.date(TODAY.year, 12, 31), today=TODAY, member_ids=ids)
            took = time.perf_counter() - started
        assert len(found) == len(ids) >= 150
        assert sum(len(r.lines) >= 3 for r in found.values()) >= 100
        assert took < 1.0, took
    finally:
        db.close()
