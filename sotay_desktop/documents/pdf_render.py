"""PartyDocument -> PDF bytes with reportlab, Tinos (metric-compatible with Times New Roman)
embedded, the same layout as the DOCX."""

from __future__ import annotations

import html
import io
from typing import Any, Literal

from sotay_core.domain.text import nfc
from sotay_desktop.documents.columns import column_widths
from sotay_desktop.documents.fonts import SERIF, register_fonts
from sotay_desktop.documents.layout import (
    Heading,
    Para,
    PartyDocument,
    Signature,
    Table,
    place_date,
)

ALIGN: dict[str, Literal[0, 1, 2, 4]] = {"left": 0, "center": 1, "right": 2, "justify": 4}
# A table of up to this many rows moves to the next page with the paragraph before it
# rather than leaving that paragraph alone at a page foot; a longer one splits (its heading
# row repeats).
KEEP_WITH_LEAD_IN = 12


def _esc(text: str) -> str:
    return html.escape(nfc(text)).replace("\n", "<br/>")


def render_pdf(document: PartyDocument) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm, mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable

    register_fonts()
    s = document.settings

    def style(size: float, *, align: str = "center", indent: float = 0, after: float = 0,
              leading: float = 1.2) -> ParagraphStyle:
        return ParagraphStyle(
            "x", fontName=SERIF, fontSize=size, leading=size * leading,
            alignment=ALIGN[align], firstLineIndent=indent, spaceAfter=after,
        )

    def para(text: str, size: float, *, bold: bool = False, italic: bool = False,
             underline: bool = False, align: str = "center", indent: float = 0,
             after: float = 0, leading: float = 1.2) -> Any:
        markup = _esc(text)
        if underline:
            markup = f"<u>{markup}</u>"
        if italic:
            markup = f"<i>{markup}</i>"
        if bold:
            markup = f"<b>{markup}</b>"
        return Paragraph(markup, style(size, align=align, indent=indent, after=after,
                                       leading=leading))

    usable = A4[0] - (s.margin_left_mm + s.margin_right_mm) * mm
    h = document.header
    left = [para(h.superior.upper(), s.header_pt), para(h.issuer.upper(), s.header_pt, bold=True),
            para("*", s.header_pt)]
    if h.number:
        left.append(para(h.number, s.header_pt))
    right = [para("ĐẢNG CỘNG SẢN VIỆT NAM", s.party_name_pt, bold=True, underline=True,
                  after=6),
             para(place_date(h.place, h.date), s.header_pt, italic=True)]
    story: list[Any] = [RLTable([[left, right]], colWidths=[usable * 0.45, usable * 0.55],
                                style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("FONTNAME", (0, 0), (-1, -1), SERIF),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
                        Spacer(1, s.body_pt)]
    story.append(para(document.kind.upper(), s.kind_pt, bold=True))
    if document.summary:
        story.append(para(document.summary, s.summary_pt, bold=True))
    story.append(para("-----", s.body_pt, after=s.space_after_pt))
    indent = s.first_line_indent_cm * cm
    lead_in = False   # the story's last item is the paragraph just before this block
    for block in document.blocks:
        if isinstance(block, Para):
            story.append(para(block.text, s.body_pt, bold=block.bold, italic=block.italic,
                              align=block.align, indent=indent if block.indent else 0,
                              after=s.space_after_pt, leading=1.2 * s.line_spacing))
        elif isinstance(block, Heading):
            story.append(para(block.text, s.body_pt, bold=True, align=block.align,
                              after=s.space_after_pt, leading=1.2 * s.line_spacing))
            story[-1].keepWithNext = True      # a heading never ends a page
        elif isinstance(block, Table):
            cell_pt = s.body_pt - 1
            rows = [[para(text, cell_pt, bold=True) for text in block.header]]
            for row in block.rows:
                rows.append([para(value, cell_pt,
                                  align=block.align[c] if block.align else "left")
                             for c, value in enumerate(row)])
            table = RLTable(rows, colWidths=column_widths(block.header, block.rows,
                                                          block.widths, usable, cell_pt,
                                                          block.nowrap),
                            repeatRows=1,
                            style=[("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                   ("FONTNAME", (0, 0), (-1, -1), SERIF),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")])
            frame = A4[1] - (s.margin_top_mm + s.margin_bottom_mm) * mm - 12
            if (lead_in and len(block.rows) <= KEEP_WITH_LEAD_IN
                    and table.wrap(usable, frame)[1] <= frame / 3):
                # a short table never leaves the line that introduces it at a page foot
                # (short: few rows, and a third of a page at most: rows of large type are tall)
                story.append(KeepTogether([*_last_with_headings(story), table]))
            else:
                story.append(table)
            story.append(Spacer(1, s.body_pt))
        lead_in = isinstance(block, Para | Heading)
    closing = document.closing
    if closing.recipients or closing.signatures:
        signatures = list(closing.signatures)
        left_cell: list[Any] = []
        if closing.recipients:
            left_cell.append(para("Nơi nhận:", s.header_pt, bold=True, underline=True,
                                  align="left"))
            left_cell += [para(f"- {line}", s.recipients_pt, align="left")
                          for line in closing.recipients]
        elif len(signatures) > 1:
            left_cell = _signature_cell(para, signatures.pop(0), s.header_pt)
        right_cell = _signature_cell(para, signatures[0], s.header_pt) if signatures else []
        closing_table = RLTable([[left_cell, right_cell]],
                                colWidths=[usable * 0.45, usable * 0.55],
                                style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("FONTNAME", (0, 0), (-1, -1), SERIF)])
        # the signatures never stand alone on the last page: the last block goes with them
        tail = _last_with_headings(story) if len(story) > 1 else []
        story.append(KeepTogether([*tail, Spacer(1, s.body_pt), closing_table]))

    def later_pages(canvas: Any, doc: Any) -> None:
        if s.page_numbers:
            canvas.setFont(SERIF, s.header_pt)
            canvas.drawCentredString(A4[0] / 2, A4[1] - s.margin_top_mm * mm / 2,
                                     str(doc.page))

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=s.margin_left_mm * mm, rightMargin=s.margin_right_mm * mm,
        topMargin=s.margin_top_mm * mm, bottomMargin=s.margin_bottom_mm * mm,
        title=f"{document.kind} {document.summary}".strip(), author=h.issuer,
        # start the canvas on the embedded serif: no unembedded base-14 font in the file
        initialFontName=SERIF, initialFontSize=s.body_pt,
    ).build(story, onLaterPages=later_pages)
    return buffer.getvalue()


def _last_with_headings(story: list[Any]) -> list[Any]:
    """The story's last flowable, taken off with the headings just before it: reportlab
    never joins a keepWithNext heading to a KeepTogether, so it goes inside."""
    taken = [story.pop()]
    while len(story) > 1 and getattr(story[-1], "keepWithNext", False):
        taken.insert(0, story.pop())
    return taken


def _signature_cell(para: Any, signature: Signature, size: float) -> list[Any]:
    from reportlab.platypus import Spacer

    cell = []
    if signature.authority:
        cell.append(para(signature.authority, size, bold=True))
    cell += [para(signature.title, size, bold=True), Spacer(1, 56),
             para(signature.name, size, bold=True)]
    return cell

