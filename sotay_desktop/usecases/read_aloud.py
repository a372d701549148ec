"""A document of the library read aloud into a WAV file (issue 21, optional; off in the
window by default: the setting ``read_aloud``). ``services.read_aloud`` does the work; the
file written is an export of the document and leaves its audit row once it is on disk."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sotay_desktop.services.read_aloud import Spoken
    from sotay_desktop.usecases.workspace import Workspace


def available() -> bool:
    from sotay_desktop.services import read_aloud

    return read_aloud.program() is not None


def read_document(ws: Workspace, document: str, out: Path) -> Spoken:
    """``document``: its id or exact number. Runs for seconds to minutes: off the UI thread."""
    from sotay_desktop.services import read_aloud
    from sotay_desktop.usecases.trace import leave_trace

    with ws.db.reads() as session:
        document_id, _title, text = read_aloud.document_text(session, document)
    spoken = read_aloud.speak_to_wav(text, out)
    leave_trace(ws, "export", "documents", document_id, detail="read_aloud")
    return spoken
