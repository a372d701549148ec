"""Files in shared storage (issue 22): an S3 endpoint (moto's standalone server, a real HTTP
peer) for the bytes and the database for unfinished uploads, used by two app instances, as
two nodes behind a balancer would: separate processes' state, the same database and bucket.

On SQLite always and on PostgreSQL when reachable (required in CI).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from sync_server.cli import main as sotay_server
from sync_server.node_models import UploadChunk
from tests.s3_support import S3, moto_server, two_nodes
from tests.sync_support import BACKENDS, database_url

pytestmark = pytest.mark.server
PART = 256 * 1024


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with moto_server() as server:
        yield server


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=BACKENDS)
def nodes(request: pytest.FixtureRequest, tmp_path: Path, s3: S3) -> Iterator[dict[str, Any]]:
    url = database_url(request.param, tmp_path)
    with two_nodes(s3, url, tmp_path, enroll_per_minute=3,
                   device_partial_bytes=2_000_000) as made:
        yield made | {"url": url, "tmp": tmp_path}


def _upload_alternating(nodes: tuple[TestClient, TestClient], token: str, data: bytes
                        ) -> str:
    """Send ``data`` part by part, each part to the other node than the one before."""
    sha = hashlib.sha256(data).hexdigest()
    for i, offset in enumerate(range(0, len(data), PART)):
        node = nodes[i % 2]
        state = node.head(f"/api/v1/uploads/{sha}", headers=_bearer(token))
        assert int(state.headers["Upload-Offset"]) == offset   # the other node's part counts
        r = node.put(f"/api/v1/uploads/{sha}", params={"offset": offset},
                     content=data[offset:offset + PART], headers=_bearer(token))
        assert r.status_code == 204, r.text
    return sha


def test_an_upload_split_over_two_nodes_is_stored_once_and_served_by_either(
        nodes: dict[str, Any], s3: S3) -> None:
    one, two = nodes["nodes"]
    token, other = nodes["tokens"]
    data = os.urandom(3 * PART + 1234)
    sha = _upload_alternating((one, two), token, data)
    # A part sent again at an old offset (a lost answer) is refused with where it stands.
    r = two.put(f"/api/v1/uploads/{sha}", params={"offset": 0}, content=data[:PART],
                headers=_bearer(token))
    assert (r.status_code, r.json()["code"]) == (409, "sync_upload_offset")
    assert r.json()["params"]["offset"] == len(data)
    r = two.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token))
    assert r.json() == {"sha256": sha, "size": len(data)}
    # The bytes are one object in the bucket; no part is left in the database.
    keys = [o["Key"] for o in s3.client().list_objects_v2(
        Bucket=nodes["bucket"]).get("Contents", [])]
    assert keys == [f"{sha[:2]}/{sha}"]
    with Session(nodes["apps"][0].state.engine) as s:
        assert s.query(UploadChunk).count() == 0
    # The commit sent again (to the other node) is done, not an error.
    assert one.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token)).status_code == 200
    # Either node serves it, whole or from an offset (a resumed download).
    assert one.get(f"/api/v1/files/{sha}", headers=_bearer(token)).content == data
    part = two.get(f"/api/v1/files/{sha}", headers={**_bearer(token), "Range": "bytes=1000-"})
    assert part.status_code == 206 and part.content == data[1000:]
    assert part.headers["Content-Range"] == f"bytes 1000-{len(data) - 1}/{len(data)}"
    tail = one.get(f"/api/v1/files/{sha}", headers={**_bearer(token), "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == data[-10:]
    late = one.get(f"/api/v1/files/{sha}", headers={**_bearer(token),
                                                    "Range": f"bytes={len(data)}-"})
    assert late.status_code == 416
    # Another branch learns nothing, on either node.
    for node in (one, two):
        assert node.get(f"/api/v1/files/{sha}", headers=_bearer(other)).status_code == 404
        assert node.head(f"/api/v1/uploads/{sha}",
                         headers=_bearer(other)).headers["X-Stored"] == "0"


def test_wrong_bytes_are_refused_and_the_upload_starts_again(nodes: dict[str, Any]) -> None:
    one, two = nodes["nodes"]
    token = nodes["tokens"][0]
    data = os.urandom(PART + 10)
    sha = hashlib.sha256(data).hexdigest()
    bad = bytearray(data)
    bad[5] ^= 0xFF
    for i, offset in enumerate(range(0, len(bad), PART)):
        assert nodes["nodes"][i % 2].put(
            f"/api/v1/uploads/{sha}", params={"offset": offset},
            content=bytes(bad[offset:offset + PART]), headers=_bearer(token)).status_code == 204
    r = one.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token))
    assert (r.status_code, r.json()["code"]) == (422, "sync_hash_mismatch")
    # The wrong parts are gone for good: the PC starts from 0, on any node.
    assert two.head(f"/api/v1/uploads/{sha}", headers=_bearer(token)).headers[
        "Upload-Offset"] == "0"
    assert one.get(f"/api/v1/files/{sha}", headers=_bearer(token)).status_code == 404
    _upload_alternating((two, one), token, data)
    assert one.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token)).status_code == 200


def test_the_quota_counts_parts_on_every_node(nodes: dict[str, Any]) -> None:
    one, two = nodes["nodes"]
    token = nodes["tokens"][0]
    first = os.urandom(1_900_000)
    sha = hashlib.sha256(first).hexdigest()
    for offset in range(0, 1_800_000, 600_000):
        assert one.put(f"/api/v1/uploads/{sha}", params={"offset": offset},
                       content=first[offset:offset + 600_000],
                       headers=_bearer(token)).status_code == 204
    other = os.urandom(300_000)
    r = two.put(f"/api/v1/uploads/{hashlib.sha256(other).hexdigest()}", params={"offset": 0},
                content=other, headers=_bearer(token))
    assert (r.status_code, r.json()["code"]) == (507, "sync_quota_exceeded")


def test_guessed_enrolment_codes_are_counted_across_nodes(nodes: dict[str, Any]) -> None:
    one, two = nodes["nodes"]
    for node in (one, two, one):
        r = node.post("/api/v1/enroll", json={"code": "WRONG-CODE-1234"})
        assert r.status_code == 400
    for node in (two, one):   # 3 a minute, wherever they were tried
        r = node.post("/api/v1/enroll", json={"code": "WRONG-CODE-1234"})
        assert (r.status_code, r.json()["code"]) == (429, "sync_too_many_attempts")


def test_check_and_cleanup_work_on_the_object_store(
        nodes: dict[str, Any], s3: S3, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    one, two = nodes["nodes"]
    token = nodes["tokens"][0]
    kept, lost, damaged = (os.urandom(50_000 + i) for i in range(3))
    shas = []
    for data in (kept, lost, damaged):
        sha = _upload_alternating((one, two), token, data)
        assert one.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token)).status_code == 200
        shas.append(sha)
    client, bucket = s3.client(), nodes["bucket"]
    client.delete_object(Bucket=bucket, Key=f"{shas[1][:2]}/{shas[1]}")
    client.put_object(Bucket=bucket, Key=f"{shas[2][:2]}/{shas[2]}",
                      Body=b"x" * len(damaged))                     # same size, wrong bytes
    client.put_object(Bucket=bucket, Key=f"ab/{'ab' * 32}", Body=b"?")   # not in the database
    # An upload left half-way two days ago.
    half = hashlib.sha256(b"half").hexdigest()
    assert two.put(f"/api/v1/uploads/{half}", params={"offset": 0}, content=b"ha",
                   headers=_bearer(token)).status_code == 204
    with Session(nodes["apps"][0].state.engine) as s, s.begin():
        s.execute(update(UploadChunk).values(at=UploadChunk.at - _days(3)))
    for key, value in s3.environ(bucket).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("SOTAY_SERVER_FILES_DIR", str(nodes["tmp"] / "cli"))
    assert sotay_server(["--db", nodes["url"], "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files_dir"] == f"s3://{bucket}/"
    assert (report["checked"], report["missing"], report["corrupt"], report["unknown"]) == (
        3, [shas[1]], [shas[2]], ["ab" * 32])
    # A lost file answers its code (and the PC goes on with the others).
    r = two.get(f"/api/v1/files/{shas[1]}", headers=_bearer(token))
    assert (r.status_code, r.json()["code"]) == (404, "sync_file_missing")
    assert sotay_server(["--db", nodes["url"], "cleanup", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] == 1
    assert one.head(f"/api/v1/uploads/{half}", headers=_bearer(token)).headers[
        "Upload-Offset"] == "0"


def test_an_unreachable_store_is_said_plainly_and_records_still_sync(
        nodes: dict[str, Any], s3: S3) -> None:
    one, _two = nodes["nodes"]
    token = nodes["tokens"][0]
    assert one.get("/healthz").json() == {"status": "ok", "database": "ok", "storage": "ok"}
    s3.client().delete_bucket(Bucket=nodes["bucket"])   # the store refuses everything now
    health = one.get("/healthz")
    assert health.status_code == 200   # the records still sync: the balancer keeps the node
    assert health.json()["status"] == "degraded"
    assert health.json()["storage"] == "unavailable"
    data = b"a" * 1000
    sha = hashlib.sha256(data).hexdigest()
    assert one.put(f"/api/v1/uploads/{sha}", params={"offset": 0}, content=data,
                   headers=_bearer(token)).status_code == 204   # parts are in the database
    r = one.post(f"/api/v1/uploads/{sha}/commit", headers=_bearer(token))
    assert (r.status_code, r.json()["code"]) == (503, "sync_storage_unavailable")
    assert one.head(f"/api/v1/uploads/{sha}", headers=_bearer(token)).headers[
        "Upload-Offset"] == "1000"   # kept: the commit succeeds once the store is back


def _days(n: int) -> Any:
    import datetime as dt

    return dt.timedelta(days=n)
