"""Stored files in an S3-compatible object store (``SOTAY_SERVER_STORAGE=s3``): what several
server nodes share. Any store speaking the S3 API serves: MinIO, Ceph's RADOS Gateway,
Garage or SeaweedFS on the province's own machines, or a cloud's object storage; the tests
run against moto's standalone server (docs/install.md, "Shared file storage").

Through boto3 (the maintained AWS SDK; its clients are safe to share between threads). The
object of a file is ``<prefix><aa>/<sha256>``; a file is put whole (boto3 splits one over
16 MiB into a multipart upload, which S3 makes visible only once complete), so a reader never
sees a half file. The store's faults become ``FileError``: unreachable or refusing 503,
full (HTTP 507, as MinIO answers) 507.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync_server.storage_errors import FileError

if TYPE_CHECKING:
    from sync_server.settings import ServerSettings

PART = 16 * 2**20
NAME_RE = re.compile(r"^[0-9a-f]{2}/([0-9a-f]{64})$")


def _fault(exc: Exception) -> FileError:
    status = 0
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    if status == 507:
        return FileError("sync_storage_full", status=507)
    return FileError("sync_storage_unavailable", status=503)


def _missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return False
    code = str(response.get("Error", {}).get("Code", ""))
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return code in ("404", "NoSuchKey", "NotFound") or status == 404


class _ChunkReader(io.RawIOBase):
    """A file-like view of blocks, for boto3's ``upload_fileobj``."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


class S3Blobs:
    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        from boto3.s3.transfer import TransferConfig
        from botocore.exceptions import BotoCoreError, ClientError

        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.where = f"s3://{bucket}/{self.prefix}"
        self.faults: tuple[type[Exception], ...] = (BotoCoreError, ClientError)
        self.transfer = TransferConfig(multipart_threshold=PART, multipart_chunksize=PART,
                                       use_threads=False)

    @classmethod
    def from_settings(cls, settings: ServerSettings) -> S3Blobs:
        try:
            import boto3
            from botocore.config import Config
        except ImportError as exc:   # the server installed without its [s3] extra
            raise SystemExit("SOTAY_SERVER_STORAGE=s3 needs boto3: "
                             "pip install 'sotay-server[s3]'") from exc
        client = boto3.client(
            "s3", endpoint_url=settings.s3_endpoint or None,
            region_name=settings.s3_region or "us-east-1",
            aws_access_key_id=settings.s3_access_key or None,
            aws_secret_access_key=settings.s3_secret_key or None,
            # As many pooled connections as the server's worker threads that may stream at
            # once (anyio's 40), not boto3's 10 (which opens and drops the others each time).
            config=Config(connect_timeout=5, read_timeout=60, max_pool_connections=40,
                          retries={"max_attempts": 3, "mode": "standard"},
                          s3={"addressing_style": "path"}))
        return cls(client, settings.s3_bucket, settings.s3_prefix)

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def size(self, sha256: str) -> int | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.faults as exc:
            if not _missing(exc):
                raise _fault(exc) from None
            # HEAD answers a bare 404 for a missing bucket too: the file is missing only if
            # the bucket is there (else every file would be "missing" and logged so).
            self.ready()
            return None
        return int(head["ContentLength"])

    def read(self, sha256: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        if stop is not None and stop <= start:
            return
        wanted = f"bytes={start}-{'' if stop is None else stop - 1}"
        try:
            got = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256),
                                         Range=wanted)
            body = got["Body"]
            try:
                yield from body.iter_chunks(1 << 16)
            finally:   # a download the PC gave up: its connection back to the pool at once
                body.close()
        except self.faults as exc:
            raise _fault(exc) from None

    def local_path(self, sha256: str) -> Path | None:
        return None

    def put_file(self, sha256: str, path: Path, *, move: bool) -> None:
        try:
            self.client.upload_file(str(path), self.bucket, self.key(sha256),
                                    Config=self.transfer)
        except self.faults as exc:
            raise _fault(exc) from None
        if move:
            path.unlink(missing_ok=True)

    def put_chunks(self, sha256: str, chunks: Iterable[bytes], size: int) -> None:
        try:
            self.client.upload_fileobj(_ChunkReader(chunks), self.bucket, self.key(sha256),
                                       Config=self.transfer)
        except self.faults as exc:
            raise _fault(exc) from None

    def delete(self, sha256: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.faults as exc:
            raise _fault(exc) from None

    def names(self) -> Iterator[str]:
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for item in page.get("Contents", []):
                    found = NAME_RE.match(str(item["Key"])[len(self.prefix):])
                    if found:
                        yield found[1]
        except self.faults as exc:
            raise _fault(exc) from None

    def ready(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self.faults as exc:
            raise _fault(exc) from None

    def abort_stale(self, max_age_s: float) -> int:
        """Abort the multipart uploads a crash left open (they cost storage, unseen)."""
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=max_age_s)
        aborted = 0
        try:
            listing = self.client.list_multipart_uploads(Bucket=self.bucket,
                                                         Prefix=self.prefix)
            for upload in listing.get("Uploads", []):
                started = upload.get("Initiated")
                if isinstance(started, dt.datetime) and started < cutoff:
                    self.client.abort_multipart_upload(Bucket=self.bucket,
                                                       Key=upload["Key"],
                                                       UploadId=upload["UploadId"])
                    aborted += 1
        except self.faults as exc:
            raise _fault(exc) from None
        return aborted
