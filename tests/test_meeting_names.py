"""Names on every paper (issue 16 §4): no minutes, resolution, invitation or packet without
the chair, the recorder and the signer; the branch secretary offered by default; the wording
defects fixed; a second meeting of the same title in one month is caught."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import DomainError
from sotay_desktop.cli import main
from sotay_desktop.db.engine import open_database
from sotay_desktop.documents.docx_render import render_docx
from sotay_desktop.documents.meeting_data import MissingNamesError, Speaker
from sotay_desktop.documents.party_docs import build_minutes, build_resolution
from sotay_desktop.documents.pdf_render import render_pdf
from sotay_desktop.services import attendance as A
from sotay_desktop.services import meeting_edit as M
from sotay_desktop.services import meeting_records as R
from sotay_desktop.services.meetings import (
    committee_secretary,
    list_meetings,
    meeting_data,
    packet_request,
)
from sotay_desktop.services.members import list_members
from tests.test_party_documents import _data

TODAY = dt.date(2026, 11, 22)


def info_unit_id(session) -> str:  # type: ignore[no-untyped-def]
    from sotay_desktop.services.branch import branch_info

    info = branch_info(session)
    assert info is not None
    return info.branch.id


def _officials(session) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.id for m in list_members(session) if m.status is MemberStatus.OFFICIAL]


def _meeting_with_resolution(db) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with db.sessions.begin() as session:
        meeting_id, _ = M.create_meeting(session, day="2026-12-05", today=TODAY)
        for line in A.attendance(session, meeting_id):
            if line.status is None:
                A.set_attendance(session, meeting_id=meeting_id, member_id=line.member_id,
                                 status="present")
        resolution_id, _ = R.save_resolution(session, meeting_id=meeting_id,
                                             summary="về nhiệm vụ tháng 12 năm 2026")
    return meeting_id, resolution_id


def test_the_secretary_in_office_signs_and_chairs_by_default(demo_db) -> None:  # type: ignore[no-untyped-def]
    meeting_id, _ = _meeting_with_resolution(demo_db)
    with demo_db.sessions() as session:
        info_unit = list_meetings(session)[0]
        data = meeting_data(session, meeting_id)
        details = M.details(session, meeting_id)
        secretary = committee_secretary(session, info_unit_id(session), dt.date(2026, 12, 5))
    assert info_unit.id == meeting_id and secretary is not None
    assert details.secretary_id == secretary[0]
    assert details.chair_id == secretary[0]          # the chair was left empty: the bí thư
    assert data.secretary == data.chair == secretary[1]
    assert data.recorder == ""                        # nobody chosen yet


def test_adopting_circulating_and_the_packet_need_all_three_names(demo_db) -> None:  # type: ignore[no-untyped-def]
    meeting_id, resolution_id = _meeting_with_resolution(demo_db)
    for operation in (lambda s: R.circulate_resolution(s, resolution_id=resolution_id),
                      lambda s: R.adopt_resolution(s, resolution_id=resolution_id,
                                                   votes_for=A.meeting_voting_base(s, meeting_id)),
                      lambda s: packet_request(s, meeting_id=meeting_id)):
        with pytest.raises(MissingNamesError) as info, demo_db.sessions.begin() as session:
            operation(session)
        assert info.value.roles == ("recorder",)
        assert info.value.message("vi").startswith(
            "Chưa ghi đủ tên người trên văn bản, còn thiếu: thư ký.")
        assert "Vietnam" not in info.value.message("en") and "thư ký" not in info.value.message(
            "en")
    with demo_db.sessions.begin() as session:
        recorder = _officials(session)[3]
        M.update_meeting(session, meeting_id=meeting_id, today=TODAY, recorder_id=recorder,
                         secretary_id=None, chair_id=None)
    with pytest.raises(MissingNamesError) as info, demo_db.sessions.begin() as session:
        R.adopt_resolution(session, resolution_id=resolution_id, votes_for=1)
    assert info.value.roles == ("chair", "signer")
    assert "người chủ trì, người ký (bí thư chi bộ)" in info.value.message("vi")
    with demo_db.sessions.begin() as session:
        chair = _officials(session)[2]
        M.update_meeting(session, meeting_id=meeting_id, today=TODAY, chair_id=chair,
                         secretary_id=chair)
        base = A.meeting_voting_base(session, meeting_id)
        R.adopt_resolution(session, resolution_id=resolution_id, votes_for=base)
        data = meeting_data(session, meeting_id)
        assert packet_request(session, meeting_id=meeting_id).meeting.secretary == data.chair
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf(build_resolution(data)))).pages)
    assert "T/M CHI BỘ" in text and data.chair in " ".join(text.split())


def test_a_secretary_chosen_without_a_known_term_keeps_the_numbering(branch_db) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.services.members import add_member

    db, branch_id = branch_db
    with db.sessions.begin() as session:
        ids = [add_member(session, unit_id=branch_id, today=TODAY,
                          data={"full_name": name, "date_of_birth": "1970-01-01",
                                "admitted_on": "2000-01-01", "official_on": "2001-01-01"})[0]
               for name in ("Nguyễn Văn An", "Trần Thị Bích")]
        first, _ = M.create_meeting(session, day="2026-10-05", today=TODAY)
        R.save_resolution(session, meeting_id=first, summary="tháng 10")
        second, _ = M.create_meeting(session, day="2026-11-05", today=TODAY)
        assert meeting_data(session, second).secretary == ""      # no term, nobody signs
        M.update_meeting(session, meeting_id=second, today=TODAY, secretary_id=ids[0],
                         recorder_id=ids[1])
        _rid, _ = R.save_resolution(session, meeting_id=second, summary="tháng 11")
        data = meeting_data(session, second)
        assert meeting_data(session, first).secretary == "Nguyễn Văn An"   # the whole term
    assert data.secretary == "Nguyễn Văn An" and data.resolution is not None
    assert data.resolution.number.endswith("-NQ/CB")
    assert int(data.resolution.number.split("-")[0]) == 2      # numbering went on


def test_export_without_names_is_refused_in_vietnamese_and_writes_nothing(
        demo_dir: Path, tmp_path: Path) -> None:
    db = open_database(demo_dir)
    try:
        with db.sessions.begin() as session:
            latest = list_meetings(session)[0].id
            M.update_meeting(session, meeting_id=latest, today=TODAY, recorder_id=None)
    finally:
        db.close()
    for what in ("minutes", "invitation", "attendance"):
        target = tmp_path / f"{what}.pdf"
        out, err = io.StringIO(), io.StringIO()
        code = main(["meeting", "export", latest, "--what", what, "-o", str(target),
                     "--data-dir", str(demo_dir)], out=out, err=err)
        assert code != 0 and not target.exists()
        assert "Chưa ghi đủ tên người trên văn bản, còn thiếu: thư ký" in err.getvalue()
    packet = tmp_path / "packet.pdf"
    code = main(["packet", latest, "-o", str(packet), "--data-dir", str(demo_dir)],
                out=io.StringIO(), err=(err := io.StringIO()))
    assert code != 0 and not packet.exists() and "thư ký" in err.getvalue()


def test_a_second_meeting_with_the_same_title_in_a_month_is_caught(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.sessions.begin() as session:
        first, _ = M.create_meeting(session, day="2026-12-05", today=TODAY)
    with pytest.raises(DomainError) as info, demo_db.sessions.begin() as session:
        M.create_meeting(session, day="2026-12-20", today=TODAY,
                         title="sinh hoạt chi bộ  tháng 12 năm 2026")
    assert info.value.code == "meeting_same_title"
    assert "05/12/2026" in info.value.message("vi") and "12/2026" in info.value.message("vi")
    with demo_db.sessions.begin() as session:
        second, _ = M.create_meeting(session, day="2026-12-20", today=TODAY,
                                     allow_same_title=True)      # the person said yes
        other, _ = M.create_meeting(session, day="2026-12-21", today=TODAY,
                                    title="Sinh hoạt chuyên đề")
        M.update_meeting(session, meeting_id=first, today=TODAY, place="Nhà văn hoá")
    with pytest.raises(DomainError) as info, demo_db.sessions.begin() as session:
        M.update_meeting(session, meeting_id=other, today=TODAY,
                         title="Sinh hoạt chi bộ tháng 12 năm 2026")
    assert info.value.code == "meeting_same_title"
    assert second != first


def test_wording_defects_are_gone_from_docx_and_pdf() -> None:
    data = _data(speakers=(Speaker("Đồng chí Trần Thị Bích", "nhất trí."),
                           Speaker("đ/c Nguyễn Văn An", "đề nghị bổ sung.")),
                 title="Sinh hoạt chi bộ tháng 2 năm 2026")
    people = tuple(dataclasses.replace(p, reason="(Ốm)") if p.reason else p
                   for p in data.attendees)
    data = dataclasses.replace(data, attendees=people)
    minutes = build_minutes(data)
    for text in (_docx_text(render_docx(minutes)), _pdf_text(render_pdf(minutes))):
        assert "Đồng chí Đồng chí" not in text and "Đồng chí đ/c" not in text
        assert "- Đồng chí Trần Thị Bích: nhất trí." in text
        assert "- Đồng chí Nguyễn Văn An: đề nghị bổ sung." in text
        assert "Vắng có lý do: 1 đồng chí (Lê Văn Cường – Ốm)." in text
        assert "((" not in text and "))" not in text
    resolution = build_resolution(data)
    for text in (_docx_text(render_docx(resolution)), _pdf_text(render_pdf(resolution))):
        assert "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 2" in text
    plain = _data(title="Hội nghị chi bộ")         # no month in the title: the meeting's
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 3" in _docx_text(render_docx(
        build_resolution(plain)))


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
