"""A document read aloud (issue 21, optional): its extracted text (``documents.body_text``)
turned into a WAV file by Debian's ``espeak-ng`` and its Vietnamese voice, offline, for
members with poor sight who study at home.

Off by default (the window's setting ``read_aloud``, ``settings.py``): espeak-ng's
Vietnamese is formant synthesis, robotic, and nobody here judged it by ear; docs/hoc_tap.md
("Đọc to") says what was measured and what was not.

The program runs in a subprocess, never in this process: the text goes in on its standard
input (never on the command line), the sound comes back on its standard output and is
written to a file beside the one asked for, then renamed into place, so a failure leaves no
half-written file. Limits: the text (``MAX_CHARS``), the sound (``MAX_BYTES``: the process
is killed past it) and the time (a watchdog kills it). Refusals are ``DomainError`` in
words (``catalogues/read_aloud.toml``). Qt-free.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.errors import DomainError, NotFoundError
from sotay_desktop.db.tables import DocumentRow

PROGRAM = "espeak-ng"
VOICE = "vi"                  # Northern; "vi-vn-x-central" and "vi-vn-x-south" exist too
RATE = 130                    # words a minute (espeak's default 175 is fast for the old)
MAX_CHARS = 60_000            # about an hour of speech
MAX_BYTES = 200 * 1024 * 1024
CHUNK = 64 * 1024
HEADER = 44                   # the canonical WAV header espeak-ng writes
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Spoken:
    path: Path
    seconds: float
    words: int
    size: int


def program() -> str | None:
    """Where espeak-ng is (``SOTAY_ESPEAK`` may name it), or None."""
    named = os.environ.get("SOTAY_ESPEAK")
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    return shutil.which(PROGRAM)


def speech_text(text: str) -> str:
    """What is spoken: NFC, no control characters, one line per paragraph."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def find_document(session: Session, words: str) -> DocumentRow:
    """A live document of the library by its id or its exact number ("05-NQ/CB")."""
    words = words.strip()
    row = session.get(DocumentRow, words)
    if row is not None and not row.deleted:
        return row
    found = session.scalars(select(DocumentRow).where(
        DocumentRow.number == words, DocumentRow.deleted.is_(False)).limit(2)).all()
    if len(found) != 1:
        raise NotFoundError("read_aloud.no_document", value=words)
    return found[0]


# Abbreviations of Party papers as a reader says them (espeak-ng spells them letter by
# letter, or reads "UBND" with its English voice); dates as "12 tháng 3 năm 2026".
SPOKEN = {
    "TW": "Trung ương", "TƯ": "Trung ương", "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân", "MTTQ": "Mặt trận Tổ quốc", "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ", "BCT": "Bộ Chính trị", "ĐU": "Đảng ủy", "TU": "Tỉnh ủy",
    "HU": "Huyện ủy", "NQ": "Nghị quyết", "CT": "Chỉ thị", "KH": "Kế hoạch",
    "HD": "Hướng dẫn", "QĐ": "Quyết định", "TB": "Thông báo", "BC": "Báo cáo",
    "CB": "Chi bộ", "ĐCSVN": "Đảng Cộng sản Việt Nam", "CNXH": "chủ nghĩa xã hội",
    "XHCN": "xã hội chủ nghĩa", "CHXHCN": "Cộng hòa xã hội chủ nghĩa",
    "CNH": "công nghiệp hóa", "HĐH": "hiện đại hóa", "BTCTW": "Ban Tổ chức Trung ương",
    "BTGTW": "Ban Tuyên giáo Trung ương", "BTGDVTU": "Ban Tuyên giáo và Dân vận Tỉnh ủy",
}
_ABBREVIATION = re.compile(r"(?<![\w])(" + "|".join(sorted(SPOKEN, key=len, reverse=True))
                           + r")(?![\w])")
_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_NUMBER_MARK = re.compile(r"(?<=\w)[-/](?=\w)")


def spoken_form(text: str) -> str:
    """What the voice is given: dates and the papers' abbreviations in words, the dashes
    and slashes of a paper's number as pauses ("05-NQ/TW": "05 Nghị quyết Trung ương")."""
    text = _DATE.sub(lambda m: f"{int(m[1])} tháng {int(m[2])} năm {m[3]}", text)
    text = _NUMBER_MARK.sub(" ", text)
    return _ABBREVIATION.sub(lambda m: SPOKEN[m[1]], text)


def document_text(session: Session, document: str) -> tuple[str, str, str]:
    """(id, title, text to read) of a document of the library (``find_document``): its
    title and number first, then its extracted text."""
    row = find_document(session, document)
    head = " ".join(part for part in (row.title.strip(), row.number.strip()) if part)
    body = speech_text(row.body_text or row.summary or "")
    if not body:
        raise DomainError("read_aloud.no_text", title=row.title or row.number or row.id)
    return row.id, row.title or row.number, speech_text(head) + "\n" + body


def _timeout(chars: int) -> float:
    return min(600.0, 20.0 + chars / 200)


def _fix_header(path: Path, size: int) -> None:
    """espeak-ng streams a header with unknown lengths: write the true ones."""
    with path.open("r+b") as f:
        head = f.read(HEADER)
        if len(head) < HEADER or head[:4] != b"RIFF" or head[36:40] != b"data":
            raise DomainError("read_aloud.failed", detail="no WAV header")
        f.seek(4)
        f.write(struct.pack("<I", size - 8))
        f.seek(40)
        f.write(struct.pack("<I", size - HEADER))


def _seconds(path: Path, size: int) -> float:
    with path.open("rb") as f:
        head = f.read(HEADER)
    channels, rate, _byte_rate, _align, bits = struct.unpack("<HIIHH", head[22:36])
    frame = channels * bits // 8
    return (size - HEADER) / (rate * frame) if rate and frame else 0.0


def speak_to_wav(text: str, out: Path, *, voice: str = VOICE, rate: int = RATE,
                 max_bytes: int = MAX_BYTES, timeout: float | None = None) -> Spoken:
    """``text`` spoken into the WAV file ``out`` (replaced only once the sound is whole)."""
    exe = program()
    if exe is None:
        raise DomainError("read_aloud.missing", program=PROGRAM)
    spoken = speech_text(text)
    if not spoken:
        raise DomainError("read_aloud.empty")
    if len(spoken) > MAX_CHARS:
        raise DomainError("read_aloud.too_long", count=len(spoken), most=MAX_CHARS)
    out = Path(out)
    part = out.with_name(out.name + ".part")
    limit = timeout if timeout is not None else _timeout(len(spoken))
    try:
        proc = subprocess.Popen(
            [exe, "-v", voice, "-s", str(rate), "-b", "1", "--stdin", "--stdout"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise DomainError("read_aloud.failed", detail=exc.strerror or str(exc)) from None
    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None and stdout is not None
    killed: list[str] = []

    def kill(why: str) -> None:
        killed.append(why)
        proc.kill()

    def feed() -> None:
        try:
            stdin.write(spoken_form(spoken).encode("utf-8") + b"\n")
            stdin.close()
        except OSError:
            pass    # the process ended early: its exit code says why

    writer = threading.Thread(target=feed, daemon=True)
    watchdog = threading.Timer(limit, kill, args=("time",))
    size = 0
    try:
        writer.start()
        watchdog.start()
        with part.open("wb") as f:
            while chunk := stdout.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    kill("size")
                    break
                f.write(chunk)
        code = proc.wait()
        writer.join(5)
        if killed:
            raise DomainError("read_aloud.timeout" if killed[0] == "time"
                              else "read_aloud.too_big", seconds=int(limit),
                              most=max_bytes // (1024 * 1024))
        if code != 0 or size <= HEADER:
            raise DomainError("read_aloud.failed", detail=f"exit {code}")
        _fix_header(part, size)
        seconds = _seconds(part, size)
        part.replace(out)
    except BaseException:
        proc.kill()
        proc.wait()
        part.unlink(missing_ok=True)
        raise
    finally:
        watchdog.cancel()
        stdout.close()
    return Spoken(out, seconds, len(spoken.split()), size)
