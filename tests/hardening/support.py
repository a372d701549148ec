"""What the server hardening tests share: the province, staff user and branch they start
from, and a sync request with a member mutation."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.protocol import MAX_COUNTER, PROTOCOL_VERSION, SCHEMA_VERSIONS
from sync_server import admin, staff

HEAD = SCHEMA_VERSIONS[-1]
PASSWORD = "mật khẩu tỉnh 2026"


def fill(session: Session) -> tuple[str, list[str]]:
    """A province with its staff user and a branch with three enrolment codes."""
    p = admin.add_unit(session, name="Tỉnh", level="province", parent_id=None)
    b = admin.add_unit(session, name="Chi bộ", level="branch", parent_id=p.id)
    staff.add_user(session, username="tinh", unit_id=p.id, password=PASSWORD)
    return b.id, [admin.enroll_device(session, unit_id=b.id).code for _ in range(3)]


def sync(env: dict[str, Any], body: dict[str, Any] | bytes, **headers: str) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return env["client"].post("/api/v1/sync", content=data, headers={
        "Authorization": f"Bearer {env['token']}", "Content-Type": "application/json",
        **headers})


def sync_request(env: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {"protocol": PROTOCOL_VERSION, "schema_version": HEAD,
            "cursors": {env["branch"]: 0}} | over


def member(env: dict[str, Any], mid: int = 1, **over: Any) -> dict[str, Any]:
    return {"id": mid, "entity": "members", "row_id": new_id(), "op": "create",
            "base_version": 0, "schema_version": HEAD,
            "fields": {"unit_id": env["branch"], "full_name": "Nguyễn Văn An",
                       "gender": "male", "date_of_birth": "1970-01-01"}} | over


HUGE = [2**63, 2**63 - 1, 10**30, MAX_COUNTER + 1, -1, -(2**63) - 1]
