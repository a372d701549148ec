"""Files by SHA-256: stored once under <files dir>/<aa>/<sha256>, uploaded in parts.

An upload lives in <files dir>/partial/<device>-<sha256>.part until its last
part arrives; ``commit_upload`` checks the hash before the file becomes
visible, so a half or corrupted upload is never served.

A stored file is readable by a scope only through a ``FileGrant`` (``grant``/``granted``):
written when a publication is made and when a device of the scope sends the whole bytes.

The disk's faults become codes, never a bare 500: a full disk or a device over its quota
answers 507 (``sync_storage_full``, ``sync_quota_exceeded``), a folder that cannot be
written 503 (``sync_storage_unavailable``); a stored file whose bytes are gone or of the
wrong size answers 404 ``sync_file_missing`` and is written to the admin log.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync_server.models import FileGrant, StoredFile

SHA_RE = re.compile(r"^[0-9a-f]{64}$")


class FileError(Exception):
    def __init__(self, code: str, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def storage_error(exc: OSError) -> FileError:
    """What a failed write of the files folder answers: full (507) or unusable (503)."""
    if exc.errno in FULL_ERRNOS:
        return FileError("sync_storage_full", status=507)
    return FileError("sync_storage_unavailable", status=503)


@contextlib.contextmanager
def disk_writes() -> Iterator[None]:
    """Turn an OSError of the files folder into its FileError."""
    try:
        yield
    except OSError as exc:
        raise storage_error(exc) from exc


def check_sha(sha256: str) -> str:
    if not SHA_RE.match(sha256):
        raise FileError("sync_bad_sha256")
    return sha256


def blob_path(files_dir: Path, sha256: str) -> Path:
    return files_dir / sha256[:2] / sha256


def partial_path(files_dir: Path, device_id: str, sha256: str) -> Path:
    return files_dir / "partial" / f"{device_id}-{sha256}.part"


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _intact(path: Path, sha256: str, size: int) -> bool:
    try:
        return path.stat().st_size == size and _hash_file(path) == sha256
    except OSError:
        return False


def _install(session: Session, files_dir: Path, tmp: Path, sha256: str, size: int,
             mime: str) -> StoredFile:
    target = blob_path(files_dir, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if _intact(target, sha256, size):
        tmp.unlink(missing_ok=True)
    else:  # new, or a damaged copy (cut, changed) that these checked bytes now replace
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    row = session.get(StoredFile, sha256)
    if row is None:
        row = StoredFile(sha256=sha256, size=size, mime=mime[:100])
        session.add(row)
        session.flush()
    return row


def store_path(session: Session, files_dir: Path, path: Path, *, mime: str) -> StoredFile:
    """Copy a local file into the store (admin publishing). A full or read-only folder
    raises ``FileError`` (nothing half-written is left behind)."""
    tmp = files_dir / "partial" / f"admin-{os.getpid()}.part"
    try:
        with disk_writes():
            tmp.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, tmp)
            sha = _hash_file(tmp)
            return _install(session, files_dir, tmp, sha, tmp.stat().st_size, mime)
    except FileError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


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
        session.add(FileGrant(scope_id=scope_id, sha256=sha256, how=how, via=via[:36]))
        session.flush()


def blob_ok(files_dir: Path, stored: StoredFile) -> bool:
    """The bytes are on disk with the size the database has (cheap: one stat)."""
    try:
        return blob_path(files_dir, stored.sha256).stat().st_size == stored.size
    except OSError:
        return False


# --- quotas -------------------------------------------------------------------------


def partial_bytes(files_dir: Path, device_id: str) -> int:
    """Bytes of the device's unfinished uploads."""
    total = 0
    with contextlib.suppress(OSError):
        for part in (files_dir / "partial").glob(f"{device_id}-*.part"):
            with contextlib.suppress(OSError):
                total += part.stat().st_size
    return total


def stored_bytes(session: Session, device_id: str) -> int:
    """Bytes of the files this device's uploads brought in (each file once)."""
    return int(session.scalar(
        select(func.coalesce(func.sum(StoredFile.size), 0)).join(
            FileGrant, FileGrant.sha256 == StoredFile.sha256).where(
            FileGrant.how == "uploaded", FileGrant.via == device_id)) or 0)


@dataclass(frozen=True)
class Quota:
    partial_bytes: int
    stored_bytes: int


def check_quota(session: Session, files_dir: Path, device_id: str, *, adding: int,
                file_size: int, quota: Quota) -> None:
    """Refuse ``adding`` more bytes of an upload (``file_size`` long once these arrive) past
    the device's quotas (507): its unfinished uploads, and what its uploads brought in."""
    if partial_bytes(files_dir, device_id) + adding > quota.partial_bytes:
        raise FileError("sync_quota_exceeded", status=507)
    if stored_bytes(session, device_id) + file_size > quota.stored_bytes:
        raise FileError("sync_quota_exceeded", status=507)


def upload_offset(files_dir: Path, device_id: str, sha256: str) -> int:
    part = partial_path(files_dir, device_id, check_sha(sha256))
    return part.stat().st_size if part.exists() else 0


def write_part(files_dir: Path, device_id: str, sha256: str, offset: int, data: bytes,
               max_bytes: int) -> int:
    """Append one part at ``offset`` (which must be where the partial file ends)."""
    part = partial_path(files_dir, device_id, check_sha(sha256))
    have = part.stat().st_size if part.exists() else 0
    if offset != have:
        raise FileError("sync_upload_offset", status=409)
    if have + len(data) > max_bytes:
        raise FileError("sync_file_too_large", status=413)
    try:
        with disk_writes():
            part.parent.mkdir(parents=True, exist_ok=True)
            with part.open("ab") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
    except FileError:
        # A part half-written on a full disk: back to where it was, so the offset stays true.
        with contextlib.suppress(OSError), part.open("rb+") as fh:
            fh.truncate(have)
        raise
    return have + len(data)


def commit_upload(session: Session, files_dir: Path, device_id: str, sha256: str,
                  mime: str) -> StoredFile:
    """The whole bytes arrived: check their hash, store them (once) and grant the scope."""
    part = partial_path(files_dir, device_id, check_sha(sha256))
    if not part.exists():
        raise FileError("sync_upload_missing", status=404)
    if _hash_file(part) != sha256:
        with disk_writes():
            part.unlink()
        raise FileError("sync_hash_mismatch", status=422)
    with disk_writes():
        return _install(session, files_dir, part, sha256, part.stat().st_size, mime)


# --- upkeep: partial uploads, and the check of every stored file ---------------------


def cleanup_partials(files_dir: Path, max_age_s: float, *, now: float | None = None
                     ) -> tuple[int, int]:
    """Remove unfinished uploads (``partial/*.part``) and the pages' leftover publishing
    folders (``incoming/*``, left by a crash) not touched for ``max_age_s``; returns
    (files, bytes)."""
    cutoff = (now if now is not None else time.time()) - max_age_s
    removed = freed = 0
    candidates: list[Path] = []
    with contextlib.suppress(OSError):
        candidates += sorted((files_dir / "partial").glob("*.part"))
    with contextlib.suppress(OSError):
        candidates += sorted((files_dir / "incoming").glob("*/*"))
    for path in candidates:
        try:
            info = path.stat()
            if path.is_file() and info.st_mtime < cutoff:
                path.unlink()
                removed += 1
                freed += info.st_size
                if path.parent.name != "partial":
                    with contextlib.suppress(OSError):
                        path.parent.rmdir()   # the publishing folder, once empty
        except OSError:
            continue
    return removed, freed


@dataclass
class CheckReport:
    checked: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)   # wrong size or wrong hash
    unknown: list[str] = field(default_factory=list)   # on disk, not in the database

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


def check_store(session: Session, files_dir: Path) -> CheckReport:
    """Read every stored file back and compare its size and SHA-256 with the database."""
    report = CheckReport()
    known: set[str] = set()
    for sha, size in session.execute(select(StoredFile.sha256, StoredFile.size)
                                     .order_by(StoredFile.sha256)):
        known.add(sha)
        report.checked += 1
        path = blob_path(files_dir, sha)
        try:
            actual = path.stat().st_size
        except OSError:
            report.missing.append(sha)
            continue
        if actual != size:
            report.corrupt.append(sha)
            continue
        try:
            digest = _hash_file(path)
        except OSError:
            report.missing.append(sha)
            continue
        report.bytes += size
        if digest != sha:
            report.corrupt.append(sha)
    if files_dir.is_dir():
        for sub in sorted(files_dir.iterdir()):
            if sub.is_dir() and len(sub.name) == 2 and sub.name != "partial":
                report.unknown.extend(p.name for p in sorted(sub.iterdir())
                                      if p.name not in known)
    return report
