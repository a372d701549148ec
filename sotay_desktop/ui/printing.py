"""Printing through Qt: preview and the system print dialog.

Official Party documents are printed from the very PDF that "Lưu PDF" saves: its pages
are drawn by PDFium (pypdfium2) onto the printer, so the preview, the paper and the
saved file are one rendering (``preview_pdf``, ``paint_pdf``). Working lists such as
reminders are laid out as an HTML table (``preview``, ``to_pdf``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets

# Pages are rasterised at this many dots per inch at most, in 8-bit grey (the papers are
# black on white): an A4 page is 8.7 MB, sharp on a 300 or 600 dpi office printer.
PRINT_DPI = 300


def table_html(title: str, subtitle: str, header: Sequence[str],
               rows: Sequence[Sequence[str]], *, point_size: int = 13) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f"<html><body style='font-size:{point_size}pt'>"
            f"<h2 align='center'>{html.escape(title)}</h2>"
            f"<p align='center'><i>{html.escape(subtitle)}</i></p>"
            f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<tr>{head}</tr>{body}</table></body></html>")


def _document(content: str) -> QtGui.QTextDocument:
    document = QtGui.QTextDocument()
    document.setHtml(content)
    return document


def to_pdf(content: str, path: str) -> None:
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4))
    printer.setOutputFileName(path)
    _document(content).print_(printer)


PAPERS = {"A4": QtGui.QPageSize.PageSizeId.A4, "A5": QtGui.QPageSize.PageSizeId.A5}


def make_printer(printer_name: str = "", paper: str = "A4") -> QtPrintSupport.QPrinter:
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    if printer_name:
        printer.setPrinterName(printer_name)
    printer.setPageSize(QtGui.QPageSize(PAPERS.get(paper, QtGui.QPageSize.PageSizeId.A4)))
    return printer


def chosen(printer: QtPrintSupport.QPrinter) -> tuple[str, str]:
    """(printer name, "A4"/"A5") as the user left them, to remember for next time."""
    size = printer.pageLayout().pageSize().id()
    paper = next((name for name, page in PAPERS.items() if page == size), "A4")
    return printer.printerName(), paper


def preview(parent: QtWidgets.QWidget, content: str, *, printer_name: str = "",
            paper: str = "A4") -> tuple[str, str]:
    """Print preview with the system print dialog behind its print button.

    Returns the printer and paper chosen, so the caller can remember them.
    """
    # Keep Python references to everything handed to C++ until the dialog closes
    # (a temporary QPrinter here crashes: see shared/reference/ecosystem.md §1).
    printer = make_printer(printer_name, paper)
    document = _document(content)
    dialog = QtPrintSupport.QPrintPreviewDialog(printer, parent)
    dialog.paintRequested.connect(document.print_)
    dialog._keep = (printer, document)  # type: ignore[attr-defined]
    dialog.exec()
    return chosen(printer)


def pdf_page_size(pdf: bytes) -> QtGui.QPageSize:
    """The first page's size, as a named size when it is one (A4, A5)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    size = QtCore.QSizeF(width, height)
    return QtGui.QPageSize(QtGui.QPageSize.id(size, QtGui.QPageSize.Unit.Point,
                                              QtGui.QPageSize.SizeMatchPolicy.FuzzyMatch))


def paint_pdf(printer: QtPrintSupport.QPrinter, pdf: bytes, *, dpi: int = PRINT_DPI) -> int:
    """Draw every page of ``pdf`` onto ``printer`` (a printer, a preview, a PDF file), each
    page filling the sheet as it fills its own: nothing is laid out again. Returns the
    number of pages drawn. One page is in memory at a time (QImage is shared with the
    engine, which copies what it keeps)."""
    import pypdfium2

    printer.setFullPage(True)        # the PDF page carries its own margins
    document = pypdfium2.PdfDocument(pdf)
    painter = QtGui.QPainter()
    if not painter.begin(printer):
        document.close()
        raise OSError("the printer cannot be opened")
    # the preview shows the page smaller than it was drawn: filter, do not drop pixels
    painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform)
    try:
        resolution = min(printer.resolution(), dpi)
        for index in range(len(document)):
            if index:
                printer.newPage()
            page = document[index]
            bitmap = page.render(scale=resolution / 72, grayscale=True)
            if bitmap.n_channels != 1:
                raise ValueError("PDFium did not give a grey page")
            qimage = QtGui.QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height,
                                  bitmap.stride, QtGui.QImage.Format.Format_Grayscale8).copy()
            paper = printer.paperRect(QtPrintSupport.QPrinter.Unit.DevicePixel)
            width, height = page.get_size()                 # points
            natural = QtCore.QSizeF(width / 72 * printer.resolution(),
                                    height / 72 * printer.resolution())
            if (abs(natural.width() - paper.width()) > printer.resolution() / 36
                    or abs(natural.height() - paper.height()) > printer.resolution() / 36):
                # another paper than the PDF's (over 2 pt off): fit, keeping proportions
                scale = min(paper.width() / natural.width(), paper.height() / natural.height())
                natural = QtCore.QSizeF(natural.width() * scale, natural.height() * scale)
            # the same paper: true size, centred (Qt rounds A4 to whole points)
            painter.drawImage(QtCore.QRectF(QtCore.QPointF(
                (paper.width() - natural.width()) / 2, (paper.height() - natural.height()) / 2),
                natural), qimage)
        return len(document)
    finally:
        painter.end()
        document.close()


def preview_pdf(parent: QtWidgets.QWidget, pdf: bytes, *, printer_name: str = "",
                paper: str = "") -> tuple[str, str]:
    """Print preview of the saved PDF's own pages, with the system print dialog behind its
    print button. The paper follows the PDF (A4 papers, A5 packets) unless ``paper`` is
    given. Returns the printer and paper chosen, to remember."""
    printer = make_printer(printer_name, paper or "A4")
    if not paper:
        printer.setPageSize(pdf_page_size(pdf))
    dialog = QtPrintSupport.QPrintPreviewDialog(printer, parent)
    dialog.paintRequested.connect(lambda target: paint_pdf(target, pdf))
    dialog._keep = (printer, pdf)  # type: ignore[attr-defined]
    dialog.exec()
    return chosen(printer)
