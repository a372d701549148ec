"""Two branches of one commune admit a member at the same moment, through two
transactions (two server nodes, or two workers of one): the commune's roll-up counts both
(issue 22).

The second transaction must wait for the first (``SELECT … FOR UPDATE`` on the commune in
``rollup.refresh``) and then read its committed rows; a sum computed before the first
committed and written after it would miss that branch's member. On PostgreSQL only: SQLite
lets one writer at a time, so the interleaving cannot happen there.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, Mutation, SyncRequest
from sync_server import facts, rollup, sync
from sync_server.models import Device, StatUnit
from tests.province.support import HEAD
from tests.province.test_study_race import _waiting_on_a_lock


def _admitted(device: Device, member_id: str) -> SyncRequest:
    """One mutation (the push applies each in a savepoint, whose commit refreshes the rows:
    one mutation, one refresh)."""
    return SyncRequest(protocol=PROTOCOL_VERSION, schema_version=HEAD, cursors={},
                       pull=False, mutations=[Mutation(
                           id=(device.last_mutation_id or 0) + 1, entity="member_events",
                           row_id=new_id(), op="add", base_version=0, schema_version=HEAD,
                           fields={"member_id": member_id, "kind": "admitted",
                                   "date": "1995-01-01", "seq": 0})])


def _device(session: Session, unit_id: str) -> Device:
    return session.scalars(select(Device).where(Device.unit_id == unit_id)).one()


@pytest.mark.postgres
@pytest.mark.parametrize("env", ["postgresql"], indirect=True)
def test_two_branches_of_a_commune_writing_at_once_both_count(env: Any) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    # a person at each branch, not yet admitted (not counted)
    m1 = env["branches"][ids["b1"]].member("Đinh Văn Một", events=())
    m2 = env["branches"][ids["b2"]].member("Đinh Văn Hai", events=())
    with Session(engine) as s:
        d1, d2 = _device(s, ids["b1"]), _device(s, ids["b2"])
        before = s.get(StatUnit, ids["c1"])
        assert before is not None
        members = before.members
    # Node A: a member taken in at branch 1, the commune's roll-up rewritten, not committed.
    first = Session(engine)
    first.begin()
    result = sync.handle(first, first.merge(d1), _admitted(d1, m1))
    assert all(r.status == "applied" for r in result.results), result.results
    facts.refresh(first)
    rollup.refresh(first)
    first.flush()
    failure: list[BaseException] = []

    def node_b() -> None:   # branch 2's member, at the same moment
        try:
            with Session(engine) as second, second.begin():
                sync.handle(second, second.merge(d2), _admitted(d2, m2))
        except BaseException as exc:  # reported to the test below
            failure.append(exc)

    thread = threading.Thread(target=node_b)
    thread.start()
    try:
        assert _waiting_on_a_lock(engine), "node B did not wait for node A"
    finally:
        first.commit()
        first.close()
        thread.join(30)
    assert not failure, failure
    with Session(engine) as s:
        row = s.get(StatUnit, ids["c1"])
        assert row is not None and row.members == members + 2
        kept = facts.snapshot(s)
    with Session(engine) as s, s.begin():
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
