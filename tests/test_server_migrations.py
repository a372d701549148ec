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

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_file_grants_are_back_filled_from_publications_and_uploads(backend: str,
                                                                   tmp_path: Path) -> None:
    """s0003: a published file is granted to the branches its publication reached (told
    apart: addressed to the branch, or covered by a unit above); an uploaded file to the one
    branch whose own document has it as its file; a hash merely mentioned in a title or a
    summary grants nothing; a file two branches point at is granted to neither and written
    to the admin log for the administrator."""
    from sqlalchemy import select

    from sync_server.models import AdminLog, FileGrant, StoredFile

    engine = make_engine(database_url(backend, tmp_path))
    upgrade(engine, "s0002")
    p, c, a, b, d = ("p" * 36, "c" * 36, "a" * 36, "b" * 36, "d" * 36)
    pub_c, pub_b, up_a, both, orphan = (ch * 64 for ch in "12345")
    docs = [  # scope, id, province_owned, data
        (a, "doc-pub-c", True, {"file_sha256": pub_c, "title": "Nghị quyết"}),
        (b, "doc-pub-c", True, {"file_sha256": pub_c, "title": "Nghị quyết"}),
        (b, "doc-pub-b", True, {"file_sha256": pub_b, "title": "Chỉ thị"}),
        (a, "doc-up-a", False, {"file_sha256": up_a, "title": "Biên bản"}),
        # B names A's file in a title and a summary: mentions, not evidence.
        (b, "doc-mention", False, {"file_sha256": "", "title": f"xem {up_a}",
                                   "summary": up_a}),
        (a, "doc-both-a", False, {"file_sha256": both}),
        (d, "doc-both-d", False, {"file_sha256": both}),
    ]
    with engine.begin() as conn:
        conn.execute(insert(Unit.__table__), [
            {"id": p, "name": "Tỉnh", "level": "province", "parent_id": None, "path": f"/{p}/"},
            {"id": c, "name": "Xã", "level": "commune", "parent_id": p, "path": f"/{p}/{c}/"},
            *({"id": u, "name": "Chi bộ", "level": "branch", "parent_id": c,
               "path": f"/{p}/{c}/{u}/"} for u in (a, b, d))])
        conn.execute(insert(StoredFile.__table__), [
            {"sha256": sha, "size": 10, "mime": "application/pdf"}
            for sha in (pub_c, pub_b, up_a, both, orphan)])
        conn.execute(insert(Record.__table__), [
            {"scope_id": scope, "entity": "documents", "id": rid, "version": i + 1,
             "deleted": False, "data": json.dumps(data), "province_owned": owned,
             "updated_by": "", "natural_key": None}
            for i, (scope, rid, owned, data) in enumerate(docs)])
        conn.execute(insert(AdminLog.__table__), [
            {"actor": "admin", "action": "publish",
             "detail": json.dumps({"document": "doc-pub-c", "sha256": pub_c, "to": c})},
            {"actor": "admin", "action": "publish",
             "detail": json.dumps({"document": "doc-pub-b", "sha256": pub_b, "to": b})}])
    upgrade(engine)
    with Session(engine) as s:
        grants = {(g.scope_id, g.sha256): (g.how, g.via) for g in s.scalars(select(FileGrant))}
        unresolved = [json.loads(row.detail) for row in s.scalars(
            select(AdminLog).where(AdminLog.action == "file_grant_unresolved"))]
    engine.dispose()
    assert grants == {
        (a, pub_c): ("covered", c), (b, pub_c): ("covered", c),
        (b, pub_b): ("published", b),
        (a, up_a): ("uploaded", ""),
    }
    assert unresolved == [{"sha256": both, "candidates": sorted([a, d])}]
