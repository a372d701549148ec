"""The files folder: the embedded default for one node (or a folder every node mounts).

Stored files are ``<files dir>/<aa>/<sha256>``, put in place with ``os.replace`` once their
bytes are synced to disk; an unfinished upload is ``<files dir>/partial/<device>-<sha256>.part``
until its last part arrives.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sync_server.storage_errors import PART_CHARGE, FileError, disk_writes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

BLOCK = 1 << 20


def blob_path(files_dir: Path, sha256: str) -> Path:
    return files_dir / sha256[:2] / sha256


def partial_path(files_dir: Path, device_id: str, sha256: str) -> Path:
    return files_dir / "partial" / f"{device_id}-{sha256}.part"


def _synced_replace(tmp: Path, target: Path) -> None:
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)


class FolderBlobs:
    def __init__(self, files_dir: Path) -> None:
        self.files_dir = files_dir
        self.where = str(files_dir)

    def size(self, sha256: str) -> int | None:
        try:
            return blob_path(self.files_dir, sha256).stat().st_size
        except OSError:
            return None

    def read(self, sha256: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        with disk_writes(), blob_path(self.files_dir, sha256).open("rb") as fh:
            fh.seek(start)
            left = None if stop is None else max(0, stop - start)
            while left is None or left > 0:
                block = fh.read(BLOCK if left is None else min(BLOCK, left))
                if not block:
                    return
                if left is not None:
                    left -= len(block)
                yield block

    def local_path(self, sha256: str) -> Path | None:
        return blob_path(self.files_dir, sha256)

    def put_file(self, sha256: str, path: Path, *, move: bool) -> None:
        target = blob_path(self.files_dir, sha256)
        with disk_writes():
            target.parent.mkdir(parents=True, exist_ok=True)
            if move and path.parent.stat().st_dev == target.parent.stat().st_dev:
                _synced_replace(path, target)
                return
            self.put_chunks(sha256, _file_blocks(path), path.stat().st_size)
            if move:
                path.unlink(missing_ok=True)

    def put_chunks(self, sha256: str, chunks: Iterable[bytes], size: int) -> None:
        target = blob_path(self.files_dir, sha256)
        tmp = target.with_name(f".{sha256}.{os.getpid()}.tmp")
        try:
            with disk_writes():
                target.parent.mkdir(parents=True, exist_ok=True)
                with tmp.open("wb") as out:
                    for block in chunks:
                        out.write(block)
                _synced_replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    def delete(self, sha256: str) -> None:
        with disk_writes():
            blob_path(self.files_dir, sha256).unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        if not self.files_dir.is_dir():
            return
        for sub in sorted(self.files_dir.iterdir()):
            if sub.is_dir() and len(sub.name) == 2 and sub.name != "partial":
                yield from (p.name for p in sorted(sub.iterdir())
                            if not p.name.startswith("."))

    def ready(self) -> None:
        if not (self.files_dir.is_dir() and os.access(self.files_dir, os.W_OK | os.X_OK)):
            raise FileError("sync_storage_unavailable", status=503)

    def abort_stale(self, max_age_s: float) -> int:
        return 0


def _file_blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        yield from iter(lambda: fh.read(BLOCK), b"")


class FolderUploads:
    def __init__(self, files_dir: Path) -> None:
        self.files_dir = files_dir
        self.where = str(files_dir / "partial")

    def _part(self, device_id: str, sha256: str) -> Path:
        return partial_path(self.files_dir, device_id, sha256)

    def offset(self, session: Session, device_id: str, sha256: str) -> int:
        with disk_writes():
            part = self._part(device_id, sha256)
            return part.stat().st_size if part.exists() else 0

    def started(self, session: Session, device_id: str, sha256: str) -> bool:
        return self._part(device_id, sha256).exists()

    def append(self, session: Session, device_id: str, sha256: str, offset: int,
               data: bytes, max_bytes: int) -> int:
        part = self._part(device_id, sha256)
        have = self.offset(session, device_id, sha256)
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
            # A part half-written on a full disk: back to where it was, so the offset
            # stays true.
            with contextlib.suppress(OSError), part.open("rb+") as fh:
                fh.truncate(have)
            raise
        return have + len(data)

    def device_bytes(self, session: Session, device_id: str) -> int:
        total = 0
        with contextlib.suppress(OSError):
            for part in (self.files_dir / "partial").glob(f"{device_id}-*.part"):
                with contextlib.suppress(OSError):
                    total += max(part.stat().st_size, PART_CHARGE)
        return total

    def chunks(self, session: Session, device_id: str, sha256: str) -> Iterator[bytes]:
        with disk_writes():
            yield from _file_blocks(self._part(device_id, sha256))

    def local_file(self, device_id: str, sha256: str) -> Path | None:
        return self._part(device_id, sha256)

    def discard(self, session: Session, device_id: str, sha256: str) -> None:
        with disk_writes():
            self._part(device_id, sha256).unlink(missing_ok=True)

    def cleanup(self, session: Session | None, max_age_s: float, now: float | None = None
                ) -> tuple[int, int]:
        """Unfinished uploads (``partial/*.part``) not touched for ``max_age_s``."""
        return _remove_stale(_listed(self.files_dir / "partial", "*.part"), max_age_s, now)


def cleanup_work(work_dir: Path, max_age_s: float, *, now: float | None = None
                 ) -> tuple[int, int]:
    """A node's scratch folder: the pages' publishing folders (``*/*``) and the admin's
    copies (``*.part``) a crash left behind."""
    return _remove_stale(_listed(work_dir, "*/*") + _listed(work_dir, "*.part"),
                         max_age_s, now)


def _listed(folder: Path, pattern: str) -> list[Path]:
    try:
        return sorted(folder.glob(pattern))
    except OSError:
        return []


def _remove_stale(candidates: list[Path], max_age_s: float, now: float | None
                  ) -> tuple[int, int]:
    cutoff = (now if now is not None else time.time()) - max_age_s
    removed = freed = 0
    for path in candidates:
        try:
            info = path.stat()
            if path.is_file() and info.st_mtime < cutoff:
                path.unlink()
                removed += 1
                freed += info.st_size
                if path.parent.name not in ("partial", "incoming"):
                    with contextlib.suppress(OSError):
                        path.parent.rmdir()   # the publishing folder, once empty
        except OSError:
            continue
    return removed, freed


def copy_in(path: Path, tmp: Path) -> None:
    """Copy a local file to ``tmp`` (the admin's publishing), as a storage fault."""
    with disk_writes():
        tmp.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, tmp)
