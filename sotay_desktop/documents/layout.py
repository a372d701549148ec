"""A Party document as plain blocks, independent of DOCX or PDF (HD 36-HD/VPTW layout).

Builders (``party_docs``) turn meeting data into a ``PartyDocument``; the renderers
(``docx_render``, ``pdf_render``) lay it out. Sizes and margins marked UNCONFIRMED
in shared/reference/domain.md are ``FormatSettings`` fields with sensible defaults.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Align = Literal["justify", "center", "left", "right"]


@dataclass(frozen=True, slots=True)
class FormatSettings:
    """Layout figures. Margins are UNCONFIRMED for HD 36 (20/20/30/15 mm from a summary)."""

    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    body_pt: float = 14
    party_name_pt: float = 15         # ĐẢNG CỘNG SẢN VIỆT NAM
    header_pt: float = 14             # superior body, issuing body, number, place and date
    kind_pt: float = 15               # NGHỊ QUYẾT, BIÊN BẢN …
    summary_pt: float = 14
    recipients_pt: float = 12         # recipient lines (UNCONFIRMED)
    first_line_indent_cm: float = 1.27
    space_after_pt: float = 6
    line_spacing: float = 1.15
    page_numbers: bool = True         # from page 2, centred at the top (UNCONFIRMED)


@dataclass(frozen=True, slots=True)
class Header:
    superior: str        # ĐẢNG BỘ XÃ TÂN LẬP
    issuer: str          # CHI BỘ THÔN ĐÔNG HÒA
    number: str          # "Số 05-NQ/CB", or "" for documents without a number
    place: str           # Tân Lập
    date: dt.date


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    align: Align = "left"


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]          # relative: how the line left over is shared
    align: tuple[Align, ...] = ()
    nowrap: tuple[bool, ...] = ()      # columns kept on one line (the number, the name)


@dataclass(frozen=True, slots=True)
class Signature:
    authority: str       # "T/M CHI BỘ", or "" (minutes: THƯ KÝ / CHỦ TRÌ only)
    title: str           # "BÍ THƯ"
    name: str


@dataclass(frozen=True, slots=True)
class Closing:
    recipients: tuple[str, ...] = ()       # after "Nơi nhận:"; empty: no recipients block
    signatures: tuple[Signature, ...] = ()


Block = Para | Heading | Table


@dataclass(frozen=True, slots=True)
class PartyDocument:
    header: Header
    kind: str                      # NGHỊ QUYẾT
    summary: str                   # về lãnh đạo thực hiện nhiệm vụ tháng 12 năm 2026
    blocks: tuple[Block, ...]
    closing: Closing = field(default_factory=Closing)
    settings: FormatSettings = field(default_factory=FormatSettings)


def place_date(place: str, day: dt.date) -> str:
    """"Tân Lập, ngày 05 tháng 3 năm 2026": leading zero for days 1–9 and months 1–2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
