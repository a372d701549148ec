"""records.put_copies (a publication's copies, stamped in bulk) attacked (issue 22): no branch,
a branch whose counter was never used, two publications in one transaction, and a branch's
first push or another publication creating the same counter at the same moment (PostgreSQL:
two transactions; SQLite runs writing transactions one at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from sync_server import admin, records
from sync_server.db import make_engine, upgrade
from sync_server.models import Record, ScopeSeq
from tests.sync_support import BACKENDS, database_url

pytestmark = pytest.mark.server


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(database_url(request.param, tmp_path))
    upgrade(eng)
    yield eng
    eng.dispose()


def _branches(engine: Engine, n: int) -> list[str]:
    """``n`` branches whose counters were never used (the units' own records written at
    their creation, which start them, taken away)."""
    with Session(engine) as s, s.begin():
        p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
        c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
        ids = [admin.add_unit(s, name=f"Chi bộ {i}", level="branch", parent_id=c.id).id
               for i in range(n)]
        s.execute(delete(Record).where(Record.scope_id.in_(ids)))
        s.execute(delete(ScopeSeq).where(ScopeSeq.scope_id.in_(ids)))
        return ids


def _publish(session: Session, row_id: str, scopes: list[str]) -> None:
    records.put_copies(session, entity="documents", row_id=row_id, by="Tỉnh",
                       copies={scope: {"id": row_id, "title": "Văn bản"} for scope in scopes})


def _versions(engine: Engine, row_id: str) -> dict[str, int]:
    with Session(engine) as s:
        return {scope: v for scope, v in s.execute(select(Record.scope_id, Record.version)
                                                   .where(Record.id == row_id))}


def test_nothing_to_publish_to_and_two_publications_in_one_transaction(
        engine: Engine) -> None:
    a, b = _branches(engine, 2)
    with Session(engine) as s, s.begin():
        _publish(s, "00000000-0000-7000-8000-000000000001", [])
        assert records.next_seq(s, a) == 1          # a counter held as an object first
        _publish(s, "00000000-0000-7000-8000-000000000002", [a, b])
        _publish(s, "00000000-0000-7000-8000-000000000003", [a, b])
        assert records.next_seq(s, a) == 4          # the object is not stale
    assert _versions(engine, "00000000-0000-7000-8000-000000000002") == {a: 2, b: 1}
    assert _versions(engine, "00000000-0000-7000-8000-000000000003") == {a: 3, b: 2}
    with Session(engine) as s:
        assert {k: v for k, v in s.execute(select(ScopeSeq.scope_id, ScopeSeq.seq).where(
            ScopeSeq.scope_id.in_([a, b])))} == {a: 4, b: 2}


def _race(engine: Engine, first: Callable[[Session], Any],
          second: Callable[[Session], Any]) -> list[BaseException]:
    """``first`` in a transaction left open while ``second`` runs in another thread (its
    insert of the same counter waits on the first's), then the first commits."""
    errors: list[BaseException] = []
    s1 = Session(engine)
    s1.begin()
    first(s1)

    def run() -> None:
        try:
            with Session(engine) as s2, s2.begin():
                second(s2)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(1.0)
    s1.commit()
    s1.close()
    worker.join(30)
    assert not worker.is_alive()
    return errors


@pytest.mark.parametrize("first_is_push", [True, False])
def test_a_new_branch_counter_created_by_two_transactions_at_once(
        engine: Engine, first_is_push: bool) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs writing transactions one at a time (BEGIN IMMEDIATE)")
    (branch,) = _branches(engine, 1)
    doc = "00000000-0000-7000-8000-00000000000a"

    def push(s: Session) -> None:
        records.next_seq(s, branch)

    def publish(s: Session) -> None:
        _publish(s, doc, [branch])

    errors = _race(engine, push if first_is_push else publish,
                   publish if first_is_push else push)
    assert not errors, errors
    assert _versions(engine, doc) == {branch: 2 if first_is_push else 1}
    with Session(engine) as s:
        assert s.get(ScopeSeq, branch).seq == 2   # type: ignore[union-attr]
