"""The audit log as the person sees it: the latest entries, and the log saved as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.usecases.trace import leave_trace

if TYPE_CHECKING:
    from sotay_desktop.services.audit import Entry
    from sotay_desktop.usecases.workspace import Workspace


def audit_entries(ws: Workspace, limit: int = 500) -> list[Entry]:
    """Newest first."""
    from sotay_desktop.services import audit

    with ws.db.reads() as session:
        return list(audit.entries(session, limit=limit))


def export_audit(ws: Workspace, target: Path) -> int:
    """The whole log as CSV; the export is itself audited once the file is written."""
    from sotay_desktop.services import audit

    with ws.db.reads() as session:
        count = audit.export_csv(session, target)
    leave_trace(ws, "export", "audit_log", detail="CSV")
    return count
