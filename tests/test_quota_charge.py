"""Tiny files against a device's quota of stored bytes (issue 22): each file it brings in
costs at least ``PART_CHARGE`` (a row, a grant, an object), so a PC cannot store millions of
1-byte files within a quota of gigabytes. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server import admin, files
from sync_server.app import create_app
from sync_server.models import Device
from sync_server.settings import ServerSettings
from tests.sync_support import BACKENDS, database_url

pytestmark = pytest.mark.server


@pytest.mark.parametrize("backend", BACKENDS)
def test_tiny_files_cost_a_block_each_of_the_stored_quota(backend: str, tmp_path: Path
                                                          ) -> None:
    app = create_app(ServerSettings(db=database_url(backend, tmp_path),
                                    files_dir=str(tmp_path / "files"),
                                    device_stored_bytes=3 * files.PART_CHARGE + 100))
    with TestClient(app) as node:
        with Session(app.state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
            a = admin.add_unit(s, name="Chi bộ A", level="branch", parent_id=c.id)
            code, unit = admin.enroll_device(s, unit_id=a.id).code, a.id
        auth = {"Authorization": "Bearer " + node.post(
            "/api/v1/enroll", json={"code": code}).json()["token"]}
        codes = []
        for i in range(5):
            data = bytes([i])
            sha = hashlib.sha256(data).hexdigest()
            r = node.put(f"/api/v1/uploads/{sha}", params={"offset": 0}, content=data,
                         headers=auth)
            if r.status_code == 204:
                r = node.post(f"/api/v1/uploads/{sha}/commit", headers=auth)
            codes.append(r.status_code if r.status_code != 507 else r.json()["code"])
        assert codes == [200, 200, 200, "sync_quota_exceeded", "sync_quota_exceeded"]
        with Session(app.state.engine) as s:
            device = s.scalar(select(Device.id).where(Device.unit_id == unit))
            assert device is not None
            assert files.stored_bytes(s, device) == 3 * files.PART_CHARGE
