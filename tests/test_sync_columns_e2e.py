"""The ``columns1`` answer end to end, against the real server on SQLite and PostgreSQL: a PC
that asks gets it and ends with the same rows as a PC that does not (every PC before this
encoding), the server answers the plain list unless asked, a PC falls back for a server from
before it, and a damaged or forged answer is refused with a code."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS, SyncRequest
from sotay_core.protocol.columns import encode_changes
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.services.members import update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync import transport as transport_module
from sotay_desktop.services.sync.transport import SyncFailure, Transport
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, digest, server_fixture
from tests.templates import open_copy

server = server_fixture(scope="module", backends=BACKENDS)


@pytest.fixture
def branch(server: Server, tmp_path: Path) -> Iterator[tuple[str, Database]]:
    """A branch whose demo rows PC-1 has pushed."""
    [unit] = server.tree()
    a = open_copy(tmp_path / "pc1", members=30, documents=4, meetings=3, seed=7)
    sync_client.enroll(a, server.url, server.code(unit), label="PC-1")
    sync_client.run_sync(a)
    yield unit, a
    a.close()


def _pc(server: Server, unit: str, path: Path) -> Database:
    db = open_copy(path)
    sync_client.enroll(db, server.url, server.code(unit), label=path.name)
    return db


def test_a_pc_reading_columns_and_an_old_pc_end_with_the_same_rows(
        server: Server, branch: tuple[str, Database], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    unit, a = branch
    decoded: list[int] = []
    real = transport_module.decode_changes

    def spy(page: Any) -> Any:
        changes = real(page)
        decoded.append(len(changes))
        return changes

    monkeypatch.setattr(transport_module, "decode_changes", spy)
    new, old = _pc(server, unit, tmp_path / "pc-new"), _pc(server, unit, tmp_path / "pc-old")
    # Small pages: the first sync takes several answers, each applied with its cursor.
    report = sync_client.run_sync(new, files=False, page_bytes=16 * 1024)
    assert report.requests >= 3 and len(decoded) >= 3
    assert sum(decoded) == report.pulled
    old_transport = sync_client.transport_for(old)
    old_transport.encodings = []                  # what a PC from before asks: nothing
    calls = len(decoded)
    sync_client.run_sync(old, old_transport, files=False, page_bytes=16 * 1024)
    assert len(decoded) == calls
    assert digest(new) == digest(old) == digest(a)
    # Both keep syncing: an edit on the old PC reaches the new one in columns.
    with old.sessions.begin() as s:
        member = s.query(MemberRow).order_by(MemberRow.id).first()
        assert member is not None
        update_member(s, member_id=member.id, data={"residence": "Xóm Mới"}, today=TODAY)
    sync_client.run_sync(old, old_transport, files=False)
    sync_client.run_sync(new, files=False)
    assert digest(new) == digest(old)
    new.close()
    old.close()


def _post(server: Server, token: str, unit: str, **extra: Any) -> requests.Response:
    body = {"protocol": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSIONS[-1],
            "cursors": {unit: 0}} | extra
    return requests.post(server.url + "/api/v1/sync", data=json.dumps(body), timeout=30,
                         headers={"Authorization": f"Bearer {token}",
                                  "Content-Type": "application/json"})


def test_the_server_answers_the_plain_list_unless_asked(
        server: Server, branch: tuple[str, Database]) -> None:
    unit, _a = branch
    token = Transport(server.url).enroll(server.code(unit), "raw").token
    plain = _post(server, token, unit).json()
    assert "columns" not in plain and len(plain["changes"]) > 100
    unknown = _post(server, token, unit, encodings=["columns9"]).json()
    assert "columns" not in unknown and unknown["changes"] == plain["changes"]
    packed = _post(server, token, unit, encodings=["columns9", "columns1"]).json()
    assert packed["changes"] == [] and packed["columns"]["v"] == 1
    assert packed["cursors"] == plain["cursors"]
    assert len(json.dumps(packed["columns"])) < len(json.dumps(plain["changes"])) * 0.7
    too_many = _post(server, token, unit, encodings=["x"] * 9)
    assert too_many.status_code == 422 and too_many.json()["code"] == "sync_bad_payload"
    nothing_new = _post(server, token, unit, encodings=["columns1"],
                        cursors=plain["cursors"]).json()
    assert nothing_new["changes"] == [] and "columns" not in nothing_new


def test_a_pc_falls_back_to_the_plain_list_for_a_server_from_before(
        server: Server, branch: tuple[str, Database], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    unit, a = branch
    b = _pc(server, unit, tmp_path / "pc2")
    transport = sync_client.transport_for(b)
    real = Transport._call
    refused: list[str] = []

    def old_server(self: Transport, method: str, path: str, **kwargs: Any) -> Any:
        data = kwargs.get("data")
        if path == "/api/v1/sync" and b'"encodings"' in gzip.decompress(data):
            refused.append(path)       # what the server before 'encodings' answers: 422
            return _answer(422, b'{"code": "sync_bad_payload", "detail": "extra"}')
        return real(self, method, path, **kwargs)

    monkeypatch.setattr(Transport, "_call", old_server)
    sync_client.run_sync(b, transport, files=False)
    assert refused == ["/api/v1/sync"] and transport.encodings == []
    assert digest(b) == digest(a)
    b.close()


def _answer(status: int, content: bytes) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r.raw = io.BytesIO(content)
    r.headers["Content-Length"] = str(len(content))
    return r


def _forged(columns: Any, changes: list[dict[str, Any]] | None = None) -> bytes:
    return json.dumps({"protocol": 1, "server_time": "2026-11-22T00:00:00+00:00",
                       "unit_id": "u", "last_mutation_id": None, "results": [],
                       "changes": changes or [], "cursors": {"u": 5}, "has_more": False,
                       "columns": columns}).encode()


GOOD = encode_changes([])
FORGED = {
    "not a page": _forged({"v": 1}),
    "index out of range": _forged({"v": 1, "groups": [{
        "entity": "members", "n": 1, "ids": [3], "versions": [5], "fields": [],
        "kinds": "", "values": []}]}),
    "changes both ways": _forged(GOOD, [{"entity": "members", "id": "m", "version": 5,
                                         "data": {}}]),
}


@pytest.mark.parametrize("content", FORGED.values(), ids=FORGED.keys())
def test_a_forged_columns_answer_is_refused_with_a_code(
        content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Transport, "_call", lambda *_a, **_k: _answer(200, content))
    with pytest.raises(SyncFailure) as caught:
        Transport("http://127.0.0.1:9").sync(SyncRequest(protocol=1, schema_version="0008"))
    assert caught.value.code == "sync_bad_answer"


def test_an_empty_columns_page_reads_as_no_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Transport, "_call", lambda *_a, **_k: _answer(200, _forged(GOOD)))
    answer = Transport("http://127.0.0.1:9").sync(SyncRequest(protocol=1, schema_version="0008"))
    assert answer.changes == [] and answer.columns is None
