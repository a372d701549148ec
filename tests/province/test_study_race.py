"""Two branches of one commune report on a plan at the same moment, through two transactions
(two server nodes, or two workers of one): the commune's sums count both (issue 22).

The second transaction must wait for the first and then read its committed row; a sum
computed before the first committed and written after it would miss that branch. On
PostgreSQL only: SQLite lets one writer at a time, so the interleaving cannot happen there.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sotay_core.domain import study_figures
from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, Mutation, SyncRequest
from sync_server import facts, sync
from sync_server.models import Device, StatStudyUnit
from tests.province.study_support import B1, B2, plan
from tests.province.support import HEAD, TODAY


def _request(device: Device, unit_id: str, plan_id: str, figures: Any) -> SyncRequest:
    return SyncRequest(protocol=PROTOCOL_VERSION, schema_version=HEAD, cursors={},
                       pull=False, mutations=[Mutation(
                           id=(device.last_mutation_id or 0) + 1, entity="study_reports",
                           row_id=new_id(), op="create", base_version=0, schema_version=HEAD,
                           fields={"unit_id": unit_id, "plan_id": plan_id,
                                   "figures": study_figures.to_json(figures),
                                   "updated_on": TODAY.isoformat()})])


def _device(session: Session, unit_id: str) -> Device:
    return session.scalars(select(Device).where(Device.unit_id == unit_id)).one()


def _waiting_on_a_lock(engine: Any, seconds: float = 20) -> bool:
    """Whether another connection of this database waits on a lock (asked of PostgreSQL)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar()
        if waiting:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.postgres
@pytest.mark.parametrize("env", ["postgresql"], indirect=True)
def test_two_branches_reporting_at_once_are_both_in_the_communes_sum(env) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    plan_id = plan(env, ids["c1"])
    first = Session(engine)
    with Session(engine) as s:
        d1, d2 = _device(s, ids["b1"]), _device(s, ids["b2"])
    # Node A: branch 1's report, its statistics computed, not yet committed.
    first.begin()
    sync.handle(first, first.merge(d1), _request(d1, ids["b1"], plan_id, B1))
    facts.refresh(first)
    failure: list[BaseException] = []

    def node_b() -> None:   # branch 2's report, at the same moment
        try:
            with Session(engine) as second, second.begin():
                sync.handle(second, second.merge(d2), _request(d2, ids["b2"], plan_id, B2))
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
        row = s.get(StatStudyUnit, (plan_id, ids["c1"]))
        assert row is not None
        assert (row.reported, row.quiz_sat) == (2, B1.quiz_sat + B2.quiz_sat)
        kept = facts.snapshot(s)
    with Session(engine) as s, s.begin():
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
