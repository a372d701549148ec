"""PartyDocument -> DOCX bytes with python-docx: A4, Times New Roman, HD 36 header table."""

from __future__ import annotations

import io
from typing import Any

from sotay_core.domain.text import nfc
from sotay_desktop.documents.columns import CELL_PADDING_PT, column_widths
from sotay_desktop.documents.layout import (
    Align,
    Heading,
    Para,
    PartyDocument,
    Table,
    place_date,
)

FONT = "Times New Roman"


def _set_font(run: Any, size: float, *, bold: bool = False, italic: bool = False,
              underline: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _paragraph(container: Any, text: str, size: float, *, bold: bool = False,
               italic: bool = False, underline: bool = False, align: Align = "center",
               space_after: float = 0, indent_cm: float = 0, line_spacing: float = 1.0) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER,
                           "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    form = paragraph.paragraph_format
    form.space_after = Pt(space_after)
    form.space_before = Pt(0)
    form.line_spacing = line_spacing
    if indent_cm:
        form.first_line_indent = Cm(indent_cm)
    _set_font(paragraph.add_run(nfc(text)), size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _fixed_widths(table: Any, widths_pt: list[float], *, padding_pt: float) -> None:
    """Real column widths that Word and LibreOffice keep: a fixed layout, the grid's
    gridCol widths, the table width and every cell's width, and the cell margins the PDF
    uses (so the text measured for the PDF fits the DOCX cell too)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table.autofit = False
    properties = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblCellMar"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    twips = [round(w * 20) for w in widths_pt]
    table_width = OxmlElement("w:tblW")
    table_width.set(qn("w:w"), str(sum(twips)))
    table_width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(padding_pt / 2 * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(table_width)
    properties.append(layout)
    properties.append(margins)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        column.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, twips, strict=True):
            cell.width = Pt(width / 20)


def _first_paragraph(cell: Any) -> Any:
    paragraph = cell.paragraphs[0]
    paragraph._element.getparent().remove(paragraph._element)
    return cell


def _page_number_header(section: Any, size: float) -> None:
    """PAGE field centred at the top, from page 2 on (first page header left empty)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, size)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def render_docx(document: PartyDocument) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    s = document.settings
    out = docx.Document()
    normal = out.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(s.body_pt)
    normal_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        normal_fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)

    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(s.margin_top_mm), Mm(s.margin_bottom_mm)
    section.left_margin, section.right_margin = Mm(s.margin_left_mm), Mm(s.margin_right_mm)
    if s.page_numbers:
        _page_number_header(section, s.header_pt)

    # Header block: superior / issuer / * / number  |  ĐẢNG CỘNG SẢN VIỆT NAM / place, date
    h = document.header
    table = out.add_table(rows=1, cols=2)
    _no_borders(table)
    usable = 210 - s.margin_left_mm - s.margin_right_mm
    usable_pt = usable / 25.4 * 72
    _fixed_widths(table, [usable_pt * 0.45, usable_pt * 0.55], padding_pt=0)
    left, right = (_first_paragraph(c) for c in table.rows[0].cells)
    _paragraph(left, h.superior.upper(), s.header_pt)
    _paragraph(left, h.issuer.upper(), s.header_pt, bold=True)
    _paragraph(left, "*", s.header_pt)
    if h.number:
        _paragraph(left, h.number, s.header_pt)
    _paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", s.party_name_pt, bold=True, underline=True,
               space_after=6)
    _paragraph(right, place_date(h.place, h.date), s.header_pt, italic=True)

    _paragraph(out, "", s.body_pt)
    _paragraph(out, document.kind.upper(), s.kind_pt, bold=True)
    if document.summary:
        _paragraph(out, document.summary, s.summary_pt, bold=True)
    _paragraph(out, "-----", s.body_pt, space_after=s.space_after_pt)

    for block in document.blocks:
        if isinstance(block, Para):
            _paragraph(out, block.text, s.body_pt, bold=block.bold, italic=block.italic,
                       align=block.align, space_after=s.space_after_pt,
                       indent_cm=s.first_line_indent_cm if block.indent else 0,
                       line_spacing=s.line_spacing)
        elif isinstance(block, Heading):
            heading = _paragraph(out, block.text, s.body_pt, bold=True, align=block.align,
                                 space_after=s.space_after_pt, line_spacing=s.line_spacing)
            heading.paragraph_format.keep_with_next = True     # a heading never ends a page
        elif isinstance(block, Table):
            grid = out.add_table(rows=1 + len(block.rows), cols=len(block.header))
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            _fixed_widths(grid, column_widths(block.header, block.rows, block.widths,
                                              usable_pt, s.body_pt - 1, block.nowrap),
                          padding_pt=CELL_PADDING_PT)
            for column, heading in enumerate(block.header):
                cell = _first_paragraph(grid.rows[0].cells[column])
                _paragraph(cell, heading, s.body_pt - 1, bold=True)
            for r, row in enumerate(block.rows, start=1):
                for column, value in enumerate(row):
                    cell = _first_paragraph(grid.rows[r].cells[column])
                    align = block.align[column] if block.align else "left"
                    _paragraph(cell, value, s.body_pt - 1, align=align)
            _paragraph(out, "", s.body_pt)

    closing = document.closing
    if closing.recipients or closing.signatures:
        # the signatures never stand alone on the last page: the last paragraph goes with
        # them (keep-with-next on it, the blank line, and every line of the closing table)
        if out.paragraphs:
            out.paragraphs[-1].paragraph_format.keep_with_next = True
        _paragraph(out, "", s.body_pt).paragraph_format.keep_with_next = True
        table = out.add_table(rows=1, cols=2)
        _no_borders(table)
        _fixed_widths(table, [usable_pt * 0.45, usable_pt * 0.55], padding_pt=CELL_PADDING_PT)
        left, right = (_first_paragraph(c) for c in table.rows[0].cells)
        signatures = list(closing.signatures)
        if closing.recipients:
            _paragraph(left, "Nơi nhận:", s.header_pt, bold=True, underline=True, align="left")
            for line in closing.recipients:
                _paragraph(left, f"- {line}", s.recipients_pt, align="left")
        elif len(signatures) > 1:
            _signature(left, signatures.pop(0), s.header_pt)
        if signatures:
            _signature(right, signatures[0], s.header_pt)
        for cell in (left, right):
            for paragraph in cell.paragraphs[:-1]:
                paragraph.paragraph_format.keep_with_next = True
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _signature(cell: Any, signature: Any, size: float) -> None:
    if signature.authority:
        _paragraph(cell, signature.authority, size, bold=True)
    _paragraph(cell, signature.title, size, bold=True, space_after=56)
    _paragraph(cell, signature.name, size, bold=True)
