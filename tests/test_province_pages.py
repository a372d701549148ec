"""The province pages (issue 7) through the FastAPI test client, SQLite and PostgreSQL.

Branch data arrives the way it does in life: pushed by enrolled branch PCs through
``/api/v1/sync``. The pages are then read and used as a province and a commune staff member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS
from sync_server import admin, facts, staff
from sync_server.app import create_app
from sync_server.models import Record, StaffSession, StatBranch
from sync_server.settings import ServerSettings
from tests.sync_support import BACKENDS, database_url

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

HEAD = SCHEMA_VERSIONS[-1]
PASSWORD = "mật khẩu tỉnh 2026"
TODAY = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).date()
THIS_MONTH = TODAY.replace(day=1)


class Branch:
    """An enrolled branch PC pushing mutations."""

    def __init__(self, client: TestClient, unit_id: str, token: str) -> None:
        self.client, self.unit_id, self.token = client, unit_id, token
        self.next_id = 1

    def push(self, *rows: tuple[str, str, dict[str, Any]]) -> list[dict[str, Any]]:
        mutations = []
        for entity, row_id, fields in rows:
            op = "add" if entity in ("member_events", "comments") else "create"
            mutations.append({"id": self.next_id, "entity": entity, "row_id": row_id, "op": op,
                              "base_version": 0, "schema_version": HEAD, "fields": fields})
            self.next_id += 1
        return self.sync(mutations)["results"]  # type: ignore[no-any-return]

    def update(self, entity: str, row_id: str, base_version: int,
               fields: dict[str, list[Any]]) -> dict[str, Any]:
        """An update mutation (a deletion is ``{"deleted": [False, True]}``)."""
        self.next_id += 1
        return self.sync([{"id": self.next_id - 1, "entity": entity, "row_id": row_id,
                           "op": "update", "base_version": base_version,
                           "schema_version": HEAD, "fields": fields}])["results"][0]

    def sync(self, mutations: list[dict[str, Any]] | None = None, cursor: int = 0
             ) -> dict[str, Any]:
        body = {"protocol": PROTOCOL_VERSION, "schema_version": HEAD,
                "mutations": mutations or [], "cursors": {self.unit_id: cursor}}
        r = self.client.post("/api/v1/sync", json=body,
                             headers={"Authorization": f"Bearer {self.token}"})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def member(self, name: str, *, gender: str = "male", born: str = "1950-05-01",
               ethnicity: str = "Kinh", events: tuple[tuple[str, str], ...] = (
                   ("admitted", "1980-01-01"), ("made_official", "1981-01-01"))) -> str:
        mid = new_id()
        rows: list[tuple[str, str, dict[str, Any]]] = [
            ("members", mid, {"unit_id": self.unit_id, "full_name": name, "gender": gender,
                              "date_of_birth": born, "ethnicity": ethnicity})]
        for seq, (kind, day) in enumerate(events):
            rows.append(("member_events", new_id(),
                         {"member_id": mid, "kind": kind, "date": day, "seq": seq}))
        results = self.push(*rows)
        assert all(r["status"] == "applied" for r in results), results
        return mid

    def meeting(self, day: dt.date, attendance: dict[str, str], *, title: str = "Sinh hoạt "
                "chi bộ thường kỳ") -> str:
        mid = new_id()
        rows: list[tuple[str, str, dict[str, Any]]] = [
            ("meetings", mid, {"unit_id": self.unit_id, "kind": "monthly", "title": title,
                               "date": day.isoformat(), "place": "Nhà văn hoá thôn",
                               "agenda": "1. Kiểm điểm tháng\n2. Nhiệm vụ tháng tới"})]
        for member_id, status in attendance.items():
            rows.append(("attendance", new_id(), {"meeting_id": mid, "member_id": member_id,
                                                   "status": status, "reason": ""}))
        rows.append(("minutes", new_id(), {"meeting_id": mid, "body": "Đồng chí Bí thư khai "
                                           "mạc. Chi bộ thảo luận việc làm đường thôn.",
                                           "conclusion": "Thống nhất làm đường."}))
        assert all(r["status"] == "applied" for r in self.push(*rows))
        return mid

    def resolution(self, meeting_id: str, status: str, title: str) -> str:
        rid = new_id()
        fields: dict[str, Any] = {"unit_id": self.unit_id, "meeting_id": meeting_id,
                                  "number": "05-NQ/CB", "title": title,
                                  "body": "I. Kết quả tháng\nII. Nhiệm vụ", "status": status}
        if status == "adopted":
            fields |= {"votes_for": 3, "votes_against": 0, "voting_base": 3}
        assert self.push(("resolutions", rid, fields))[0]["status"] == "applied"
        return rid


def _tree(s: Session) -> tuple[dict[str, str], dict[str, str]]:
    """A province, two communes, three branches with an enrolment code each, and two staff
    users; returns the unit ids by short name and the codes by branch id."""
    p = admin.add_unit(s, name="Tỉnh ủy Thái Bình", level="province", parent_id=None)
    c1 = admin.add_unit(s, name="Đảng ủy xã An Hòa", level="commune", parent_id=p.id)
    c2 = admin.add_unit(s, name="Đảng ủy xã Bình Minh", level="commune", parent_id=p.id)
    b1 = admin.add_unit(s, name="Chi bộ thôn Đông", level="branch", parent_id=c1.id)
    b2 = admin.add_unit(s, name="Chi bộ thôn Tây", level="branch", parent_id=c1.id)
    b3 = admin.add_unit(s, name="Chi bộ thôn Nam", level="branch", parent_id=c2.id)
    staff.add_user(s, username="tinh", unit_id=p.id, password=PASSWORD,
                   display_name="Trần Văn Tỉnh")
    staff.add_user(s, username="xa1", unit_id=c1.id, password=PASSWORD,
                   display_name="Lê Thị Xã")
    codes = {b.id: admin.enroll_device(s, unit_id=b.id, label=b.name).code
             for b in (b1, b2, b3)}
    return {"p": p.id, "c1": c1.id, "c2": c2.id, "b1": b1.id, "b2": b2.id, "b3": b3.id}, codes


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory
                    ) -> tuple[Path, dict[str, str], dict[str, str]]:
    """The SQLite server database migrated with the tree once (two Argon2 hashes alone cost
    a quarter of a second); each SQLite test gets a copy."""
    from sync_server.db import make_engine, upgrade

    path = tmp_path_factory.mktemp("pages-template") / "server.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as s, s.begin():
        ids, codes = _tree(s)
    engine.dispose()
    return path, ids, codes


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    tree: tuple[dict[str, str], dict[str, str]] | None = None
    if request.param == "sqlite":
        template, *copied = request.getfixturevalue("sqlite_template")
        shutil.copy(template, tmp_path / "server.db")
        tree = copied[0], copied[1]
    url = database_url(request.param, tmp_path)
    settings = ServerSettings(db=url, files_dir=str(tmp_path / "files"),
                              publish_max_bytes=200_000)
    app = create_app(settings)
    with TestClient(app) as client:
        if tree is None:
            with Session(app.state.engine) as s, s.begin():
                tree = _tree(s)
        ids, codes = tree
        branches = {}
        for unit_id, code in codes.items():
            r = client.post("/api/v1/enroll", json={"code": code, "label": "PC"})
            assert r.status_code == 200, r.text
            branches[unit_id] = Branch(client, unit_id, r.json()["token"])
        one = branches[ids["b1"]]
        an = one.member("Nguyễn Văn An")
        # admitted after her birth: the server refuses a history that cannot have happened
        binh = one.member("Trần Thị Bình", gender="female", born="1990-03-03",
                          events=(("admitted", "2015-01-01"), ("made_official", "2016-01-02")))
        cuong = one.member("Hoàng Văn Cường", ethnicity="Tày",
                           events=(("admitted", TODAY.replace(day=1).isoformat()),))
        one.member("Phạm Văn Mất", events=(("admitted", "1970-01-01"),
                                            ("deceased", "2020-01-01")))
        meeting = one.meeting(THIS_MONTH, {an: "present", binh: "present",
                                           cuong: "absent_excused"})
        draft = one.resolution(meeting, "draft", "Nghị quyết tháng (dự thảo)")
        adopted = one.resolution(meeting, "adopted", "Nghị quyết về làm đường")
        three = branches[ids["b3"]]
        three.member("Lò Văn Sáu", ethnicity="Thái")
        yield {"client": client, "app": app, "ids": ids, "branches": branches,
               "draft": draft, "adopted": adopted, "meeting": meeting, "tmp": tmp_path,
               "settings": settings}


def login(client: TestClient, username: str = "tinh", password: str = PASSWORD) -> Any:
    return client.post("/province/login", data={"username": username, "password": password},
                       follow_redirects=False)


def token_of(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the page has no form token"
    return found.group(1)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


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


def test_the_tree_shows_sync_conflicts_members_and_the_month(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    page = c.get(f"/province/units/{ids['p']}").text
    body = text_of(page)
    # province: 3 branches, 3 + 1 members in the Party (the deceased member is not counted)
    assert "3 chi bộ · 4 đảng viên" in body
    assert "1/3 chi bộ đã sinh hoạt" in body
    assert "tỷ lệ dự họp 67 %" in body and "1 nghị quyết thông qua" in body
    rows = {m.group(1): m.group(0) for m in re.finditer(
        r"<tr[^>]*>\s*<td><a href=\"/province/units/[^\"]+\">([^<]+)</a>.*?</tr>", page, re.S)}
    assert set(rows) == {"Đảng ủy xã An Hòa", "Đảng ủy xã Bình Minh"}
    an_hoa = text_of(rows["Đảng ủy xã An Hòa"])
    assert "Xã/Đảng ủy 2 3" in an_hoa and "1/2" in an_hoa
    # the commune's own page lists its branches, one held its meeting, one did not
    page = c.get(f"/province/units/{ids['c1']}").text
    assert "Chi bộ thôn Đông" in page and "Chi bộ thôn Tây" in page
    assert "Chi bộ thôn Nam" not in page
    assert text_of(page).count("Chưa") >= 1
    # last month: nobody met
    prev = (THIS_MONTH - dt.timedelta(days=1)).strftime("%Y-%m")
    assert "0/3 chi bộ đã sinh hoạt" in text_of(c.get(
        f"/province/units/{ids['p']}?month={prev}").text)
    # a month that is not one
    r = c.get(f"/province/units/{ids['p']}?month=2026-13")
    assert r.status_code == 400 and "không hợp lệ" in r.text


def test_open_conflicts_and_last_sync_reach_the_tree(env) -> None:
    c, ids, b1 = env["client"], env["ids"], env["branches"][env["ids"]["b1"]]
    with Session(env["app"].state.engine) as s, s.begin():
        meeting = s.get(Record, (ids["b1"], "meetings", env["meeting"]))
        assert meeting is not None
        version = meeting.version
        admin.province_edit(s, scope_id=ids["b1"], entity="meetings", row_id=env["meeting"],
                            values={"place": "Hội trường xã"}, actor="tinh")
    # the branch edits the same field from the version it had: a conflict
    result = b1.update("meetings", env["meeting"], version,
                       {"place": ["Nhà văn hoá thôn", "Sân đình"]})
    assert result["status"] == "conflict"
    login(c)
    page = text_of(c.get(f"/province/units/{ids['c1']}").text)
    assert "1 xung đột chờ xử lý" in page
    assert "chưa bao giờ" in page          # thôn Tây's PC never synced...
    assert "1 chi bộ chưa đồng bộ lần nào" in page


def test_a_commune_account_sees_its_own_subtree_only(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c, "xa1")
    assert c.get("/province/", follow_redirects=False).headers["location"] == (
        f"/province/units/{ids['c1']}")
    for path in (f"/province/units/{ids['p']}", f"/province/units/{ids['c2']}",
                 f"/province/branches/{ids['b3']}", f"/province/reports?unit={ids['p']}",
                 f"/province/publish?to={ids['c2']}", "/province/units/not-a-unit"):
        r = c.get(path)
        assert r.status_code == 404, path
        assert "không thuộc" not in r.text and "phạm vi quản lý" in r.text
    # and cannot write there either: a comment on another commune's branch
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    r = c.post(f"/province/branches/{ids['b3']}/resolutions/{env['draft']}/comments",
               data={"form_token": token_of(page), "body": "x"})
    assert r.status_code == 404
    assert "Chi bộ thôn Nam" not in c.get(f"/province/units/{ids['c1']}").text


def test_a_branch_page_summarises_the_roster_and_shows_minutes(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    page = c.get(f"/province/branches/{ids['b1']}").text
    body = text_of(page)
    assert "Tổng số: 3 đảng viên" in body
    assert "Chính thức 2" in body and "Dự bị 1" in body
    assert "Nữ 1" in body and "Tày 1" in body
    assert "Nguyễn Văn An" not in page       # a summary: counts, not the names
    assert "2/3" in body                     # attendance of the meeting
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    assert "làm đường thôn" in page and "Nghị quyết về làm đường" in page
    # the draft has a comment box, the adopted one does not
    assert page.count("<textarea") == 1
    assert f"/resolutions/{env['draft']}/comments" in page
    with Session(env["app"].state.engine) as s:
        from sync_server.models import AdminLog
        views = s.scalars(select(AdminLog).where(AdminLog.action == "staff_view")).all()
    assert len(views) == 2 and all(v.actor == "staff:tinh" for v in views)


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


def _publish(c: TestClient, to: str, data: bytes, name: str = "chi-thi-05.pdf",
             **fields: str) -> Any:
    page = c.get("/province/publish").text
    form = {"form_token": token_of(page), "to": to, "title": "Chỉ thị về đại hội",
            "number": "05-CT/TU", "doc_type": "CT", "issued_on": "20/11/2026", **fields}
    return c.post("/province/publish", data=form,
                  files={"file": (name, io.BytesIO(data), "application/pdf")},
                  follow_redirects=False)


def test_publishing_reaches_the_subtree_and_shows_who_downloaded(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    payload = b"%PDF-1.4 chi thi " + bytes(range(256)) * 100
    r = _publish(c, ids["c1"], payload)
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert "Đã gửi văn bản tới 2 chi bộ" in page and "0/2" in text_of(page)
    document_id = r.headers["location"].split("/")[-1].split("?")[0]
    b1, b3 = env["branches"][ids["b1"]], env["branches"][ids["b3"]]
    docs = [ch for ch in b1.sync()["changes"] if ch["entity"] == "documents"]
    assert len(docs) == 1 and docs[0]["data"]["number"] == "05-CT/TU"
    assert docs[0]["data"]["issued_on"] == "2026-11-20"
    assert docs[0]["data"]["issuer"] == "Tỉnh ủy Thái Bình"
    assert docs[0]["data"]["file_name"] == "chi-thi-05.pdf"
    assert not [ch for ch in b3.sync()["changes"] if ch["entity"] == "documents"]
    sha = docs[0]["data"]["file_sha256"]
    got = c.get(f"/api/v1/files/{sha}", headers={"Authorization": f"Bearer {b1.token}"})
    assert got.status_code == 200 and got.content == payload
    page = text_of(c.get(f"/province/publications/{document_id}").text)
    assert "1/2 chi bộ đã tải về" in page
    listing = text_of(c.get("/province/publish").text)
    assert "Chỉ thị về đại hội 1/2 chi bộ" in listing
    # a commune account does not see a publication outside... it is inside here; a stranger's
    c2 = TestClient(env["app"])
    login(c2, "xa1")
    assert c2.get(f"/province/publications/{document_id}").status_code == 200


def test_bad_uploads_are_refused_with_a_page_and_nothing_is_sent(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    r = _publish(c, ids["c1"], b"x" * 300_000)          # over the 200 kB limit of this test
    assert r.status_code == 413 and "quá lớn" in r.text
    r = _publish(c, ids["c1"], b"")
    assert r.status_code == 400 and "rỗng" in r.text
    r = _publish(c, ids["c1"], b"abc", issued_on="31/02/2026")
    assert r.status_code == 400 and "Ngày ban hành" in r.text
    r = _publish(c, ids["c2"] + "x", b"abc")
    assert r.status_code == 404
    # streamed without a declared length, past the limit
    page = c.get("/province/publish").text

    def chunks() -> Iterator[bytes]:
        yield (b'--zz\r\nContent-Disposition: form-data; name="form_token"\r\n\r\n'
               + token_of(page).encode() + b"\r\n--zz\r\nContent-Disposition: form-data; "
               b'name="file"; filename="a.pdf"\r\n\r\n')
        for _ in range(40):
            yield b"y" * 10_000
        yield b"\r\n--zz--\r\n"

    r = c.post("/province/publish", content=chunks(),
               headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413
    with Session(env["app"].state.engine) as s:
        assert not s.scalars(select(Record).where(Record.entity == "documents")).all()
    assert not any((Path(env["settings"].files_dir) / "incoming").glob("*/*"))
    assert c.get("/healthz").status_code == 200


def test_reports_in_xlsx_and_pdf(env) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    c, ids = env["client"], env["ids"]
    login(c)
    page = text_of(c.get("/province/reports").text)
    assert "Tổng số đảng viên: 4" in page
    assert "Kinh 2" in page and "Tày 1" in page and "Thái 1" in page
    r = c.get(f"/province/reports?unit={ids['c1']}&format=xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    cells = {row[0]: row[1] for row in book["Đảng số"].iter_rows(values_only=True) if row}
    assert cells["Tổng số đảng viên"] == 3
    assert cells["Chính thức"] == 2 and cells["Dự bị"] == 1 and cells["Nữ"] == 1
    months = list(book["Sinh hoạt chi bộ"].iter_rows(values_only=True))
    assert months[-1][:2] == (THIS_MONTH.strftime("%m/%Y"), "1/2")
    r = c.get(f"/province/reports?unit={ids['c1']}&format=pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Đảng số của Đảng ủy xã An Hòa" in text and "Dự bị" in text
    assert c.get("/province/reports?format=doc").status_code == 400


def test_statistics_kept_on_write_equal_a_rebuild(env) -> None:
    ids = env["ids"]
    b1 = env["branches"][ids["b1"]]
    # more writes of every kind: a deletion, an edit, a late event
    with Session(env["app"].state.engine) as s:
        member = s.scalars(select(Record).where(Record.scope_id == ids["b1"],
                                                Record.entity == "members")).first()
        assert member is not None
        mid, version = member.id, member.version
    b1.push(("member_events", new_id(), {"member_id": mid, "kind": "deceased",
                                         "date": TODAY.isoformat(), "seq": 9}))
    assert b1.update("members", mid, version, {"gender": ["male", "female"]})["status"] in (
        "applied", "merged")
    # a second meeting in the same month, then the first one deleted: still one branch met
    with Session(env["app"].state.engine) as s:
        first = s.get(Record, (ids["b1"], "meetings", env["meeting"]))
        assert first is not None
        first_version = first.version
    b1.meeting(THIS_MONTH + dt.timedelta(days=1), {mid: "present"}, title="Chuyên đề")
    login(env["client"])
    assert "1/3 chi bộ đã sinh hoạt" in text_of(env["client"].get(
        f"/province/units/{ids['p']}").text)
    assert b1.update("meetings", env["meeting"], first_version,
                     {"deleted": [False, True]})["status"] in ("applied", "merged")
    page = text_of(env["client"].get(f"/province/units/{ids['p']}").text)
    summary = page[page.index("chi bộ ·"):page.index("chưa đồng bộ lần nào")]
    assert "1/3 chi bộ đã sinh hoạt" in summary and "0 nghị quyết thông qua" in summary, summary
    with Session(env["app"].state.engine) as s, s.begin():
        kept = facts.snapshot(s)
        assert s.get(StatBranch, ids["b1"]).members == 2  # type: ignore[union-attr]
        facts.rebuild_all(s)
        assert facts.snapshot(s) == kept
        s.rollback()


def test_province_tasks_from_the_command_line(env, tmp_path: Path, capsys,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # ``publish`` stores the file: in this test's folder, not the server user's data folder
    monkeypatch.setenv("SOTAY_SERVER_FILES_DIR", str(tmp_path / "cli-files"))
    from openpyxl import load_workbook

    from sync_server import cli

    url = env["settings"].db
    ids = env["ids"]
    secret = tmp_path / "pw.txt"
    secret.write_text("mật khẩu xã hai 2026\n", encoding="utf-8")
    assert cli.main(["--db", url, "user", "add", "--username", "Xa2", "--unit", ids["c2"],
                     "--password-file", str(secret), "--name", "Vũ Văn Hai"]) == 0
    login_ok = login(env["client"], "xa2", "mật khẩu xã hai 2026")
    assert login_ok.status_code == 303
    short = tmp_path / "short.txt"
    short.write_text("ngắn\n", encoding="utf-8")
    assert cli.main(["--db", url, "user", "add", "--username", "xa3", "--unit", ids["c2"],
                     "--password-file", str(short)]) == 1
    assert cli.main(["--db", url, "user", "add", "--username", "xa4", "--unit", ids["b1"],
                     "--password-file", str(secret)]) == 1
    err = capsys.readouterr().err
    assert "ít nhất 10 ký tự" in err and "không thuộc chi bộ" in err
    assert cli.main(["--db", url, "stats", "tree", "--unit", ids["p"], "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1]["branches"] == 3 and rows[-1]["members"] == 4 and rows[-1]["held"] == 1
    out = tmp_path / "bao-cao.xlsx"
    assert cli.main(["--db", url, "report", "--unit", ids["p"], "-o", str(out)]) == 0
    assert load_workbook(out)["Đảng số"]["B2"].value == 4
    assert cli.main(["--db", url, "comment", "--branch", ids["b1"], "--resolution",
                     env["draft"], "--text", "Góp ý từ dòng lệnh", "--author", "Ban Tổ chức"]) == 0
    newer = tmp_path / "pw2.txt"
    newer.write_text("mật khẩu mới của xã hai\n", encoding="utf-8")
    assert cli.main(["--db", url, "user", "passwd", "xa2", "--password-file", str(newer)]) == 0
    assert login(env["client"], "xa2", "mật khẩu xã hai 2026").status_code == 401
    assert login(env["client"], "xa2", "mật khẩu mới của xã hai").status_code == 303
    assert cli.main(["--db", url, "user", "disable", "xa2"]) == 0
    assert login(env["client"], "xa2", "mật khẩu xã hai 2026").status_code == 401
    assert cli.main(["--db", url, "stats", "rebuild"]) == 0
    capsys.readouterr()
    doc = tmp_path / "cv.pdf"
    doc.write_bytes(b"%PDF-1.4 cong van")
    assert cli.main(["--db", url, "publish", str(doc), "--to", ids["c1"], "--number",
                     "12-CV/TU", "--json"]) == 0
    document_id = json.loads(capsys.readouterr().out)["document_id"]
    assert [p.name for p in (tmp_path / "cli-files").rglob("*") if p.is_file()] == [
        hashlib.sha256(doc.read_bytes()).hexdigest()]
    assert cli.main(["--db", url, "downloads", document_id]) == 0
    assert "0/2 chi bộ đã tải về" in capsys.readouterr().out


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


def _page_keys() -> set[str]:
    """The text keys the pages use: every ``t("…")`` of the templates, and every ``pages.…``
    string of the server's Python (PageError messages, login errors, titles)."""
    import ast

    import sync_server

    server = Path(sync_server.__file__).parent     # the installed package (make server-alone)
    found: set[str] = set()
    for path in (server / "templates").glob("*.html"):
        found |= {m.group(2) for m in re.finditer(r'\bt\((["\'])([^"\']+)\1',
                                                  path.read_text("utf-8"))}
    for path in server.rglob("*.py"):
        if "build" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"pages\.[a-z_]+\.[a-z0-9_]+", node.value):
                found.add(node.value)
    return found


def test_every_key_the_pages_use_exists() -> None:
    """Strict mode raises on a missing key when a page is shown; this finds one on a page no
    test shows. The words of data codes (``label(group, code)``) are checked per code."""
    from sotay_core import i18n
    from sync_server import queries

    used = _page_keys()
    assert len(used) > 100
    used |= {f"pages.level.{c}" for c in ("province", "commune", "branch")}
    used |= {f"pages.status.{c}" for c in queries.STATUS_ORDER}
    used |= {f"pages.gender.{c}" for c in ("male", "female", "unrecorded")}
    used |= {f"pages.kind.{c}" for c in ("monthly", "thematic")}
    used |= {f"pages.resolution.{c}" for c in ("draft", "circulated", "adopted")}
    missing = sorted(k for k in used if not i18n.has_message(k))
    assert not missing, missing


def test_the_pages_speak_english_when_asked(env) -> None:
    c, ids = env["client"], env["ids"]
    login(c)
    r = c.get("/province/lang/en", params={"next": f"/province/units/{ids['p']}"},
              follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/province/units/{ids['p']}"
    page = text_of(c.get(f"/province/units/{ids['p']}").text)
    assert "Organisation tree" in page and "branches held their meeting in the app" in page
    assert "3 branches · 4 members" in page and "Cây tổ chức" not in page
    page = text_of(c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text)
    assert "Comment on the draft" in page and "Adopted" in page
    assert "Full members 2" in text_of(c.get(f"/province/branches/{ids['b1']}").text)
    r = c.get(f"/province/units/{ids['p']}?month=2026-13")
    assert r.status_code == 400 and "The month «2026-13» is not valid" in r.text
    page = c.get(f"/province/branches/{ids['b1']}/meetings/{env['meeting']}").text
    r = c.post(f"/province/branches/{ids['b1']}/resolutions/{env['adopted']}/comments",
               data={"form_token": token_of(page), "body": "muộn"})
    assert r.status_code == 400 and "The resolution is adopted" in r.text
    # back to Vietnamese; a language switch never sends anyone off-site
    r = c.get("/province/lang/vi", params={"next": "https://example.com/"},
              follow_redirects=False)
    assert r.headers["location"] == "/province/"
    assert "Cây tổ chức" in c.get(f"/province/units/{ids['p']}").text
