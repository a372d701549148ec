"""Files by SHA-256: stored once, uploaded in parts, through a ``storage.FileStore``
(the files folder by default; an S3-compatible store and the database when several nodes
share the work: ``storage.py``).

An upload's parts are kept apart (``store.uploads``) until its last part arrives;
``commit_upload`` checks the hash before the file becomes visible, so a half or corrupted
upload is never served.

A stored file is readable by a scope only through a ``FileGrant`` (``grant``/``granted``):
written when a publication is made and when a device of the scope sends the whole bytes.

The store's faults become codes, never a bare 500: a full store or a device over its quota
answers 507 (``sync_storage_full``, ``sync_quota_exceeded``), a store that cannot be reached
or written 503 (``sync_storage_unavailable``); a stored file whose bytes are gone or of the
wrong size answers 404 ``sync_file_missing`` and is written to the admin log.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync_server.models import FileGrant, StoredFile, utcnow
from sync_server.storage import (
    FULL_ERRNOS,
    PART_CHARGE,
    FileError,
    FileStore,
    as_store,
    disk_writes,
    storage_error,
)
from sync_server.storage_folder import (
    blob_path,
    cleanup_work,
    copy_in,
    partial_path,
)

__all__ = ["FULL_ERRNOS", "PART_CHARGE", "FileError", "FileStore", "blob_path",
           "disk_writes", "partial_path", "storage_error"]

SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def check_sha(sha256: str) -> str:
    if not SHA_RE.match(sha256):
        raise FileError("sync_bad_sha256")
    return sha256


def _digest(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for block in chunks:
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def _intact(store: FileStore, sha256: str, size: int) -> bool:
    """The stored bytes are there, of this size and hash (read back whole: only when the
    same file arrives again, to replace a damaged copy)."""
    try:
        return store.blobs.size(sha256) == size and _digest(store.blobs.read(sha256)) == (
            sha256, size)
    except (FileError, OSError):
        return False


def _row(session: Session, sha256: str, size: int, mime: str) -> StoredFile:
    row = session.get(StoredFile, sha256)
    if row is None:
        try:
            with session.begin_nested():
                session.add(StoredFile(sha256=sha256, size=size, mime=mime[:100]))
        except IntegrityError:   # another node stored the same file at the same moment
            pass
        row = session.get(StoredFile, sha256)
        assert row is not None
    return row


def store_path(session: Session, store: FileStore | Path, path: Path, *, mime: str
               ) -> StoredFile:
    """Copy a local file into the store (admin publishing). A full or unreachable store
    raises ``FileError`` (nothing half-written is left behind)."""
    store = as_store(store)
    with disk_writes():
        sha, size = _digest(_blocks(path))
    if not _intact(store, sha, size):
        tmp = store.work_dir / f"admin-{os.getpid()}-{secrets.token_hex(4)}.part"
        try:
            copy_in(path, tmp)   # the bytes hashed are the bytes stored
            with disk_writes():
                if _digest(_blocks(tmp)) != (sha, size):
                    raise FileError("sync_storage_unavailable", status=503)
            store.blobs.put_file(sha, tmp, move=True)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    return _row(session, sha, size, mime)


def _blocks(path: Path) -> Iterable[bytes]:
    with path.open("rb") as fh:
        yield from iter(lambda: fh.read(1 << 20), b"")


# --- grants -------------------------------------------------------------------------


def granted(session: Session, scope_id: str, sha256: str) -> StoredFile | None:
    """The stored file if ``scope_id`` holds a grant for it; otherwise None, exactly as for a
    file that does not exist."""
    if session.get(FileGrant, (scope_id, sha256)) is None:
        return None
    return session.get(StoredFile, sha256)


def grant(session: Session, scope_id: str, sha256: str, *, how: str, via: str) -> None:
    """Let ``scope_id`` read the file (the first grant is kept: it tells how it came)."""
    if session.get(FileGrant, (scope_id, sha256)) is None:
        try:
            with session.begin_nested():
                session.add(FileGrant(scope_id=scope_id, sha256=sha256, how=how,
                                      via=via[:36]))
        except IntegrityError:   # another node granted it at the same moment: kept once
            pass




def grant_many(session: Session, scopes: dict[str, tuple[str, str]], sha256: str) -> None:
    """``grant`` for many scopes at once (a publication to a province: ``scope -> (how,
    via)``): one query and one insert per 1,000 scopes, the first grant of each kept."""
    ordered = sorted(scopes)
    for i in range(0, len(ordered), 1000):
        chunk = ordered[i:i + 1000]
        have = set(session.scalars(select(FileGrant.scope_id).where(
            FileGrant.sha256 == sha256, FileGrant.scope_id.in_(chunk))))
        rows = [{"scope_id": scope, "sha256": sha256, "how": scopes[scope][0],
                 "via": scopes[scope][1][:36], "granted_at": utcnow()}
                for scope in chunk if scope not in have]
        if rows:   # one granted meanwhile by another transaction (an upload) is kept
            make: Any = (pg_insert if session.get_bind().dialect.name == "postgresql"
                         else sqlite_insert)
            session.execute(make(FileGrant).on_conflict_do_nothing(
                index_elements=["scope_id", "sha256"]), rows)


def blob_ok(store: FileStore | Path, stored: StoredFile) -> bool:
    """The bytes are in the store with the size the database has (cheap: one stat or one
    HEAD). An unreachable store raises ``FileError`` (503)."""
    return as_store(store).blobs.size(stored.sha256) == stored.size


# --- quotas -------------------------------------------------------------------------


def stored_bytes(session: Session, device_id: str) -> int:
    """Bytes of the files this device's uploads brought in (each file once, and at least
    ``PART_CHARGE``: a row, a grant and an object each, however small)."""
    charged = case((StoredFile.size < PART_CHARGE, PART_CHARGE), else_=StoredFile.size)
    return int(session.scalar(
        select(func.coalesce(func.sum(charged), 0)).join(
            FileGrant, FileGrant.sha256 == StoredFile.sha256).where(
            FileGrant.how == "uploaded", FileGrant.via == device_id)) or 0)


@dataclass(frozen=True)
class Quota:
    partial_bytes: int
    stored_bytes: int


def check_quota(session: Session, store: FileStore, device_id: str, *, adding: int,
                file_size: int, quota: Quota) -> None:
    """Refuse ``adding`` more bytes of an upload (``file_size`` long once these arrive) past
    the device's quotas (507): its unfinished uploads (each part at least ``PART_CHARGE``),
    and what its uploads brought in."""
    charge = max(adding, PART_CHARGE)
    if store.uploads.device_bytes(session, device_id) + charge > quota.partial_bytes:
        raise FileError("sync_quota_exceeded", status=507)
    if stored_bytes(session, device_id) + max(file_size, PART_CHARGE) > quota.stored_bytes:
        raise FileError("sync_quota_exceeded", status=507)


def commit_upload(session: Session, store: FileStore, device_id: str, sha256: str,
                  mime: str) -> StoredFile:
    """The whole bytes arrived: check their hash, store them (once) and drop the parts."""
    uploads = store.uploads
    check_sha(sha256)
    if not uploads.started(session, device_id, sha256):
        raise FileError("sync_upload_missing", status=404)
    with disk_writes():
        digest, size = _digest(uploads.chunks(session, device_id, sha256))
    if digest != sha256:
        uploads.discard(session, device_id, sha256)
        raise FileError("sync_hash_mismatch", status=422)
    if not _intact(store, sha256, size):   # new, or a damaged copy these bytes replace
        local = uploads.local_file(device_id, sha256)
        if local is not None:
            store.blobs.put_file(sha256, local, move=True)
        else:
            store.blobs.put_chunks(
                sha256, _same(uploads.chunks(session, device_id, sha256), sha256, size), size)
    uploads.discard(session, device_id, sha256)
    return _row(session, sha256, size, mime)


def _same(chunks: Iterable[bytes], sha256: str, size: int) -> Iterator[bytes]:
    """The parts read again to be stored, checked as they pass: if they are no longer the
    bytes hashed (another node's commit of the same upload took them meanwhile), the store
    is left as it was (the write fails before the object or file is put in place) and the
    upload answers as gone (the PC skips the file; the next sync finds it stored)."""
    digest = hashlib.sha256()
    seen = 0
    for block in chunks:
        digest.update(block)
        seen += len(block)
        yield block
    if (digest.hexdigest(), seen) != (sha256, size):
        raise FileError("sync_upload_missing", status=404)


# --- upkeep: unfinished uploads, and the check of every stored file -----------------


def cleanup(session: Session, store: FileStore, max_age_s: float, *,
            now: float | None = None) -> tuple[int, int]:
    """Remove unfinished uploads, and this node's publishing leftovers, not touched for
    ``max_age_s`` (and, in an object store, multipart uploads a crash left open); returns
    (files, bytes)."""
    removed, freed = store.uploads.cleanup(session, max_age_s, now=now)
    work = cleanup_work(store.work_dir, max_age_s, now=now)
    aborted = store.blobs.abort_stale(max_age_s)
    return removed + work[0] + aborted, freed + work[1]


@dataclass
class CheckReport:
    checked: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)   # wrong size or wrong hash
    unknown: list[str] = field(default_factory=list)   # in the store, not in the database

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


def check_store(session: Session, store: FileStore | Path) -> CheckReport:
    """Read every stored file back and compare its size and SHA-256 with the database."""
    store = as_store(store)
    report = CheckReport()
    known: set[str] = set()
    for sha, size in session.execute(select(StoredFile.sha256, StoredFile.size)
                                     .order_by(StoredFile.sha256)):
        known.add(sha)
        report.checked += 1
        actual = store.blobs.size(sha)
        if actual is None:
            report.missing.append(sha)
            continue
        if actual != size:
            report.corrupt.append(sha)
            continue
        try:
            digest, _size = _digest(store.blobs.read(sha))
        except (OSError, FileError):
            report.missing.append(sha)
            continue
        report.bytes += size
        if digest != sha:
            report.corrupt.append(sha)
    report.unknown.extend(name for name in store.blobs.names() if name not in known)
    return report
