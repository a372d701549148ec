"""The study plan's lists and the survey form (issue 21), read back: the sign-in sheet in
roster order and large type, the make-up list, the results with the branch's names only on
its own copy, the survey form without a name line when anonymous; every font embedded."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from pypdf import PdfReader

from sotay_core.domain.errors import DomainError
from sotay_desktop.documents import study_lists as lists
from sotay_desktop.documents.study_card import cards_from, render_cards
from sotay_desktop.documents.study_quiz_sheet import render_key, render_sheets
from tests import study_paper_fixtures as fx
from tests.test_study_papers import docx_text, pdftotext


def _fonts(pdf: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.add(f"{font['/BaseFont']}{'' if embedded else ' (not embedded)'}")
    return found


def test_the_sign_in_sheet_lists_the_plans_members_in_roster_order_in_large_type() -> None:
    view = fx.plan_view(members=6)
    document = lists.attendance_document(view, fx.INFO, held_on=dt.date(2026, 11, 5),
                                         place="Nhà văn hóa thôn", size=22)
    pdf = lists.render_list(document, "pdf")
    text = pdftotext(pdf)
    assert "DANH SÁCH ĐẢNG VIÊN DỰ HỌC TẬP" in text
    assert "Buổi học tập ngày 05/11/2026, tại Nhà văn hóa thôn." in text
    positions = [text.index(m.name) for m in view.members]
    assert positions == sorted(positions)
    assert "Ký tên" in text and "1940" in text
    assert min(fx.font_sizes(pdf)) >= 18
    table = docx.Document(io.BytesIO(lists.render_list(document, "docx"))).tables[1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Họ và tên", "Năm sinh", "Ký tên"]
    assert len(table.rows) == 1 + 6 + lists.SPARE_ROWS       # blank rows for others who came
    assert [c.text for c in table.rows[1].cells] == ["1", "Nguyễn Văn An", "1940", ""]


def test_a_make_up_sign_in_sheet_lists_only_who_has_not_studied() -> None:
    view = fx.plan_view(members=9)
    document = lists.attendance_document(view, fx.INFO, makeup=True)
    text = pdftotext(lists.render_list(document, "pdf"))
    assert "Buổi học bù ngày ....../....../.........." in text
    missing = [m.name for m in view.makeup]
    assert missing == ["Nguyễn Văn An", "Hoàng Văn Em", "Đỗ Văn Ích"]
    assert all(name in text for name in missing)
    assert "Trần Thị Bích Hường" not in text


def test_the_make_up_list_says_who_and_how_many() -> None:
    view = fx.plan_view(members=9)
    data = lists.render_list(lists.makeup_document(view, fx.INFO), "pdf")
    text = pdftotext(data)
    assert "còn 3/9 đảng viên chưa dự buổi học tập nào" in text
    assert "(hạn hoàn thành 31/12/2026)" in text and "Miễn sinh hoạt" in text
    assert "Nguyễn Văn Bình" in text                     # the bí thư signs
    everyone = fx.plan_view(members=3)
    everyone = type(everyone)(everyone.plan, everyone.members, everyone.sessions,
                              type(everyone.progress)(everyone.progress.targeted,
                                                      everyone.progress.studied, ()),
                              everyone.figures)
    text = pdftotext(lists.render_list(lists.makeup_document(everyone, fx.INFO), "pdf"))
    assert "không có đảng viên phải học bù" in text


def test_the_results_name_members_only_on_the_branchs_copy() -> None:
    view = fx.plan_view(members=8, questions=5)
    own = pdftotext(lists.render_list(lists.results_document(view, fx.INFO, named=True), "pdf"))
    up = pdftotext(lists.render_list(lists.results_document(view, fx.INFO), "pdf"))
    for text in (own, up):
        assert "Số đảng viên phải học: 8; đã học: 6 (75,0%); chưa học: 2." in text
        assert f"Số phiếu trả lời: 6; đạt: {view.figures.quiz_passed}" in text
        assert "Số câu đúng Số phiếu Tỷ lệ" in text
        assert "Tốt 2 50,0%" in text and "Đề nghị học vào buổi tối." in text
    assert all(m.name in own for m in view.members)
    assert not any(m.name in up for m in view.members)
    assert "Nguyễn Văn Bình" in up                   # the bí thư's signature stays
    sat = sum(view.figures.histogram)
    assert sat == 6 and "4/5 " in own                    # a member's score on the own copy


def test_the_results_bands_the_distribution_of_a_long_quiz() -> None:
    assert lists._bands(4) == [(4, 4), (3, 3), (2, 2), (1, 1), (0, 0)]
    bands = lists._bands(100)
    assert bands[0] == (99, 100) and bands[-1] == (0, 10) and len(bands) == 10
    covered = sorted(k for low, high in bands for k in range(low, high + 1))
    assert covered == list(range(101))


def test_the_survey_form_has_boxes_and_no_name_line_when_anonymous() -> None:
    view = fx.plan_view(members=3)
    pdf = lists.render_survey_form(view, "pdf", info=fx.INFO, copies=2)
    text = pdftotext(pdf)
    assert text.count("PHIẾU KHẢO SÁT Ý KIẾN") == 2 and "Họ và tên" not in text
    assert "Phiếu không ghi tên." in text and "(có thể chọn nhiều ý)" in text
    assert "D. Kém" in text and "Câu 3. Ý kiến khác của đồng chí:" in text
    assert min(fx.font_sizes(pdf)) >= 18
    named = fx.plan_view(members=3, anonymous=False)
    text = pdftotext(lists.render_survey_form(named, "pdf", info=fx.INFO))
    assert "Họ và tên: ....." in text
    body = docx_text(lists.render_survey_form(view, "docx", info=fx.INFO))
    assert "PHIẾU KHẢO SÁT Ý KIẾN" in body and "Họ và tên" not in body
    with pytest.raises(DomainError) as err:
        lists.render_survey_form(fx.plan_view(with_survey=False), "pdf", info=fx.INFO)
    assert "không có phiếu khảo sát" in err.value.message("vi")
    with pytest.raises(DomainError):
        lists.render_survey_form(view, "pdf", info=fx.INFO, copies=0)


def test_every_paper_embeds_its_fonts() -> None:
    view = fx.plan_view(members=3)
    papers = [render_cards(cards_from(view), "pdf", branch=fx.INFO.branch),
              render_sheets(view, "pdf", info=fx.INFO),
              render_key(view, "pdf", info=fx.INFO),
              lists.render_survey_form(view, "pdf", info=fx.INFO),
              lists.render_list(lists.results_document(view, fx.INFO, named=True), "pdf")]
    for pdf in papers:
        fonts = _fonts(pdf)
        assert fonts and not any("not embedded" in f for f in fonts), fonts
