"""Recognising a file by its content (not its name) and extracting its text.

Each failure is a ``DomainError`` with a plain-words code: a corrupt or
password-protected PDF, a damaged DOCX, a file that is not a supported kind.
Images are accepted with no text (there is no OCR).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import time
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from sotay_core.domain.errors import DomainError
from sotay_core.domain.text import clean_block
from sotay_desktop.documents.package import check_package

MAX_TEXT_CHARS = 2_000_000   # enough for a 1,000-page document; the rest is not indexed
MAX_PDF_PAGES = 3_000        # pages read for text; the rest is not indexed
MAX_PDF_SECONDS = 30.0       # reading stops there; the text read so far is indexed
# pypdf's own bounds (its Configuration), lowered: a page of text has a content stream well
# under 1 MB, so 8 MB and 300,000 operators per stream keep a bomb page small in memory.
PDF_LIMITS = {
    "zlib_maximum_output_length": 8_000_000, "lzw_maximum_output_length": 8_000_000,
    "run_length_maximum_output_length": 8_000_000,
    "array_based_stream_maximum_output_length": 8_000_000,
    "stream_decoding_work_maximum_length": 32_000_000,
    "stream_parsing_work_maximum_count": 300_000,
}
# A DOCX is unpacked into memory by python-docx: bound it from the ZIP directory first.
MAX_DOCX_XML_BYTES = 12 * 1024 * 1024     # one XML part (a 1,000-page text is ~5 MB):
#                                           ~220 MB of memory at most in python-docx
MAX_DOCX_TOTAL_BYTES = 120 * 1024 * 1024  # every part, pictures included
MAX_TEXT_FILE_BYTES = 4 * MAX_TEXT_CHARS  # bytes of a text file read (UTF-8: ≤ 4 per char)


class FileKind(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    PNG = "png"
    JPEG = "jpeg"


MIME = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.TEXT: "text/plain",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
}
EXTENSION = {FileKind.PDF: ".pdf", FileKind.DOCX: ".docx", FileKind.TEXT: ".txt",
             FileKind.PNG: ".png", FileKind.JPEG: ".jpg"}


@dataclass(frozen=True, slots=True)
class Extracted:
    kind: FileKind
    text: str
    truncated: bool = False
    legacy_encoding: str = ""    # "tcvn3" / "vni" when the text was converted


def detect_kind(head: bytes, path: Path) -> FileKind:
    """The real kind from the first bytes; the name's extension is only a last hint."""
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                if "word/document.xml" in archive.namelist():
                    return FileKind.DOCX
        except (zipfile.BadZipFile, OSError):
            pass
        raise DomainError("file_damaged", name=path.name, detail="ZIP")
    if _looks_like_text(head):
        return FileKind.TEXT
    raise DomainError("file_unsupported", name=path.name)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) // 100


def extract(path: Path) -> Extracted:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    kind = detect_kind(head, path)
    legacy = ""
    cut = False
    if kind is FileKind.PDF:
        text, cut = _pdf_text(path)
    elif kind is FileKind.DOCX:
        text, legacy = _docx_text(path)
    elif kind is FileKind.TEXT:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TEXT_FILE_BYTES + 1)
        cut = len(data) > MAX_TEXT_FILE_BYTES
        if cut:   # end on a line, not inside a UTF-8 sequence
            data = data[:MAX_TEXT_FILE_BYTES]
            data = data[:data.rfind(b"\n") + 1] or data
        text, legacy = _plain_text(data)
    else:
        text = ""
    truncated = cut or len(text) > MAX_TEXT_CHARS
    text = _clean(text[:MAX_TEXT_CHARS])
    return Extracted(kind, text, truncated, legacy)


def _clean(text: str) -> str:
    # Drop control characters that documents carry (form feeds, vertical tabs).
    text = "".join(" " if ch not in "\n\t" and unicodedata.category(ch) == "Cc" else ch
                   for ch in text)
    return clean_block(text)


def _pdf_text(path: Path) -> tuple[str, bool]:
    """The text of the first pages (at most MAX_PDF_PAGES), and whether pages were left out.
    A stream past pypdf's bounds (its Configuration, lowered here) refuses the file, quickly
    and in bounded memory, as a zip bomb is refused."""
    try:
        from pypdf import apply_configuration, get_configuration
    except ImportError:   # pypdf < 6.1 has fixed limits only
        limits: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
    else:
        known = {f.name for f in dataclasses.fields(get_configuration())}
        limits = apply_configuration(None, **{k: v for k, v in PDF_LIMITS.items() if k in known})
    with limits:
        return _pdf_pages(path)


def _pdf_pages(path: Path) -> tuple[str, bool]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, LimitReachedError, PdfReadError, PyPdfError

    started = time.monotonic()
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:  # many "protected" PDFs only restrict printing, with an empty user password
                if not reader.decrypt(""):
                    raise DomainError("pdf_encrypted", name=path.name)
            except DomainError:
                raise
            except Exception as exc:
                raise DomainError("pdf_encrypted", name=path.name) from exc
        parts: list[str] = []
        total = 0
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES or time.monotonic() - started > MAX_PDF_SECONDS:
                return "\n\n".join(parts), True
            try:
                part = page.extract_text() or ""
            except LimitReachedError as exc:
                raise DomainError("file_unpacked_too_large", name=path.name, size="> 8 MB",
                                  limit="8 MB") from exc
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError,
                    IndexError, RecursionError, NotImplementedError, zlib.error):
                continue  # one damaged page (a broken font map): the others still count
            parts.append(part)
            total += len(part)
            if total > MAX_TEXT_CHARS:
                break
        return "\n\n".join(parts), False
    except DomainError:
        raise
    except DependencyError as exc:   # AES with neither cryptography nor pycryptodome (the
        # bundles hold pycryptodome for it: tests/test_pdf_aes.py, installers/smoke_pdf.py)
        raise DomainError("pdf_encrypted", name=path.name) from exc
    except LimitReachedError as exc:
        raise DomainError("file_unpacked_too_large", name=path.name, size="> 8 MB",
                          limit="8 MB") from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError,
            RecursionError, AttributeError, IndexError, NotImplementedError,
            zlib.error) as exc:   # e.g. a filter name damaged into an unknown one
        raise DomainError("file_damaged", name=path.name, detail="PDF") from exc


def _docx_text(path: Path) -> tuple[str, str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from sotay_desktop.documents.legacy import convert_docx_runs

    check_package(path, code="file_unpacked_too_large",
                  damaged=DomainError("file_damaged", name=path.name, detail="DOCX"),
                  total_limit=MAX_DOCX_TOTAL_BYTES, xml_limit=MAX_DOCX_XML_BYTES)
    _count_docx_elements(path)   # python-docx keeps a Python object per element: bound them
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise DomainError("file_damaged", name=path.name, detail="DOCX") from exc
    except Exception as exc:  # lxml errors on broken XML
        raise DomainError("file_damaged", name=path.name, detail="DOCX") from exc
    return convert_docx_runs(document)


# Elements of word/document.xml that python-docx may build: a 300-page document holds about
# 60,000; two million empty paragraphs (17 KB zipped, under the XML size cap) took 736 MB.
MAX_DOCX_ELEMENTS = 250_000


def _count_docx_elements(path: Path) -> None:
    """Refuse, by streaming (no tree kept), a document body with too many elements."""
    from lxml import etree  # type: ignore[import-untyped]  # python-docx depends on it

    try:
        with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as body:
            count = 0
            for _event, element in etree.iterparse(body, events=("end",), resolve_entities=False,
                                                   no_network=True, huge_tree=False):
                count += 1
                element.clear()
                if count > MAX_DOCX_ELEMENTS:
                    raise DomainError("file_too_complex", name=path.name,
                                      limit=MAX_DOCX_ELEMENTS)
    except DomainError:
        raise
    except Exception as exc:  # a bad ZIP, a broken deflate stream (zlib.error), broken XML
        raise DomainError("file_damaged", name=path.name, detail="DOCX") from exc


def _plain_text(data: bytes) -> tuple[str, str]:
    from sotay_desktop.documents.legacy import decode_legacy_bytes

    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), ""
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return decode_legacy_bytes(data)

