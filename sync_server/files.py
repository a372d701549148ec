"""Files by SHA-256: stored once under <files dir>/<aa>/<sha256>, uploaded in parts.

An upload lives in <files dir>/partial/<device>-<sha256>.part until its last
part arrives; ``commit_upload`` checks the hash before the file becomes
visible, so a half or corrupted upload is never served.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from sync_server.models import StoredFile

SHA_RE = re.compile(r"^[0-9a-f]{64}$")


class FileError(Exception):
    def __init__(self, code: str, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


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


def _install(session: Session, files_dir: Path, tmp: Path, sha256: str, size: int,
             mime: str) -> StoredFile:
    target = blob_path(files_dir, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        tmp.unlink(missing_ok=True)
    else:
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
    """Copy a local file into the store (admin publishing)."""
    tmp = files_dir / "partial" / f"admin-{os.getpid()}.part"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, tmp)
    sha = _hash_file(tmp)
    return _install(session, files_dir, tmp, sha, tmp.stat().st_size, mime)


def upload_offset(files_dir: Path, device_id: str, sha256: str) -> int:
    part = partial_path(files_dir, device_id, check_sha(sha256))
    return part.stat().st_size if part.exists() else 0


def write_part(files_dir: Path, device_id: str, sha256: str, offset: int, data: bytes,
               max_bytes: int) -> int:
    """Append one part at ``offset`` (which must be where the partial file ends)."""
    part = partial_path(files_dir, device_id, check_sha(sha256))
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    if offset != have:
        raise FileError("sync_upload_offset", status=409)
    if have + len(data) > max_bytes:
        raise FileError("sync_file_too_large", status=413)
    with part.open("ab") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return have + len(data)


def commit_upload(session: Session, files_dir: Path, device_id: str, sha256: str,
                  mime: str) -> StoredFile:
    part = partial_path(files_dir, device_id, check_sha(sha256))
    if not part.exists():
        raise FileError("sync_upload_missing", status=404)
    if _hash_file(part) != sha256:
        part.unlink()
        raise FileError("sync_hash_mismatch", status=422)
    return _install(session, files_dir, part, sha256, part.stat().st_size, mime)
