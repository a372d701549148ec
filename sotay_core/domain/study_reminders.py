"""Home's reminders of political study (issue 21): every plan under way (begun, or with no
start day) while members it is for have not studied it, so Home shows the plan, its
deadline and how many have not studied yet; one due within ``window_days`` (14,
UNCONFIRMED: no rule found, a habit of the level above's plans) is "due soon", one past its
day "overdue". A plan without a due day is never reminded.
Gathered by ``sotay_desktop.services.study_read.reminders``; the Home list names the plan
(``full_name``), the members not studied (``years``) and opens it (``ref``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sotay_core.domain.reminders import Reminder, ReminderKind

WINDOW_DAYS = 14


@dataclass(frozen=True, slots=True)
class PlanState:
    plan_id: str
    title: str
    due_on: dt.date | None
    not_studied: int
    starts_on: dt.date | None = None


def study_reminders(plans: Iterable[PlanState], today: dt.date, *,
                    window_days: int = WINDOW_DAYS) -> list[Reminder]:
    window = today + dt.timedelta(days=window_days)
    found = []
    for p in plans:
        if p.due_on is None or p.not_studied <= 0 or (
                p.starts_on is not None and p.starts_on > today):
            continue
        late = p.due_on < today
        kind = (ReminderKind.STUDY_OVERDUE if late else ReminderKind.STUDY_DUE
                if p.due_on <= window else ReminderKind.STUDY_OPEN)
        found.append(Reminder(kind, "", p.title, p.due_on, overdue=late,
                              years=p.not_studied, ref=p.plan_id))
    return sorted(found, key=lambda r: (r.due, r.full_name))
