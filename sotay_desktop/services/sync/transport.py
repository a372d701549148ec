"""The HTTP side of sync: one ``Transport`` per server over a kept-alive connection.

One normal sync is one ``POST /api/v1/sync``, gzip both ways; files resume at the byte
(HTTP Range) down and go up in parts. Nothing here waits forever: every request has a
connect and a read timeout. A failure is a ``SyncFailure`` whose code the secretary reads
translated; ``retry`` says whether trying later can help.
"""

from __future__ import annotations

import copy
import gzip
import os
from pathlib import Path
from typing import Any

import requests
from pydantic import ValidationError

from sotay_core.domain.errors import DomainError
from sotay_core.protocol import (
    PROTOCOL_VERSION,
    ROUTE_ENROLL,
    ROUTE_FILES,
    ROUTE_SYNC,
    ROUTE_UPLOADS,
    UPLOAD_PART_BYTES,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    SyncRequest,
    SyncResponse,
)
from sotay_core.protocol.columns import COLUMNS1, ColumnsRefused, decode_changes
from sotay_desktop.services.sync.report import Cancelled, Progress

TIMEOUT = (10.0, 60.0)        # connect, read (between bytes): a stalled link fails in 60 s
CHUNK = 64 * 1024
# The server's files folder is full, unusable, or this PC's quota is spent: the records
# went through; the files wait and are retried later (507/503 with these codes).
STORAGE_CODES = {"sync_storage_full", "sync_storage_unavailable", "sync_quota_exceeded"}
RETRYABLE = {"sync_offline", "sync_server_unavailable", "sync_timeout"} | STORAGE_CODES
# One file the server cannot give or take (its bytes are gone, this branch may not read it,
# it is too large, it arrived damaged): skipped, the sync goes on with the other files.
SKIP_FILE_CODES = {"sync_file_missing", "sync_file_not_found", "sync_upload_missing",
                   "sync_hash_mismatch", "sync_file_too_large"}


class SyncFailure(DomainError):
    """A sync that could not finish; ``code`` is translated for the secretary."""

    @property
    def retry(self) -> bool:
        return self.code in RETRYABLE


class SyncCancelled(SyncFailure):
    def __init__(self) -> None:
        super().__init__("sync_cancelled")


def error_from(response: requests.Response) -> SyncFailure:
    try:
        body = ErrorBody.model_validate_json(response.content)
        code, params = body.code, body.params
    except (ValidationError, ValueError):
        code, params = "", {}
    if code in STORAGE_CODES and response.status_code in (503, 507):
        return SyncFailure(code)
    if response.status_code >= 500 or not code:
        return SyncFailure("sync_server_unavailable", status=response.status_code)
    safe: dict[str, Any] = {k: v for k, v in params.items()
                            if isinstance(v, str | int) and k != "field"}
    return SyncFailure(code, **safe)


def _lost(exc: BaseException) -> SyncFailure:
    """A connection lost while reading an answer: a read timeout (a silent link) is told
    apart from a closed connection; both are retried."""
    from urllib3.exceptions import ReadTimeoutError

    # requests wraps a read timeout met while streaming a body in a ConnectionError
    wrapped = exc.args[0] if exc.args else None
    timed_out = isinstance(exc, requests.Timeout) or isinstance(wrapped, ReadTimeoutError)
    return SyncFailure("sync_timeout" if timed_out else "sync_offline")


class Transport:
    """The HTTP side; one per server, keeping its connection alive between calls."""

    def __init__(self, server_url: str, token: str | None = None,
                 http: requests.Session | None = None) -> None:
        self.base = server_url.rstrip("/")
        self.http = http or requests.Session()
        self.http.headers["User-Agent"] = f"sotay/{PROTOCOL_VERSION}"
        self.part_bytes = UPLOAD_PART_BYTES
        self.timeout = TIMEOUT
        # The denser answer (protocol.columns); emptied for a server from before it (422).
        self.encodings: list[str] = [COLUMNS1]
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def twin(self) -> Transport:
        """The same server, credential and timeouts for a request beside this one's (files
        fetched two at a time); the connection pools are shared, so it keeps a second
        connection alive."""
        other = copy.copy(self)
        other.http = copy.copy(self.http)   # a Session of its own over the same adapters
        other.http.headers = requests.structures.CaseInsensitiveDict(self.http.headers)
        return other

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.http.request(method, self.base + path, **kwargs)
        except requests.Timeout:
            raise SyncFailure("sync_timeout") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            raise SyncFailure("sync_offline") from None
        except requests.RequestException as exc:
            raise SyncFailure("sync_offline", detail=str(exc)[:200]) from None
        return response

    def enroll(self, code: str, label: str, mutation_floor: int = 0) -> EnrollResponse:
        body = EnrollRequest(code=code.strip()[:32], label=label[:120],
                             mutation_floor=mutation_floor).model_dump_json()
        r = self._call("POST", ROUTE_ENROLL, data=body,
                       headers={"Content-Type": "application/json"})
        if r.status_code != 200:
            raise error_from(r)
        try:
            return EnrollResponse.model_validate_json(r.content)
        except ValidationError:
            raise SyncFailure("sync_server_unavailable", status=r.status_code) from None

    def sync(self, request: SyncRequest, progress: Progress | None = None) -> SyncResponse:
        """One sync request; the answer is read as it arrives, so a slow link shows progress
        ("records", bytes received, bytes announced) instead of a frozen bar."""
        asked = request.model_copy(update={"encodings": self.encodings})
        body = gzip.compress(asked.model_dump_json(exclude_defaults=True).encode(), 6, mtime=0)
        r = self._call("POST", ROUTE_SYNC, data=body, stream=True, headers={
            "Content-Type": "application/json", "Content-Encoding": "gzip"})
        if r.status_code == 422 and self.encodings:   # an older server: the plain list
            self.encodings = []
            return self.sync(request, progress)
        if r.status_code != 200:
            raise error_from(r)
        total = int(r.headers.get("Content-Length") or 0)
        chunks: list[bytes] = []
        try:
            for chunk in r.iter_content(CHUNK // 4):  # requests undoes the answer's gzip
                chunks.append(chunk)
                if progress is not None:
                    progress("records", r.raw.tell(), total)
        except requests.RequestException as exc:
            raise _lost(exc) from None
        content = b"".join(chunks)
        try:
            response = SyncResponse.model_validate_json(content)
        except ValidationError:
            raise SyncFailure("sync_offline", detail="bad answer") from None  # cut mid-answer
        if response.columns is None:
            return response
        try:
            if response.changes:
                raise ColumnsRefused("columns: changes sent both ways")
            changes = decode_changes(response.columns)
        except ColumnsRefused as exc:
            raise SyncFailure("sync_bad_answer", detail=str(exc)) from None
        return response.model_copy(update={"changes": changes, "columns": None})

    def download(self, sha256: str, partial: Path, size: int, progress: Progress | None,
                 cancel: Cancelled | None, budget: int) -> int:
        """Fetch the file into ``partial`` from where it stopped; returns bytes moved."""
        have = partial.stat().st_size if partial.exists() else 0
        if size and have >= size:
            return 0
        headers = {"Range": f"bytes={have}-", "Accept-Encoding": "identity"} if have else {
            "Accept-Encoding": "identity"}
        r = self._call("GET", f"{ROUTE_FILES}/{sha256}", headers=headers, stream=True)
        if r.status_code == 416:
            return 0
        if r.status_code not in (200, 206):
            raise error_from(r)
        mode = "ab" if r.status_code == 206 else "wb"
        moved = 0
        try:
            with partial.open(mode) as fh:
                for block in r.iter_content(CHUNK):
                    fh.write(block)
                    moved += len(block)
                    if progress:
                        progress("download", (have if mode == "ab" else 0) + moved, size)
                    if cancel and cancel():
                        raise SyncCancelled()
                    if moved >= budget:
                        break
                fh.flush()
                os.fsync(fh.fileno())
        except (requests.RequestException, OSError) as exc:
            if isinstance(exc, OSError) and not isinstance(exc, requests.RequestException):
                raise SyncFailure("sync_disk", detail=str(exc)) from None
            raise _lost(exc) from None
        finally:
            r.close()
        return moved

    def upload(self, sha256: str, path: Path, mime: str, progress: Progress | None,
               cancel: Cancelled | None) -> int:
        """Send the file in parts from where the server's copy stops; returns bytes sent."""
        r = self._call("HEAD", f"{ROUTE_UPLOADS}/{sha256}")
        if r.status_code != 200:
            raise error_from(r)
        if r.headers.get("X-Stored") == "1":
            return 0
        offset = int(r.headers.get("Upload-Offset", "0"))
        size = path.stat().st_size
        sent = 0
        with path.open("rb") as fh:
            while offset < size:
                fh.seek(offset)
                part = fh.read(self.part_bytes)
                r = self._call("PUT", f"{ROUTE_UPLOADS}/{sha256}", params={"offset": offset},
                               data=part, headers={"Content-Type": "application/octet-stream"})
                if r.status_code == 409:
                    offset = int(ErrorBody.model_validate_json(r.content).params["offset"])
                    continue
                if r.status_code != 204:
                    raise error_from(r)
                offset = int(r.headers["Upload-Offset"])
                sent += len(part)
                if progress:
                    progress("upload", offset, size)
                if cancel and cancel():
                    raise SyncCancelled()
        r = self._call("POST", f"{ROUTE_UPLOADS}/{sha256}/commit", params={"mime": mime})
        if r.status_code != 200:
            raise error_from(r)
        return sent
