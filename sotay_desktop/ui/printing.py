"""Printing simple lists through Qt: preview and the system print dialog, or a PDF file.

Official Party documents have their own generators (documents/); this is for
working lists such as reminders, laid out as an HTML table.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6 import QtGui, QtPrintSupport, QtWidgets


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
