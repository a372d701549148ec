"""Document figures (issue 4): a 40-page packet at 20 pt, a resolution DOCX, and LibreOffice
converting that DOCX to PDF where it is installed; (issue 16) the pages of one copy per
member of a 55-member branch on A5 at 20 pt."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from sotay_desktop.documents.docx_render import render_docx
from sotay_desktop.documents.packet import PacketDocument, PacketRequest, page_count, render_packet
from sotay_desktop.documents.party_docs import build_resolution
from sotay_desktop.documents.pdf_render import render_pdf

PARAGRAPH = ("Các đồng chí đảng viên nêu cao tinh thần trách nhiệm, gương mẫu đi đầu trong thực "
             "hiện chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; tích cực "
             "tuyên truyền, vận động nhân dân tham gia xây dựng nông thôn mới.")


def _meeting():  # type: ignore[no-untyped-def]
    from tests.test_party_documents import _data

    return _data()


def _timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


MEMBERS_55 = tuple(f"Nguyễn Văn Thành {n}" for n in range(1, 56))
PAGES_BEFORE_55 = 550    # the same packet before issue 16 (cover alone, a page per section)


def packet_for_branch() -> dict[str, str]:
    """One copy per member of a 55-member branch, A5 at 20 pt: the agenda, the resolution
    of ``_meeting()`` and a 12-paragraph guidance document (about 2 A4 pages at 14 pt)."""
    request = PacketRequest(_meeting(), members=MEMBERS_55, documents=(PacketDocument(
        "Hướng dẫn học tập chuyên đề năm 2026", "12-HD/ĐU", "\n".join([PARAGRAPH] * 12)),),
        font_size=20, paper="a5")
    start = time.perf_counter()
    pdf = render_packet(request)
    seconds = time.perf_counter() - start
    pages = page_count(pdf)
    return {"what": "Large-type packet for a 55-member branch, one copy each, A5 at 20 pt "
                    "(agenda, resolution, a 12-paragraph document)",
            "figure": f"{pages} A5 pages ({pages // len(MEMBERS_55)} per copy; "
                      f"{PAGES_BEFORE_55} before issue 16), {seconds:.1f} s, "
                      f"{len(pdf) // 1024} KB",
            "target": f"< {PAGES_BEFORE_55} pages", "ok": str(pages < PAGES_BEFORE_55)}


def run() -> list[dict[str, str]]:
    meeting = _meeting()
    paragraphs = 10
    while True:   # find the document length that makes a 40-page packet at 20 pt
        request = PacketRequest(meeting, documents=(PacketDocument(
            "Chỉ thị", "12-CT/TU", "\n".join([PARAGRAPH] * paragraphs)),), font_size=20)
        pages = page_count(render_packet(request))
        if pages >= 40:
            break
        paragraphs += max(1, (40 - pages) * 2)
    packet_s = _timed(lambda: render_packet(request), 5)
    resolution = build_resolution(meeting)
    docx_s = _timed(lambda: render_docx(resolution), 10)
    pdf_s = _timed(lambda: render_pdf(resolution), 10)
    results = [
        {"what": f"Large-type packet, {pages} pages at 20 pt, one copy (reportlab, Noto Sans "
                 "embedded)", "figure": f"{packet_s:.2f} s median of 5", "target": "≤ 1.0 s",
         "ok": str(packet_s <= 1.0)},
        packet_for_branch(),
        {"what": "Resolution as DOCX (python-docx)", "figure": f"{docx_s * 1000:.0f} ms median",
         "target": "≤ 0.3 s", "ok": str(docx_s <= 0.3)},
        {"what": "The same resolution as PDF (reportlab, Tinos embedded)",
         "figure": f"{pdf_s * 1000:.0f} ms median", "target": "—", "ok": ""},
    ]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        results.append({"what": "LibreOffice headless DOCX → PDF of the same resolution",
                        "figure": "not installed on this machine (about 0.9–1.4 s elsewhere, "
                                  "shared/reference/ecosystem.md §4)", "target": "—", "ok": ""})
        return results
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "nq.docx"
        source.write_bytes(render_docx(resolution))
        profile = Path(tmp) / "profile"

        def convert() -> None:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", tmp, str(source)],
                           capture_output=True, check=True, timeout=120)

        convert()   # first run creates the profile
        office_s = _timed(convert, 3)
    results.append({"what": "LibreOffice headless DOCX → PDF of the same resolution",
                    "figure": f"{office_s:.2f} s median of 3 (ratio to our PDF: "
                              f"{office_s / pdf_s:.0f}×)", "target": "—", "ok": ""})
    return results
