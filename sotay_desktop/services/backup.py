"""Backups of a branch folder: consistent (SQLite's online backup, so a WAL beside the file
or a write in progress cannot tear it), encrypted when the profile is (the copy is made
through the same key), and checked on restore before anything is replaced.

A backup is a folder ``SoTay-backup-YYYYmmdd-HHMMSS`` holding ``sotay.db``, the stored
files, ``profile.json`` when the profile is encrypted, and ``manifest.json`` with the
SHA-256 of each file, so a truncated or altered backup is refused with a plain message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from sotay_desktop.db.connection import raw_connect
from sotay_desktop.db.engine import DB_NAME, Database, StorageError, open_database
from sotay_desktop.db.profile import PROFILE_FILE, is_encrypted
from sotay_desktop.services.files import sha256_of

MANIFEST = "manifest.json"


def make_backup(db: Database, target_dir: Path, *, key: bytes | None = None,
                now: dt.datetime | None = None) -> Path:
    """Write a backup folder into ``target_dir`` (a USB stick, say); returns its path."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    final = Path(target_dir) / f"SoTay-backup-{stamp}"
    work = final.with_name(final.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source = raw_connect(db.path, key)
    try:
        dest = raw_connect(work / DB_NAME, key)
        try:
            source.backup(dest)
            dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    finally:
        source.close()
    if db.files_dir.exists():
        shutil.copytree(db.files_dir, work / "files",
                        ignore=shutil.ignore_patterns("partial", "*.part"))
    if is_encrypted(db.data_dir):
        shutil.copy2(db.data_dir / PROFILE_FILE, work / PROFILE_FILE)
    files = {str(p.relative_to(work)): sha256_of(p) for p in sorted(work.rglob("*")) if p.is_file()}
    (work / MANIFEST).write_text(json.dumps({"version": 1, "created": stamp,
                                             "encrypted": key is not None, "files": files},
                                            ensure_ascii=False, indent=1), encoding="utf-8")
    for path in work.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
    work.rename(final)
    return final


def check_backup(backup: Path) -> dict[str, object]:
    """The manifest, once every listed file is present and unchanged."""
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
        listed: dict[str, str] = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorageError("backup_bad", path=str(backup), detail=str(exc)) from None
    for name, digest in listed.items():
        path = backup / name
        if not path.is_file() or sha256_of(path) != digest:
            raise StorageError("backup_bad", path=str(backup), detail=name)
    if DB_NAME not in listed:
        raise StorageError("backup_bad", path=str(backup), detail=DB_NAME)
    return dict(manifest)


def restore_backup(backup: Path, data_dir: Path, *, key: bytes | None = None) -> Database:
    """Restore into an empty (or new) ``data_dir``: checked first, opened before it counts."""
    check_backup(backup)
    data_dir = Path(data_dir)
    if (data_dir / DB_NAME).exists():
        raise StorageError("restore_not_empty", path=str(data_dir))
    staging = data_dir.with_name(data_dir.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(backup, staging, ignore=shutil.ignore_patterns(MANIFEST))
    db = open_database(staging, create=False, key=key)  # wrong key or damage: refused here
    db.close()
    if data_dir.exists():
        data_dir.rmdir()  # empty, checked above (rmdir refuses a non-empty folder)
    staging.rename(data_dir)
    return open_database(data_dir, create=False, key=key)
