"""What the dues book's papers share: the header data, and what each cell of the book says.

The PDF (``dues_print``), the spreadsheet (``dues_book_xlsx``) and the receipts
(``dues_receipts``) read one ``DuesBook`` (sotay_core/domain/dues_book.py) through these
functions, so the three papers never disagree. Fixed official wording lives here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from sotay_core.domain.dues import PaymentChannel, UnpaidFlag
from sotay_core.domain.dues_book import BookCell, BookLine, DuesBook
from sotay_core.domain.text import nfc
from sotay_desktop.documents.layout import place_date
from sotay_desktop.documents.vn_money import vnd

TITLE = "SỔ THU NỘP ĐẢNG PHÍ"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
EXEMPT = "Miễn"
UNPAID = "chưa nộp"
PORTAL_MARK = "*"
CHANNEL_WORDS = {PaymentChannel.CASH: "Tiền mặt",
                 PaymentChannel.PORTAL: "Cổng Dịch vụ công quốc gia"}
HEADINGS = ("STT", "Họ và tên", "Mức đóng/ tháng")
MONTHS_HEADING = "Số tiền đã nộp từng tháng (đồng)"
TOTAL_HEADING = "Cộng"
FOOTER_LABELS = ("Cộng số thu", "Chi bộ được giữ lại", "Nộp cấp trên")
LEGEND = (f"Ghi chú: số tiền tính bằng đồng; «{EXEMPT}»: được miễn đảng phí; «{UNPAID}»: "
          f"tháng đã qua chưa nộp; {PORTAL_MARK}: nộp qua Cổng Dịch vụ công quốc gia; "
          "ô được tô xám: tháng chưa hoặc không còn sinh hoạt tại chi bộ.")


@dataclass(frozen=True, slots=True)
class BookHeader:
    """Who the book belongs to. ``superior`` and ``branch`` as stored ("Đảng bộ xã Tân Lập",
    "Chi bộ thôn Đông Hòa"): the papers write them in capitals. ``made_on``: the date of the
    place-and-date line. ``treasurer``: the member who collects; empty leaves a blank to sign."""

    branch: str
    superior: str
    place: str
    made_on: dt.date
    secretary: str
    treasurer: str = ""

    @property
    def date_line(self) -> str:
        return place_date(nfc(self.place), self.made_on)


class Mark(StrEnum):
    PAID = "paid"
    EXEMPT = "exempt"
    UNPAID = "unpaid"      # a past month with something due and nothing paid
    OUTSIDE = "outside"    # not a member of the branch that month
    BLANK = "blank"        # nothing paid yet, not late (a month to come)


def mark(line: BookLine, cell: BookCell) -> Mark:
    if cell.payment is not None:
        return Mark.PAID
    if not cell.member:
        return Mark.OUTSIDE
    if cell.exempt:
        return Mark.EXEMPT
    if cell.month in line.unpaid:
        return Mark.UNPAID
    return Mark.BLANK


def cell_text(line: BookLine, cell: BookCell) -> str:
    """"25.000" ("25.000*" paid on the portal), "Miễn", "chưa nộp" or ""."""
    kind = mark(line, cell)
    if kind is Mark.PAID:
        assert cell.payment is not None
        portal = cell.payment.channel is PaymentChannel.PORTAL
        return vnd(cell.paid) + (PORTAL_MARK if portal else "")
    return {Mark.EXEMPT: EXEMPT, Mark.UNPAID: UNPAID}.get(kind, "")


def usual_due(book: DuesBook, line: BookLine) -> int | None:
    """The monthly due to print: the current month's when the member owes it, otherwise the
    most frequent due of the year's months as a member; None when every such month is
    exempt (or the member is in none of them)."""
    if book.through.year == book.year:
        current = line.cell(book.through)
        if current.member and current.due > 0:
            return current.due
    dues = Counter(cell.due for cell in line.cells if cell.member and cell.due > 0)
    return dues.most_common(1)[0][0] if dues else None


def due_text(book: DuesBook, line: BookLine) -> str:
    due = usual_due(book, line)
    if due is not None:
        return vnd(due)
    return EXEMPT if any(cell.member for cell in line.cells) else ""


def footer_values(book: DuesBook) -> list[tuple[str, list[int], int]]:
    """(label, one figure per month, the year's figure) for collected, retained, sent up."""
    totals = [book.month_totals(month) for month in book.months]
    return [
        (FOOTER_LABELS[0], [total.collected for total in totals], book.collected),
        (FOOTER_LABELS[1], [total.retained for total in totals], book.retained),
        (FOOTER_LABELS[2], [total.sent_up for total in totals], book.sent_up),
    ]


def months_list(months: list[str]) -> str:
    """["03/2026", "04/2026"] -> "03, 04/2026" (one year)."""
    if not months:
        return ""
    year = months[0].split("/")[1]
    if all(month.endswith(f"/{year}") for month in months):
        return ", ".join(month.split("/")[0] for month in months) + f"/{year}"
    return ", ".join(months)


def flagged_lines(book: DuesBook) -> list[str]:
    """The sentences naming members with 2, or 3 and more, unpaid months this year."""
    out: list[str] = []
    for flag, words in ((UnpaidFlag.WARN, "Đảng viên chưa nộp đảng phí 2 tháng"),
                        (UnpaidFlag.STRIKE_OFF,
                         "Đảng viên chưa nộp đảng phí từ 3 tháng trở lên")):
        lines = book.flagged(flag)
        if lines:
            names = "; ".join(
                f"{nfc(line.name)} (tháng {months_list([str(m) for m in line.unpaid])})"
                for line in lines)
            out.append(f"{words} trong năm {book.year}: {names}.")
    if not out:
        out.append(f"Không có đảng viên nào chưa nộp đảng phí từ 2 tháng trở lên trong năm "
                   f"{book.year} (tính đến tháng {book.through}).")
    return out


def as_of(book: DuesBook) -> str:
    """"(Số liệu tính đến tháng 05/2026)", or nothing for a closed year; and the month the
    book begins when it begins after January of the year (earlier months are not counted
    unpaid: the paper book holds them)."""
    parts = []
    if book.starts is not None and book.months[0] < book.starts <= book.months[-1]:
        parts.append(f"sổ ghi trên phần mềm từ tháng {book.starts}")
    if book.through < book.months[-1]:
        parts.append(f"số liệu tính đến tháng {book.through}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"({text[0].upper()}{text[1:]})"
