"""Reading the annual review (issue 20): its two settings (the points scheme and the
policy, kept in ``meta`` like the meeting's score scheme), a campaign and its entries, the
members a campaign reviews and those it leaves out, the campaign as the papers and screens
see it (``review_sheet.CampaignView``), and a member's reviews over the years.

The level above's decisions (``review_decisions``) are written by the province server and
pulled down; they are read by ``services.review_history`` only. Writes are in
``services.review``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import MemberStatus, stored
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.reminders import MemberHistory
from sotay_core.domain.review import (
    DEFAULT_SCHEME,
    CampaignStatus,
    Grade,
    Period,
    Scheme,
    Tally,
    points,
)
from sotay_core.domain.review_setting import (
    DEFAULT_POLICY,
    Exclusion,
    Policy,
    exclusion,
    member_state,
    period_bounds,
    policy_from_json,
    scheme_from_json,
)
from sotay_core.domain.review_sheet import CampaignView, ReviewSheet
from sotay_core.domain.text import fold
from sotay_core.i18n import field_label, t
from sotay_desktop.db.meta import get_meta
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.db.year_tables import ReviewCampaignRow, ReviewEntryRow
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.meetings import committee_secretary
from sotay_desktop.services.members import histories
from sotay_desktop.services.review_facts import facts_from_json
from sotay_desktop.services.review_history import (
    DecidedGrade,
    campaign_decisions,
    latest_by_entry,
    member_grades,
)

SCHEME_KEY = "review_scheme"
POLICY_KEY = "review_policy"


# --- the settings ------------------------------------------------------------------------


def current_scheme(session: Session) -> Scheme:
    text = get_meta(session, SCHEME_KEY)
    return scheme_from_json(text) if text else DEFAULT_SCHEME


def current_policy(session: Session) -> Policy:
    text = get_meta(session, POLICY_KEY)
    return policy_from_json(text) if text else DEFAULT_POLICY


# --- a campaign -------------------------------------------------------------------------


def period_of(quarter: int | None) -> Period:
    if quarter is None:
        return Period.YEAR
    if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        raise ValidationError("review_app.bad_quarter", value=quarter)
    return Period(f"q{quarter}")


def period_words(year: int, period: Period) -> str:
    if period is Period.YEAR:
        return t("review_app.period_year", year=year)
    return t("review_app.period_quarter", quarter=period.value[1], year=year)


def find_campaign(session: Session, *, unit_id: str, year: int,
                  period: Period) -> ReviewCampaignRow | None:
    """Found once per transaction (a table of proposals asks for each row)."""
    known: dict[tuple[str, int, str], str] = session.info.setdefault("review_campaigns", {})
    key = (unit_id, year, period.value)
    if key in known:
        row = session.get(ReviewCampaignRow, known[key])
        if row is not None and not row.deleted:
            return row
    row = session.scalars(select(ReviewCampaignRow).where(
        ReviewCampaignRow.unit_id == unit_id, ReviewCampaignRow.year == year,
        ReviewCampaignRow.period == period.value, ReviewCampaignRow.deleted.is_(False))
        .order_by(ReviewCampaignRow.created_at)).first()
    if row is not None:
        known[key] = row.id
    return row


def campaign(session: Session, *, unit_id: str, year: int, period: Period) -> ReviewCampaignRow:
    row = find_campaign(session, unit_id=unit_id, year=year, period=period)
    if row is None:
        raise ValidationError("review_app.no_campaign", period=period_words(year, period))
    return row


def status_of(row: ReviewCampaignRow) -> CampaignStatus:
    return stored(CampaignStatus, row.status, CampaignStatus.OPEN)


def scheme_of(row: ReviewCampaignRow) -> Scheme:
    """The scheme kept with the campaign (a later change of the setting never re-grades)."""
    try:
        return scheme_from_json(row.scheme) if row.scheme else DEFAULT_SCHEME
    except ValidationError:
        return DEFAULT_SCHEME


def reference_day(year: int, period: Period, today: dt.date) -> dt.date:
    """The day the roster is read on: the period's last day, or today if that is earlier."""
    return min(period_bounds(year, period)[1], today)


def live_entries(session: Session, campaign_id: str) -> list[ReviewEntryRow]:
    return list(session.scalars(select(ReviewEntryRow).where(
        ReviewEntryRow.campaign_id == campaign_id, ReviewEntryRow.deleted.is_(False))
        .order_by(ReviewEntryRow.created_at, ReviewEntryRow.id)))


@dataclass(frozen=True, slots=True)
class Roster:
    """Who a campaign reviews (roster order) and who of the branch's roster it leaves out."""

    reviewed: tuple[MemberHistory, ...]
    left_out: tuple[tuple[MemberHistory, Exclusion], ...]


def roster(session: Session, *, unit_id: str, on: dt.date, policy: Policy) -> Roster:
    """Members only: a candidate (``candidates``) is no member and is never listed here."""
    reviewed, left_out = [], []
    for person in histories(session, unit_id=unit_id):
        why = exclusion(person.events, on=on, policy=policy)
        if why is None:
            reviewed.append(person)
        elif why is not Exclusion.NOT_ON_ROSTER:
            left_out.append((person, why))
    return Roster(tuple(reviewed), tuple(left_out))


def party_numbers(session: Session, *, unit_id: str, on: dt.date) -> tuple[int, int]:
    """(members on the roster on ``on``, of them who may vote on a proposal): the voting
    base is the official members on the roster, not exempted and not away (probationary
    members do not vote, Điều lệ Đảng art. 5; ``rules.DEFAULT_VOTING``). Counted once per
    transaction (a table of 5,000 proposals asks 5,000 times)."""
    cache = session.info.setdefault("review_party_numbers", {})
    key = (unit_id, on)
    if key not in cache:
        on_roster = voters = 0
        for person in histories(session, unit_id=unit_id):
            status = member_state(person.events, on).status
            if status.on_roster:
                on_roster += 1
                voters += status is MemberStatus.OFFICIAL
        cache[key] = (on_roster, voters)
    found: tuple[int, int] = cache[key]
    return found


# --- one entry's values --------------------------------------------------------------


def parse_grade(value: Grade | str) -> Grade:
    if isinstance(value, Grade):
        return value
    word = fold(str(value))
    for grade in Grade:
        if word in (fold(grade.value), fold(ABBREVIATIONS[grade]), fold(grade.label)):
            return grade
    raise ValidationError("review_app.bad_grade", value=value,
                          choices=", ".join(f"{g.value} ({ABBREVIATIONS[g]})" for g in Grade))


ABBREVIATIONS = {Grade.EXCELLENT: "HTXSNV", Grade.GOOD: "HTTNV", Grade.FULFILLED: "HTNV",
                 Grade.NOT_FULFILLED: "KHTNV"}


class GradeRefusal(ValidationError):
    """The core's refusal of a grade, with the grades in the words of the language the
    message is read in (the core writes the official Vietnamese terms)."""

    def __init__(self, exc: ValidationError) -> None:
        super().__init__(exc.code, field=exc.field, **exc.params)

    def message(self, lang: str | None = None) -> str:
        words = {g.label: t(f"review.grade.{g.value}", lang=lang) for g in Grade}
        params = {k: words.get(v, v) if isinstance(v, str) else v
                  for k, v in self.params.items()}
        text = t(self.code, lang=lang, **params)
        return f"{field_label(self.field, lang=lang)}: {text}" if self.field else text


def points_of(text: str) -> Decimal | None:
    try:
        return points(text) if text else None
    except ValidationError:
        return None


def grade_of(text: str) -> Grade | None:
    return stored(Grade, text) if text else None


def scores_of(text: str) -> dict[str, Decimal]:
    try:
        raw = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    found = {}
    for code, value in (raw.items() if isinstance(raw, dict) else ()):
        number = points_of(value) if isinstance(value, str) else None
        if number is not None:
            found[str(code)] = number
    return found


def tally_of(row: ReviewEntryRow) -> Tally | None:
    """None when no vote was recorded (no voting base)."""
    if not row.voting_base:
        return None
    return Tally(row.voting_base, row.votes_yes, row.votes_no, row.votes_abstain,
                 row.votes_invalid, row.secret)


# --- the campaign as the papers and screens see it ------------------------------------


def _role(status: MemberStatus, secretary: bool) -> str:
    """The paper's words (Vietnamese whatever the UI speaks)."""
    if secretary:
        return "Bí thư chi bộ"
    return "Đảng viên dự bị" if status is MemberStatus.PROBATIONARY else "Đảng viên chính thức"


def sheet_of(row: ReviewEntryRow, *, name: str, born_on: dt.date | None = None,
             role: str = "", decision: DecidedGrade | None = None) -> ReviewSheet:
    return ReviewSheet(
        entry_id=row.id, member_id=row.member_id, name=name, born_on=born_on, role=role,
        facts=facts_from_json(row.facts), self_text=row.self_text,
        self_points=points_of(row.self_points), self_grade=grade_of(row.self_grade),
        scores=scores_of(row.scores), points=points_of(row.points), grade=grade_of(row.grade),
        comments=row.comments, tally=tally_of(row),
        decided_grade=decision.grade if decision else None,
        decision=decision.number if decision else "")


def campaign_view(session: Session, *, unit_id: str, year: int, period: Period,
                  today: dt.date) -> CampaignView:
    row = campaign(session, unit_id=unit_id, year=year, period=period)
    info = branch_info(session)
    unit_name = info.branch.name if info else ""
    parent = info.superior.name if info and info.superior else ""
    on = row.held_on or reference_day(year, period, today)
    secretary = committee_secretary(session, unit_id, on)
    decisions = campaign_decisions(session, row.id)
    people = {m.id: m for m in session.scalars(select(MemberRow).where(
        MemberRow.unit_id == unit_id))}
    events = {h.member_id: h.events for h in histories(session, unit_id=unit_id)}
    sheets, branch = [], None
    for entry in live_entries(session, row.id):
        if entry.member_id is None:
            branch = sheet_of(entry, name=unit_name, decision=decisions.get(entry.id))
            continue
        member = people.get(entry.member_id)
        if member is None:
            continue
        status = member_state(events.get(member.id, ()), on).status
        sheets.append((member.sort_key, member.id, sheet_of(
            entry, name=member.full_name, born_on=member.date_of_birth,
            role=_role(status, secretary is not None and secretary[0] == member.id),
            decision=decisions.get(entry.id))))
    sheets.sort(key=lambda item: (item[0], item[1]))
    return CampaignView(row.id, unit_name, parent, year, Period(row.period), status_of(row).value,
                        scheme_of(row), row.held_on, tuple(s for _k, _i, s in sheets), branch)


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    campaign_id: str
    year: int
    period: Period
    status: CampaignStatus
    held_on: dt.date | None
    entries: int
    proposed: int


def campaigns(session: Session, *, unit_id: str) -> list[CampaignSummary]:
    """The branch's campaigns, newest first."""
    found = []
    for row in session.scalars(select(ReviewCampaignRow).where(
            ReviewCampaignRow.unit_id == unit_id, ReviewCampaignRow.deleted.is_(False))):
        period = stored(Period, row.period, Period.YEAR)
        entries = live_entries(session, row.id)
        found.append(CampaignSummary(row.id, row.year, period, status_of(row), row.held_on,
                                     sum(e.member_id is not None for e in entries),
                                     sum(bool(e.grade) for e in entries
                                         if e.member_id is not None)))
    order = list(Period)
    return sorted(found, key=lambda c: (-c.year, -order.index(c.period)))


@dataclass(frozen=True, slots=True)
class MemberReview:
    """One of a member's reviews, for their history: proposed and, once down, decided."""

    year: int
    period: Period
    points: Decimal | None
    grade: Grade | None
    decided_grade: Grade | None
    decision: str
    decided_on: dt.date | None


def member_reviews(session: Session, *, member_id: str) -> list[MemberReview]:
    rows = session.execute(
        select(ReviewEntryRow, ReviewCampaignRow.year, ReviewCampaignRow.period)
        .join(ReviewCampaignRow, ReviewCampaignRow.id == ReviewEntryRow.campaign_id)
        .where(ReviewEntryRow.member_id == member_id, ReviewEntryRow.deleted.is_(False),
               ReviewCampaignRow.deleted.is_(False)))
    decided = latest_by_entry(member_grades(session, member_id))
    found = []
    for entry, year, period in rows:
        decision = decided.get(entry.id)
        found.append(MemberReview(
            year, stored(Period, period, Period.YEAR), points_of(entry.points),
            grade_of(entry.grade), decision.grade if decision else None,
            decision.number if decision else "", decision.decided_on if decision else None))
    order = list(Period)
    return sorted(found, key=lambda r: (-r.year, -order.index(r.period)))
