"""The large-type packet for elderly members: one PDF, a copy per member.

Every piece of text is at least the chosen size (18, 20 or 24 pt), in Noto Sans,
black on white, with 1.5 line spacing; long documents are reflowed onto more
pages, never shrunk. Each copy is "Trang 1/12 … 12/12" on its own. The body is
laid out once and shared by all copies; only the covers differ.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from typing import Any, Literal

from sotay_desktop.documents.fonts import SANS, register_fonts
from sotay_desktop.documents.meeting_data import MeetingData
from sotay_desktop.domain.text import nfc

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


def _styles(size: int) -> dict[str, Any]:
    from reportlab.lib.colors import black
    from reportlab.lib.styles import ParagraphStyle

    def make(name: str, points: float, *, bold: bool = False, align: Literal[0, 1] = 0,
             after: float = 0.6) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=f"{SANS}-Bold" if bold else SANS,
                              fontSize=points, leading=points * 1.5, alignment=align,
                              spaceAfter=points * after, textColor=black)

    return {"body": make("body", size), "heading": make("heading", size + 4, bold=True),
            "title": make("title", size + 8, bold=True, align=1),
            "center": make("center", size, align=1),
            "strong": make("strong", size, bold=True)}


def _paragraphs(text: str, style: Any) -> list[Any]:
    from reportlab.platypus import Paragraph

    blocks = [b.strip() for b in nfc(text).replace("\r", "").split("\n")]
    return [Paragraph(_esc(b), style) for b in blocks if b]


def _body_story(request: PacketRequest) -> list[Any]:
    from reportlab.platypus import PageBreak, Paragraph

    st = _styles(request.font_size)
    meeting = request.meeting
    story: list[Any] = [Paragraph("CHƯƠNG TRÌNH SINH HOẠT", st["heading"])]
    story += [Paragraph(f"{n}. {_esc(item)}", st["body"])
              for n, item in enumerate(meeting.agenda, start=1)]
    resolution = meeting.resolution
    if resolution is not None:
        heading = "NGHỊ QUYẾT" if resolution.adopted else "DỰ THẢO NGHỊ QUYẾT"
        story += [PageBreak(), Paragraph(heading, st["heading"])]
        if resolution.summary:
            story.append(Paragraph(_esc(resolution.summary), st["strong"]))
        if resolution.results:
            story.append(Paragraph("I. Kết quả thực hiện nhiệm vụ tháng", st["strong"]))
            story += _paragraphs(resolution.results, st["body"])
        if resolution.tasks:
            story.append(Paragraph("II. Nhiệm vụ và giải pháp", st["strong"]))
            for n, task in enumerate(resolution.tasks, start=1):
                who = f" (Phụ trách: {task.responsible})" if task.responsible else ""
                story.append(Paragraph(_esc(f"{n}. {task.text}{who}"), st["body"]))
        if resolution.implementation:
            story.append(Paragraph("III. Tổ chức thực hiện", st["strong"]))
            story += _paragraphs(resolution.implementation, st["body"])
    for document in request.documents:
        story += [PageBreak(), Paragraph(_esc(document.title), st["heading"])]
        if document.number:
            story.append(Paragraph(_esc(f"Số {document.number}"), st["strong"]))
        story += _paragraphs(document.text or "(Văn bản không có chữ để in.)", st["body"])
    return story


def _cover_story(request: PacketRequest, member: str) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = _styles(request.font_size)
    m = request.meeting
    story: list[Any] = [
        Paragraph(_esc(m.branch.upper()), st["center"]),
        Spacer(1, request.font_size * 2),
        Paragraph("TÀI LIỆU SINH HOẠT CHI BỘ", st["title"]),
        Paragraph(_esc(m.title), st["center"]),
        Spacer(1, request.font_size),
        Paragraph(_esc(f"Ngày {m.date.strftime('%d/%m/%Y')}, lúc {m.starts_at or '…'}"),
                  st["center"]),
        Paragraph(_esc(m.location), st["center"]),
    ]
    if member:
        story += [Spacer(1, request.font_size * 2),
                  Paragraph(_esc(f"Kính gửi đồng chí: {member}"), st["strong"])]
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
    from pypdf import PdfReader, PdfWriter

    register_fonts()
    # The body is laid out twice: once to count its pages, once with "Trang x/y".
    _draft, body_pages = _build(_body_story(request), request, first_page=2, total=None)
    covers = request.members or ("",)
    # covers differ only by the name, which never takes a line more: measure one
    _cover, cover_length = _build(_cover_story(request, covers[0]), request, first_page=1,
                                  total=None)
    total = cover_length + body_pages
    body, _ = _build(_body_story(request), request, first_page=cover_length + 1, total=total)
    body_reader = PdfReader(io.BytesIO(body))
    writer = PdfWriter()
    for name in covers:
        cover, _ = _build(_cover_story(request, name), request, first_page=1, total=total)
        for page in PdfReader(io.BytesIO(cover)).pages:
            writer.add_page(page)
        for page in body_reader.pages:
            writer.add_page(page)
    writer.add_metadata({"/Title": request.meeting.title, "/Author": request.meeting.branch})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)

