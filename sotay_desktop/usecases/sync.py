"""The sync with the province server: its state, enrolment, one sync, and what it left."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from sotay_desktop.services.changes import Changes
from sotay_desktop.services.read_models import SyncStatus

if TYPE_CHECKING:
    from sotay_desktop.services.sync.client import Enrolled
    from sotay_desktop.services.sync.report import SyncReport
    from sotay_desktop.usecases.workspace import Workspace


def sync_status(ws: Workspace) -> SyncStatus:
    from sotay_desktop.db.meta import get_meta
    from sotay_desktop.services import conflicts
    from sotay_desktop.services.sync import account, convergence, files

    with ws.db.reads() as session:
        acct = account.account(session)
        status = SyncStatus(
            enrolled=acct is not None, server_url=acct.server_url if acct else "",
            last_sync=get_meta(session, account.LAST_SYNC_KEY) or "",
            pending=conflicts.pending_changes(session),
            conflicts=list(conflicts.open_conflicts(session)),
            notices=list(conflicts.notices(session)),
            files_waiting=0, quarantined=list(conflicts.quarantined(session)),
            check=convergence.last_outcome(session))
    if status.enrolled:
        status = dataclasses.replace(status, files_waiting=files.pending_files(ws.db))
    return status


def enroll(ws: Workspace, server_url: str, code: str) -> Enrolled:
    from sotay_desktop.services.sync import client

    ws.transport = None
    return client.enroll(ws.db, server_url.strip(), code)


def sync(ws: Workspace, progress: Callable[[str, int, int], None] | None = None,
         cancel: Callable[[], bool] | None = None) -> SyncReport:
    """One sync; the connection is kept for the next one (keep-alive)."""
    from sotay_desktop.services.sync import client
    from sotay_desktop.services.sync.transport import SyncFailure

    if ws.transport is None:
        ws.transport = client.transport_for(ws.db)
    try:
        return client.run_sync(ws.db, ws.transport, progress=progress, cancel=cancel)
    except SyncFailure as exc:
        if not exc.retry:
            ws.transport = None  # revoked, re-enrolled…: read the credential again
        raise


def resolve_conflict(ws: Workspace, conflict_id: str, keep: str) -> Changes:
    """``keep``: which side of the conflict stays; the answer is synced like any change."""
    from sotay_desktop.services import conflicts

    with ws.db.sessions.begin() as session:
        conflicts.resolve(session, conflict_id, keep)
    return Changes.all()   # either side of any record may now be the one kept


def dismiss_notices(ws: Workspace) -> Changes:
    from sqlalchemy import update

    from sotay_desktop.db.tables import SyncNoticeRow

    with ws.db.sessions.begin() as session:
        session.execute(update(SyncNoticeRow).values(seen=True))
    return Changes.of("sync_notices")
