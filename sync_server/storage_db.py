"""Unfinished uploads in the database (``upload_chunks``): what several nodes share.

Each part a PC sends is one row at its byte offset, written in the request's own
transaction, so a part that reached node A is seen by node B at the next request, and the
primary key (device, file, offset) refuses a second write of the same offset: two nodes
racing with one part (a retry while the first is still in flight) leave one copy, and the
loser answers 409 with where the upload stands, as for any wrong offset.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync_server.node_models import UploadChunk
from sync_server.storage_errors import PART_CHARGE, FileError


class DatabaseUploads:
    where = "database (upload_chunks)"

    def offset(self, session: Session, device_id: str, sha256: str) -> int:
        return int(session.scalar(
            select(func.coalesce(func.max(UploadChunk.offset + UploadChunk.size), 0)).where(
                UploadChunk.device_id == device_id, UploadChunk.sha256 == sha256)) or 0)

    def started(self, session: Session, device_id: str, sha256: str) -> bool:
        return session.scalar(select(UploadChunk.offset).where(
            UploadChunk.device_id == device_id, UploadChunk.sha256 == sha256).limit(1)
        ) is not None

    def append(self, session: Session, device_id: str, sha256: str, offset: int,
               data: bytes, max_bytes: int) -> int:
        have = self.offset(session, device_id, sha256)
        if offset != have:
            raise FileError("sync_upload_offset", status=409)
        if have + len(data) > max_bytes:
            raise FileError("sync_file_too_large", status=413)
        if not data and self.started(session, device_id, sha256):
            return have   # an empty part again (an empty file): nothing to add
        try:
            with session.begin_nested():
                session.add(UploadChunk(device_id=device_id, sha256=sha256, offset=offset,
                                        size=len(data), data=data))
        except IntegrityError:
            # Another node wrote this offset first (the same part sent twice at once).
            raise FileError("sync_upload_offset", status=409) from None
        return have + len(data)

    def device_bytes(self, session: Session, device_id: str) -> int:
        charged = case((UploadChunk.size < PART_CHARGE, PART_CHARGE), else_=UploadChunk.size)
        return int(session.scalar(select(func.coalesce(func.sum(charged), 0)).where(
            UploadChunk.device_id == device_id)) or 0)

    def chunks(self, session: Session, device_id: str, sha256: str) -> Iterator[bytes]:
        """The parts in order, one row read at a time (a file of 100 MB is never in memory
        whole). A gap (which ``append`` never leaves) ends the bytes early: the hash check
        then refuses them."""
        where = (UploadChunk.device_id == device_id, UploadChunk.sha256 == sha256)
        expected = 0
        for offset, size in session.execute(select(UploadChunk.offset, UploadChunk.size)
                                            .where(*where).order_by(UploadChunk.offset)).all():
            if offset != expected:
                return
            data = session.scalar(select(UploadChunk.data).where(
                *where, UploadChunk.offset == offset))
            if data is None:
                return
            yield bytes(data)
            expected = offset + size

    def local_file(self, device_id: str, sha256: str) -> None:
        return None

    def discard(self, session: Session, device_id: str, sha256: str) -> None:
        session.execute(delete(UploadChunk).where(UploadChunk.device_id == device_id,
                                                  UploadChunk.sha256 == sha256))

    def cleanup(self, session: Session, max_age_s: float, now: float | None = None
                ) -> tuple[int, int]:
        """Uploads whose newest part is older than ``max_age_s``."""
        at = dt.datetime.fromtimestamp(now if now is not None else time.time(), dt.UTC)
        cutoff = at.replace(tzinfo=None) - dt.timedelta(seconds=max_age_s)
        stale = session.execute(
            select(UploadChunk.device_id, UploadChunk.sha256, func.sum(UploadChunk.size))
            .group_by(UploadChunk.device_id, UploadChunk.sha256)
            .having(func.max(UploadChunk.at) < cutoff)).all()
        for device_id, sha256, _size in stale:
            self.discard(session, device_id, sha256)
        return len(stale), sum(int(size or 0) for _d, _s, size in stale)
