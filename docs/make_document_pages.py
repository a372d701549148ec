"""Rendered pages of generated documents for the README: minutes, resolution, packet, and the
month's papers (the dues book, receipt slips, the monthly report).

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
