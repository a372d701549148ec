"""The monthly report to the commune: read one month, save it, regenerate its figures, mark it
sent, and its paper (DOCX/PDF) saved or printed. The window and ``sotay report month`` call
these; an export or a print is audited once it succeeded (``trace``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.usecases.trace import leave_trace, write_trace

if TYPE_CHECKING:
    from sotay_core.domain.dues import Month
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.monthly_report import ReportView
    from sotay_desktop.usecases.workspace import Workspace

ENTITY = "monthly_reports"


def month_report(ws: Workspace, month: Month | str) -> ReportView:
    """The saved report of the month (or fresh figures when none is saved); a read."""
    from sotay_desktop.services import monthly_report as service

    with ws.db.reads() as session:
        return service.view(session, month=month, today=ws.today())


def save_report(ws: Workspace, month: Month | str, *, remarks: str | None = None,
                regenerate: bool = False) -> tuple[str, Changes]:
    """Create or change the month's report (``remarks`` None: kept); ``regenerate`` reads the
    figures again from the records and keeps the remarks."""
    from sotay_desktop.services import monthly_report as service

    with ws.db.sessions.begin() as session:
        return service.save(session, month=month, today=ws.today(), remarks=remarks,
                            regenerate=regenerate)


def mark_sent(ws: Workspace, month: Month | str, *,
              remarks: str | None = None) -> tuple[str, Changes]:
    """Status sent, today; it goes up with the next sync."""
    from sotay_desktop.services import monthly_report as service

    with ws.db.sessions.begin() as session:
        return service.mark_sent(session, month=month, today=ws.today(), remarks=remarks)


def report_paper(ws: Workspace, month: Month | str, fmt: str = "pdf") -> bytes:
    """The paper's bytes (the saved report, else fresh figures); a read, not audited."""
    from sotay_desktop.documents.monthly_report_doc import render_report
    from sotay_desktop.services import monthly_report as service

    with ws.db.reads() as session:
        paper = service.paper(session, month=month, today=ws.today())
    return render_report(paper, fmt)


def save_report_paper(ws: Workspace, month: Month | str, fmt: str, target: Path) -> Path:
    """Write the paper to ``target``; the export is audited once the file is there."""
    from sotay_desktop.services.files import write_file_atomically

    write_file_atomically(target, report_paper(ws, month, fmt))
    leave_trace(ws, "export", ENTITY, _key(month), f"report.{fmt}")
    return target


def report_printed(ws: Workspace, month: Month | str) -> Changes:
    """The printer took the paper (the window's print dialog): its audit row, as a write."""
    return write_trace(ws, "print", ENTITY, _key(month), "report")


def _key(month: Month | str) -> str:
    """The month as the audit names it, "2026-03"."""
    return month if isinstance(month, str) else month.key
