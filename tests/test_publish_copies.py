"""A publication's copies (``records.put_copies``, issue 22): written with a placeholder
version, then stamped with each branch's next sequence number in a few statements, so the
counters every push waits on are held only at the end. The numbers must be exactly those
one-by-one stamping gives: after what the branch holds, before what comes next, in the
same transaction too."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server import admin, sync
from sync_server.db import make_engine, upgrade
from sync_server.models import Record, ScopeSeq
from sync_server.records import put_record
from tests.sync_support import BACKENDS, database_url

pytestmark = pytest.mark.server


@pytest.mark.parametrize("backend", BACKENDS)
def test_copies_take_each_branchs_next_numbers(backend: str, tmp_path: Path) -> None:
    engine = make_engine(database_url(backend, tmp_path))
    upgrade(engine)
    doc = tmp_path / "chi-thi.pdf"
    doc.write_bytes(b"%PDF-1.4 chi thi")
    with Session(engine) as s, s.begin():
        p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
        c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
        commune = c.id
        busy, fresh, held = (admin.add_unit(s, name=f"Chi bộ {n}", level="branch",
                                            parent_id=c.id).id for n in "ABC")
        for n in range(3):   # the busy branch already holds records 1..3 (and more)
            put_record(s, scope_id=busy, entity="tasks", row_id=f"t{n}", by="x",
                       data={"unit_id": busy, "title": f"Việc {n}", "status": "open",
                             "created_on": "2026-12-01"})
        before = dict(s.execute(select(ScopeSeq.scope_id, ScopeSeq.seq)).all())
    with Session(engine) as s, s.begin():
        # In the same transaction: a branch stamped just before, and again just after.
        put_record(s, scope_id=held, entity="tasks", row_id="h1", by="x",
                   data={"unit_id": held, "title": "Trước", "status": "open",
                         "created_on": "2026-12-01"})
        one = admin.publish(s, tmp_path / "files", doc, to_unit=commune, title="Chỉ thị 1")
        two = admin.publish(s, tmp_path / "files", doc, to_unit=commune, title="Chỉ thị 2")
        after = put_record(s, scope_id=held, entity="tasks", row_id="h2", by="x",
                           data={"unit_id": held, "title": "Sau", "status": "open",
                                 "created_on": "2026-12-01"})
        assert after.version == before.get(held, 0) + 4
    with Session(engine) as s:
        for scope in (busy, fresh, held):
            versions = list(s.scalars(select(Record.version).where(
                Record.scope_id == scope).order_by(Record.version)))
            start = before.get(scope, 0)
            # contiguous, no placeholder left, the counter at the last one
            assert versions == list(range(1, versions[-1] + 1))[-len(versions):]
            assert min(versions) > 0
            assert s.get(ScopeSeq, scope).seq == versions[-1]   # type: ignore[union-attr]
            docs = [r for r in s.scalars(select(Record).where(
                Record.scope_id == scope, Record.entity == "documents").order_by(
                Record.version))]
            assert [d.id for d in docs] == [one.document_id, two.document_id]
            assert all(d.province_owned for d in docs)
            extra = 1 if scope == held else 0
            assert docs[0].version == start + 1 + extra
        # A branch pulling from where it was gets both documents, in order.
        changes, _cursor, _more = sync.pull(s, fresh, before.get(fresh, 0), 10**6)
        assert [c.id for c in changes if c.entity == "documents"] == [
            one.document_id, two.document_id]
    engine.dispose()
