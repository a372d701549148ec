"""Generated minutes, resolutions, invitations and attendance sheets, read back."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import docx
import pytest
from docx.shared import Mm, Pt
from pypdf import PdfReader

from sotay_core.domain.entities import Attendance
from sotay_desktop.documents.docx_render import render_docx
from sotay_desktop.documents.layout import FormatSettings, place_date
from sotay_desktop.documents.meeting_data import (
    Attendee,
    MeetingData,
    ResolutionData,
    Speaker,
    Task,
)
from sotay_desktop.documents.party_docs import (
    build_attendance_sheet,
    build_invitation,
    build_minutes,
    build_resolution,
)
from sotay_desktop.documents.pdf_render import render_pdf
from sotay_desktop.services.meetings import list_meetings, meeting_data, place_name

A = Attendance


def _data(**overrides: object) -> MeetingData:
    people = (
        Attendee("Nguyễn Văn An", True, A.PRESENT),
        Attendee("Trần Thị Bích", True, A.PRESENT),
        Attendee("Lê Văn Cường", True, A.ABSENT_EXCUSED, "Ốm"),
        Attendee("Phạm Thị Dung", True, A.ABSENT_UNEXCUSED),
        Attendee("Hoàng Văn Em", True, A.EXEMPTED),
        Attendee("Vũ Thị Phương", True, A.AWAY),
        Attendee("Đặng Văn Giang", False, A.PRESENT),
    )
    base = dict(
        superior="Đảng bộ xã Tân Lập", branch="Chi bộ thôn Đông Hòa", place_name="Tân Lập",
        date=dt.date(2026, 3, 5), title="Sinh hoạt chi bộ tháng 3 năm 2026", starts_at="19:30",
        ends_at="21:15", location="Nhà văn hoá thôn", chair="Nguyễn Văn An",
        recorder="Trần Thị Bích", secretary="Nguyễn Văn An", guests="Đồng chí Lý Văn Hùng",
        agenda=("Thông tin thời sự", "Đánh giá kết quả tháng 2"), attendees=people,
        speakers=(Speaker("Trần Thị Bích", "nhất trí với dự thảo nghị quyết."),),
        conclusion="Chi bộ thống nhất các nội dung.", votes_for=3, votes_against=0,
        resolution=ResolutionData(
            number="05-NQ/CB", summary="về lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026",
            results="Hoàn thành thu nộp đảng phí.\nRa quân vệ sinh đường làng.",
            tasks=(Task("Gieo cấy vụ xuân đúng khung thời vụ", "Trần Thị Bích"),),
            implementation="Các đồng chí đảng viên thực hiện nghị quyết.",
            votes_for=3, votes_against=0, adopted=True),
    )
    base.update(overrides)
    return MeetingData(**base)  # type: ignore[arg-type]


def _docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return document, "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(raw.split())


def test_place_and_date_line() -> None:
    assert place_date("Tân Lập", dt.date(2026, 3, 5)) == "Tân Lập, ngày 05 tháng 3 năm 2026"
    assert place_date("Tân Lập", dt.date(2026, 2, 15)) == "Tân Lập, ngày 15 tháng 02 năm 2026"
    assert place_name("Đảng bộ xã Tân Lập") == "Tân Lập"
    assert place_name("Đảng bộ phường Hiến Nam") == "Hiến Nam"


def test_resolution_docx_follows_hd36() -> None:
    document, text = _docx_text(render_docx(build_resolution(_data())))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)      # A4
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    for margin, mm in ((section.top_margin, 20), (section.bottom_margin, 20),
                       (section.left_margin, 30), (section.right_margin, 15)):
        assert abs(margin - Mm(mm)) < Mm(0.1)   # stored in twips
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size == Pt(14)
    header = document.tables[0].rows[0].cells
    left = [p.text for p in header[0].paragraphs]
    right = [p.text for p in header[1].paragraphs]
    assert left == ["ĐẢNG BỘ XÃ TÂN LẬP", "CHI BỘ THÔN ĐÔNG HÒA", "*", "Số 05-NQ/CB"]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Tân Lập, ngày 05 tháng 3 năm 2026"]
    issuer_run = header[0].paragraphs[1].runs[0]
    assert issuer_run.bold and issuer_run.font.size == Pt(14)
    party_run = header[1].paragraphs[0].runs[0]
    assert party_run.bold and party_run.font.size == Pt(15) and party_run.underline
    assert header[1].paragraphs[1].runs[0].italic
    body = [p for p in document.paragraphs if p.text]
    assert body[0].text == "NGHỊ QUYẾT" and body[0].runs[0].font.size == Pt(15)
    assert body[1].text == "về lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"
    assert "QUYẾT NGHỊ:" in text and "Gieo cấy vụ xuân" in text
    assert "(Phụ trách: Trần Thị Bích)" in text
    assert "Nghị quyết được 3/3 đồng chí có quyền biểu quyết tán thành (100,0%)" in text
    closing = document.tables[-1].rows[0].cells
    assert [p.text for p in closing[0].paragraphs][:2] == ["Nơi nhận:",
                                                           "- Đảng ủy xã (b/c)"]
    assert [p.text for p in closing[1].paragraphs if p.text] == ["T/M CHI BỘ", "BÍ THƯ",
                                                                  "Nguyễn Văn An"]
    fonts = {r.font.name for p in document.paragraphs for r in p.runs if r.text}
    assert fonts == {"Times New Roman"}


def test_minutes_record_attendance_speakers_and_vote() -> None:
    document = build_minutes(_data())
    _doc, text = _docx_text(render_docx(document))
    assert "Tổng số đảng viên của chi bộ: 7 đồng chí (chính thức 6, dự bị 1)" in text
    assert "Miễn công tác và sinh hoạt: 1 đồng chí (Hoàng Văn Em)" in text
    assert "Vắng có lý do: 1 đồng chí (Lê Văn Cường – Ốm)" in text
    assert "Vắng không có lý do: 1 đồng chí (Phạm Thị Dung)" in text
    assert "Đồng chí Trần Thị Bích: nhất trí" in text
    # base: 6 full members, minus exempted, away and excused absentees = 3
    assert "Số đảng viên có quyền biểu quyết: 3 đồng chí" in text
    assert "Tán thành: 3/3 đồng chí (100,0%)" in text
    assert "bắt đầu lúc 19 giờ 30 phút" in text and "kết thúc lúc 21 giờ 15 phút" in text
    assert "THƯ KÝ" in text and "CHỦ TRÌ" in text and "Nơi nhận" not in text
    pdf_text = _pdf_text(render_pdf(document))
    assert "Vắng có lý do: 1 đồng chí (Lê Văn Cường – Ốm)" in pdf_text


@pytest.mark.parametrize("builder", [build_minutes, build_resolution, build_invitation,
                                     build_attendance_sheet])
def test_pdf_text_comes_back_exactly_with_fonts_embedded(builder) -> None:  # type: ignore[no-untyped-def]
    data = render_pdf(builder(_data()))
    reader = PdfReader(io.BytesIO(data))
    text = _pdf_text(data)
    assert unicodedata.is_normalized("NFC", text)
    for phrase in ("ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ THÔN ĐÔNG HÒA",
                   "Tân Lập, ngày 05 tháng 3 năm 2026"):
        assert phrase in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font
    assert all("Tinos" in f for f in fonts)


def test_nfd_input_and_long_names_render_cleanly() -> None:
    long_name = "Nguyễn Thị " + "Phương " * 11 + "Thảo"     # about 80 characters
    nfd = unicodedata.normalize("NFD", "Trần Thị Hường")
    data = _data(chair=long_name, attendees=(
        Attendee(long_name, True, A.PRESENT), Attendee(nfd, True, A.PRESENT)))
    pdf_text = _pdf_text(render_pdf(build_attendance_sheet(data)))
    assert "Trần Thị Hường" in pdf_text
    assert "Thảo" in pdf_text
    _doc, text = _docx_text(render_docx(build_attendance_sheet(data)))
    assert "Trần Thị Hường" in text   # NFC in the file, not the NFD that came in


def test_resolution_without_text_and_meeting_without_attendance() -> None:
    empty = _data(attendees=(), votes_for=None, speakers=(),
                  resolution=ResolutionData("", "", "", (), ""))
    minutes = _pdf_text(render_pdf(build_minutes(empty)))
    assert "Tổng số đảng viên của chi bộ: 0 đồng chí" in minutes
    assert "Chưa ghi kết quả biểu quyết" in minutes
    resolution = _pdf_text(render_pdf(build_resolution(empty)))
    assert "DỰ THẢO NGHỊ QUYẾT" in resolution
    with pytest.raises(ValueError):
        build_resolution(_data(resolution=None))


def test_margins_and_sizes_are_settings() -> None:
    settings = FormatSettings(margin_left_mm=35, margin_top_mm=25, body_pt=13)
    document, _ = _docx_text(render_docx(build_resolution(_data(), settings)))
    assert abs(document.sections[0].left_margin - Mm(35)) < Mm(0.1)
    assert document.styles["Normal"].font.size == Pt(13)


def test_long_resolution_gets_page_numbers_from_page_two() -> None:
    many = tuple(Task(f"Nhiệm vụ số {i}: " + "vận động nhân dân " * 12) for i in range(40))
    data = _data(resolution=ResolutionData("05-NQ/CB", "về nhiều việc", "Kết quả", many, "",
                                           adopted=True))
    reader = PdfReader(io.BytesIO(render_pdf(build_resolution(data))))
    assert len(reader.pages) >= 3
    assert not reader.pages[0].extract_text().strip().startswith("1")
    assert reader.pages[1].extract_text().strip().startswith("2")


def test_documents_from_the_demo(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reads() as session:
        meetings = list_meetings(session)
        data = meeting_data(session, meetings[1].id)
    assert meetings[0].date > meetings[-1].date
    assert data.resolution is not None and data.speakers and data.attendees
    present = {a.name for a in data.attendees if a.attendance is A.PRESENT}
    assert {s.name for s in data.speakers} <= present
    assert data.chair in present and data.recorder in present
    text = _pdf_text(render_pdf(build_resolution(data)))
    assert f"Số {data.resolution.number}" in text
