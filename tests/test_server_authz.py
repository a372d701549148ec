"""The authorisation matrix: every route × (no credential, a forged token, another branch's
device, a revoked device, the branch's own device on read-only rows). All refused, nothing of
the other branch leaks (a sentinel string is searched in every answer), nothing of it changes.

Every route of the app must appear in ``REQUESTS`` (or in ``PUBLIC``): a new route without an
entry fails the meta-test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server import admin
from sync_server.app import create_app
from sync_server.models import Record, ScopeSeq
from sync_server.records import put_record
from sync_server.settings import ServerSettings
from tests.sync_support import BACKENDS, api_routes, database_url

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

PUBLIC = {"/healthz", "/api/v1/info", "/api/v1/enroll", "/openapi.json", "/docs", "/redoc",
          "/docs/oauth2-redirect"}
SENTINEL = "BÍ-MẬT-CHI-BỘ-B 079123456789"
HEAD = "0003"


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = database_url(request.param, tmp_path)
    app = create_app(ServerSettings(db=url, files_dir=str(tmp_path / "files")))
    secret_file = tmp_path / "chi-thi-b.pdf"
    secret_file.write_bytes(f"%PDF only for branch B {SENTINEL}".encode())
    with TestClient(app) as client, Session(app.state.engine) as s:
        with s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
            a = admin.add_unit(s, name="Chi bộ A", level="branch", parent_id=c.id)
            b = admin.add_unit(s, name="Chi bộ B", level="branch", parent_id=c.id)
            member_b = new_id()
            put_record(s, scope_id=b.id, entity="members", row_id=member_b, by="B",
                       data={"unit_id": b.id, "full_name": SENTINEL, "phone": ""})
            published_b = admin.publish(s, tmp_path / "files", secret_file, to_unit=b.id,
                                        title=SENTINEL)
            published_a = admin.publish(s, tmp_path / "files", _plain(tmp_path), to_unit=a.id,
                                        title="Văn bản của A")
            codes = {name: admin.enroll_device(s, unit_id=u.id).code
                     for name, u in (("a", a), ("b", b), ("revoked", b))}
            ids = {"a": a.id, "b": b.id}
        tokens = {k: client.post("/api/v1/enroll", json={"code": v}).json()["token"]
                  for k, v in codes.items()}
        with s.begin():
            admin.revoke_device(s, tokens["revoked"].split(".")[0])
        yield {"client": client, "app": app, "tokens": tokens, "ids": ids,
               "member_b": member_b, "sha_b": published_b.sha256,
               "doc_a": published_a.document_id, "sha_a": published_a.sha256}


def _plain(tmp: Path) -> Path:
    path = tmp / "van-ban-a.pdf"
    path.write_bytes(b"%PDF for branch A")
    return path


def _sync_body(w: dict[str, Any]) -> bytes:
    b = w["ids"]["b"]
    return json.dumps({"protocol": 1, "schema_version": HEAD, "cursors": {b: 0},
                       "mutations": [
                           {"id": 1, "entity": "members", "row_id": w["member_b"], "op": "update",
                            "base_version": 0, "schema_version": HEAD,
                            "fields": {"full_name": [SENTINEL, "Đã bị sửa"]}},
                           {"id": 2, "entity": "members", "row_id": new_id(), "op": "create",
                            "base_version": 0, "schema_version": HEAD,
                            "fields": {"unit_id": b, "full_name": "Người lạ"}},
                           {"id": 3, "entity": "conflicts", "row_id": w["member_b"],
                            "op": "resolve", "base_version": 0, "schema_version": HEAD,
                            "fields": {"keep": "proposed"}}]}).encode()


# Each route with a request that aims at branch B's data.
REQUESTS: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/sync"): lambda w: {"content": _sync_body(w),
                                        "headers": {"Content-Type": "application/json"}},
    ("GET", "/api/v1/files/{sha256}"): lambda w: {"path": {"sha256": w["sha_b"]}},
    ("HEAD", "/api/v1/files/{sha256}"): lambda w: {"path": {"sha256": w["sha_b"]}},
    ("HEAD", "/api/v1/uploads/{sha256}"): lambda w: {"path": {"sha256": w["sha_b"]}},
    ("PUT", "/api/v1/uploads/{sha256}"): lambda w: {"path": {"sha256": w["sha_b"]},
                                                   "params": {"offset": 0},
                                                   "content": b"not B's file"},
    ("POST", "/api/v1/uploads/{sha256}/commit"): lambda w: {"path": {"sha256": w["sha_b"]}},
    # The convergence check and the repair pull (R5) answer for the caller's own scope only.
    ("POST", "/api/v1/sync/check"): lambda w: {"content": json.dumps({
        "protocol": 1, "schema_version": HEAD, "cursor": 10**6,
        "digest": {"members": {"count": 0, "hash": "0" * 64}}}).encode(),
        "headers": {"Content-Type": "application/json"}},
    ("POST", "/api/v1/sync/repair"): lambda w: {"content": json.dumps({
        "protocol": 1, "schema_version": HEAD, "entity": "members"}).encode(),
        "headers": {"Content-Type": "application/json"}},
}


def _routes(app: Any) -> set[tuple[str, str]]:
    out = set()
    for route in api_routes(app):
        # The province pages (staff logins, not devices) have their own meta-test:
        # province/test_pages_login.test_every_page_but_the_login_needs_a_staff_session.
        if route.path not in PUBLIC and not route.path.startswith("/province/"):
            for method in route.methods:
                out.add((method, route.path))
    return out


def _call(w: dict[str, Any], method: str, path: str, token: str | None) -> Any:
    spec = REQUESTS[(method, path)](w)
    url = path
    for key, value in spec.get("path", {}).items():
        url = url.replace("{" + key + "}", value)
    headers = dict(spec.get("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return w["client"].request(method, url, params=spec.get("params"),
                               content=spec.get("content"), headers=headers)


def _state_of_b(w: dict[str, Any]) -> tuple[Any, ...]:
    with Session(w["app"].state.engine) as s:
        b = w["ids"]["b"]
        return (s.get(ScopeSeq, b).seq,
                s.scalar(select(func.count()).select_from(Record).where(Record.scope_id == b)),
                s.scalar(select(Record.data).where(Record.id == w["member_b"])))


def test_every_route_is_in_the_matrix(world) -> None:
    assert _routes(world["app"]) == set(REQUESTS)


@pytest.mark.parametrize("who", ["none", "forged", "other-branch", "revoked"])
def test_nothing_of_another_branch_is_readable_or_writable(world, who: str) -> None:
    token = {"none": None, "forged": world["tokens"]["b"][:-4] + "AAAA",
             "other-branch": world["tokens"]["a"], "revoked": world["tokens"]["revoked"]}[who]
    before = _state_of_b(world)
    for method, path in sorted(REQUESTS):
        r = _call(world, method, path, token)
        seen = r.content.decode("utf-8", "replace") + json.dumps(dict(r.headers))
        assert SENTINEL not in seen and world["member_b"] not in seen, (method, path, who)
        if who in ("none", "forged"):
            assert r.status_code == 401, (method, path, r.status_code)
        elif who == "revoked":
            assert r.status_code == 403, (method, path, r.status_code)
        elif path == "/api/v1/sync":
            assert r.status_code == 200
            results = r.json()["results"]
            assert [x["status"] for x in results] == ["rejected"] * 3
            assert {x["reason"] for x in results} == {"sync_not_found", "sync_wrong_unit"}
            assert all(ch["data"].get("unit_id") in (None, world["ids"]["a"])
                       for ch in r.json()["changes"])
        elif path == "/api/v1/sync/check":
            assert r.status_code == 200 and r.json()["status"] == "match"  # A's own: none
        elif path == "/api/v1/sync/repair":
            assert r.status_code == 200 and r.json()["changes"] == []     # A has no members
        elif (method, path) == ("HEAD", "/api/v1/uploads/{sha256}"):
            assert r.headers["X-Stored"] == "0"  # B's file is not even said to exist
        elif method == "PUT":
            assert r.status_code == 204  # A's own partial upload; B's file is untouched
        else:
            assert r.status_code == 404, (method, path, r.status_code)
    assert _state_of_b(world) == before


def test_read_only_rows_of_the_own_branch_cannot_be_changed(world) -> None:
    a = world["ids"]["a"]
    body = {"protocol": 1, "schema_version": HEAD, "cursors": {a: 0}, "mutations": [
        {"id": 1, "entity": "documents", "row_id": world["doc_a"], "op": "update",
         "base_version": 0, "schema_version": HEAD,
         "fields": {"title": ["Văn bản của A", "Sửa văn bản của tỉnh"]}},
        {"id": 2, "entity": "org_units", "row_id": a, "op": "update", "base_version": 0,
         "schema_version": HEAD, "fields": {"name": ["Chi bộ A", "Chi bộ Tự Đặt"]}},
        {"id": 3, "entity": "conflicts", "row_id": new_id(), "op": "create", "base_version": 0,
         "schema_version": HEAD, "fields": {"entity": "members"}}]}
    r = world["client"].post("/api/v1/sync", json=body,
                             headers={"Authorization": f"Bearer {world['tokens']['a']}"})
    assert [x["reason"] for x in r.json()["results"]] == ["sync_read_only"] * 3
    titles = {ch["data"].get("title") for ch in r.json()["changes"]}
    assert "Văn bản của A" in titles and "Sửa văn bản của tỉnh" not in titles
    ok = world["client"].get(f"/api/v1/files/{world['sha_a']}",
                             headers={"Authorization": f"Bearer {world['tokens']['a']}"})
    assert ok.status_code == 200 and ok.content == b"%PDF for branch A"


def test_refusals_and_admin_actions_are_in_the_admin_log(world) -> None:
    from sync_server.models import AdminLog

    _call(world, "POST", "/api/v1/sync", None)
    _call(world, "GET", "/api/v1/files/{sha256}", world["tokens"]["revoked"])
    with Session(world["app"].state.engine) as s:
        rows = s.scalars(select(AdminLog).order_by(AdminLog.id)).all()
    actions = [r.action for r in rows]
    for expected in ("org_add", "publish", "device_enroll", "device_enrolled", "device_revoke"):
        assert expected in actions
    refusals = [json.loads(r.detail) for r in rows if r.action == "auth_refused"]
    assert [(x["path"], x["code"]) for x in refusals[-2:]] == [
        ("/api/v1/sync", "sync_unauthorized"),
        (f"/api/v1/files/{world['sha_b']}", "sync_device_revoked")]
    assert all(r.at is not None for r in rows)


@pytest.mark.parametrize("path", ["/api/v1/enroll", "/api/v1/sync", "/api/v1/sync/check",
                                  "/api/v1/sync/repair",
                                  "/api/v1/uploads/" + "a" * 64 + "?offset=0"])
def test_oversized_bodies_are_refused_on_every_route(world, path: str) -> None:
    client = world["client"]
    method = "PUT" if "uploads" in path else "POST"
    big = b"x" * (3 * 2**20)
    r = client.request(method, path, content=big)
    assert r.status_code == 413 and r.json()["code"] == "sync_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(64):
            yield b"y" * 65536

    r = client.request(method, path, content=chunks())
    assert r.status_code == 413
