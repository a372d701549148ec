"""The review's results go up as records: a campaign proposed, held and sent on one PC reaches
the province server (campaign and entries, values the server's rules accept) and the other
PC of the branch pulls it, with the same counts. A real server (uvicorn subprocess), SQLite
always and PostgreSQL when reachable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import SyncQuarantineRow
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace
from sync_server.models import Record
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, digest, server_fixture
from tests.templates import enrolled_pair

server = server_fixture(scope="module", backends=BACKENDS)


@pytest.fixture
def pair(server: Server, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    [branch] = server.tree()
    a, b = enrolled_pair(server.url, lambda: server.code(branch), tmp_path,
                         members=14, documents=2, meetings=3, seed=9)
    yield a, b
    a.close()
    b.close()


def _records(server: Server, entity: str) -> list[dict[str, object]]:
    with server.session() as s:
        return [json.loads(data) for data in s.scalars(select(Record.data).where(
            Record.entity == entity, Record.deleted.is_(False)))]


def test_a_sent_review_reaches_the_server_and_the_other_pc(pair, server: Server) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    ws_a, ws_b = Workspace(a, today=lambda: TODAY), Workspace(b, today=lambda: TODAY)
    review.open_campaign(ws_a, TODAY.year)      # the demo's, read again
    for sheet in review.view(ws_a, TODAY.year).sheets:
        assert sheet.member_id is not None
        review.propose(ws_a, TODAY.year, None, sheet.member_id, points="78.5",
                       comments="Hoàn thành tốt nhiệm vụ được giao.")
    review.record_self(ws_a, TODAY.year, None, None, points="88", text="Chi bộ tự đánh giá.")
    review.propose(ws_a, TODAY.year, None, None, points="88")
    review.hold(ws_a, TODAY.year, None, TODAY)
    review.send(ws_a, TODAY.year)
    sync_client.run_sync(a)
    with a.reads() as s:   # nothing refused by the server's rules, nothing set aside
        assert s.scalars(select(SyncQuarantineRow)).all() == []

    campaigns = {(c["year"], c["status"]) for c in _records(server, "review_campaigns")}
    assert (TODAY.year, "sent") in campaigns and (TODAY.year - 1, "sent") in campaigns
    proposed = [e for e in _records(server, "review_entries") if e["points"] == "78.5"]
    mine = review.summary(review.view(ws_a, TODAY.year))
    assert len(proposed) == mine.members > 0
    assert all(e["comments"] == "Hoàn thành tốt nhiệm vụ được giao." for e in proposed)

    sync_client.run_sync(b)
    theirs = review.summary(review.view(ws_b, TODAY.year))
    assert theirs == mine and theirs.branch is not None
    assert review.view(ws_b, TODAY.year).status == "sent"
    # the demo's decisions were never the server's: gone from the first PC, never on the second
    assert review.summary(review.view(ws_a, TODAY.year - 1)).decided == dict.fromkeys(
        ("excellent", "good", "fulfilled", "not_fulfilled"), 0)
    for db in (b, a, b):   # the views' audit rows too
        sync_client.run_sync(db)
    assert digest(a) == digest(b)
