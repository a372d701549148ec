"""The demo branch's annual reviews (issue 20), made after its meetings, tasks and dues:

* last year's, finished: every member the policy reviews has a self-review and the branch
  meeting's proposal (points, the grade the points and conditions give, the "excellent"
  kept within the cap, an open vote that passes), the branch its own self-grade; held at
  last December's meeting, sent up, and the commune's decision come down (the
  ``review_decisions`` rows the province server would write, made here as if pulled);
* this year's, open, with a few self-reviews in.

The same rules and readings as the use cases (``services.review_read``, ``review_facts``,
``domain.review``). Deterministic for (seed, as_of) and local only (no outbox), like the
rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sotay_core.domain.review import (
    DEFAULT_SCHEME,
    CampaignStatus,
    Grade,
    Period,
    Proposal,
    Tally,
    excellent_cap,
    grade_for,
    passes,
)
from sotay_core.domain.review_setting import DEFAULT_POLICY, period_bounds, scheme_to_json
from sotay_core.domain.review_sheet import YearFacts
from sotay_desktop.db.tables import MeetingRow
from sotay_desktop.db.year_tables import ReviewCampaignRow, ReviewDecisionRow, ReviewEntryRow
from sotay_desktop.services import review_read as read
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.review_facts import (
    branch_facts,
    dues_book,
    facts_to_json,
    member_facts,
)

SELF_TEXTS = (
    "Luôn chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tham gia "
    "sinh hoạt chi bộ đều đặn, đóng đảng phí đầy đủ. Hạn chế: đôi khi chưa mạnh dạn "
    "phát biểu ý kiến trong sinh hoạt.",
    "Hoàn thành các nhiệm vụ chi bộ phân công; gương mẫu trong gia đình và khu dân cư, "
    "vận động bà con tham gia xây dựng nông thôn mới. Cần nghiên cứu thêm nghị quyết.",
    "Giữ gìn phẩm chất đạo đức, lối sống; tích cực tham gia công tác đoàn thể ở thôn. "
    "Còn hạn chế về thời gian do tuổi cao, sức khoẻ.",
)
COMMENTS = {
    Grade.EXCELLENT: "Gương mẫu, nhiệt tình, hoàn thành xuất sắc nhiệm vụ được giao.",
    Grade.GOOD: "Chấp hành tốt, hoàn thành tốt nhiệm vụ được giao.",
    Grade.FULFILLED: "Hoàn thành nhiệm vụ; cần khắc phục việc chậm tiến độ, vắng sinh hoạt.",
    Grade.NOT_FULFILLED: "Chưa hoàn thành nhiệm vụ, cần cố gắng nhiều hơn.",
}
BLANK = {"self_points": "", "self_grade": "", "self_text": "", "scores": "{}", "points": "",
         "grade": "", "comments": "", "votes_yes": 0, "votes_no": 0, "votes_abstain": 0,
         "votes_invalid": 0, "voting_base": 0, "secret": False}


def _points(rng: random.Random) -> Decimal:
    roll = rng.random()
    low, high = ((900, 970) if roll < 0.25 else (700, 895) if roll < 0.85
                 else (500, 695) if roll < 0.97 else (400, 495))
    return Decimal(rng.randint(low, high)) / 10


def _scores(rng: random.Random, total: Decimal) -> dict[str, str]:
    """The default scheme's four criteria (10, 10, 10 and 70 points) adding up to
    ``total``."""
    tenth = Decimal("0.1")
    common = min(Decimal(30), total, max(total - 70, Decimal(rng.randint(210, 295)) / 10))
    first = min(Decimal(10), max(common - 20, (common / 3).quantize(tenth, ROUND_DOWN)))
    second = min(Decimal(10), max(common - first - 10,
                                  ((common - first) / 2).quantize(tenth, ROUND_DOWN)))
    shares = (first, second, common - first - second, total - common)
    return {c.code: str(share) for c, share in zip(DEFAULT_SCHEME.criteria, shares, strict=True)}


def _tally(rng: random.Random, base: int) -> dict[str, Any]:
    if base <= 0:
        return {}
    no = rng.choice((0, 0, 0, 1)) if base >= 6 else 0
    tally = Tally(base, base - no, no)
    assert passes(tally, DEFAULT_SCHEME)
    return {"votes_yes": tally.yes, "votes_no": tally.no, "voting_base": base}


def make_reviews(session: Session, *, unit_id: str, as_of: dt.date, seed: int,
                 common: dict[str, Any]) -> Changes:
    rng = random.Random(seed * 20 + 11)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    last = as_of.year - 1
    december = session.scalars(select(MeetingRow).where(
        MeetingRow.unit_id == unit_id, MeetingRow.date >= dt.date(last, 12, 1),
        MeetingRow.date <= dt.date(last, 12, 31)).order_by(MeetingRow.date)).first()
    held_on = december.date if december else dt.date(last, 12, 20)
    campaigns: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    decisions: list[dict[str, Any]] = []
    scheme = scheme_to_json(DEFAULT_SCHEME)

    def campaign(year: int, status: CampaignStatus, held: dt.date | None,
                 meeting_id: str | None) -> str:
        campaign_id = new_id()
        campaigns.append({**common, "id": campaign_id, "unit_id": unit_id, "year": year,
                          "period": Period.YEAR.value, "scheme": scheme,
                          "status": status.value, "meeting_id": meeting_id, "held_on": held,
                          "note": ""})
        return campaign_id

    def entry(campaign_id: str, member_id: str | None, facts: YearFacts,
              **values: Any) -> str:
        entry_id = new_id()
        entries.append({**common, **BLANK, "id": entry_id, "campaign_id": campaign_id,
                        "member_id": member_id, "facts": facts_to_json(facts),
                        "disciplined": facts.disciplined, "tasks_on_time": facts.tasks_on_time,
                        **values})
        return entry_id

    # last year: finished, sent, decided
    start, end = period_bounds(last, Period.YEAR)
    people = read.roster(session, unit_id=unit_id, on=held_on, policy=DEFAULT_POLICY)
    book = dues_book(session, unit_id=unit_id, year=last, today=held_on)
    facts = member_facts(session, unit_id=unit_id, year=last, start=start, end=end,
                         today=held_on, people={p.member_id: p.events for p in people.reviewed},
                         book=book)
    base = read.party_numbers(session, unit_id=unit_id, on=held_on)[1]
    given = {p.member_id: _points(rng) for p in people.reviewed}

    def graded(member_id: str) -> Grade:
        f = facts[member_id]
        return grade_for(given[member_id], DEFAULT_SCHEME, disciplined=f.disciplined,
                         tasks_on_time=f.tasks_on_time)

    cap = excellent_cap([Proposal(p.member_id, given[p.member_id], graded(p.member_id))
                         for p in people.reviewed], DEFAULT_SCHEME)
    for over in cap.over:   # kept within the share of "excellent": proposed "good" instead
        given[over.who] = Decimal(rng.randint(800, 895)) / 10
    previous = campaign(last, CampaignStatus.SENT, held_on, december.id if december else None)
    info = branch_info(session)
    commune = info.superior.name if info and info.superior else "Đảng ủy xã"
    issuer = f"Ban Thường vụ {commune}"
    decided_on = min(dt.date(as_of.year, 1, 15), as_of)
    number = f"Số {rng.randint(20, 90)}-QĐ/ĐU"
    # As pulled from the province (version 1): a demo folder enrolled later drops them at
    # its first convergence check, as the server never decided them.
    pulled = {**common, "version": 1}
    for person in people.reviewed:
        grade = graded(person.member_id)
        mine = max(Decimal(40), min(Decimal(100), given[person.member_id]
                                    + Decimal(rng.randint(-20, 20)) / 10))
        f = facts[person.member_id]
        entry_id = entry(
            previous, person.member_id, f, self_points=str(mine),
            self_grade=grade_for(mine, DEFAULT_SCHEME, disciplined=f.disciplined,
                                 tasks_on_time=f.tasks_on_time).value,
            self_text=rng.choice(SELF_TEXTS), points=str(given[person.member_id]),
            grade=grade.value, comments=COMMENTS[grade],
            scores=json.dumps(_scores(rng, given[person.member_id]), sort_keys=True),
            **_tally(rng, base))
        decisions.append({**pulled, "id": new_id(), "entry_id": entry_id,
                          "campaign_id": previous, "member_id": person.member_id,
                          "grade": grade.value, "number": number, "decided_on": decided_on,
                          "issuer": issuer, "note": ""})
    own = branch_facts(session, unit_id=unit_id, start=start, end=end, today=held_on,
                       book=book)
    own_points = Decimal(rng.randint(820, 930)) / 10
    own_grade = grade_for(own_points, DEFAULT_SCHEME, tasks_on_time=own.tasks_on_time)
    branch_entry = entry(previous, None, own, self_points=str(own_points),
                         self_grade=own_grade.value, points=str(own_points),
                         grade=own_grade.value, **_tally(rng, base),
                         self_text="Chi bộ lãnh đạo thực hiện tốt nhiệm vụ chính trị ở thôn; "
                                   "sinh hoạt đều đặn, đúng nguyên tắc.")
    decisions.append({**pulled, "id": new_id(), "entry_id": branch_entry,
                      "campaign_id": previous, "member_id": None, "grade": own_grade.value,
                      "number": number, "decided_on": decided_on, "issuer": issuer,
                      "note": ""})

    # this year: open, a few self-reviews in
    start, end = period_bounds(as_of.year, Period.YEAR)
    people = read.roster(session, unit_id=unit_id, on=as_of, policy=DEFAULT_POLICY)
    book = dues_book(session, unit_id=unit_id, year=as_of.year, today=as_of)
    facts = member_facts(session, unit_id=unit_id, year=as_of.year, start=start, end=end,
                         today=as_of, people={p.member_id: p.events for p in people.reviewed},
                         book=book)
    current = campaign(as_of.year, CampaignStatus.OPEN, None, None)
    early = {p.member_id for p in rng.sample(people.reviewed, k=min(4, len(people.reviewed)))}
    for person in people.reviewed:
        f = facts[person.member_id]
        values: dict[str, Any] = {}
        if person.member_id in early:
            mine = _points(rng)
            values = {"self_points": str(mine), "self_text": rng.choice(SELF_TEXTS),
                      "self_grade": grade_for(mine, DEFAULT_SCHEME, disciplined=f.disciplined,
                                              tasks_on_time=f.tasks_on_time).value}
        entry(current, person.member_id, f, **values)
    entry(current, None, branch_facts(session, unit_id=unit_id, start=start, end=end,
                                      today=as_of, book=book))
    for table, rows in ((ReviewCampaignRow, campaigns), (ReviewEntryRow, entries),
                        (ReviewDecisionRow, decisions)):
        if rows:
            session.execute(insert(table), rows)
    return Changes.of("review_campaigns", "review_entries", "review_decisions")
