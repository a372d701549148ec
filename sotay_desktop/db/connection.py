"""The one place a database connection is opened (DB-API, no SQLAlchemy).

``make_engine`` builds its connections here too (``creator=``), so the pragmas
and the SQLCipher key are applied in exactly one place.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def dbapi(key: bytes | None) -> Any:
    """The DB-API module: sqlite3, or SQLCipher's (same API) for an encrypted profile."""
    if key is None:
        return sqlite3
    import sqlcipher3.dbapi2

    return sqlcipher3.dbapi2


# How long a writer waits for another writer (this process's writer thread, the sync, a CLI
# import or a second window on the same folder) before giving up. Writers hold the lock for
# one short transaction each, so a minute is generous; the wait happens off the UI thread.
WRITE_WAIT_MS = 60_000
# Readers in WAL mode never wait for writers; they only wait out a checkpoint or recovery.
READ_WAIT_MS = 10_000


def raw_connect(path: Path, key: bytes | None = None, *,
                read_only: bool = False) -> sqlite3.Connection:
    """A connection with durable, checked settings; SQLAlchemy handles transactions.

    ``read_only`` gives a connection that cannot write (``PRAGMA query_only``): the read
    side of the app uses only such connections, so a read that writes fails at once, in a
    test, instead of racing the writer for the lock on a secretary's screen.

    With ``key`` (32 bytes) the file is SQLCipher 4, keyed with the raw key (SQLCipher's
    own KDF is skipped: the key already comes from Argon2id). A wrong key fails here, at
    the first read, not later in the middle of the app.
    """
    module = dbapi(key)
    connection: sqlite3.Connection = module.connect(str(path), check_same_thread=False)
    if key is not None:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except module.DatabaseError:
            connection.close()
            raise
    # Let the caller (SQLAlchemy), not the driver, open transactions: pysqlite's default
    # is broken for SAVEPOINT and DDL. A commit that returned is on disk (FULL).
    connection.isolation_level = None
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:  # the file is already in WAL mode: the writer set it when it opened
            cursor.execute(f"PRAGMA busy_timeout = {READ_WAIT_MS}")
            cursor.execute("PRAGMA query_only = 1")
        else:
            cursor.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()
    return connection


def looks_like_sqlite(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"
