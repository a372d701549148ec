"""Encrypted PDFs sent down from above, read as the bundles read them: pypdf's AES from
pycryptodome (``Crypto``) alone, cryptography blocked (the bundles leave it out).

Official PDFs are often "protected" against editing or printing only, with an empty user
password: their text is read, whether AES-256, AES-128 or RC4. One with a real user password
is refused with the plain "ask for a copy without a password" message, never a traceback.
The samples are encrypted by pypdf's own writer in this process (with whatever AES it finds
here, cryptography in the dev venv) and read in a child process where it cannot have it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docfactory import make_pdf

pytest.importorskip("Crypto.Cipher.AES", reason="pycryptodome is the bundles' AES")

SENTENCE = "Chỉ thị về công tác phòng, chống thiên tai mùa mưa bão năm 2026"

# The child: cryptography (and pycryptodomex) made unimportable before pypdf loads, then each
# file goes through the documents import (services.documents.add_document) of a fresh branch.
CHILD = """
import json, sys
sys.modules["cryptography"] = None
sys.modules["Cryptodome"] = None
import datetime as dt
from pathlib import Path
from pypdf._crypt_providers import crypt_provider
from sotay_core.domain.errors import DomainError
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.tables import DocumentRow
from sotay_desktop.services.branch import create_branch
from sotay_desktop.services.documents import add_document

db = open_database(Path(sys.argv[1]))
with db.sessions.begin() as session:
    unit, _ = create_branch(session, branch_name="Chi bộ thôn Thượng",
                            commune_name="Đảng bộ xã Tân Lập",
                            province_name="Đảng bộ tỉnh Hưng Yên")
result = {"provider": crypt_provider[0], "files": {}}
for name in sys.argv[2:]:
    try:
        with db.sessions.begin() as session:
            added, _ = add_document(session, files_dir=db.files_dir, unit_id=unit,
                                    path=Path(name), metadata={}, today=dt.date(2026, 11, 22))
            text = session.get(DocumentRow, added.id).body_text
        result["files"][Path(name).stem] = {"text": text}
    except DomainError as exc:
        result["files"][Path(name).stem] = {"code": exc.code, "vi": exc.message("vi"),
                                            "en": exc.message("en")}
with db.reads() as session:
    result["rows"] = session.query(DocumentRow).count()
db.close()
print(json.dumps(result, ensure_ascii=False))
"""


def _encrypted(tmp_path: Path, plain: Path, algorithm: str, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password="x", algorithm=algorithm)
    target = tmp_path / f"{algorithm}-{'locked' if user_password else 'open'}.pdf"
    writer.write(target)
    return target


def test_encrypted_pdfs_are_read_without_cryptography(tmp_path: Path, empty_dir: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", [SENTENCE])
    files = [_encrypted(tmp_path, plain, algorithm, "")
             for algorithm in ("AES-256", "AES-128", "RC4-128", "RC4-40")]
    files += [_encrypted(tmp_path, plain, algorithm, "bi-mat")
              for algorithm in ("AES-256", "AES-128")]
    done = subprocess.run([sys.executable, "-c", CHILD, str(empty_dir), *map(str, files)],
                          capture_output=True, text=True, timeout=180,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["provider"] == "pycryptodome"   # the bundles' situation, not cryptography's
    read = result["files"]
    for stem in ("AES-256-open", "AES-128-open", "RC4-128-open", "RC4-40-open"):
        assert SENTENCE in read[stem].get("text", ""), (stem, read[stem])
    for stem in ("AES-256-locked", "AES-128-locked"):
        assert read[stem]["code"] == "pdf_encrypted", (stem, read[stem])
        assert read[stem]["vi"] == (f"tệp PDF «{stem}.pdf» có mật khẩu; "
                                    "hãy xin bản không đặt mật khẩu")
        assert "password-protected" in read[stem]["en"]
    assert result["rows"] == 4   # a refused file leaves no document behind
