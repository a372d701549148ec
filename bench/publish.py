"""A publication to every branch of a province (issue 22): how long it takes, and how long
the branches' sequence counters (which every push waits on) can be held by it.

Generates ``SOTAY_BENCH_BRANCHES`` branches (50,000 by default: a merged province) under 167
communes in the PostgreSQL database of ``SOTAY_TEST_PG`` (emptied first: use a database of
its own), then publishes one document to the province. Not part of ``make bench`` (about a
minute)::

    SOTAY_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:5432/test_publish python -m bench.publish
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server import admin, records
from sync_server.db import make_engine, upgrade
from sync_server.models import Unit


def run() -> list[dict[str, str]]:
    sys.path.insert(0, str(Path(__file__).parents[1]))
    from tests.sync_support import PG_URL, reset_pg

    branches = int(os.environ.get("SOTAY_BENCH_BRANCHES", "50000"))
    reset_pg(PG_URL)
    engine = make_engine(PG_URL)
    upgrade(engine)
    with Session(engine) as s, s.begin():
        province = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
        communes = [admin.add_unit(s, name=f"Xã {i}", level="commune", parent_id=province.id)
                    for i in range(branches // 300 + 1)]
        rows: list[dict[str, Any]] = []
        for i in range(branches):
            commune, uid = communes[i % len(communes)], new_id()
            rows.append({"id": uid, "name": f"Chi bộ {i}", "level": "branch",
                         "parent_id": commune.id, "path": f"{commune.path}{uid}/"})
        for i in range(0, branches, 5000):
            s.execute(insert(Unit), rows[i:i + 5000])
        target = province.id
    started: dict[str, float] = {}
    original = records.put_copies

    def timed(*args: Any, **kwargs: Any) -> None:
        started["copies"] = time.perf_counter()
        original(*args, **kwargs)

    setattr(admin, "put_copies", timed)   # noqa: B010 (timing the real function)
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "chi-thi.pdf"
        doc.write_bytes(b"%PDF-1.4 " + os.urandom(200_000))
        begin = time.perf_counter()
        try:
            with Session(engine) as s, s.begin():
                admin.publish(s, Path(tmp) / "files", doc, to_unit=target, title="Chỉ thị")
        finally:
            setattr(admin, "put_copies", original)   # noqa: B010
        end = time.perf_counter()
    engine.dispose()
    return [{"what": f"A document published to all {branches:,} branches (one transaction)",
             "figure": f"{end - begin:.1f} s in all; {end - started['copies']:.1f} s from the "
                       "first copy written to the commit (the counters are locked within it)",
             "target": "", "ok": ""}]


if __name__ == "__main__":
    for row in run():
        print(f"{row['what']}: {row['figure']}")
