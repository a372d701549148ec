"""What a stateless server node keeps in the database instead of its own memory or disk
(issue 22). Imported at the end of ``models.py``; changing them needs a migration (s0008).

``upload_chunks``: the parts of unfinished uploads when files are kept in shared storage
(``SOTAY_SERVER_UPLOADS=database``, the default with S3): a PC's parts may reach different
nodes, and each part is one row, so where an upload stands is one query on any node and two
nodes can never both write the same offset (the primary key refuses the second).

``rate_events``: failures counted per client for a rate limit (enrolment codes guessed),
seen by every node.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.model_base import Base, utcnow


class UploadChunk(Base):
    """One part of a device's unfinished upload of a file, at its byte offset."""

    __tablename__ = "upload_chunks"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_upload_chunks_at", "at"),)


class RateEvent(Base):
    """A counted failure (``kind``: what is limited; ``key``: whose, e.g. a client address)."""

    __tablename__ = "rate_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_rate_events_kind_key_at", "kind", "key", "at"),)
