"""What prints is what is saved (issue 16 §5): the preview and the printer get the saved
PDF's own pages, drawn by PDFium; compared pixel by pixel with the saved file."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageStat  # (installed with reportlab)
from PySide6 import QtGui, QtPrintSupport

from sotay_desktop.documents.packet import PacketRequest, render_packet
from sotay_desktop.documents.party_docs import (
    build_attendance_sheet,
    build_invitation,
    build_minutes,
    build_resolution,
)
from sotay_desktop.documents.pdf_render import render_pdf
from sotay_desktop.ui import printing
from tests.test_party_documents import _data

pytestmark = pytest.mark.gui
DPI = 300
MEAN, FAR = 2.5, 0.002      # a 1 mm shift gives about 9 and 0.05


def _grey_pages(pdf: bytes, dpi: int = DPI) -> list[Image.Image]:
    """Each page as PDFium draws it at ``dpi``, then averaged over 4×4 blocks: what the eye
    sees of a page, without the anti-aliasing of single glyph edges."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().reduce(4)
                for page in document]
    finally:
        document.close()


def _difference(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    """(mean absolute difference 0–255, share of pixels off by more than a quarter)."""
    assert abs(a.width - b.width) <= 1 and abs(a.height - b.height) <= 1, (a.size, b.size)
    box = (0, 0, min(a.width, b.width), min(a.height, b.height))
    diff = ImageChops.difference(a.crop(box), b.crop(box))
    far = sum(diff.histogram()[65:]) / (diff.width * diff.height)
    return ImageStat.Stat(diff).mean[0], far


def _print_to_pdf(pdf: bytes, target: Path, paper: QtGui.QPageSize) -> int:
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setPageSize(paper)
    return printing.paint_pdf(printer, pdf)


@pytest.mark.parametrize("builder", [build_minutes, build_resolution, build_invitation,
                                     build_attendance_sheet])
def test_the_printed_pages_are_the_saved_pages(qapp, tmp_path: Path, builder) -> None:  # type: ignore[no-untyped-def]
    saved = render_pdf(builder(_data()))
    target = tmp_path / "printed.pdf"
    assert _print_to_pdf(saved, target, printing.pdf_page_size(saved)) == len(_grey_pages(saved))
    printed, expected = _grey_pages(target.read_bytes()), _grey_pages(saved)
    assert len(printed) == len(expected)
    for page, (ours, theirs) in enumerate(zip(printed, expected, strict=True), start=1):
        mean, far = _difference(ours, theirs)
        assert mean < MEAN and far < FAR, (page, mean, far)


def test_the_comparison_sees_a_different_page(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The tolerance above is tight enough to tell two papers apart, or one moved by 1 mm."""
    minutes = render_pdf(build_minutes(_data()))
    invitation = render_pdf(build_invitation(_data()))
    target = tmp_path / "printed.pdf"
    _print_to_pdf(invitation, target, printing.pdf_page_size(invitation))
    mean, far = _difference(_grey_pages(target.read_bytes())[0], _grey_pages(minutes)[0])
    assert mean > MEAN and far > FAR
    page = _grey_pages(minutes)[0]
    shifted = Image.new("L", page.size, 255)
    shifted.paste(page, (0, round(DPI / 4 / 25.4)))       # 1 mm lower
    mean, far = _difference(shifted, page)
    assert mean > MEAN and far > FAR


def test_an_a5_packet_keeps_its_paper_and_the_preview_shows_every_page(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    pdf = render_packet(PacketRequest(_data(), members=("Nguyễn Văn An",), paper="a5"))
    assert printing.pdf_page_size(pdf).id() == QtGui.QPageSize.PageSizeId.A5
    printer = printing.make_printer("", "A4")
    printer.setPageSize(printing.pdf_page_size(pdf))
    widget = QtPrintSupport.QPrintPreviewWidget(printer)
    qtbot.addWidget(widget)
    painted: list[int] = []
    widget.paintRequested.connect(lambda target: painted.append(printing.paint_pdf(target, pdf)))
    widget.updatePreview()
    assert painted == [len(_grey_pages(pdf, 8))]
    assert widget.pageCount() == painted[0]


def test_a_broken_pdf_is_refused_without_printing(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(pypdfium2.PdfiumError):
        _print_to_pdf(b"%PDF-1.4 garbage", tmp_path / "x.pdf",
                      QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4))
