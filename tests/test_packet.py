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


# --- no lone lines, no broken words (A5 at 20 pt is the tightest common case)

def _page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's text lines as PDFium reads them, without the "Trang x/y" footer."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    pages = []
    try:
        for page in document:
            text = unicodedata.normalize("NFC", page.get_textpage().get_text_range())
            text = text.replace("\ufffe", "-\n")   # PDFium's mark for a hyphen ending a line
            lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
            pages.append([line for line in lines
                          if line and not (line.startswith("Trang ") and "/" in line)])
    finally:
        document.close()
    return pages


def _words(*texts: str) -> set[str]:
    """Every word, and every run of a hyphenated word cut after its hyphens (a line may end
    after "Xây-"): anything else on a line is a word cut in the middle."""
    import re

    found = set()
    for word in (w for text in texts for w in unicodedata.normalize("NFC", text).split()):
        pieces = re.findall(r"[^-]*-|[^-]+", word)
        found |= {"".join(pieces[i:j]) for i in range(len(pieces))
                  for j in range(i + 1, len(pieces) + 1)}
    return found


SENTENCE = ("Các đồng chí đảng viên nêu cao tinh thần trách nhiệm, gương mẫu đi đầu trong thực "
            "hiện chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.")


@pytest.mark.parametrize("paper", ["a5", "a4"])
def test_no_page_holds_a_single_line(paper: str) -> None:
    """Documents of every length from 1 to 30 sentences, so that each way a page can end is
    met: no page of any copy is left with one line of text."""
    for count in range(1, 31):
        text = "\n".join([SENTENCE] * (count // 3 + 1))
        extra = PacketDocument("Công văn", "", "Một dòng cuối." if count % 2 else SENTENCE)
        request = PacketRequest(_data(), members=("Nguyễn Văn An",), paper=paper,  # type: ignore[arg-type]
                                documents=(PacketDocument("Chỉ thị", "12-CT/TU",
                                                          " ".join([SENTENCE] * count)),
                                           PacketDocument("Hướng dẫn", "", text), extra),
                                font_size=20)
        for number, lines in enumerate(_page_lines(render_packet(request)), start=1):
            assert len(lines) >= 2, (count, number, lines)


def test_titles_and_names_never_break_inside_a_word_on_a5_at_20_pt() -> None:
    title = ("Hướng dẫn thực hiện Quy định số 22-QĐ/TW-2021/HĐKT-ĐUK về công tác kiểm tra, "
             "giám sát và kỷ luật của Đảng")
    member = "Tôn Nữ Hoàng Thị Phương Thảo-Nguyễn Thị Bích Ngọc"
    meeting = _data(title="Sinh hoạt chi bộ chuyên đề Quý IV/2026: "
                          "Xây-dựng-Đảng-trong-sạch-vững-mạnh")
    document = PacketDocument(title, "1234-HD/BTCTW-BKTTW", SENTENCE)
    pdf = render_packet(PacketRequest(meeting, members=(member,), documents=(document,),
                                      paper="a5", font_size=20))
    known = _words(title, member, "Kính gửi đồng chí:", meeting.title, meeting.branch.upper(),
                   "TÀI LIỆU SINH HOẠT CHI BỘ", "Số 1234-HD/BTCTW-BKTTW", SENTENCE,
                   "CHƯƠNG TRÌNH SINH HOẠT NGHỊ QUYẾT", meeting.location,
                   meeting.resolution.summary if meeting.resolution else "",
                   "I. Kết quả thực hiện nhiệm vụ tháng 3 II. Nhiệm vụ và giải pháp "
                   "III. Tổ chức thực hiện", meeting.resolution.results,  # type: ignore[union-attr]
                   meeting.resolution.implementation,  # type: ignore[union-attr]
                   "1. Gieo cấy vụ xuân đúng khung thời vụ (Phụ trách: Trần Thị Bích)",
                   "Ngày 05/03/2026, lúc 19:30",
                   *(f"{n}. {item}" for n, item in enumerate(meeting.agenda, start=1)))
    pages = _page_lines(pdf)
    seen = _words(*(line for lines in pages for line in lines))
    assert seen - known == set()
    text = " ".join(" ".join(lines) for lines in pages).replace("- ", "-")
    assert member in text and "Xây-dựng-Đảng-trong-sạch-vững-mạnh" in text
    sizes = [s for page in PdfReader(io.BytesIO(pdf)).pages for s in _sizes(page)]
    assert min(sizes) >= 20      # shrunk to fit, never below the chosen size


def test_the_cover_carries_the_agenda_and_the_resolution_reviews_the_titles_month() -> None:
    pages = _page_lines(render_packet(PacketRequest(_data(), members=("Nguyễn Văn An",))))
    assert "CHƯƠNG TRÌNH SINH HOẠT" in pages[0] and "1. Thông tin thời sự" in pages[0]
    assert any("I. Kết quả thực hiện nhiệm vụ tháng 3" in line
               for lines in pages for line in lines)


def test_a_packet_without_the_officers_names_is_refused() -> None:
    from sotay_desktop.documents.meeting_data import MissingNamesError

    with pytest.raises(MissingNamesError) as info:
        render_packet(PacketRequest(_data(recorder=" ", secretary="")))
    assert info.value.roles == ("recorder", "signer")
    assert "thư ký, người ký (bí thư chi bộ)" in info.value.message("vi")
