"""Bad input (issue 17): one PC cannot hurt its branch.

Every kind of rule-breaking value for every field of every entity a branch writes is
generated from the one definition (``domain.record_rules.RULES``), pushed through a PC's
outbox with its real device token to the real server (over a socket, on SQLite and
PostgreSQL), and must come back refused with ``code:field``. Then a fresh PC of the branch
syncs from scratch: its roster, documents and meetings screens open and ``sotay members
list`` works. A second test writes bad rows straight into the server's database (an old
server, a manual edit): the PC sets them aside and applies the rest.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sotay_core.domain import record_rules
from sotay_core.domain.ids import new_id
from sotay_core.protocol.entities import ENTITIES, ENTITY_ORDER
from sotay_desktop.cli import main as sotay
from sotay_desktop.db import schema_version
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import (
    MemberEventRow,
    MemberRow,
    OutboxRow,
    SyncNoticeRow,
    SyncQuarantineRow,
)
from sotay_desktop.services import conflicts
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync.rows import TABLES, row_fields
from sync_server.models import AdminLog, Record
from sync_server.records import put_record
from tests.bad_cases import bad_cases, year_parents
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import open_copy

server = server_fixture(backends=BACKENDS)


def _demo_pc(path: Path) -> Database:
    return open_copy(path, members=25, documents=3, meetings=3, seed=11)


def _synced_demo_pc(server: Server, path: Path) -> tuple[Database, str]:
    """A demo branch's PC, enrolled in the server's one branch and synced once."""
    [branch] = server.tree()
    db = _demo_pc(path)
    sync_client.enroll(db, server.url, server.code(branch), label="PC-1")
    sync_client.run_sync(db)
    return db, branch


# --- the cases, generated from the one definition ------------------------------------------


def test_the_cases_cover_every_entity_and_every_code() -> None:
    cases = bad_cases(dt.date.today())
    writable = {e for e, s in ENTITIES.items() if s.branch_writable}
    assert {e for e, *_ in cases} == writable
    # The two rules about other records are pushed by hand in the test below.
    assert {code for *_, code in cases} == set(record_rules.CODES) - {
        "impossible_history", "duplicate_value"}
    assert len(cases) > 150


def _base_rows(db: Database) -> dict[str, dict[str, Any]]:
    """One valid row per entity, from the PC's synced branch (or built on its rows)."""
    rows: dict[str, dict[str, Any]] = {}
    with db.reads() as s:
        for entity in ENTITY_ORDER:
            cls = TABLES[entity]
            row = s.scalars(select(cls).where(cls.deleted.is_(False)).limit(1)).first()
            if row is not None:
                rows[entity] = row_fields(entity, row)
    member = rows["members"]
    member_id = next(iter(_ids(db, MemberRow)))
    resolution_id = _one_id(db, "resolutions")
    document_id = _one_id(db, "documents")
    rows.setdefault("bookmarks", {"document_id": document_id, "note": "đọc lại"})
    rows.setdefault("tasks", {"resolution_id": resolution_id, "description": "Vận động",
                              "responsible_id": member_id, "responsible_text": "",
                              "due_on": None, "done": False})
    rows.setdefault("comments", {"target_type": "resolution", "target_id": resolution_id,
                                 "author_member_id": member_id, "author_text": "",
                                 "body": "Ý kiến"})
    # The month's records (issue 19), valid, on the branch's member, meeting and unit.
    meeting_id = _one_id(db, "meetings")
    unit_id = member["unit_id"]
    rows.setdefault("dues_rates", {
        "valid_from": "2027-01-01", "name": "Thử", "salary_percent": "1",
        "pension_percent": "0.5", "student_amount": 5000, "other_default": 2000,
        "other_min": 2000, "other_max": 30000, "retention_percent": "30", "note": ""})
    rows.setdefault("dues_bases", {"member_id": member_id, "valid_from": "2026-01-01",
                                   "category": "pension", "amount": 4_000_000, "note": ""})
    rows.setdefault("dues_exemptions", {
        "member_id": member_id, "kind": "reduction", "starts_on": "2026-03-01",
        "ends_on": "2026-05-01", "percent": 50, "decision": "QĐ 1", "note": ""})
    rows.setdefault("dues_payments", {
        "member_id": member_id, "month": "2026-03", "amount": 20000,
        "paid_on": "2026-03-05", "channel": "cash", "receipt": "", "note": ""})
    rows.setdefault("meeting_scores", {"meeting_id": meeting_id, "scheme": "Mặc định",
                                       "items": "[]", "total": 80, "grade": "Khá",
                                       "note": ""})
    rows.setdefault("monthly_reports", {"unit_id": unit_id, "month": "2026-03",
                                        "figures": "{}", "remarks": "", "status": "draft",
                                        "sent_on": None})
    rows["audit_log"] = {"pc": new_id(), "seq": 1, "at": "2026-11-22T08:00:00",
                         "actor": "Bí thư", "action": "view", "entity": "members",
                         "row_id": member_id, "detail": "", "prev_hash": "0" * 64,
                         "hash": "1" * 64}
    assert member
    return rows


def _ids(db: Database, cls: Any) -> list[str]:
    with db.reads() as s:
        return list(s.scalars(select(cls.id).where(cls.deleted.is_(False)).order_by(cls.id)))


def _one_id(db: Database, entity: str) -> str:
    return _ids(db, TABLES[entity])[0]


def _queue(db: Database, entity: str, fields: dict[str, Any]) -> str:
    """A mutation put straight into the outbox, as a modified PC would send it."""
    row_id = new_id()
    op = "add" if ENTITIES[entity].add_only else "create"
    with db.sessions.begin() as s:
        s.add(OutboxRow(entity=entity, row_id=row_id, op=op, base_version=0,
                        fields=json.dumps(fields, ensure_ascii=False),
                        schema_version=schema_version.HEAD))
    return row_id


def _impossible_event(db: Database) -> dict[str, Any]:
    """A second admission of an official member: valid values, impossible history."""
    with db.reads() as s:
        member = s.scalars(select(MemberRow).where(MemberRow.status == "official")
                           .order_by(MemberRow.id)).first()
        assert member is not None and member.admitted_on is not None
        return {"member_id": member.id, "kind": "admitted",
                "date": (member.admitted_on + dt.timedelta(days=1)).isoformat(),
                "decision": "", "place": "", "detail": "", "seq": 5}


def _screens_open(make_window: Any, db: Database, monkeypatch: pytest.MonkeyPatch,
                  window: list[Any] | None = None) -> int:
    """Build the main window inline, open roster, documents and meetings; no task failed."""
    from sotay_desktop.ui import tasks

    failures: list[BaseException] = []
    monkeypatch.setattr(tasks, "_log_unexpected", failures.append)
    win = make_window(db, show=True, refresh=True)
    shown = win.roster.model.total
    win.roster.show_all()
    if win.roster.model.rowCount():
        win.show_member(win.roster.model.all_rows()[0].id)
    assert win.documents.model.rowCount() >= 0
    win.meetings.load()
    win.sync_screen.reload()
    assert failures == []
    if window is not None:
        window.append(win)
    return int(shown)


def _members_list(db: Database, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert sotay(["members", "list", "--data-dir", str(db.data_dir), "--json"]) == 0
    return list(json.loads(capsys.readouterr().out))


@pytest.mark.gui
def test_every_rule_breaking_value_is_refused_and_the_branch_still_syncs(
        server: Server, tmp_path: Path, make_window: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, branch = _synced_demo_pc(server, tmp_path / "pc1")
    year_parents(server, branch, a)
    base = _base_rows(a)
    expected: dict[str, str] = {}
    for entity, field, value, code in bad_cases(dt.date.today()):
        expected[_queue(a, entity, base[entity] | {field: value})] = f"{code}:{field}"
    expected[_queue(a, "member_events", _impossible_event(a))] = "impossible_history:kind"
    expected[_queue(a, "member_events", {"member_id": _ids(a, MemberRow)[0],
                                         "kind": "admitted"})] = "required:date"
    expected[_queue(a, "members", {"unit_id": branch})] = "required:full_name"
    assert base["members"]["card_number"]
    expected[_queue(a, "members", base["members"])] = "duplicate_value:card_number"
    report = sync_client.run_sync(a)
    assert report.pushed == len(expected)
    with a.reads() as s:
        got = {n.row_id: n.reason for n in s.scalars(select(SyncNoticeRow))}
        texts = [n.text for n in conflicts.notices(s)]
        pending = conflicts.pending_changes(s)
    assert got == expected
    assert pending == 0                   # the counter moved on past every refusal
    # Refused changes in plain words, naming the record and the field.
    gender = next(t for t in texts if "Giới tính" in t)
    assert "không được phép" in gender and "invalid_value" not in gender
    assert any("lịch sử của đảng viên" in t for t in texts)
    assert not any(code in t for t in texts for code in record_rules.CODES)
    with server.session() as s:
        stored = s.scalar(select(func.count()).select_from(Record).where(
            Record.id.in_(list(expected))))
    assert stored == 0                    # nothing of it reached the branch's records

    # A fresh PC of the branch syncs from scratch; everything opens.
    c = open_copy(tmp_path / "pc3")
    sync_client.enroll(c, server.url, server.code(branch), label="PC-3")
    sync_client.run_sync(c)
    with c.reads() as s:
        assert s.scalar(select(func.count()).select_from(SyncQuarantineRow)) == 0
        events = s.scalar(select(func.count()).select_from(MemberEventRow))
    with a.reads() as s:
        assert events == s.scalar(select(func.count()).select_from(MemberEventRow))
    roster = _members_list(c, capsys)
    assert len(roster) == len(_members_list(a, capsys)) == 25
    assert _screens_open(make_window, c, monkeypatch) > 0


def _put(server: Server, branch: str, entity: str, data: dict[str, Any]) -> str:
    row_id = new_id()
    with server.session() as s:
        put_record(s, scope_id=branch, entity=entity, row_id=row_id, data=data, by="sửa tay")
    return row_id


@pytest.mark.gui
def test_bad_rows_in_the_server_database_are_quarantined_and_the_rest_applies(
        server: Server, tmp_path: Path, make_window: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, branch = _synced_demo_pc(server, tmp_path / "pc1")
    base = _base_rows(a)
    member = base["members"]
    event = base["member_events"]
    bad = {
        _put(server, branch, "members", member | {"gender": "xyz"}): "invalid_value:gender",
        _put(server, branch, "members", member | {"full_name": "A" * 200_000}):
            "too_long:full_name",
        _put(server, branch, "members", member | {"full_name": "Lê\x1bVăn"}):
            "control_character:full_name",
        _put(server, branch, "member_events", event | {"kind": "bogus"}):
            "invalid_value:kind",
        _put(server, branch, "member_events", event | {"date": "not a date"}):
            "invalid_value:date",
        _put(server, branch, "member_events", event | {"member_id": new_id()}):
            "unknown_reference:member_id",
        _put(server, branch, "meetings", base["meetings"] | {"kind": "party"}):
            "invalid_value:kind",
        _put(server, branch, "attendance", base["attendance"] | {
            "status": "asleep", "meeting_id": new_id()}): "invalid_value:status",
        _put(server, branch, "documents", base["documents"] | {"origin": "moon"}):
            "invalid_value:origin",
        _put(server, branch, "members", {"unit_id": branch}): "required:full_name",
        _put(server, branch, "members", member | {"full_name": "Trùng Thẻ"}):
            "duplicate_value:card_number",
    }
    good = _put(server, branch, "members", member | {"full_name": "Trần Thị Mới",
                                                     "card_number": ""})

    c = open_copy(tmp_path / "pc3")
    sync_client.enroll(c, server.url, server.code(branch), label="PC-3")
    sync_client.run_sync(c)
    with c.reads() as s:
        set_aside = {q.row_id: q.reason for q in s.scalars(select(SyncQuarantineRow))}
        shown = [n.text for n in conflicts.quarantined(s)]
        assert s.get(MemberRow, good) is not None          # the rest of the page applied
        assert all(s.get(MemberRow, i) is None for i in bad)
    assert set_aside == bad
    assert len(shown) == len(bad) and all("để riêng" in t for t in shown)
    assert any("Giới tính" in t for t in shown)
    names = [m["full_name"] for m in _members_list(c, capsys)]
    assert "Trần Thị Mới" in names and len(names) == 26
    capsys.readouterr()
    assert sotay(["conflicts", "list", "--data-dir", str(c.data_dir)]) == 0
    assert capsys.readouterr().out.count("\n? ") + 1 >= len(bad)
    opened: list[Any] = []
    assert _screens_open(make_window, c, monkeypatch, opened) == 26
    notices = opened[0].sync_screen.notice_list       # the Sync screen lists them in words
    shown_there = [notices.item(i).text() for i in range(notices.count())]
    assert not notices.isHidden() and sorted(shown_there) == sorted(shown)
    # The province hears of it: one admin-log entry per row set aside, naming the row.
    sync_client.run_sync(c)
    with server.session() as s:
        logged = [json.loads(r.detail) for r in s.scalars(
            select(AdminLog).where(AdminLog.action == "pc_quarantine"))]
    assert {entry["row_id"] for entry in logged} == set(bad)
    assert {entry["reason"] for entry in logged} == set(bad.values())
    from sync_server.cli import main as sotay_server

    capsys.readouterr()
    assert sotay_server(["quarantine", "--json", "--db", server.db_url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["row_id"] for r in listed} == set(bad)
    assert {r["unit_name"] for r in listed} == {"Chi bộ thôn 1"} and listed[0]["pc"] == "PC-3"
    with c.reads() as s:
        assert conflicts.pending_changes(s) == 0


def test_bad_values_already_in_a_pc_database_do_not_stop_lists(
        demo_db: Database, make_window: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The report's two crashes: KeyError 'xyz' in `members list`, and the GUI's ValueError
    "'bogus' is not a valid EventKind"."""
    with demo_db.sessions.begin() as s:
        member = s.scalars(select(MemberRow).order_by(MemberRow.sort_key)).first()
        assert member is not None
        member.gender = "xyz"
        member.status = "weird"
        event = s.scalars(select(MemberEventRow).where(
            MemberEventRow.member_id == member.id)).first()
        assert event is not None
        event.kind = "bogus"
        member_id = member.id
    listed = _members_list(demo_db, capsys)
    assert any(m["id"] == member_id for m in listed)
    assert sotay(["members", "show", member_id, "--data-dir", str(demo_db.data_dir)]) == 0
    assert _screens_open(make_window, demo_db, monkeypatch) > 0


def test_one_batch_cannot_give_one_card_number_to_two_members(tmp_path: Path) -> None:
    """The batch's index of card numbers follows its own writes (in-process server)."""
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS
    from sync_server import admin
    from sync_server.app import create_app
    from sync_server.settings import ServerSettings

    app = create_app(ServerSettings(db=f"sqlite:///{tmp_path / 's.db'}",
                                    files_dir=str(tmp_path / "f")))
    with TestClient(app) as client:
        with Session(app.state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            branch = admin.add_unit(s, name="Chi bộ", level="branch", parent_id=p.id).id
            code = admin.enroll_device(s, unit_id=branch).code
        token = client.post("/api/v1/enroll", json={"code": code}).json()["token"]
        ids = [new_id() for _ in range(4)]

        def member(i: int, card: str) -> dict[str, Any]:
            return {"id": i + 1, "entity": "members", "row_id": ids[i], "op": "create",
                    "base_version": 0, "schema_version": SCHEMA_VERSIONS[-1],
                    "fields": {"unit_id": branch, "full_name": f"Người {i}",
                               "card_number": card}}

        body = {"protocol": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSIONS[-1],
                "mutations": [member(0, "0123"), member(1, "0123"), member(2, ""),
                              member(3, "")], "pull": False}
        r = client.post("/api/v1/sync", json=body, headers={"Authorization": f"Bearer {token}"})
        assert [x["status"] for x in r.json()["results"]] == [
            "applied", "rejected", "applied", "applied"]
        assert r.json()["results"][1]["reason"] == "duplicate_value:card_number"
        # An edit from the province pages keeps the same rules.
        with Session(app.state.engine) as s, s.begin():
            with pytest.raises(admin.AdminError) as refused:
                admin.province_edit(s, scope_id=branch, entity="members", row_id=ids[0],
                                    values={"gender": "xyz"}, actor="tỉnh")
            assert refused.value.code == "rule.invalid_value"
            assert refused.value.params["field"] == "Giới tính"
            admin.province_edit(s, scope_id=branch, entity="members", row_id=ids[0],
                                values={"gender": "female"}, actor="tỉnh")
            paper = tmp_path / "cv.pdf"
            paper.write_bytes(b"%PDF-1.4 x")
            with pytest.raises(admin.AdminError) as refused:   # so does a publication
                admin.publish(s, tmp_path / "files", paper, to_unit=branch, title="T" * 501)
            assert refused.value.code == "rule.too_long"
