"""The secretary's month on the province bench (issue 19): a year of dues, monthly reports and
meeting scores for the 17,000 branches, generated straight into the ``stat_*`` rows (COPY) like
the rest of ``bench.province``; and the cost of keeping a branch's dues rows on write
(``month_facts.refresh_dues`` over a branch of 30 members with a year of payments, SQLite).

Generated per branch and month: its collected dues (each member 2,000–60,000 đ, ~92 % paying),
retained at 30 %; per member-year a flag row for ~4 % (2+ unpaid months, the 3rd falling in a
random month); a monthly report for ~80 % of branch-months (sent, ~70 % of those received); a
score for each meeting of the month (stat_meetings' 85 %), 60–100 points.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

GRADES = ((90, "Tốt"), (75, "Khá"), (60, "Trung bình"), (0, "Yếu"))


def months_back(today: dt.date, count: int = 12) -> list[tuple[int, int]]:
    y, m = today.year, today.month
    out = []
    for _ in range(count):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out


def rows(rng: random.Random, branch_ids: list[str], per_branch: list[int],
         paths: dict[str, str], meetings: list[tuple[Any, ...]], today: dt.date
         ) -> dict[str, list[tuple[Any, ...]]]:
    dues, flags, reports, scores = [], [], [], []
    for y, m in months_back(today):
        number = y * 100 + m
        for bid, n in zip(branch_ids, per_branch, strict=True):
            payments = sum(rng.random() < 0.92 for _ in range(n))
            collected = sum(rng.randrange(2_000, 60_001, 1_000) for _ in range(payments))
            retained = (collected * 30 + 50) // 100
            dues.append((bid, number, paths[bid], collected, retained, collected - retained,
                         payments))
            if rng.random() < 0.8:
                received = int(rng.random() < 0.7)
                reports.append((bid, str(uuid.uuid4()), paths[bid], number, "sent",
                                dt.date(y, m, 28), False, received))
    years = {y for y, _m in months_back(today)}
    for year in years:
        for bid, n in zip(branch_ids, per_branch, strict=True):
            for _ in range(n):
                if rng.random() < 0.04:
                    second = rng.randint(2, 11)
                    third = rng.choice((None, rng.randint(second + 1, 12)))
                    flags.append((bid, str(uuid.uuid4()), year, paths[bid], second, third))
    for meeting in meetings:
        total = rng.randint(60, 100)
        grade = next(g for low, g in GRADES if total >= low)
        scores.append((meeting[0], str(uuid.uuid4()), meeting[1], meeting[2], meeting[4],
                       total, grade, False))
    return {"stat_dues": dues, "stat_dues_flags": flags, "stat_reports": reports,
            "stat_scores": scores}


COLUMNS = {
    "stat_dues": "scope_id, month, path, collected, retained, sent_up, payments",
    "stat_dues_flags": "scope_id, member_id, year, path, second, third",
    "stat_reports": "scope_id, id, path, month, status, sent_on, deleted, received",
    "stat_scores": "scope_id, id, meeting_id, path, month, total, grade, deleted",
}


def refresh_cost() -> float:
    """Median ms of ``month_facts.refresh_dues`` for a branch of 30 members with 12 months of
    payments, bases and its events (what a sync that records a payment adds before commit)."""
    import statistics

    from sqlalchemy.orm import Session

    from sotay_core.domain.ids import new_id
    from sync_server import admin, month_facts
    from sync_server.db import make_engine, upgrade
    from sync_server.records import put_record

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'server.db'}")
        upgrade(engine)
        with Session(engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            b = admin.add_unit(s, name="Chi bộ", level="branch", parent_id=p.id)
            for i in range(30):
                mid = new_id()
                put_record(s, scope_id=b.id, entity="members", row_id=mid, by="bench",
                           data={"unit_id": b.id, "full_name": f"Đảng viên {i}"})
                put_record(s, scope_id=b.id, entity="member_events", row_id=new_id(),
                           by="bench", data={"member_id": mid, "kind": "admitted",
                                             "date": "1990-01-01", "seq": 0})
                put_record(s, scope_id=b.id, entity="dues_bases", row_id=new_id(), by="bench",
                           data={"member_id": mid, "valid_from": "2020-01-01",
                                 "category": "pension", "amount": 4_000_000})
                for month in range(1, 13):
                    if (i + month) % 9:
                        put_record(s, scope_id=b.id, entity="dues_payments", row_id=new_id(),
                                   by="bench", data={"member_id": mid,
                                                     "month": f"2025-{month:02d}",
                                                     "amount": 20_000,
                                                     "paid_on": "2025-12-01",
                                                     "channel": "cash"})
            scope = b.id
        times = []
        with Session(engine) as s:
            for _ in range(7):
                start = time.perf_counter()
                month_facts.refresh_dues(s, scope)
                s.flush()
                times.append(time.perf_counter() - start)
            s.rollback()
        engine.dispose()
    return statistics.median(times) * 1000
