from __future__ import annotations

import datetime as dt

import pytest

from sotay_core.domain.entities import Attendance, MemberStatus
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_desktop.documents.party_docs import build_minutes, build_resolution
from sotay_desktop.documents.pdf_render import render_pdf
from sotay_desktop.services import attendance as A
from sotay_desktop.services import meeting_edit as M
from sotay_desktop.services import meeting_records as R
from sotay_desktop.services.meetings import list_meetings, meeting_data
from sotay_desktop.services.members import list_members

TODAY = dt.date(2026, 11, 22)


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _new(db, day: str = "2026-12-05", **names: str | None) -> str:  # type: ignore[no-untyped-def]
    """A meeting chaired by the branch secretary (the default) and recorded by an official."""
    with db.sessions.begin() as session:
        if "recorder_id" not in names:
            officials = [m for m in list_members(session) if m.status is MemberStatus.OFFICIAL]
            names["recorder_id"] = officials[1].id
        return M.create_meeting(session, day=day, today=TODAY, place="Nhà văn hoá thôn",
                                **names)[0]


def test_new_meeting_has_the_template_and_pre_marks_exempted_and_away(demo_db) -> None:  # type: ignore[no-untyped-def]
    meeting_id = _new(demo_db)
    with demo_db.reads() as session:
        data = meeting_data(session, meeting_id)
        lines = A.attendance(session, meeting_id)
        members = {m.id: m for m in list_members(session)}
    assert data.title == "Sinh hoạt chi bộ tháng 12 năm 2026"
    assert data.agenda[0].startswith("Ổn định tổ chức") and len(data.agenda) == 7
    for line in lines:
        status = members[line.member_id].status
        expected = {MemberStatus.EXEMPTED: Attendance.EXEMPTED,
                    MemberStatus.AWAY: Attendance.AWAY}.get(status)
        assert line.status is expected
    assert all(members[line.member_id].status.on_roster for line in lines)


def test_attendance_vote_minutes_and_documents(demo_db) -> None:  # type: ignore[no-untyped-def]
    meeting_id = _new(demo_db)
    with demo_db.reads() as session:
        lines = A.attendance(session, meeting_id)
    open_lines = [line for line in lines if line.status is None]
    officials = [line for line in open_lines if line.official]
    with demo_db.sessions.begin() as session:
        for line in open_lines:
            A.set_attendance(session, meeting_id=meeting_id, member_id=line.member_id,
                             status=Attendance.PRESENT)
        A.set_attendance(session, meeting_id=meeting_id, member_id=officials[0].member_id,
                         status="absent_excused", reason="Ốm")
        base = A.meeting_voting_base(session, meeting_id)
    assert base == len(officials) - 1
    with pytest.raises(ValidationError) as info, demo_db.sessions.begin() as session:
        R.save_minutes(session, meeting_id=meeting_id, votes_for=base + 1)
    assert info.value.code == "bad_votes"
    with demo_db.sessions.begin() as session:
        R.save_minutes(session, meeting_id=meeting_id, speakers=[(officials[1].name, "Nhất trí.")],
                       conclusion="Thống nhất.", votes_for=base, votes_against=0, ends_at="21:10")
        data = meeting_data(session, meeting_id)
    assert data.ends_at == "21:10" and data.votes_for == base
    assert data.speakers[0].name == officials[1].name
    text = _pdf_text(render_pdf(build_minutes(data)))
    assert f"Vắng có lý do: 1 đồng chí ({officials[0].name} – Ốm)" in text
    assert f"Tán thành: {base}/{base} đồng chí (100,0%)" in text


def test_resolution_numbering_comments_and_adoption(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reads() as session:
        latest = list_meetings(session)[0]
    meeting_id = _new(demo_db)
    with demo_db.sessions.begin() as session:
        resolution_id, _ = R.save_resolution(
            session, meeting_id=meeting_id, summary="về nhiệm vụ tháng 01 năm 2027",
            results="Hoàn thành thu đảng phí.", tasks=[("Dọn vệ sinh", "Tổ 1")],
            implementation="Các đồng chí thực hiện.")
    previous = int(latest.resolution_number.split("-")[0])
    with demo_db.reads() as session:
        data = meeting_data(session, meeting_id)
    assert data.resolution.number == f"{previous + 1:02d}-NQ/CB"   # same term: keeps counting
    with pytest.raises(ValidationError) as info, demo_db.sessions.begin() as session:
        R.save_resolution(session, meeting_id=meeting_id, summary="x",
                          number=latest.resolution_number)
    assert info.value.code == "number_taken"
    with pytest.raises(ValidationError), demo_db.sessions.begin() as session:
        R.save_resolution(session, meeting_id=meeting_id, summary="x", number="năm")
    with demo_db.sessions.begin() as session:
        R.circulate_resolution(session, resolution_id=resolution_id)
        R.add_comment(session, resolution_id=resolution_id, body="Đề nghị bổ sung việc thăm hỏi.",
                      author_text="Đảng ủy xã Tân Lập")
        R.add_comment(session, resolution_id=resolution_id, body="Nhất trí.",
                      author_member_id=list_members(session)[0].id)
        notes = R.comments(session, resolution_id)
    assert len(notes) == 2 and notes[0].author == "Đảng ủy xã Tân Lập"
    with demo_db.sessions.begin() as session:
        for line in A.attendance(session, meeting_id):
            if line.status is None:
                A.set_attendance(session, meeting_id=meeting_id, member_id=line.member_id,
                                 status="present")
        base = A.meeting_voting_base(session, meeting_id)
    with pytest.raises(ValidationError) as info, demo_db.sessions.begin() as session:
        R.adopt_resolution(session, resolution_id=resolution_id, votes_for=base // 2)
    assert info.value.code == "not_adopted"
    with demo_db.sessions.begin() as session:
        R.adopt_resolution(session, resolution_id=resolution_id, votes_for=base)
        data = meeting_data(session, meeting_id)
    assert data.resolution.adopted and data.resolution.votes_for == base
    with pytest.raises(DomainError) as info, demo_db.sessions.begin() as session:
        R.save_resolution(session, meeting_id=meeting_id, summary="sửa sau khi thông qua")
    assert info.value.code == "already_adopted"
    text = _pdf_text(render_pdf(build_resolution(data)))
    assert f"Số {data.resolution.number}" in text and "DỰ THẢO" not in text
    assert f"Nghị quyết được {base}/{base} đồng chí" in text


def test_bad_meeting_input(demo_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info, demo_db.sessions.begin() as session:
        M.create_meeting(session, day="2026-02-30", today=TODAY)
    assert info.value.field == "date"
    with pytest.raises(ValidationError) as info, demo_db.sessions.begin() as session:
        M.create_meeting(session, day="2026-12-05", today=TODAY, starts_at="25:00")
    assert info.value.field == "starts_at"
    with pytest.raises(ValidationError), demo_db.sessions.begin() as session:
        M.create_meeting(session, day="2026-12-05", today=TODAY, kind="party")
    meeting_id = _new(demo_db)
    with pytest.raises(ValidationError), demo_db.sessions.begin() as session:
        member = list_members(session)[0]
        A.set_attendance(session, meeting_id=meeting_id, member_id=member.id, status="asleep")
