"""Writing the annual review (issue 20): the settings, a campaign opened (the scheme kept
with it, one entry per member it reviews and one for the branch itself, each with the
period's facts), refreshed while open, each self-review, each proposal of the branch
meeting (points, grade, vote). The meeting held and the proposals sent up are in
``review_hold``.

Every value is checked by the core's rules (``domain.review``) before anything is written;
every write goes through ``recording`` (outbox + audit) in the caller's transaction, so a
refusal leaves nothing half-written and the rows go up with the next sync. Refusals name the
rule and the member. Reads are in ``services.review_read``; the facts in ``review_facts``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain import record_rules
from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.review import (
    CampaignStatus,
    Grade,
    Period,
    Scheme,
    Tally,
    check_grade,
    check_passes,
    grade_for,
    points,
    total,
)
from sotay_core.domain.review_setting import (
    Policy,
    period_bounds,
    policy_to_json,
    scheme_from_json,
    scheme_to_json,
)
from sotay_core.domain.review_sheet import YearFacts
from sotay_core.domain.text import clean_block
from sotay_core.i18n import t
from sotay_desktop.db.meta import set_meta
from sotay_desktop.db.tables import MemberRow, Meta
from sotay_desktop.db.year_tables import ReviewCampaignRow, ReviewEntryRow
from sotay_desktop.services import review_read as read
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.recording import apply_update, record_change
from sotay_desktop.services.review_facts import (
    branch_facts,
    dues_book,
    facts_to_json,
    member_facts,
)

REVIEW_CHANGES = Changes.of("review_campaigns", "review_entries")
ENTRY_FIELDS = ("member_id", "facts", "self_points", "self_grade", "self_text", "scores",
                "points", "grade", "disciplined", "tasks_on_time", "comments", "votes_yes",
                "votes_no", "votes_abstain", "votes_invalid", "voting_base", "secret")


# --- the settings ------------------------------------------------------------------------


def _set_meta(session: Session, key: str, text: str | None) -> Changes:
    if text is None:
        row = session.get(Meta, key)
        if row is not None:
            session.delete(row)
            session.flush()
    else:
        set_meta(session, key, text)
    return REVIEW_CHANGES


def set_scheme(session: Session, text: str | None) -> Changes:
    """The points scheme for campaigns opened from now on (JSON, checked first); None: the
    default (QĐ 366). A campaign keeps the scheme it was opened with."""
    return _set_meta(session, read.SCHEME_KEY,
                     None if text is None else scheme_to_json(scheme_from_json(text)))


def set_policy(session: Session, policy: Policy | None) -> Changes:
    return _set_meta(session, read.POLICY_KEY, None if policy is None else policy_to_json(policy))


# --- opening and refreshing a campaign ----------------------------------------------------


def _flags(facts: YearFacts) -> dict[str, Any]:
    return {"facts": facts_to_json(facts), "disciplined": facts.disciplined,
            "tasks_on_time": facts.tasks_on_time}


def _new_entry(session: Session, campaign_id: str, member_id: str | None,
               facts: YearFacts) -> None:
    row = ReviewEntryRow(id=new_id(), campaign_id=campaign_id, member_id=member_id,
                         **_flags(facts), self_points="", self_grade="", self_text="",
                         scores="{}", points="", grade="", comments="", votes_yes=0,
                         votes_no=0, votes_abstain=0, votes_invalid=0, voting_base=0,
                         secret=False)
    session.add(row)
    session.flush()
    record_change(session, entity="review_entries", row_id=row.id, op="create", base_version=0,
                  fields={"campaign_id": campaign_id,
                          **{name: getattr(row, name) for name in ENTRY_FIELDS}})


def open_row(session: Session, *, unit_id: str, year: int, period: Period
              ) -> ReviewCampaignRow:
    row = read.campaign(session, unit_id=unit_id, year=year, period=period)
    status = read.status_of(row)
    if status is not CampaignStatus.OPEN:
        raise ValidationError("review_app.campaign_closed",
                              period=read.period_words(year, period),
                              status=t(f"review_app.status_{status.value}"))
    return row


def open_campaign(session: Session, *, unit_id: str, year: int, period: Period,
                  today: dt.date) -> tuple[str, bool, Changes]:
    """(campaign id, made now, changes). A campaign already open is refreshed instead;
    one held or sent is refused."""
    policy = read.current_policy(session)
    words = read.period_words(year, period)
    first = record_rules.rule("review_campaigns", "year").min_value or 1930
    if year < first:
        raise ValidationError("review_app.bad_year", year=year, first=first)
    if period is not Period.YEAR and not policy.quarters:
        raise ValidationError("review_app.quarters_off", period=words)
    start, _end = period_bounds(year, period)
    if start > today:
        raise ValidationError("review_app.not_started", period=words,
                              start=start.strftime("%d/%m/%Y"))
    existing = read.find_campaign(session, unit_id=unit_id, year=year, period=period)
    if existing is not None:
        open_row(session, unit_id=unit_id, year=year, period=period)
        return existing.id, False, refresh(session, unit_id=unit_id, year=year,
                                           period=period, today=today)
    values = {"unit_id": unit_id, "year": year, "period": period.value,
              "scheme": scheme_to_json(read.current_scheme(session)),
              "status": CampaignStatus.OPEN.value, "meeting_id": None, "held_on": None,
              "note": ""}
    row = ReviewCampaignRow(id=new_id(), **values)
    session.add(row)
    session.flush()
    record_change(session, entity="review_campaigns", row_id=row.id, op="create",
                  base_version=0, fields=values)
    refresh(session, unit_id=unit_id, year=year, period=period, today=today)
    return row.id, True, REVIEW_CHANGES


def refresh(session: Session, *, unit_id: str, year: int, period: Period,
            today: dt.date) -> Changes:
    """Read the facts again; add an entry for a member the campaign now reviews (arrived,
    six months since admission); drop the entry of one it no longer reviews (left, exempted,
    a policy changed), self-review and all, unless the meeting already proposed a grade."""
    row = open_row(session, unit_id=unit_id, year=year, period=period)
    session.info.get("review_entries", {}).pop(row.id, None)
    start, end = period_bounds(year, period)
    on = read.reference_day(year, period, today)
    people = read.roster(session, unit_id=unit_id, on=on, policy=read.current_policy(session))
    book = dues_book(session, unit_id=unit_id, year=year, today=today)
    facts = member_facts(session, unit_id=unit_id, year=year, start=start, end=end,
                         today=today, people={p.member_id: p.events for p in people.reviewed},
                         book=book)
    entries = {e.member_id: e for e in read.live_entries(session, row.id)}
    changed = False
    for person in people.reviewed:
        entry = entries.pop(person.member_id, None)
        if entry is None:
            _new_entry(session, row.id, person.member_id, facts[person.member_id])
            changed = True
        else:
            changed |= apply_update(session, entity="review_entries", row=entry,
                                    values=_flags(facts[person.member_id]))
    own = branch_facts(session, unit_id=unit_id, start=start, end=end, today=today, book=book)
    branch = entries.pop(None, None)
    if branch is None:
        _new_entry(session, row.id, None, own)
        changed = True
    else:
        changed |= apply_update(session, entity="review_entries", row=branch,
                                values=_flags(own))
    for entry in entries.values():
        if not entry.grade:
            changed |= apply_update(session, entity="review_entries", row=entry,
                                    values={"deleted": True})
    session.info.get("review_entries", {}).pop(row.id, None)
    return REVIEW_CHANGES if changed else Changes()


# --- one entry ----------------------------------------------------------------------------


def _entries(session: Session, campaign_id: str) -> dict[str | None, ReviewEntryRow]:
    """The campaign's live entries by member, read once per transaction (``refresh``, which
    adds and drops entries, forgets them)."""
    known: dict[str, dict[str | None, ReviewEntryRow]] = session.info.setdefault(
        "review_entries", {})
    if campaign_id not in known:
        known[campaign_id] = {}
        for entry in read.live_entries(session, campaign_id):
            known[campaign_id].setdefault(entry.member_id, entry)
    return known[campaign_id]


def entry_for(session: Session, campaign: ReviewCampaignRow,
              member_id: str | None) -> tuple[ReviewEntryRow, str]:
    """The entry of ``member_id`` (None: the branch's own) and the name it goes by."""
    found = _entries(session, campaign.id).get(member_id)
    if member_id is None:
        info = branch_info(session)
        name = info.branch.name if info else "—"
    else:
        member = session.get(MemberRow, member_id)
        if member is None or member.deleted or member.unit_id != campaign.unit_id:
            raise NotFoundError("not_found", what=t("member"), id=member_id)
        name = member.full_name
    if found is None:
        raise ValidationError("review_app.not_reviewed", member=name,
                              period=read.period_words(campaign.year, Period(campaign.period)))
    return found, name


def _text(value: str, field: str, who: str) -> str:
    text = clean_block(value or "")
    limit = record_rules.rule("review_entries", field).max_length
    if len(text) > limit:
        raise ValidationError("review_app.text_too_long", who=who, limit=limit)
    return text


def _checked_grade(grade: Grade | str | None, value: Decimal, scheme: Scheme, *, who: str,
                   entry: ReviewEntryRow) -> Grade:
    """The grade given, if the points and conditions allow it; none given: theirs."""
    if grade is None or grade == "":
        return grade_for(value, scheme, disciplined=entry.disciplined,
                         tasks_on_time=entry.tasks_on_time)
    try:
        return check_grade(read.parse_grade(grade), value, scheme, who=who,
                           disciplined=entry.disciplined, tasks_on_time=entry.tasks_on_time)
    except ValidationError as exc:
        raise read.GradeRefusal(exc) from None


def read_again(session: Session, row: ReviewCampaignRow, today: dt.date) -> Changes:
    """The campaign's facts read again, once per transaction, before a grade is checked: a
    discipline recorded or a task gone late since the last refresh caps the grade now, not
    at the next refresh (the grade would be checked against the records as they were)."""
    done: set[str] = session.info.setdefault("review_read_again", set())
    if row.id in done:
        return Changes()
    changes = refresh(session, unit_id=row.unit_id, year=row.year, period=Period(row.period),
                      today=today)
    done.add(row.id)
    return changes


def record_self(session: Session, *, unit_id: str, year: int, period: Period,
                member_id: str | None, today: dt.date, points_given: object = None,
                grade: Grade | str | None = None, text: str | None = None) -> Changes:
    """The self-review of a member (None: the branch's own): points, grade (from the
    points when not given; refused when it contradicts them), text. What is not given is
    kept as it was."""
    row = open_row(session, unit_id=unit_id, year=year, period=period)
    read_first = read_again(session, row, today)
    entry, who = entry_for(session, row, member_id)
    values: dict[str, Any] = {}
    if text is not None:
        values["self_text"] = _text(text, "self_text", who)
    if points_given is not None and points_given != "":
        value = points(points_given, where=who)
        values["self_points"] = str(value)
        values["self_grade"] = _checked_grade(grade, value, read.scheme_of(row), who=who,
                                              entry=entry).value
    elif grade:
        raise ValidationError("review_app.grade_without_points", who=who)
    if not values:
        raise ValidationError("review_app.nothing_given", who=who)
    changed = apply_update(session, entity="review_entries", row=entry, values=values)
    return REVIEW_CHANGES if changed or read_first else Changes()


@dataclass(frozen=True, slots=True)
class Votes:
    """The vote as typed: ``base`` None takes the campaign's voting base."""

    yes: int
    no: int = 0
    abstain: int = 0
    invalid: int = 0
    base: int | None = None
    secret: bool = False


def voting_base(session: Session, campaign: ReviewCampaignRow, today: dt.date) -> int:
    on = campaign.held_on or read.reference_day(campaign.year, Period(campaign.period), today)
    return read.party_numbers(session, unit_id=campaign.unit_id, on=on)[1]


def _tally(session: Session, campaign: ReviewCampaignRow, votes: Votes, scheme: Scheme, *,
           who: str, today: dt.date) -> Tally:
    on = campaign.held_on or read.reference_day(campaign.year, Period(campaign.period), today)
    on_roster, voters = read.party_numbers(session, unit_id=campaign.unit_id, on=on)
    base = voters if votes.base is None else votes.base
    if base > on_roster:
        raise ValidationError("review_app.base_over_roster", who=who, base=base,
                              members=on_roster)
    tally = Tally(base, votes.yes, votes.no, votes.abstain, votes.invalid, votes.secret)
    return check_passes(tally, scheme, who=who)


def propose(session: Session, *, unit_id: str, year: int, period: Period,
            member_id: str | None, today: dt.date, points_given: object = None,
            scores: Mapping[str, object] | None = None, grade: Grade | str | None = None,
            votes: Votes | None = None, comments: str | None = None) -> tuple[Grade, Changes]:
    """The branch meeting's proposal for a member (None: the branch's own self-grade):
    points per criterion (their sum) or a total, the grade (from the points and conditions
    when not given; refused when it contradicts them), the vote on it (refused without
    more than the set share of the voting base). Recording again replaces it."""
    row = open_row(session, unit_id=unit_id, year=year, period=period)
    read_first = read_again(session, row, today)
    entry, who = entry_for(session, row, member_id)
    scheme = read.scheme_of(row)
    given = None if points_given is None or points_given == "" else points(points_given,
                                                                           where=who)
    if scores:
        value = total(scores, scheme)
        if given is not None and given != value:
            raise ValidationError("review_app.points_not_sum", who=who, points=given,
                                  total=value)
        kept = {code: str(points(v, where=code)) for code, v in scores.items()}
    elif given is not None:
        value, kept = given, {}
    else:
        raise ValidationError("review_app.points_missing", who=who)
    chosen = _checked_grade(grade, value, scheme, who=who, entry=entry)
    values: dict[str, Any] = {"points": str(value), "grade": chosen.value,
                              "scores": json.dumps(kept, sort_keys=True)}
    if votes is not None:
        tally = _tally(session, row, votes, scheme, who=who, today=today)
        values |= {"votes_yes": tally.yes, "votes_no": tally.no,
                   "votes_abstain": tally.abstain, "votes_invalid": tally.invalid,
                   "voting_base": tally.base, "secret": tally.secret}
    if comments is not None:
        values["comments"] = _text(comments, "comments", who)
    changed = apply_update(session, entity="review_entries", row=entry, values=values)
    return chosen, REVIEW_CHANGES if changed or read_first else Changes()
