"""A meeting's papers: previewed, saved as a file, printed, and the large-type packet.

The window and the CLI issue the same paper and refuse the same way (blank names, no
resolution, an open roll call) before anything is written or audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.usecases.trace import leave_trace, write_trace

if TYPE_CHECKING:
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.usecases.workspace import Workspace


@dataclass(frozen=True, slots=True)
class PacketMade:
    path: Path
    pages: int
    copies: int


def meeting_paper(ws: Workspace, meeting_id: str, kind: str, fmt: str = "pdf") -> bytes:
    """The paper's bytes (``services.papers``); a read, not audited (nothing left the PC)."""
    from sotay_desktop.services import meetings
    from sotay_desktop.services.attendance import unmarked
    from sotay_desktop.services.papers import render_paper

    with ws.db.reads() as session:
        data = meetings.meeting_data(session, meeting_id)
        open_calls = unmarked(session, meeting_id) if kind == "minutes" else 0
    return render_paper(data, kind=kind, fmt=fmt, unmarked=open_calls)


def save_meeting_paper(ws: Workspace, meeting_id: str, kind: str, fmt: str,
                       target: Path) -> Path:
    """Write the paper to ``target``; the export is audited once the file is there."""
    from sotay_desktop.services.files import write_file_atomically

    write_file_atomically(target, meeting_paper(ws, meeting_id, kind, fmt))
    leave_trace(ws, "export", "meetings", meeting_id, f"{kind}.{fmt}")
    return target


def paper_printed(ws: Workspace, meeting_id: str, kind: str) -> Changes:
    """The printer took the paper (the window's print dialog): its audit row, as a write."""
    return write_trace(ws, "print", "meetings", meeting_id, kind)


def packet(ws: Workspace, meeting_id: str, target: Path, *, members: str = "",
           document_ids: tuple[str, ...] = (), font_size: int = 20,
           paper: str = "a4") -> PacketMade:
    """The large-type packet, one copy per named member; audited once written."""
    from sotay_desktop.documents.packet import page_count, render_packet
    from sotay_desktop.services.files import write_file_atomically
    from sotay_desktop.services.meetings import packet_request

    with ws.db.reads() as session:
        request = packet_request(session, meeting_id=meeting_id, members=members,
                                 document_ids=document_ids, font_size=font_size, paper=paper)
    pdf = render_packet(request)
    write_file_atomically(target, pdf)
    leave_trace(ws, "print", "meetings", meeting_id, detail="packet")
    return PacketMade(target, page_count(pdf), max(1, len(request.members)))
