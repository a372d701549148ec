"""Attacks on the shared file storage and the database rate limit (issue 22): what a hostile
PC, a flood of addresses or a store that goes away does to two nodes sharing a database and
an S3 bucket (moto's standalone server, as in test_storage_shared.py). On SQLite always and on
PostgreSQL when reachable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync_server import admin, files
from sync_server.app import create_app
from sync_server.limits import RateLimiter
from sync_server.models import AdminLog, Device, FileDownload, FileGrant, StoredFile
from sync_server.node_models import RateEvent, UploadChunk
from sync_server.settings import ServerSettings
from tests.s3_support import S3, moto_server, two_nodes
from tests.sync_support import BACKENDS, database_url

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with moto_server() as server:
        yield server


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=BACKENDS)
def nodes(request: pytest.FixtureRequest, tmp_path: Path, s3: S3) -> Iterator[dict[str, Any]]:
    url = database_url(request.param, tmp_path)
    with two_nodes(s3, url, tmp_path, branches=1, device_partial_bytes=40_000) as made:
        yield made | {"token": made["tokens"][0], "unit": made["units"][0]}


def _stored(node: TestClient, token: str, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    assert node.put(f"/api/v1/uploads/{sha}", params={"offset": 0}, content=data,
                    headers=_bearer(token)).status_code == 204
    assert node.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token)).status_code == 200
    return sha


def test_if_range_of_another_version_sends_the_whole_file(nodes: dict[str, Any]) -> None:
    one, _two = nodes["nodes"]
    token = nodes["token"]
    data = os.urandom(5000)
    sha = _stored(one, token, data)
    url, auth = f"/api/v1/files/{sha}", _bearer(token)
    same = one.get(url, headers={**auth, "Range": "bytes=100-", "If-Range": f'"{sha}"'})
    assert (same.status_code, same.content) == (206, data[100:])
    # RFC 9110 13.1.5: a validator that does not match is answered with the whole file.
    for other in ('"not-this"', f'W/"{sha}"', "Tue, 08 Dec 2026 00:00:00 GMT"):
        r = one.get(url, headers={**auth, "Range": "bytes=100-", "If-Range": other})
        assert (r.status_code, r.content) == (200, data), other
        assert "Content-Range" not in r.headers


def test_a_store_failing_before_the_first_byte_answers_503(
        nodes: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    one, _two = nodes["nodes"]
    token = nodes["token"]
    sha = _stored(one, token, os.urandom(3000))
    from botocore.exceptions import EndpointConnectionError

    client = nodes["apps"][0].state.runtime.store.blobs.client

    def cut(**_kw: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="http://s3.invalid")

    monkeypatch.setattr(client, "get_object", cut)
    r = one.get(f"/api/v1/files/{sha}", headers={**_bearer(token), "Range": "bytes=10-"})
    assert (r.status_code, r.json()["code"]) == (503, "sync_storage_unavailable")


def test_a_removed_bucket_is_unavailable_not_every_file_missing(
        nodes: dict[str, Any], s3: S3) -> None:
    one, two = nodes["nodes"]
    token = nodes["token"]
    sha = _stored(one, token, os.urandom(3000))
    client = s3.client()
    client.delete_object(Bucket=nodes["bucket"], Key=f"{sha[:2]}/{sha}")
    client.delete_bucket(Bucket=nodes["bucket"])
    for node in (one, two):
        r = node.get(f"/api/v1/files/{sha}", headers=_bearer(token))
        assert (r.status_code, r.json()["code"]) == (503, "sync_storage_unavailable")
        r = node.head(f"/api/v1/uploads/{sha}", headers=_bearer(token))
        assert r.status_code == 503
    with Session(nodes["apps"][0].state.engine) as s:
        assert s.scalar(select(func.count()).select_from(AdminLog).where(
            AdminLog.action == "file_missing")) == 0


def test_empty_parts_to_countless_files_stop_at_the_quota(nodes: dict[str, Any]) -> None:
    """Each part is a row (or a file): a part of 0 or 1 byte costs at least a block of the
    device's quota, so a PC cannot grow upload_chunks without bound."""
    one, two = nodes["nodes"]
    token = nodes["token"]
    codes = []
    for i in range(40):
        sha = hashlib.sha256(f"nothing {i}".encode()).hexdigest()
        r = (one, two)[i % 2].put(f"/api/v1/uploads/{sha}", params={"offset": 0},
                                  content=b"" if i % 3 else b"x", headers=_bearer(token))
        codes.append(r.status_code)
    assert 507 in codes
    with Session(nodes["apps"][0].state.engine) as s:
        rows = s.scalar(select(func.count()).select_from(UploadChunk))
    assert rows is not None and rows <= 40_000 // files.PART_CHARGE
    # A real file's parts still go in once the empty ones are cleaned up.
    with Session(nodes["apps"][0].state.engine) as s, s.begin():
        s.query(UploadChunk).delete()
    _stored(one, token, os.urandom(30_000))


def test_a_grant_given_by_two_transactions_at_once_is_kept_once(
        nodes: dict[str, Any]) -> None:
    """Two nodes committing the same file for one scope (a retried commit, two PCs of the
    branch): the second grant is not an IntegrityError (a 500)."""
    engine = nodes["apps"][0].state.engine
    one, _two = nodes["nodes"]
    sha = _stored(one, nodes["token"], b"granted twice")
    scope = "x" * 36
    errors: list[BaseException] = []
    first = Session(engine)
    first.begin()
    files.grant(first, scope, sha, how="uploaded", via="a")
    started = threading.Event()

    def second() -> None:
        try:
            with Session(engine) as s, s.begin():
                started.set()
                files.grant(s, scope, sha, how="uploaded", via="b")
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=second)
    worker.start()
    started.wait(10)
    worker.join(0.5)   # on PostgreSQL the insert waits on the first's row; SQLite on the lock
    first.commit()
    first.close()
    worker.join(30)
    assert not errors, errors
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(FileGrant).where(
            FileGrant.scope_id == scope)) == 1


def test_failures_from_countless_addresses_do_not_pile_up(nodes: dict[str, Any]) -> None:
    engine = nodes["apps"][0].state.engine
    limiter = RateLimiter("enroll", 3)
    old = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=5)
    with Session(engine) as s, s.begin():
        s.add_all(RateEvent(kind="enroll", key=f"10.0.{i // 250}.{i % 250}", at=old)
                  for i in range(2000))
    with Session(engine) as s, s.begin():
        for i in range(limiter.SWEEP_EVERY):
            limiter.failed(s, f"192.0.2.{i % 250}")
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(RateEvent)) == limiter.SWEEP_EVERY


def test_an_ipv6_network_counts_as_one_address(nodes: dict[str, Any]) -> None:
    """A PC on IPv6 holds a whole /64: its addresses are one client to the limit."""
    engine = nodes["apps"][0].state.engine
    limiter = RateLimiter("enroll", 3)
    with Session(engine) as s, s.begin():
        for host in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9"):
            limiter.failed(s, host)
        assert limiter.blocked(s, "2001:db8:1:2:abcd::1")
        assert limiter.blocked(s, "2001:DB8:1:2::77")
        assert not limiter.blocked(s, "2001:db8:1:3::1")
        limiter.failed(s, "192.0.2.1")
        assert not limiter.blocked(s, "192.0.2.2")


class _RacedUploads:
    """The real database uploads; while the commit reads the parts again to store them,
    the other node commits the same upload (a commit retried on another node)."""

    def __init__(self, real: Any, other_commit: Any) -> None:
        self.real, self.other_commit, self.reads = real, other_commit, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def chunks(self, session: Session, device_id: str, sha256: str) -> Iterator[bytes]:
        self.reads += 1
        if self.reads == 2:
            self.other_commit()
        chunks: Iterator[bytes] = self.real.chunks(session, device_id, sha256)
        return chunks


def test_a_commit_whose_parts_another_node_took_stores_nothing_wrong(
        nodes: dict[str, Any], s3: S3) -> None:
    if nodes["apps"][0].state.engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs writing transactions one at a time (BEGIN IMMEDIATE)")
    one, two = nodes["nodes"]
    token = nodes["token"]
    data = os.urandom(25_000)
    sha = hashlib.sha256(data).hexdigest()
    for offset in range(0, len(data), 10_000):
        assert one.put(f"/api/v1/uploads/{sha}", params={"offset": offset},
                       content=data[offset:offset + 10_000],
                       headers=_bearer(token)).status_code == 204
    answers: list[int] = []
    runtime = nodes["apps"][0].state.runtime
    raced = _RacedUploads(runtime.store.uploads, lambda: answers.append(two.post(
        f"/api/v1/uploads/{sha}/commit", headers=_bearer(token)).status_code))
    store = dataclasses.replace(runtime.store, uploads=raced)
    with Session(nodes["apps"][0].state.engine) as s:
        device = s.scalar(select(Device.id).where(Device.unit_id == nodes["unit"]))
    assert device is not None
    with Session(nodes["apps"][0].state.engine) as s, s.begin(), pytest.raises(
            files.FileError) as exc:
        files.commit_upload(s, store, device, sha, "application/pdf")
    assert (exc.value.status, exc.value.code) == (404, "sync_upload_missing")
    assert answers == [200]
    # The object is the checked bytes, whichever commit wrote it last.
    body = s3.client().get_object(Bucket=nodes["bucket"], Key=f"{sha[:2]}/{sha}")["Body"]
    assert hashlib.sha256(body.read()).hexdigest() == sha
    assert one.get(f"/api/v1/files/{sha}", headers=_bearer(token)).content == data


def test_the_store_credentials_appear_in_no_log_nor_answer(
        tmp_path: Path, s3: S3, caplog: pytest.LogCaptureFixture) -> None:
    secret, key_id = "S3cr3t-never-shown-22", "KEYID-never-shown-22"
    bucket = s3.new_bucket()
    settings = s3.settings(bucket) | {"s3_access_key": key_id, "s3_secret_key": secret}
    app = create_app(ServerSettings(db=f"sqlite:///{tmp_path / 'x.db'}",
                                    files_dir=str(tmp_path / "f"),
                                    **settings))   # type: ignore[arg-type]
    caplog.set_level("DEBUG")
    answers: list[str] = []
    with TestClient(app) as node:
        with Session(app.state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
            a = admin.add_unit(s, name="Chi bộ A", level="branch", parent_id=c.id)
            code = admin.enroll_device(s, unit_id=a.id).code
        token = node.post("/api/v1/enroll", json={"code": code}).json()["token"]
        sha = _stored(node, token, b"credentials")
        answers.append(node.get(f"/api/v1/files/{sha}", headers=_bearer(token)).text)
        s3.client().delete_object(Bucket=bucket, Key=f"{sha[:2]}/{sha}")
        s3.client().delete_bucket(Bucket=bucket)
        for r in (node.get("/healthz"), node.get(f"/api/v1/files/{sha}", headers=_bearer(token)),
                  node.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token))):
            answers.append(r.text)
            assert r.status_code < 500 or r.json()["code"] == "sync_storage_unavailable"
    assert answers[1] == '{"status":"degraded","database":"ok","storage":"unavailable"}'
    for text in (caplog.text, *answers):
        assert secret not in text
    for text in (*(r.getMessage() for r in caplog.records if r.levelno >= 20), *answers):
        assert key_id not in text   # botocore's own DEBUG lines sign with it (not ours)


def test_a_publication_granting_a_file_a_branch_is_committing_at_once(
        nodes: dict[str, Any]) -> None:
    """A branch uploads the very PDF the province publishes to it, at the same moment: the
    publication's grants in bulk do not fail on the branch's own grant (PostgreSQL)."""
    engine = nodes["apps"][0].state.engine
    one, _two = nodes["nodes"]
    sha = _stored(one, nodes["token"], b"the same official letter")
    scopes = ["y" * 36, "z" * 36]
    errors: list[BaseException] = []
    first = Session(engine)
    first.begin()
    files.grant(first, scopes[1], sha, how="uploaded", via="device")

    def publish() -> None:
        try:
            with Session(engine) as s, s.begin():
                files.grant_many(s, dict.fromkeys(scopes, ("published", "doc")), sha)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=publish)
    worker.start()
    worker.join(0.5)
    first.commit()
    first.close()
    worker.join(30)
    assert not errors, errors
    with Session(engine) as s:
        assert {k: v for k, v in s.execute(select(FileGrant.scope_id, FileGrant.how).where(
            FileGrant.sha256 == sha, FileGrant.scope_id.in_(scopes)))} == {
            scopes[0]: "published", scopes[1]: "uploaded"}


def test_parts_with_a_gap_or_wrong_bytes_commit_nothing_but_their_removal(
        nodes: dict[str, Any], s3: S3) -> None:
    one, two = nodes["nodes"]
    token = nodes["token"]
    data = os.urandom(9000)
    sha = hashlib.sha256(data).hexdigest()
    engine = nodes["apps"][0].state.engine
    with Session(engine) as s, s.begin():
        device = s.scalar(select(Device.id).where(Device.unit_id == nodes["unit"]))
        assert device is not None
        # A gap no request can make (append refuses any offset but the end): 0-3000, 6000-.
        s.add_all(UploadChunk(device_id=device, sha256=sha, offset=o, size=3000,
                              data=data[o:o + 3000]) for o in (0, 6000))
    r = two.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token))
    assert (r.status_code, r.json()["code"]) == (422, "sync_hash_mismatch")
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(UploadChunk)) == 0
        assert s.get(StoredFile, sha) is None
        assert s.scalar(select(func.count()).select_from(FileGrant).where(
            FileGrant.sha256 == sha)) == 0
    assert "Contents" not in s3.client().list_objects_v2(Bucket=nodes["bucket"])
    assert one.get(f"/api/v1/files/{sha}", headers=_bearer(token)).status_code == 404
    # Offsets a PC cannot mean: refused with codes, nothing written.
    for offset in ("-1", "1.5", "abc", str(2**63), ""):
        r = one.put(f"/api/v1/uploads/{sha}?offset={offset}", content=b"x",
                    headers=_bearer(token))
        assert r.status_code == 422, (offset, r.status_code)
    r = one.put(f"/api/v1/uploads/{sha}", params={"offset": 100 * 2**20}, content=b"x",
                headers=_bearer(token))
    assert (r.status_code, r.json()["params"]["offset"]) == (409, 0)
    # The whole bytes afterwards: stored and served.
    assert _stored(one, token, data) == sha
    assert two.get(f"/api/v1/files/{sha}", headers=_bearer(token)).content == data


def test_one_file_fetched_twice_at_once_on_two_nodes(nodes: dict[str, Any]) -> None:
    """A PC's download retried on the other node while the first is still running: both
    record the download; the second is not an IntegrityError (PostgreSQL)."""
    engine = nodes["apps"][0].state.engine
    one, two = nodes["nodes"]
    token = nodes["token"]
    data = os.urandom(2000)
    sha = _stored(one, token, data)
    with Session(engine) as s:
        device = s.scalar(select(Device.id).where(Device.unit_id == nodes["unit"]))
    first = Session(engine)
    first.begin()
    first.add(FileDownload(sha256=sha, device_id=device))
    first.flush()
    answers: list[tuple[int, bytes]] = []

    def fetch() -> None:
        r = two.get(f"/api/v1/files/{sha}", headers=_bearer(token))
        answers.append((r.status_code, r.content))

    worker = threading.Thread(target=fetch)
    worker.start()
    worker.join(0.5)
    first.commit()
    first.close()
    worker.join(30)
    assert answers == [(200, data)]
