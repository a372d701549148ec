"""Party rules as pure functions: probation, party age, badges, voting, numbering.

Figures marked UNCONFIRMED in shared/reference/domain.md are parameters with
the current best value as default, never constants buried in code.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sotay_core.domain.dates import add_months, add_years, whole_months
from sotay_core.domain.entities import Attendance, EventKind, MemberEvent
from sotay_core.domain.lifecycle import REMOVAL_KINDS, ordered
from sotay_core.domain.text import nfc

# --- probation ---------------------------------------------------------------


def probation_end(admitted_on: dt.date, *, months: int = 12) -> dt.date:
    """The day full membership counts from: 12 months after the admission ceremony."""
    return add_months(admitted_on, months)


# --- party age and badges ----------------------------------------------------

BADGE_MILESTONES: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)


@dataclass(frozen=True, slots=True)
class PartyAge:
    """Time in the Party on a given day: from the first admission, minus the gaps."""

    start: dt.date          # first admission moved forward by the gaps
    gap_days: int
    months: int             # completed months of party age

    @property
    def years(self) -> int:
        return self.months // 12


def party_age(events: Iterable[MemberEvent], on: dt.date) -> PartyAge | None:
    """Party age on ``on``, or None when it does not count (yet).

    Counted from the first admission decision; periods outside the Party
    (struck off, expelled, left, until re-admission) are subtracted, and the
    count stops at death or removal. It counts only once the member has been
    made official (a probationary member has no party age yet).
    """
    history = [e for e in ordered(events) if e.date <= on]
    first: dt.date | None = None
    gap_days = 0
    out_since: dt.date | None = None
    official = False
    end = on
    for event in history:
        if event.kind is EventKind.ADMITTED:
            if first is None:
                first = event.date
            elif out_since is not None:
                gap_days += (event.date - out_since).days
            out_since = None
        elif event.kind is EventKind.MADE_OFFICIAL:
            official = True
        elif event.kind in REMOVAL_KINDS and out_since is None:
            out_since = event.date
        elif event.kind is EventKind.DECEASED:
            end = min(end, event.date)
    if first is None or not official:
        return None
    if out_since is not None:
        gap_days += (end - out_since).days
    start = first + dt.timedelta(days=gap_days)
    return PartyAge(start=start, gap_days=gap_days, months=max(0, whole_months(start, end)))


@dataclass(frozen=True, slots=True)
class BadgeMilestone:
    years: int
    reached_on: dt.date


def badge_milestones(
    events: Iterable[MemberEvent],
    on: dt.date,
    *,
    milestones: Sequence[int] = BADGE_MILESTONES,
) -> list[BadgeMilestone]:
    """Every milestone with the day it is (or will be) reached, as the history stands on ``on``.

    A member who died, was removed, or has no party age gets none after that.
    """
    history = ordered(e for e in events if e.date <= on)
    age = party_age(history, on)
    if age is None:
        return []
    # Out of the Party on ``on``: the latest admission/removal/death is not an admission.
    markers = [e for e in history
               if e.kind is EventKind.ADMITTED or e.kind in _ENDINGS]
    ended = bool(markers) and markers[-1].kind is not EventKind.ADMITTED
    result = []
    for years in milestones:
        reached = add_years(age.start, years)
        if ended and reached > on:
            continue
        result.append(BadgeMilestone(years, reached))
    return result


_ENDINGS = REMOVAL_KINDS | {EventKind.DECEASED}


def next_badge(
    events: Iterable[MemberEvent],
    on: dt.date,
    *,
    milestones: Sequence[int] = BADGE_MILESTONES,
) -> BadgeMilestone | None:
    """The first milestone reached on or after ``on``."""
    for badge in badge_milestones(events, on, milestones=milestones):
        if badge.reached_on >= on:
            return badge
    return None


def badges_in_year(
    events: Iterable[MemberEvent], year: int, *, milestones: Sequence[int] = BADGE_MILESTONES
) -> list[BadgeMilestone]:
    """Milestones reached during ``year`` (for the yearly badge proposal list)."""
    on = dt.date(year, 1, 1)
    history = list(events)
    age = party_age(history, on)
    if age is None or not any(age.start.year + m == year for m in milestones):
        return []   # the common case, without building every milestone
    return [b for b in badge_milestones(history, on, milestones=milestones)
            if b.reached_on.year == year]


# --- voting ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Voter:
    member_id: str
    official: bool
    attendance: Attendance
    suspended: bool = False        # đình chỉ sinh hoạt
    detained: bool = False         # bị truy tố, tạm giam


@dataclass(frozen=True, slots=True)
class VotingRules:
    """Who is left out of the voting base (QĐ 24 §9.3.2; UNCONFIRMED under QĐ 294)."""

    probationary_vote: bool = False
    exclude_away: bool = True
    exclude_exempted_absent: bool = True
    exclude_suspended: bool = True
    exclude_detained: bool = True
    exclude_absent_excused: bool = True


DEFAULT_VOTING = VotingRules()


def voting_base(voters: Iterable[Voter], rules: VotingRules = DEFAULT_VOTING) -> int:
    """The number of members a resolution's majority is measured against."""
    base = 0
    for v in voters:
        if not v.official and not rules.probationary_vote:
            continue
        if rules.exclude_away and v.attendance is Attendance.AWAY:
            continue
        if rules.exclude_exempted_absent and v.attendance is Attendance.EXEMPTED:
            continue
        if rules.exclude_suspended and v.suspended:
            continue
        if rules.exclude_detained and v.detained:
            continue
        if rules.exclude_absent_excused and v.attendance is Attendance.ABSENT_EXCUSED:
            continue
        base += 1
    return base


def majority_needed(base: int) -> int:
    """More than half of the voting base."""
    return base // 2 + 1


def two_thirds_needed(full_members: int) -> int:
    """At least two thirds of full members (admission, full membership)."""
    return math.ceil(2 * full_members / 3)


def is_adopted(votes_for: int, base: int) -> bool:
    return base > 0 and votes_for >= majority_needed(base)


# --- document numbering ------------------------------------------------------

_NUMBER_RE = re.compile(r"^\s*(?:Số\s*:?\s*)?(\d{1,4})\s*-\s*([^\s/]+)\s*/\s*(\S+)\s*$", re.I)


@dataclass(frozen=True, slots=True, order=True)
class DocumentNumber:
    """``Số 05-NQ/CB``: number, document type, issuing body's symbol."""

    number: int
    type_code: str
    body_symbol: str

    def __str__(self) -> str:
        return f"{self.number:02d}-{self.type_code}/{self.body_symbol}"

    @property
    def with_prefix(self) -> str:
        return f"Số {self}"


def parse_document_number(text: str) -> DocumentNumber | None:
    """``"Số 05-NQ/CB"`` or ``"05-NQ/CB"`` → DocumentNumber; None if it does not look like one."""
    match = _NUMBER_RE.match(nfc(text))
    if not match:
        return None
    return DocumentNumber(int(match.group(1)), match.group(2), match.group(3))


@dataclass(frozen=True, slots=True)
class CommitteeTerm:
    """A term of the branch committee: numbering restarts at 01 with each term."""

    starts_on: dt.date
    ends_on: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def term_for(day: dt.date, terms: Iterable[CommitteeTerm]) -> CommitteeTerm | None:
    matching = [term for term in terms if term.contains(day)]
    return max(matching, key=lambda term: term.starts_on) if matching else None


def next_document_number(
    issued: Iterable[tuple[dt.date, str]],
    *,
    type_code: str,
    body_symbol: str,
    on: dt.date,
    terms: Sequence[CommitteeTerm],
) -> DocumentNumber:
    """The next number for ``type_code`` in the term that contains ``on``.

    ``issued`` holds (date, number text) of the body's documents; numbers of
    other types, other bodies or other terms do not count. Without a known term
    every issued number of the type counts (the number never goes backwards).
    """
    term = term_for(on, terms)
    highest = 0
    for day, text in issued:
        parsed = parse_document_number(text)
        if parsed is None or parsed.type_code != type_code or parsed.body_symbol != body_symbol:
            continue
        if term is not None and not term.contains(day):
            continue
        highest = max(highest, parsed.number)
    return DocumentNumber(highest + 1, type_code, body_symbol)
