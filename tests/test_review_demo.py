"""The demo branch's reviews (services/demo_review.py) obey the rules the use cases enforce:
last year's is sent with a proposal on every entry whose grade is the one the points and
conditions give, every vote passes, the "excellent" within the cap, the per-criterion points
add up, and a decision per entry; this year's is open, with a few self-reviews and no
proposal yet, and reviews the members the policy says."""

from __future__ import annotations

from sotay_core.domain.review import (
    CampaignStatus,
    Proposal,
    check_excellent_cap,
    grade_for,
    passes,
    total,
)
from sotay_desktop.db.engine import Database
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace
from tests.templates import TODAY


def test_the_demo_holds_a_finished_and_an_open_review(demo_db: Database) -> None:
    ws = Workspace(demo_db, today=lambda: TODAY)
    listed = review.campaigns(ws)
    assert [(c.year, c.status) for c in listed] == [
        (TODAY.year, CampaignStatus.OPEN), (TODAY.year - 1, CampaignStatus.SENT)]
    last = review.view(ws, TODAY.year - 1)
    assert last.held_on is not None and last.held_on.year == TODAY.year - 1
    assert len(last.sheets) > 20 and last.branch is not None
    for sheet in [*last.sheets, last.branch]:
        assert sheet.points is not None and sheet.grade is not None, sheet.name
        assert sheet.grade is grade_for(sheet.points, last.scheme,
                                        disciplined=sheet.facts.disciplined,
                                        tasks_on_time=sheet.facts.tasks_on_time), sheet.name
        assert sheet.tally is not None and passes(sheet.tally, last.scheme)
        assert sheet.decided_grade is sheet.grade and sheet.decision
    for sheet in last.sheets:
        assert total(sheet.scores, last.scheme) == sheet.points
        assert sheet.self_points is not None and sheet.self_text
    check_excellent_cap([Proposal(s.name, s.points or 0, s.grade)  # type: ignore[arg-type]
                         for s in last.sheets], last.scheme)

    now = review.view(ws, TODAY.year)
    left = review.left_out(ws, TODAY.year)
    assert left and not {p.member_id for p in left} & {s.member_id for s in now.sheets}
    assert all(s.grade is None for s in now.sheets)
    assert 1 <= sum(s.self_points is not None for s in now.sheets) <= 4
    assert any(s.facts.tasks for s in now.sheets) and any(s.facts.dues_months_paid
                                                          for s in now.sheets)
    # marked at the year's meetings (not those away on a temporary transfer)
    assert sum(s.facts.meetings_held > 0 for s in now.sheets) > len(now.sheets) * 3 // 4
    summary = review.summary(last)
    assert summary.proposed == summary.members == len(last.sheets)
    assert summary.decided == summary.counts
