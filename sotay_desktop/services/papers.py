"""A meeting's papers as files: the one use case behind "Lưu PDF", "Lưu DOCX", the print
preview and ``sotay meeting export``, so the window and the CLI issue the same paper and
refuse the same way (blank names, no resolution) before anything is written or audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.meeting_data import MeetingData, require_names

KINDS = ("minutes", "resolution", "invitation", "attendance")
FORMATS = ("pdf", "docx")


def _builder(kind: str) -> Callable[[MeetingData], Any]:
    from sotay_desktop.documents import party_docs

    return {"minutes": party_docs.build_minutes, "resolution": party_docs.build_resolution,
            "invitation": party_docs.build_invitation,
            "attendance": party_docs.build_attendance_sheet}[kind]


def render_paper(data: MeetingData, *, kind: str, fmt: str, unmarked: int = 0) -> bytes:
    """The paper's bytes; refuses an unknown kind or format, blank names, no resolution,
    and minutes while ``unmarked`` members of the roll call have no mark yet (the minutes
    would state a false total and attendance)."""
    if kind not in KINDS:
        raise DomainError("bad_choice", value=kind, choices=", ".join(KINDS))
    if fmt not in FORMATS:
        raise DomainError("bad_choice", value=fmt, choices=", ".join(FORMATS))
    require_names(data)     # no paper with blank names is printed, saved or audited
    if kind == "resolution" and data.resolution is None:
        raise DomainError("meeting_no_resolution")
    if kind == "minutes" and unmarked:
        raise DomainError("minutes_roll_call_open", count=unmarked)
    document = _builder(kind)(data)
    if fmt == "docx":
        from sotay_desktop.documents.docx_render import render_docx

        return render_docx(document)
    from sotay_desktop.documents.pdf_render import render_pdf

    return render_pdf(document)
