"""The annual review on the province bench (issue 20): two years of review campaigns for the
17,000 branches, generated straight into ``stat_reviews`` (COPY) like the rest of
``bench.province``; and the cost of keeping one campaign's row on write
(``review_facts.refresh`` over a campaign of 30 entries with their decisions, SQLite).

Generated per branch: last year's review sent by ~97 % of branches and decided for ~90 %
(about 1 grade in 20 changed by the decision); this year's under way (~60 % open, ~25 %
held, ~10 % sent). Members' grades: ~15 % excellent, ~65 % good, ~17 % fulfilled, ~3 % not
fulfilled; the branch's own grade drawn the same way.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

GRADES = ("excellent", "good", "fulfilled", "not_fulfilled")
WEIGHTS = (15, 65, 17, 3)
COLUMNS = ("scope_id, id, path, year, period, status, deleted, members, "
           + ", ".join(f"proposed_{g}" for g in GRADES) + ", decided, changed, "
           + ", ".join(f"decided_{g}" for g in GRADES) + ", "
           + ", ".join(f"grade_{g}" for g in GRADES)
           + ", branch_proposed, branch_decided, branch_grade, decision_number, decided_on")


def _counts(rng: random.Random, n: int) -> list[int]:
    out = [0, 0, 0, 0]
    for grade in rng.choices(range(4), WEIGHTS, k=n):
        out[grade] += 1
    return out


def rows(rng: random.Random, branch_ids: list[str], per_branch: list[int],
         paths: dict[str, str], today: dt.date) -> list[tuple[Any, ...]]:
    import uuid

    out: list[tuple[Any, ...]] = []
    last, this = today.year - 1, today.year
    for bid, n in zip(branch_ids, per_branch, strict=True):
        for year in (last, this):
            draw = rng.random()
            if year == last:
                status = "sent" if draw < 0.97 else None
                decided = status is not None and rng.random() < 0.9 / 0.97
            else:
                status = ("open" if draw < 0.6 else "held" if draw < 0.85
                          else "sent" if draw < 0.95 else None)
                decided = False
            if status is None:
                continue
            proposed = _counts(rng, n)
            standing = list(proposed)
            changed = 0
            if decided:
                for _ in range(n // 20):
                    src = rng.choice([i for i in range(4) if standing[i]])
                    dst = min(3, src + 1)
                    if dst != src:
                        standing[src] -= 1
                        standing[dst] += 1
                        changed += 1
            own = rng.choices(GRADES, WEIGHTS)[0]
            out.append((bid, str(uuid.uuid4()), paths[bid], year, "year", status, False, n,
                        *proposed, n if decided else 0, changed,
                        *(standing if decided else [0, 0, 0, 0]), *standing, own,
                        own if decided else "", own,
                        f"{rng.randint(1, 999)}-QĐ/ĐU" if decided else "",
                        dt.date(year + 1, 1, rng.randint(5, 28)) if decided else None))
    return out


def refresh_cost() -> float:
    """Median ms of ``review_facts.refresh`` for one campaign of 30 members' entries and the
    branch's own, all decided (what a sync that changes an entry adds before commit)."""
    from sqlalchemy.orm import Session

    from sotay_core.domain.ids import new_id
    from sync_server import admin, review_facts
    from sync_server.db import make_engine, upgrade
    from sync_server.records import put_record

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'server.db'}")
        upgrade(engine)
        with Session(engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            b = admin.add_unit(s, name="Chi bộ", level="branch", parent_id=p.id)
            cid = new_id()
            put_record(s, scope_id=b.id, entity="review_campaigns", row_id=cid, by="bench",
                       data={"unit_id": b.id, "year": 2025, "period": "year",
                             "status": "sent"})
            for i in range(31):
                mid = new_id() if i < 30 else None
                eid = new_id()
                put_record(s, scope_id=b.id, entity="review_entries", row_id=eid, by="bench",
                           data={"campaign_id": cid, "member_id": mid,
                                 "grade": GRADES[i % 4]})
                put_record(s, scope_id=b.id, entity="review_decisions", row_id=new_id(),
                           by="bench", data={"entry_id": eid, "campaign_id": cid,
                                             "member_id": mid, "grade": GRADES[(i + 1) % 4],
                                             "number": "1-QĐ/ĐU", "decided_on": "2026-01-15"})
            key = (b.id, cid)
        times = []
        with Session(engine) as s:
            for _ in range(7):
                start = time.perf_counter()
                review_facts.refresh(s, {"review_campaigns": {key}})
                s.flush()
                times.append(time.perf_counter() - start)
            s.rollback()
        engine.dispose()
    return statistics.median(times) * 1000
