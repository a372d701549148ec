"""The level above's decisions on the annual review, as this PC pulled them (issue 20):
``review_decisions`` rows are written on the province server only and come down at a sync.
A member's decided grades become part of their history (the member panel); a campaign's
decisions by entry are what the review screen, the papers and a member's reviews
(``review_read``) show beside the grades the branch proposed. This is the one place the
table is read. Reads only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.review import Grade, Period
from sotay_core.i18n import t
from sotay_desktop.db.year_tables import ReviewCampaignRow, ReviewDecisionRow


@dataclass(frozen=True, slots=True)
class DecidedGrade:
    """One decided grade: of a member, or of the branch itself (``member_id`` None)."""

    decision_id: str
    entry_id: str
    campaign_id: str
    member_id: str | None
    year: int
    period: Period
    grade: Grade
    number: str                 # "45-QĐ/ĐU", as the server keeps it (without "Số")
    decided_on: dt.date
    issuer: str
    note: str
    text: str                   # "Năm 2025: Hoàn thành tốt nhiệm vụ (Số 45-QĐ/ĐU, 15/01/2026)"


def history_line(*, year: int, period: Period, grade: Grade, number: str,
                 decided_on: dt.date) -> str:
    """The decision as one line of the member's history, in the current language."""
    when = (t("review_history.year", year=year) if period is Period.YEAR
            else t("review_history.quarter", q=period.value[1:], year=year))
    day = decided_on.strftime("%d/%m/%Y")
    words = t(f"review.grade.{grade.value}")
    if number:
        return t("review_history.line", when=when, grade=words, number=number, day=day)
    return t("review_history.line_no_number", when=when, grade=words, day=day)


def _decided(decision: ReviewDecisionRow, campaign: ReviewCampaignRow) -> DecidedGrade | None:
    try:
        grade, period = Grade(decision.grade), Period(campaign.period or "year")
    except ValueError:      # a value the rules would have set aside: not shown
        return None
    return DecidedGrade(
        decision.id, decision.entry_id, decision.campaign_id, decision.member_id,
        campaign.year, period, grade, decision.number, decision.decided_on, decision.issuer,
        decision.note, history_line(year=campaign.year, period=period, grade=grade,
                                    number=decision.number, decided_on=decision.decided_on))


def _rows(session: Session, *conditions: object) -> list[DecidedGrade]:
    """The live decisions of live campaigns: the newest year first (a quarter after its
    year), and on one entry the latest decision first (by its day, then as written)."""
    query = (select(ReviewDecisionRow, ReviewCampaignRow)
             .join(ReviewCampaignRow, ReviewCampaignRow.id == ReviewDecisionRow.campaign_id)
             .where(ReviewDecisionRow.deleted.is_(False), ReviewCampaignRow.deleted.is_(False),
                    *conditions)  # type: ignore[arg-type]
             .order_by(ReviewCampaignRow.year.desc(), ReviewCampaignRow.period.desc(),
                       ReviewDecisionRow.decided_on.desc(), ReviewDecisionRow.created_at.desc(),
                       ReviewDecisionRow.id))
    return [d for decision, campaign in session.execute(query)
            if (d := _decided(decision, campaign)) is not None]


def latest_by_entry(found: list[DecidedGrade]) -> dict[str, DecidedGrade]:
    """The decision in force on each entry: the latest (``found`` in ``_rows``' order)."""
    latest: dict[str, DecidedGrade] = {}
    for decided in found:
        latest.setdefault(decided.entry_id, decided)
    return latest


def member_grades(session: Session, member_id: str) -> list[DecidedGrade]:
    """The member's decided grades, the newest year first (a quarter after its year)."""
    return _rows(session, ReviewDecisionRow.member_id == member_id)


def campaign_decisions(session: Session, campaign_id: str) -> dict[str, DecidedGrade]:
    """The decision in force on each of a campaign's entries, by entry id (the branch's own
    entry too)."""
    return latest_by_entry(_rows(session, ReviewDecisionRow.campaign_id == campaign_id))
