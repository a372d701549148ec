"""``study_form.Form`` -> DOCX bytes (python-docx): the quiz sheets and the survey form in
large type, as the PDF (``study_form_pdf``) lays them out. Each form is a section of its
own (a new page, pages numbered from 1, a foot naming whose form it is and "Trang 2" from
Word's PAGE field). The tick boxes are one small PNG placed inline
at the text's size (no font needs a box glyph); the QR is segno's PNG of the member code.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from sotay_desktop.documents.study_form import (
    MARGINS_MM,
    MIN_PT,
    QR_MM,
    Form,
    Item,
    Who,
    choice_text,
    foot_label,
    hint,
)
from sotay_desktop.documents.study_paper_common import (
    DOCX_SANS,
    box_png,
    check_size,
    clean,
    grouped_code,
    qr_png,
)

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}
# sectPr children that come after pgNumType in the schema's order
_AFTER_PGNUM = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


class Pictures:
    """Inline pictures with ids counted here: python-docx's own ``add_picture`` searches the
    whole document for a free id at each picture, which takes minutes for 300 sheets."""

    def __init__(self, first_id: int = 1000) -> None:
        self.next_id = first_id

    def add(self, run: Any, blob: bytes, *, width: Any, height: Any = None) -> None:
        from docx.oxml.shape import CT_Inline

        r_id, image = run.part.get_or_add_image(io.BytesIO(blob))
        cx, cy = image.scaled_dimensions(width, height)
        self.next_id += 1
        run._r.add_drawing(CT_Inline.new_pic_inline(self.next_id, r_id, image.filename, cx, cy))


def font(run: Any, size: float, *, bold: bool = False, family: str = DOCX_SANS) -> Any:
    run.font.name = family
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)
    return run


def paragraph(container: Any, text: str, size: float, *, bold: bool = False,
              align: str = "left", after: float = 0) -> Any:
    out = container.add_paragraph()
    out.alignment = _ALIGN[align]
    form = out.paragraph_format
    form.space_before, form.space_after = Pt(0), Pt(after)
    form.line_spacing = 1.1
    if text:
        font(out.add_run(clean(text)), size, bold=bold)
    else:
        # an empty paragraph (a space, a picture's line) is as tall as its mark's size:
        # without one it took the style's (the body's 20 pt), so each "small" space
        # between questions was a full line and a question that fitted went overleaf
        mark = OxmlElement("w:rPr")
        points = OxmlElement("w:sz")
        points.set(qn("w:val"), str(max(2, round(size * 2))))
        mark.append(points)
        out._p.get_or_add_pPr().append(mark)
    return out


_TBL_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def table_property(table: Any, element: Any) -> None:
    """Set a table property in the schema's order (Word refuses a file out of order)."""
    properties = table._tbl.tblPr
    name = element.tag.rpartition("}")[2]
    for old in properties.findall(element.tag):
        properties.remove(old)
    later = {qn(f"w:{tag}") for tag in _TBL_ORDER[_TBL_ORDER.index(name) + 1:]}
    following = [child for child in properties if child.tag in later]
    if following:
        following[0].addprevious(element)
    else:
        properties.append(element)


def borders(table: Any, value: str, *, size: int = 6, dash: bool = False,
            inside: bool = True) -> None:
    """The table's borders "nil" (none) or drawn, solid or dashed; ``inside`` False draws
    the frame only."""
    element = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        side = OxmlElement(f"w:{edge}")
        drawn = value != "nil" and (inside or not edge.startswith("inside"))
        side.set(qn("w:val"), ("dashed" if dash else "single") if drawn else "nil")
        if drawn:
            side.set(qn("w:sz"), str(size))
            side.set(qn("w:color"), "000000")
        element.append(side)
    table_property(table, element)


def cell_margins(table: Any, top: int, left: int, bottom: int, right: int) -> None:
    """The cells' margins in twips."""
    element = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        element.append(margin)
    table_property(table, element)


def widths(table: Any, values_mm: Sequence[float]) -> None:
    """Fixed column widths that Word and LibreOffice keep."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table_property(table, layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(round(sum(values_mm) / 25.4 * 1440)))
    total.set(qn("w:type"), "dxa")
    table_property(table, total)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), values_mm,
                             strict=True):
        column.set(qn("w:w"), str(round(width / 25.4 * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, values_mm, strict=True):
            cell.width = Mm(width)


def empty_cell(cell: Any) -> Any:
    first = cell.paragraphs[0]
    first._element.getparent().remove(first._element)
    return cell


def field(run: Any, instruction: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "1":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._element.append(element)


def restart_numbers(section: Any) -> None:
    sect = section._sectPr
    for old in sect.findall(qn("w:pgNumType")):
        sect.remove(old)
    restart = OxmlElement("w:pgNumType")
    restart.set(qn("w:start"), "1")
    after = [c for c in sect if c.tag in {qn(f"w:{name}") for name in _AFTER_PGNUM}]
    if after:
        after[0].addprevious(restart)
    else:
        sect.append(restart)


def page_setup(section: Any) -> float:
    """A4 and the forms' margins; the usable width in mm."""
    top, bottom, left, right = MARGINS_MM
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.footer_distance = Mm(bottom * 0.35)
    return 210 - left - right


def foot(section: Any, label: str, usable_mm: float) -> None:
    section.footer.is_linked_to_previous = False
    out = section.footer.paragraphs[0]
    out.style = "Normal"             # not "Footer": its own tab stops come first
    out.paragraph_format.tab_stops.add_tab_stop(Mm(usable_mm), WD_TAB_ALIGNMENT.RIGHT)
    font(out.add_run(clean(label) + "\t"), MIN_PT)
    font(out.add_run("Trang "), MIN_PT)
    # the page within the form; not "of N": LibreOffice does not work out SECTIONPAGES
    field(font(out.add_run(), MIN_PT), "PAGE")


class _Writer:
    def __init__(self, out: Any, size: int, usable_mm: float, pictures: Pictures) -> None:
        self.out, self.size, self.usable = out, size, usable_mm
        self.pictures = pictures
        self.box = box_png()
        self.last: list[Any] = []       # the paragraphs of the last question written

    def heading(self, form: Form) -> None:
        top = self.out.add_table(1, 2, Mm(self.usable))
        borders(top, "nil")
        widths(top, [self.usable * 0.64, self.usable * 0.36])
        left, right = (empty_cell(c) for c in top.rows[0].cells)
        if form.superior:
            paragraph(left, form.superior.upper(), MIN_PT)
        paragraph(left, form.branch.upper(), MIN_PT, bold=True)
        paragraph(right, form.number, MIN_PT, align="right")
        paragraph(self.out, "", self.size * 0.5)
        paragraph(self.out, form.title.upper(), self.size + 4, bold=True, align="center")
        paragraph(self.out, form.subtitle, self.size, bold=True, align="center")
        if form.plan_line:
            paragraph(self.out, form.plan_line, self.size, align="center")
        paragraph(self.out, "", self.size * 0.5)
        if form.who is not None:
            self.who(form.who)
            paragraph(self.out, "", self.size * 0.5)
        if form.instructions:
            paragraph(self.out, form.instructions, self.size, after=self.size * 0.5)

    def who(self, who: Who) -> None:
        columns = [self.usable - QR_MM - 6, QR_MM + 6] if who.code else [self.usable]
        table = self.out.add_table(1, len(columns), Mm(self.usable))
        borders(table, "single", inside=False)
        widths(table, columns)
        cell_margins(table, 80, 140, 80, 80)
        cell = empty_cell(table.rows[0].cells[0])
        line = paragraph(cell, "", self.size, after=self.size * 0.25)
        font(line.add_run("Họ và tên: "), self.size)
        font(line.add_run(clean(who.name) if who.name else "." * 30), self.size,
             bold=bool(who.name))
        if who.born or not who.name:
            paragraph(cell, f"Năm sinh: {who.born or '.' * 12}", self.size,
                      after=self.size * 0.25)
        if who.code:
            line = paragraph(cell, "", self.size)
            font(line.add_run("Mã số: "), self.size)
            font(line.add_run(grouped_code(who.code)), self.size, bold=True)
            qr_cell = empty_cell(table.rows[0].cells[1])
            picture = paragraph(qr_cell, "", self.size, align="right")
            self.pictures.add(picture.add_run(), qr_png(who.code), width=Mm(QR_MM))

    def item(self, item: Item) -> None:
        question = paragraph(self.out, "", self.size, after=self.size * 0.15)
        self.last = [question]
        question.paragraph_format.keep_with_next = True
        question.paragraph_format.keep_together = True
        font(question.add_run(f"Câu {item.number}. "), self.size, bold=True)
        font(question.add_run(clean(item.text)), self.size)
        if hint(item):
            font(question.add_run(" " + hint(item)), self.size)
        if not item.choices:
            for number in range(item.lines):
                line = paragraph(self.out, "." * int(self.usable * 2.6 * 20 / self.size),
                                 self.size, after=self.size * 0.35)
                line.paragraph_format.keep_with_next = number < item.lines - 1
                self.last.append(line)
            return
        indent = Pt(self.size * 2.6)
        for index, text in enumerate(item.choices):
            choice = paragraph(self.out, "", self.size, after=self.size * 0.2)
            form = choice.paragraph_format
            form.left_indent, form.first_line_indent = indent, -indent + Pt(self.size * 0.4)
            form.tab_stops.add_tab_stop(indent)
            form.keep_with_next = index < len(item.choices) - 1
            form.keep_together = True
            self.pictures.add(choice.add_run(), self.box, width=Pt(self.size),
                              height=Pt(self.size))
            font(choice.add_run("\t" + choice_text(index, text)), self.size)
            self.last.append(choice)
        self.last.append(paragraph(self.out, "", self.size * 0.45))


def render_forms_docx(forms: Sequence[Form], *, size: int) -> bytes:
    """The forms in one DOCX, each a section starting on a new page.

    Each form is written into a small detached body and moved in whole before the last
    section's properties: python-docx looks for those properties from the body's first
    element at every paragraph added, which grows with the square of 300 sheets."""
    from docx.blkcntnr import BlockItemContainer
    from docx.section import Section

    check_size(size)
    if not forms:
        raise ValueError("no form to render")
    out = Document()
    normal = out.styles["Normal"]
    normal.font.name = DOCX_SANS
    normal.font.size = Pt(size)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)
    body = out.element.body
    final = body.sectPr
    blank = copy.deepcopy(final)         # a section's properties before any footer is set
    pictures = Pictures()
    for index, form in enumerate(forms):
        last = index == len(forms) - 1
        properties = final if last else copy.deepcopy(blank)
        section = Section(properties, out.part)
        usable = page_setup(section)
        restart_numbers(section)
        foot(section, foot_label(form), usable)
        scratch = OxmlElement("w:body")
        container = BlockItemContainer(scratch, out._body)
        writer = _Writer(container, size, usable, pictures)
        writer.heading(form)
        for item in form.items:
            writer.item(item)
        if form.tail:
            # the marking line never stands alone on a last page: the last question's
            # lines go with it
            for written in writer.last:
                written.paragraph_format.keep_with_next = True
            for text in form.tail:
                paragraph(container, text, size, after=size * 0.3)
        if not last:                     # the section ends with a paragraph holding it
            end = paragraph(container, "", 1)
            end._p.get_or_add_pPr().append(properties)
        for child in list(scratch):
            final.addprevious(child)
    if section.footer.is_linked_to_previous:      # pragma: no cover (set above)
        raise AssertionError("the last section has no foot")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
