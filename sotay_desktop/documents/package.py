"""Bounds on a ZIP package (XLSX, DOCX) read from its central directory before parsing.

A zip bomb announces its unpacked sizes in the directory; Python's zipfile never returns
more than an entry's announced size (it fails the CRC instead), so checking the directory
bounds what a parser can be made to read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sotay_core.domain.errors import DomainError

MAX_ENTRIES = 5_000


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(size, 0) // 1024} KB"


def check_package(path: Path, *, code: str, damaged: DomainError, total_limit: int,
                  xml_limit: int, part_limit: int | None = None) -> list[zipfile.ZipInfo]:
    """The package's entries, or ``DomainError(code)`` when it unpacks past a limit:
    ``total_limit`` for all entries, ``xml_limit`` for each XML part (parsed into memory
    whole), ``part_limit`` for any other entry. ``damaged`` is raised for a broken ZIP."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged from exc
    over = [info.file_size for info in infos
            if info.file_size > (xml_limit if info.filename.lower().endswith((".xml", ".rels"))
                                 else (part_limit or total_limit))]
    total = sum(info.file_size for info in infos)
    if len(infos) > MAX_ENTRIES or total > total_limit or over:
        size = max([total, *over])
        limit = min([total_limit, xml_limit] if over else [total_limit])
        raise DomainError(code, name=path.name, size=size_text(size), limit=size_text(limit))
    return infos
