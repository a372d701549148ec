"""The annual review (kiểm điểm, đánh giá, xếp loại chất lượng), issue 20: the use cases of
the review screen and of ``sotay review``. ``quarter`` None is the year's campaign; 1..4 a
quarter's (when the policy enables quarters). ``today`` is the workspace's clock.

API (stable; reads are queries, writes operations returning ``Changes``):

    scheme(ws) -> Scheme                      set_scheme(ws, text: str | None) -> Changes
    policy(ws) -> Policy                      set_policy(ws, value: Policy | None) -> Changes
    campaigns(ws) -> list[CampaignSummary]    # newest first
    open_campaign(ws, year, quarter=None) -> tuple[str, bool, Changes]  # id, made now
    refresh(ws, year, quarter=None) -> Changes                          # facts read again
    view(ws, year, quarter=None) -> CampaignView   # review_sheet; sheets in roster order
    left_out(ws, year, quarter=None) -> list[LeftOut]   # on the roster, not reviewed: why
    voting_base(ws, year, quarter=None) -> int           # the default base of a vote
    find_member(ws, words) -> str                        # id, card number or exact name
    record_self(ws, year, quarter, member_id | None, *, points=None, grade=None,
                text=None) -> Changes                    # member_id None: the branch's own
    propose(ws, year, quarter, member_id | None, *, points=None, scores=None, grade=None,
            votes: Votes | None = None, comments=None) -> tuple[Grade, Changes]
    import_proposals(ws, year, quarter, path) -> tuple[ImportResult, Changes]
    hold(ws, year, quarter, held_on: date, meeting_id=None) -> Changes
    reopen(ws, year, quarter=None) -> Changes      send(ws, year, quarter=None) -> Changes
    summary(view) -> Summary                       # counts per grade, pure
    member_reviews(ws, member_id) -> list[MemberReview]  # a member's history

``grade`` is a ``review.Grade`` or its value ("excellent", "good", "fulfilled",
"not_fulfilled") or the abbreviation (HTXSNV, HTTNV, HTNV, KHTNV). Every refusal is a
``ValidationError`` naming the rule and the member; nothing is half-written. ``Votes``
(yes, no, abstain, invalid, base=None, secret) is ``services.review.Votes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sotay_core.domain.review import Grade, Period, Scheme
    from sotay_core.domain.review_setting import Exclusion, Policy
    from sotay_core.domain.review_sheet import CampaignView
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.review import Votes
    from sotay_desktop.services.review_import import ImportResult
    from sotay_desktop.services.review_read import CampaignSummary, MemberReview
    from sotay_desktop.usecases.workspace import Workspace

__all__ = ["LeftOut", "Summary", "campaigns", "find_member", "hold", "import_proposals",
           "left_out", "member_reviews", "open_campaign", "policy", "propose", "record_self",
           "refresh", "reopen", "scheme", "send", "set_policy", "set_scheme", "summary",
           "view", "voting_base"]


def _period(quarter: int | None) -> Period:
    from sotay_desktop.services.review_read import period_of

    return period_of(quarter)


def scheme(ws: Workspace) -> Scheme:
    from sotay_desktop.services import review_read

    with ws.db.reads() as session:
        return review_read.current_scheme(session)


def set_scheme(ws: Workspace, text: str | None) -> Changes:
    """A scheme as JSON (checked before it is kept); None: back to the default. Campaigns
    already open keep theirs."""
    from sotay_desktop.services import review

    with ws.db.sessions.begin() as session:
        return review.set_scheme(session, text)


def policy(ws: Workspace) -> Policy:
    from sotay_desktop.services import review_read

    with ws.db.reads() as session:
        return review_read.current_policy(session)


def set_policy(ws: Workspace, value: Policy | None) -> Changes:
    from sotay_desktop.services import review

    with ws.db.sessions.begin() as session:
        return review.set_policy(session, value)


def campaigns(ws: Workspace) -> list[CampaignSummary]:
    from sotay_desktop.services import review_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return review_read.campaigns(session, unit_id=unit_id)


def open_campaign(ws: Workspace, year: int, quarter: int | None = None
                  ) -> tuple[str, bool, Changes]:
    from sotay_desktop.services import review

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return review.open_campaign(session, unit_id=unit_id, year=year,
                                    period=_period(quarter), today=ws.today())


def refresh(ws: Workspace, year: int, quarter: int | None = None) -> Changes:
    from sotay_desktop.services import review

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return review.refresh(session, unit_id=unit_id, year=year, period=_period(quarter),
                              today=ws.today())


def view(ws: Workspace, year: int, quarter: int | None = None) -> CampaignView:
    """The campaign with every sheet; its reading is audited (members' evaluations)."""
    from sotay_desktop.services import review_read
    from sotay_desktop.usecases.trace import leave_trace

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        found = review_read.campaign_view(session, unit_id=unit_id, year=year,
                                          period=_period(quarter), today=ws.today())
    leave_trace(ws, "view", "review_campaigns", found.campaign_id)
    return found


@dataclass(frozen=True, slots=True)
class LeftOut:
    member_id: str
    name: str
    reason: Exclusion


def left_out(ws: Workspace, year: int, quarter: int | None = None) -> list[LeftOut]:
    """Members on the roster the campaign does not review, and why (policy settings)."""
    from sotay_desktop.services import review_read

    unit_id = ws.branch_id()
    period = _period(quarter)
    with ws.db.reads() as session:
        found = review_read.roster(session, unit_id=unit_id,
                                   on=review_read.reference_day(year, period, ws.today()),
                                   policy=review_read.current_policy(session))
    return [LeftOut(person.member_id, person.full_name, why) for person, why in found.left_out]


def voting_base(ws: Workspace, year: int, quarter: int | None = None) -> int:
    from sotay_desktop.services import review, review_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        row = review_read.campaign(session, unit_id=unit_id, year=year,
                                   period=_period(quarter))
        return review.voting_base(session, row, ws.today())


def find_member(ws: Workspace, words: str) -> str:
    from sotay_desktop.services import dues_read

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return dues_read.find_member(session, unit_id=unit_id, words=words)


def record_self(ws: Workspace, year: int, quarter: int | None, member_id: str | None, *,
                points: object = None, grade: Grade | str | None = None,
                text: str | None = None) -> Changes:
    from sotay_desktop.services import review

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return review.record_self(session, unit_id=unit_id, year=year, period=_period(quarter),
                                  member_id=member_id, today=ws.today(), points_given=points,
                                  grade=grade, text=text)


def propose(ws: Workspace, year: int, quarter: int | None, member_id: str | None, *,
            points: object = None, scores: Mapping[str, object] | None = None,
            grade: Grade | str | None = None, votes: Votes | None = None,
            comments: str | None = None) -> tuple[Grade, Changes]:
    from sotay_desktop.services import review

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return review.propose(session, unit_id=unit_id, year=year, period=_period(quarter),
                              member_id=member_id, today=ws.today(), points_given=points,
                              scores=scores, grade=grade, votes=votes, comments=comments)


def import_proposals(ws: Workspace, year: int, quarter: int | None,
                     path: Path) -> tuple[ImportResult, Changes]:
    """Every row of the table, or none (each refused row named)."""
    from sotay_desktop.services import review, review_import

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        result = review_import.import_proposals(session, unit_id=unit_id, year=year,
                                                period=_period(quarter), path=path,
                                                today=ws.today())
    return result, review.REVIEW_CHANGES


def hold(ws: Workspace, year: int, quarter: int | None, held_on: dt.date,
         meeting_id: str | None = None) -> Changes:
    from sotay_desktop.services import review_hold

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return review_hold.hold(session, unit_id=unit_id, year=year, period=_period(quarter),
                           held_on=held_on, today=ws.today(), meeting_id=meeting_id)


def reopen(ws: Workspace, year: int, quarter: int | None = None) -> Changes:
    from sotay_desktop.services import review_hold

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return review_hold.reopen(session, unit_id=unit_id, year=year, period=_period(quarter))


def send(ws: Workspace, year: int, quarter: int | None = None) -> Changes:
    from sotay_desktop.services import review_hold

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return review_hold.send(session, unit_id=unit_id, year=year, period=_period(quarter))


@dataclass(frozen=True, slots=True)
class Summary:
    """Members per proposed grade (the branch's own not counted), and per decided grade."""

    members: int
    proposed: int
    counts: dict[str, int]           # Grade value -> members proposed at it
    decided: dict[str, int]          # Grade value -> members decided at it (once down)
    branch: str | None               # the branch's own proposed grade
    branch_decided: str | None


def summary(found: CampaignView) -> Summary:
    from sotay_core.domain.review import Grade

    decided = {grade.value: 0 for grade in Grade}
    for sheet in found.sheets:
        if sheet.decided_grade is not None:
            decided[sheet.decided_grade.value] += 1
    counts = {grade.value: count for grade, count in found.counts().items()}
    branch = found.branch
    return Summary(len(found.sheets), sum(counts.values()), counts, decided,
                   branch.grade.value if branch and branch.grade else None,
                   branch.decided_grade.value if branch and branch.decided_grade else None)


def member_reviews(ws: Workspace, member_id: str) -> list[MemberReview]:
    from sotay_desktop.services import review_read

    with ws.db.reads() as session:
        return review_read.member_reviews(session, member_id=member_id)
