"""A PDF encrypted with AES (an empty user password: "protected" against printing only) where
pypdf has no AES (the bundles hold neither cryptography nor pycryptodome): a clear
pdf_encrypted, never an unhandled DependencyError."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("cryptography", reason="encrypting the sample needs pypdf's AES")

PROBE = """
import sys
sys.modules["cryptography"] = None   # as in the bundle: pypdf falls back on its RC4-only code
sys.modules["Crypto"] = None
from pathlib import Path
from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.extract import _pdf_text
for name in sys.argv[1:]:
    try:
        print(name, "text", repr(_pdf_text(Path(name))[0]))
    except DomainError as exc:
        print(name, "refused", exc.code)
"""


def test_an_aes_pdf_without_aes_is_refused_clearly(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    plain = tmp_path / "plain.pdf"
    page = canvas.Canvas(str(plain))
    page.drawString(100, 700, "Nghi quyet chi bo")
    page.save()
    names = []
    for algorithm in ("AES-128", "AES-256", "RC4-128"):
        writer = PdfWriter(clone_from=PdfReader(plain))
        writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
        writer.write(tmp_path / f"{algorithm}.pdf")
        names.append(str(tmp_path / f"{algorithm}.pdf"))
    done = subprocess.run([sys.executable, "-c", PROBE, *names], capture_output=True,
                          text=True, timeout=120, check=True)
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines[names[0]] == "refused pdf_encrypted"
    assert lines[names[1]] == "refused pdf_encrypted"
    assert "Nghi quyet chi bo" in lines[names[2]]   # RC4 needs no library
