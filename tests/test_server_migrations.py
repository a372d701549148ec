"""The server's migrations: the migrated schema equals ``sync_server/models.py`` on SQLite and
PostgreSQL, and a database with records from before the statistics tables (s0001) gets its
statistics computed on upgrade."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert
from sqlalchemy.orm import Session

from sync_server.db import make_engine, upgrade
from sync_server.models import Base, Record, ScopeSeq, StatBranch, StatMeeting, StatMember, Unit
from tests.sync_support import BACKENDS, database_url


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrated_schema_equals_the_models(backend: str, tmp_path: Path) -> None:
    engine = make_engine(database_url(backend, tmp_path))
    upgrade(engine)
    with engine.connect() as conn:
        diff = list(compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True}), Base.metadata))
    engine.dispose()
    assert diff == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_records_from_before_the_statistics_get_their_statistics(backend: str,
                                                                  tmp_path: Path) -> None:
    engine = make_engine(database_url(backend, tmp_path))
    upgrade(engine, "s0001")
    p, b = "p" * 36, "b" * 36
    rows = [
        ("members", "m1", {"unit_id": b, "full_name": "A", "gender": "female",
                           "date_of_birth": "1960-01-02", "ethnicity": "Kinh"}),
        ("member_events", "e1", {"member_id": "m1", "kind": "admitted", "date": "1990-01-01",
                                 "seq": 0}),
        ("member_events", "e2", {"member_id": "m1", "kind": "made_official",
                                 "date": "1991-01-01", "seq": 0}),
        ("meetings", "g1", {"unit_id": b, "kind": "monthly", "date": "2026-11-05"}),
        ("attendance", "a1", {"meeting_id": "g1", "member_id": "m1", "status": "present"}),
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
             "natural_key": "g1|m1" if entity == "attendance" else None}
            for i, (entity, rid, data) in enumerate(rows)])
    upgrade(engine)
    with Session(engine) as s:
        member = s.get(StatMember, (b, "m1"))
        assert member is not None and member.status == "official" and member.path == f"/{p}/{b}/"
        meeting = s.get(StatMeeting, (b, "g1"))
        assert meeting is not None and (meeting.present, meeting.marked, meeting.held,
                                        meeting.month) == (1, 1, 1, 202611)
        branch = s.get(StatBranch, b)
        assert branch is not None and branch.members == 1
    engine.dispose()
