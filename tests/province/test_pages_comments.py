"""The province pages (issue 7): a staff comment on a draft resolution reaches the branch at
its next sync; forged, stale, repeated and empty forms are refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server import admin, staff
from sync_server.models import Record, StaffSession
from tests.province.support import login, token_of

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


def test_a_comment_on_a_draft_reaches_the_branch_at_its_next_sync(env) -> None:
    c, ids = env["client"], env["ids"]
    b1 = env["branches"][ids["b1"]]
    cursor = b1.sync()["cursors"][ids["b1"]]
    login(c)
    url = f"/province/branches/{ids['b1']}/meetings/{env['meeting']}"
    page = c.get(url).text
    r = c.post(f"/province/branches/{ids['b1']}/resolutions/{env['draft']}/comments",
               data={"form_token": token_of(page),
                     "body": "Đề nghị bổ sung chỉ tiêu thu đảng phí."}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{url}?saved=1"
    page = c.get(r.headers["location"]).text
    assert "Đã ghi góp ý" in page and "Trần Văn Tỉnh (Tỉnh ủy Thái Bình)" in page
    changes = b1.sync(cursor=cursor)["changes"]
    comments = [ch for ch in changes if ch["entity"] == "comments"]
    assert len(comments) == 1
    assert comments[0]["data"]["target_id"] == env["draft"]
    assert comments[0]["data"]["body"] == "Đề nghị bổ sung chỉ tiêu thu đảng phí."
    # the other branches do not get it
    b2 = env["branches"][ids["b2"]]
    assert not [ch for ch in b2.sync()["changes"] if ch["entity"] == "comments"]


def test_forged_stale_and_repeated_forms_are_refused(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    url = f"/province/branches/{ids['b1']}/resolutions/{env['draft']}/comments"
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    good = token_of(page)
    issued, nonce, mac = good.split(".")
    for forged in ("", "abc", f"{issued}.{nonce}.{'0' * 32}", f"{issued}.{nonce}x.{mac}"):
        r = c.post(url, data={"form_token": forged, "body": "giả mạo"})
        assert r.status_code == 403 and "không hợp lệ" in r.text, forged
    # a token signed for another session
    other = TestClient(env["app"])
    login(other)
    r = other.post(url, data={"form_token": good, "body": "phiên khác"})
    assert r.status_code == 403
    # stale: issued five hours ago in this session
    with Session(env["app"].state.engine) as s:
        row = s.scalars(select(StaffSession).where(
            StaffSession.token_hash == admin.sha256_hex(c.cookies["sotay_staff"]))).one()
        old = staff.form_token(row, now=staff.utcnow() - dt.timedelta(hours=5))
    r = c.post(url, data={"form_token": old, "body": "cũ"})
    assert r.status_code == 403 and "quá cũ" in r.text
    assert c.post(url, data={"form_token": good, "body": "Lần một"}).status_code == 200
    r = c.post(url, data={"form_token": good, "body": "Lần một"})
    assert r.status_code == 409 and "đã được gửi một lần" in r.text
    # no session at all
    anonymous = TestClient(env["app"])
    r = anonymous.post(url, data={"form_token": good, "body": "x"})
    assert r.status_code == 401 and "Đăng nhập lại" in r.text
    with Session(env["app"].state.engine) as s:
        bodies = [json.loads(d)["body"] for d in s.scalars(select(Record.data).where(
            Record.entity == "comments"))]
    assert bodies == ["Lần một"]


def test_comments_are_refused_on_adopted_resolutions_and_when_empty(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    base = f"/province/branches/{ids['b1']}/resolutions"
    r = c.post(f"{base}/{env['adopted']}/comments",
               data={"form_token": token_of(page), "body": "muộn"})
    assert r.status_code == 400 and "đã được thông qua" in r.text
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    r = c.post(f"{base}/{env['draft']}/comments", data={"form_token": token_of(page),
                                                         "body": "   \n  "})
    assert r.status_code == 400 and "Chưa nhập nội dung" in r.text
    # malformed form data: a body that is not a form at all
    r = c.post(f"{base}/{env['draft']}/comments", content=b"\xff\xfe\x00garbage",
               headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert r.status_code in (400, 403) and "<html" in r.text
    assert c.get("/healthz").status_code == 200
