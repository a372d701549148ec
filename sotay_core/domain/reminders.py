"""What the secretary must act on soon, derived from each member's history.

* probation ending within ``probation_window_days`` (default 60) or already overdue:
  the branch must consider full membership within 30 working days of the end;
* badge milestones reached this calendar year (for the yearly proposal list);
* exemptions to review: each exemption is looked at again every
  ``exemption_review_months`` (default 12) from its decision; a review shows from
  ``probation_window_days`` before it is due until 30 days after;
* the secretary's year (issue 20): a candidate's next deadline once it is within
  ``probation_window_days`` (the certificate running out before the branch resolution, the
  ceremony after the decision, the full-membership review after probation, which is the
  member's own probation reminder opening the candidate), and the annual review: a campaign open
  and not held, held and not sent, or, from ``review_month`` (December, UNCONFIRMED under
  QĐ 366), no campaign for the year yet.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sotay_core.domain.dates import add_months
from sotay_core.domain.entities import EventKind, MemberEvent, MemberStatus
from sotay_core.domain.lifecycle import DEFAULT_RULES, LifecycleRules, check_history, ordered
from sotay_core.domain.rules import BADGE_MILESTONES, badges_in_year


class ReminderKind(enum.StrEnum):
    PROBATION = "probation"
    BADGE = "badge"
    EXEMPTION = "exemption"
    # The secretary's month (issue 19); made by the dues book and the tasks, not below.
    DUES_WARN = "dues_warn"              # 2 months unpaid this calendar year
    DUES_STRIKE_OFF = "dues_strike_off"  # 3 or more: grounds to strike off
    TASK_OVERDUE = "task_overdue"        # a resolution's task past its due date
    # The secretary's year (issue 20): a transfer letter not presented by its deadline.
    TRANSFER_LATE = "transfer_late"
    # ... a candidate's next deadline (``admission_reminders``)
    CANDIDATE_CERTIFICATE = "candidate_certificate"   # the course certificate runs out
    CANDIDATE_CEREMONY = "candidate_ceremony"         # the ceremony after the decision
    CANDIDATE_OFFICIAL = "candidate_official"         # consider full membership by then
    # ... and the annual review (``review_reminders``)
    REVIEW_NOT_OPENED = "review_not_opened"           # no campaign for the year yet
    REVIEW_NOT_HELD = "review_not_held"               # open: the branch has not met on it
    REVIEW_NOT_SENT = "review_not_sent"               # held: not sent to the level above
    # Political study (issue 21, ``study_reminders``): a plan due soon or past its day with
    # members not studied yet (``years`` carries how many; ``ref`` the plan).
    STUDY_OPEN = "study_open"        # under way, due later than the window
    STUDY_DUE = "study_due"
    STUDY_OVERDUE = "study_overdue"


@dataclass(frozen=True, slots=True)
class ReminderRules:
    probation_window_days: int = 60
    exemption_review_months: int = 12
    milestones: tuple[int, ...] = BADGE_MILESTONES
    # The month from which a year without a review campaign is reminded. UNCONFIRMED: the
    # December timing of the yearly review under QĐ 366 (shared reference §7).
    review_month: int = 12


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: ReminderKind
    member_id: str
    full_name: str
    due: dt.date
    overdue: bool = False
    years: int = 0          # badge milestone, or years exempted; a review's year; for a
    #                         study plan, its members not studied yet
    # What the reminder opens when it is not (only) a member: a candidate's id, a review
    # period ("2026", "2026-q3"). ``full_name`` then names the candidate or the period.
    ref: str = ""


@dataclass(frozen=True, slots=True)
class MemberHistory:
    member_id: str
    full_name: str
    events: tuple[MemberEvent, ...]


def reminders_for(
    histories: Iterable[MemberHistory],
    today: dt.date,
    *,
    rules: ReminderRules = ReminderRules(),
    lifecycle: LifecycleRules = DEFAULT_RULES,
) -> list[Reminder]:
    found: list[Reminder] = []
    for history in histories:
        state = check_history(history.events, rules=lifecycle)
        status = state.status
        if not status.on_roster:
            continue
        if status is MemberStatus.PROBATIONARY and state.admitted_on is not None:
            end = add_months(state.admitted_on, lifecycle.probation_months)
            if end <= today + dt.timedelta(days=rules.probation_window_days):
                found.append(Reminder(ReminderKind.PROBATION, history.member_id,
                                      history.full_name, end, overdue=end < today))
        for badge in badges_in_year(history.events, today.year, milestones=rules.milestones):
            found.append(Reminder(ReminderKind.BADGE, history.member_id, history.full_name,
                                  badge.reached_on, years=badge.years))
        if status is MemberStatus.EXEMPTED:
            since = _exempted_since(history.events)
            if since is not None:
                review = _next_review(since, today, rules.exemption_review_months)
                if review <= today + dt.timedelta(days=rules.probation_window_days):
                    found.append(Reminder(ReminderKind.EXEMPTION, history.member_id,
                                          history.full_name, review, overdue=review < today,
                                          years=(review - since).days // 365))
    return sorted(found, key=lambda r: (r.kind != ReminderKind.PROBATION, r.due, r.full_name))


@dataclass(frozen=True, slots=True)
class CandidateDeadline:
    """A candidate's next deadline as the admission pipeline works it out (the kind is one
    of the CANDIDATE_ reminders); ``member_id`` once the ceremony made them a member."""

    kind: ReminderKind
    candidate_id: str
    full_name: str
    due: dt.date
    member_id: str = ""


def admission_reminders(deadlines: Iterable[CandidateDeadline], today: dt.date, *,
                        rules: ReminderRules = ReminderRules()) -> list[Reminder]:
    """Each deadline due within the window, or past it (overdue)."""
    window = today + dt.timedelta(days=rules.probation_window_days)
    return sorted((Reminder(d.kind, d.member_id, d.full_name, d.due, overdue=d.due < today,
                            ref=d.candidate_id)
                   for d in deadlines if d.due <= window), key=lambda r: (r.due, r.full_name))


def with_candidates(found: Iterable[Reminder], admission: Iterable[Reminder]
                    ) -> tuple[list[Reminder], list[Reminder]]:
    """The member's probation reminder and the candidate's full-membership review are one
    line a person: the probation reminder, which then opens the candidate (``ref``, where the
    full-membership resolution is recorded); the candidate's own stays only when the member
    has none. Returns (``found``, ``admission``) so joined."""
    admission = list(admission)
    review = {r.member_id: r for r in admission
              if r.kind is ReminderKind.CANDIDATE_OFFICIAL and r.member_id}
    own: list[Reminder] = []
    for r in found:
        candidate = review.get(r.member_id) if r.kind is ReminderKind.PROBATION else None
        own.append(replace(r, ref=candidate.ref) if candidate is not None else r)
    linked = {r.member_id for r in own if r.kind is ReminderKind.PROBATION and r.ref}
    return own, [r for r in admission
                 if not (r.kind is ReminderKind.CANDIDATE_OFFICIAL and r.member_id in linked)]


@dataclass(frozen=True, slots=True)
class CampaignState:
    """A review campaign as the reminders see it: ``ref`` "2026" or "2026-q3", ``label`` its
    period in the reader's words, ``status`` a ``review.CampaignStatus`` value."""

    ref: str
    year: int
    label: str
    ends_on: dt.date
    status: str
    whole_year: bool = True


def review_reminders(campaigns: Iterable[CampaignState], today: dt.date, *, year_label: str,
                     rules: ReminderRules = ReminderRules()) -> list[Reminder]:
    """A campaign open and not held, or held and not sent (due its period's last day);
    from ``rules.review_month`` on, a year with no campaign yet (``year_label`` names it)."""
    found: list[Reminder] = []
    years: set[int] = set()
    kinds = {"open": ReminderKind.REVIEW_NOT_HELD, "held": ReminderKind.REVIEW_NOT_SENT}
    for c in campaigns:
        if c.whole_year:
            years.add(c.year)
        kind = kinds.get(c.status)
        if kind is not None:
            found.append(Reminder(kind, "", c.label, c.ends_on, overdue=c.ends_on < today,
                                  years=c.year, ref=c.ref))
    if today.month >= rules.review_month and today.year not in years:
        found.append(Reminder(ReminderKind.REVIEW_NOT_OPENED, "", year_label,
                              dt.date(today.year, 12, 31), years=today.year,
                              ref=str(today.year)))
    return sorted(found, key=lambda r: (r.due, r.ref))


def _next_review(since: dt.date, today: dt.date, months: int) -> dt.date:
    """The first review date that is not more than 30 days past."""
    step = 1
    review = add_months(since, months)
    while review < today - dt.timedelta(days=30):
        step += 1
        review = add_months(since, months * step)
    return review


def _exempted_since(events: Iterable[MemberEvent]) -> dt.date | None:
    since = None
    for event in ordered(events):
        if event.kind is EventKind.EXEMPTED:
            since = event.date
        elif event.kind is EventKind.EXEMPTION_ENDED:
            since = None
    return since
