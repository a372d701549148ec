"""Where a province's files should live when several nodes share the work (issue 22): an
S3-compatible object store, or PostgreSQL itself. Measured, for docs/install.md.

The same files go through each backend the server has: the files folder (one node), the
S3 store (moto's standalone server on loopback, started here: it keeps objects in memory, so
its times are a floor for the protocol's cost, not a disk's), and PostgreSQL, holding the
bytes as the server holds an upload's parts (``upload_chunks``: 256 KiB rows, bytea). For
PostgreSQL the write-ahead log written per byte stored is read from ``pg_current_wal_lsn``:
every byte kept in the database also goes through its WAL, its replicas and its backups.

Run alone: ``python -m bench.storage`` (needs PostgreSQL and moto[server]).
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, delete, text
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sync_server.storage import Blobs

SMALL, SMALL_N = 200_000, 40        # a scanned page or a published PDF
BIG, BIG_N = 20 * 2**20, 2          # a long scanned document
PART = 256 * 1024


def _files() -> list[bytes]:
    return [os.urandom(SMALL) for _ in range(SMALL_N)] + [os.urandom(BIG) for _ in range(BIG_N)]


def _timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _blobs_figures(store: Blobs, data: list[bytes]) -> tuple[float, float]:
    """(seconds to store all, seconds to read all back) through a ``storage.Blobs``."""
    shas = [hashlib.sha256(d).hexdigest() for d in data]

    def put() -> None:
        for sha, d in zip(shas, data, strict=True):
            store.put_chunks(sha, (d[i:i + PART] for i in range(0, len(d), PART)), len(d))

    def get() -> None:
        for sha, d in zip(shas, data, strict=True):
            assert sum(len(b) for b in store.read(sha)) == len(d)

    return _timed(put), _timed(get)


def _postgres_figures(url: str, data: list[bytes]) -> tuple[float, float, float, int]:
    """(store s, read s, WAL bytes per byte stored, table bytes) for the bytes as 256 KiB
    bytea rows."""
    from sync_server.db import upgrade
    from sync_server.node_models import UploadChunk

    engine = create_engine(url)
    upgrade(engine)
    with Session(engine) as s, s.begin():
        s.execute(delete(UploadChunk))
    with engine.connect() as conn:
        before = conn.execute(text("SELECT pg_current_wal_lsn()")).scalar()

    def put() -> None:
        for n, d in enumerate(data):
            with Session(engine) as s, s.begin():
                for i in range(0, len(d), PART):
                    s.add(UploadChunk(device_id="bench", sha256=f"{n:064d}", offset=i,
                                      size=len(d[i:i + PART]), data=d[i:i + PART]))

    def get() -> None:
        from sync_server.storage_db import DatabaseUploads

        uploads = DatabaseUploads()
        with Session(engine) as s:
            for n, d in enumerate(data):
                assert sum(len(b) for b in uploads.chunks(s, "bench", f"{n:064d}")) == len(d)

    put_s = _timed(put)
    with engine.connect() as conn:
        wal = conn.execute(text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), :b)"),
                           {"b": before}).scalar()
        size = conn.execute(text("SELECT pg_total_relation_size('upload_chunks')")).scalar()
    get_s = _timed(get)
    with Session(engine) as s, s.begin():
        s.execute(delete(UploadChunk).where(UploadChunk.device_id == "bench"))
    engine.dispose()
    total = sum(len(d) for d in data)
    return put_s, get_s, float(wal or 0) / total, int(size or 0)


def run() -> list[dict[str, str]]:
    sys.path.insert(0, str(Path(__file__).parents[1]))
    from sync_server.storage_folder import FolderBlobs
    from sync_server.storage_s3 import S3Blobs
    from tests.s3_support import moto_server
    from tests.sync_support import PG_URL, pg_reachable

    data = _files()
    total = sum(len(d) for d in data)
    mb = total / 1e6
    what = f"{SMALL_N} files of 200 KB and {BIG_N} of 20 MiB ({mb:.0f} MB)"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        put_s, get_s = _blobs_figures(FolderBlobs(Path(tmp)), data)
    rows.append({"what": f"Files folder (one node): {what} stored / read back",
                 "figure": f"{mb / put_s:.0f} MB/s / {mb / get_s:.0f} MB/s (fsync each)",
                 "target": "", "ok": ""})
    with moto_server() as s3:
        blobs = S3Blobs(s3.client(), s3.new_bucket())
        put_s, get_s = _blobs_figures(blobs, data)
    rows.append({"what": f"S3 store (moto's server on loopback, in memory): {what}",
                 "figure": f"{mb / put_s:.0f} MB/s / {mb / get_s:.0f} MB/s",
                 "target": "", "ok": ""})
    if pg_reachable():
        put_s, get_s, wal, size = _postgres_figures(PG_URL, data)
        rows.append({"what": f"PostgreSQL bytea rows of 256 KiB: {what}",
                     "figure": f"{mb / put_s:.0f} MB/s / {mb / get_s:.0f} MB/s; WAL "
                               f"{wal:.2f} bytes per byte stored; table "
                               f"{size / total:.2f} bytes per byte",
                     "target": "", "ok": ""})
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['what']}: {row['figure']}")
