"""Backups of the data folder, the weekly reminder, and the status kept beside a profile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.services.changes import Changes

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace

BACKUP_DAYS = 7
LAST_BACKUP_KEY = "last_backup_at"


def backup(ws: Workspace, target_dir: Path) -> Path:
    """A checked, consistent (and, for a protected profile, encrypted) backup folder.

    The copy is a read (SQLite's backup API); the date of the backup is a write handed to
    the writer (``db.access.after_read``).
    """
    from sotay_desktop.db.access import after_read
    from sotay_desktop.services.backup import make_backup

    made = make_backup(ws.db, target_dir, key=ws.key)
    stamp = dt.datetime.now(dt.UTC).isoformat()
    after_read(lambda: _note_backup(ws, stamp))
    return made


def _note_backup(ws: Workspace, stamp: str) -> Changes:
    from sotay_desktop.db.meta import set_meta

    with ws.db.sessions.begin() as session:
        set_meta(session, LAST_BACKUP_KEY, stamp)
    return Changes.of("meta")


def backup_due(ws: Workspace) -> bool:
    """True when the last backup is older than a week (or there was none)."""
    from sotay_desktop.db.meta import get_meta

    with ws.db.reads() as session:
        last = get_meta(session, LAST_BACKUP_KEY)
    if not last:
        return True
    try:
        when = dt.datetime.fromisoformat(last)
    except ValueError:
        return True
    return dt.datetime.now(dt.UTC) - when > dt.timedelta(days=BACKUP_DAYS)


def record_profile_status(ws: Workspace) -> None:
    """For an encrypted profile: write the count of unsent changes beside it, in clear."""
    from sotay_desktop.db.meta import get_meta
    from sotay_desktop.security import profile
    from sotay_desktop.services.outbox import pending_count
    from sotay_desktop.services.sync.account import LAST_SYNC_KEY

    if ws.key is None:
        return
    with ws.db.reads() as session:
        pending = pending_count(session)
        last = get_meta(session, LAST_SYNC_KEY) or ""
    profile.record_status(ws.data_dir, pending=pending, last_sync=last)
