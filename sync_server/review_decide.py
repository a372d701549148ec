"""The level above decides a branch's annual review (issue 20): the commune (or province)
staff accept the grades the branch meeting proposed, or change some, under one decision
(its number, day and issuer). Each decided entry becomes a ``review_decisions`` record of
the branch's scope, written by the province only (the entity is not branch-writable), so
every PC of the branch pulls it at its next sync and the member's history shows it.

Shared by ``sotay-server review decide`` and the branch's review page. Refusals are
``AdminError`` with a message key (``server_review_*``, server_cli_review.toml) naming the
rule; nothing is written then. Deciding again (a corrected decision) rewrites the same
decision records, so a PC never holds two decisions for one entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import record_rules
from sotay_core.domain.ids import new_id
from sotay_core.domain.review import CampaignStatus, Grade, Period
from sotay_core.domain.text import fold
from sotay_core.i18n import field_label, t
from sync_server import admin, review_facts
from sync_server.admin import AdminError
from sync_server.models import Record, Unit, utcnow
from sync_server.records import put_record

NUMBER_MAX = 60
ISSUER_MAX = 200
NOTE_MAX = 5000
# A grade as typed: its code, its official words, or their short form, without accents too.
_SHORT = {Grade.EXCELLENT: "xuat sac", Grade.GOOD: "tot", Grade.FULFILLED: "hoan thanh",
          Grade.NOT_FULFILLED: "khong hoan thanh"}


def grade_choices() -> str:
    return "; ".join(f"{g.value} ({g.label})" for g in Grade)


def parse_grade(text: str) -> Grade:
    """``good``, ``Hoàn thành tốt nhiệm vụ``, ``tốt`` or ``tot``: the same grade."""
    folded = " ".join(fold(text).replace("_", " ").split())
    for grade in Grade:
        if folded in (grade.value.replace("_", " "), fold(grade.label), _SHORT[grade]):
            return grade
    raise AdminError("server_review_bad_grade", value=text[:40], choices=grade_choices())


def parse_day(text: str) -> dt.date:
    """A day as ``15/01/2026`` or ``2026-01-15``."""
    value = text.strip()
    try:
        if "/" in value:
            day, month, year = (int(p) for p in value.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AdminError("server_review_bad_day", value=value[:20]) from None


def parse_year(value: object) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise AdminError("server_bad_year", value=str(value)[:20]) from None
    if not 1930 <= year <= 2200:
        raise AdminError("server_bad_year", value=str(value)[:20])
    return year


def parse_period(value: str) -> Period:
    try:
        return Period(value.strip().lower() or "year")
    except ValueError:
        raise AdminError("server_review_bad_period", value=value[:20],
                         choices=", ".join(p.value for p in Period)) from None


def campaign_of(session: Session, branch: Unit, year: int, period: Period
                ) -> tuple[Record, dict[str, Any]]:
    """The branch's live campaign of ``year``/``period`` (its natural key), or a refusal."""
    rec = session.scalars(select(Record).where(
        Record.scope_id == branch.id, Record.entity == "review_campaigns",
        Record.natural_key == f"{branch.id}|{year}|{period.value}",
        Record.deleted.is_(False))).first()
    if rec is None:
        raise AdminError("server_review_no_campaign", branch=branch.name,
                         when=when_words(year, period))
    return rec, json.loads(rec.data)


def when_words(year: int, period: Period | str, lang: str | None = None) -> str:
    """``năm 2025`` or ``quý 2/2025`` (``of 2025``, ``of Q2 2025``) as the messages say it."""
    value = period.value if isinstance(period, Period) else period
    if value == Period.YEAR.value:
        return t("server_review.when_year", lang=lang, year=year)
    return t("server_review.when_quarter", lang=lang, q=value[1:], year=year)


def member_names(session: Session, scope: str) -> dict[str, str]:
    return {rid: str(json.loads(data).get("full_name") or "") for rid, data in session.execute(
        select(Record.id, Record.data).where(Record.scope_id == scope,
                                             Record.entity == "members"))}


def entries_by_member(session: Session, branch: Unit, campaign_id: str, keys: Mapping[str, str]
                      ) -> dict[str, Grade]:
    """``--grade`` pairs (a member's id or full name, with or without accents → a grade) as
    entry ids → grades; a member who is not in the campaign is refused, naming them."""
    names = member_names(session, branch.id)
    entries = {str(e.get("member_id")): rid
               for rid, e in review_facts.entries_of(session, branch.id, campaign_id)
               if e.get("member_id")}
    out: dict[str, Grade] = {}
    for key, grade_text in keys.items():
        grade = parse_grade(grade_text)
        member = key.strip()
        if member not in entries:
            found = [mid for mid in entries if fold(names.get(mid, "")) == fold(member)]
            if len(found) != 1:
                raise AdminError("server_review_not_in_campaign", member=member[:80])
            member = found[0]
        out[entries[member]] = grade
    return out


@dataclass
class Decided:
    campaign_id: str
    number: str
    decided_on: dt.date
    written: int = 0            # decision records written (new or changed)
    unchanged: int = 0          # … already as decided (deciding again changes nothing)
    replaced: int = 0           # earlier decisions rewritten
    changed: list[tuple[str, Grade | None, Grade]] = field(default_factory=list)  # name, was, now
    undecided: list[str] = field(default_factory=list)   # entries with no grade to decide


def clean_number(text: str) -> str:
    """The decision's number as written, without a leading "Số" (the pages and the PC add
    it): ``Số 45-QĐ/ĐU`` → ``45-QĐ/ĐU``."""
    value = admin.clean_line(text, "server_field.number")
    first, _space, rest = value.partition(" ")
    if fold(first) in ("so", "so:") and rest.strip():
        value = rest.strip()
    if not value:
        raise AdminError("server_review_number_required")
    if len(value) > NUMBER_MAX:
        raise AdminError("server_review_too_long", field=t("server_field.number"),
                         max=NUMBER_MAX)
    return value


def _held_on(data: Mapping[str, object]) -> dt.date | None:
    """The day the branch's meeting proposed the grades, when the campaign says it."""
    try:
        return dt.date.fromisoformat(str(data.get("held_on") or ""))
    except ValueError:
        return None


def decide(session: Session, *, branch: Unit, year: int, period: Period = Period.YEAR,
           number: str, decided_on: dt.date, issuer: str, note: str = "",
           grades: Mapping[str, Grade | None] | None = None, actor: str) -> Decided:
    """Decide the branch's campaign: each entry gets the grade in ``grades`` (by entry id;
    None leaves it undecided) or else the grade the branch proposed; an entry with neither
    is left undecided and named in the answer."""
    rec, data = campaign_of(session, branch, year, period)
    where = when_words(year, period)
    if data.get("status") != CampaignStatus.SENT.value:
        raise AdminError("server_review_not_sent", branch=branch.name, when=where)
    number = clean_number(number)
    issuer = admin.clean_line(issuer, "server_field.issuer")
    if not issuer:
        raise AdminError("server_review_issuer_required")
    if len(issuer) > ISSUER_MAX:
        raise AdminError("server_review_too_long", field=t("server_field.issuer"),
                         max=ISSUER_MAX)
    note = admin.clean_block(note, "server_field.review_note")
    if len(note) > NOTE_MAX:
        raise AdminError("server_review_too_long", field=t("server_field.review_note"),
                         max=NOTE_MAX)
    today = utcnow().date() + dt.timedelta(days=1)   # Vietnam is ahead of UTC
    if decided_on > today:
        raise AdminError("server_review_day_future", day=decided_on.strftime("%d/%m/%Y"))
    if decided_on.year < year:
        raise AdminError("server_review_day_early", day=decided_on.strftime("%d/%m/%Y"),
                         when=where)
    held = _held_on(data)
    if held is not None and decided_on < held:
        raise AdminError("server_review_day_before_meeting",
                         day=decided_on.strftime("%d/%m/%Y"), held=held.strftime("%d/%m/%Y"))
    chosen = dict(grades or {})
    entries = review_facts.entries_of(session, branch.id, rec.id)
    known = {rid for rid, _e in entries}
    for entry_id in chosen:
        if entry_id not in known:
            raise AdminError("server_review_not_in_campaign", member=entry_id[:80])
    earlier = review_facts.decisions_of(session, branch.id, rec.id)
    names = member_names(session, branch.id)
    out = Decided(rec.id, number, decided_on)
    plan: list[tuple[str, dict[str, Any]]] = []
    for entry_id, entry in entries:
        member_id = entry.get("member_id") or None
        name = names.get(str(member_id), "") if member_id else branch.name
        proposed = review_facts.grade_of(entry.get("grade"))
        grade = chosen[entry_id] if entry_id in chosen else proposed
        if grade is None:
            out.undecided.append(name)
            continue
        if grade != proposed:
            out.changed.append((name, proposed, grade))
        values = {"entry_id": entry_id, "campaign_id": rec.id, "member_id": member_id,
                  "grade": grade.value, "number": number,
                  "decided_on": decided_on.isoformat(), "issuer": issuer, "note": note}
        try:
            record_rules.check_fields("review_decisions", values, today=today)
        except record_rules.RecordError as exc:
            raise AdminError(f"rule.{exc.code}", field=field_label(exc.field)) from None
        plan.append((entry_id, values))
    if not plan:
        raise AdminError("server_review_nothing", branch=branch.name, when=where)
    for entry_id, values in plan:
        before = earlier.get(entry_id)
        if before is not None and before[1] == values:
            out.unchanged += 1
            continue
        out.replaced += before is not None
        put_record(session, scope_id=branch.id, entity="review_decisions",
                   row_id=before[0] if before is not None else new_id(), data=values,
                   by=actor, province_owned=True)
        out.written += 1
    admin.log_action(session, actor, "review_decide", branch=branch.id, campaign=rec.id,
                     number=number, decided_on=decided_on.isoformat(), written=out.written,
                     changed=len(out.changed))
    return out
