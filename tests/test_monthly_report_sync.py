"""The monthly report goes up as a record: saved, then marked sent, it reaches the province
server with its figures, remarks, status and day, and a second PC of the branch pulls it.
A real server (uvicorn subprocess), SQLite always and PostgreSQL when reachable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_desktop.db.engine import Database
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import report
from sotay_desktop.usecases.workspace import Workspace
from sync_server.models import Record
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, digest, server_fixture
from tests.templates import enrolled_pair, open_copy

server = server_fixture(scope="module", backends=BACKENDS)
MONTH = "2026-10"


@pytest.fixture
def pair(server: Server, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    [branch] = server.tree()
    a, b = enrolled_pair(server.url, lambda: server.code(branch), tmp_path,
                         members=12, documents=2, meetings=3, seed=7)
    yield a, b
    a.close()
    b.close()


def _on_server(server: Server) -> list[dict[str, object]]:
    with server.session() as s:
        return [json.loads(data) for data in s.scalars(select(Record.data).where(
            Record.entity == "monthly_reports", Record.deleted.is_(False)))]


def test_the_report_reaches_the_server_and_the_other_pc(pair, server: Server) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    ws_a, ws_b = Workspace(a, today=lambda: TODAY), Workspace(b, today=lambda: TODAY)
    report.save_report(ws_a, MONTH, remarks="Chi bộ hoàn thành nhiệm vụ tháng.")
    sync_client.run_sync(a)
    [draft] = _on_server(server)
    assert draft["month"] == MONTH and draft["status"] == "draft"
    figures = json.loads(str(draft["figures"]))
    assert figures["month"] == MONTH and figures["version"] == 1
    assert figures["total_members"] == report.month_report(ws_a, MONTH).figures.total_members

    report.mark_sent(ws_a, MONTH)
    sync_client.run_sync(a)
    [sent] = _on_server(server)
    assert (sent["status"], sent["sent_on"]) == ("sent", TODAY.isoformat())
    assert sent["remarks"] == "Chi bộ hoàn thành nhiệm vụ tháng."

    sync_client.run_sync(b)
    view = report.month_report(ws_b, MONTH)
    assert view.saved and view.sent_on == TODAY
    assert view.remarks == "Chi bộ hoàn thành nhiệm vụ tháng."
    assert view.figures == report.month_report(ws_a, MONTH).figures
    assert digest(a) == digest(b)


def test_a_branch_with_a_report_made_before_enrolment_enrols_and_sends_it(
        server: Server, tmp_path: Path) -> None:
    """A report saved before the PC was enrolled follows the branch to the server's unit
    id (enrolment re-points every column that names the unit, read from the tables)."""
    [branch] = server.tree()
    pc = open_copy(tmp_path / "early", members=12, documents=2, meetings=3, seed=7)
    try:
        report.save_report(Workspace(pc, today=lambda: TODAY), MONTH, remarks="Làm trước.")
        sync_client.enroll(pc, server.url, server.code(branch), label="PC-early")
        sync_client.run_sync(pc)
        assert any(r["unit_id"] == branch and r["remarks"] == "Làm trước."
                   for r in _on_server(server))
    finally:
        pc.close()
