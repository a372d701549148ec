"""A study plan published by the province reaches a branch without a link, by USB bundle
(issue 21: "it reaches the branch at the next sync, or by USB bundle"); the PC cannot
rewrite it, and its queue moves on after the refusal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_core.domain import study
from sotay_core.domain.ids import new_id
from sotay_desktop.cli import main as sotay
from sotay_desktop.db.engine import Database
from sotay_desktop.db.study_tables import StudyPlanRow
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.services import outbox
from sotay_desktop.services.sync import client as sync_client
from sync_server.cli import main as sotay_server
from sync_server.records import put_record
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import open_copy

server = server_fixture(scope="module", backends=BACKENDS)

QUIZ = study.parse_quiz_text("1. Đại hội XIV họp năm nào?\nA. 2021\n*B. 2026\n")


@pytest.fixture
def pc(server: Server, tmp_path: Path) -> Iterator[tuple[Database, str]]:
    [branch] = server.tree()
    db = open_copy(tmp_path / "pc", members=12, documents=2, meetings=1, seed=3)
    sync_client.enroll(db, server.url, server.code(branch), label="PC")
    sync_client.run_sync(db)
    yield db, branch
    db.close()


def _publish(server: Server, branch: str) -> str:
    plan_id = new_id()
    with server.session() as s:
        put_record(s, scope_id=branch, entity="study_plans", row_id=plan_id, data={
            "unit_id": branch, "origin": "from_above", "kind": "study",
            "title": "Học tập Nghị quyết Đại hội XIV", "number": "Số 12-KH/ĐU",
            "issuer": "Đảng ủy xã", "issued_on": "2026-11-20", "starts_on": "2026-11-25",
            "due_on": "2026-12-31", "documents": "[]", "audience": "all", "statuses": "",
            "quiz": study.quiz_to_json(QUIZ), "survey": "", "points": 10, "note": ""},
            by="Đảng ủy xã", province_owned=True)
    return plan_id


def test_a_plan_comes_down_by_usb_bundle_and_cannot_be_rewritten(
        pc: tuple[Database, str], server: Server, tmp_path: Path) -> None:
    db, branch = pc
    plan_id = _publish(server, branch)
    out_file, answer = tmp_path / "chi-bo.sotay", tmp_path / "tra-loi.sotay"
    assert sotay(["bundle", "export", "--data-dir", str(db.data_dir), "-o", str(out_file)]) == 0
    assert sotay_server(["--db", server.db_url, "bundle", "import", str(out_file),
                         "-o", str(answer)]) == 0
    assert sotay(["bundle", "import", "--data-dir", str(db.data_dir), str(answer)]) == 0
    with db.reads() as s:
        row = s.get(StudyPlanRow, plan_id)
        assert row is not None and row.version > 0
        assert row.title == "Học tập Nghị quyết Đại hội XIV"
        assert study.quiz_from_json(row.quiz) == QUIZ

    # A modified PC rewrites the plan's due date: the server refuses it, and the next
    # change of the branch still goes up (one bad row never stops the branch's sync).
    with db.sessions.begin() as s:
        outbox.append(s, entity="study_plans", row_id=plan_id, op="update",
                      base_version=1, fields={"due_on": "2027-06-30"})
    sync_client.run_sync(db)
    with server.session() as s:
        from sync_server.models import Record
        rec = s.get(Record, (branch, "study_plans", plan_id))
        assert rec is not None and json.loads(rec.data)["due_on"] == "2026-12-31"
    with db.reads() as s:
        assert s.scalars(select(OutboxRow).where(OutboxRow.entity == "study_plans")).all() == []
