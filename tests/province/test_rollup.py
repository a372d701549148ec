"""The communes' roll-ups (``sync_server.rollup``, issue 22): after pushes, a meeting moved
to another month, a report marked received, a PC revoked and a branch added, the kept rows
equal a rebuild, and a province's page (read from the roll-ups) shows for each commune the
figures of the commune's own page (read from its branches' rows)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sync_server import admin, facts, month_queries, queries, report_receipts, review_queries
from sync_server.db import make_engine, upgrade
from sync_server.models import (
    Device,
    Record,
    StatBranch,
    StatMeeting,
    StatUnit,
    StatUnitMonth,
    Unit,
)
from tests.province.month_support import DAY, month_data, version
from tests.province.review_support import YEAR, review_data
from tests.province.support import THIS_MONTH
from tests.sync_support import BACKENDS, database_url

FIELDS = ("branches", "members", "open_conflicts", "last_sync", "never_synced", "held",
          "present", "marked", "adopted")


def _same_as_the_communes_pages(s: Session, province: Unit) -> None:
    """Each commune's row on the province's page equals the commune's own page's total."""
    for year, month in ((THIS_MONTH.year, THIS_MONTH.month), (DAY.year, DAY.month),
                        (DAY.year, DAY.month + 1)):
        tree = queries.tree(s, province, year, month)
        dues = month_queries.month_tree(s, province, year, month)
        for row in tree.rows:
            own = queries.tree(s, row.unit, year, month).total
            assert [getattr(row, f) for f in FIELDS] == [getattr(own, f) for f in FIELDS]
            assert dues.rows[row.unit.id].__dict__ | {"grades": []} == (
                month_queries.month_tree(s, row.unit, year, month).total.__dict__)
    whole = queries.months(s, province, DAY)
    parts = [queries.months(s, row.unit, DAY) for row in tree.rows]
    for i, m in enumerate(whole):
        for name in ("branches", "held", "present", "marked", "adopted"):
            assert getattr(m, name) == sum(getattr(p[i], name) for p in parts)
    points = month_queries.series(s, province, DAY)
    for i, point in enumerate(points):
        assert point.collected == sum(month_queries.series(s, row.unit, DAY)[i].collected
                                      for row in tree.rows)
    numbers = queries.party_numbers(s, province, DAY)
    parts_numbers = [queries.party_numbers(s, row.unit, DAY) for row in tree.rows]
    assert numbers.total == sum(p.total for p in parts_numbers) > 0
    for line in ("by_status", "by_gender", "by_age", "by_ethnicity"):
        summed: Counter[str] = Counter()
        for p in parts_numbers:
            summed.update(dict(getattr(p, line)))
        assert +Counter(dict(getattr(numbers, line))) == +summed
    review = review_queries.review_tree(s, province, YEAR)
    for row in queries.tree(s, province, YEAR, 12).rows:
        own = review_queries.review_tree(s, row.unit, YEAR).total
        assert review.rows[row.unit.id].__dict__ == own.__dict__


def test_the_rollups_equal_a_rebuild_and_the_communes_own_figures(env: Any) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    data = month_data(env)
    b1 = env["branches"][ids["b1"]]
    people = {"Nguyễn Văn An": data["an"], "Trần Thị Bình": data["binh"],
              "Hoàng Văn Cường": b1.member("Hoàng Văn Cường")}
    review_data(env, people)
    # a meeting moved to the next month: both months change
    moved = DAY + dt.timedelta(days=25)
    assert b1.update("meetings", data["m1"], version(engine, ids["b1"], "meetings", data["m1"]),
                     {"date": [DAY.isoformat(), moved.isoformat()]})["status"] in (
        "applied", "merged")
    with Session(engine) as s, s.begin():
        report_receipts.mark_received(s, branch_id=ids["b1"], report_id=data["sent"],
                                      by="Xã", actor="test")
    with Session(engine) as s, s.begin():
        admin.revoke_device(s, s.scalars(select(Device.id).where(
            Device.unit_id == ids["b3"])).one())
        admin.add_unit(s, name="Chi bộ thôn Mới", level="branch", parent_id=ids["c2"])
    with Session(engine) as s, s.begin():
        c1 = s.get(StatUnitMonth, (ids["c1"], moved.year * 100 + moved.month))
        assert c1 is not None and c1.held == 1
        c2 = s.get(StatUnit, ids["c2"])
        assert c2 is not None and (c2.branches, c2.never_synced) == (2, 2)
        assert s.get(Record, (ids["b1"], "monthly_reports", data["sent"])) is not None
        _same_as_the_communes_pages(s, s.get(Unit, ids["p"]))  # type: ignore[arg-type]
        kept = facts.snapshot(s)
        assert kept["stat_unit_months"] and kept["stat_unit_reviews"]
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
        s.rollback()


@pytest.mark.parametrize("backend", BACKENDS)
def test_s0009_computes_the_rollups_of_the_rows_already_kept(backend: str,
                                                             tmp_path: Path) -> None:
    engine = make_engine(database_url(backend, tmp_path))
    upgrade(engine, "s0008")
    p, c, b = "p" * 36, "c" * 36, "b" * 36
    with engine.begin() as conn:
        conn.execute(insert(Unit.__table__), [
            {"id": p, "name": "Tỉnh", "level": "province", "parent_id": None, "path": f"/{p}/"},
            {"id": c, "name": "Xã", "level": "commune", "parent_id": p, "path": f"/{p}/{c}/"},
            {"id": b, "name": "Chi bộ", "level": "branch", "parent_id": c,
             "path": f"/{p}/{c}/{b}/"}])
        conn.execute(insert(StatBranch.__table__), [{"scope_id": b, "members": 7,
                                                     "open_conflicts": 1}])
        conn.execute(insert(StatMeeting.__table__), [
            {"scope_id": b, "id": "m1", "path": f"/{p}/{c}/{b}/", "date": DAY,
             "month": 202511, "kind": "monthly", "deleted": False, "present": 5, "marked": 6,
             "held": 1, "adopted": 1}])
    upgrade(engine)
    with Session(engine) as s:
        unit = s.get(StatUnit, c)
        month = s.get(StatUnitMonth, (c, 202511))
        assert unit is not None and (unit.branches, unit.members, unit.never_synced) == (
            1, 7, 1)
        assert month is not None and (month.held, month.present, month.marked) == (1, 5, 6)
    engine.dispose()
