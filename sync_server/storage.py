"""Where the files' bytes live, behind one small interface (issue 22).

A ``FileStore`` is two parts and a scratch folder:

- ``blobs``: the stored files, by SHA-256, each written once its bytes are checked.
  ``storage_folder.FolderBlobs`` (``<files dir>/<aa>/<sha256>``, the embedded default) or
  ``storage_s3.S3Blobs`` (an S3-compatible object store: what several nodes share).
- ``uploads``: the parts of unfinished uploads. ``storage_folder.FolderUploads``
  (``<files dir>/partial/<device>-<sha256>.part``) or ``storage_db.DatabaseUploads`` (one
  row per part, in the database every node shares), so an upload whose parts reach two
  nodes is still one upload.
- ``work_dir``: this node's own scratch folder (a document being published through the
  pages); nothing kept there outlives a request.

Every backend turns its faults into ``FileError`` codes, never a bare 500: a full store or
a device over its quota 507, a store that cannot be reached or written 503.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sync_server.storage_errors import (
    FULL_ERRNOS,
    PART_CHARGE,
    FileError,
    disk_writes,
    storage_error,
)

__all__ = ["FULL_ERRNOS", "PART_CHARGE", "Blobs", "FileError", "FileStore", "Uploads",
           "as_store", "disk_writes", "make_store", "storage_error"]

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sync_server.settings import ServerSettings


class Blobs(Protocol):
    """Stored files by SHA-256. The caller checks the bytes' hash before any ``put``."""

    where: str   # for logs and ``sotay-server check``: a folder, or s3://bucket/prefix

    def size(self, sha256: str) -> int | None:
        """The stored bytes' length; None when they are not there."""

    def read(self, sha256: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """The bytes ``[start, stop)``, in blocks."""

    def local_path(self, sha256: str) -> Path | None:
        """A path this node can send with sendfile, when the bytes are in a local folder."""

    def put_file(self, sha256: str, path: Path, *, move: bool) -> None:
        """Store a checked local file (``move``: it may be taken, not copied)."""

    def put_chunks(self, sha256: str, chunks: Iterable[bytes], size: int) -> None:
        """Store checked bytes that arrive in blocks."""

    def delete(self, sha256: str) -> None: ...

    def names(self) -> Iterator[str]:
        """Every SHA-256 with bytes in the store (for ``check``: files the database lacks)."""

    def ready(self) -> None:
        """Raise ``FileError`` (503) unless the store can be reached (``/healthz``)."""

    def abort_stale(self, max_age_s: float) -> int:
        """Remove what an interrupted write left behind (S3: unfinished multipart uploads);
        returns how many."""


class Uploads(Protocol):
    """Unfinished uploads, per device and file: appended part by part at their offset."""

    where: str

    def offset(self, session: Session, device_id: str, sha256: str) -> int: ...

    def started(self, session: Session, device_id: str, sha256: str) -> bool: ...

    def append(self, session: Session, device_id: str, sha256: str, offset: int,
               data: bytes, max_bytes: int) -> int:
        """Add one part at ``offset`` (which must be where the upload ends: else 409
        ``sync_upload_offset``); returns the new end."""

    def device_bytes(self, session: Session, device_id: str) -> int:
        """What the device's unfinished uploads cost: each part at least ``PART_CHARGE``."""

    def chunks(self, session: Session, device_id: str, sha256: str) -> Iterator[bytes]: ...

    def local_file(self, device_id: str, sha256: str) -> Path | None:
        """The upload as one local file, when it is kept as one (it can then be moved)."""

    def discard(self, session: Session, device_id: str, sha256: str) -> None: ...

    def cleanup(self, session: Session, max_age_s: float, now: float | None = None
                ) -> tuple[int, int]:
        """Remove uploads untouched for ``max_age_s``; returns (uploads, bytes)."""


@dataclass(frozen=True)
class FileStore:
    blobs: Blobs
    uploads: Uploads
    work_dir: Path

    @property
    def where(self) -> str:
        return self.blobs.where

    @property
    def shared(self) -> bool:
        """Whether other nodes may use this store too (anything but one node's folder)."""
        from sync_server.storage_folder import FolderBlobs, FolderUploads

        return not (isinstance(self.blobs, FolderBlobs)
                    and isinstance(self.uploads, FolderUploads))


def make_store(settings: ServerSettings) -> FileStore:
    """The store the settings name (``storage``: folder or s3; ``uploads``: where unfinished
    uploads' parts are kept, ``auto`` = the database with s3, the folder otherwise)."""
    from sync_server.storage_folder import FolderBlobs, FolderUploads

    files_dir = Path(settings.files_dir)
    blobs: Blobs
    if settings.storage == "s3":
        from sync_server.storage_s3 import S3Blobs

        blobs = S3Blobs.from_settings(settings)
    else:
        blobs = FolderBlobs(files_dir)
    mode = settings.uploads
    if mode == "auto":
        mode = "database" if settings.storage == "s3" else "folder"
    uploads: Uploads
    if mode == "database":
        from sync_server.storage_db import DatabaseUploads

        uploads = DatabaseUploads()
    else:
        uploads = FolderUploads(files_dir)
    work = Path(settings.work_dir) if settings.work_dir else files_dir / "incoming"
    return FileStore(blobs=blobs, uploads=uploads, work_dir=work)


def as_store(store_or_dir: FileStore | Path) -> FileStore:
    """A ``FileStore`` from a store, or from a files folder (the embedded default's layout;
    what the admin commands and older callers pass)."""
    if isinstance(store_or_dir, FileStore):
        return store_or_dir
    from sync_server.storage_folder import FolderBlobs, FolderUploads

    folder = Path(store_or_dir)
    return FileStore(blobs=FolderBlobs(folder), uploads=FolderUploads(folder),
                     work_dir=folder / "incoming")
