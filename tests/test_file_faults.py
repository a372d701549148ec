"""The server's files folder when things go wrong: full, read-only, a blob gone, a device over
its quota, old partial uploads, and ``sotay-server check`` after a restore. None of them
answers a bare 500; the sync of records goes on (the PC's side: tests/test_file_faults_pc.py).

The full and read-only folders are real (a tiny tmpfs in a private mount namespace, see
``tests/small_disk.py``; root in that namespace cannot write a read-only mount either); the
same faults raised at the edge of the process run everywhere.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.protocol import PROTOCOL_VERSION
from sync_server import admin, files, storage_folder
from sync_server.app import create_app
from sync_server.cli import main as sotay_server
from sync_server.models import AdminLog
from sync_server.settings import ServerSettings
from tests import small_disk
from tests.sync_support import BACKENDS, database_url

HEAD = "0003"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _branch(session: Session) -> tuple[str, str]:
    p = admin.add_unit(session, name="Tỉnh", level="province", parent_id=None)
    c = admin.add_unit(session, name="Xã", level="commune", parent_id=p.id)
    a = admin.add_unit(session, name="Chi bộ A", level="branch", parent_id=c.id)
    b = admin.add_unit(session, name="Chi bộ B", level="branch", parent_id=c.id)
    return a.id, b.id


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = database_url(request.param, tmp_path)
    files_dir = tmp_path / "files"
    settings = ServerSettings(db=url, files_dir=str(files_dir),
                              device_partial_bytes=300_000, device_stored_bytes=700_000)
    app = create_app(settings)
    with TestClient(app) as client:
        with Session(app.state.engine) as s, s.begin():
            a, b = _branch(s)
            codes = {"a": admin.enroll_device(s, unit_id=a).code,
                     "b": admin.enroll_device(s, unit_id=b).code}
        tokens = {k: client.post("/api/v1/enroll", json={"code": v}).json()["token"]
                  for k, v in codes.items()}
        yield {"client": client, "app": app, "tokens": tokens, "a": a, "b": b,
               "files_dir": files_dir, "url": url, "tmp": tmp_path}


def _sync_ok(client: TestClient, token: str) -> bool:
    body = {"protocol": PROTOCOL_VERSION, "schema_version": HEAD, "mutations": [],
            "cursors": {}}
    r = client.post("/api/v1/sync", json=body, headers=_bearer(token))
    return r.status_code == 200


# --- the disk fails under an upload (at the edge of the process) ---------------------------


@pytest.mark.parametrize(("err", "status", "code"), [
    (errno.ENOSPC, 507, "sync_storage_full"),
    (errno.EDQUOT, 507, "sync_storage_full"),
    (errno.EROFS, 503, "sync_storage_unavailable"),
    (errno.EACCES, 503, "sync_storage_unavailable"),
    (errno.EIO, 503, "sync_storage_unavailable"),
])
def test_a_failing_disk_answers_its_code_and_the_sync_goes_on(
        env, monkeypatch: pytest.MonkeyPatch, err: int, status: int, code: str) -> None:
    c, t = env["client"], env["tokens"]["a"]
    data = os.urandom(100_000)
    sha = hashlib.sha256(data).hexdigest()
    assert c.put(f"/api/v1/uploads/{sha}", params={"offset": 0}, content=data[:50_000],
                 headers=_bearer(t)).status_code == 204

    def broken(_fd: int) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(storage_folder.os, "fsync", broken)
    r = c.put(f"/api/v1/uploads/{sha}", params={"offset": 50_000}, content=data[50_000:],
              headers=_bearer(t))
    assert (r.status_code, r.json()["code"]) == (status, code)
    assert _sync_ok(c, t)  # the records' part of the sync does not touch the files folder
    monkeypatch.undo()
    # The half-written part was taken back: the upload resumes where the server says.
    state = c.head(f"/api/v1/uploads/{sha}", headers=_bearer(t))
    assert state.headers["Upload-Offset"] == "50000"
    assert c.put(f"/api/v1/uploads/{sha}", params={"offset": 50_000}, content=data[50_000:],
                 headers=_bearer(t)).status_code == 204
    monkeypatch.setattr(storage_folder.os, "replace", lambda *_a: broken(0))
    r = c.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(t))
    assert (r.status_code, r.json()["code"]) == (status, code)
    monkeypatch.undo()
    r = c.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(t))
    assert r.status_code == 200
    assert c.get(f"/api/v1/files/{sha}", headers=_bearer(t)).content == data


def test_publishing_on_a_full_disk_is_refused_plainly(env, monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    path = env["tmp"] / "chi-thi.pdf"
    path.write_bytes(b"%PDF " + os.urandom(10_000))

    def full(*_a: Any, **_k: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_folder.shutil, "copyfile", full)
    with Session(env["app"].state.engine) as s, s.begin(), pytest.raises(files.FileError) as exc:
        admin.publish(s, env["files_dir"], path, to_unit=env["b"])
    assert (exc.value.status, exc.value.code) == (507, "sync_storage_full")
    assert list((env["files_dir"] / "partial").glob("*")) == []
    assert list((env["files_dir"] / "incoming").glob("*")) == []


# --- the real thing: a full tmpfs, then the same tmpfs read-only ------------------------


DISK_SCRIPT = '''
import hashlib, json, os, subprocess, sys
from pathlib import Path
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from sync_server import admin
from sync_server.app import create_app
from sync_server.settings import ServerSettings

files_dir, db = Path(sys.argv[1]), sys.argv[2]
out = {}
app = create_app(ServerSettings(db=db, files_dir=str(files_dir)))
body = {"protocol": PROTOCOL, "schema_version": "0003", "mutations": [], "cursors": {}}
with TestClient(app) as c:
    with Session(app.state.engine) as s, s.begin():
        p = admin.add_unit(s, name="T", level="province", parent_id=None)
        c1 = admin.add_unit(s, name="X", level="commune", parent_id=p.id)
        b = admin.add_unit(s, name="B", level="branch", parent_id=c1.id)
        code = admin.enroll_device(s, unit_id=b.id).code
    h = {"Authorization": "Bearer " + c.post("/api/v1/enroll", json={"code": code}).json()["token"]}
    data = os.urandom(3 * 2**20)   # the tmpfs holds 1 MiB
    sha = hashlib.sha256(data).hexdigest()
    statuses, offset = [], 0
    while offset < len(data):
        r = c.put(f"/api/v1/uploads/{sha}", params={"offset": offset},
                  content=data[offset:offset + 256 * 1024], headers=h)
        statuses.append(r.status_code)
        if r.status_code != 204:
            out["full"] = r.json()["code"]
            break
        offset = int(r.headers["Upload-Offset"])
    out["full_status"] = statuses[-1]
    out["offset_told"] = int(c.head(f"/api/v1/uploads/{sha}", headers=h).headers["Upload-Offset"])
    out["offset_true"] = offset
    out["sync_when_full"] = c.post("/api/v1/sync", json=body, headers=h).status_code
    for part in (files_dir / "partial").glob("*"):
        part.unlink()
    small = b"%PDF small " + os.urandom(1000)
    small_sha = hashlib.sha256(small).hexdigest()
    c.put(f"/api/v1/uploads/{small_sha}", params={"offset": 0}, content=small, headers=h)
    out["commit_before_ro"] = c.post(f"/api/v1/uploads/{small_sha}/commit", headers=h).status_code
    subprocess.run(["mount", "-o", "remount,ro", str(files_dir)], check=True)
    other = b"%PDF other " + os.urandom(1000)
    other_sha = hashlib.sha256(other).hexdigest()
    r = c.put(f"/api/v1/uploads/{other_sha}", params={"offset": 0}, content=other, headers=h)
    out["ro"] = [r.status_code, r.json().get("code")]
    out["sync_when_ro"] = c.post("/api/v1/sync", json=body, headers=h).status_code
    got = c.get(f"/api/v1/files/{small_sha}", headers=h)
    out["read_when_ro"] = got.status_code == 200 and got.content == small
# A server started on the read-only folder stays up and answers the same.
app2 = create_app(ServerSettings(db=db, files_dir=str(files_dir)))
with TestClient(app2) as c:
    out["restart_health"] = c.get("/healthz").status_code
    r = c.put(f"/api/v1/uploads/{other_sha}", params={"offset": 0}, content=other, headers=h)
    out["ro_after_restart"] = [r.status_code, r.json().get("code")]
print(json.dumps(out))
'''


@pytest.mark.skipif(not small_disk.available(), reason="no user namespaces for a tmpfs")
def test_a_really_full_then_read_only_files_folder(tmp_path: Path) -> None:
    files_dir = tmp_path / "files"
    db = f"sqlite:///{tmp_path / 'server.db'}"
    script = (f"import sys; sys.argv = ['x', {str(files_dir)!r}, {db!r}]\n"
              f"PROTOCOL = {PROTOCOL_VERSION}\n") + DISK_SCRIPT
    out = small_disk.run({files_dir: "1m"}, script)
    assert (out["full_status"], out["full"]) == (507, "sync_storage_full")
    assert out["offset_told"] == out["offset_true"] > 0   # no half part left behind
    assert out["sync_when_full"] == 200
    assert out["commit_before_ro"] == 200
    assert out["ro"] == [503, "sync_storage_unavailable"]
    assert out["sync_when_ro"] == 200
    assert out["read_when_ro"] is True
    assert out["restart_health"] == 200
    assert out["ro_after_restart"] == [503, "sync_storage_unavailable"]


# --- a blob gone ------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["deleted", "truncated"])
def test_a_missing_blob_is_404_with_its_code_and_in_the_admin_log(env, damage: str) -> None:
    c, t, app = env["client"], env["tokens"], env["app"]
    payload = b"%PDF " + os.urandom(20_000)
    path = env["tmp"] / "chi-thi.pdf"
    path.write_bytes(payload)
    with Session(app.state.engine) as s, s.begin():
        pub = admin.publish(s, env["files_dir"], path, to_unit=env["b"])
    blob = files.blob_path(env["files_dir"], pub.sha256)
    if damage == "deleted":
        blob.unlink()
    else:
        blob.write_bytes(payload[:100])
    for method in ("GET", "HEAD"):
        r = c.request(method, f"/api/v1/files/{pub.sha256}", headers=_bearer(t["b"]))
        assert r.status_code == 404
        if method == "GET":
            assert r.json()["code"] == "sync_file_missing"
    # Another branch learns nothing, not even that it is missing.
    r = c.get(f"/api/v1/files/{pub.sha256}", headers=_bearer(t["a"]))
    assert r.json()["code"] == "sync_file_not_found"
    with Session(app.state.engine) as s:
        logged = [json.loads(row.detail) for row in s.scalars(
            select(AdminLog).where(AdminLog.action == "file_missing"))]
    # Logged once, not at each request (two requests above, and more PCs would follow).
    assert len(logged) == 1 and logged[0]["sha256"] == pub.sha256
    assert _sync_ok(c, t["b"])
    # The upload state says "not stored", so a PC that has the bytes sends them: healed.
    assert c.head(f"/api/v1/uploads/{pub.sha256}",
                  headers=_bearer(t["b"])).headers["X-Stored"] == "0"
    c.put(f"/api/v1/uploads/{pub.sha256}", params={"offset": 0}, content=payload,
          headers=_bearer(t["b"]))
    assert c.post(f"/api/v1/uploads/{pub.sha256}/commit",
                  headers=_bearer(t["b"])).status_code == 200
    assert c.get(f"/api/v1/files/{pub.sha256}", headers=_bearer(t["b"])).content == payload


# --- quotas -----------------------------------------------------------------------------


def test_a_device_over_its_quota_is_refused_with_507(env) -> None:
    """300,000 bytes of unfinished uploads and 700,000 bytes brought in, per device."""
    c, t = env["client"], env["tokens"]
    first = os.urandom(250_000)
    sha1 = hashlib.sha256(first).hexdigest()
    assert c.put(f"/api/v1/uploads/{sha1}", params={"offset": 0}, content=first,
                 headers=_bearer(t["a"])).status_code == 204
    second = os.urandom(100_000)
    sha2 = hashlib.sha256(second).hexdigest()
    r = c.put(f"/api/v1/uploads/{sha2}", params={"offset": 0}, content=second,
              headers=_bearer(t["a"]))
    assert (r.status_code, r.json()["code"]) == (507, "sync_quota_exceeded")
    # Another device's quota is its own.
    assert c.put(f"/api/v1/uploads/{sha2}", params={"offset": 0}, content=second,
                 headers=_bearer(t["b"])).status_code == 204
    # Committed files count against the stored quota: 250 k + 250 k fit, a third does not.
    assert c.post(f"/api/v1/uploads/{sha1}/commit", headers=_bearer(t["a"])).status_code == 200
    more = os.urandom(250_000)
    sha3 = hashlib.sha256(more).hexdigest()
    assert c.put(f"/api/v1/uploads/{sha3}", params={"offset": 0}, content=more,
                 headers=_bearer(t["a"])).status_code == 204
    assert c.post(f"/api/v1/uploads/{sha3}/commit", headers=_bearer(t["a"])).status_code == 200
    last = os.urandom(250_000)
    sha4 = hashlib.sha256(last).hexdigest()
    r = c.put(f"/api/v1/uploads/{sha4}", params={"offset": 0}, content=last,
              headers=_bearer(t["a"]))
    assert (r.status_code, r.json()["code"]) == (507, "sync_quota_exceeded")
    assert _sync_ok(c, t["a"])


# --- partial uploads: cleanup ---------------------------------------------------------


def test_old_partial_uploads_are_removed_by_cleanup_and_at_start(env, capsys) -> None:
    partial = env["files_dir"] / "partial"
    old = partial / f"dev-{'1' * 64}.part"
    fresh = partial / f"dev-{'2' * 64}.part"
    partial.mkdir(parents=True, exist_ok=True)
    for path in (old, fresh):
        path.write_bytes(b"x" * 1000)
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    crashed = env["files_dir"] / "incoming" / "0123abcd" / "upload"   # a publish cut short
    crashed.parent.mkdir(parents=True)
    crashed.write_bytes(b"y" * 500)
    os.utime(crashed, (day_ago, day_ago))
    code = sotay_server(["cleanup", "--db", env["url"], "--files-dir", str(env["files_dir"]),
                         "--older-than", "24", "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"removed": 2, "bytes": 1500,
                                                   "older_than_hours": 24.0}
    assert not old.exists() and fresh.exists() and not crashed.parent.exists()
    # At start, with the configured age.
    os.utime(fresh, (day_ago, day_ago))
    app = create_app(ServerSettings(db=env["url"], files_dir=str(env["files_dir"]),
                                    partial_max_age_hours=12))
    with TestClient(app):
        pass
    assert not fresh.exists()


# --- sotay-server check -----------------------------------------------------------------


def test_check_reports_missing_and_corrupt_files(env, capsys) -> None:
    app, files_dir = env["app"], env["files_dir"]
    blobs = []
    with Session(app.state.engine) as s, s.begin():
        for i in range(4):
            path = env["tmp"] / f"van-ban-{i}.pdf"
            path.write_bytes(f"%PDF văn bản {i} ".encode() + os.urandom(5000))
            blobs.append(admin.publish(s, files_dir, path, to_unit=env["b"]).sha256)
    argv = ["check", "--db", env["url"], "--files-dir", str(files_dir)]
    assert sotay_server(argv) == 0
    assert "Đã kiểm 4 tệp" in capsys.readouterr().out
    files.blob_path(files_dir, blobs[0]).unlink()                         # missing
    files.blob_path(files_dir, blobs[1]).write_bytes(b"short")            # wrong size
    damaged = bytearray(files.blob_path(files_dir, blobs[2]).read_bytes())
    damaged[-1] ^= 0xFF
    files.blob_path(files_dir, blobs[2]).write_bytes(bytes(damaged))      # same size, bad hash
    assert sotay_server([*argv, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["checked"] == 4 and report["missing"] == [blobs[0]]
    assert sorted(report["corrupt"]) == sorted(blobs[1:3]) and not report["ok"]
    assert sotay_server(argv) == 1
    text = capsys.readouterr().out
    assert f"THIẾU  {blobs[0]}" in text and f"HỎNG   {blobs[2]}" in text
    with Session(app.state.engine) as s:
        [entry] = s.scalars(select(AdminLog).where(AdminLog.action == "file_check_failed")
                            ).all()[-1:]
        assert blobs[0] in entry.detail
