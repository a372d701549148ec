"""A modified branch PC attacking the secretary's month (issue 19): payments of nothing, of
a negative or absurd amount or of a month that does not exist, another branch's member, a
report filed under another branch, a score of 5000, a comment on another branch's report,
a report moved to another branch by an update. Each is refused with a reason, nothing of
the branch's month is harmed, the branch keeps syncing and the pages still open."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server.models import Record, StatDues
from tests.province.month_support import DAY, MONTH, month_data, version
from tests.province.support import login, text_of

pytestmark = pytest.mark.server


def _payment(member_id: str, **over: Any) -> dict[str, Any]:
    return {"member_id": member_id, "month": MONTH, "amount": 2_000,
            "paid_on": DAY.isoformat(), "channel": "cash", "receipt": "", "note": ""} | over


def _records(engine: Any) -> dict[tuple[str, str, str], str]:
    with Session(engine) as s:
        return {(r.scope_id, r.entity, r.id): r.data for r in s.scalars(select(Record))}


def test_a_modified_pc_cannot_harm_the_month(env: dict[str, Any]) -> None:
    c, ids, engine = env["client"], env["ids"], env["app"].state.engine
    data = month_data(env)
    b1 = env["branches"][ids["b1"]]
    an, sau = data["an"], data["sau"]
    before = _records(engine)
    with Session(engine) as s:
        dues_before = s.scalar(select(func.sum(StatDues.collected)))
    attacks: list[tuple[str, str, dict[str, Any]]] = [
        ("dues_payments", new_id(), _payment(an, month="2025-12", amount=0)),
        ("dues_payments", new_id(), _payment(an, month="2025-12", amount=-5)),
        ("dues_payments", new_id(), _payment(an, month="2025-12", amount=10**12)),
        ("dues_payments", new_id(), _payment(an, month="2026-00")),
        ("dues_payments", new_id(), _payment(an, month="2025-13")),
        ("dues_payments", new_id(), _payment(sau, month="2025-12")),      # b3's member
        ("monthly_reports", new_id(), {"unit_id": ids["b3"], "month": "2025-10",
                                        "figures": "{}", "remarks": "", "status": "sent",
                                        "sent_on": "2025-11-02"}),
        ("meeting_scores", new_id(), {"meeting_id": data["m1"], "scheme": "x", "items": "[]",
                                       "total": 5000, "grade": "Tốt", "note": ""}),
        ("comments", new_id(), {"target_type": "report", "target_id": data["draft"],
                                 "body": "Báo cáo của chi bộ khác", "author_text": "X"}),
    ]
    results = b1.push(*attacks)
    assert [r["status"] for r in results] == ["rejected"] * len(attacks), results
    assert all(r.get("reason") for r in results), results
    # moving the branch's own sent report under another branch by an update
    moved = b1.update("monthly_reports", data["sent"],
                      version(engine, ids["b1"], "monthly_reports", data["sent"]),
                      {"unit_id": [ids["b1"], ids["b3"]]})
    assert moved["status"] == "rejected", moved
    # the same member-month paid again from a second PC: a conflict, never a second payment
    twin = b1.push(("dues_payments", new_id(), _payment(an, month="2025-05", amount=9_000)))
    assert twin[0]["status"] == "conflict", twin
    after = _records(engine)
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) <= {k for k in after if k[1] == "conflicts"}
    with Session(engine) as s:
        assert s.scalar(select(func.sum(StatDues.collected))) == dues_before
    # the branch keeps syncing: a good payment afterwards is applied
    good = b1.push(("dues_payments", new_id(), _payment(an, month="2025-12", amount=50_000)))
    assert good[0]["status"] == "applied", good
    # the pages open, the b1 report still under b1
    login(c)
    page = c.get(f"/province/branches/{ids['b1']}/reports/{data['sent']}")
    assert page.status_code == 200 and "Báo cáo tháng 11/2025" in text_of(page.text)
    assert c.get(f"/province/units/{ids['p']}?month=2025-11").status_code == 200
    assert json.loads(after[(ids["b1"], "monthly_reports", data["sent"])])["unit_id"] == ids["b1"]
