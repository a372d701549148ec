"""What the secretary must act on soon, derived from each member's history.

* probation ending within ``probation_window_days`` (default 60) or already overdue:
  the branch must consider full membership within 30 working days of the end;
* badge milestones reached this calendar year (for the yearly proposal list);
* exemptions to review: each exemption is looked at again every
  ``exemption_review_months`` (default 12) from its decision; a review shows from
  ``probation_window_days`` before it is due until 30 days after.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class ReminderRules:
    probation_window_days: int = 60
    exemption_review_months: int = 12
    milestones: tuple[int, ...] = BADGE_MILESTONES


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: ReminderKind
    member_id: str
    full_name: str
    due: dt.date
    overdue: bool = False
    years: int = 0          # badge milestone, or years exempted


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
