"""``study_form.Form`` -> PDF bytes (reportlab, Noto Sans embedded): the quiz sheets and the
survey form in large type. Every piece of text is at least 18 pt; several forms in one
file, each starting on a new page, each page's foot naming whose form it is and "Trang 2/3"
counted within the form. A question stays on one page with its choices (a question longer
than a page splits between its choices).
"""

from __future__ import annotations

import html
import io
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from sotay_desktop.documents.fonts import SANS, register_fonts
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
    check_size,
    clean,
    grouped_code,
    qr_modules,
)

# lines at 1.2 times the type size and little room between a question's choices: a page
# holds as many whole questions as it can (a village prints 150 sheets)
LEADING = 1.2


def _esc(text: str) -> str:
    return html.escape(clean(text))


class QrCode(Flowable):
    """The QR of a member code as vector squares: sharp at any printer's resolution."""

    def __init__(self, code: str, side: float) -> None:
        super().__init__()
        self.modules = qr_modules(code)
        self.side = side

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        canvas = self.canv
        step = self.side / len(self.modules)
        canvas.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(self.modules):
            y = self.side - (r + 1) * step
            c = 0
            while c < len(row):          # one rectangle per run of dark modules
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                canvas.rect(start * step, y, (c - start) * step, step, stroke=0, fill=1)


class TickBox(Flowable):
    """An empty square to tick, drawn at the text's size."""

    def __init__(self, side: float) -> None:
        super().__init__()
        self.side = side

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        self.canv.setLineWidth(1.4)
        self.canv.rect(0, 0, self.side, self.side, stroke=1, fill=0)


class FormStart(Flowable):
    """Marks the page where a form starts: the canvas counts the pages of each form."""

    def __init__(self, number: int, label: str) -> None:
        super().__init__()
        self.number, self.label = number, label

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        setattr(self.canv, "form_mark", (self.number, self.label))  # noqa: B010


class _Builder:
    """The flowables of forms at one size."""

    def __init__(self, size: int, width: float, frame: float) -> None:
        self.size = size
        self.width = width
        self.frame = frame          # the height of a page's frame

    def para(self, text: str, size: float | None = None, *, bold: bool = False,
             align: Literal[0, 1, 2] = 0, after: float = 0,
             markup: str | None = None) -> Paragraph:
        points = size or self.size
        body = markup if markup is not None else _esc(text)
        if bold:
            body = f"<b>{body}</b>"
        return Paragraph(body, ParagraphStyle(
            "f", fontName=SANS, fontSize=points, leading=points * LEADING, alignment=align,
            spaceAfter=after))

    def table(self, rows: list[list[Any]], *, colWidths: list[float],
              style: list[Any]) -> Table:
        """A table whose cells start on the embedded sans at the body's size (reportlab's
        default, Helvetica 10, would be named in the file)."""
        return Table(rows, colWidths=colWidths,
                     style=[("FONTNAME", (0, 0), (-1, -1), SANS),
                            ("FONTSIZE", (0, 0), (-1, -1), MIN_PT), *style])

    def heading(self, form: Form) -> list[Any]:
        left = [self.para(form.superior.upper(), MIN_PT)] if form.superior else []
        left.append(self.para(form.branch.upper(), MIN_PT, bold=True))
        right = [self.para(form.number, MIN_PT, align=2)] if form.number else []
        top = self.table([[left, right]], colWidths=[self.width * 0.64, self.width * 0.36],
                    style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        story: list[Any] = [top, Spacer(1, self.size * 0.4),
                            self.para(form.title.upper(), self.size + 4, bold=True, align=1),
                            self.para(form.subtitle, self.size, bold=True, align=1)]
        if form.plan_line:
            story.append(self.para(form.plan_line, self.size, align=1))
        story.append(Spacer(1, self.size * 0.4))
        if form.who is not None:
            story += [self.who(form.who), Spacer(1, self.size * 0.4)]
        if form.instructions:
            story.append(self.para(form.instructions, after=self.size * 0.4))
        return story

    def who(self, who: Who) -> Table:
        blank = "." * 30
        name = f"Họ và tên: <b>{_esc(who.name)}</b>" if who.name else f"Họ và tên: {blank}"
        lines: list[Any] = [self.para("", markup=name, after=self.size * 0.25)]
        if who.born or not who.name:
            lines.append(self.para(f"Năm sinh: {who.born or '.' * 12}",
                                   after=self.size * 0.25))
        if who.code:
            lines.append(self.para("", markup=f"Mã số: <b>{_esc(grouped_code(who.code))}</b>"))
        style: list[Any] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                            ("BOX", (0, 0), (-1, -1), 0.8, "black"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 8),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                            ("TOPPADDING", (0, 0), (-1, -1), 6),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
        if not who.code:
            return self.table([[lines]], colWidths=[self.width], style=style)
        side = QR_MM * mm
        return self.table([[lines, QrCode(who.code, side)]],
                     colWidths=[self.width - side - 12, side + 12], style=style)

    def item(self, item: Item) -> list[list[Any]]:
        """The question as groups of flowables, each group kept on one page (the caller
        wraps them: reportlab breaks a page before a KeepTogether nested in another)."""
        text = f"<b>Câu {item.number}.</b> {_esc(item.text)}"
        if hint(item):
            text += f" {_esc(hint(item))}"
        question = self.para("", markup=text, after=self.size * 0.15)
        if not item.choices:
            return [[question, *self.lines(item.lines)]]
        box_column = self.size * 2.4
        rows = [self.table([[TickBox(self.size * 1.05), self.para(choice_text(i, c))]],
                      colWidths=[box_column, self.width - box_column],
                      style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (0, -1), self.size * 0.7),
                             ("LEFTPADDING", (1, 0), (1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 1),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), self.size * 0.2)])
                for i, c in enumerate(item.choices)]
        spacer = Spacer(1, self.size * 0.45)
        heights = [part.wrap(self.width, self.frame)[1] for part in (question, *rows)]
        if sum(heights) <= self.frame * 0.9:
            return [[question, *rows, spacer]]
        # longer than a page: the question starts here (a question itself longer than half
        # a page splits), its first choice with it; the others follow, each whole; the last
        # choice carries the space after it, so what follows the question can keep with it
        if heights[0] > self.frame * 0.5:
            return [[question], *([row] for row in rows[:-1]), [rows[-1], spacer]]
        return [[question, rows[0]], *([row] for row in rows[1:-1]), [rows[-1], spacer]]

    def lines(self, count: int) -> list[Paragraph]:
        dots = int(self.width * 0.97 / stringWidth(".", SANS, self.size))
        return [self.para("." * dots, after=self.size * 0.35) for _ in range(count)]


def _story(forms: Sequence[Form], size: int, width: float, frame: float) -> list[Any]:
    story: list[Any] = []
    build = _Builder(size, width, frame)
    for index, form in enumerate(forms):
        if index:
            story.append(PageBreak())
        story.append(FormStart(index, foot_label(form)))
        story += build.heading(form)
        groups = [group for item in form.items for group in build.item(item)]
        if form.tail:
            # the marking line never stands alone on a last page: the last question's last
            # group goes with it
            groups[-1] = [*groups[-1], Spacer(1, size * 0.3),
                          *(build.para(line, after=size * 0.3) for line in form.tail)]
        # one flowable alone is left free (a question longer than a page starts here)
        story += [group[0] if len(group) == 1 else KeepTogether(group) for group in groups]
    return story


def _fit(text: str, width: float) -> str:
    """``text`` cut with "…" to ``width`` at the foot's size (the size never goes down)."""
    if stringWidth(text, SANS, MIN_PT) <= width:
        return text
    while text and stringWidth(text + "…", SANS, MIN_PT) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_forms_pdf(forms: Sequence[Form], *, size: int, title: str, author: str) -> bytes:
    """The forms in one PDF, each starting on a new page."""
    check_size(size)
    if not forms:
        raise ValueError("no form to render")
    register_fonts()
    top, bottom, left, right = (v * mm for v in MARGINS_MM)
    width = A4[0] - left - right - 12          # the frame's padding

    class _Canvas(Canvas):
        """Draws each page's foot once all pages are known ("Trang 2/3" within a form)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.form_mark: tuple[int, str] = (0, "")
            self.pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name: the page is kept, drawn at save
            self.pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            totals = Counter(page["form_mark"][0] for page in self.pages)
            seen: Counter[int] = Counter()
            for page in self.pages:
                self.__dict__.update(page)
                number, label = self.form_mark
                seen[number] += 1
                count = f"Trang {seen[number]}/{totals[number]}"
                base = bottom * 0.4
                x0, x1 = left + 6, A4[0] - right - 6
                self.setFont(SANS, MIN_PT)
                room = x1 - x0 - stringWidth(count, SANS, MIN_PT) - MIN_PT
                self.drawString(x0, base, _fit(label, room))
                self.drawRightString(x1, base, count)
                self.setLineWidth(0.5)
                self.line(x0, base + MIN_PT * 1.1, x1, base + MIN_PT * 1.1)
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top,
                      bottomMargin=bottom, title=clean(title), author=clean(author),
                      initialFontName=SANS, initialFontSize=size,
                      ).build(_story(forms, size, width, A4[1] - top - bottom - 12),
                              canvasmaker=_Canvas)
    return buffer.getvalue()
