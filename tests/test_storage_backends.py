"""The storage backends on their own (issue 22): the S3 blobs against moto's standalone
server (a file big enough to go up as a multipart upload, ranges, listing, a crash's
leftovers), an endpoint that does not answer, and the database's uploads when two nodes
race with the same part."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from sync_server.db import make_engine, upgrade
from sync_server.storage import PART_CHARGE, FileError
from sync_server.storage_db import DatabaseUploads
from sync_server.storage_s3 import S3Blobs
from tests.s3_support import KEY, S3, free_port, moto_server
from tests.sync_support import BACKENDS, database_url

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with moto_server() as server:
        yield server


def test_s3_blobs_keep_big_files_whole_and_serve_ranges(s3: S3, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    blobs = S3Blobs(s3.client(), bucket, prefix="province-x/")
    blobs.ready()
    data = os.urandom(17 * 2**20 + 5)          # over 16 MiB: a multipart upload
    sha = hashlib.sha256(data).hexdigest()
    assert blobs.size(sha) is None
    blobs.put_chunks(sha, (data[i:i + 300_000] for i in range(0, len(data), 300_000)),
                     len(data))
    assert blobs.size(sha) == len(data)
    assert b"".join(blobs.read(sha, 5, 70_000)) == data[5:70_000]
    assert b"".join(blobs.read(sha)) == data
    assert list(blobs.read(sha, 10, 10)) == []
    small = tmp_path / "small"
    small.write_bytes(b"abc")
    small_sha = hashlib.sha256(b"abc").hexdigest()
    blobs.put_file(small_sha, small, move=True)
    assert not small.exists() and blobs.size(small_sha) == 3
    assert sorted(blobs.names()) == sorted([sha, small_sha])
    assert blobs.where == f"s3://{bucket}/province-x/"
    # A multipart upload a crash left open is aborted once old enough, not before.
    client = s3.client()
    client.create_multipart_upload(Bucket=bucket, Key="province-x/00/left")
    # (moto stamps every multipart upload 2010-11-10: "not old enough" is 20 years here)
    assert blobs.abort_stale(20 * 365 * 86400) == 0
    assert blobs.abort_stale(0) == 1
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    blobs.delete(small_sha)
    assert blobs.size(small_sha) is None


def test_an_endpoint_that_does_not_answer_is_a_503_not_a_crash() -> None:
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{free_port()}",
                          region_name="us-east-1", aws_access_key_id=KEY,
                          aws_secret_access_key=KEY,
                          config=Config(connect_timeout=1, retries={"max_attempts": 1}))
    blobs = S3Blobs(client, "nowhere")
    for call in (blobs.ready, lambda: blobs.size("0" * 64),
                 lambda: list(blobs.read("0" * 64)), lambda: list(blobs.names())):
        with pytest.raises(FileError) as exc:
            call()
        assert (exc.value.status, exc.value.code) == (503, "sync_storage_unavailable")


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    eng = make_engine(database_url(request.param, tmp_path))
    upgrade(eng)
    yield eng
    eng.dispose()


def test_two_nodes_writing_the_same_part_leave_one_copy(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    uploads = DatabaseUploads()
    sha = "ab" * 32
    with Session(engine) as s, s.begin():
        assert uploads.append(s, "dev", sha, 0, b"first", 100) == 5
    # Node B read the offset before node A's part was committed: both think it is 0.
    monkeypatch.setattr(DatabaseUploads, "offset", lambda *_a: 0)
    with Session(engine) as s, s.begin(), pytest.raises(FileError) as exc:
        uploads.append(s, "dev", sha, 0, b"again", 100)
    assert (exc.value.status, exc.value.code) == (409, "sync_upload_offset")
    monkeypatch.undo()
    with Session(engine) as s:
        assert b"".join(uploads.chunks(s, "dev", sha)) == b"first"
        assert uploads.offset(s, "dev", sha) == 5
        assert uploads.device_bytes(s, "dev") == PART_CHARGE   # a part costs a block at least
    # Too big for the file's cap: refused before anything is written.
    with Session(engine) as s, s.begin(), pytest.raises(FileError) as exc:
        uploads.append(s, "dev", sha, 5, b"x" * 96, 100)
    assert exc.value.code == "sync_file_too_large"
    # An empty file: one empty part, sent twice, is still an upload that has started.
    empty = hashlib.sha256(b"").hexdigest()
    for _ in range(2):
        with Session(engine) as s, s.begin():
            assert uploads.append(s, "dev", empty, 0, b"", 100) == 0
    with Session(engine) as s, s.begin():
        assert uploads.started(s, "dev", empty)
        assert uploads.cleanup(s, 3600) == (0, 0)
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).timestamp()
        assert uploads.cleanup(s, 3600, now=later) == (2, 5)
        assert not uploads.started(s, "dev", sha)
