"""Home's reminders of the secretary's year read from a branch's records (issue 20): each
candidate's next deadline as the admission pipeline works it out (a certificate running out
before the branch resolution, the ceremony after the decision; the full-membership review
after probation is the member's own probation reminder, opening the candidate), the review's
campaign open, held, sent, and December without one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sotay_core.domain.admission import Step
from sotay_core.domain.reminders import ReminderKind
from sotay_desktop.db.engine import Database
from sotay_desktop.usecases import branch, review
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace
from tests.candidates_support import TODAY, D, new_candidate, officials, walk

K = ReminderKind
CEREMONY_SOON = {Step.OUTSTANDING: D(2026, 5, 4), Step.TRAINING: D(2026, 5, 11),
                 Step.APPLICATION: D(2026, 6, 1), Step.BACKGROUND: D(2026, 6, 2),
                 Step.SPONSORS: D(2026, 7, 1), Step.MASS_COMMENTS: D(2026, 8, 3),
                 Step.BRANCH_RESOLUTION: D(2026, 9, 1), Step.DECISION: D(2026, 11, 2)}
PROBATION_ENDING = {Step.OUTSTANDING: D(2025, 5, 5), Step.TRAINING: D(2025, 5, 12),
                    Step.APPLICATION: D(2025, 6, 2), Step.BACKGROUND: D(2025, 6, 3),
                    Step.SPONSORS: D(2025, 7, 1), Step.MASS_COMMENTS: D(2025, 8, 1),
                    Step.BRANCH_RESOLUTION: D(2025, 9, 2), Step.DECISION: D(2025, 11, 17),
                    Step.CEREMONY: D(2025, 12, 1)}
CERTIFICATE_OLD = {Step.OUTSTANDING: D(2021, 12, 1), Step.TRAINING: D(2021, 12, 10),
                   Step.APPLICATION: D(2026, 10, 1), Step.BACKGROUND: D(2026, 10, 2),
                   Step.SPONSORS: D(2026, 10, 5), Step.MASS_COMMENTS: D(2026, 10, 20)}


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    db, _ = branch_db
    yield Workspace(db, today=lambda: TODAY)


def year_kinds(found: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    mine = {k for k in K if k.value.startswith(("candidate_", "review_"))}
    return [(r.kind.value, r.full_name) for r in found
            if r.kind in mine or (r.kind is K.PROBATION and r.ref)]


def test_each_candidates_next_deadline_is_on_home(ws: Workspace) -> None:
    sponsors = officials(ws, 4)
    ceremony = new_candidate(ws, "Vũ Thị Lễ")
    walk(ws, ceremony, sponsors, until=Step.CEREMONY, days=CEREMONY_SOON)
    ending = new_candidate(ws, "Hồ Ngọc Ơn")
    walk(ws, ending, sponsors, until=Step.SELF_REVIEW, days=PROBATION_ENDING)
    expiring = new_candidate(ws, "Đinh Văn Hạn")
    walk(ws, expiring, sponsors, until=Step.BRANCH_RESOLUTION, days=CERTIFICATE_OLD)
    far = new_candidate(ws, "Mai Văn Xa")
    walk(ws, far, sponsors, until=Step.APPLICATION, days=CEREMONY_SOON)   # valid to 2031
    found = branch.reminders(ws)
    assert year_kinds(found) == [
        ("probation", "Hồ Ngọc Ơn"),                 # the members' own reminders first
        ("candidate_certificate", "Đinh Văn Hạn"),   # last valid day 09/12/2026
        ("candidate_ceremony", "Vũ Thị Lễ"),         # 30 working days from 02/11/2026
    ]
    [probation] = [r for r in found if r.kind is K.PROBATION and r.ref]   # ends 01/12/2026
    by_ref = {r.ref: r for r in found if r.ref}
    views = {cid: cases.candidate(ws, cid) for cid in (ceremony, ending, expiring)}
    for cid in (ceremony, expiring):       # the same day the candidates screen shows
        deadline = views[cid].summary.next_deadline
        assert deadline is not None and by_ref[cid].due == deadline.due
    assert by_ref[ceremony].due == D(2026, 12, 14) and not by_ref[ceremony].overdue
    assert by_ref[expiring].due == D(2026, 12, 9)
    # the member the ceremony made has one line: the probation reminder (the end of the 12
    # months), opening the candidate, where the full-membership resolution is recorded
    member = views[ending].summary.member_id
    assert (probation.member_id, probation.ref, probation.full_name, probation.due) == (
        member, ending, "Hồ Ngọc Ơn", D(2026, 12, 1))
    assert [r.member_id for r in found].count(member) == 1
    assert "candidate_official" not in {k for k, _n in year_kinds(found)}
    # once the ceremony is held, its reminder goes
    cases.record_step(ws, ceremony, Step.CEREMONY, date=D(2026, 11, 20))
    assert "candidate_ceremony" not in {k for k, _n in year_kinds(branch.reminders(ws))}


def test_the_annual_review_is_reminded_until_it_is_sent(ws: Workspace) -> None:
    officials(ws, 3)
    assert not year_kinds(branch.reminders(ws))               # November, no campaign
    december = Workspace(ws.db, today=lambda: D(2026, 12, 3))
    assert year_kinds(branch.reminders(december)) == [("review_not_opened", "Năm 2026")]
    review.open_campaign(december, 2026)
    [open_] = [r for r in branch.reminders(december) if r.kind.value.startswith("review_")]
    assert (open_.kind, open_.due, open_.ref, open_.overdue) == (
        K.REVIEW_NOT_HELD, D(2026, 12, 31), "2026", False)
    for entry in review.view(december, 2026).sheets:
        review.propose(december, 2026, None, entry.member_id, points="80")
    review.propose(december, 2026, None, None, points="80")
    review.hold(december, 2026, None, D(2026, 12, 3))
    assert year_kinds(branch.reminders(december)) == [("review_not_sent", "Năm 2026")]
    review.send(december, 2026)
    assert year_kinds(branch.reminders(december)) == []
    january = Workspace(ws.db, today=lambda: D(2027, 1, 5))
    assert year_kinds(branch.reminders(january)) == []
