"""Tables of the Party documents keep real column widths (issue 16 §5): in the DOCX grid,
in the PDF, and through a LibreOffice round trip; names and "STT" stay on one line."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pypdfium2
import pytest
from docx.oxml.ns import qn
from PIL import ImageFont  # (installed with reportlab)

from sotay_core.domain.entities import Attendance as A
from sotay_desktop.documents.docx_render import render_docx
from sotay_desktop.documents.meeting_data import Attendee
from sotay_desktop.documents.party_docs import build_attendance_sheet
from sotay_desktop.documents.pdf_render import render_pdf
from sotay_desktop.resources import font_path, resources_dir
from tests.test_party_documents import _data

NAMES = ("Tôn Nữ Hoàng Thị Minh Nguyệt", "Nguyễn Hữu Thượng Quang", "Phạm Thị Ngọc Huyền",
         "Lê Văn Cường", "Nguyễn Thị Phương Thảo")
USABLE_PT = (210 - 30 - 15) / 25.4 * 72


def _sheet() -> bytes:
    people = tuple(Attendee(n, i != 2, A.ABSENT_EXCUSED if i == 1 else A.PRESENT,
                            "Ốm nằm viện" if i == 1 else "") for i, n in enumerate(NAMES))
    return render_docx(build_attendance_sheet(_data(attendees=people)))


def _text_pt(text: str, size: float, bold: bool = False) -> float:
    """Measured with FreeType through Pillow, not with the code under test."""
    font = ImageFont.truetype(str(font_path("serif-bold" if bold else "serif")), 1000)
    return font.getlength(unicodedata.normalize("NFC", text)) * size / 1000


def test_widths_are_written_in_the_grid_and_every_cell() -> None:
    document = docx.Document(io.BytesIO(_sheet()))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 5 and abs(sum(grid) - USABLE_PT) < 2
    for row in table.rows:
        assert [round(c.width.pt) for c in row.cells] == [round(w) for w in grid]
    margins = properties.find(qn("w:tblCellMar"))
    padding = sum(int(m.get(qn("w:w"))) / 20 for m in margins)
    size = 13       # body 14 pt less one in tables
    assert grid[0] >= _text_pt("STT", size, bold=True) + padding            # "ST/T" no more
    assert grid[1] >= max(_text_pt(n, size) for n in NAMES) + padding      # names on a line
    assert grid[2] >= _text_pt("Chính thức", size) + padding
    assert grid[3] > grid[2] and grid[3] > grid[0]   # what is left goes to the long texts


def _lines(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return [unicodedata.normalize("NFC", line).strip()
            for line in text.replace("\r", "\n").split("\n") if line.strip()]


def _one_line_each(lines: list[str]) -> None:
    assert any(line.startswith("STT") for line in lines), lines[:20]
    for name in NAMES:
        assert any(name in line for line in lines), (name, lines)


def test_names_and_stt_stay_on_one_line_in_the_pdf() -> None:
    people = tuple(Attendee(n, True, A.PRESENT) for n in NAMES)
    _one_line_each(_lines(render_pdf(build_attendance_sheet(_data(attendees=people)))))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_the_widths(tmp_path: Path) -> None:
    """Converted by LibreOffice with Tinos standing in for Times New Roman (the same metrics,
    as Windows has it), the names and "STT" still do not break."""
    source = tmp_path / "danh-sach.docx"
    source.write_bytes(_sheet())
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{resources_dir() / 'fonts'}</dir></fontconfig>", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "FONTCONFIG_FILE": str(config)})
    _one_line_each(_lines((tmp_path / "danh-sach.pdf").read_bytes()))


def _long_minutes() -> tuple[bytes, bytes]:
    from sotay_desktop.documents.meeting_data import Speaker
    from sotay_desktop.documents.party_docs import build_minutes

    speakers = tuple(Speaker(n, "nhất trí với dự thảo nghị quyết, đề nghị bổ sung giải pháp "
                                "cụ thể cho từng tổ.") for n in NAMES)
    for count in range(1, 40):       # grow the minutes until the signatures reach page 2
        document = build_minutes(_data(speakers=speakers * count))
        pdf = render_pdf(document)
        if "THƯ KÝ" not in _lines_of_page(pdf, 0):
            return pdf, render_docx(document)
    raise AssertionError("the minutes never reached a second page")


def _lines_of_page(pdf: bytes, index: int) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return unicodedata.normalize("NFC", document[index].get_textpage().get_text_range())
    finally:
        document.close()


def test_the_signatures_never_stand_alone_on_the_last_page() -> None:
    pdf, docx_bytes = _long_minutes()
    document = pypdfium2.PdfDocument(pdf)
    last = len(document) - 1
    document.close()
    page = " ".join(_lines_of_page(pdf, last).split())
    assert "THƯ KÝ" in page and "Biên bản đã được đọc lại" in page
    paragraphs = [p for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs if p.text]
    assert paragraphs[-1].text.startswith("Buổi sinh hoạt kết thúc")
    assert paragraphs[-1].paragraph_format.keep_with_next
