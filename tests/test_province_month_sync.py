"""Dues and a monthly report recorded on a real branch PC reach the province server and its
pages (issue 19): the tree page shows the month's dues and the report, the commune marks it
received and comments; the comment comes down to the PC, which keeps it (a comment on a
report is a target the record rules know, nothing is set aside). A real server (uvicorn
subprocess), SQLite always and PostgreSQL when reachable."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from sotay_core.domain.dues import Month
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import CommentRow, SyncQuarantineRow
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import dues, report
from sotay_desktop.usecases.workspace import Workspace
from sync_server import staff
from sync_server.models import Record, Unit
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import open_copy

server = server_fixture(scope="module", backends=BACKENDS)
PASSWORD = "mật khẩu xã 2026 thử"


@pytest.fixture
def pc(server: Server, tmp_path: Path) -> Iterator[tuple[Database, str]]:
    [branch] = server.tree()
    db = open_copy(tmp_path / "pc", members=12, documents=1, meetings=2, seed=11)
    sync_client.enroll(db, server.url, server.code(branch), label="PC")
    sync_client.run_sync(db)
    yield db, branch
    db.close()


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _token(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_dues_and_a_report_from_a_pc_reach_the_province_pages(pc, server: Server) -> None:
    db, branch = pc
    ws = Workspace(db, today=lambda: TODAY)
    month = Month.of(TODAY).plus(-1)
    key = f"{month.year}-{month.month:02d}"
    book = dues.book(ws, month.year)
    owing = [line for line in book.lines if line.cell(month).due > 0
             and line.cell(month).payment is None][:2]
    assert owing, "the demo branch owes dues last month"
    paid = 0
    for line in owing:
        dues.record_payment(ws, member_id=line.member_id, month=month,
                            paid_on=TODAY - dt.timedelta(days=3))
        paid += line.cell(month).due
    collected = dues.book(ws, month.year).month_totals(month)
    report.save_report(ws, key, remarks="Chi bộ đã thu đảng phí tháng.")
    report.mark_sent(ws, key)
    sync_client.run_sync(db)

    with server.session() as s:
        commune = s.scalars(select(Unit).where(Unit.level == "commune")).one()
        staff.add_user(s, username="xa", unit_id=commune.id, password=PASSWORD,
                       display_name="Cán bộ xã")
        commune_id = commune.id
        report_id = s.scalars(select(Record.id).where(
            Record.scope_id == branch, Record.entity == "monthly_reports")).one()
    web = requests.Session()
    r = web.post(f"{server.url}/province/login", data={"username": "xa",
                                                       "password": PASSWORD})
    assert r.status_code == 200, r.text[:300]
    page = web.get(f"{server.url}/province/units/{commune_id}?month={key}").text
    row = re.search(r"<th scope=\"row\">Chi bộ thôn 1</th>(.*?)</tr>", page, re.S)
    assert row, page[-3000:]
    cells = _text(row.group(1))
    money = f"{collected.collected:,}".replace(",", ".") + " đ"
    assert collected.collected >= paid and money in cells
    assert f"{collected.sent_up:,}".replace(",", ".") + " đ" in cells
    assert "Đã gửi, chưa nhận" in cells
    # the commune reads it, marks it received and comments
    url = f"{server.url}/province/branches/{branch}/reports/{report_id}"
    page = web.get(url).text
    assert "Chi bộ đã thu đảng phí tháng." in page and money in _text(page)
    assert web.post(f"{url}/received", data={"form_token": _token(page)}).status_code == 200
    page = web.get(url).text
    assert web.post(f"{url}/comments", data={
        "form_token": _token(page), "body": "Xã đã nhận, đề nghị thu đủ tháng sau."}
    ).status_code == 200
    assert "Đã nhận" in _text(web.get(
        f"{server.url}/province/units/{commune_id}?month={key}").text)
    # the comment comes down to the PC and is kept there
    assert sync_client.run_sync(db).pulled >= 1
    with db.reads() as s:
        comments = s.scalars(select(CommentRow).where(CommentRow.target_type == "report")).all()
        assert not s.scalars(select(SyncQuarantineRow)).all()     # nothing set aside
    assert [(c.target_id, c.body) for c in comments] == [
        (report_id, "Xã đã nhận, đề nghị thu đủ tháng sau.")]
