"""The audit of a view, an export or a print: written here and nowhere else.

A use case that shows a member, writes a file or prints calls ``leave_trace`` once the act
succeeded (the record was read, the file is on disk, the printer took the pages), so a
refusal leaves no row. A read never writes in its own transaction: inside the window's
query the row is handed to the single writer (``db.access.after_read``); where there is no
window (the CLI) it is written after the read, in its own ``BEGIN IMMEDIATE`` transaction.
Either way the same rows, with the same fields, in the order the acts happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from sotay_desktop.services.changes import Changes

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace

Act = Literal["view", "export", "print"]
AUDIT_CHANGES = Changes.of("audit_log")


def leave_trace(ws: Workspace, action: Act, entity: str, row_id: str = "",
                detail: str = "") -> None:
    """Call after the act succeeded; safe from a query (the writer writes the row)."""
    from sotay_desktop.db.access import after_read

    after_read(lambda: write_trace(ws, action, entity, row_id, detail))


def write_trace(ws: Workspace, action: Act, entity: str, row_id: str = "",
                detail: str = "") -> Changes:
    """The audit row itself, in its own write transaction (an operation of the writer)."""
    from sotay_desktop.services import audit

    with ws.db.sessions.begin() as session:
        audit.record(session, action, entity=entity, row_id=row_id, detail=detail)
    return AUDIT_CHANGES
