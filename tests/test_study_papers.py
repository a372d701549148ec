"""The study papers (issue 21), read back as a person and a scanner see them: the cards' and
sheets' QR codes decoded by a maintained decoder (zxing-cpp) from the rendered pages
(PDFium) and from the DOCX's own images, every piece of the quiz sheet's text at 18 pt or
more (PDF and DOCX), Vietnamese text through pdftotext, long choices wrapped inside the
margins, 100 questions, and the refusals."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdfium2
import pytest
import zxingcpp
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from sotay_core.domain.errors import DomainError
from sotay_core.domain.study_plan import read_code
from sotay_desktop.documents.study_card import cards_from, render_cards
from sotay_desktop.documents.study_form import MARGINS_MM
from sotay_desktop.documents.study_paper_common import grouped_code
from sotay_desktop.documents.study_quiz_sheet import render_key, render_sheets
from tests import study_paper_fixtures as fx
from tests.review_fixtures import overflow, texts_by_size


def qr_from_pdf(pdf: bytes, dpi: int = 150) -> list[list[Any]]:
    """The QR codes found on each page, as zxing-cpp reads them."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [list(zxingcpp.read_barcodes(page.render(scale=dpi / 72).to_pil(),
                                            formats=zxingcpp.BarcodeFormat.QRCode))
                for page in document]
    finally:
        document.close()


def qr_from_docx(data: bytes) -> list[str]:
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("word/media/"):
                image = Image.open(io.BytesIO(package.read(name)))
                found += [r.text for r in zxingcpp.read_barcodes(image)]
    return found


def pdftotext(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", " ".join(out.split()))


def docx_text(data: bytes) -> str:
    """All the body's text, nested tables too, one paragraph a line."""
    body = docx.Document(io.BytesIO(data)).element.body
    lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    return unicodedata.normalize("NFC", "\n".join(lines))


def docx_sizes(data: bytes) -> list[float]:
    """Every run's size in the body, the tables and the feet (the style's when unset)."""
    document = docx.Document(io.BytesIO(data))
    default = document.styles["Normal"].font.size.pt
    sizes = []
    parts = [document.element.body]
    parts += [section.footer._element for section in document.sections]
    for part in parts:
        for run in part.iter(qn("w:r")):
            if run.find(qn("w:t")) is None or not "".join(
                    t.text or "" for t in run.iter(qn("w:t"))).strip():
                continue
            size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
            sizes.append(int(size.get(qn("w:val"))) / 2 if size is not None else default)
    return sizes


# --- the study card --------------------------------------------------------------------


@pytest.mark.parametrize("per_page", [8, 6])
def test_each_cards_qr_decodes_back_to_its_members_code(per_page: int) -> None:
    view = fx.plan_view(members=10)
    cards = cards_from(view)
    pdf = render_cards(cards, "pdf", branch=fx.INFO.branch, per_page=per_page)
    pages = qr_from_pdf(pdf)
    assert [len(found) for found in pages] == [per_page, 10 - per_page]
    decoded = [r.text for found in pages for r in found]
    assert sorted(decoded) == sorted(m.code for m in view.members)
    for result in (r for found in pages for r in found):
        # digits only, version 1 at level H: 14 characters fit there in numeric mode only
        assert result.text.isdigit() and read_code(result.text).code == result.text
        assert result.extra["Version"] == "1" and result.ec_level == "H"


def test_the_docx_cards_carry_the_same_codes_as_pictures() -> None:
    view = fx.plan_view(members=9)
    data = render_cards(cards_from(view), "docx", branch=fx.INFO.branch)
    assert sorted(qr_from_docx(data)) == sorted(m.code for m in view.members)
    text = docx_text(data)
    assert "Trần Thị Bích Hường" in text and grouped_code(view.members[1].code) in text


def test_the_docx_cards_are_made_in_a_fresh_process() -> None:
    """The DOCX measures names with the PDF's font: it registers the font itself."""
    script = ("import sys; from tests import study_paper_fixtures as fx; "
              "from sotay_desktop.documents.study_card import cards_from, render_cards; "
              "data = render_cards(cards_from(fx.plan_view(members=2)), 'docx', branch='x'); "
              "sys.stdout.write(str(len(data)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 1000


def test_a_card_prints_name_year_and_grouped_code_in_large_type() -> None:
    view = fx.plan_view(members=3)
    pdf = render_cards(cards_from(view), "pdf", branch=fx.INFO.branch)
    text = pdftotext(pdf)
    member = view.members[1]
    assert member.name in text and "Năm sinh: 1941" in text
    assert f"Mã số: {grouped_code(member.code)}" in text
    assert grouped_code(member.code).replace(" ", "") == member.code
    assert "CHI BỘ THÔN ĐÔNG HÒA" in text and "THẺ HỌC TẬP" in text
    pieces = texts_by_size(pdf)
    for name in (m.name for m in view.members):     # a long name wraps: each piece of it
        parts = [points for piece, points in pieces if len(piece) > 3 and piece in name]
        assert parts and min(parts) >= 20


def test_cards_refusals_are_in_words() -> None:
    view = fx.plan_view(members=2)
    with pytest.raises(DomainError) as err:
        render_cards(cards_from(view), "pdf", branch="x", per_page=5)
    assert "5" in err.value.message("vi")
    with pytest.raises(DomainError) as err:
        render_cards([], "pdf", branch="x")
    assert "thẻ học tập" in err.value.message("vi")
    with pytest.raises(DomainError):
        cards_from(view, ["no-such-member"])


# --- the quiz sheet ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [18, 20, 24])
def test_every_text_of_the_quiz_sheet_is_at_least_18_pt(size: int) -> None:
    view = fx.plan_view(members=2, questions=6, choices=5)
    pdf = render_sheets(view, "pdf", info=fx.INFO, size=size, blank=1)
    sizes = fx.font_sizes(pdf)
    assert sizes and min(sizes) >= 18
    assert max(sizes) >= size          # the body at the size chosen
    by_text = texts_by_size(pdf)
    assert all(points >= size for text, points in by_text if text.startswith("A. "))
    data = render_sheets(view, "docx", info=fx.INFO, size=size, blank=1)
    sizes = docx_sizes(data)
    assert sizes and min(sizes) >= 18 and size in sizes


def test_each_member_has_a_sheet_on_new_pages_with_a_readable_qr() -> None:
    view = fx.plan_view(members=4, questions=7)
    pdf = render_sheets(view, "pdf", info=fx.INFO)
    texts = [unicodedata.normalize("NFC", page.extract_text())
             for page in PdfReader(io.BytesIO(pdf)).pages]
    starts = [i for i, page in enumerate(texts) if "PHIẾU TRẢ LỜI CÂU HỎI" in page]
    assert len(starts) == 4 and starts[0] == 0
    codes = [found[0].text if found else None for found in qr_from_pdf(pdf)]
    assert [codes[i] for i in starts] == [m.code for m in view.members]
    for number, (start, member) in enumerate(zip(starts, view.members, strict=True), 1):
        assert f"Phiếu số {number}/4" in texts[start] and member.name in texts[start]
        pages = [*starts, len(texts)][number] - start
        for page in range(pages):        # a loose page still says whose it is
            assert member.name in texts[start + page]
            assert f"Trang {page + 1}/{pages}" in texts[start + page]
    docx_codes = qr_from_docx(render_sheets(view, "docx", info=fx.INFO))
    assert docx_codes == [m.code for m in view.members]


def test_the_sheet_keeps_the_vietnamese_text_through_pdftotext() -> None:
    view = fx.plan_view(members=10, questions=2)
    pdf = render_sheets(view, "pdf", info=fx.INFO, member_ids=["m0009"])
    text = pdftotext(pdf)
    assert "Nguyễn Thị Thanh Hương Giang" in text
    assert "Nghị quyết Đại hội XIV của Đảng xác định mục tiêu nào đến năm 2030?" in text
    assert "Theo Kế hoạch số 12-KH/ĐU của Đảng ủy xã Tân Lập" in text
    assert "Đánh dấu X vào một ô" in text and "ĐẢNG BỘ XÃ TÂN LẬP" in text


def test_six_long_choices_wrap_inside_the_margins() -> None:
    view = fx.plan_view(members=1, questions=3, choices=6, long=True)
    _, _, left, right = MARGINS_MM
    pdf = render_sheets(view, "pdf", info=fx.INFO, size=24)
    assert overflow(pdf, left_mm=left, right_mm=right) == []
    text = pdftotext(pdf)
    assert "F. Phương án F: phát triển kinh tế – xã hội" in text
    assert text.count("nhân dân ở nông thôn") == 18          # every choice, whole
    # the first question starts on the first page even though it is longer than a page
    first = unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Câu 1." in first and "A. Phương án A" in first


def test_a_hundred_questions_of_six_choices() -> None:
    view = fx.plan_view(members=2, questions=100, choices=6)
    pdf = render_sheets(view, "pdf", info=fx.INFO)
    text = pdftotext(pdf)
    assert all(f"Câu {n}." in text for n in range(1, 101))
    assert "trả lời đúng ........ / 100 câu (đạt khi đúng từ 50 câu)" in text
    body = docx_text(render_sheets(view, "docx", info=fx.INFO))
    assert "Câu 100." in body and body.count("F. Phương án F") == 200


def test_blank_sheets_carry_no_name_and_no_qr() -> None:
    view = fx.plan_view(members=3)
    pdf = render_sheets(view, "pdf", info=fx.INFO, member_ids=[], blank=2)
    text = pdftotext(pdf)
    assert not any(m.name in text for m in view.members)
    assert text.count("Phiếu số ......") == 2 and "Họ và tên: ......" in text
    assert all(not found for found in qr_from_pdf(pdf))


def test_the_answer_key_gives_letters_choices_and_explanations() -> None:
    view = fx.plan_view(members=3, questions=4)
    text = pdftotext(render_key(view, "pdf", info=fx.INFO))
    assert "ĐÁP ÁN" in text and "Đáp án nhanh: 1A 2B 3C 4D." in text
    assert "Văn kiện Đại hội XIV, phần mục tiêu tổng quát." in text
    assert "đúng từ 2/4 câu (50%)" in text
    key_docx = docx.Document(io.BytesIO(render_key(view, "docx", info=fx.INFO, large=True)))
    rows = [[c.text for c in row.cells] for row in key_docx.tables[-1].rows]
    assert rows[0] == ["Câu", "Đáp án", "Nội dung đáp án đúng", "Giải thích"]
    assert rows[3][:2] == ["3", "C"]
    # no explanation anywhere: no empty column for one
    plain = dataclasses.replace(view.plan, quiz=dataclasses.replace(view.plan.quiz, questions=tuple(
        dataclasses.replace(q, explanation="") for q in view.plan.quiz.questions)))
    key_docx = docx.Document(io.BytesIO(render_key(dataclasses.replace(view, plan=plain), "docx",
                                                   info=fx.INFO)))
    assert [c.text for c in key_docx.tables[-1].rows[0].cells] == [
        "Câu", "Đáp án", "Nội dung đáp án đúng"]


def test_the_quiz_sheets_refusals_are_in_words() -> None:
    no_quiz = fx.plan_view(members=2, with_quiz=False)
    with pytest.raises(DomainError) as err:
        render_sheets(no_quiz, "pdf", info=fx.INFO)
    assert "không có bộ câu hỏi" in err.value.message("vi")
    view = fx.plan_view(members=2)
    for bad in (17, 25, True):
        with pytest.raises(DomainError) as err:
            render_sheets(view, "pdf", info=fx.INFO, size=bad)  # type: ignore[arg-type]
        assert "18" in err.value.message("vi") and "24" in err.value.message("vi")
    with pytest.raises(DomainError) as err:
        render_sheets(view, "pdf", info=fx.INFO, member_ids=["stranger"])
    assert "stranger" in err.value.message("vi")
    with pytest.raises(DomainError):
        render_sheets(view, "pdf", info=fx.INFO, member_ids=[], blank=0)
    with pytest.raises(DomainError):
        render_sheets(view, "odt", info=fx.INFO)


@pytest.mark.slow
def test_three_hundred_members_sheets_and_cards_in_reasonable_time() -> None:
    """A large commune branch: 300 sheets (900 pages) and 300 cards, PDF and DOCX. The
    bounds are CPU seconds, generous (measured: about 6 s for the PDF, 11 s for the DOCX),
    to catch a quadratic slip (python-docx's picture ids once took minutes)."""
    import time

    view = fx.plan_view(members=300, questions=5)
    started = time.process_time()
    pdf = render_sheets(view, "pdf", info=fx.INFO)
    assert time.process_time() - started < 60
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 300
    last = unicodedata.normalize("NFC", reader.pages[-1].extract_text())
    assert view.members[-1].name in last
    started = time.process_time()
    data = render_sheets(view, "docx", info=fx.INFO)
    assert time.process_time() - started < 90
    document = docx.Document(io.BytesIO(data))
    assert len(document.sections) == 300
    assert view.members[-1].name in document.sections[-1].footer.paragraphs[0].text
    started = time.process_time()
    for fmt in ("pdf", "docx"):
        assert render_cards(cards_from(view), fmt, branch=fx.INFO.branch)
    assert time.process_time() - started < 60


def _boxes(pdf: bytes, words: str) -> list[tuple[float, float]]:
    """(bottom, top) of each character of the first ``words`` on the first page."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[0].get_textpage()
        full = text.get_text_range()
        start = full.index(words)
        return [text.get_charbox(i)[1::2] for i in range(start, start + len(words))
                if not full[i].isspace()]
    finally:
        document.close()


def test_a_name_too_long_for_the_card_stays_above_its_code() -> None:
    from sotay_desktop.documents.study_card import Card

    long = "Tôn Nữ Thị Hoàng Phương Thảo Nguyên Ngọc Bích Hường Xuân"
    pdf = render_cards([Card(long, "09679273923779", "1950")], "pdf", branch="Chi bộ & <x>")
    name_bottom = min(bottom for bottom, _ in _boxes(pdf, "Xuân"))
    born_bottom = min(bottom for bottom, _ in _boxes(pdf, "Năm sinh"))
    code_top = max(top for _, top in _boxes(pdf, "Mã số"))
    assert name_bottom > born_bottom > code_top
    assert "CHI BỘ & <X>" in pdftotext(pdf)
    assert [r.text for r in qr_from_pdf(pdf)[0]] == ["09679273923779"]


def test_a_question_longer_than_a_page_starts_under_the_heading() -> None:
    from sotay_core.domain.study import Question

    view = fx.plan_view(members=1)
    question = Question(text='Ký tự <b>lạ</b> & "ngoặc" ' + "rất dài " * 250,
                        choices=("A < B", "C & D"), correct=0)
    plan = dataclasses.replace(view.plan, quiz=dataclasses.replace(view.plan.quiz,
                                                                   questions=(question,)))
    pdf = render_sheets(dataclasses.replace(view, plan=plan), "pdf", info=fx.INFO, size=24)
    pages = [unicodedata.normalize("NFC", p.extract_text())
             for p in PdfReader(io.BytesIO(pdf)).pages]
    assert 'Câu 1. Ký tự <b>lạ</b> & "ngoặc"' in " ".join(pages[0].split())
    assert "A. A < B" in pages[-1] and "B. C & D" in pages[-1]
    assert "Phần chi bộ ghi" in pages[-1]
