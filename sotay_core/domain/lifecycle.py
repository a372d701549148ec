"""A member's life in the Party, derived from the history of events.

Events are never overwritten; the current status is a fold over them, in date
order (and recording order within a day). ``check_history`` rejects a history
that cannot have happened, naming the offending event, so a back-dated entry
is checked against everything after it too.

A member admitted at another branch who came here (transfer letters, issue 20) has the
admission in their history followed by an arrival (``TRANSFERRED_IN`` or ``TEMP_IN``) before
any event that only a member of this roster can have: such an admission does not put them on
this roster (``admitted_elsewhere``), so they count here only from the arrival. The history
alone says so (kind, date, order), so the province's copy, which keeps no place, folds alike.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sotay_core.domain.dates import add_months
from sotay_core.domain.entities import EventKind, MemberEvent, MemberStatus
from sotay_core.domain.errors import LifecycleError
from sotay_core.i18n import t


class Stage(enum.Enum):
    NONE = "none"
    PROBATIONARY = "probationary"
    OFFICIAL = "official"
    REMOVED = "removed"
    DECEASED = "deceased"


IN_PARTY = frozenset({Stage.PROBATIONARY, Stage.OFFICIAL})
REMOVAL_KINDS = frozenset({EventKind.STRUCK_OFF, EventKind.EXPELLED, EventKind.LEFT})
ARRIVALS = frozenset({EventKind.TRANSFERRED_IN, EventKind.TEMP_IN})
# Events only a member on this branch's roster can have: one of these after an admission
# means the admission was here.
ROSTER_ONLY = frozenset({EventKind.TRANSFERRED_OUT, EventKind.EXEMPTED,
                         EventKind.EXEMPTION_ENDED, EventKind.TEMP_OUT, EventKind.RETURNED})


@dataclass(frozen=True, slots=True)
class LifecycleRules:
    """Figures from the statutes; UNCONFIRMED under QĐ 294 / HD 06, so configurable."""

    probation_months: int = 12
    exemption_needs_official: bool = True


DEFAULT_RULES = LifecycleRules()


@dataclass(frozen=True, slots=True)
class State:
    stage: Stage = Stage.NONE
    here: bool = False              # on this branch's roster
    exempted: bool = False
    away: bool = False              # temporarily transferred out
    temporary_in: bool = False      # from another branch, attending here for a while
    transferred_out: bool = False
    admitted_on: dt.date | None = None        # latest admission
    first_admitted_on: dt.date | None = None
    official_on: dt.date | None = None
    deceased_on: dt.date | None = None
    left_on: dt.date | None = None
    transferred_in_on: dt.date | None = None
    transferred_in_from: str = ""
    transferred_out_on: dt.date | None = None
    joined_on: dt.date | None = None          # first day on this roster since the admission

    @property
    def status(self) -> MemberStatus:
        if self.stage is Stage.DECEASED:
            return MemberStatus.DECEASED
        if self.stage is Stage.REMOVED:
            return MemberStatus.REMOVED
        if self.stage is Stage.NONE:
            return MemberStatus.NONE
        if self.transferred_out:
            return MemberStatus.TRANSFERRED_OUT
        if self.temporary_in and not self.here:
            return MemberStatus.TEMPORARY
        if not self.here:   # admitted elsewhere: not (or no longer) attending here
            return MemberStatus.TRANSFERRED_OUT
        if self.away:
            return MemberStatus.AWAY
        if self.exempted:
            return MemberStatus.EXEMPTED
        if self.stage is Stage.PROBATIONARY:
            return MemberStatus.PROBATIONARY
        return MemberStatus.OFFICIAL


def event_label(kind: EventKind, lang: str | None = None) -> str:
    return t(f"event.{kind.value}", lang=lang)


def ordered(events: Iterable[MemberEvent]) -> list[MemberEvent]:
    return sorted(events, key=lambda e: (e.date, e.seq))


def _fail(code: str, event: MemberEvent, **params: object) -> LifecycleError:
    return LifecycleError(
        code,
        field="date",
        event=event_label(event.kind),
        event_kind=event.kind.value,
        date=event.date.strftime("%d/%m/%Y"),
        **params,
    )


def apply_event(state: State, event: MemberEvent, rules: LifecycleRules = DEFAULT_RULES, *,
                elsewhere: bool = False) -> State:
    """The state after ``event``; raises LifecycleError when it cannot happen. ``elsewhere``:
    an admission at another branch (see ``admitted_elsewhere``)."""
    kind = event.kind
    if state.stage is Stage.DECEASED:
        assert state.deceased_on is not None
        raise _fail("event_after_death", event, death=state.deceased_on.strftime("%d/%m/%Y"))
    in_party = state.stage in IN_PARTY
    if kind is EventKind.ADMITTED:
        if in_party:
            raise _fail("already_in_party", event)
        return State(
            stage=Stage.PROBATIONARY,
            here=not elsewhere,
            admitted_on=event.date,
            first_admitted_on=state.first_admitted_on or event.date,
            joined_on=None if elsewhere else event.date,
        )
    if kind is EventKind.DECEASED:
        return replace(state, stage=Stage.DECEASED, deceased_on=event.date)
    if not in_party:
        raise _fail("not_in_party", event)
    if kind is EventKind.MADE_OFFICIAL:
        if state.stage is not Stage.PROBATIONARY:
            raise _fail("not_probationary", event)
        assert state.admitted_on is not None
        if event.date < state.admitted_on:
            raise _fail("official_before_admission", event, admitted=_d(state.admitted_on))
        earliest = add_months(state.admitted_on, rules.probation_months)
        if event.date < earliest:
            raise _fail(
                "official_before_probation_end",
                event,
                months=rules.probation_months,
                admitted=_d(state.admitted_on),
                earliest=_d(earliest),
            )
        return replace(state, stage=Stage.OFFICIAL, official_on=event.date)
    if kind in REMOVAL_KINDS:
        return replace(
            state, stage=Stage.REMOVED, here=False, exempted=False, away=False, left_on=event.date
        )
    if kind is EventKind.TRANSFERRED_IN:
        return replace(
            state,
            here=True,
            transferred_out=False,
            temporary_in=False,
            transferred_in_on=event.date,
            transferred_in_from=event.place,
            joined_on=state.joined_on or event.date,
        )
    if kind is EventKind.TEMP_IN:
        return replace(state, temporary_in=True, transferred_out=False)
    if kind is EventKind.TEMP_IN_ENDED:
        if not state.temporary_in:
            raise _fail("not_on_roster", event)
        return replace(state, temporary_in=False)
    if kind in (EventKind.RESIDENCE_CONTACT, EventKind.DISCIPLINED):
        return state
    # Everything below concerns members on this branch's roster.
    if not state.here or state.transferred_out:
        raise _fail("not_on_roster", event)
    if kind is EventKind.TRANSFERRED_OUT:
        return replace(
            state,
            here=False,
            away=False,
            exempted=False,
            transferred_out=True,
            transferred_out_on=event.date,
        )
    if kind is EventKind.EXEMPTED:
        if state.exempted:
            raise _fail("already_exempted", event)
        if rules.exemption_needs_official and state.stage is not Stage.OFFICIAL:
            raise _fail("exemption_needs_official", event)
        return replace(state, exempted=True)
    if kind is EventKind.EXEMPTION_ENDED:
        if not state.exempted:
            raise _fail("not_exempted", event)
        return replace(state, exempted=False)
    if kind is EventKind.TEMP_OUT:
        if state.away:
            raise _fail("already_away", event)
        return replace(state, away=True)
    if kind is EventKind.RETURNED:
        if not state.away:
            raise _fail("not_away", event)
        return replace(state, away=False)
    raise AssertionError(f"unhandled event kind {kind}")  # pragma: no cover


def possible_events(state: State, rules: LifecycleRules = DEFAULT_RULES) -> list[EventKind]:
    """The kinds of event that can follow ``state``, in ``EventKind`` order.

    Asked of ``apply_event`` itself, so the rules are stated once: each kind is tried as if
    it happened on a far later day. A rule about dates (the probation not yet over) is the
    date field's business, not a reason to hide the event.
    """
    later = dt.date.max
    possible = []
    for kind in EventKind:
        try:
            apply_event(state, MemberEvent("", "", kind, later), rules)
        except LifecycleError:
            continue
        possible.append(kind)
    return possible


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def admitted_elsewhere(events: Iterable[MemberEvent]) -> list[bool]:
    """For each event of ``ordered(events)``: True for an admission made at another branch,
    i.e. followed by an arrival here before any event of a member of this roster."""
    found: list[bool] = []
    pending: int | None = None
    for index, event in enumerate(ordered(events)):
        found.append(False)
        if event.kind is EventKind.ADMITTED:
            pending = index
        elif pending is not None and event.kind in ARRIVALS:
            found[pending] = True
            pending = None
        elif event.kind in ROSTER_ONLY:
            pending = None
    return found


def _fold(events: Iterable[MemberEvent], rules: LifecycleRules, *, until: dt.date | None = None,
          date_of_birth: dt.date | None = None, fitting: bool = False) -> State:
    history = ordered(events)
    elsewhere = admitted_elsewhere(history)
    state = State()
    for event, away in zip(history, elsewhere, strict=True):
        if until is not None and event.date > until:
            break
        if date_of_birth is not None and event.date < date_of_birth:
            raise _fail("event_before_birth", event, birth=_d(date_of_birth))
        try:
            state = apply_event(state, event, rules, elsewhere=away)
        except LifecycleError:
            if not fitting:
                raise
    return state


def check_history(
    events: Iterable[MemberEvent],
    *,
    date_of_birth: dt.date | None = None,
    rules: LifecycleRules = DEFAULT_RULES,
) -> State:
    """Fold the whole history; the first impossible event raises LifecycleError."""
    return _fold(events, rules, date_of_birth=date_of_birth)


def fold_fitting(events: Iterable[MemberEvent], rules: LifecycleRules = DEFAULT_RULES, *,
                 until: dt.date | None = None) -> State:
    """The state (at the end of ``until``, if given) from the events that fit, the others
    skipped: a history that cannot have happened (two PCs' histories merged, a row set right
    by hand) is still shown. Use this, not ``apply_event`` in a loop, so an admission made
    at another branch is read as such."""
    return _fold(events, rules, fitting=True, until=until)


def state_on(
    events: Iterable[MemberEvent], on: dt.date, rules: LifecycleRules = DEFAULT_RULES
) -> State:
    """The state at the end of day ``on`` (events after it are not applied; they still tell
    whether an earlier admission was made elsewhere)."""
    return _fold(events, rules, until=on)
