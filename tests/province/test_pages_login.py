"""The province pages (issue 7): a staff login, its limits, the session's end, and no page
without a login (FastAPI test client, SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server.app import create_app
from sync_server.models import Record, StaffSession
from tests.province.support import login, token_of

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


def test_pages_need_a_login_and_a_wrong_password_is_said_plainly(env) -> None:
    c, ids = env["client"], env["ids"]
    r = c.get(f"/province/units/{ids['p']}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/province/login?next=")
    r = login(c, password="sai mật khẩu")
    assert r.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in r.text
    assert "sotay_staff" not in r.headers.get("set-cookie", "")
    r = login(c)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    # the session is stored hashed, not as the cookie's token
    with Session(env["app"].state.engine) as s:
        hashes = s.scalars(select(StaffSession.token_hash)).all()
    assert c.cookies.get("sotay_staff") not in hashes and len(hashes) == 1


def test_repeated_wrong_passwords_are_slowed_down(env) -> None:
    c = env["client"]
    for _ in range(5):
        assert login(c, password="wrong password!").status_code == 401
    r = login(c)  # even the right password waits a minute now
    assert r.status_code == 429 and "đợi một phút" in r.text


def test_the_limit_holds_across_server_workers(env) -> None:
    """Two app instances on one database (two uvicorn workers) count failures together."""
    other_app = create_app(env["settings"])
    with TestClient(other_app) as other:
        for client in (env["client"], other, env["client"], other, env["client"]):
            assert login(client, password="wrong password!").status_code == 401
        assert login(other).status_code == 429
        assert login(env["client"]).status_code == 429


def test_logout_ends_the_session(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    page = c.get(f"/province/units/{ids['p']}").text
    cookie = c.cookies["sotay_staff"]
    assert c.post("/province/logout", data={"form_token": token_of(page)},
                  follow_redirects=False).status_code == 303
    c.cookies.set("sotay_staff", cookie, path="/province")
    r = c.get(f"/province/units/{ids['p']}", follow_redirects=False)
    assert r.status_code == 303 and "/province/login" in r.headers["location"]


PUBLIC_PAGES = {("GET", "/province/login"), ("POST", "/province/login"),
                ("GET", "/province/lang/{code}"),
                ("POST", "/province/logout"), ("GET", "/province/static/style.css")}


def _page_routes(env: dict[str, Any]) -> set[tuple[str, str]]:
    from fastapi.routing import APIRoute

    from sync_server import routers

    return {(m, r.path) for router in routers.PAGES for r in router.routes
            if isinstance(r, APIRoute) for m in r.methods}


def test_every_page_but_the_login_needs_a_staff_session(env) -> None:
    """A meta-test over the pages router: a new page cannot be added without a login."""
    ids = env["ids"]
    fill = {"{unit_id}": ids["b1"], "{meeting_id}": env["meeting"],
            "{resolution_id}": env["draft"], "{document_id}": new_id()}
    anonymous = TestClient(env["app"])
    # a device token is not a staff login either
    device = {"Authorization": f"Bearer {env['branches'][ids['b1']].token}"}
    routes = _page_routes(env)
    assert len(routes) >= 12
    for method, path in sorted(routes - PUBLIC_PAGES):
        url = path
        for key, value in fill.items():
            url = url.replace(key, value)
        for headers in ({}, device):
            r = anonymous.request(method, url, headers=headers, follow_redirects=False,
                                  data={"body": "x", "form_token": "1.2.3"} if method == "POST"
                                  else None)
            if method == "GET":
                assert r.status_code == 303, (method, path)
                assert r.headers["location"].startswith("/province/login"), path
            else:
                assert r.status_code == 401, (method, path)
                assert "Đăng nhập lại" in r.text
    with Session(env["app"].state.engine) as s:
        assert not s.scalars(select(Record).where(Record.entity == "comments")).all()


def test_pages_refuse_oversized_bodies_with_a_page(env) -> None:
    c = env["client"]
    login(c)
    r = c.post(f"/province/branches/{env['ids']['b1']}/resolutions/{env['draft']}/comments",
               content=b"body=" + b"x" * (3 * 2**20),
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "quá lớn" in r.text and "<html" in r.text
    assert c.get("/healthz").status_code == 200
