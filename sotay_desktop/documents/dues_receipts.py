"""Receipt slips (phiếu thu đảng phí) for one month, in large type for elderly members.

One slip per member who paid that month (or per member asked for): the name, the month or
months paid together (the payments of that member made the same day by the same channel),
the amount in figures and in words, the channel, the date, and two signatures. Every piece
of text is at least the chosen size (18–24 pt, Noto Sans like the large-type packet); as
many slips as fit go on one A4 page, separated by a dashed line to cut along.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sotay_core.domain.dues import Month, PaymentChannel
from sotay_core.domain.dues_book import BookLine, DuesBook
from sotay_core.domain.errors import DomainError
from sotay_core.domain.text import nfc
from sotay_desktop.documents.dues_paper import CHANNEL_WORDS, BookHeader, months_list
from sotay_desktop.documents.fonts import SANS, register_fonts
from sotay_desktop.documents.layout import place_date
from sotay_desktop.documents.vn_money import amount_in_words, vnd_d

SIZES = range(18, 25)
RECEIPT_TITLE = "PHIẾU THU ĐẢNG PHÍ"


@dataclass(frozen=True, slots=True)
class Slip:
    name: str
    months: tuple[Month, ...]
    amount: int
    channel: PaymentChannel
    paid_on_text: str     # "Tân Lập, ngày 05 tháng 5 năm 2026"


def _slip(line: BookLine, month: Month, place: str) -> Slip:
    payment = line.cell(month).payment
    if payment is None:
        raise DomainError("dues_print.no_payment", member=line.name, month=str(month))
    together = [cell.payment for cell in line.cells if cell.payment is not None
                and cell.payment.paid_on == payment.paid_on
                and cell.payment.channel is payment.channel]
    return Slip(nfc(line.name), tuple(p.month for p in together),
                sum(p.amount for p in together), payment.channel,
                place_date(nfc(place), payment.paid_on))


def receipt_slips(book: DuesBook, month: Month, *, place: str,
                  member_ids: Iterable[str] | None = None) -> list[Slip]:
    """The slips to print, in the book's order (or the order asked); a member asked for who
    is not in the book or paid nothing that month is refused by name."""
    if month.year != book.year:
        raise DomainError("dues_print.month_not_in_book", month=str(month), year=book.year)
    if member_ids is None:
        lines = [line for line in book.lines if line.cell(month).payment is not None]
        if not lines:
            raise DomainError("dues_print.nothing_paid", month=str(month))
    else:
        by_id = {line.member_id: line for line in book.lines}
        lines = []
        for member_id in dict.fromkeys(member_ids):
            if member_id not in by_id:
                raise DomainError("dues_print.member_not_in_book", member=member_id,
                                  year=book.year)
            lines.append(by_id[member_id])
    return [_slip(line, month, place) for line in lines]


def _months_words(months: tuple[Month, ...]) -> str:
    text = months_list([str(month) for month in months])
    return f"tháng {text}" if len(months) == 1 else f"các tháng {text}"


def _slip_flowable(slip: Slip, header: BookHeader, size: int, width: float) -> Any:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer, Table

    def style(points: float, *, bold: bool = False, align: Literal[0, 1, 2] = 0) -> ParagraphStyle:
        return ParagraphStyle("slip", fontName=f"{SANS}-Bold" if bold else SANS,
                              fontSize=points, leading=points * 1.22, alignment=align)

    def para(text: str, points: float = size, *, bold: bool = False,
             align: Literal[0, 1, 2] = 0) -> Any:
        return Paragraph(html.escape(text), style(points, bold=bold, align=align))

    def field(label: str, value: str, *, strong: bool = False) -> Any:
        value_markup = f"<b>{html.escape(value)}</b>" if strong else html.escape(value)
        return Paragraph(f"{html.escape(label)}: {value_markup}", style(size))

    def signer(title: str, name: str) -> list[Any]:
        return [para(title, bold=True, align=1), Spacer(1, size * 1.9), para(name, align=1)]

    inner = width - 24
    signatures = Table([[signer("NGƯỜI NỘP", slip.name),
                         signer("NGƯỜI THU", nfc(header.treasurer))]],
                       colWidths=[inner / 2, inner / 2],
                       style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("FONTNAME", (0, 0), (-1, -1), SANS),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    body = [
        para(nfc(header.branch).upper(), bold=True, align=1),
        para(RECEIPT_TITLE, size + 6, bold=True, align=1),
        Spacer(1, size * 0.3),
        field("Họ và tên", slip.name, strong=True),
        field("Nộp đảng phí", _months_words(slip.months)),
        field("Số tiền", vnd_d(slip.amount), strong=True),
        field("Bằng chữ", amount_in_words(slip.amount)),
        field("Hình thức nộp", CHANNEL_WORDS[slip.channel]),
        para(slip.paid_on_text, align=2),
        signatures,
    ]
    return Table([[body]], colWidths=[width],
                 style=[("BOX", (0, 0), (-1, -1), 1, "black"),
                        ("FONTNAME", (0, 0), (-1, -1), SANS),
                        ("LEFTPADDING", (0, 0), (-1, -1), 12),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                        ("TOPPADDING", (0, 0), (-1, -1), 8),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])


def render_receipts_pdf(book: DuesBook, *, header: BookHeader, month: Month,
                        member_ids: Iterable[str] | None = None,
                        font_size: int = 20) -> bytes:
    if font_size not in SIZES:
        raise ValueError(f"font size {font_size} is outside 18–24 pt")
    slips = receipt_slips(book, month, place=header.place, member_ids=member_ids)
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, SimpleDocTemplate

    register_fonts()
    margin = 10 * mm
    width = A4[0] - 2 * margin - 12
    story: list[Any] = []
    for index, slip in enumerate(slips):
        if index:
            story.append(HRFlowable(width="100%", thickness=0.6, dash=(5, 4), color="black",
                                    spaceBefore=7, spaceAfter=7))
        story.append(_slip_flowable(slip, header, font_size, width))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin,
                      topMargin=margin, bottomMargin=margin,
                      title=f"{RECEIPT_TITLE} tháng {month}", author=nfc(header.branch),
                      initialFontName=SANS, initialFontSize=font_size).build(story)
    return buffer.getvalue()


def write_receipts_pdf(book: DuesBook, *, header: BookHeader, month: Month, path: Path,
                       member_ids: Iterable[str] | None = None, font_size: int = 20) -> None:
    path.write_bytes(render_receipts_pdf(book, header=header, month=month,
                                         member_ids=member_ids, font_size=font_size))
