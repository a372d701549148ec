"""The roster as a file: importing a sheet (previewed first, undoable), exporting Mẫu 7."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.usecases.trace import leave_trace

if TYPE_CHECKING:
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.roster_io import ImportPreview
    from sotay_desktop.usecases.workspace import Workspace


def preview_import(ws: Workspace, path: Path,
                   mapping: dict[int, str] | None = None) -> ImportPreview:
    """``mapping``: columns the secretary assigned by hand in the preview."""
    from sotay_desktop.services import roster_io

    with ws.db.reads() as session:
        return roster_io.preview_import(session, path=path, today=ws.today(), mapping=mapping)


def import_valid(ws: Workspace, preview: ImportPreview) -> tuple[int, Changes]:
    """The preview's valid rows, in one transaction; the whole import is one undo (Home)."""
    from sotay_desktop.services import roster_io, undo

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        before = undo.member_ids(session)
        count, changes = roster_io.import_valid(session, preview=preview, unit_id=unit_id,
                                                today=ws.today())
        created = undo.member_ids(session) - before
        if created:
            undo.remember(session, kind="import", ids=created, label=preview.file_name)
    return count, changes


def export_roster(ws: Workspace, target: Path) -> Path:
    """The roster as Mẫu 7-HSĐV (.xlsx); audited once the file is written."""
    from sotay_desktop.services import roster_io
    from sotay_desktop.services.files import write_file_atomically

    with ws.db.reads() as session:
        data = roster_io.export_roster_xlsx(session, today=ws.today())
    write_file_atomically(target, data)
    leave_trace(ws, "export", "members", detail="roster Mẫu 7-HSĐV")
    return target
