"""Members' study cards (thẻ học tập, issue 21), several to an A4 page to cut out along the
dashed lines: 8 (2 × 4, about 95 × 69 mm each) or 6 (2 × 3, larger type and QR).

API::

    Card(name, code, born="")
    cards_from(view, member_ids=None) -> list[Card]     # the plan's members, roster order
    render_cards(cards, fmt, *, branch, per_page=8) -> bytes

Each card carries the branch, "THẺ HỌC TẬP", the member's full name in large type (22 pt,
26 pt six to a page; never under 20 pt), the birth year (18 pt), the 14-digit member code
(``study_plan.member_code``) grouped for reading ("12345 6789 0123 4") and its QR code:
exactly the code's digits in numeric mode, so a USB scanner types back the digits and
nothing else (segno; drawn as vector squares in the PDF, a PNG in the DOCX). The QR is
28 mm wide with its quiet zone (34 mm six to a page): modules of about 1 mm, which cheap
USB scanners read at a hand's distance.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sotay_core.domain.errors import DomainError
from sotay_core.domain.study_view import PlanView
from sotay_desktop.documents.study_paper_common import (
    QR_BORDER,
    born_year,
    check_format,
    clean,
    grouped_code,
    qr_png,
)

CARD_TITLE = "THẺ HỌC TẬP"
PAGE_MM = (210.0, 297.0)
MARGIN_MM = 10.0
PAD_MM = 4.0


@dataclass(frozen=True, slots=True)
class Card:
    name: str
    code: str
    born: str = ""       # the birth year, "" when not known


@dataclass(frozen=True, slots=True)
class CardLayout:
    columns: int
    rows: int
    name_pt: float
    code_pt: float
    branch_pt: float
    title_pt: float
    qr_mm: float

    @property
    def size_mm(self) -> tuple[float, float]:
        return ((PAGE_MM[0] - 2 * MARGIN_MM) / self.columns,
                (PAGE_MM[1] - 2 * MARGIN_MM) / self.rows)


LAYOUTS = {8: CardLayout(2, 4, 22, 18, 13, 15, 28),
           6: CardLayout(2, 3, 26, 20, 15, 18, 34)}
MIN_NAME_PT = 20
MIN_SHRUNK_PT = 12          # only a name that would not fit on the card at 20 pt
BORN_PT = 18


def layout_of(per_page: int) -> CardLayout:
    if per_page not in LAYOUTS:
        raise DomainError("study_papers.bad_per_page", value=per_page,
                          choices=", ".join(str(n) for n in sorted(LAYOUTS)))
    return LAYOUTS[per_page]


def cards_from(view: PlanView, member_ids: Sequence[str] | None = None) -> list[Card]:
    """The cards of the plan's members (all of them, targeted or not), roster order; or of
    the members asked for, in that order."""
    lines = list(view.members)
    if member_ids is not None:
        wanted = list(dict.fromkeys(member_ids))
        by_id = {line.member_id: line for line in lines}
        for member_id in wanted:
            if member_id not in by_id:
                raise DomainError("study_papers.member_not_in_plan", member=member_id,
                                  plan=clean(view.plan.title))
        lines = [by_id[member_id] for member_id in wanted]
    return [Card(line.name, line.code, born_year(line.born_on)) for line in lines]


def render_cards(cards: Sequence[Card], fmt: str, *, branch: str, per_page: int = 8) -> bytes:
    check_format(fmt)
    layout = layout_of(per_page)
    if not cards:
        raise DomainError("study_papers.no_cards")
    if fmt == "docx":
        return _docx(cards, branch, layout)
    return _pdf(cards, branch, layout)


# --- PDF ------------------------------------------------------------------------------------


def _name_size(name: str, width: float, layout: CardLayout) -> float:
    """The name's size: the layout's, or up to 2 pt less (never under 20 pt) when that
    keeps it to one line; a longer name wraps at the layout's size (down to 20 pt to keep
    to two lines)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from sotay_desktop.documents.fonts import SANS, register_fonts

    register_fonts()        # the DOCX measures with the PDF's font too

    def wide(size: float) -> float:
        return stringWidth(name, f"{SANS}-Bold", size)

    lowest = max(MIN_NAME_PT, int(layout.name_pt) - 2)
    for size in range(int(layout.name_pt), lowest - 1, -1):
        if wide(size) <= width:
            return float(size)
    wrapped = layout.name_pt
    while wrapped > MIN_NAME_PT and wide(wrapped) > 1.8 * width:
        wrapped -= 1
    return wrapped


def _pdf(cards: Sequence[Card], branch: str, layout: CardLayout) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    from sotay_desktop.documents.fonts import SANS, register_fonts
    from sotay_desktop.documents.study_form_pdf import QrCode

    register_fonts()
    width, height = (v * mm for v in layout.size_mm)
    pad, qr_side = PAD_MM * mm, layout.qr_mm * mm
    per_page = layout.columns * layout.rows

    def para(text: str, size: float, *, bold: bool = False, center: bool = True) -> Any:
        body = html.escape(clean(text))
        return Paragraph(f"<b>{body}</b>" if bold else body, ParagraphStyle(
            "c", fontName=SANS, fontSize=size, leading=size * 1.18,
            alignment=1 if center else 0))

    def place(item: Any, x: float, top: float, room: float) -> float:
        """Draw ``item`` with its top at ``top``; the y of its bottom."""
        _, used = item.wrap(room, height)
        item.drawOn(canvas, x, top - used)
        return float(top - used)

    buffer = io.BytesIO()
    # the serif-free start: no unembedded base-14 font in the file (the stub types it wrongly)
    canvas = Canvas(buffer, pagesize=A4, initialFontName=SANS)  # type: ignore[arg-type]
    canvas.setTitle(f"{CARD_TITLE} – {clean(branch)}")
    canvas.setAuthor(clean(branch))
    for index, card in enumerate(cards):
        if index and index % per_page == 0:
            canvas.showPage()
        slot = index % per_page
        column, row = slot % layout.columns, slot // layout.columns
        x0 = MARGIN_MM * mm + column * width
        y_top = A4[1] - MARGIN_MM * mm - row * height
        canvas.setDash(4, 3)
        canvas.setLineWidth(0.6)
        canvas.rect(x0, y_top - height, width, height, stroke=1, fill=0)
        canvas.setDash()
        inner = width - 2 * pad
        y = place(para(branch.upper(), layout.branch_pt, bold=True), x0 + pad, y_top - pad,
                  inner)
        y = place(para(CARD_TITLE, layout.title_pt, bold=True), x0 + pad, y - 1, inner)
        canvas.setLineWidth(0.8)
        canvas.line(x0 + pad, y - 3, x0 + width - pad, y - 3)
        top = y - 3 * mm
        # the QR's own white border (its quiet zone, 4 of its 29 modules) reaches into the
        # card's padding: the symbol ends at the padding, the name gets that room
        quiet = qr_side * QR_BORDER / (21 + 2 * QR_BORDER)
        text_width = inner - qr_side + quiet - 2 * mm
        code = para(f"Mã số: {grouped_code(card.code)}", layout.code_pt, bold=True)
        _, code_h = code.wrap(inner, height)
        code.drawOn(canvas, x0 + pad, y_top - height + pad)
        born = para(f"Năm sinh: {card.born}", BORN_PT, center=False) if card.born else None
        born_h = born.wrap(text_width, height)[1] + 2 * mm if born else 0.0
        room = (top - 2 * mm) - (y_top - height + pad + code_h + 1 * mm) - born_h
        size = _name_size(clean(card.name), text_width, layout)
        name = para(card.name, size, bold=True, center=False)
        while name.wrap(text_width, height)[1] > room and size > MIN_SHRUNK_PT:
            # a name too long for the card even at 20 pt (none seen on a real roster):
            # smaller rather than over the code
            size -= 1
            name = para(card.name, size, bold=True, center=False)
        y = place(name, x0 + pad, top - 2 * mm, text_width)
        if born is not None:
            place(born, x0 + pad, y - 2 * mm, text_width)
        QrCode(card.code, qr_side).drawOn(canvas, x0 + width - pad - qr_side + quiet,
                                          top - qr_side + quiet / 2)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- DOCX -----------------------------------------------------------------------------------


def _docx(cards: Sequence[Card], branch: str, layout: CardLayout) -> bytes:
    from docx import Document
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    from sotay_desktop.documents.study_form_docx import (
        Pictures,
        borders,
        cell_margins,
        empty_cell,
        font,
        paragraph,
        widths,
    )
    from sotay_desktop.documents.study_paper_common import DOCX_SANS

    out = Document()
    section = out.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    section.header_distance = section.footer_distance = Mm(4)
    out.styles["Normal"].font.name = DOCX_SANS
    card_w, card_h = layout.size_mm
    rows = -(-len(cards) // layout.columns)
    grid = out.add_table(rows=rows, cols=layout.columns)
    borders(grid, "single", size=4, dash=True)
    widths(grid, [card_w] * layout.columns)
    cell_margins(grid, 100, 140, 60, 140)
    text_w = card_w - 2 * PAD_MM - layout.qr_mm - 1
    pictures = Pictures()
    for r, row in enumerate(grid.rows):
        # a little under the PDF's height: Word and LibreOffice add a line's leading
        row.height = Mm(card_h - 1.5)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        for c, cell in enumerate(row.cells):
            index = r * layout.columns + c
            if index >= len(cards):
                continue
            card = cards[index]
            cell = empty_cell(cell)
            paragraph(cell, branch.upper(), layout.branch_pt, bold=True, align="center")
            paragraph(cell, CARD_TITLE, layout.title_pt, bold=True, align="center", after=4)
            inner = cell.add_table(rows=1, cols=2)
            borders(inner, "nil")
            widths(inner, [text_w, layout.qr_mm + 1])
            cell_margins(inner, 0, 0, 0, 0)
            left, right = (empty_cell(part) for part in inner.rows[0].cells)
            name_pt = _name_size(clean(card.name), text_w * 72 / 25.4, layout)
            paragraph(left, card.name, name_pt, bold=True, after=4)
            if card.born:
                paragraph(left, f"Năm sinh: {card.born}", BORN_PT)
            picture = paragraph(right, "", BORN_PT, align="right")
            pictures.add(picture.add_run(), qr_png(card.code), width=Mm(layout.qr_mm))
            code = paragraph(cell, "", layout.code_pt, align="center")
            code.paragraph_format.space_before = Pt(4)
            font(code.add_run(f"Mã số: {grouped_code(card.code)}"), layout.code_pt, bold=True)
    # the body ends with a paragraph after the table: one point high, so a full page of
    # cards does not push an empty page out
    end = paragraph(out, "", 1)
    end.paragraph_format.line_spacing = Pt(1)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
