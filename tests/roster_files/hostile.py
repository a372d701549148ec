"""Hostile files, made by the tests in a temporary folder (never committed): zip bombs, a
1 GB cell, a sheet 16,000 columns wide, a DOCX and a PDF that inflate to a gigabyte."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def zip_bomb_xlsx(path: Path, size: int = 1024 ** 3) -> Path:
    """An XLSX whose sheet unpacks to ``size`` bytes (a few MB on disk)."""
    source = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Họ và tên", "Ngày sinh"])  # type: ignore[union-attr]
    book.save(source)
    source.seek(0)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
                    head = src.read(info).split(b"</sheetData>")[0]
                    handle.write(head)
                    chunk = b"<!-- " + b"a" * (1024 * 1024 - 9) + b" -->"
                    for _ in range(size // len(chunk)):
                        handle.write(chunk)
                    handle.write(b"</sheetData></worksheet>")
            else:
                out.writestr(info, src.read(info))
    return path


def huge_cell_xlsx(path: Path, size: int = 1024 ** 3) -> Path:
    """One shared string of ``size`` characters in an otherwise ordinary roster."""
    return _strings_bomb(path, size)


def _strings_bomb(path: Path, size: int) -> Path:
    source = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Ghi chú"])
    sheet.append(["Nguyễn Văn Hùng", "x"])
    book.save(source)
    source.seek(0)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if b"<t>x</t>" not in data:   # the cell's text: in sharedStrings.xml or inline
                out.writestr(info, data)
                continue
            head, _, tail = data.partition(b"<t>x</t>")
            with out.open(info.filename, "w", force_zip64=True) as handle:
                handle.write(head + b"<t>")
                block = b"A" * (1024 * 1024)
                for _ in range(size // len(block)):
                    handle.write(block)
                handle.write(b"</t>" + tail)
    return path


def wide_xlsx(path: Path, columns: int = 16_000) -> Path:
    """A sheet 16,000 columns wide, written as streaming XML (openpyxl write-only)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Họ và tên", *[f"Cột {i}" for i in range(columns)]])
    sheet.append(["Nguyễn Văn Hùng", *range(columns)])
    book.save(path)
    return path


def huge_cell_csv(path: Path, size: int = 1024 ** 3) -> Path:
    """A CSV whose one cell is ``size`` bytes, written sparsely (no disk used for the hole)."""
    with open(path, "wb") as handle:
        handle.write("Họ và tên;Ghi chú\r\nNguyễn Văn Hùng;".encode())
        handle.seek(size, 1)
        handle.write(b"x\r\n")
    return path


def docx_bomb(path: Path, size: int = 1024 ** 3) -> Path:
    """A DOCX whose word/document.xml unpacks to ``size`` bytes."""
    import docx

    source = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Nghị quyết chi bộ")
    document.save(source)
    source.seek(0)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                out.writestr(info, data)
                continue
            head, _, tail = data.partition(b"</w:body>")
            with out.open(info.filename, "w", force_zip64=True) as handle:
                handle.write(head)
                chunk = b"<!-- " + b"a" * (1024 * 1024 - 9) + b" -->"
                for _ in range(size // len(chunk)):
                    handle.write(chunk)
                handle.write(b"</w:body>" + tail)
    return path


def pdf_bomb(path: Path, size: int = 1024 ** 3, pages: int = 1,
             line: bytes = b"BT /F1 12 Tf 72 712 Td (Nghi quyet) Tj ET\n") -> Path:
    """A PDF whose page content streams inflate to ``size`` bytes of ``line`` each."""
    import zlib

    compressor = zlib.compressobj(9)
    line = line * 1024
    stream = bytearray()
    for _ in range(size // len(line)):
        stream += compressor.compress(line)
    stream += compressor.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    font = 3 + 2 * pages
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
                       f"{4 + 2 * i} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                       + bytes(stream) + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
