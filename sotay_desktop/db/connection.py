"""The one place a database connection is opened (DB-API, no SQLAlchemy).

``make_engine`` builds its connections here too (``creator=``), so the pragmas
and, later, the SQLCipher key are applied in exactly one place.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def raw_connect(path: Path) -> sqlite3.Connection:
    """A connection with durable, checked settings; SQLAlchemy handles transactions."""
    connection = sqlite3.connect(str(path), check_same_thread=False)
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
