from __future__ import annotations

import datetime as dt

import pytest

from sotay_core.domain.entities import EventKind, MemberEvent, MemberStatus
from sotay_core.domain.errors import LifecycleError
from sotay_core.domain.lifecycle import LifecycleRules, check_history, state_on

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

D = dt.date
_n = 0


def ev(kind: EventKind, day: dt.date, place: str = "") -> MemberEvent:
    global _n
    _n += 1
    return MemberEvent(f"e{_n}", "m", kind, day, place=place)


ADMIT = ev(EventKind.ADMITTED, D(2020, 3, 15))
OFFICIAL = ev(EventKind.MADE_OFFICIAL, D(2021, 3, 15))


def status(*events: MemberEvent) -> MemberStatus:
    return check_history(events).status


def test_status_follows_the_history() -> None:
    assert status() is MemberStatus.NONE
    assert status(ADMIT) is MemberStatus.PROBATIONARY
    assert status(ADMIT, OFFICIAL) is MemberStatus.OFFICIAL
    exempt = ev(EventKind.EXEMPTED, D(2024, 1, 1))
    assert status(ADMIT, OFFICIAL, exempt) is MemberStatus.EXEMPTED
    assert status(ADMIT, OFFICIAL, exempt, ev(EventKind.EXEMPTION_ENDED, D(2025, 1, 1))) \
        is MemberStatus.OFFICIAL
    away = ev(EventKind.TEMP_OUT, D(2024, 1, 1))
    assert status(ADMIT, OFFICIAL, away) is MemberStatus.AWAY
    assert status(ADMIT, OFFICIAL, away, ev(EventKind.RETURNED, D(2024, 9, 1))) \
        is MemberStatus.OFFICIAL
    assert status(ADMIT, OFFICIAL, ev(EventKind.TRANSFERRED_OUT, D(2024, 1, 1))) \
        is MemberStatus.TRANSFERRED_OUT
    assert status(ADMIT, OFFICIAL, ev(EventKind.DECEASED, D(2024, 1, 1))) is MemberStatus.DECEASED
    for removal in (EventKind.STRUCK_OFF, EventKind.EXPELLED, EventKind.LEFT):
        assert status(ADMIT, ev(removal, D(2020, 9, 1))) is MemberStatus.REMOVED


def test_annotations_do_not_change_status() -> None:
    assert status(ADMIT, OFFICIAL, ev(EventKind.DISCIPLINED, D(2023, 1, 1)),
                  ev(EventKind.RESIDENCE_CONTACT, D(2023, 2, 1))) is MemberStatus.OFFICIAL


def test_transferred_out_then_back_in() -> None:
    history = [ADMIT, OFFICIAL, ev(EventKind.TRANSFERRED_OUT, D(2022, 1, 1)),
               ev(EventKind.TRANSFERRED_IN, D(2024, 1, 1), place="Chi bộ thôn Hạ")]
    state = check_history(history)
    assert state.status is MemberStatus.OFFICIAL
    assert state.transferred_in_from == "Chi bộ thôn Hạ"


def test_readmission_after_removal() -> None:
    history = [ADMIT, OFFICIAL, ev(EventKind.STRUCK_OFF, D(2022, 1, 1)),
               ev(EventKind.ADMITTED, D(2024, 6, 1))]
    state = check_history(history)
    assert state.status is MemberStatus.PROBATIONARY
    assert state.first_admitted_on == D(2020, 3, 15)
    assert state.admitted_on == D(2024, 6, 1)


def test_state_on_a_past_day() -> None:
    history = [ADMIT, OFFICIAL, ev(EventKind.DECEASED, D(2025, 1, 1))]
    assert state_on(history, D(2020, 12, 31)).status is MemberStatus.PROBATIONARY
    assert state_on(history, D(2024, 12, 31)).status is MemberStatus.OFFICIAL


@pytest.mark.parametrize(("events", "code"), [
    ([ev(EventKind.MADE_OFFICIAL, D(2021, 1, 1))], "not_in_party"),
    ([ADMIT, ev(EventKind.MADE_OFFICIAL, D(2021, 3, 14))], "official_before_probation_end"),
    ([ADMIT, OFFICIAL, ev(EventKind.MADE_OFFICIAL, D(2022, 1, 1))], "not_probationary"),
    ([ADMIT, ev(EventKind.ADMITTED, D(2020, 6, 1))], "already_in_party"),
    ([ADMIT, OFFICIAL, ev(EventKind.DECEASED, D(2022, 1, 1)),
      ev(EventKind.EXEMPTED, D(2023, 1, 1))], "event_after_death"),
    ([ADMIT, ev(EventKind.EXEMPTED, D(2020, 9, 1))], "exemption_needs_official"),
    ([ADMIT, OFFICIAL, ev(EventKind.EXEMPTION_ENDED, D(2022, 1, 1))], "not_exempted"),
    ([ADMIT, OFFICIAL, ev(EventKind.RETURNED, D(2022, 1, 1))], "not_away"),
    ([ADMIT, OFFICIAL, ev(EventKind.TRANSFERRED_OUT, D(2022, 1, 1)),
      ev(EventKind.EXEMPTED, D(2023, 1, 1))], "not_on_roster"),
    ([ADMIT, ev(EventKind.STRUCK_OFF, D(2020, 9, 1)),
      ev(EventKind.DISCIPLINED, D(2021, 1, 1))], "not_in_party"),
])
def test_impossible_histories_are_refused(events: list[MemberEvent], code: str) -> None:
    with pytest.raises(LifecycleError) as info:
        check_history(events)
    assert info.value.code == code
    assert info.value.field == "date"
    assert info.value.message("vi")  # a readable Vietnamese sentence, not a code
    assert code not in info.value.message("vi")


def test_back_dated_event_is_checked_against_later_ones() -> None:
    # a death recorded before an existing later event is impossible
    history = [ADMIT, OFFICIAL, ev(EventKind.EXEMPTED, D(2024, 1, 1))]
    with pytest.raises(LifecycleError) as info:
        check_history([*history, ev(EventKind.DECEASED, D(2023, 6, 1))])
    assert info.value.code == "event_after_death"


def test_event_before_birth() -> None:
    with pytest.raises(LifecycleError) as info:
        check_history([ADMIT], date_of_birth=D(2021, 1, 1))
    assert info.value.code == "event_before_birth"


def test_probation_length_is_a_rule_setting() -> None:
    early = [ADMIT, ev(EventKind.MADE_OFFICIAL, D(2020, 9, 15))]
    assert check_history(early, rules=LifecycleRules(probation_months=6)).status \
        is MemberStatus.OFFICIAL


def test_possible_events_follow_the_rules_of_apply_event() -> None:
    from sotay_core.domain.lifecycle import possible_events

    def offered(*events: MemberEvent) -> set[EventKind]:
        return set(possible_events(check_history(events)))

    assert offered() == {EventKind.ADMITTED, EventKind.DECEASED}
    probation = offered(ADMIT)        # the probation's end is a matter of the date, not hidden
    assert EventKind.MADE_OFFICIAL in probation and EventKind.EXEMPTED not in probation
    official = offered(ADMIT, OFFICIAL)
    assert {EventKind.EXEMPTED, EventKind.TEMP_OUT, EventKind.TRANSFERRED_OUT} <= official
    assert not official & {EventKind.ADMITTED, EventKind.MADE_OFFICIAL, EventKind.RETURNED,
                           EventKind.EXEMPTION_ENDED, EventKind.TEMP_IN_ENDED}
    away = offered(ADMIT, OFFICIAL, ev(EventKind.TEMP_OUT, D(2022, 1, 1)))
    assert EventKind.RETURNED in away and EventKind.TEMP_OUT not in away
    assert offered(ADMIT, ev(EventKind.DECEASED, D(2022, 1, 1))) == set()
    # Each kind offered is one apply_event accepts, and each one left out it refuses.
    state = check_history([ADMIT, OFFICIAL])
    for kind in EventKind:
        try:
            check_history([ADMIT, OFFICIAL, ev(kind, D(2030, 1, 1))])
        except LifecycleError:
            assert kind not in possible_events(state)
        else:
            assert kind in possible_events(state)
