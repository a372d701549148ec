"""The large-type packet for elderly members: one PDF, a copy per member.

Every piece of text is at least the chosen size (18, 20 or 24 pt), in Noto Sans,
black on white, with 1.5 line spacing; long documents are reflowed onto more
pages, never shrunk. Each copy is "Trang 1/12 … 12/12" on its own. The body is
laid out once per cover length and shared by all copies; only the covers differ.

No page holds a single line: paragraphs never leave one line behind or alone
(widow and orphan control), headings stay with what follows, and the last two
blocks of a section stay together. Titles, headings and names wrap only between
words: a word too wide for the line makes that text smaller (never below the
chosen size) instead of being cut. The cover carries the agenda, and a new
section starts on a new page only when little of the page is left, so 55 copies
stay a reasonable pile of paper.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from typing import Any, Literal

from sotay_core.domain.text import nfc
from sotay_desktop.documents.fonts import SANS, register_fonts
from sotay_desktop.documents.meeting_data import MeetingData, require_names

Paper = Literal["a4", "a5"]
SIZES = (18, 20, 24)


@dataclass(frozen=True, slots=True)
class PacketDocument:
    title: str
    number: str
    text: str


@dataclass(frozen=True, slots=True)
class PacketRequest:
    meeting: MeetingData
    members: tuple[str, ...] = ()          # names for the covers; empty: one copy, no name
    documents: tuple[PacketDocument, ...] = ()
    font_size: int = 20
    paper: Paper = "a4"


def _esc(text: str) -> str:
    return html.escape(nfc(text))


def _page_size(paper: Paper) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4, A5

    width, height = A5 if paper == "a5" else A4
    return float(width), float(height)


def _margins(paper: Paper) -> float:
    from reportlab.lib.units import mm

    return float((12 if paper == "a5" else 18) * mm)


def _frame_width(request: PacketRequest) -> float:
    # SimpleDocTemplate's frame has 6 pt of padding on each side
    return _page_size(request.paper)[0] - 2 * _margins(request.paper) - 12


def _styles(size: int) -> dict[str, Any]:
    from reportlab.lib.colors import black
    from reportlab.lib.styles import ParagraphStyle

    def make(name: str, points: float, *, bold: bool = False, align: Literal[0, 1] = 0,
             after: float = 0.6, keep: bool = False) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=f"{SANS}-Bold" if bold else SANS,
                              fontSize=points, leading=points * 1.5, alignment=align,
                              spaceAfter=points * after, textColor=black,
                              allowWidows=0, allowOrphans=0, keepWithNext=int(keep),
                              embeddedHyphenation=1)   # a line may end after a hyphen

    return {"body": make("body", size), "heading": make("heading", size + 4, bold=True,
                                                          keep=True),
            "title": make("title", size + 8, bold=True, align=1, keep=True),
            "center": make("center", size, align=1),
            "strong": make("strong", size, bold=True, keep=True)}


def _fitted(text: str, style: Any, width: float, floor: float, *,
            one_line: bool = False) -> Any:
    """A paragraph that wraps only between words (or after a hyphen in one): shrink (not below
    ``floor``) until its widest word fits, or with ``one_line`` until the whole text fits on
    one line if it can."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    text = nfc(text)
    words = [piece for word in text.split() for piece in _HYPHENATED.findall(word)] or [""]
    size = float(style.fontSize)

    def fits(points: float) -> bool:
        if one_line:
            return stringWidth(text, style.fontName, points) <= width
        return max(stringWidth(w, style.fontName, points) for w in words) <= width

    if one_line and stringWidth(text, style.fontName, floor) > width:
        one_line = False      # it wraps whatever the size: keep the size, wrap on spaces
    while size > floor and not fits(size):
        size = max(floor, size - 1)
    fitted = style.clone(style.name, fontSize=size, leading=size * 1.5,
                         splitLongWords=int(not fits(size)))   # only an unbreakable code
    return Paragraph(_esc(text), fitted)


_HYPHENATED = re.compile(r"[^-]*-|[^-]+")     # "Xây-dựng" -> "Xây-", "dựng"


def _paragraphs(text: str, style: Any) -> list[Any]:
    from reportlab.platypus import Paragraph

    blocks = [b.strip() for b in nfc(text).replace("\r", "").split("\n")]
    return [Paragraph(_esc(b), style) for b in blocks if b]


def _section(flowables: list[Any], width: float) -> list[Any]:
    """A section of the body, whose last block, if it is one line, never stands alone on a
    page: it is kept with the block before it. (Longer paragraphs split with at least two
    lines on each page; chaining them too would leave half-empty pages.)

    keepWithNext, not KeepTogether: reportlab chains keepWithNext flowables (a heading
    and what follows) but never joins a heading to a KeepTogether."""
    if len(flowables) >= 2:
        last = flowables[-1]
        last.wrap(width, 10_000)
        lines = getattr(getattr(last, "blPara", None), "lines", None)
        if lines is not None and len(lines) <= 1:
            flowables[-2].keepWithNext = 1
    return flowables


def _headed(flowables: list[Any], width: float, line: float) -> list[Any]:
    """Headings start a new page unless they and two lines of what follows fit: a
    CondPageBreak before each run of headings, which stay chained to each other but not to
    the paragraph after them (keepWithNext would carry a whole long paragraph over and
    leave half a page empty; the paragraph may split, keeping two lines on each side)."""
    from reportlab.platypus import CondPageBreak

    def is_heading(flowable: Any) -> bool:
        return getattr(getattr(flowable, "style", None), "name", "") in ("heading", "strong")

    out: list[Any] = []
    index = 0
    while index < len(flowables):
        if not is_heading(flowables[index]):
            out.append(flowables[index])
            index += 1
            continue
        run = []
        while index < len(flowables) and is_heading(flowables[index]):
            run.append(flowables[index])
            index += 1
        height = sum(h.wrap(width, 10_000)[1] + h.style.spaceAfter for h in run)
        following = (flowables[index].wrap(width, 10_000)[1] if index < len(flowables)
                     else 0.0)     # a one-line paragraph after it needs one line, not two
        for heading in run[:-1]:
            heading.keepWithNext = 1
        run[-1].keepWithNext = 1 if index >= len(flowables) else 0
        out += [CondPageBreak(height + min(2 * line, following + 1)), *run]
    return out


def results_month(meeting: MeetingData) -> int:
    from sotay_desktop.documents.party_docs import results_month as month

    return month(meeting)


def _body_story(request: PacketRequest) -> list[Any]:
    from reportlab.platypus import CondPageBreak, Paragraph

    st = _styles(request.font_size)
    width, floor = _frame_width(request), request.font_size
    # a section starts on a new page only when less than a third of the page is left
    new_section = CondPageBreak(_page_size(request.paper)[1] / 3)
    line = st["body"].leading + st["body"].spaceAfter
    meeting = request.meeting
    story: list[Any] = []
    resolution = meeting.resolution
    if resolution is not None:
        heading = "NGHỊ QUYẾT" if resolution.adopted else "DỰ THẢO NGHỊ QUYẾT"
        part: list[Any] = [_fitted(heading, st["heading"], width, floor)]
        if resolution.summary:
            part.append(_fitted(resolution.summary, st["strong"], width, floor))
        if resolution.results:
            part.append(_fitted(f"I. Kết quả thực hiện nhiệm vụ tháng {results_month(meeting)}",
                                st["strong"], width, floor))
            part += _paragraphs(resolution.results, st["body"])
        if resolution.tasks:
            part.append(_fitted("II. Nhiệm vụ và giải pháp", st["strong"], width, floor))
            for n, task in enumerate(resolution.tasks, start=1):
                who = f" (Phụ trách: {task.responsible})" if task.responsible else ""
                part.append(Paragraph(_esc(f"{n}. {task.text}{who}"), st["body"]))
        if resolution.implementation:
            part.append(_fitted("III. Tổ chức thực hiện", st["strong"], width, floor))
            part += _paragraphs(resolution.implementation, st["body"])
        story += _section(_headed(part, width, line), width)
    for document in request.documents:
        part = [_fitted(document.title, st["heading"], width, floor)]
        if document.number:
            part.append(_fitted(f"Số {document.number}", st["strong"], width, floor))
        part += _paragraphs(document.text or "(Văn bản không có chữ để in.)", st["body"])
        part = _section(_headed(part, width, line), width)
        story += [new_section, *part] if story else part
    return story


def _cover_story(request: PacketRequest, member: str) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = _styles(request.font_size)
    width, floor = _frame_width(request), request.font_size
    m = request.meeting
    story: list[Any] = [
        _fitted(m.branch.upper(), st["center"], width, floor),
        Spacer(1, request.font_size),
        _fitted("TÀI LIỆU SINH HOẠT CHI BỘ", st["title"], width, floor, one_line=True),
        _fitted(m.title, st["center"], width, floor),
        Paragraph(_esc(f"Ngày {m.date.strftime('%d/%m/%Y')}, lúc {m.starts_at or '…'}"),
                  st["center"]),
        Paragraph(_esc(m.location), st["center"]),
    ]
    if member:
        story += [Spacer(1, request.font_size),
                  _fitted(f"Kính gửi đồng chí: {member}", st["strong"], width, floor)]
    if m.agenda:
        agenda = [Spacer(1, request.font_size),
                  _fitted("CHƯƠNG TRÌNH SINH HOẠT", st["heading"], width, floor)]
        agenda += [Paragraph(f"{n}. {_esc(item)}", st["body"])
                   for n, item in enumerate(m.agenda, start=1)]
        story += _section(agenda, width)
    return story


def _build(story: list[Any], request: PacketRequest, *, first_page: int,
           total: int | None) -> tuple[bytes, int]:
    """Lay out ``story``; pages are numbered from ``first_page`` of ``total``."""
    from reportlab.platypus import SimpleDocTemplate

    size = _page_size(request.paper)
    margin = _margins(request.paper)
    pages: list[int] = []

    def number(canvas: Any, doc: Any) -> None:
        pages.append(doc.page)
        if total is not None:
            canvas.setFont(SANS, request.font_size)
            canvas.setFillColor("black")
            canvas.drawCentredString(size[0] / 2, margin * 0.45,
                                     f"Trang {first_page + doc.page - 1}/{total}")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=size, leftMargin=margin, rightMargin=margin,
                      topMargin=margin, bottomMargin=margin + request.font_size * 1.6,
                      title=request.meeting.title, author=request.meeting.branch,
                      initialFontName=SANS, initialFontSize=request.font_size,
                      ).build(story, onFirstPage=number, onLaterPages=number)
    return buffer.getvalue(), len(pages)


def render_packet(request: PacketRequest) -> bytes:
    if request.font_size < min(SIZES):
        raise ValueError(f"font size {request.font_size} is below {min(SIZES)} pt")
    require_names(request.meeting)
    from pypdf import PdfReader, PdfWriter

    register_fonts()
    covers = request.members or ("",)
    cover_lengths = {name: _build(_cover_story(request, name), request, first_page=1,
                                  total=None)[1] for name in dict.fromkeys(covers)}
    has_body = bool(_body_story(request))     # (reportlab's build empties the story list)
    body_pages = (_build(_body_story(request), request, first_page=2, total=None)[1]
                  if has_body else 0)
    # The body is laid out once for each cover length (a long name may take a page more).
    bodies: dict[int, Any] = {}
    for length in sorted(set(cover_lengths.values())):
        if has_body:
            body, _ = _build(_body_story(request), request, first_page=length + 1,
                             total=length + body_pages)
            bodies[length] = PdfReader(io.BytesIO(body)).pages
        else:
            bodies[length] = []
    writer = PdfWriter()
    for name in covers:
        length = cover_lengths[name]
        cover, _ = _build(_cover_story(request, name), request, first_page=1,
                          total=length + body_pages)
        for page in PdfReader(io.BytesIO(cover)).pages:
            writer.add_page(page)
        for page in bodies[length]:
            writer.add_page(page)
    writer.add_metadata({"/Title": request.meeting.title, "/Author": request.meeting.branch})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
