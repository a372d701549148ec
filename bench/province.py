"""Province pages (issue 7): the tree page and the monthly meeting statistics on PostgreSQL
with a province of 17,000 branches and 500,000 members (by default; SOTAY_BENCH_BRANCHES,
SOTAY_BENCH_MEMBERS and SOTAY_BENCH_COMMUNES choose another size, e.g. the merged province of
the capacity run in docs/install.md: 50,000 branches, 1,500,000 members, 166 communes).

The figures of the pages come from the ``stat_*`` rows (``sync_server.facts``), so those are
generated directly (with COPY) rather than pushed through 500,000 sync mutations: 140
communes × ~121 branches, 500,000 members (status, gender, year of birth, ethnicity), twelve
months of meetings (about 85 % of branches meet each month) with a resolution each, and one
enrolled PC per branch with its last sync. The branches' JSON records are not generated: no
page query reads them (a branch's own page does, for one branch).

Server time is measured in process: the whole request through the FastAPI app (routing,
session check, queries, Jinja2 rendering) with the test client, median of 7 after a warm-up.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, text

from bench import province_month, province_review, province_study
from sync_server import month_queries, queries, review_queries, staff
from sync_server.db import make_engine, upgrade
from sync_server.models import Unit
from tests.sync_support import PG_URL, pg_reachable

BRANCHES = int(os.environ.get("SOTAY_BENCH_BRANCHES", "17000"))
COMMUNES = int(os.environ.get("SOTAY_BENCH_COMMUNES", "140"))
MEMBERS = int(os.environ.get("SOTAY_BENCH_MEMBERS", "500000"))
PASSWORD = "mật khẩu đo hiệu năng"
ETHNICITIES = ["Kinh"] * 85 + ["Tày"] * 5 + ["Thái"] * 4 + ["Mường"] * 3 + ["Nùng", "H'Mông",
                                                                              "Dao"]
STATUSES = ["official"] * 86 + ["probationary"] * 4 + ["exempted"] * 8 + ["away"] * 2


def _copy(conn: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def bench_url() -> str:
    """A database of its own (``sotay_bench``, or SOTAY_BENCH_DB), so the tests' database is
    left alone."""
    from sqlalchemy import create_engine

    name = os.environ.get("SOTAY_BENCH_DB", "sotay_bench")
    base = PG_URL.rsplit("/", 1)[0]
    admin_engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin_engine.dispose()
    return f"{base}/{name}"


def generate(url: str, today: dt.date) -> tuple[str, str]:
    """The province; returns (province id, a commune id)."""
    rng = random.Random(17)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    now = dt.datetime(today.year, today.month, today.day, 8)
    province = str(uuid.uuid4())
    units = [(province, "Tỉnh ủy Thử Nghiệm", "province", None, f"/{province}/", now)]
    branch_ids: list[str] = []
    communes = []
    for c in range(COMMUNES):
        cid = str(uuid.uuid4())
        communes.append(cid)
        units.append((cid, f"Đảng ủy xã số {c + 1}", "commune", province,
                      f"/{province}/{cid}/", now))
    for b in range(BRANCHES):
        cid = communes[b % COMMUNES]
        bid = str(uuid.uuid4())
        branch_ids.append(bid)
        units.append((bid, f"Chi bộ thôn {b + 1}", "branch", cid, f"/{province}/{cid}/{bid}/",
                      now))
    per_branch = [MEMBERS // BRANCHES] * BRANCHES
    for i in range(MEMBERS - sum(per_branch)):
        per_branch[i] += 1
    paths = {u[0]: u[4] for u in units}
    members = []
    for bid, n in zip(branch_ids, per_branch, strict=True):
        for _ in range(n):
            members.append((bid, str(uuid.uuid4()), paths[bid],
                            rng.choice(("male", "male", "female")),
                            rng.randint(1935, 2004), rng.choice(ETHNICITIES),
                            rng.choice(STATUSES), False))
    meetings, resolutions = [], []
    y, m = today.year, today.month
    for _ in range(12):
        for bid, n in zip(branch_ids, per_branch, strict=True):
            if rng.random() < 0.85:
                mid = str(uuid.uuid4())
                marked = max(1, int(n * 0.9))
                present = int(marked * rng.uniform(0.7, 1.0))
                adopted = rng.random() < 0.9
                meetings.append((bid, mid, paths[bid], dt.date(y, m, rng.randint(1, 28)),
                                 y * 100 + m, "monthly", False, present, marked,
                                 int(present > 0), int(adopted)))
                resolutions.append((bid, str(uuid.uuid4()), mid,
                                    "adopted" if adopted else "draft", False))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    devices = [(str(uuid.uuid4()), bid, "PC", now, now - dt.timedelta(hours=rng.randint(0, 900)))
               for bid in branch_ids]
    with engine.begin() as conn:
        _copy(conn, "units", "id, name, level, parent_id, path, created_at", units)
        _copy(conn, "stat_branches", "scope_id, members, open_conflicts",
              [(bid, int(n * 0.98), int(rng.random() < 0.02)) for bid, n in
               zip(branch_ids, per_branch, strict=True)])
        _copy(conn, "stat_members", "scope_id, id, path, gender, birth_year, ethnicity, "
              "status, deleted", members)
        _copy(conn, "stat_meetings", "scope_id, id, path, date, month, kind, deleted, present, "
              "marked, held, adopted", meetings)
        _copy(conn, "stat_resolutions", "scope_id, id, meeting_id, status, deleted",
              resolutions)
        _copy(conn, "devices", "id, unit_id, label, created_at, last_seen_at", devices)
        month = province_month.rows(rng, branch_ids, per_branch, paths, meetings, today)
        for table, table_rows in month.items():
            _copy(conn, table, province_month.COLUMNS[table], table_rows)
        _copy(conn, "stat_reviews", province_review.COLUMNS,
              province_review.rows(rng, branch_ids, per_branch, paths, today))
        province_study.generate(_copy, conn, rng, province, branch_ids, per_branch, paths,
                                today)
    from sqlalchemy.orm import Session

    from sync_server import rollup

    with Session(engine) as s, s.begin():   # the communes' roll-ups of the rows copied in
        rollup.rebuild(s)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    from sqlalchemy.orm import Session

    with Session(engine) as s, s.begin():
        staff.add_user(s, username="tinh", unit_id=province, password=PASSWORD)
    engine.dispose()
    return province, communes[0]


def _median_ms(fn: Callable[[], Any], n: int = 7) -> float:
    fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run() -> list[dict[str, str]]:
    if not pg_reachable():
        return [{"what": "Province pages on PostgreSQL", "figure": "PostgreSQL unreachable",
                 "target": "", "ok": ""}]
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from sync_server.app import create_app
    from sync_server.settings import ServerSettings

    today = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).date()
    url = bench_url()
    start = time.perf_counter()
    province, commune = generate(url, today)
    generated = time.perf_counter() - start
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(ServerSettings(db=url, files_dir=tmp))
        with TestClient(app) as client:
            r = client.post("/province/login", data={"username": "tinh", "password": PASSWORD},
                            follow_redirects=False)
            assert r.status_code == 303, r.text
            month = f"{today.year}-{today.month:02d}"

            def page(path: str) -> Callable[[], None]:
                def get() -> None:
                    got = client.get(path)
                    assert got.status_code == 200, got.text[:300]
                return get

            tree_ms = _median_ms(page(f"/province/units/{province}?month={month}"))
            size = len(client.get(f"/province/units/{province}?month={month}").content)
            commune_ms = _median_ms(page(f"/province/units/{commune}?month={month}"))
            with Session(app.state.engine) as s:
                unit = s.get(Unit, province)
                assert unit is not None
                tree_q = _median_ms(lambda: queries.tree(s, unit, today.year, today.month))
                months_ms = _median_ms(lambda: queries.months(s, unit, today))
                numbers_ms = _median_ms(lambda: queries.party_numbers(s, unit, today), n=3)
                check = queries.tree(s, unit, today.year, today.month)
                last = province_month.months_back(today)[1]
                dues_ms = _median_ms(lambda: month_queries.month_tree(s, unit, *last))
                series_ms = _median_ms(lambda: month_queries.series(s, unit, today))
                month_check = month_queries.month_tree(s, unit, *last)
                review_ms = _median_ms(lambda: review_queries.review_tree(
                    s, unit, today.year - 1))
                review_check = review_queries.review_tree(s, unit, today.year - 1)
            last_year = today.year - 1
            review_page_ms = _median_ms(page(
                f"/province/units/{province}?month={month}&review_year={last_year}"))
            reports_ms = _median_ms(page("/province/reports"), n=3)
            with Session(app.state.engine) as s:
                from sync_server.models import StudyPublication

                plan_id = s.scalars(select(StudyPublication.id)).one()
                study_rows = province_study.measure(client, s, province, commune, plan_id)
            default_ms = _median_ms(page(f"/province/units/{province}"))
            default_size = len(client.get(f"/province/units/{province}").content)
    refresh_ms = province_month.refresh_cost()
    review_refresh_ms = province_review.refresh_cost()
    study_refresh_ms, study_publish_ms = province_study.write_costs()
    assert review_check.total.branches == BRANCHES and review_check.total.sent > 0
    assert month_check.total.keeping == BRANCHES
    assert check.total.branches == BRANCHES
    rows.append({"what": f"Generate the province on PostgreSQL ({BRANCHES:,} branches, "
                         f"{MEMBERS:,} members, {len(range(12))} months of meetings, dues, "
                         "monthly reports and meeting scores; COPY)",
                 "figure": f"{generated:.0f} s", "target": "", "ok": ""})
    rows.append({"what": f"Tree page of the province ({COMMUNES} communes, each with the "
                         "figures of its branches, and the month's meetings, attendance and "
                         "resolutions): "
                         f"whole request in process, page {size // 1024} KiB",
                 "figure": f"{tree_ms:.0f} ms", "target": "≤ 300 ms",
                 "ok": str(tree_ms <= 300)})
    rows.append({"what": "… of which the queries and roll-up (queries.tree)",
                 "figure": f"{tree_q:.0f} ms", "target": "", "ok": ""})
    rows.append({"what": f"Tree page of one commune (~{BRANCHES // COMMUNES} branches)",
                 "figure": f"{commune_ms:.0f} ms", "target": "≤ 300 ms",
                 "ok": str(commune_ms <= 300)})
    rows.append({"what": "Monthly meeting statistics of the province, 12 months "
                         "(queries.months: branches held, attendance, resolutions adopted; "
                         "the reports page)",
                 "figure": f"{months_ms:.0f} ms", "target": "≤ 300 ms",
                 "ok": str(months_ms <= 300)})
    rows.append({"what": "Party numbers of the province by status, gender, age band and "
                         f"ethnicity of {MEMBERS:,} members (queries.party_numbers: the "
                         "communes' stat_unit_members roll-ups)",
                 "figure": f"{numbers_ms:.0f} ms", "target": "", "ok": ""})
    rows.append({"what": "Reports page of the province (party numbers + 12 months), whole "
                         "request", "figure": f"{reports_ms:.0f} ms", "target": "≤ 300 ms",
                 "ok": str(reports_ms <= 300)})
    rows.append({"what": "Tree page of the province for last month (the default) with the "
                         "month's dues, 3+ unpaid, reports, scores and the 12-month SVG chart: "
                         f"whole request, page {default_size // 1024} KiB",
                 "figure": f"{default_ms:.0f} ms", "target": "≤ 300 ms",
                 "ok": str(default_ms <= 300)})
    rows.append({"what": "Province dues roll-up of a month (month_queries.month_tree: collected, "
                         "retained, sent up, 3+ unpaid, reports, scores per commune)",
                 "figure": f"{dues_ms:.0f} ms", "target": "≤ 300 ms",
                 "ok": str(dues_ms <= 300)})
    rows.append({"what": "The 12-month series of the province's chart (month_queries.series)",
                 "figure": f"{series_ms:.0f} ms", "target": "", "ok": ""})
    rows.append({"what": "Tree page of the province with last year's review: the grade "
                         "distribution per commune and rolled up (issue 20), whole request",
                 "figure": f"{review_page_ms:.0f} ms", "target": "≤ 300 ms",
                 "ok": str(review_page_ms <= 300)})
    rows.append({"what": "… of which the year's review roll-up (review_queries.review_tree: "
                         "sent, decided, members per grade, the branches' own grades)",
                 "figure": f"{review_ms:.0f} ms", "target": "", "ok": ""})
    rows.append({"what": "Keeping one campaign's review row on write (review_facts.refresh: "
                         "30 entries and their decisions; SQLite)",
                 "figure": f"{review_refresh_ms:.1f} ms", "target": "", "ok": ""})
    rows += study_rows
    rows.append({"what": "Keeping one report's stat_study row on write, and its commune's "
                         "sums over 121 branches (study_facts.refresh; SQLite)",
                 "figure": f"{study_refresh_ms:.1f} ms", "target": "", "ok": ""})
    rows.append({"what": "Publishing a plan with its quiz and survey to a commune's 121 "
                         "branches (study_publish.publish_plan: 121 copies and their "
                         "statistics rows, one transaction; SQLite)",
                 "figure": f"{study_publish_ms:.0f} ms", "target": "", "ok": ""})
    rows.append({"what": "Keeping one branch's dues rows on write (month_facts.refresh_dues: "
                         "30 members, a year of payments, build_book; SQLite)",
                 "figure": f"{refresh_ms:.0f} ms", "target": "", "ok": ""})
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['what']}: {row['figure']} (target {row['target']})")
