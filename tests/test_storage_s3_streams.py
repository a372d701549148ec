"""An S3 download the PC gives up (issue 22): its body is closed when the stream is dropped,
so its connection goes back to the pool at once; the pool holds as many connections as
the server's threads that may stream at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sync_server.settings import ServerSettings
from sync_server.storage_s3 import S3Blobs
from tests.s3_support import S3, moto_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with moto_server() as server:
        yield server


def test_a_stream_dropped_half_way_closes_its_body(s3: S3) -> None:
    bucket = s3.new_bucket()
    blobs = S3Blobs.from_settings(ServerSettings(**s3.settings(bucket)))  # type: ignore[arg-type]
    assert blobs.client.meta.config.max_pool_connections >= 40
    sha = "ab" * 32
    s3.client().put_object(Bucket=bucket, Key=blobs.key(sha), Body=b"x" * 300_000)
    bodies: list[Any] = []
    real = blobs.client.get_object

    def kept(**kw: Any) -> Any:
        got = real(**kw)
        bodies.append(got["Body"])
        return got

    blobs.client.get_object = kept
    stream: Any = blobs.read(sha, 0, 300_000)   # a generator
    assert len(next(stream)) == 1 << 16
    stream.close()   # the PC went away after the first block
    assert bodies and bodies[0]._raw_stream.closed
