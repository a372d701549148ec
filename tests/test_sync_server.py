"""The sync server against bad input and other branches' credentials (FastAPI test client).

Runs on SQLite always and on PostgreSQL when reachable (required in CI).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, SyncResponse
from sync_server import admin
from sync_server.app import create_app
from sync_server.settings import ServerSettings
from tests.sync_support import BACKENDS, database_url

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

HEAD = "0003"


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = database_url(request.param, tmp_path)
    app = create_app(ServerSettings(db=url, files_dir=str(tmp_path / "files"),
                                    enroll_per_minute=5))
    with TestClient(app) as client:
        from sqlalchemy.orm import Session
        with Session(app.state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
            b1 = admin.add_unit(s, name="Chi bộ 1", level="branch", parent_id=c.id)
            b2 = admin.add_unit(s, name="Chi bộ 2", level="branch", parent_id=c.id)
            codes = [admin.enroll_device(s, unit_id=b.id).code for b in (b1, b2, b1)]
            ids = (b1.id, b2.id)
        tokens = []
        for code in codes:
            r = client.post("/api/v1/enroll", json={"code": code, "label": "PC"})
            assert r.status_code == 200, r.text
            tokens.append(r.json()["token"])
        yield {"client": client, "app": app, "b1": ids[0], "b2": ids[1], "tokens": tokens,
               "tmp": tmp_path}


def _sync(client: TestClient, token: str | None, body: Any, **headers: str) -> Any:
    h = {"Content-Type": "application/json", **headers}
    if token:
        h["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/api/v1/sync", content=data, headers=h)


def _req(mutations: list[dict[str, Any]] | None = None, cursor: int = 0, scope: str = ""
         ) -> dict[str, Any]:
    return {"protocol": PROTOCOL_VERSION, "schema_version": HEAD,
            "mutations": mutations or [], "cursors": {scope: cursor} if scope else {}}


def _member(mid: int, unit: str, row_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"id": mid, "entity": "members", "row_id": row_id or new_id(), "op": "create",
            "base_version": 0, "schema_version": HEAD,
            "fields": {"unit_id": unit, "full_name": "Nguyễn Văn An", **fields}}


def test_a_member_created_by_one_branch_is_invisible_to_another(env) -> None:
    c, t1, t2 = env["client"], env["tokens"][0], env["tokens"][1]
    r = _sync(c, t1, _req([_member(1, env["b1"])]))
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied"
    other = SyncResponse.model_validate(_sync(c, t2, _req()).json())
    assert all(ch.entity == "org_units" for ch in other.changes)
    assert "Nguyễn Văn An" not in json.dumps(other.model_dump(), ensure_ascii=False)
    # and cannot write into it: the unit id is checked against the credential
    r = _sync(c, t2, _req([_member(1, env["b1"])]))
    assert r.json()["results"][0] == {**r.json()["results"][0], "status": "rejected",
                                      "reason": "sync_wrong_unit"}


@pytest.mark.parametrize("token", [None, "", "abc", "x" * 500, "01a2.bad-secret"])
def test_missing_or_forged_credentials_are_refused(env, token) -> None:
    r = _sync(env["client"], token, _req())
    assert r.status_code == 401 and r.json()["code"] == "sync_unauthorized"


def test_bad_payloads_get_clear_errors_and_change_nothing(env) -> None:
    c, t1, b1 = env["client"], env["tokens"][0], env["b1"]
    cases = [
        b"{not json",
        b"[]",
        json.dumps({"protocol": 1}).encode(),
        json.dumps(_req() | {"surprise": 1}).encode(),
        json.dumps(_req([_member(1, b1) | {"id": -5}])).encode(),
        json.dumps(_req([_member(1, b1) | {"op": "drop_table"}])).encode(),
        json.dumps(_req([_member(1, b1)] * 501)).encode(),
    ]
    for body in cases:
        r = _sync(c, t1, body)
        assert r.status_code == 422, (body[:60], r.text)
        assert r.json()["code"] == "sync_bad_payload"
    after = SyncResponse.model_validate(_sync(c, t1, _req()).json())
    assert after.last_mutation_id == 0 and not after.results


def test_wrong_types_and_unknown_fields_are_rejected_per_mutation_and_do_not_wedge(env) -> None:
    c, t1, b1 = env["client"], env["tokens"][0], env["b1"]
    muts = [
        _member(1, b1, date_of_birth="1990-02-30"),
        _member(2, b1, full_name=12),
        _member(3, b1, favourite_colour="đỏ"),
        {**_member(4, b1), "entity": "passwords"},
        _member(5, b1),
    ]
    results = _sync(c, t1, _req(muts)).json()["results"]
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("rejected", "sync_bad_type"), ("rejected", "sync_bad_type"),
        ("rejected", "sync_unknown_field"), ("rejected", "sync_unknown_entity"),
        ("applied", None)]


def test_oversized_and_bomb_bodies_are_refused_without_reading_them(env) -> None:
    c, t1 = env["client"], env["tokens"][0]
    big = b" " * (3 * 2**20)
    r = _sync(c, t1, big)
    assert r.status_code == 413 and r.json()["code"] == "sync_too_large"
    bomb = gzip.compress(b"{" + b" " * (64 * 2**20))  # 64 MB of spaces in ~64 KB
    r = _sync(c, t1, bomb, **{"Content-Encoding": "gzip"})
    assert r.status_code == 413
    r = _sync(c, t1, b"\x1f\x8b garbage", **{"Content-Encoding": "gzip"})
    assert r.status_code == 400 and r.json()["code"] == "sync_bad_payload"
    r = _sync(c, t1, b"{}", **{"Content-Encoding": "br"})
    assert r.status_code == 415


def test_replayed_and_reordered_mutations(env) -> None:
    c, t1, b1 = env["client"], env["tokens"][0], env["b1"]
    row = new_id()
    first = _member(1, b1, row_id=row, phone="")
    update = {"id": 2, "entity": "members", "row_id": row, "op": "update", "base_version": 0,
              "schema_version": HEAD, "fields": {"phone": ["", "0912"]}}
    gap = {**update, "id": 4, "fields": {"phone": ["0912", "0913"]}}
    r = _sync(c, t1, _req([gap])).json()  # the server has not seen 1–3: nothing applies
    assert r["results"] == [] or r["results"][0]["status"] in ("applied", "rejected")
    r = _sync(c, t1, _req([update, first])).json()  # reordered in the body: sorted by id
    assert [x["status"] for x in r["results"]] == ["applied", "applied"]
    again = _sync(c, t1, _req([first, update])).json()  # replayed: the stored answers
    assert again["results"] == r["results"]
    pulled = [ch for ch in again["changes"] if ch["entity"] == "members"]
    assert len(pulled) == 1 and pulled[0]["data"]["phone"] == "0912"


def test_revoked_device_is_refused_at_once(env) -> None:
    c, t1, app = env["client"], env["tokens"][0], env["app"]
    from sqlalchemy.orm import Session
    device_id = t1.split(".")[0]
    with Session(app.state.engine) as s, s.begin():
        admin.revoke_device(s, device_id)
    r = _sync(c, t1, _req())
    assert r.status_code == 403 and r.json()["code"] == "sync_device_revoked"
    assert _sync(c, env["tokens"][2], _req()).status_code == 200  # the other PC still works


def test_enrolment_codes_are_single_use_and_rate_limited(env) -> None:
    c = env["client"]
    statuses = [c.post("/api/v1/enroll", json={"code": f"WRONG-{i:04d}"}).status_code
                for i in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429


def test_files_of_another_branch_are_not_served(env) -> None:
    c, t1, t2, app, tmp = env["client"], *env["tokens"][:2], env["app"], env["tmp"]
    from sqlalchemy.orm import Session
    path = tmp / "chi-thi.pdf"
    path.write_bytes(b"%PDF-1.4 only for branch 1")
    with Session(app.state.engine) as s, s.begin():
        pub = admin.publish(s, tmp / "files", path, to_unit=env["b1"])
    ok = c.get(f"/api/v1/files/{pub.sha256}", headers={"Authorization": f"Bearer {t1}"})
    assert ok.status_code == 200 and ok.content == path.read_bytes()
    part = c.get(f"/api/v1/files/{pub.sha256}", headers={"Authorization": f"Bearer {t1}",
                                                         "Range": "bytes=9-"})
    assert part.status_code == 206 and part.content == path.read_bytes()[9:]
    no = c.get(f"/api/v1/files/{pub.sha256}", headers={"Authorization": f"Bearer {t2}"})
    assert no.status_code == 404
    assert c.get("/api/v1/files/../../etc/passwd",
                 headers={"Authorization": f"Bearer {t1}"}).status_code in (400, 404)


def test_upload_with_a_wrong_hash_is_never_served(env) -> None:
    c, t1 = env["client"], env["tokens"][0]
    h = {"Authorization": f"Bearer {t1}"}
    sha = "a" * 64
    assert c.put(f"/api/v1/uploads/{sha}?offset=0", content=b"hello", headers=h
                 ).status_code == 204
    r = c.put(f"/api/v1/uploads/{sha}?offset=0", content=b"again", headers=h)
    assert r.status_code == 409 and r.json()["params"]["offset"] == 5
    r = c.post(f"/api/v1/uploads/{sha}/commit", headers=h)
    assert r.status_code == 422 and r.json()["code"] == "sync_hash_mismatch"
