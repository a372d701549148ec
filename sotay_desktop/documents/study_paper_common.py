"""What the study papers share (issue 21): the branch facts they print (``StudyPaperInfo``),
the large type sizes, the member code as people read it, the QR code of that code (segno,
numeric mode: exactly the 14 digits a USB scanner types back), and the output.

The papers are ``study_card`` (members' study cards), ``study_quiz_sheet`` (quiz sheets and
the answer key), ``study_lists`` (sign-in sheet, make-up list, results, survey form). They
read a ``PlanView`` (sotay_core/domain/study_view.py) and a ``StudyPaperInfo``; no storage,
no clock. Fixed wording of the papers is Vietnamese by design and lives in their modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sotay_core.domain.errors import DomainError
from sotay_core.domain.study_plan import BRANCH_DIGITS, CODE_LENGTH
from sotay_core.domain.text import nfc

FORMATS = ("pdf", "docx")
LARGE_SIZES = range(18, 25)
LARGE_PT = 20
DOCX_SANS = "Arial"          # on every Windows PC; LibreOffice draws it as Liberation Sans
QR_BORDER = 4                # the quiet zone the QR standard asks for, in modules


@dataclass(frozen=True, slots=True)
class StudyPaperInfo:
    """The branch facts printed on the papers; the use case fills it from the records.

    ``branch``: "Chi bộ thôn Đông Hòa"; ``superior``: "Đảng bộ xã Tân Lập" ("" when not
    known); ``place``: for "Tân Lập, ngày …"; ``made_on``: the paper's date;
    ``secretary``: the bí thư who signs the lists ("" leaves the name to write by hand).
    """

    branch: str
    superior: str
    place: str
    made_on: dt.date
    secretary: str = ""


def check_size(size: int) -> int:
    """A large type size, 18–24 pt; anything else is refused in words."""
    if isinstance(size, bool) or not isinstance(size, int) or size not in LARGE_SIZES:
        raise DomainError("study_papers.bad_size", value=size, low=min(LARGE_SIZES),
                          high=max(LARGE_SIZES))
    return size


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DomainError("bad_choice", value=fmt, choices=", ".join(FORMATS))
    return fmt


def output_format(path: Path) -> str:
    """"pdf" or "docx" from the file's suffix; anything else is refused."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise DomainError("bad_choice", value=path.suffix or path.name,
                          choices=", ".join(f".{f}" for f in FORMATS))
    return fmt


def grouped_code(code: str) -> str:
    """"12345 6789 0123 4": the branch's five digits, the member's eight in two fours, the
    check digit; what is read aloud or typed by hand (spaces are allowed when typed)."""
    if len(code) != CODE_LENGTH or not code.isdigit():
        return code
    member = code[BRANCH_DIGITS:-1]
    return f"{code[:BRANCH_DIGITS]} {member[:4]} {member[4:]} {code[-1]}"


def born_year(day: dt.date | None) -> str:
    return str(day.year) if day else ""


def date_words(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


# --- the QR code of a member code -------------------------------------------------------


def _qr(code: str) -> Any:
    import segno

    if not code.isascii() or not code.isdigit():
        raise ValueError("a member code is digits only")
    # numeric mode: a scanner reads back the digits and nothing else; boost_error keeps the
    # smallest version and raises the correction level as far as it fits (1-H for 14 digits)
    return segno.make_qr(code, mode="numeric", error="m", boost_error=True)


def qr_modules(code: str) -> list[list[bool]]:
    """The QR symbol of ``code`` as dark/light modules, quiet zone included."""
    return [[bool(v) for v in row] for row in _qr(code).matrix_iter(border=QR_BORDER)]


def qr_png(code: str, *, scale: int = 12) -> bytes:
    """The QR symbol as a black-and-white PNG (``scale`` pixels a module), for the DOCX."""
    import io

    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


def box_png(*, pixels: int = 96, line: int = 7) -> bytes:
    """An empty square to tick, as a greyscale PNG (the DOCX places it inline, at the
    text's size: no font has to carry a box glyph on the PC that opens the file)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    edge = bytes([0] * pixels)
    inside = bytes([0] * line + [255] * (pixels - 2 * line) + [0] * line)
    rows = b"".join(b"\x00" + (edge if r < line or r >= pixels - line else inside)
                    for r in range(pixels))
    header = struct.pack(">IIBBBBB", pixels, pixels, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def clean(text: str) -> str:
    """One line of user text as printed: composed (NFC), runs of blanks made one."""
    return " ".join(nfc(text).split())
