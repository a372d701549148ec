"""Column widths for the tables of Party documents, the same in DOCX and PDF.

Word and LibreOffice ignore the widths of a table that has none in its grid, and a
share of the page alone lets "STT" break into "ST/T" and names wrap. Here each column
gets at least the width of its longest word (of its whole text, for a column that must
not wrap: the number, the name), measured in Tinos, which has the metrics of Times New
Roman; what is left of the line is shared by the given proportions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sotay_core.domain.text import nfc
from sotay_desktop.documents.fonts import SERIF, register_fonts

# Left plus right padding of a cell, in points: reportlab's default (6 + 6); the DOCX
# renderer sets the same cell margins.
CELL_PADDING_PT = 12.0
SLACK_PT = 3.0          # rounding to twips and a renderer's own kerning


def _width(text: str, size: float, bold: bool) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(nfc(text), f"{SERIF}-Bold" if bold else SERIF, size))


def needed_width(texts: Sequence[str], size: float, *, nowrap: bool,
                 bold_first: bool = True) -> float:
    """The narrowest the column can be: the widest unbreakable piece of any cell."""
    register_fonts()
    widest = 0.0
    for index, text in enumerate(texts):
        bold = bold_first and index == 0
        pieces = [text] if nowrap else (text.split() or [""])
        widest = max([widest, *(_width(piece, size, bold) for piece in pieces)])
    return widest + CELL_PADDING_PT + SLACK_PT


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]],
                  shares: Sequence[float], usable_pt: float, size: float,
                  nowrap: Sequence[bool] = ()) -> list[float]:
    """Widths in points that add up to ``usable_pt``: each column at least its
    ``needed_width``, the rest of the line shared by ``shares``. If the minimums alone do
    not fit, they are scaled down together (a cell then wraps, as it must)."""
    count = len(header)
    flags = list(nowrap) + [False] * (count - len(nowrap))
    minimum = [needed_width([header[c], *(row[c] for row in rows)], size, nowrap=flags[c])
               for c in range(count)]
    if sum(minimum) >= usable_pt:
        return [usable_pt * m / sum(minimum) for m in minimum]
    widths = [0.0] * count
    free = set(range(count))
    remaining = usable_pt
    while True:     # columns whose share is under their minimum take the minimum
        total = sum(shares[c] for c in free)
        fixed = {c for c in free if remaining * shares[c] / total < minimum[c]}
        if not fixed:
            for c in free:
                widths[c] = remaining * shares[c] / total
            return widths
        for c in fixed:
            widths[c] = minimum[c]
            remaining -= minimum[c]
        free -= fixed
        if not free:
            return [usable_pt * w / sum(widths) for w in widths]
