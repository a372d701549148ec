"""The resolution's tasks (issue 19): the rules (due dates, names, overdue), task rows made
and kept in step with the resolution, the secretary's edits, the review in the next minutes
and the overdue reminders."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from sotay_core.domain.entities import MemberStatus, TaskStatus
from sotay_core.domain.errors import NotFoundError, ValidationError
from sotay_core.domain.reminders import ReminderKind
from sotay_core.domain.resolution_tasks import (
    default_due,
    is_overdue,
    match_member,
    parse_due,
    split_in_charge,
)
from sotay_desktop.db.tables import MinutesRow, OutboxRow, TaskRow
from sotay_desktop.services import meeting_edit as M
from sotay_desktop.services import meeting_records as R
from sotay_desktop.services import tasks as T
from sotay_desktop.services.meetings import meeting_data
from sotay_desktop.services.members import list_members

TODAY = dt.date(2026, 11, 22)
DEC = dt.date(2026, 12, 5)


# --- rules ---------------------------------------------------------------------------


def test_due_dates_named_or_end_of_next_month() -> None:
    assert default_due(DEC) == dt.date(2027, 1, 31)
    assert default_due(dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert parse_due("Thu quỹ khuyến học, hoàn thành trước 20/12", DEC) == dt.date(2026, 12, 20)
    assert parse_due("Sửa đường, hạn 15/3", DEC) == dt.date(2027, 3, 15)   # next year
    assert parse_due("Vận động, chậm nhất ngày 10/01/2027", DEC) == dt.date(2027, 1, 10)
    assert parse_due("Tổng vệ sinh trong tháng 12", DEC) == dt.date(2026, 12, 31)
    assert parse_due("Thu đảng phí tháng 11 của đảng viên", DEC) is None   # no cue word
    assert parse_due("hạn 31/02", DEC) is None


def test_person_in_charge_from_the_words_and_matched_to_one_member() -> None:
    line = split_in_charge("Vận động hội viên nộp quỹ (Phụ trách: đồng chí Nguyễn Văn An)")
    assert (line.text, line.responsible) == ("Vận động hội viên nộp quỹ",
                                             "đồng chí Nguyễn Văn An")
    line = split_in_charge("Tu sửa nhà văn hoá. Phụ trách: Chi hội Cựu chiến binh")
    assert (line.text, line.responsible) == ("Tu sửa nhà văn hoá", "Chi hội Cựu chiến binh")
    assert split_in_charge("Làm đường", "Bí thư").responsible == "Bí thư"
    people = [("a", "Nguyễn Văn An"), ("b", "Trần Thị Bình"), ("c", "Lê Văn Bình")]
    assert match_member("đ/c Nguyễn Văn An", people) == "a"
    assert match_member("nguyen van an", people) == "a"
    assert match_member("An", people) == "a"            # the given name, only one has it
    assert match_member("Bình", people) is None         # two have it
    assert match_member("Chi hội Phụ nữ", people) is None
    assert is_overdue(dt.date(2026, 11, 1), TaskStatus.IN_PROGRESS, TODAY)
    assert not is_overdue(dt.date(2026, 11, 1), TaskStatus.CARRIED_OVER, TODAY)
    assert not is_overdue(dt.date(2026, 11, 1), TaskStatus.DONE, TODAY)
    assert not is_overdue(TODAY, TaskStatus.NOT_STARTED, TODAY)


# --- rows ----------------------------------------------------------------------------


def _officials(db):  # type: ignore[no-untyped-def]
    with db.reads() as session:
        return [m for m in list_members(session) if m.status is MemberStatus.OFFICIAL]


def _meeting(db, day: dt.date) -> str:  # type: ignore[no-untyped-def]
    with db.sessions.begin() as session:
        return M.create_meeting(session, day=day, today=TODAY, place="Nhà văn hoá",
                                recorder_id=_officials(db)[1].id, allow_same_title=True)[0]


def _save(db, meeting_id: str, tasks: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    with db.sessions.begin() as session:
        return R.save_resolution(session, meeting_id=meeting_id, summary="tháng 12",
                                 tasks=tasks)


def _rows(db, resolution_id: str, deleted: bool = False) -> list[TaskRow]:  # type: ignore[no-untyped-def]
    with db.reads() as session:
        return list(session.scalars(select(TaskRow).where(
            TaskRow.resolution_id == resolution_id, TaskRow.deleted.is_(deleted))
            .order_by(TaskRow.created_at, TaskRow.id)))


def test_saving_a_resolution_makes_and_keeps_its_task_rows(demo_db) -> None:  # type: ignore[no-untyped-def]
    an = _officials(demo_db)[2]
    meeting_id = _meeting(demo_db, DEC)
    resolution_id, changes = _save(demo_db, meeting_id, [
        ("Thu quỹ khuyến học, hoàn thành trước 20/12", an.full_name),
        ("Tu sửa nhà văn hoá (Phụ trách: Chi hội Cựu chiến binh)", ""),
        ("Tổng vệ sinh đường làng", "")])
    assert changes.touches("tasks")
    rows = _rows(demo_db, resolution_id)
    assert [(r.description, r.responsible_id, r.responsible_text, r.due_on, r.status)
            for r in rows] == [
        ("Thu quỹ khuyến học, hoàn thành trước 20/12", an.id, an.full_name,
         dt.date(2026, 12, 20), "not_started"),
        ("Tu sửa nhà văn hoá", None, "Chi hội Cựu chiến binh", dt.date(2027, 1, 31),
         "not_started"),
        ("Tổng vệ sinh đường làng", None, "", dt.date(2027, 1, 31), "not_started")]
    with demo_db.reads() as session:      # each row went to the outbox for the province
        sent = {o.row_id for o in session.scalars(select(OutboxRow).where(
            OutboxRow.entity == "tasks"))}
    assert {r.id for r in rows} <= sent

    with demo_db.sessions.begin() as session:
        T.update_task(session, task_id=rows[0].id, today=TODAY, status="in_progress",
                      notes="Đã thu 60%")
        T.update_task(session, task_id=rows[1].id, today=TODAY, status="done")
    # saved again: the first reworded in place, the second unchanged, the third removed
    resolution_id, _ = _save(demo_db, meeting_id, [
        ("Thu quỹ khuyến học năm 2027, hoàn thành trước 20/12", an.full_name),
        ("Tu sửa nhà văn hoá (Phụ trách: Chi hội Cựu chiến binh)", "")])
    kept = _rows(demo_db, resolution_id)
    assert [r.id for r in kept] == [rows[0].id, rows[1].id]
    assert (kept[0].status, kept[0].notes) == ("in_progress", "Đã thu 60%")
    assert kept[0].description.startswith("Thu quỹ khuyến học năm 2027")
    assert (kept[1].status, kept[1].done, kept[1].done_on) == ("done", True, TODAY)
    assert [r.id for r in _rows(demo_db, resolution_id, deleted=True)] == [rows[2].id]


def test_editing_a_task_and_bad_edits(demo_db) -> None:  # type: ignore[no-untyped-def]
    meeting_id = _meeting(demo_db, DEC)
    resolution_id, _ = _save(demo_db, meeting_id, [("Làm đường", "")])
    task_id = _rows(demo_db, resolution_id)[0].id
    member = _officials(demo_db)[3]
    with demo_db.sessions.begin() as session:
        T.update_task(session, task_id=task_id, today=TODAY, due_on="15/01/2027",
                      responsible_id=member.id, status="done")
        T.update_task(session, task_id=task_id, today=TODAY, status="carried_over")
    row = _rows(demo_db, resolution_id)[0]
    assert (row.due_on, row.responsible_id, row.responsible_text) == (
        dt.date(2027, 1, 15), member.id, member.full_name)
    assert (row.status, row.done, row.done_on) == ("carried_over", False, None)
    for fields, error in (({"status": "xong"}, ValidationError),
                          ({"due_on": "32/01/2027"}, ValidationError),
                          ({"responsible_id": "no-such-member"}, NotFoundError),
                          ({"colour": "red"}, ValidationError)):
        with pytest.raises(error), demo_db.sessions.begin() as session:
            T.update_task(session, task_id=task_id, today=TODAY, **fields)
    with pytest.raises(NotFoundError), demo_db.sessions.begin() as session:
        T.update_task(session, task_id="no-such-task", today=TODAY, status="done")
    assert _rows(demo_db, resolution_id)[0].status == "carried_over"   # nothing lost


def test_next_minutes_review_last_months_tasks_and_keep_an_edit(demo_db) -> None:  # type: ignore[no-untyped-def]
    december = _meeting(demo_db, DEC)
    resolution_id, _ = _save(demo_db, december, [("Làm đường", "Chi đoàn"), ("Trồng cây", "")])
    first = _rows(demo_db, resolution_id)[0]
    with demo_db.sessions.begin() as session:
        T.update_task(session, task_id=first.id, today=TODAY, status="done",
                      notes="Xong 300 m.")
    january = _meeting(demo_db, dt.date(2027, 1, 5))
    with demo_db.reads() as session:
        review = meeting_data(session, january).review
        number = meeting_data(session, december).resolution.number  # type: ignore[union-attr]
    assert review[0] == f"Thực hiện Nghị quyết số {number} ngày 05/12/2026:"
    assert review[1] == "1. Làm đường (Phụ trách: Chi đoàn): đã hoàn thành. Xong 300 m."
    assert review[2] == "2. Trồng cây: chưa thực hiện."
    # saving the draft as it is keeps it live: a later status shows
    with demo_db.sessions.begin() as session:
        R.save_minutes(session, meeting_id=january, review="\n".join(review))
        T.update_task(session, task_id=_rows(demo_db, resolution_id)[1].id, today=TODAY,
                      status="in_progress")
    with demo_db.reads() as session:
        assert meeting_data(session, january).review[2] == "2. Trồng cây: đang thực hiện."
    with demo_db.sessions.begin() as session:   # edited: kept as written
        R.save_minutes(session, meeting_id=january, review="Các việc đều đạt.\nCòn trồng cây.")
        R.save_minutes(session, meeting_id=january, conclusion="Đồng ý")   # review kept
    with demo_db.reads() as session:
        assert meeting_data(session, january).review == ("Các việc đều đạt.", "Còn trồng cây.")
        body = json.loads(session.scalars(select(MinutesRow.body).where(
            MinutesRow.meeting_id == january)).one())
    assert body["review"] == "Các việc đều đạt.\nCòn trồng cây."
    with demo_db.sessions.begin() as session:   # emptied: the draft again
        R.save_minutes(session, meeting_id=january, review="")
    with demo_db.reads() as session:
        assert meeting_data(session, january).review[1].startswith("1. Làm đường")


def test_overdue_tasks_are_reminders(demo_db) -> None:  # type: ignore[no-untyped-def]
    meeting_id = _meeting(demo_db, DEC)
    member = _officials(demo_db)[2]
    resolution_id, _ = _save(demo_db, meeting_id, [("Làm đường", member.full_name),
                                                   ("Trồng cây", "Chi đoàn"),
                                                   ("Họp dân", "")])
    rows = _rows(demo_db, resolution_id)
    with demo_db.sessions.begin() as session:
        T.update_task(session, task_id=rows[2].id, today=TODAY, status="done")
        found = T.overdue_reminders(session, dt.date(2027, 2, 1))
        mine = [r for r in found if r.full_name.startswith(("Làm đường", "Trồng cây",
                                                            "Họp dân"))]
        on_the_day = T.overdue_reminders(session, dt.date(2027, 1, 31))
    assert not [r for r in on_the_day if r.full_name.startswith("Làm đường")]
    assert [(r.kind, r.member_id, r.full_name, r.due) for r in mine] == [
        (ReminderKind.TASK_OVERDUE, member.id, f"Làm đường ({member.full_name})",
         dt.date(2027, 1, 31)),
        (ReminderKind.TASK_OVERDUE, "", "Trồng cây (Chi đoàn)", dt.date(2027, 1, 31))]


def test_printed_minutes_carry_the_review_and_the_score(demo_db) -> None:  # type: ignore[no-untyped-def]
    """DOCX read back with python-docx, PDF with pypdf: the review section under the agenda,
    the score sentence before the closing line."""
    import io

    import docx
    from pypdf import PdfReader

    from sotay_desktop.services import meeting_scores
    from sotay_desktop.services.attendance import mark_rest_present
    from sotay_desktop.usecases import papers
    from sotay_desktop.usecases.workspace import Workspace

    december = _meeting(demo_db, DEC)
    resolution_id, _ = _save(demo_db, december, [("Làm đường (Phụ trách: Chi đoàn)", "")])
    with demo_db.sessions.begin() as session:
        T.update_task(session, task_id=_rows(demo_db, resolution_id)[0].id, today=TODAY,
                      status="carried_over", notes="Chờ kinh phí.")
    january = _meeting(demo_db, dt.date(2027, 1, 5))
    with demo_db.sessions.begin() as session:
        mark_rest_present(session, meeting_id=january)
        sheet, _ = meeting_scores.save_score(session, meeting_id=january, points={
            "preparation": 15, "order": 12, "minutes": 10, "conclusion": 18})
    ws = Workspace(demo_db, today=lambda: TODAY)
    line = f"đạt {sheet.total}/100 điểm, xếp loại {sheet.grade.label}."
    paragraphs = [p.text for p in docx.Document(io.BytesIO(
        papers.meeting_paper(ws, january, "minutes", "docx"))).paragraphs]
    heading = paragraphs.index("Kiểm điểm việc thực hiện nghị quyết tháng trước")
    assert paragraphs[heading + 2] == ("1. Làm đường (Phụ trách: Chi đoàn): chuyển sang tháng "
                                       "sau. Chờ kinh phí.")
    assert heading < paragraphs.index("III. BIỂU QUYẾT")
    assert any(p.endswith(line) for p in paragraphs)
    pdf = PdfReader(io.BytesIO(papers.meeting_paper(ws, january, "minutes", "pdf")))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Kiểm điểm việc thực hiện nghị quyết tháng trước" in text
    assert "chuyển sang tháng sau. Chờ kinh phí." in text and line in text
