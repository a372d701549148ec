"""The documents library: search, add a file, bookmark, open a copy in the system viewer."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_core.domain.entities import DocumentOrigin

if TYPE_CHECKING:
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.documents import DocumentAdded, DocumentHit
    from sotay_desktop.usecases.workspace import Workspace


def search_documents(ws: Workspace, query: str = "", *, origin: DocumentOrigin | None = None,
                     bookmarked_only: bool = False) -> list[DocumentHit]:
    from sotay_desktop.services import documents

    with ws.db.reads() as session:
        return documents.search_documents(session, query=query, origin=origin,
                                          bookmarked_only=bookmarked_only)


def add_document(ws: Workspace, path: Path,
                 metadata: Mapping[str, object]) -> tuple[DocumentAdded, Changes]:
    """``metadata``: number, title, issuer, dates … as typed (checked by the service)."""
    from sotay_desktop.services import documents

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return documents.add_document(session, files_dir=ws.db.files_dir, unit_id=unit_id,
                                      path=path, metadata=metadata, today=ws.today())


def set_bookmark(ws: Workspace, document_id: str, on: bool) -> Changes:
    from sotay_desktop.services import documents

    with ws.db.sessions.begin() as session:
        return documents.set_bookmark(session, document_id=document_id, on=on)


def document_copy(ws: Workspace, document_id: str) -> Path:
    """A copy of the document's file under its own name, for the system viewer.

    Copies live in the data folder's ``open/`` (emptied at each start), not in the shared
    temporary folder of the PC.
    """
    from sotay_desktop.services import documents
    from sotay_desktop.services.files import export_copy

    with ws.db.reads() as session:
        sha, name = documents.document_file(session, document_id)
    return export_copy(ws.db.files_dir, sha, name, ws.db.data_dir / "open" / sha[:12])


def clear_open_copies(ws: Workspace) -> None:
    shutil.rmtree(ws.data_dir / "open", ignore_errors=True)
