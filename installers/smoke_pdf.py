"""Encrypted PDFs in the BUILT bundle, run by installers/smoke_test.sh in two steps:

    python installers/smoke_pdf.py make OUT_DIR           (the project's venv: the samples)
    SoTay --smoke installers/smoke_pdf.py read DATA_DIR OUT_DIR   (the bundle's own Python)

``make`` writes, with reportlab and pypdf's own writer (its AES from whatever that venv has),
a PDF locked against editing only (empty user password) in AES-256, AES-128, RC4-128 and
RC4-40, and one AES-256 PDF with a real user password. ``read`` imports each through the
documents import of the branch in DATA_DIR (usecases.documents.add_document), as a document
sent down from above, and fails unless pypdf decrypted the first four with pycryptodome (the
bundle holds no cryptography) and refused the last one as pdf_encrypted. It also wraps and
unwraps a key (the protected folders' AES-256-GCM) and prints which of pycryptodome's C
libraries the process loaded, against those the bundle holds (installers/sotay.spec).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TEXT = "Chi thi ve cong tac phong, chong thien tai nam 2026"
OPEN = ("AES-256", "AES-128", "RC4-128", "RC4-40")
LOCKED = "AES-256-locked"


def make(out: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    out.mkdir(parents=True, exist_ok=True)
    plain = out / "plain.pdf"
    page = canvas.Canvas(str(plain))
    page.drawString(72, 720, TEXT)
    page.save()
    for name, algorithm, user in [*((a, a, "") for a in OPEN), (LOCKED, "AES-256", "bi-mat")]:
        writer = PdfWriter(clone_from=PdfReader(plain))
        writer.encrypt(user_password=user, owner_password="chi-so-huu", algorithm=algorithm)
        writer.write(out / f"{name}.pdf")
    plain.unlink()


def _loaded_crypto_libs() -> set[str]:
    with open("/proc/self/maps", encoding="utf-8") as maps:
        return {line.split()[-1].rsplit("/", 1)[-1].split(".")[0] for line in maps
                if "/Crypto/" in line and ".so" in line}


def read(data_dir: Path, pdfs: Path) -> int:
    from pypdf._crypt_providers import crypt_provider

    from sotay_core.domain.errors import DomainError
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.security import key_wrap
    from sotay_desktop.services.documents import search_documents
    from sotay_desktop.usecases import documents
    from sotay_desktop.usecases.workspace import Workspace

    problems: list[str] = []
    outcome: dict[str, str] = {}
    try:
        import cryptography  # noqa: F401
        problems.append("cryptography is in the bundle (installers/sotay.spec excludes it)")
    except ImportError:
        pass
    if crypt_provider[0] != "pycryptodome":
        problems.append(f"pypdf decrypts with {crypt_provider}, not pycryptodome")
    workspace = Workspace(open_database(data_dir))
    try:
        for name in (*OPEN, LOCKED):
            try:
                added, _ = documents.add_document(workspace, pdfs / f"{name}.pdf", {})
            except DomainError as exc:
                outcome[name] = f"refused ({exc.code})"
                if name != LOCKED:
                    problems.append(f"{name}: refused ({exc.code}: {exc.message('en')})")
                elif exc.code != "pdf_encrypted":
                    problems.append(f"{name}: {exc.code} instead of pdf_encrypted")
                continue
            outcome[name] = "read" if added.has_text else "no text"
            if name == LOCKED:
                problems.append(f"{name}: imported without its password")
            elif not added.has_text:
                problems.append(f"{name}: imported, but no text was read")
        with workspace.db.reads() as session:
            found = {hit.title for hit in search_documents(session, query="thien tai 2026")}
        missing = sorted(set(OPEN) - found)
        if missing:
            problems.append(f"not found by their text: {', '.join(missing)}")
    finally:
        workspace.close()
    kek, nonce = os.urandom(32), os.urandom(12)
    if key_wrap.open_sealed(kek, nonce, key_wrap.seal(kek, nonce, kek, b"l"), b"l") != kek:
        problems.append("AES-256-GCM round trip failed")
    import Crypto

    bundled = {path.name.split(".")[0] for path in Path(Crypto.__path__[0]).rglob("*.so")}
    loaded = _loaded_crypto_libs()
    print("encrypted PDFs: " + ", ".join(f"{k} {v}" for k, v in outcome.items())
          + f"; pypdf's AES from {crypt_provider[0]} {crypt_provider[1]}")
    print(f"pycryptodome libraries loaded: {', '.join(sorted(loaded))}; bundled, not loaded: "
          f"{', '.join(sorted(bundled - loaded)) or 'none'}")
    for problem in problems:
        print("SMOKE FAILURE:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["make"]:
        make(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["read"]:
        sys.exit(read(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
