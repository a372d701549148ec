"""What the province page tests share: an enrolled branch PC pushing rows through
``/api/v1/sync``, the tree of units and staff users they start from, and reading a page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS
from sync_server import admin, staff

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


def make_tree(s: Session) -> tuple[dict[str, str], dict[str, str]]:
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


def login(client: TestClient, username: str = "tinh", password: str = PASSWORD) -> Any:
    return client.post("/province/login", data={"username": username, "password": password},
                       follow_redirects=False)


def token_of(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the page has no form token"
    return found.group(1)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
