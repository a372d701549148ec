"""The file storage's faults as codes (``FileError``), shared by every backend of
``storage.py``: a full store or a device over its quota 507, a store that cannot be reached
or written 503."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator


class FileError(Exception):
    def __init__(self, code: str, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

# What each part of an unfinished upload (a row, or a file) costs of a device's quota at
# least, whatever its length: empty or 1-byte parts to countless files stop at the quota
# (quota / 4 KiB rows) instead of growing the table without bound.
PART_CHARGE = 4096


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
