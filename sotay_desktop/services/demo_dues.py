"""The demo branch's year of dues (issue 19): bases by category (most members on a flat
"other" amount or a pension, a few on an insured salary, one student), one reduction, the
50-year members exempt by the rule itself, most months paid in the month (cash, some on
the portal), a few members paying six months ahead, one member 2 months behind and one 3,
all under the default rates (QĐ 342 to January 2026, QĐ 01-QĐ/TW from February).

Deterministic for its seed; rows are inserted in bulk like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sotay_core.domain.dues import (
    DuesBasis,
    DuesCategory,
    Exemption,
    ExemptionKind,
    Month,
    months_between,
)
from sotay_core.domain.dues_book import MemberDues, due_for
from sotay_desktop.db.month_tables import DuesBasisRow, DuesExemptionRow, DuesPaymentRow
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.dues_read import member_dues


def _basis(rng: random.Random, age: int) -> DuesBasis:
    roll = rng.random()
    if roll < 0.55:
        return DuesBasis(DuesCategory.OTHER, rng.choice((0, 0, 5_000, 10_000)))
    if roll < 0.85 or age >= 60:
        return DuesBasis(DuesCategory.PENSION, rng.randrange(3_000_000, 8_000_000, 50_000))
    return DuesBasis(DuesCategory.INSURED_SALARY, rng.randrange(5_000_000, 12_000_000, 10_000))


def make_dues(session: Session, *, unit_id: str, as_of: dt.date, seed: int,
              common: dict[str, Any], ids: Any) -> Changes:
    """``ids``: the demo's id maker (deterministic ids)."""
    rng = random.Random(seed + 19)
    year, now = as_of.year, Month.of(as_of)
    people = member_dues(session, unit_id=unit_id, year=year)
    if not people:
        return Changes()
    start = Month(year - 1, 1)
    youngest = max(people, key=lambda m: m.admitted_on).member_id
    bases, exemptions, payments = [], [], []
    chosen: dict[str, MemberDues] = {}
    for member in people:
        years = year - member.admitted_on.year
        basis = (DuesBasis(DuesCategory.STUDENT) if member.member_id == youngest
                 else _basis(rng, years + 20))
        valid_from = max(start, Month.of(member.admitted_on))
        bases.append({**common, "id": ids(), "member_id": member.member_id,
                      "valid_from": valid_from.first_day, "category": basis.category.value,
                      "amount": basis.amount, "note": ""})
        chosen[member.member_id] = MemberDues(
            member.member_id, member.name, member.admitted_on, member.left_on,
            ((valid_from, basis),))
    # one reduction: half the dues for six months, on the chi bộ's decision
    reduced = rng.choice([m for m in people if m.member_id != youngest])
    cut = Exemption(ExemptionKind.REDUCTION, Month(year, 3), Month(year, 8), "Số 05-QĐ/CB", 50)
    exemptions.append({**common, "id": ids(), "member_id": reduced.member_id,
                       "kind": cut.kind.value, "starts_on": cut.start.first_day,
                       "ends_on": cut.end.first_day if cut.end else None, "percent": 50,
                       "decision": cut.decision, "note": "Gia đình khó khăn"})
    old = chosen[reduced.member_id]
    chosen[reduced.member_id] = MemberDues(old.member_id, old.name, old.admitted_on,
                                           old.left_on, old.bases, (cut,))
    year_dues = {member_id: {month: due_for(member, month)
                             for month in months_between(Month(year, 1), Month(year, 12))}
                 for member_id, member in chosen.items()}
    owing = [m.member_id for m in people if year_dues[m.member_id][now] > 0
             and m.member_id not in (youngest, reduced.member_id)]
    rng.shuffle(owing)
    late = {owing[0]: 2, owing[1]: 3} if len(owing) > 4 else {}   # months behind
    ahead = set(owing[2:5])
    receipt = 0
    for member in chosen.values():
        last = Month(year, 12) if member.member_id in ahead and now.month >= 7 else now
        dues = year_dues[member.member_id]
        months = [m for m in months_between(Month(year, 1), last) if dues[m] > 0]
        behind = late.get(member.member_id, 0)
        paid = months[:len(months) - behind] if behind else months
        if not behind and paid and paid[-1] == now and member.member_id not in ahead \
                and rng.random() < 0.3:
            paid = paid[:-1]      # this month's not collected yet: no flag for one month
        portal = rng.random() < 0.2
        for month in paid:
            if member.member_id in ahead:   # six months at a time, in the first month
                first = Month(year, 1 if month.month <= 6 else 7)
                day = first.first_day + dt.timedelta(days=rng.randint(3, 12))
            else:
                day = month.first_day + dt.timedelta(days=rng.randint(3, 20))
            receipt += 0 if portal else 1
            payments.append({**common, "id": ids(), "member_id": member.member_id,
                             "month": month.key, "amount": dues[month],
                             "paid_on": min(day, as_of), "channel": "portal" if portal
                             else "cash", "receipt": "" if portal else f"PT-{receipt:03d}",
                             "note": ""})
    for table, rows in ((DuesBasisRow, bases), (DuesExemptionRow, exemptions),
                        (DuesPaymentRow, payments)):
        if rows:
            session.execute(insert(table), rows)
    return Changes.of("dues_bases", "dues_exemptions", "dues_payments")
