"""Talking to the province server: enrolment, the sync cycle, files.

One normal sync is one ``POST /api/v1/sync`` over a kept-alive connection
(requests.Session), gzip both ways. Records go first; files follow from a
priority queue (documents from above first, small before large) with a byte
budget per sync, downloads resuming at the byte (HTTP Range), uploads in
256 KB parts, every file hash-checked before use. Nothing here waits forever:
every request has a connect and a read timeout.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sotay_core.domain.errors import DomainError
from sotay_core.protocol import (
    DEFAULT_PAGE_BYTES,
    MAX_MUTATIONS,
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
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import DocumentRow, FileRow
from sotay_desktop.security import credentials
from sotay_desktop.services import sync_local
from sotay_desktop.services.files import sha256_of, stored_path

Progress = Callable[[str, int, int], None]   # (stage, done, total)
Cancelled = Callable[[], bool]

TIMEOUT = (10.0, 60.0)        # connect, read (between bytes): a stalled link fails in 60 s
FILE_BUDGET = 16 * 2**20      # bytes of files per sync; the rest waits for the next one
CHUNK = 64 * 1024
CLOCK_WARN = dt.timedelta(minutes=5)
# The server's files folder is full, unusable, or this PC's quota is spent: the records
# went through; the files wait and are retried later (507/503 with these codes).
STORAGE_CODES = {"sync_storage_full", "sync_storage_unavailable", "sync_quota_exceeded"}
RETRYABLE = {"sync_offline", "sync_server_unavailable", "sync_timeout"} | STORAGE_CODES
# One file the server cannot give or take (its bytes are gone, this branch may not read it,
# it is too large, it arrived damaged): skipped, the sync goes on with the other files.
SKIP_FILE_CODES = {"sync_file_missing", "sync_file_not_found", "sync_upload_missing",
                   "sync_hash_mismatch", "sync_file_too_large"}


def pc_clock() -> dt.datetime:
    """This PC's clock: only compared with the server's, to warn; never used to order edits."""
    return dt.datetime.now(dt.UTC)


class SyncFailure(DomainError):
    """A sync that could not finish; ``code`` is translated for the secretary."""

    @property
    def retry(self) -> bool:
        return self.code in RETRYABLE


class SyncCancelled(SyncFailure):
    def __init__(self) -> None:
        super().__init__("sync_cancelled")


def _error_from(response: requests.Response) -> SyncFailure:
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
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

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
            raise _error_from(r)
        try:
            return EnrollResponse.model_validate_json(r.content)
        except ValidationError:
            raise SyncFailure("sync_server_unavailable", status=r.status_code) from None

    def sync(self, request: SyncRequest, progress: Progress | None = None) -> SyncResponse:
        """One sync request; the answer is read as it arrives, so a slow link shows progress
        ("records", bytes received, bytes announced) instead of a frozen bar."""
        body = gzip.compress(request.model_dump_json(exclude_defaults=True).encode(), 6, mtime=0)
        r = self._call("POST", ROUTE_SYNC, data=body, stream=True, headers={
            "Content-Type": "application/json", "Content-Encoding": "gzip"})
        if r.status_code != 200:
            raise _error_from(r)
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
            return SyncResponse.model_validate_json(content)
        except ValidationError:
            raise SyncFailure("sync_offline", detail="bad answer") from None  # cut mid-answer

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
            raise _error_from(r)
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
            raise _error_from(r)
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
                    raise _error_from(r)
                offset = int(r.headers["Upload-Offset"])
                sent += len(part)
                if progress:
                    progress("upload", offset, size)
                if cancel and cancel():
                    raise SyncCancelled()
        r = self._call("POST", f"{ROUTE_UPLOADS}/{sha256}/commit", params={"mime": mime})
        if r.status_code != 200:
            raise _error_from(r)
        return sent


# --- enrolment ----------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolled:
    device_id: str
    unit_name: str
    queued: int
    token_store: str


def device_label() -> str:
    return f"{platform.node() or 'PC'}"[:120]


def enroll(db: Database, server_url: str, code: str, *, transport: Transport | None = None,
           label: str | None = None) -> Enrolled:
    if not server_url.startswith(("http://", "https://")):
        raise SyncFailure("sync_bad_url", url=server_url)
    transport = transport or Transport(server_url)
    with db.reads() as session:
        floor = sync_local.mutation_floor(session)
    answer = transport.enroll(code, label or device_label(), floor)
    with db.sessions.begin() as session:
        queued = sync_local.bind_to_server(session, server_url=server_url,
                                           device_id=answer.device_id, unit_id=answer.unit_id,
                                           unit_name=answer.unit_name)
        store = credentials.save_token(session, answer.device_id, answer.token)
    return Enrolled(answer.device_id, answer.unit_name, queued, store)


def transport_for(db: Database) -> Transport:
    with db.reads() as session:
        acct = sync_local.account(session)
        if acct is None:
            raise SyncFailure("sync_not_enrolled")
        token = credentials.load_token(session, acct.device_id)
    if not token:
        raise SyncFailure("sync_no_credential")
    return Transport(acct.server_url, token)


# --- the cycle ----------------------------------------------------------------------


@dataclass
class SyncReport:
    requests: int = 0
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    conflicts: int = 0
    files_down: int = 0
    files_up: int = 0
    bytes_files: int = 0
    files_waiting: int = 0
    files_skipped: int = 0   # files the server could not give or take this time (one each)
    clock_skew_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    check: Any = None        # services.convergence.CheckOutcome: the end-of-sync comparison


def sync_records(db: Database, transport: Transport, report: SyncReport,
                 progress: Progress | None = None, cancel: Cancelled | None = None,
                 page: int = DEFAULT_PAGE_BYTES) -> None:
    stalled = 0
    while True:
        with db.reads() as session:
            request = sync_local.build_request(session)
        request = request.model_copy(update={"page_bytes": page})
        response = transport.sync(request, progress)
        report.requests += 1
        try:
            with db.sessions.begin() as session:
                done = sync_local.apply_response(session, request, response)
        except IntegrityError:
            raise SyncFailure("sync_apply_failed") from None
        report.pushed += done.acked
        report.rejected += done.rejected
        report.pulled += done.changes
        report.conflicts += done.conflicts
        skew = (dt.datetime.fromisoformat(response.server_time) - pc_clock()).total_seconds()
        report.clock_skew_s = skew
        if progress:
            progress("records", report.pushed + report.pulled, 0)
        more_out = len(request.mutations) == MAX_MUTATIONS and done.acked > 0
        stalled = stalled + 1 if request.mutations and done.acked == 0 else 0
        if not response.has_more and not more_out:
            break
        if stalled > 2:
            break
        if cancel and cancel():
            raise SyncCancelled()
    from sotay_desktop.services import audit

    with db.sessions.begin() as session:
        audit.set_anchor(session)   # the server holds these rows now: a cut-short chain shows


def _file_queue(db: Database) -> tuple[list[FileRow], list[FileRow]]:
    with db.reads() as session:
        live = select(DocumentRow.file_sha256).where(DocumentRow.deleted.is_(False))
        down = session.execute(
            select(FileRow, DocumentRow.origin).join(
                DocumentRow, DocumentRow.file_sha256 == FileRow.sha256)
            .where(FileRow.present.is_(False), DocumentRow.deleted.is_(False))
        ).all()
        seen: dict[str, tuple[int, int, FileRow]] = {}
        for f, origin in down:
            rank = (0 if origin == "from_above" else 1, f.size)
            if f.sha256 not in seen or rank < seen[f.sha256][:2]:
                seen[f.sha256] = (*rank, f)
        downloads = [v[2] for v in sorted(seen.values(), key=lambda v: v[:2])]
        uploads = list(session.scalars(select(FileRow).where(
            FileRow.present.is_(True), FileRow.uploaded.is_(False),
            FileRow.sha256.in_(live)).order_by(FileRow.size)))
        session.expunge_all()
    return downloads, uploads


def pending_files(db: Database) -> int:
    downloads, uploads = _file_queue(db)
    return len(downloads) + len(uploads)


def _mark(db: Database, sha256: str, **values: Any) -> None:
    with db.sessions.begin() as session:
        row = session.get(FileRow, sha256)
        if row is not None:
            for k, v in values.items():
                setattr(row, k, v)


def sync_files(db: Database, transport: Transport, report: SyncReport,
               progress: Progress | None = None, cancel: Cancelled | None = None,
               budget: int = FILE_BUDGET) -> None:
    """Send and fetch the files of the branch's documents. One file that fails on the server
    (``SKIP_FILE_CODES``) is skipped and noted; a server whose files folder is full or
    unusable stops the uploads, the downloads still run, and the failure is raised at the
    end (retryable: the records have synced, the files are tried again later)."""
    downloads, uploads = _file_queue(db)
    partial_dir = db.files_dir / "partial"
    partial_dir.mkdir(parents=True, exist_ok=True)
    skipped = 0
    deferred: SyncFailure | None = None
    for f in uploads:
        path = stored_path(db.files_dir, f.sha256)
        if not path.exists():
            continue
        try:
            report.bytes_files += transport.upload(f.sha256, path, f.mime, progress, cancel)
        except SyncFailure as exc:
            if exc.code in STORAGE_CODES:
                deferred = exc
                break
            if exc.code not in SKIP_FILE_CODES:
                raise
            report.notes.append(f"{exc.code}:{f.sha256[:12]}")
            skipped += 1
            continue
        _mark(db, f.sha256, uploaded=True)
        report.files_up += 1
    for f in downloads:
        if report.bytes_files >= budget:
            break
        partial = partial_dir / f"{f.sha256}.part"
        try:
            report.bytes_files += transport.download(f.sha256, partial, f.size, progress,
                                                     cancel, budget - report.bytes_files)
        except SyncFailure as exc:
            if exc.code not in SKIP_FILE_CODES:
                raise
            report.notes.append(f"{exc.code}:{f.sha256[:12]}")
            skipped += 1
            continue
        if not partial.exists() or partial.stat().st_size < f.size:
            continue  # budget reached mid-file: the rest next time
        if sha256_of(partial) != f.sha256:
            partial.unlink()
            report.notes.append(f"hash:{f.sha256[:12]}")
            continue
        target = stored_path(db.files_dir, f.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)
        _mark(db, f.sha256, present=True, uploaded=True)
        report.files_down += 1
    # Skipped files stay queued for the next sync, but do not make it come sooner.
    report.files_skipped = skipped
    report.files_waiting = max(0, pending_files(db) - skipped)
    if deferred is not None:
        raise deferred


def run_sync(db: Database, transport: Transport | None = None, *,
             progress: Progress | None = None, cancel: Cancelled | None = None,
             files: bool = True, budget: int = FILE_BUDGET,
             page_bytes: int = DEFAULT_PAGE_BYTES) -> SyncReport:
    transport = transport or transport_for(db)
    report = SyncReport()
    sync_records(db, transport, report, progress, cancel, page_bytes)
    from sotay_desktop.services import convergence

    report.check = convergence.run_check(db, transport, lambda: sync_records(
        db, transport, report, progress, cancel, page_bytes))
    if files:
        sync_files(db, transport, report, progress, cancel, budget)
    return report


def backoff_delay(attempt: int, *, base: float = 15.0, cap: float = 900.0,
                  rand: Callable[[], float] | None = None) -> float:
    """Seconds before retry ``attempt`` (1, 2, …): exponential with full jitter."""
    import random

    r = (rand or random.random)()
    return float(max(1.0, min(cap, base * 2 ** (attempt - 1)) * r))
