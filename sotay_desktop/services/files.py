"""The file store: each file kept once, named by its SHA-256, under files/ab/abcdef…"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from sotay_core.domain.errors import DomainError

MAX_FILE_BYTES = 200 * 1024 * 1024   # a directive is rarely over 20 MB; scans stay below this
CHUNK = 1024 * 1024


def stored_path(files_dir: Path, sha256: str) -> Path:
    return files_dir / sha256[:2] / sha256


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB blocks (files are named by it)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DomainError("file_unreadable", name=path.name, detail=exc.strerror) from exc
    if size > limit:
        raise DomainError("file_too_large", name=path.name, size=size // (1024 * 1024),
                          limit=limit // (1024 * 1024))
    return size


def store_file(files_dir: Path, source: Path) -> tuple[str, int]:
    """Copy ``source`` into the store (hashing as it goes); returns (sha256, size).

    The copy lands under a temporary name and is renamed into place only when
    complete and flushed, so a power cut never leaves half a file under a hash.
    """
    check_size(source)
    files_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(dir=files_dir, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out, open(source, "rb") as src:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = stored_path(files_dir, sha)
        if target.exists():
            os.unlink(temp_name)
        else:
            target.parent.mkdir(exist_ok=True)
            os.replace(temp_name, target)
        return sha, size
    except OSError as exc:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        from sotay_desktop.db.faults import is_disk_full, storage_fault

        if is_disk_full(exc):  # the store's disk is full: the source file is fine
            raise storage_fault(exc, files_dir.parent) or exc from exc
        raise DomainError("file_unreadable", name=source.name, detail=exc.strerror) from exc


def export_copy(files_dir: Path, sha256: str, name: str, target_dir: Path) -> Path:
    """A copy under its original name (for the system viewer, which goes by extension)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch for ch in name if ch not in '<>:"/\\|?*\x00').strip() or sha256[:12]
    target = target_dir / safe
    shutil.copyfile(stored_path(files_dir, sha256), target)
    return target


def write_file_atomically(target: Path, data: bytes) -> None:
    """Write beside the target and rename, so a failed save never leaves half a file. An
    OSError names the target (a write to an open file names none, and the words of a full
    disk would then name the branch's data folder instead of the stick being written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".saving-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except OSError as exc:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        if exc.filename is None and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
