"""Political study through the real sync (issue 21): a plan the province publishes (a
province-owned record on the server) comes down to the branch's PC, read-only there; the
branch records sessions (by name and by card), answer sheets and survey counts; its report
goes up with counts only, and the server holds no member's id or name in it; an edit of
the province's plan from a modified PC is refused by the server and the PC's queue moves
on (the next change still goes up). The demo's two typed plans go up as the branch's own.
A real server (uvicorn subprocess), SQLite always and PostgreSQL when reachable."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_core.domain.ids import new_id
from sotay_core.domain.study import parse_quiz_text, quiz_to_json, survey_to_json
from sotay_core.domain.study_plan import member_code
from sotay_core.domain.study_survey_text import parse_survey_text
from sotay_desktop.db.engine import Database
from sotay_desktop.db.study_tables import StudyPlanRow
from sotay_desktop.db.tables import MemberRow, OutboxRow, SyncNoticeRow, SyncQuarantineRow
from sotay_desktop.services.recording import apply_update
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace
from sync_server.models import Record
from sync_server.records import put_record
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import open_copy

server = server_fixture(scope="module", backends=BACKENDS)
QUIZ = parse_quiz_text("1. Câu một?\n*A. Đúng\nB. Sai\n2. Câu hai?\nA. Sai\n*B. Đúng\n"
                       "C. Cũng sai\n")
SURVEY = parse_survey_text("1. Ý kiến?\nA. Đồng ý\nB. Chưa đồng ý\n2. Đề xuất:\n")


@pytest.fixture
def pc(server: Server, tmp_path: Path) -> Iterator[tuple[Database, str]]:
    [branch] = server.tree()
    db = open_copy(tmp_path / "pc", members=12, documents=2, meetings=2, seed=31)
    sync_client.enroll(db, server.url, server.code(branch), label="PC-1")
    sync_client.run_sync(db)
    yield db, branch
    db.close()


def _publish(server: Server, branch: str) -> str:
    plan_id = new_id()
    with server.session() as s:
        put_record(s, scope_id=branch, entity="study_plans", row_id=plan_id, by="Huyện ủy",
                   province_owned=True, data={
                       "unit_id": branch, "origin": "from_above", "kind": "study",
                       "title": "Học tập Chỉ thị của Ban Thường vụ Tỉnh ủy",
                       "number": "Số 30-KH/TU", "issuer": "Tỉnh ủy", "issued_on": "2026-11-01",
                       "starts_on": "2026-11-05", "due_on": "2026-12-20", "documents": "[]",
                       "audience": "all", "statuses": "", "quiz": quiz_to_json(QUIZ),
                       "survey": survey_to_json(SURVEY), "points": None, "note": ""})
        s.commit()
    return plan_id


def _server_rows(server: Server, branch: str, entity: str) -> list[dict[str, object]]:
    with server.session() as s:
        return [json.loads(r.data) for r in s.scalars(select(Record).where(
            Record.scope_id == branch, Record.entity == entity, Record.deleted.is_(False)))]


def test_a_province_plan_down_counts_up_and_its_edit_refused(pc, server: Server) -> None:  # type: ignore[no-untyped-def]
    db, branch = pc
    ws = Workspace(db, today=lambda: TODAY)
    # the demo's plans went up at enrolment as the branch's own, accepted
    assert len(_server_rows(server, branch, "study_plans")) == 2
    assert len(_server_rows(server, branch, "study_reports")) == 2
    plan_id = _publish(server, branch)
    sync_client.run_sync(db)
    assert plan_id in {p.id for p in study.plans(ws)}
    assert study.is_read_only(ws, plan_id)

    with db.reads() as s:
        people = list(s.execute(select(MemberRow.id, MemberRow.full_name).where(
            MemberRow.deleted.is_(False))).all())
    view = study.view(ws, plan_id)
    wanted = [m.member_id for m in view.members]
    session_id, _ = study.record_session(ws, plan_id, held_on=TODAY - dt.timedelta(days=2),
                                         member_ids=wanted[:3])
    scanned = study.scan(ws, session_id, member_code(ws.branch_id(), wanted[3]))
    assert scanned.member_id == wanted[3]
    assert study.scan(ws, session_id, member_code(ws.branch_id(), wanted[3])).already
    study.enter_answers(ws, plan_id, wanted[0], "AB")
    study.enter_answers(ws, plan_id, wanted[1], "BB")
    study.enter_survey(ws, plan_id, collected_on=TODAY - dt.timedelta(days=2),
                       session_id=session_id, tallies=[[3, 1], []], texts=["", "Học buổi tối"])
    sync_client.run_sync(db)
    with db.reads() as s:
        assert s.scalars(select(SyncQuarantineRow)).all() == []
        assert s.scalars(select(SyncNoticeRow)).all() == []
        assert s.scalars(select(OutboxRow)).all() == []

    [report] = [r for r in _server_rows(server, branch, "study_reports")
                if r["plan_id"] == plan_id]
    figures = json.loads(str(report["figures"]))
    assert (figures["targeted"], figures["studied"], figures["sessions"]) == (
        len(wanted), 4, 1)
    assert (figures["quiz_sat"], figures["quiz_passed"]) == (2, 2)
    assert figures["histogram"] == [0, 1, 1] and figures["survey_present"] == 4
    assert figures["named"] == []
    with server.session() as s:
        everything = " ".join(r.data for r in s.scalars(select(Record).where(
            Record.scope_id == branch, Record.entity.in_(("study_reports", "study_plans")))))
        for member_id, name in people:
            assert member_id not in everything and name not in everything
        # nothing of the PC-only tables is a record on the server
        assert not s.scalars(select(Record).where(Record.entity.in_((
            "study_sessions", "study_attendance", "quiz_answers", "survey_sheets")))).all()

    # a modified PC edits the province's plan behind the use case's back
    with db.sessions.begin() as s:
        row = s.get(StudyPlanRow, plan_id)
        assert row is not None
        apply_update(s, entity="study_plans", row=row, values={"title": "Sửa trái phép"})
    study.clear_answers(ws, plan_id, wanted[1])       # a real change queued behind it
    report = sync_client.run_sync(db)
    assert report.rejected == 1
    with db.reads() as s:
        [notice] = s.scalars(select(SyncNoticeRow)).all()
        assert notice.reason == "sync_read_only" and notice.row_id == plan_id
        assert s.scalars(select(OutboxRow)).all() == []
        row = s.get(StudyPlanRow, plan_id)
        assert row is not None and row.title == "Học tập Chỉ thị của Ban Thường vụ Tỉnh ủy"
    [published] = [r for r in _server_rows(server, branch, "study_plans")
                   if r["title"].startswith("Học tập Chỉ thị")]   # type: ignore[union-attr]
    assert published["number"] == "Số 30-KH/TU"
    [report_row] = [r for r in _server_rows(server, branch, "study_reports")
                    if r["plan_id"] == plan_id]
    assert json.loads(str(report_row["figures"]))["quiz_sat"] == 1   # the queue moved on
    assert study.is_read_only(ws, plan_id)   # the rogue edit's audit row is no creation
