"""Faults of the PC's disks, named truly.

A full disk must read "the disk is full", a pulled-out USB stick "not found", a read-only
stick "cannot write there" — never "the data file is damaged" (which sends a secretary to
restore a backup over good data) and never an English traceback. The same fault reaches
us in several shapes: an ``OSError`` (``ENOSPC``), SQLite's ``SQLITE_FULL`` ("database or
disk is full") from sqlite3 or SQLCipher, either wrapped by SQLAlchemy (``.orig``) or
chained (``__cause__``). ``classify`` looks through all of them.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from sotay_core.domain.errors import DomainError

SQLITE_FULL = 13
SQLITE_IOERR = 10
NEARLY_FULL_BYTES = 1024 * 1024


class StorageError(DomainError):
    """The data folder or file cannot be used; the message names the path."""


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_GONE = {errno.ENODEV, errno.ENXIO, getattr(errno, "ENOMEDIUM", errno.ENODEV),
         getattr(errno, "ESTALE", errno.ENODEV)}
_IO = {errno.EIO}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
# Windows: ERROR_NOT_READY (a drive letter whose stick was pulled), ERROR_DEVICE_NOT_CONNECTED,
# ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL (Python already maps the last two to ENOSPC).
_WIN_GONE = {21, 1167}
_WIN_FULL = {39, 112}


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen) or len(seen) > 16:
            continue
        seen.append(item)
        todo += [getattr(item, "orig", None), item.__cause__, item.__context__]
    return seen


def _sqlite_kind(item: BaseException) -> str | None:
    # Not SQLITE_READONLY: a read-only (query_only) connection that was asked to write is a
    # bug to be seen as one, not a read-only disk.
    code = getattr(item, "sqlite_errorcode", None)
    base = code & 0xFF if isinstance(code, int) else None
    text = str(item).lower()
    if base == SQLITE_FULL or "database or disk is full" in text:
        return "disk_full"
    if base == SQLITE_IOERR or "disk i/o error" in text:
        return "disk_io"
    return None


def classify(exc: BaseException) -> str | None:
    """``"disk_full"``, ``"disk_gone"``, ``"disk_io"``, ``"read_only"`` or None (another
    fault: a bug or real damage, which the caller names as before)."""
    for item in _chain(exc):
        if isinstance(item, OSError):
            winerror = getattr(item, "winerror", None)
            if item.errno in _FULL or winerror in _WIN_FULL:
                return "disk_full"
            if item.errno in _GONE or winerror in _WIN_GONE:
                return "disk_gone"
            if item.errno in _IO:
                return "disk_io"
            if item.errno in _READ_ONLY:
                return "read_only"
        elif type(item).__module__.startswith(("sqlite3", "sqlcipher3", "_sqlite3")):
            kind = _sqlite_kind(item)
            if kind is not None:
                return kind
    return None


def is_disk_full(exc: BaseException) -> bool:
    return classify(exc) == "disk_full"


def _filename(exc: BaseException) -> str:
    for item in _chain(exc):
        name = getattr(item, "filename", None)
        if isinstance(item, OSError) and name:
            return str(name)
    return ""


def storage_fault(exc: BaseException, path: Path | str | None = None) -> DomainError | None:
    """The plain-words error for a disk fault in ``exc``, or None when it is not one.

    ``path`` is where the write went (a data folder, a USB stick); without it the file
    named by the ``OSError`` is used."""
    if isinstance(exc, DomainError):
        return exc
    kind = classify(exc)
    if kind is None:
        return None
    where = str(path) if path is not None else _filename(exc)
    if not where:
        from sotay_core import i18n

        where = i18n.t("disk_place_unknown")
    if kind == "disk_io" and where and _nearly_full(Path(where)):
        # SQLite says only "disk I/O error" when it cannot grow its shared-memory file
        # (SQLITE_IOERR_SHMSIZE) or journal on a full disk; with no space left, that is why.
        kind = "disk_full"
    if kind == "read_only":
        return StorageError("dir_not_writable", path=where,
                            detail=_reason(exc) or "read-only")
    return StorageError(kind, path=where)


def _nearly_full(path: Path) -> bool:
    for folder in (path, *path.parents):
        if folder.exists():
            try:
                return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
            except OSError:
                return False
    return False


def _reason(exc: BaseException) -> str:
    for item in _chain(exc):
        if isinstance(item, OSError) and item.strerror:
            return item.strerror
    return ""
