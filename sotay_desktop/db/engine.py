"""Opening a branch data folder: the one place an engine is created, then migrations.

The folder's layout (``sotay.db``, ``files/``, ``backups/``…) is in ``db/layout.py``.

``make_engine`` takes an encrypted profile's key (SQLCipher via ``creator=``); nothing
else in the code creates an engine.
"""

from __future__ import annotations

import errno
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sotay_core import i18n
from sotay_desktop.db import schema_version
from sotay_desktop.db.access import check_may_write
from sotay_desktop.db.connection import dbapi, looks_like_sqlite, raw_connect
from sotay_desktop.db.faults import StorageError, is_disk_full, storage_fault
from sotay_desktop.db.layout import BACKUPS_DIR, DB_NAME, FILES_DIR, is_encrypted


@dataclass(frozen=True)
class Database:
    """An open branch folder.

    ``sessions`` is the write side: every transaction starts with ``BEGIN IMMEDIATE``, so it
    holds the write lock from its first statement and waits (busy timeout) for any other
    writer, in this process or another, instead of failing half-way. ``reads`` is the read
    side: connections that cannot write (``query_only``), which in WAL mode never wait for
    a writer. Screens read through ``reads`` and write only through the runner's writer.
    """

    data_dir: Path
    engine: Engine
    sessions: sessionmaker[Session]
    reader: Engine
    reads: sessionmaker[Session]

    @property
    def path(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def files_dir(self) -> Path:
        return self.data_dir / FILES_DIR

    def close(self) -> None:
        self.reader.dispose()
        self.engine.dispose()


def _begin_write(conn: object) -> None:
    check_may_write()
    conn.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]


def _begin_read(conn: object) -> None:
    conn.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]


def make_engine(path: Path, key: bytes | None = None, *, read_only: bool = False) -> Engine:
    """The only engine factory of the desktop; connections come from ``raw_connect``.

    The write engine begins every transaction with ``BEGIN IMMEDIATE`` (a deferred
    transaction that reads first and writes later cannot wait for the lock: SQLite
    answers "database is locked" at once). The read engine's connections are
    ``query_only``. Parameters never appear in error messages or logs (member data).
    """
    # The file URL picks SQLAlchemy's file-database pool; connections come from the creator.
    # ``module`` makes SQLAlchemy map SQLCipher's exceptions like sqlite3's.
    engine = create_engine(f"sqlite:///{path}",
                           creator=lambda: raw_connect(path, key, read_only=read_only),
                           module=dbapi(key), future=True, hide_parameters=True)
    event.listen(engine, "begin", _begin_read if read_only else _begin_write)
    return engine


def check_writable(data_dir: Path) -> None:
    """Create ``data_dir`` if needed and prove a file can be written there."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageError("disk_full", path=str(data_dir)) from exc
        detail = exc.strerror or str(exc)
        raise StorageError("dir_not_writable", path=str(data_dir), detail=detail) from exc


def _current_revision(engine: Engine, path: Path, encrypted: bool = False) -> str | None:
    try:
        with engine.connect() as conn:
            has_table = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
            ).first()
            if not has_table:
                others = conn.execute(
                    text("SELECT count(*) FROM sqlite_master WHERE type='table'")
                ).scalar_one()
                if others:
                    raise StorageError(
                        "db_corrupt", path=str(path), detail=i18n.t("db_no_schema_version")
                    )
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (DatabaseError, OperationalError) as exc:
        if (fault := storage_fault(exc, path.parent)) is not None:  # a full disk is no damage
            raise fault from exc
        if encrypted:  # SQLCipher cannot tell a wrong key from a damaged page 1
            raise StorageError("db_wrong_key", path=str(path)) from exc
        raise StorageError("db_corrupt", path=str(path), detail=str(exc.orig)) from exc


def run_migrations(engine: Engine, target: str = "head") -> None:
    """Upgrade with Alembic (imported lazily: only when the schema is behind)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def open_database(data_dir: Path, *, create: bool = True, key: bytes | None = None
                  ) -> Database:
    """Open (creating and migrating as needed) the branch database in ``data_dir``.

    Before a schema upgrade the file is copied to ``backups/`` so a crash during
    the upgrade on an old PC leaves a restorable copy. A file from a newer
    version is refused untouched; a damaged file is refused with its path named.
    """
    data_dir = Path(data_dir)
    path = data_dir / DB_NAME
    if not create and not path.exists():
        raise StorageError("no_branch", path=str(data_dir))
    check_writable(data_dir)
    if key is None and is_encrypted(data_dir):
        raise StorageError("profile_locked", path=str(data_dir))
    if key is None and path.exists() and path.stat().st_size and not looks_like_sqlite(path):
        raise StorageError("db_corrupt", path=str(path), detail=i18n.t("db_bad_header"))
    if key is not None and path.exists() and looks_like_sqlite(path):
        raise StorageError("db_not_encrypted", path=str(path))
    engine = make_engine(path, key)
    try:
        current = _current_revision(engine, path, encrypted=key is not None)
        if current not in (None, *schema_version.REVISIONS):
            raise StorageError("db_too_new", path=str(path), found=current)
        if current != schema_version.HEAD:
            if current is not None:
                _backup_before_upgrade(path, current, key)
            run_migrations(engine)
    except BaseException as exc:
        engine.dispose()
        if isinstance(exc, Exception) and is_disk_full(exc):  # an upgrade on a full disk
            raise StorageError("disk_full", path=str(data_dir)) from exc
        raise
    (data_dir / FILES_DIR).mkdir(exist_ok=True)
    reader = make_engine(path, key, read_only=True)
    return Database(data_dir, engine, sessionmaker(engine, expire_on_commit=False),
                    reader, sessionmaker(reader, expire_on_commit=False))


def _backup_before_upgrade(path: Path, revision: str, key: bytes | None = None) -> None:
    backups = path.parent / BACKUPS_DIR
    backups.mkdir(exist_ok=True)
    target = backups / f"{path.stem}-before-upgrade-from-{revision}.db"
    source = raw_connect(path, key)
    try:
        dest = raw_connect(target, key)  # an encrypted profile's backup is encrypted too
        try:
            source.backup(dest)  # consistent even with a WAL beside the file
        finally:
            dest.close()
    finally:
        source.close()


def integrity_problems(db: Database) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check``; an empty list means healthy."""
    problems: list[str] = []
    with db.reader.connect() as conn:
        for (row,) in conn.execute(text("PRAGMA integrity_check")):
            if row != "ok":
                problems.append(str(row))
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            problems.append(f"foreign key: {tuple(row)}")
    return problems

