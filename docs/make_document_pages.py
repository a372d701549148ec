"""Rendered pages of generated documents for the README: minutes, resolution, packet, the
month's papers (the dues book, receipt slips, the monthly report) and the annual review's
(a member's self-review form in normal and large type, the review's minutes and report).

Builds them from a demo branch, writes the PDFs to a temporary folder and turns
the first pages into PNGs with pdftoppm (Debian poppler-utils).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from sotay_core.domain.dues import Month
from sotay_desktop.db.engine import open_database
from sotay_desktop.documents.packet import render_packet
from sotay_desktop.documents.party_docs import build_minutes, build_resolution
from sotay_desktop.documents.pdf_render import render_pdf
from sotay_desktop.services.demo import create_demo
from sotay_desktop.services.meetings import list_meetings, meeting_data, packet_request
from sotay_desktop.usecases import dues_papers, report
from sotay_desktop.usecases.workspace import Workspace

OUT = Path(__file__).parent / "screenshots"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "branch")
        with db.sessions.begin() as session:
            create_demo(session, members=60, as_of=dt.date(2026, 11, 22))
        with db.reads() as session:
            meeting = list_meetings(session)[1]
            data = meeting_data(session, meeting.id)
            request = packet_request(session, meeting_id=meeting.id, font_size=20)
        ws = Workspace(db, today=lambda: dt.date(2026, 11, 22))
        month_papers = {
            "dues-book": dues_papers.book_bytes(ws, 2026),
            "dues-receipts": dues_papers.receipts_bytes(ws, Month(2026, 10)),
            "monthly-report": report.report_paper(ws, "2026-10"),
        }
        db.close()
        outputs = {
            "minutes": render_pdf(build_minutes(data)),
            "resolution": render_pdf(build_resolution(data)),
            "packet": render_packet(request),
            **month_papers,
        }
        for name, pdf in outputs.items():
            path = folder / f"{name}.pdf"
            path.write_bytes(pdf)
            last = "3" if name == "packet" else "1" if name == "dues-receipts" else "2"
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", last, str(path),
                            str(OUT / f"doc-{name}")], check=True)
        review_pages(folder)
    return 0


def review_pages(folder: Path) -> None:
    """The annual review's papers, from a campaign built as plain data (tests/review_fixtures):
    one page of each, as doc-review-<paper>.png."""
    from sotay_desktop.documents.review_form import render_forms
    from sotay_desktop.documents.review_minutes import render_minutes
    from sotay_desktop.documents.review_report import render_report
    from tests import review_fixtures

    view, info = review_fixtures.campaign(12), review_fixtures.info()
    pages = {
        "review-form": (render_forms(view, "pdf", info=info, member_id="m1"), 1),
        "review-form-large": (render_forms(view, "pdf", info=info, member_id="m1", large=True),
                              1),
        "review-minutes": (render_minutes(view, "pdf", info=info), 2),
        "review-report": (render_report(view, "pdf", info=info), 1),
    }
    for name, (pdf, page) in pages.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l",
                        str(page), str(path), str(OUT / f"doc-{name}")], check=True)


if __name__ == "__main__":
    sys.exit(main())
