"""Home's reminders of the secretary's year (issue 20): each candidate's next deadline (read
with the admission pipeline's own ``list_candidates``, so the screen, the command line and
Home give the same day) and the state of the annual review's campaigns. The rules of what
shows when are the core's (``sotay_core.domain.reminders``); reads only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from sotay_core.domain.admission import CandidateStatus
from sotay_core.domain.reminders import (
    CampaignState,
    CandidateDeadline,
    Reminder,
    ReminderKind,
    admission_reminders,
    review_reminders,
)
from sotay_core.domain.review import Period
from sotay_core.domain.review_setting import period_bounds
from sotay_desktop.services.candidates import list_candidates
from sotay_desktop.services.candidates_view import DeadlineKind
from sotay_desktop.services.review_read import campaigns, period_words

KINDS = {DeadlineKind.CERTIFICATE: ReminderKind.CANDIDATE_CERTIFICATE,
         DeadlineKind.CEREMONY: ReminderKind.CANDIDATE_CEREMONY,
         DeadlineKind.OFFICIAL_REVIEW: ReminderKind.CANDIDATE_OFFICIAL}


def candidate_reminders(session: Session, *, unit_id: str, today: dt.date) -> list[Reminder]:
    """The deadline each candidate on the path (or on probation) must act on next."""
    found = []
    for c in list_candidates(session, unit_id=unit_id, today=today,
                             statuses={CandidateStatus.ACTIVE, CandidateStatus.ADMITTED}):
        deadline = c.next_deadline
        kind = KINDS.get(deadline.kind) if deadline is not None else None
        if deadline is not None and kind is not None:
            found.append(CandidateDeadline(kind, c.id, c.full_name, deadline.due,
                                           c.member_id or ""))
    return admission_reminders(found, today)


def ref_of(year: int, period: Period) -> str:
    """What a review reminder opens: "2026", or "2026-q3" for a quarter."""
    return str(year) if period is Period.YEAR else f"{year}-{period.value}"


def label(year: int, period: Period) -> str:
    """The period as the reminder's list names it ("Năm 2026", "Quý 3 năm 2026")."""
    words = period_words(year, period)
    return words[:1].upper() + words[1:]


def campaign_reminders(session: Session, *, unit_id: str, today: dt.date) -> list[Reminder]:
    """The campaigns open or held and not sent; in December, a year without one."""
    states = [CampaignState(ref_of(c.year, c.period), c.year, label(c.year, c.period),
                            period_bounds(c.year, c.period)[1], c.status.value,
                            c.period is Period.YEAR)
              for c in campaigns(session, unit_id=unit_id)]
    return review_reminders(states, today, year_label=label(today.year, Period.YEAR))
