"""A short table never leaves the paragraph that introduces it alone at a page foot (the
monthly report's "Đảng viên chưa đóng đảng phí:" once ended page 1 with its table on 2)."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from sotay_desktop.documents.layout import Header, Para, PartyDocument, Table
from sotay_desktop.documents.pdf_render import render_pdf

LEAD_IN = "Đảng viên chưa đóng đảng phí:"


def _pages(fillers: int, rows: int) -> list[str]:
    filler = ("Chi bộ đã lãnh đạo thực hiện tốt các nhiệm vụ chính trị ở địa phương, "
              "đoàn kết, thống nhất trong chỉ đạo và tổ chức thực hiện.")
    blocks = [Para(f"{i}. {filler}") for i in range(fillers)]
    blocks.append(Para(LEAD_IN))
    blocks.append(Table(("STT", "Họ và tên"), tuple((str(n + 1), f"Người Thứ {n + 1}")
                                                  for n in range(rows)), (1, 6)))
    document = PartyDocument(
        header=Header(superior="Đảng bộ xã Tân Lập", issuer="Chi bộ thôn Đông Hòa",
                      number="Số 01-BC/CB", place="Tân Lập", date=dt.date(2026, 11, 22)),
        kind="Báo cáo", summary="Thử", blocks=tuple(blocks))
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_the_lead_in_goes_with_a_short_table_wherever_the_page_ends() -> None:
    for fillers in range(14, 30):
        pages = _pages(fillers, rows=3)
        [where] = [n for n, text in enumerate(pages) if LEAD_IN in text]
        assert "Người Thứ 1" in pages[where], fillers


def test_a_long_table_still_splits_with_its_heading_repeated() -> None:
    pages = _pages(5, rows=60)
    assert len(pages) >= 2
    assert all("Họ và tên" in text for text in pages if "Người Thứ" in text)
