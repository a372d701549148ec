"""The dues book's papers: the year's book (PDF, XLSX) and the month's receipt slips, made
from the one ``DuesBook`` the screen shows; saved, printed and audited like a meeting's
papers (``usecases.papers``): a file is audited once it is on disk, a print once the
printer took it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.usecases.trace import leave_trace, write_trace

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sotay_core.domain.dues import Month
    from sotay_desktop.documents.dues_paper import BookHeader
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.usecases.workspace import Workspace

BOOK_FORMATS = ("pdf", "xlsx")


def book_header(ws: Workspace) -> BookHeader:
    """The branch, the commune above it, its place, today and the bí thư who signs."""
    from sotay_desktop.documents.dues_paper import BookHeader
    from sotay_desktop.services.branch import branch_info
    from sotay_desktop.services.meetings import committee_secretary, place_name

    today = ws.today()
    with ws.db.reads() as session:
        info = branch_info(session)
        if info is None:
            raise LookupError("no branch in this data folder")
        secretary = committee_secretary(session, info.branch.id, today)
    superior = info.superior.name if info.superior else ""
    return BookHeader(branch=info.branch.name, superior=superior,
                      place=place_name(superior or info.branch.name), made_on=today,
                      secretary=secretary[1] if secretary else "")


def book_bytes(ws: Workspace, year: int, fmt: str = "pdf") -> bytes:
    """The year's book as PDF or XLSX; a read, not audited (nothing left the PC)."""
    from sotay_desktop.usecases.dues import book

    if fmt not in BOOK_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    data, header = book(ws, year), book_header(ws)
    if fmt == "xlsx":
        from sotay_desktop.documents.dues_book_xlsx import render_book_xlsx

        return render_book_xlsx(data, header=header)
    from sotay_desktop.documents.dues_print import render_book_pdf

    return render_book_pdf(data, header=header)


def save_book(ws: Workspace, year: int, target: Path) -> Path:
    """The book written to ``target`` (its suffix names the format), then audited."""
    from sotay_desktop.services.files import write_file_atomically

    fmt = target.suffix.lower().lstrip(".")
    write_file_atomically(target, book_bytes(ws, year, fmt if fmt in BOOK_FORMATS else "pdf"))
    leave_trace(ws, "export", "dues_payments", "", f"book-{year}.{fmt}")
    return target


def book_printed(ws: Workspace, year: int) -> Changes:
    """The printer took the book (the window's print dialog): its audit row, as a write."""
    return write_trace(ws, "print", "dues_payments", "", f"book-{year}")


def receipts_bytes(ws: Workspace, month: Month, *,
                   member_ids: Iterable[str] | None = None, font_size: int = 20) -> bytes:
    from sotay_core.domain.errors import DomainError
    from sotay_desktop.db.tables import MemberRow
    from sotay_desktop.documents.dues_receipts import render_receipts_pdf
    from sotay_desktop.usecases.dues import book

    the_book = book(ws, month.year)
    if member_ids is not None:
        member_ids = list(member_ids)
        in_book = {line.member_id for line in the_book.lines}
        for member_id in member_ids:
            if member_id not in in_book:     # refused by name, not by id
                with ws.db.reads() as session:
                    row = session.get(MemberRow, member_id)
                raise DomainError("dues_print.member_not_in_book", year=month.year,
                                  member=row.full_name if row is not None else member_id)
    return render_receipts_pdf(the_book, header=book_header(ws), month=month,
                               member_ids=member_ids, font_size=font_size)


def save_receipts(ws: Workspace, month: Month, target: Path, *,
                  member_ids: Iterable[str] | None = None, font_size: int = 20) -> Path:
    """The month's receipt slips (large type) as a PDF, then audited."""
    from sotay_desktop.services.files import write_file_atomically

    write_file_atomically(target, receipts_bytes(ws, month, member_ids=member_ids,
                                                 font_size=font_size))
    leave_trace(ws, "export", "dues_payments", "", f"receipts-{month.year}-{month.month:02d}")
    return target
