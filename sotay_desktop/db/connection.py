"""The one place a database connection is opened (DB-API, no SQLAlchemy).

``make_engine`` builds its connections here too (``creator=``), so the pragmas
and, later, the SQLCipher key are applied in exactly one place.
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


def raw_connect(path: Path, key: bytes | None = None) -> sqlite3.Connection:
    """A connection with durable, checked settings; SQLAlchemy handles transactions.

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
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()
    return connection


def looks_like_sqlite(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"
