"""Real files for document tests: DOCX (python-docx), PDF (reportlab with a bundled TTF)."""

from __future__ import annotations

from pathlib import Path

from sotay_desktop.documents.legacy import TCVN3_TABLE, VNI_TABLE
from sotay_desktop.resources import font_path


def to_tcvn3(text: str) -> str:
    inverse = {v: chr(k) for k, v in TCVN3_TABLE.items()}
    return "".join(inverse.get(ch, ch) for ch in text.lower())


def to_vni(text: str) -> str:
    inverse = {v: k for k, v in VNI_TABLE.items()}
    return "".join(inverse.get(ch, ch) for ch in text)


def make_docx(path: Path, runs: list[tuple[str, str | None]]) -> Path:
    """One paragraph per (text, font name) run."""
    import docx

    document = docx.Document()
    for text, font in runs:
        run = document.add_paragraph().add_run(text)
        if font:
            run.font.name = font
    document.save(str(path))
    return path


def make_pdf(path: Path, paragraphs: list[str], *, password: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "TinosTest" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TinosTest", str(font_path("serif"))))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("TinosTest", 13)
    y = 780
    for text in paragraphs:
        pdf.drawString(60, y, text)
        y -= 22
    pdf.save()
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(path))
        writer.encrypt(user_password=password, owner_password=password + "-owner")
        with open(path, "wb") as out:
            writer.write(out)
    return path
