"""The level above's decisions on the annual review, as pulled (issue 20): a member's
decided grades (their history beside the record) and a campaign's, for the review screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sotay_desktop.services.review_history import DecidedGrade
    from sotay_desktop.usecases.workspace import Workspace


def member_grades(ws: Workspace, member_id: str) -> list[DecidedGrade]:
    """The member's decided grades, newest first (read with the member's record, whose
    view is already audited)."""
    from sotay_desktop.services import review_history

    with ws.db.reads() as session:
        return review_history.member_grades(session, member_id)


def campaign_decisions(ws: Workspace, campaign_id: str) -> dict[str, DecidedGrade]:
    """The decisions on a campaign, by entry id; empty until the decision has come down."""
    from sotay_desktop.services import review_history

    with ws.db.reads() as session:
        return review_history.campaign_decisions(session, campaign_id)
