from __future__ import annotations

import datetime as dt

import pytest

from sotay_core.domain.entities import EventKind, MemberEvent
from sotay_core.domain.reminders import (
    MemberHistory,
    ReminderKind,
    ReminderRules,
    reminders_for,
)

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

D = dt.date
TODAY = D(2026, 11, 22)


def history(name: str, *events: tuple[EventKind, dt.date]) -> MemberHistory:
    return MemberHistory(name, name, tuple(
        MemberEvent(f"{name}{i}", name, kind, day) for i, (kind, day) in enumerate(events)))


def kinds(found: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(r.kind.value, r.member_id) for r in found]


def test_probation_ending_soon_or_overdue() -> None:
    soon = history("soon", (EventKind.ADMITTED, D(2025, 12, 20)))       # ends 20/12/2026
    late = history("late", (EventKind.ADMITTED, D(2025, 10, 1)))        # ended 01/10/2026
    far = history("far", (EventKind.ADMITTED, D(2026, 6, 1)))           # ends 01/06/2027
    found = reminders_for([soon, late, far], TODAY)
    assert kinds(found) == [("probation", "late"), ("probation", "soon")]
    assert found[0].overdue and not found[1].overdue
    assert found[1].due == D(2026, 12, 20)
    wider = reminders_for([far], TODAY, rules=ReminderRules(probation_window_days=200))
    assert kinds(wider) == [("probation", "far")]


def test_badges_reached_this_year() -> None:
    thirty = history("a", (EventKind.ADMITTED, D(1996, 3, 2)), (EventKind.MADE_OFFICIAL,
                                                                D(1997, 3, 2)))
    none = history("b", (EventKind.ADMITTED, D(1998, 3, 2)), (EventKind.MADE_OFFICIAL,
                                                              D(1999, 3, 2)))
    found = reminders_for([thirty, none], TODAY)
    assert kinds(found) == [("badge", "a")]
    assert found[0].years == 30 and found[0].due == D(2026, 3, 2)


def test_members_off_the_roster_get_no_reminders() -> None:
    dead = history("d", (EventKind.ADMITTED, D(1996, 3, 2)), (EventKind.MADE_OFFICIAL,
                   D(1997, 3, 2)), (EventKind.DECEASED, D(2026, 1, 1)))
    moved = history("m", (EventKind.ADMITTED, D(2025, 12, 20)),
                    (EventKind.TRANSFERRED_OUT, D(2026, 2, 1)))
    assert reminders_for([dead, moved], TODAY) == []


def test_exemption_reviews_come_due_each_year() -> None:
    base = ((EventKind.ADMITTED, D(1970, 1, 1)), (EventKind.MADE_OFFICIAL, D(1971, 1, 1)))
    due = history("due", *base, (EventKind.EXEMPTED, D(2019, 12, 15)))    # review 15/12/2026
    past = history("past", *base, (EventKind.EXEMPTED, D(2020, 11, 1)))   # 01/11/2026, 21 days ago
    not_yet = history("later", *base, (EventKind.EXEMPTED, D(2020, 4, 1)))
    ended = history("ended", *base, (EventKind.EXEMPTED, D(2019, 12, 15)),
                    (EventKind.EXEMPTION_ENDED, D(2022, 1, 1)))
    found = [r for r in reminders_for([due, past, not_yet, ended], TODAY)
             if r.kind is ReminderKind.EXEMPTION]
    assert [(r.member_id, r.due, r.overdue) for r in found] == [
        ("past", D(2026, 11, 1), True), ("due", D(2026, 12, 15), False)]
    assert found[1].years == 7
