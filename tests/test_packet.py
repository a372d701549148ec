"""The large-type packet, read back: sizes, numbering per copy, paper, reflow."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest
from pypdf import PdfReader

from sotay_desktop.documents.packet import PacketDocument, PacketRequest, render_packet
from tests.test_party_documents import _data

LONG = "\n".join(f"Đoạn {i}: các đồng chí đảng viên nêu cao tinh thần trách nhiệm, gương mẫu "
                 "đi đầu trong thực hiện chủ trương của Đảng." for i in range(120))


def _sizes(page: Any) -> list[float]:
    found: list[float] = []

    def visit(operator: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if operator == b"Tf":
            found.append(float(args[1]))

    page.extract_text(visitor_operand_before=visit)
    return found


def _text(page: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", page.extract_text()).split())


@pytest.mark.parametrize("size", [18, 20, 24])
def test_every_text_is_at_least_the_chosen_size(size: int) -> None:
    pdf = render_packet(PacketRequest(_data(), documents=(PacketDocument("Chỉ thị", "12-CT/TU",
                                                                         LONG),),
                                      font_size=size))
    pages = PdfReader(io.BytesIO(pdf)).pages
    sizes = [s for page in pages for s in _sizes(page)]
    assert sizes and min(sizes) >= size


def test_a_copy_per_member_each_numbered_on_its_own() -> None:
    members = ("Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường")
    pdf = render_packet(PacketRequest(_data(), members=members, font_size=20))
    pages = PdfReader(io.BytesIO(pdf)).pages
    per_copy = len(pages) // 3
    assert len(pages) == 3 * per_copy
    for copy, name in enumerate(members):
        first, last = pages[copy * per_copy], pages[copy * per_copy + per_copy - 1]
        assert f"Kính gửi đồng chí: {name}" in _text(first)
        assert f"Trang 1/{per_copy}" in _text(first)
        assert f"Trang {per_copy}/{per_copy}" in _text(last)
    body = " ".join(_text(p) for p in pages[:per_copy])
    assert "NGHỊ QUYẾT" in body and "DỰ THẢO" not in body   # _data() is adopted
    assert "Gieo cấy vụ xuân đúng khung thời vụ (Phụ trách: Trần Thị Bích)" in body
    assert "CHƯƠNG TRÌNH SINH HOẠT" in body and "Thông tin thời sự" in body


def test_long_documents_reflow_onto_more_pages_never_shrink() -> None:
    short = PacketRequest(_data(), documents=(PacketDocument("A", "", "Một dòng."),))
    long = PacketRequest(_data(), documents=(PacketDocument("A", "", LONG),))
    short_pages = PdfReader(io.BytesIO(render_packet(short))).pages
    long_pages = PdfReader(io.BytesIO(render_packet(long))).pages
    assert len(long_pages) > len(short_pages) + 5
    assert min(s for p in long_pages for s in _sizes(p)) >= 20
    text = " ".join(_text(p) for p in long_pages)
    assert "Đoạn 119: các đồng chí đảng viên" in text   # nothing cut off


def test_a5_paper_and_a_document_without_text() -> None:
    pdf = render_packet(PacketRequest(_data(), documents=(PacketDocument("Ảnh chụp", "", ""),),
                                      paper="a5", font_size=18))
    reader = PdfReader(io.BytesIO(pdf))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (420, 595)   # A5 in points
    assert "Văn bản không có chữ để in" in " ".join(_text(p) for p in reader.pages)


def test_a_draft_is_called_a_draft() -> None:
    import dataclasses

    data = _data()
    draft = dataclasses.replace(data, resolution=dataclasses.replace(data.resolution,
                                                                     adopted=False))
    pages = PdfReader(io.BytesIO(render_packet(PacketRequest(draft)))).pages
    assert "DỰ THẢO NGHỊ QUYẾT" in " ".join(_text(p) for p in pages)


def test_sizes_below_18_are_refused() -> None:
    with pytest.raises(ValueError):
        render_packet(PacketRequest(_data(), font_size=12))
