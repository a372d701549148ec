"""Backups of a branch folder: consistent (SQLite's online backup, so a WAL beside the file
or a write in progress cannot tear it), encrypted when the profile is (the copy is made
through the same key), and checked on restore before anything is replaced.

A backup is a folder ``SoTay-backup-YYYYmmdd-HHMMSS`` holding ``sotay.db``, the stored
files, ``profile.json`` when the profile is encrypted, and ``manifest.json`` with the
SHA-256 of each file, so a truncated or altered backup is refused with a plain message.

Faults are named truly and leave nothing behind: the target folder must exist (a USB stick
that is not plugged in is said so; the folder is never created on the internal disk in its
place), the space is checked before writing, and a full or pulled-out stick removes the
half-written ``.partial`` folder and says "the disk is full" or "the drive is gone". A
restore goes into an empty folder only, copies exactly the files the manifest lists into a
staging folder, checks them and opens them before the swap, and removes the staging folder
on any failure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from sotay_desktop.db.connection import raw_connect
from sotay_desktop.db.engine import Database, open_database
from sotay_desktop.db.faults import StorageError, storage_fault
from sotay_desktop.db.layout import DB_NAME, PROFILE_FILE, is_encrypted
from sotay_desktop.db.meta import get_meta
from sotay_desktop.services import audit, audit_head
from sotay_desktop.services.files import sha256_of

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024   # 100,000 stored files take about 12 MB
MARGIN_BYTES = 1024 * 1024              # the manifest, directory entries, rounding
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _copy_files(db: Database, work: Path) -> int:
    """Stored files (never the half-received ones); returns the bytes copied."""
    total = 0
    if not db.files_dir.exists():
        return 0
    for path in sorted(db.files_dir.rglob("*")):
        rel = path.relative_to(db.files_dir)
        if (not path.is_file() or "partial" in rel.parts or path.name.endswith(".part")
                or path.name.startswith(".")):
            continue
        target = work / "files" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        total += path.stat().st_size
    return total


def _needed_bytes(source: Any, db: Database) -> int:
    pages = source.execute("PRAGMA page_count").fetchone()[0]
    page_size = source.execute("PRAGMA page_size").fetchone()[0]
    files = sum(p.stat().st_size for p in db.files_dir.rglob("*") if p.is_file()) \
        if db.files_dir.exists() else 0
    return int(pages) * int(page_size) + files + MARGIN_BYTES


def _free_name(target_dir: Path, stamp: str) -> Path:
    final = target_dir / f"SoTay-backup-{stamp}"
    n = 1
    while final.exists() or final.with_name(final.name + ".partial").exists():
        n += 1
        final = target_dir / f"SoTay-backup-{stamp}-{n}"
    return final


def make_backup(db: Database, target_dir: Path, *, key: bytes | None = None,
                now: dt.datetime | None = None) -> Path:
    """Write a backup folder into ``target_dir`` (a USB stick, say); returns its path.

    ``target_dir`` must exist: a stick that is not plugged in leaves its drive letter or
    mount point missing, and creating the folder then would put the "backup" on the
    internal disk, where it is lost with the PC."""
    target_dir = Path(target_dir)
    if not target_dir.is_dir():
        raise StorageError("backup_target_missing", path=str(target_dir))
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    final = _free_name(target_dir, stamp)
    work = final.with_name(final.name + ".partial")
    try:
        source = raw_connect(db.path, key)
        try:
            needed = _needed_bytes(source, db)
            if shutil.disk_usage(target_dir).free < needed:  # refused before a byte is written
                raise StorageError("disk_full", path=str(target_dir))
            work.mkdir()
            dest = raw_connect(work / DB_NAME, key)
            try:
                source.backup(dest)
                dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        finally:
            source.close()
        _copy_files(db, work)
        if is_encrypted(db.data_dir):
            shutil.copy2(db.data_dir / PROFILE_FILE, work / PROFILE_FILE)
        files = {p.relative_to(work).as_posix(): sha256_of(p)
                 for p in sorted(work.rglob("*")) if p.is_file()}
        (work / MANIFEST).write_text(json.dumps({"version": 1, "created": stamp,
                                                 "encrypted": key is not None, "files": files},
                                                ensure_ascii=False, indent=1), encoding="utf-8")
        for path in work.rglob("*"):
            if path.is_file():
                with path.open("rb") as fh:
                    os.fsync(fh.fileno())
        work.rename(final)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)   # never a partial backup left on the stick
        fault = storage_fault(exc, target_dir) if isinstance(exc, Exception) else None
        if isinstance(exc, OSError) and fault is None and not target_dir.is_dir():
            fault = StorageError("disk_gone", path=str(target_dir))  # the stick was pulled out
        if fault is not None and fault is not exc:
            raise fault from exc
        raise
    return final


def _listed(manifest: object, backup: Path) -> dict[str, str]:
    """The manifest's file list, each name a plain relative path, each digest a SHA-256."""
    def bad(detail: str) -> StorageError:
        return StorageError("backup_bad", path=str(backup), detail=detail)

    if not isinstance(manifest, dict) or manifest.get("version") != 1:
        raise bad(MANIFEST)
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise bad(MANIFEST)
    listed: dict[str, str] = {}
    for name, digest in files.items():
        if not isinstance(name, str) or not isinstance(digest, str) \
                or not _DIGEST.fullmatch(digest):
            raise bad(MANIFEST)
        rel = PurePosixPath(name.replace("\\", "/"))
        if (rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts)
                or ":" in name or rel.as_posix() == MANIFEST):
            raise bad(MANIFEST)
        listed[rel.as_posix()] = digest
    if DB_NAME not in listed:
        raise bad(DB_NAME)
    return listed


def _check_files(folder: Path, listed: dict[str, str], backup: Path) -> None:
    for name, digest in listed.items():
        path = folder / name
        if not path.is_file() or sha256_of(path) != digest:
            raise StorageError("backup_bad", path=str(backup), detail=name)


def check_backup(backup: Path) -> dict[str, object]:
    """The manifest, once every listed file is present and unchanged."""
    backup = Path(backup)
    if not backup.is_dir():
        raise StorageError("backup_missing", path=str(backup))
    try:
        path = backup / MANIFEST
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ValueError("too large")
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fault = storage_fault(exc, backup)
        if fault is not None and not isinstance(exc, FileNotFoundError):
            raise fault from exc
        raise StorageError("backup_bad", path=str(backup), detail=MANIFEST) from None
    listed = _listed(manifest, backup)
    try:
        _check_files(backup, listed, backup)
    except OSError as exc:
        raise storage_fault(exc, backup) or StorageError(
            "backup_bad", path=str(backup), detail=exc.strerror or "") from exc
    return {**manifest, "files": listed}


def restore_backup(backup: Path, data_dir: Path, *, key: bytes | None = None) -> Database:
    """Restore into an empty (or new) ``data_dir``: checked first, opened before it counts.

    Only the files the manifest lists are copied (a stray ``sotay.db-wal`` or anything else
    put beside them is not), into ``<data_dir>.restoring``, checked again there (a flaky
    stick can return other bytes the second time), opened with the key, and only then
    renamed into place. On any failure the staging folder is removed and ``data_dir`` is
    as it was."""
    backup = Path(backup)
    data_dir = Path(data_dir)
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise StorageError("restore_not_empty", path=str(data_dir))
    listed: dict[str, str] = check_backup(backup)["files"]  # type: ignore[assignment]
    staging = data_dir.with_name(data_dir.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        for name in listed:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(backup / name, target)
        _check_files(staging, listed, backup)
        db = open_database(staging, create=False, key=key)  # wrong key or damage: refused here
        db.close()
        if data_dir.exists():
            data_dir.rmdir()  # empty, checked above (rmdir refuses a non-empty folder)
        staging.rename(data_dir)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        fault = storage_fault(exc, data_dir.parent) if isinstance(exc, Exception) else None
        if fault is not None and fault is not exc:
            raise fault from exc
        raise
    db = open_database(data_dir, create=False, key=key)
    with db.reads() as session:  # the audit log's end mark for the restored chain
        audit_head.reset(session, get_meta(session, audit.PC_KEY))
    return db
