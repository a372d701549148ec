"""The dues book's papers read back: the PDF book, the XLSX sheet, the receipt slips, and the
amount in Vietnamese words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sotay_core.domain.dues import DuesBasis, DuesCategory, Month, Payment, PaymentChannel
from sotay_core.domain.dues_book import DuesBook, MemberDues, build_book, due_for
from sotay_core.domain.errors import DomainError
from sotay_desktop.documents.dues_print import (
    BookHeader,
    amount_in_words,
    render_book_pdf,
    render_receipts_pdf,
    write_book_pdf,
    write_book_xlsx,
    write_receipts_pdf,
)
from sotay_desktop.documents.vn_money import vnd, vnd_d

HEADER = BookHeader(branch="Chi bộ thôn Đông Hòa", superior="Đảng bộ xã Tân Lập",
                    place="Tân Lập", made_on=dt.date(2026, 5, 28),
                    secretary="Nguyễn Văn Bình", treasurer="Trần Thị Hường")
THROUGH = Month(2026, 5)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Vũ", "Bùi", "Đỗ", "Hồ")
MIDDLES = ("Văn", "Thị", "Quốc", "Thị Phương", "Hữu", "Thị Ngọc", "Công", "Đức")
GIVEN = ("An", "Bình", "Cường", "Diễm", "Hưởng", "Thảo", "Ửng", "Toản", "Yến", "Lộc", "Nguyệt")


def _name(index: int) -> str:
    return (f"{SURNAMES[index % len(SURNAMES)]} {MIDDLES[index // 3 % len(MIDDLES)]} "
            f"{GIVEN[index // 7 % len(GIVEN)]}")


def sample_book(count: int = 8) -> DuesBook:
    """A branch of ``count`` members in 2026, through May: salaried, pensioners, a student,
    farmers; one admitted in March, one of 50 years' membership (exempt), one with 2 and one
    with 3 unpaid months, one paying on the portal, one paying May to July on one day."""
    members: list[MemberDues] = []
    payments: list[Payment] = []
    bases = (DuesBasis(DuesCategory.INSURED_SALARY, 8_000_000),
             DuesBasis(DuesCategory.PENSION, 6_000_000),
             DuesBasis(DuesCategory.OTHER, 20_000), DuesBasis(DuesCategory.OTHER, 0),
             DuesBasis(DuesCategory.STUDENT))
    for index in range(count):
        member_id = f"m{index:03d}"
        admitted = dt.date(1970, 3, 2) if index == 4 else (
            dt.date(2026, 3, 15) if index == 5 else dt.date(1990 + index % 30, 6, 1))
        basis = bases[index % len(bases)]
        member = MemberDues(member_id, _name(index), admitted, bases=((Month(2000, 1), basis),))
        members.append(member)
        unpaid = {2: {Month(2026, 4), Month(2026, 5)},
                  3: {Month(2026, 2), Month(2026, 3), Month(2026, 5)}}.get(index, set())
        channel = PaymentChannel.PORTAL if index == 1 else PaymentChannel.CASH
        for month_number in range(1, 6):
            month = Month(2026, month_number)
            due = due_for(member, month)
            if due and month not in unpaid:
                payments.append(Payment(member_id, month, due,
                                        dt.date(2026, month_number, 5), channel))
        if index == 6:
            payments += [Payment(member_id, Month(2026, m), due_for(member, Month(2026, m)),
                                 dt.date(2026, 5, 5)) for m in (6, 7)]
    return build_book(members, payments, 2026, through=THROUGH)


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fonts(pdf: bytes) -> set[str]:
    found: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.add(f"{font.get_object()['/BaseFont']}{'' if embedded else ' (not embedded)'}")
    return found


def _sizes(page: Any) -> list[float]:
    found: list[float] = []

    def visit(operator: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if operator == b"Tf":
            found.append(float(args[1]))

    page.extract_text(visitor_operand_before=visit)
    return found


# --- amount in words --------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (1_000, "Một nghìn đồng"),
    (5_000, "Năm nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (25_000, "Hai mươi lăm nghìn đồng"),
    (11_000, "Mười một nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (110_000, "Một trăm mười nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
    (1_000_500, "Một triệu năm trăm đồng"),
    (1_234_567, "Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng"),
    (2_001_000_000, "Hai tỷ không trăm linh một triệu đồng"),
])
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_amount_in_words_southern_odd_and_negative() -> None:
    assert amount_in_words(105_000, odd="lẻ") == "Một trăm lẻ năm nghìn đồng"
    with pytest.raises(ValueError, match="negative"):
        amount_in_words(-1)


def test_figures_have_dots() -> None:
    assert (vnd(0), vnd(2_000), vnd_d(1_234_567)) == ("0", "2.000", "1.234.567 đ")


# --- the book as PDF --------------------------------------------------------------------


def test_book_pdf_is_landscape_a4_in_the_embedded_serif(tmp_path: Path) -> None:
    book = sample_book()
    path = tmp_path / "so.pdf"
    write_book_pdf(book, header=HEADER, path=path)
    pdf = path.read_bytes()
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)          # A4 landscape, in points
    fonts = _fonts(pdf)
    assert fonts and all("Tinos" in font and "not embedded" not in font for font in fonts)
    text = _pdf_text(pdf)
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ XÃ TÂN LẬP", "CHI BỘ THÔN ĐÔNG HÒA",
                  "SỔ THU NỘP ĐẢNG PHÍ", "Tân Lập, ngày 28 tháng 5 năm 2026", "NGƯỜI THU",
                  "BÍ THƯ CHI BỘ", "Nguyễn Văn Bình", "Trần Thị Hường"):
        assert words in text
    for line in book.lines:
        assert line.name in text


def test_book_pdf_totals_are_the_sum_of_the_payments() -> None:
    book = sample_book()
    paid = sum(cell.paid for line in book.lines for cell in line.cells)
    assert paid == book.collected > 0
    text = _pdf_text(render_book_pdf(book, header=HEADER))
    assert f"Tổng số thu năm 2026: {vnd_d(paid)}" in text
    assert amount_in_words(paid) in text
    assert vnd_d(book.retained) in text and vnd_d(book.sent_up) in text
    assert book.retained + book.sent_up == paid
    # the footer rows: each month's collected figure, and the year's in the last column
    footer = text[text.index("Cộng số thu"):text.index("Chi bộ được giữ lại")]
    figures = [int(f.replace(".", "")) for f in re.findall(r"\d{1,3}(?:\.\d{3})+|\d+", footer)]
    assert sum(figures[:-1]) == figures[-1] == paid


def test_book_pdf_marks_exempt_unpaid_portal_and_flags() -> None:
    book = sample_book()
    text = _pdf_text(render_book_pdf(book, header=HEADER))
    assert "Miễn" in text                        # 50 years' membership
    assert text.count("chưa nộp") >= 5 + 1       # 2 + 3 unpaid cells, and the legend
    assert "25.000*" not in text and re.search(r"\d\*", text)   # portal payments marked
    warn, strike = book.lines[2], book.lines[3]
    assert (f"Đảng viên chưa nộp đảng phí 2 tháng trong năm 2026: {warn.name} "
            "(tháng 04, 05/2026)") in text
    assert f"từ 3 tháng trở lên trong năm 2026: {strike.name} (tháng 02, 03, 05/2026)" in text


def test_three_hundred_members_paginate_with_the_heading_on_each_page() -> None:
    book = sample_book(300)
    pdf = render_book_pdf(book, header=HEADER)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert 8 <= len(pages) <= 20
    for number, page in enumerate(pages, start=1):
        text = " ".join(unicodedata.normalize("NFC", page.extract_text()).split())
        if "STT" in text or number < len(pages):     # the last page may hold only the end
            assert "Họ và tên" in text and "T12" in text
        if number > 1:
            assert f"Trang {number}" in text
    text = _pdf_text(pdf)
    assert all(line.name in text for line in book.lines[-3:])
    assert "BÍ THƯ CHI BỘ" in text


# --- the book as XLSX -------------------------------------------------------------------


def test_book_xlsx_values_totals_and_page_setup(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = sample_book()
    path = tmp_path / "so.xlsx"
    write_book_xlsx(book, header=HEADER, path=path)
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    members = [row for row in rows if isinstance(row[0], int)]
    assert [row[1] for row in members] == [line.name for line in book.lines]
    footer = {row[1]: row for row in rows if row[1] in ("Cộng số thu", "Chi bộ được giữ lại",
                                                        "Nộp cấp trên")}
    collected = footer["Cộng số thu"]
    for column in range(3, 15):
        paid = sum(row[column] for row in members if isinstance(row[column], int))
        assert collected[column] == paid
    assert collected[15] == book.collected == sum(row[15] for row in members)
    assert (footer["Chi bộ được giữ lại"][15], footer["Nộp cấp trên"][15]) == (
        book.retained, book.sent_up)
    assert not any(isinstance(value, str) and value.startswith("=")
                   for row in rows for value in row)
    assert "Miễn" in members[4] and members[3].count("chưa nộp") == 3
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.cell(row=9, column=4).number_format == "#,##0"


# --- receipts ---------------------------------------------------------------------------


def test_receipts_one_slip_per_payer_in_large_type(tmp_path: Path) -> None:
    book = sample_book()
    path = tmp_path / "phieu.pdf"
    write_receipts_pdf(book, header=HEADER, month=Month(2026, 5), path=path)
    pdf = path.read_bytes()
    text = _pdf_text(pdf)
    payers = [line for line in book.lines if line.cell(Month(2026, 5)).payment is not None]
    assert text.count("PHIẾU THU ĐẢNG PHÍ") == len(payers) == 5
    for line in payers:
        assert line.name in text
    assert "Cổng Dịch vụ công quốc gia" in text and "Tiền mặt" in text
    assert "Hai mươi lăm nghìn đồng" not in text     # nobody here owes 25.000
    advance = book.lines[6]
    three = sum(advance.cell(Month(2026, m)).paid for m in (5, 6, 7))
    assert "các tháng 05, 06, 07/2026" in text and vnd_d(three) in text
    assert amount_in_words(three) in text
    pages = PdfReader(io.BytesIO(pdf)).pages
    sizes = [size for page in pages for size in _sizes(page)]
    assert sizes and min(sizes) >= 18
    assert len(pages) < len(payers)                  # several slips on a page


def test_receipts_for_chosen_members_and_refusals() -> None:
    book = sample_book()
    pdf = render_receipts_pdf(book, header=HEADER, month=Month(2026, 1),
                              member_ids=["m001", "m000", "m001"], font_size=24)
    text = _pdf_text(pdf)
    assert text.count("PHIẾU THU ĐẢNG PHÍ") == 2
    assert text.index(book.lines[1].name) < text.index(book.lines[0].name)
    assert min(s for page in PdfReader(io.BytesIO(pdf)).pages for s in _sizes(page)) >= 24
    with pytest.raises(DomainError) as unpaid:
        render_receipts_pdf(book, header=HEADER, month=Month(2026, 5), member_ids=["m002"])
    message = unpaid.value.message("vi")
    assert book.lines[2].name in message and "05/2026" in message
    with pytest.raises(DomainError, match="not in the 2026 dues book"):
        render_receipts_pdf(book, header=HEADER, month=Month(2026, 5), member_ids=["x"])
    with pytest.raises(DomainError, match="no member has paid"):
        render_receipts_pdf(book, header=HEADER, month=Month(2026, 9))
    with pytest.raises(DomainError, match="not in the 2026"):
        render_receipts_pdf(book, header=HEADER, month=Month(2025, 12))
    with pytest.raises(ValueError, match="18"):
        render_receipts_pdf(book, header=HEADER, month=Month(2026, 1), font_size=12)


def test_names_font_size_is_the_names_size_and_nfd_names_come_out_composed() -> None:
    book = sample_book(3)
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    lines = (dataclasses.replace(book.lines[0], name=decomposed), *book.lines[1:])
    book = DuesBook(book.year, book.through, lines, book.totals)
    pdf = render_book_pdf(book, header=HEADER, names_font_size=14)
    assert 14 in _sizes(PdfReader(io.BytesIO(pdf)).pages[0])
    raw = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Nguyễn Thị Hường" in raw           # composed in the file, not only after NFC


def test_the_paper_says_when_the_book_began_after_january() -> None:
    from sotay_core.domain.dues_book import DuesBook
    from sotay_desktop.documents.dues_paper import as_of

    late = DuesBook(2026, Month(2026, 11), (), {}, Month(2026, 10))
    assert as_of(late) == ("(Sổ ghi trên phần mềm từ tháng 10/2026; "
                           "số liệu tính đến tháng 11/2026)")
    assert as_of(DuesBook(2026, Month(2026, 11), (), {}, Month(2024, 3))) == \
        "(Số liệu tính đến tháng 11/2026)"
    assert as_of(DuesBook(2025, Month(2026, 11), (), {}, Month(2025, 1))) == ""
