"""Two PCs of one branch record the same member's month: the server keeps one payment and
opens a conflict naming what differs; neither PC ever counts two payments for the month.
A real server (uvicorn subprocess), SQLite always and PostgreSQL when reachable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_core.domain.dues import Month
from sotay_desktop.db.engine import Database
from sotay_desktop.db.month_tables import DuesPaymentRow
from sotay_desktop.services import conflicts
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import dues
from sotay_desktop.usecases.workspace import Workspace
from sync_server.models import Record
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, digest, server_fixture
from tests.templates import enrolled_pair

server = server_fixture(scope="module", backends=BACKENDS)
MONTH = "2027-03"   # ahead of the demo's own payments


@pytest.fixture
def pair(server: Server, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    [branch] = server.tree()
    a, b = enrolled_pair(server.url, lambda: server.code(branch), tmp_path,
                         members=12, documents=2, meetings=2, seed=5)
    yield a, b
    a.close()
    b.close()


def _live(db: Database, member_id: str) -> list[tuple[int, dt.date]]:
    with db.reads() as s:
        return [(r.amount, r.paid_on) for r in s.scalars(select(DuesPaymentRow).where(
            DuesPaymentRow.member_id == member_id, DuesPaymentRow.month == MONTH,
            DuesPaymentRow.deleted.is_(False)))]


def test_two_pcs_paying_one_member_month_meet_as_a_conflict(pair, server: Server) -> None:
    a, b = pair
    ws_a, ws_b = Workspace(a, today=lambda: TODAY), Workspace(b, today=lambda: TODAY)
    line = next(line for line in dues.book(ws_a, 2026).lines
                if line.cell(Month(2026, 11)).due > 0)
    dues.record_payment(ws_a, member_id=line.member_id, month=MONTH, amount=20_000,
                        paid_on=dt.date(2026, 11, 20))
    dues.record_payment(ws_b, member_id=line.member_id, month=MONTH, amount=30_000,
                        paid_on=dt.date(2026, 11, 21), channel="portal")
    sync_client.run_sync(a)
    report = sync_client.run_sync(b)
    assert report.conflicts >= 1
    sync_client.run_sync(a)
    with server.session() as s:
        kept = s.scalars(select(Record.data).where(
            Record.entity == "dues_payments", Record.deleted.is_(False))).all()
    assert len([data for data in kept if f'"{MONTH}"' in data]) == 1
    for db in (a, b):
        assert _live(db, line.member_id) == [(20_000, dt.date(2026, 11, 20))]
        with db.reads() as s:
            views = conflicts.open_conflicts(s)
        assert views and any(line.name in view.text for view in views)
    assert digest(a) == digest(b)
