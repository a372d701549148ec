"""The annual review's papers (issue 20), read back: each member's self-review form (Mẫu 2C),
the minutes of the review meeting, the collective report; PDF through pypdf and pypdfium2,
DOCX through python-docx (and LibreOffice when it is installed); normal and large type."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from sotay_core.domain.errors import DomainError
from sotay_core.domain.review import DEFAULT_SCHEME, Conditions, Grade, Period, Scheme, Tally
from sotay_desktop.documents.review_form import render_forms, write_forms
from sotay_desktop.documents.review_minutes import render_minutes, write_minutes
from sotay_desktop.documents.review_paper_common import settings_for
from sotay_desktop.documents.review_report import render_report, write_report
from sotay_desktop.resources import resources_dir
from tests import review_fixtures as fx

RENDERERS = {"forms": render_forms, "minutes": render_minutes, "report": render_report}


# --- the self-review form -------------------------------------------------------------


def test_each_member_gets_a_prefilled_form_starting_on_its_own_page() -> None:
    view = fx.campaign(6)
    pdf = render_forms(view, "pdf", info=fx.info())
    pages = fx.pages(pdf)
    starts = [i for i, page in enumerate(pages) if "BẢN KIỂM ĐIỂM CÁ NHÂN" in page]
    assert len(starts) == 6 and starts[0] == 0
    for index, sheet in zip(starts, view.sheets, strict=True):
        first = pages[index]
        assert first.index("ĐẢNG BỘ XÃ TÂN LẬP") < first.index("BẢN KIỂM ĐIỂM CÁ NHÂN")
        assert f"Họ và tên: {sheet.name}" in first and "Tân Lập, ngày 20 tháng 12 năm 2026" in first
        assert not first.startswith("2 ")            # each form numbers its pages from 1
    # one member's form alone has as many pages as it has in the whole pile
    alone = render_forms(view, "pdf", info=fx.info(), member_id="m1")
    assert len(fx.pages(alone)) == starts[2] - starts[1]
    assert fx.pages(alone)[1].startswith("2 ")


def test_the_form_is_prefilled_from_the_years_records() -> None:
    view = fx.campaign(6)
    text = fx.text(render_forms(view, "pdf", info=fx.info(), member_id="m1"))
    for words in ("Mẫu 2C-HD KĐ.ĐG", "Năm 2026", "Ngày sinh: 02/02/1941",
                  "Chức vụ đảng: Đảng viên chính thức", "Chi bộ: Chi bộ thôn Đông Hòa",
                  "chi bộ tổ chức 12 buổi; đồng chí dự 8 buổi (66,7%), vắng 4 buổi (có lý do "
                  "2, không có lý do 2)", "05/03/2026 Sinh hoạt chi bộ tháng 3 Có lý do: ốm",
                  "05/04/2026 Sinh hoạt chi bộ tháng 4 Không có lý do",
                  "3 nhiệm vụ; hoàn thành đúng hạn 1, hoàn thành quá hạn 1, chưa hoàn thành 1",
                  "Hoàn thành ngày 03/10/2026, quá hạn", "Đang thực hiện (quá hạn)",
                  "đã đóng 12/12 tháng phải đóng, tổng số 120.000 đồng; đã đóng đến hết tháng "
                  "12/2026", "ngày 19/05/2026: Được tặng Huy hiệu 40 năm tuổi Đảng"):
        assert words in text, words
    other = fx.text(render_forms(view, "pdf", info=fx.info(), member_id="m4"))
    assert "đã đóng 11/12 tháng" in other and "đến hết tháng 11/2026" in other
    assert "Nhiệm vụ được giao trong nghị quyết của chi bộ: không có" in other
    assert "không vắng buổi nào" not in other and "vắng 1 buổi" in other


def test_points_per_criterion_with_their_maximum_grade_and_the_branchs_part() -> None:
    view = fx.campaign(6)
    sheet = view.sheets[0]
    text = fx.text(render_forms(view, "pdf", info=fx.info(), member_id=sheet.member_id))
    for criterion in DEFAULT_SCHEME.criteria:
        shown = f"{criterion.max_points:.1f}".replace(".", ",")
        mine = f"{sheet.scores[criterion.code]:.1f}".replace(".", ",")
        assert f"{shown} {mine}" in text
    assert "Tổng cộng 100,0 97,5" in text            # self points, one decimal
    assert "Tự nhận mức xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ." in text
    assert "Hoàn thành xuất sắc nhiệm vụ: từ 90,0 điểm" in text
    assert "Chi bộ chấm: 95,5 điểm; đề nghị mức xếp loại: Hoàn thành xuất sắc nhiệm vụ" in text
    assert "tán thành 5/6 (83,3%); không tán thành 0; phiếu không hợp lệ 1" in text
    assert "Cấp ủy cấp trên quyết định xếp loại: Hoàn thành xuất sắc nhiệm vụ (Số 45-QĐ/ĐU)" \
        in text
    for words in ("T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn An", "NGƯỜI TỰ KIỂM ĐIỂM"):
        assert words in text


def test_an_empty_self_review_leaves_ruled_lines_and_blanks_to_fill_by_hand() -> None:
    view = fx.campaign(3, graded=0)
    blank = dataclasses.replace(view.sheets[1], self_text="", self_grade=None,
                                self_points=None, scores={})
    view = dataclasses.replace(view, sheets=(view.sheets[0], blank, view.sheets[2]))
    text = fx.text(render_forms(view, "pdf", info=fx.info(), member_id="m1"))
    assert "2. Hạn chế, khuyết điểm và nguyên nhân:" in text
    assert len(re.findall(r"\.{100,}", text)) >= 6 + 4 + 3 + 3 + 4
    assert "Tự nhận mức xếp loại chất lượng: …" in text
    assert "Chi bộ chấm: ………… điểm" in text
    written = fx.text(render_forms(view, "pdf", info=fx.info(), member_id="m0"))
    assert "Luôn giữ vững lập trường tư tưởng chính trị" in written
    assert "2. Hạn chế, khuyết điểm và nguyên nhân:" not in written


def test_forms_as_docx_one_section_each_numbered_from_one_headings_repeated() -> None:
    view = fx.campaign(4)
    data = render_forms(view, "docx", info=fx.info())
    document = docx.Document(io.BytesIO(data))
    assert len(document.sections) == 4
    body = document.element.body
    for section in body.iter(qn("w:sectPr")):
        assert section.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        assert section.find(qn("w:titlePg")) is not None     # no number on a form's first page
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert grids and all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in grids)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None
               for t in grids for row in t.rows)
    text = fx.docx_text(data)
    assert text.count("BẢN KIỂM ĐIỂM CÁ NHÂN") == 4
    assert all(sheet.name in text for sheet in view.sheets)
    assert "Tổng cộng 100,0 97,5" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_starts_each_form_on_a_new_page(tmp_path: Path) -> None:
    view = fx.campaign(3)
    source = write_forms(view, tmp_path / "kiem-diem.docx", info=fx.info())
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{resources_dir() / 'fonts'}</dir></fontconfig>", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "FONTCONFIG_FILE": str(config)})
    pages = fx.pages((tmp_path / "kiem-diem.pdf").read_bytes())
    firsts = [page for page in pages if "BẢN KIỂM ĐIỂM CÁ NHÂN" in page]
    assert len(firsts) == 3
    assert all("ĐẢNG CỘNG SẢN VIỆT NAM" in page and not page.startswith("2 ")
               for page in firsts)


# --- the minutes ----------------------------------------------------------------------

VOTE = re.compile(r"(\d+)/(\d+) tán thành \([\d,]+%\) (\d+) không tán thành"
                  r"(?: (\d+) không biểu quyết)?(?: (\d+) phiếu không hợp lệ)?"
                  r"(?: (\d+) không tham gia)?")


def test_minutes_record_attendance_points_grades_and_votes_that_add_up() -> None:
    view = fx.campaign(12)
    text = fx.text(render_minutes(view, "pdf", info=fx.info()))
    for words in ("BIÊN BẢN", "hội nghị kiểm điểm, đánh giá, xếp loại chất lượng chi bộ và đảng "
                  "viên năm 2026", "Tân Lập, ngày 18 tháng 12 năm 2026",
                  "bắt đầu lúc 8 giờ 00 phút, ngày 18 tháng 12 năm 2026",
                  "Địa điểm: Nhà văn hoá thôn Đông Hòa", "Tổng số đảng viên của chi bộ: 14 "
                  "đồng chí; số đảng viên được kiểm điểm, đánh giá, xếp loại: 12 đồng chí",
                  "Có mặt: 12 đồng chí", "Vắng mặt: 2 đồng chí (Lê Văn Cường – ốm; Phạm Thị "
                  "Dung)", "Hình thức biểu quyết: bỏ phiếu kín", "kết thúc lúc 11 giờ 15 phút",
                  "THƯ KÝ", "CHỦ TRÌ", "Trần Thị Bích"):
        assert words in text, words
    for sheet in view.sheets:
        assert sheet.name in text
        assert f"{sheet.points:.1f}".replace(".", ",") in text
    votes = VOTE.findall(text)
    assert len(votes) == 12
    for yes, base, no, abstain, invalid, missing in votes:
        parts = [int(v or 0) for v in (yes, no, abstain, invalid, missing)]
        assert sum(parts) == int(base) == 12
    total = re.search(r"Tổng hợp: (.*?)\. 2\. Chi bộ", text)
    assert total is not None
    counts = [int(n) for n in re.findall(r": (\d+) đồng chí", total.group(1))]
    assert sum(counts) == 12 and counts == [view.counts()[g] for g in Grade]
    assert ("Chi bộ tự chấm 86,5 điểm, đề nghị mức xếp loại “Hoàn thành tốt nhiệm vụ”. Kết quả "
            "biểu quyết (bỏ phiếu kín): tán thành 11/12 (91,7%); không tán thành 0; phiếu "
            "không hợp lệ 1") in text


def test_an_open_vote_has_no_invalid_ballots_and_a_failed_vote_says_so() -> None:
    view = fx.campaign(4, secret=False)
    failed = dataclasses.replace(view.sheets[0], tally=Tally(base=4, yes=2, no=2))
    view = dataclasses.replace(view, sheets=(failed, *view.sheets[1:]))
    text = fx.text(render_minutes(view, "pdf", info=fx.info()))
    assert "biểu quyết giơ tay" in text and "phiếu không hợp lệ" not in text
    assert "2/4 tán thành (50,0%) 2 không tán thành Không thông qua (chưa quá 50%)" in text


def test_minutes_are_refused_without_a_meeting_day_signers_or_a_valid_tally() -> None:
    with pytest.raises(DomainError) as refused:
        render_minutes(fx.campaign(3, held=False), "pdf", info=fx.info())
    assert refused.value.code == "review_papers.not_held"
    with pytest.raises(DomainError) as refused:
        render_minutes(fx.campaign(3), "pdf", info=fx.info(chair=" ", recorder=""))
    assert refused.value.code == "review_papers.names_missing"
    assert "người chủ trì" in refused.value.message("vi") and "thư ký" in refused.value.message()
    view = fx.campaign(3, secret=False)
    spoilt = dataclasses.replace(view.sheets[0], tally=Tally(base=3, yes=2, no=0, invalid=1))
    with pytest.raises(DomainError) as refused:
        render_minutes(dataclasses.replace(view, sheets=(spoilt, *view.sheets[1:])), "pdf",
                       info=fx.info())
    assert refused.value.code == "review.tally_invalid_open"


# --- the collective report ------------------------------------------------------------


def test_report_counts_per_grade_add_up_with_their_shares_and_the_cap_note() -> None:
    view = fx.campaign(12)
    text = fx.text(render_report(view, "pdf", info=fx.info()))
    for words in ("Số 12-BC/CB", "BÁO CÁO", "kiểm điểm, đánh giá, xếp loại chất lượng chi bộ "
                  "và đảng viên năm 2026", "Chi bộ lãnh đạo hoàn thành các chỉ tiêu",
                  "Chi bộ tự chấm: 86,5 điểm; tự nhận mức xếp loại: Hoàn thành tốt nhiệm vụ",
                  "Nơi nhận:", "T/M CHI BỘ", "Nguyễn Văn An", "Đảng bộ xã Tân Lập xem xét"):
        assert words in text, words
    counts = view.counts()
    shown = []
    for n, grade in enumerate(Grade, start=1):
        found = re.search(rf"{n} {grade.label} (\d+) ([\d,]+)%", text)
        assert found is not None, grade
        shown.append(int(found.group(1)))
        share = float(found.group(2).replace(",", "."))
        assert abs(share - 100 * counts[grade] / 12) < 0.06
    assert shown == [counts[g] for g in Grade] and sum(shown) == 12
    assert "Cộng 12 100,0%" in text
    assert "không quá 20% số đảng viên được đề nghị xếp loại từ “Hoàn thành tốt nhiệm vụ” trở " \
           "lên (6 đồng chí), làm tròn xuống: tối đa 1 đồng chí; chi bộ đề nghị 1 đồng chí" in text
    assert "Vượt mức trần" not in text
    assert "đối chiếu" not in text    # a doubt about the rule is for the settings, not paper
    for sheet in view.sheets:
        assert sheet.name in text
    assert "Cấp trên quyết định" in text and "(Số 45-QĐ/ĐU)" in text


def test_report_names_the_proposals_over_the_cap_and_leaves_it_out_when_unset() -> None:
    view = fx.campaign(30)
    text = fx.text(render_report(view, "pdf", info=fx.info()))
    over = re.search(r"Vượt mức trần (\d+) đồng chí", text)
    assert over is not None and int(over.group(1)) >= 1
    no_cap = Scheme("không trần", DEFAULT_SCHEME.criteria,
                    conditions=Conditions(excellent_cap_percent=None))
    plain = fx.text(render_report(fx.campaign(30, scheme=no_cap), "pdf", info=fx.info()))
    assert "Tỷ lệ “Hoàn thành xuất sắc" not in plain and "Vượt mức trần" not in plain


def test_report_without_a_number_or_branch_text_leaves_blanks_and_refuses_no_signer() -> None:
    view = dataclasses.replace(fx.campaign(3, graded=1), branch=None)
    text = fx.text(render_report(view, "pdf", info=fx.info(number="")))
    assert re.search(r"Số\s+-BC/CB", text)
    assert "2. Hạn chế, khuyết điểm và nguyên nhân:" in text
    assert "Chưa xếp loại 2 66,7%" in text and "Cộng 3 100,0%" in text
    with pytest.raises(DomainError) as refused:
        render_report(view, "pdf", info=fx.info(secretary=""))
    assert refused.value.code == "review_papers.names_missing"


def test_minutes_and_report_as_docx() -> None:
    view = fx.campaign(12)
    for render in (render_minutes, render_report):
        data = render(view, "docx", info=fx.info())
        document = docx.Document(io.BytesIO(data))
        grids = [t for t in document.tables if t.style is not None
                 and t.style.name == "Table Grid"]
        assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in grids)
        text = fx.docx_text(data)
        assert all(sheet.name in text for sheet in view.sheets)
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "95,5" in text
    assert len(VOTE.findall(fx.docx_text(render_minutes(view, "docx", info=fx.info())))) == 12


# --- sizes, formats, refusals ---------------------------------------------------------


@pytest.mark.parametrize("paper", sorted(RENDERERS))
@pytest.mark.parametrize("size", [18, 24])
def test_large_type_is_really_large_in_pdf_and_docx(paper: str, size: int) -> None:
    view = fx.campaign(3)
    render = RENDERERS[paper]
    kwargs: dict[str, Any] = {"member_id": "m1"} if paper == "forms" else {}
    pdf = render(view, "pdf", info=fx.info(), large=True, size=size, **kwargs)
    sizes = fx.sizes(pdf)
    assert sizes and min(sizes) >= 18
    # under the chosen size: only the header block's lines, the page numbers and the
    # signature blocks (at 18 pt, the HD 36 header size scaled to the smallest large size)
    header = ("ĐẢNG BỘ XÃ TÂN LẬP CHI BỘ THÔN ĐÔNG HÒA * Số 12-BC/CB ĐẢNG CỘNG SẢN VIỆT NAM "
              "Tân Lập, ngày 18 tháng 12 năm 2026 Tân Lập, ngày 20 tháng 12 năm 2026 "
              "THƯ KÝ CHỦ TRÌ T/M CHI BỘ BÍ THƯ NGƯỜI TỰ KIỂM ĐIỂM Nơi nhận: Nguyễn Văn An "
              "Trần Thị Bích Trần Văn Bích")
    small = [text for text, points in fx.texts_by_size(pdf) if points < size]
    assert all(text in header or text.isdigit() for text in small), small
    assert any(points >= size for _, points in fx.texts_by_size(pdf))
    data = render(view, "docx", info=fx.info(), large=True, size=size, **kwargs)
    document = docx.Document(io.BytesIO(data))
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [run for t in document.tables for row in t.rows for cell in row.cells
             for p in cell.paragraphs for run in p.runs]
    assert runs and all(run.font.size is not None and run.font.size.pt >= 18 for run in runs)
    assert document.styles["Normal"].font.size.pt >= size
    normal = fx.sizes(render(view, "pdf", info=fx.info(), **kwargs))
    assert max(normal) <= 15 and min(normal) >= 12


def test_bad_size_and_format_are_refused_and_nothing_is_overwritten(tmp_path: Path) -> None:
    view = fx.campaign(3)
    with pytest.raises(DomainError) as refused:
        render_minutes(view, "pdf", info=fx.info(), large=True, size=16)
    assert refused.value.code == "review_papers.bad_size"
    assert "từ 18 đến 24 pt" in refused.value.message("vi")
    assert settings_for(False, 16).body_pt == 14          # the size only counts in large type
    kept = tmp_path / "bien-ban.pdf"
    kept.write_bytes(b"old")
    with pytest.raises(DomainError):
        write_minutes(view, kept, info=fx.info(), large=True, size=30)
    assert kept.read_bytes() == b"old" and sorted(tmp_path.iterdir()) == [kept]
    for writer in (write_forms, write_minutes, write_report):
        with pytest.raises(DomainError) as refused:
            writer(view, tmp_path / "giay.odt", info=fx.info())
        assert refused.value.code == "bad_choice" and ".docx" in refused.value.message()
    assert not (tmp_path / "giay.odt").exists()
    assert write_report(view, tmp_path / "BAO-CAO.PDF", info=fx.info()).read_bytes()[:5] \
        == b"%PDF-"


def test_forms_refuse_an_empty_campaign_and_a_member_not_in_it() -> None:
    view = fx.campaign(3)
    with pytest.raises(DomainError) as refused:
        render_forms(view, "pdf", info=fx.info(), member_id="nobody")
    assert refused.value.code == "review_papers.no_member"
    empty = dataclasses.replace(view, sheets=())
    for render in RENDERERS.values():
        with pytest.raises(DomainError) as refused:
            render(empty, "pdf", info=fx.info())
        assert refused.value.code == "review_papers.no_sheets"


def test_a_quarter_and_decomposed_names_print_composed() -> None:
    view = fx.campaign(3, period=Period.Q4)
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    view = dataclasses.replace(view, sheets=(dataclasses.replace(view.sheets[0], name=nfd),
                                             *view.sheets[1:]))
    text = fx.text(render_report(view, "pdf", info=fx.info()))
    assert "năm 2026" in text and "QUÝ IV NĂM 2026" in text
    assert "Nguyễn Thị Ánh Tuyết" in text
    form = fx.text(render_forms(view, "pdf", info=fx.info(), member_id="m0"))
    assert "Quý IV năm 2026" in form and "TÓM TẮT KẾT QUẢ TRONG QUÝ" in form


# --- a big branch ---------------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True])
def test_three_hundred_members_paginate_with_headings_repeated_and_nothing_overflowing(
        large: bool) -> None:
    view = fx.campaign(300, long_name_at=150)
    settings = settings_for(large)
    for render, low, high in ((render_minutes, 15, 120), (render_report, 8, 80)):
        pdf = render(view, "pdf", info=fx.info(), large=large)
        pages = fx.pages(pdf)
        assert low <= len(pages) <= high, (render.__name__, len(pages))
        first = next(i for i, page in enumerate(pages) if "STT Họ và tên" in page)
        for number, page in enumerate(pages[first:-1], start=first + 1):   # the table's pages
            assert "STT Họ và tên" in page and (number == 1 or page.startswith(f"{number} "))
        text = " ".join(pages)
        assert all(sheet.name in text for sheet in view.sheets[-3:])
        assert all(part in text for part in fx.LONG_NAME.split())
        assert not fx.overflow(pdf, left_mm=settings.margin_left_mm,
                             right_mm=settings.margin_right_mm)
    text = fx.text(render_report(view, "pdf", info=fx.info(), large=large))
    counts = [int(n) for n in re.findall(r"\d (?:Hoàn thành|Không hoàn thành)[^\d]*?(\d+) "
                                         r"[\d,]+%", text)[:4]]
    assert sum(counts) == 300


@pytest.mark.slow
def test_three_hundred_forms_in_one_pdf() -> None:
    view = fx.campaign(300)
    pdf = render_forms(view, "pdf", info=fx.info())
    pages = fx.pages(pdf)
    assert 300 * 2 <= len(pages) <= 300 * 4
    assert sum("BẢN KIỂM ĐIỂM CÁ NHÂN" in page for page in pages) == 300
    assert not fx.overflow(pdf, left_mm=30, right_mm=15)


def test_long_names_wrap_inside_their_cells_in_large_type() -> None:
    view = fx.campaign(8, long_name_at=2)
    for render in (render_minutes, render_report):
        pdf = render(view, "pdf", info=fx.info(), large=True, size=24)
        assert not fx.overflow(pdf, left_mm=18, right_mm=12)
        words = fx.text(pdf)
        assert all(part in words for part in fx.LONG_NAME.split())
