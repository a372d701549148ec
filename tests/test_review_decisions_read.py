"""The level above's decisions on the annual review (``review_decisions``, pulled down) are
read in one place, ``services.review_history``: the review screen's sheets and papers
(``review_read.campaign_view``), a member's reviews and the member panel agree on the
decision in force on an entry decided twice (the latest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from sotay_core.domain.review import Grade
from sotay_desktop.db.engine import Database
from sotay_desktop.db.year_tables import ReviewDecisionRow, ReviewEntryRow
from sotay_desktop.services import review_history
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace
from tests.candidates_support import TODAY, D, officials


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    db, _ = branch_db
    yield Workspace(db, today=lambda: TODAY)


def test_the_latest_decision_is_the_one_in_force_for_every_reader(ws: Workspace) -> None:
    """The review screen's sheet, a member's reviews and the member panel read the pulled
    decisions through one function: on an entry decided twice, the latest wins for all."""
    [member, *_] = officials(ws, 3)
    campaign_id, _, _ = review.open_campaign(ws, 2026)
    review.propose(ws, 2026, None, member, points="80")
    with ws.db.sessions.begin() as s:   # as the pull writes them
        entry = s.scalars(select(ReviewEntryRow.id).where(
            ReviewEntryRow.member_id == member)).one()
        for row_id, grade, number, day in (("d2", "excellent", "50-QĐ/ĐU", D(2027, 1, 20)),
                                           ("d1", "good", "45-QĐ/ĐU", D(2027, 1, 15))):
            s.add(ReviewDecisionRow(id=row_id, entry_id=entry, campaign_id=campaign_id,
                                    member_id=member, grade=grade, number=number,
                                    decided_on=day))
    sheet = next(s for s in review.view(ws, 2026).sheets if s.member_id == member)
    assert (sheet.decided_grade, sheet.decision) == (Grade.EXCELLENT, "50-QĐ/ĐU")
    [mine] = review.member_reviews(ws, member)
    assert (mine.decided_grade, mine.decision, mine.decided_on) == (
        Grade.EXCELLENT, "50-QĐ/ĐU", D(2027, 1, 20))
    with ws.db.reads() as s:
        by_entry = review_history.campaign_decisions(s, campaign_id)
        history = review_history.member_grades(s, member)
    assert by_entry[entry].number == "50-QĐ/ĐU"
    assert [g.number for g in history] == ["50-QĐ/ĐU", "45-QĐ/ĐU"]   # the history keeps both
