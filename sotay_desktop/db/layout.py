"""The layout of a branch data folder: its file names, declared once.

Standard library only: the first paint (``services/first_paint.py``) reads the database
before SQLAlchemy is imported, and the CLI checks a folder without opening it.

Layout of a data folder::

    sotay.db          the branch database (SQLite or SQLCipher, WAL, synchronous=FULL)
    profile.json      only in an encrypted folder: the wrapped keys (``security/``)
    audit-head.json   the audit chain's end mark (``services/audit_head.py``)
    files/ab/abcd…    stored files by SHA-256
    backups/          a copy of sotay.db taken before each schema upgrade
"""

from __future__ import annotations

from pathlib import Path

DB_NAME = "sotay.db"
PROFILE_FILE = "profile.json"
AUDIT_HEAD_FILE = "audit-head.json"
FILES_DIR = "files"
BACKUPS_DIR = "backups"


def profile_path(data_dir: Path) -> Path:
    return Path(data_dir) / PROFILE_FILE


def is_encrypted(data_dir: Path) -> bool:
    """An encrypted folder is one with a profile (its database cannot open without a key)."""
    return profile_path(data_dir).exists()
