"""s0005: a database whose branches pushed reviews before the review's statistics existed
(the server accepted the schema's review records from s0004 on) gets them computed on
upgrade, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from sync_server.db import make_engine, upgrade
from sync_server.models import Record, ScopeSeq, StatReview, Unit
from tests.sync_support import BACKENDS, database_url

pytestmark = pytest.mark.server


@pytest.mark.parametrize("backend", BACKENDS)
def test_reviews_from_before_s0005_get_their_statistics(backend: str, tmp_path: Path) -> None:
    engine = make_engine(database_url(backend, tmp_path))
    upgrade(engine, "s0004")
    p, b = "p" * 36, "b" * 36
    rows = [
        ("review_campaigns", "c1", {"unit_id": b, "year": 2025, "period": "year",
                                    "status": "sent"}, f"{b}|2025|year"),
        ("review_entries", "e1", {"campaign_id": "c1", "member_id": "m1", "grade": "good"},
         "c1|m1"),
        ("review_entries", "e2", {"campaign_id": "c1", "member_id": "m2",
                                  "grade": "excellent"}, "c1|m2"),
        ("review_entries", "e3", {"campaign_id": "c1", "member_id": None, "grade": "good"},
         "c1|None"),
    ]
    with engine.begin() as conn:
        conn.execute(insert(Unit.__table__), [
            {"id": p, "name": "Tỉnh", "level": "province", "parent_id": None, "path": f"/{p}/"},
            {"id": b, "name": "Chi bộ", "level": "branch", "parent_id": p,
             "path": f"/{p}/{b}/"}])
        conn.execute(insert(ScopeSeq.__table__), [{"scope_id": b, "seq": len(rows)}])
        conn.execute(insert(Record.__table__), [
            {"scope_id": b, "entity": entity, "id": rid, "version": i + 1, "deleted": False,
             "data": json.dumps(data), "province_owned": False, "updated_by": "",
             "natural_key": key}
            for i, (entity, rid, data, key) in enumerate(rows)])
    upgrade(engine)
    with Session(engine) as s:
        row = s.get(StatReview, (b, "c1"))
        assert row is not None
        assert (row.path, row.year, row.status, row.members, row.proposed_good,
                row.proposed_excellent, row.branch_proposed) == (
            f"/{p}/{b}/", 2025, "sent", 2, 1, 1, "good")
    engine.dispose()
