"""The files of the branch's documents: a queue both ways with a byte budget per sync.

Documents from above come down first, small before large; every file is hash-checked
before it is stored. One file the server cannot give or take is skipped, not fatal.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import DocumentRow, FileRow
from sotay_desktop.services.files import sha256_of, stored_path
from sotay_desktop.services.sync.downloads import Downloads, Wanted
from sotay_desktop.services.sync.report import Cancelled, Progress, SyncReport
from sotay_desktop.services.sync.transport import (
    SKIP_FILE_CODES,
    STORAGE_CODES,
    SyncFailure,
    Transport,
)

FILE_BUDGET = 16 * 2**20      # bytes of files per sync; the rest waits for the next one


def _file_queue(db: Database) -> tuple[list[FileRow], list[FileRow]]:
    with db.reads() as session:
        live = select(DocumentRow.file_sha256).where(DocumentRow.deleted.is_(False))
        down = session.execute(
            select(FileRow, DocumentRow.origin).join(
                DocumentRow, DocumentRow.file_sha256 == FileRow.sha256)
            .where(FileRow.present.is_(False), DocumentRow.deleted.is_(False))
        ).all()
        seen: dict[str, tuple[int, int, FileRow]] = {}
        for f, origin in down:
            rank = (0 if origin == "from_above" else 1, f.size)
            if f.sha256 not in seen or rank < seen[f.sha256][:2]:
                seen[f.sha256] = (*rank, f)
        downloads = [v[2] for v in sorted(seen.values(), key=lambda v: v[:2])]
        uploads = list(session.scalars(select(FileRow).where(
            FileRow.present.is_(True), FileRow.uploaded.is_(False),
            FileRow.sha256.in_(live)).order_by(FileRow.size)))
        session.expunge_all()
    return downloads, uploads


def pending_files(db: Database) -> int:
    downloads, uploads = _file_queue(db)
    return len(downloads) + len(uploads)


def _mark(db: Database, sha256: str, **values: Any) -> None:
    with db.sessions.begin() as session:
        row = session.get(FileRow, sha256)
        if row is not None:
            for k, v in values.items():
                setattr(row, k, v)


def _wanted(rows: list[FileRow]) -> list[Wanted]:
    return [Wanted(f.sha256, f.size) for f in rows]


def begin_downloads(db: Database, transport: Transport, progress: Progress | None = None,
                    cancel: Cancelled | None = None, budget: int = FILE_BUDGET,
                    ) -> Downloads:
    """Start fetching the queued files in the background while ``transport`` does something
    else (the convergence check: the link stays busy); ``sync_files`` stores them."""
    downloads, _uploads = _file_queue(db)
    partial_dir = db.files_dir / "partial"
    partial_dir.mkdir(parents=True, exist_ok=True)
    return Downloads(transport, _wanted(downloads), partial_dir, progress, cancel, budget,
                     busy=True)


def _downloads(db: Database, report: SyncReport, partial_dir: Path,
               downloads: Downloads) -> int:
    """Store the files as they arrive, two in flight (``downloads``), each one checked
    against its hash. Returns how many were skipped."""
    skipped = 0

    def store(f: Wanted, moved: int, failure: SyncFailure | None) -> None:
        nonlocal skipped
        report.bytes_files += moved
        if failure is not None:   # one the server cannot give: the others go on
            report.notes.append(f"{failure.code}:{f.sha256[:12]}")
            skipped += 1
            return
        partial = partial_dir / f"{f.sha256}.part"
        if not partial.exists() or partial.stat().st_size < f.size:
            return  # budget reached mid-file: the rest next time
        if sha256_of(partial) != f.sha256:
            partial.unlink()
            report.notes.append(f"hash:{f.sha256[:12]}")
            return
        target = stored_path(db.files_dir, f.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)
        _mark(db, f.sha256, present=True, uploaded=True)
        report.files_down += 1

    downloads.finish(store)
    return skipped


def sync_files(db: Database, transport: Transport, report: SyncReport,
               progress: Progress | None = None, cancel: Cancelled | None = None,
               budget: int = FILE_BUDGET, started: Downloads | None = None) -> None:
    """Send and fetch the files of the branch's documents (the downloads ``started`` by
    ``begin_downloads``, if given). One file that fails on the server (``SKIP_FILE_CODES``)
    is skipped and noted; a server whose files folder is full or unusable stops the uploads,
    the downloads still run, and the failure is raised at the end (retryable: the records
    have synced, the files are tried again later)."""
    downloads, uploads = _file_queue(db)
    partial_dir = db.files_dir / "partial"
    partial_dir.mkdir(parents=True, exist_ok=True)
    skipped = 0
    deferred: SyncFailure | None = None
    try:
        skipped, deferred = _uploads(db, transport, report, uploads, progress, cancel)
    except BaseException:
        if started is not None:
            started.abandon()
        raise
    if started is None:
        started = Downloads(transport, _wanted(downloads), partial_dir, progress, cancel,
                            budget - report.bytes_files)
    skipped += _downloads(db, report, partial_dir, started)
    # Skipped files stay queued for the next sync, but do not make it come sooner.
    report.files_skipped = skipped
    report.files_waiting = max(0, pending_files(db) - skipped)
    if deferred is not None:
        raise deferred


def _uploads(db: Database, transport: Transport, report: SyncReport, uploads: list[FileRow],
             progress: Progress | None, cancel: Cancelled | None
             ) -> tuple[int, SyncFailure | None]:
    """Send the files only this PC has; returns the skipped count and a storage failure
    that stopped them (raised after the downloads)."""
    skipped = 0
    deferred: SyncFailure | None = None
    for f in uploads:
        path = stored_path(db.files_dir, f.sha256)
        if not path.exists():
            continue
        try:
            report.bytes_files += transport.upload(f.sha256, path, f.mime, progress, cancel)
        except SyncFailure as exc:
            if exc.code in STORAGE_CODES:
                deferred = exc
                break
            if exc.code not in SKIP_FILE_CODES:
                raise
            report.notes.append(f"{exc.code}:{f.sha256[:12]}")
            skipped += 1
            continue
        _mark(db, f.sha256, uploaded=True)
        report.files_up += 1
    return skipped, deferred
