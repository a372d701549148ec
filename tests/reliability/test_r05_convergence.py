"""R5: the convergence check inside the product.

Every sync ends with the PC and the server comparing a digest of the branch's records
(``sotay_core/protocol/digest.py``, one function on both sides). Here each side's copy
is corrupted behind the sync's back (a row edited, removed or added by direct SQL, on the
PC and on the server), on SQLite and PostgreSQL: the next sync finds the difference, the
repair makes the two agree again, the PC's unsent edit is kept, the difference is recorded
on the PC and in the server's admin log, and the province tree flags a branch whose copy
still differs.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from sotay_desktop.db import schema_version
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import MemberEventRow, MemberRow, OutboxRow
from sotay_desktop.services.members import update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync import convergence
from sync_server import convergence as server_convergence
from sync_server import staff
from sync_server.models import Record
from tests.conftest import TODAY
from tests.reliability.convergence_support import (
    EditDuringRepair,
    NoRepair,
    assert_agree,
    convergence_log,
    copy_row,
    flagged,
    live_members,
    pc_digest,
    run_sql,
    server_digest,
    server_record,
    sync_now,
)
from tests.reliability.report import record
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.sync_support import digest as replica_digest
from tests.templates import open_copy

pytestmark = pytest.mark.slow  # convergence against a live server: `make check` leaves it out

PASSWORD = "mật khẩu thử nghiệm 2026"
EXTRA = "ffffffff-0000-7000-8000-000000000001"
SCHEMA = schema_version.HEAD


server = server_fixture(scope="module", backends=BACKENDS)


@pytest.fixture
def branch(server: Server, tmp_path: Path) -> Iterator[tuple[Database, str]]:
    """A demo branch PC, enrolled and synced; its first check matched."""
    [unit] = server.tree()
    db = open_copy(tmp_path / "pc", members=12, documents=2, meetings=2, seed=5)
    sync_client.enroll(db, server.url, server.code(unit), label="PC-1")
    report = sync_client.run_sync(db, files=False)
    assert report.check.status == "match"
    yield db, unit
    db.close()


# --- the tests -----------------------------------------------------------------------


def test_r5_a_clean_sync_matches_and_records_nothing(branch, server: Server) -> None:
    db, unit = branch
    member = live_members(db)[0]
    with db.sessions.begin() as s:
        update_member(s, member_id=member.id, data={"phone": "0912 345 678"}, today=TODAY)
    report = sync_now(db)
    assert report.check.status == "match" and report.check.fixed == 0
    assert_agree(db, server, unit)
    assert convergence_log(server, unit) == []
    # The digest is able to fail: one field of one row changes it.
    mine = pc_digest(db)
    run_sql(db, "UPDATE members SET phone = '0' WHERE id = :id", id=member.id)
    assert pc_digest(db)["members"] != mine["members"]
    assert {e: d for e, d in pc_digest(db).items() if e != "members"} == {
        e: d for e, d in mine.items() if e != "members"}


def test_r5_pc_copy_edited_removed_and_added_is_repaired_keeping_the_unsent_edit(
        branch, server: Server) -> None:
    db, unit = branch
    started = time.monotonic()
    first, second, third = live_members(db)[:3]
    truth = server_record(server, unit, "members", first.id)["data"]["full_name"]
    with db.reads() as s:
        event = s.scalars(select(MemberEventRow).where(
            MemberEventRow.member_id == second.id)).first()
        assert event is not None
        event_id = event.id
    # 1. a row edited, 2. a row removed, 3. a row added: all by direct SQL on the PC.
    run_sql(db, "UPDATE members SET full_name = 'Tên Bị Sửa Tay' WHERE id = :id", id=first.id)
    run_sql(db, "DELETE FROM member_events WHERE id = :id", id=event_id)
    copy_row(db, "members", third.id, EXTRA, full_name="Đảng Viên Thêm Tay",
              card_number="", version=999)
    assert pc_digest(db) != server_digest(server, unit)
    # The secretary edits the corrupted member while the repair runs.
    transport = EditDuringRepair(sync_client.transport_for(db), db, first.id, "Xóm Mới")
    report = sync_client.run_sync(db, transport, files=False)
    check = report.check
    assert transport.done
    assert check.status == "repaired" and check.confirmed
    assert set(check.entities) == {"members", "member_events"} and check.fixed >= 3
    # Agreement: the server's name is back, the removed event is back, the added event
    # member (the branch's kind of row, unknown to the server) went up instead of being
    # thrown away, and the edit made during the repair was kept and reached the server.
    assert_agree(db, server, unit)
    row = next(m for m in live_members(db) if m.id == first.id)
    assert row.full_name == truth and row.residence == "Xóm Mới"
    assert server_record(server, unit, "members", first.id)["data"]["residence"] == "Xóm Mới"
    with db.reads() as s:
        assert s.get(MemberEventRow, event_id) is not None
        added = s.get(MemberRow, EXTRA)
        assert added is not None and added.version != 999
    assert server_record(server, unit, "members", EXTRA)["data"]["full_name"] == \
        "Đảng Viên Thêm Tay"
    # Recorded: on the PC (the Sync screen's line) and on the server, divergence then repair.
    with db.reads() as s:
        kept = convergence.last_outcome(s)
    assert kept is not None and kept.status == "repaired"
    log = convergence_log(server, unit)
    assert [a for a, _ in log] == [server_convergence.DIVERGED, server_convergence.CONVERGED]
    assert set(log[0][1]["entities"]) == {"members", "member_events"}
    assert not flagged(server, unit)
    # The next sync matches and says nothing new.
    assert sync_now(db).check.status == "match"
    assert len(convergence_log(server, unit)) == 2
    record("R5", "Convergence check: the PC's copy corrupted",
           injected="a member's name edited, an event deleted and a member inserted by "
                    "direct SQL in the PC's SQLite file; an edit made during the repair",
           trials=f"1 sync ({server.db_url.split(':')[0]})",
           held="difference found in members and member_events, repaired in the same sync, "
                "digests equal, the edit kept and sent, divergence and repair in the admin log",
           seconds=time.monotonic() - started)


def test_r5_repair_keeps_the_outbox_and_reapplies_it_on_top(branch, server: Server) -> None:
    db, unit = branch
    member = live_members(db)[0]
    with db.sessions.begin() as s:
        update_member(s, member_id=member.id, data={"residence": "Xóm Chưa Gửi"}, today=TODAY)
    run_sql(db, "UPDATE members SET full_name = 'Sai', version = version + 7 WHERE id = :id",
         id=member.id)
    with db.reads() as s:
        waiting = [(r.mutation_id, r.fields) for r in s.scalars(select(OutboxRow))]
    fixed = convergence.repair(db, sync_client.transport_for(db), "members")
    assert fixed == 1
    with db.reads() as s:
        assert [(r.mutation_id, r.fields) for r in s.scalars(select(OutboxRow))] == waiting
        row = s.get(MemberRow, member.id)
        assert row is not None and row.full_name == member.full_name
        assert row.residence == "Xóm Chưa Gửi"
    report = sync_now(db)
    assert report.check.status == "match"
    assert_agree(db, server, unit)
    assert server_record(server, unit, "members", member.id)["data"]["residence"] == \
        "Xóm Chưa Gửi"


def test_r5_server_copy_edited_removed_and_added_is_repaired(branch, server: Server) -> None:
    db, unit = branch
    first, second = live_members(db)[:2]
    with server.session() as s:
        rec = s.get(Record, (unit, "members", first.id))
        data = json.loads(rec.data) | {"notes": "sửa tay trên máy chủ"}
        rec.data = json.dumps(data, ensure_ascii=False)
        s.delete(s.get(Record, (unit, "members", second.id)))
    report = sync_now(db)
    assert report.check.status == "repaired" and report.check.confirmed
    assert report.check.entities == ["members"]
    assert_agree(db, server, unit)
    with db.reads() as s:
        assert s.get(MemberRow, first.id).notes == "sửa tay trên máy chủ"
        assert s.get(MemberRow, second.id) is not None          # never thrown away …
    assert server_record(server, unit, "members", second.id)["data"]["full_name"] == \
        second.full_name                                       # … sent up again
    assert [a for a, _ in convergence_log(server, unit)] == [server_convergence.DIVERGED,
                                                  server_convergence.CONVERGED]


def test_r5_an_unrepaired_difference_is_flagged_on_the_province_tree(
        branch, server: Server) -> None:
    db, unit = branch
    member = live_members(db)[0]
    run_sql(db, "UPDATE members SET full_name = 'Sai' WHERE id = :id", id=member.id)
    report = sync_client.run_sync(db, NoRepair(sync_client.transport_for(db)), files=False)
    assert report.check.status == "repaired" and not report.check.confirmed
    assert flagged(server, unit)
    with server.session() as s:
        from sync_server.models import Unit

        commune = s.get(Unit, s.get(Unit, unit).parent_id)
        province_id = commune.parent_id
        commune_id = commune.id
        staff.add_user(s, username="r5tinh" + unit[-6:], unit_id=province_id,
                       password=PASSWORD)
    web = requests.Session()
    r = web.post(server.url + "/province/login", data={
        "username": "r5tinh" + unit[-6:], "password": PASSWORD}, allow_redirects=True)
    assert r.status_code == 200, r.text[:300]

    def flag_on(unit_id: str) -> bool:
        page = web.get(f"{server.url}/province/units/{unit_id}").text
        return "Lệch dữ liệu" in re.sub(r"\s+", " ", page)

    assert flag_on(province_id) and flag_on(commune_id)
    # The next sync (the link works again) repairs it and the flag goes.
    report = sync_now(db)
    assert report.check.status == "repaired" and report.check.confirmed
    assert_agree(db, server, unit)
    assert not flagged(server, unit)
    assert not flag_on(province_id) and not flag_on(commune_id)


def test_r5_pc_and_server_compute_the_same_digest(branch, server: Server) -> None:
    """The two sides' digests of a synced branch are equal entity by entity, and the
    replicas agree by the test suite's own comparison too."""
    db, unit = branch
    mine, theirs = pc_digest(db), server_digest(server, unit)
    assert mine == theirs
    assert mine["members"].count == len(live_members(db))
    other = open_copy(db.path.parent.parent / "pc2")
    try:
        sync_client.enroll(other, server.url, server.code(unit), label="PC-2")
        assert sync_now(other).check.status == "match"
        assert replica_digest(other) == replica_digest(db)
    finally:
        other.close()


def test_r5_the_sync_screen_says_what_was_found_and_repaired(
        make_window, branch, server: Server) -> None:  # type: ignore[no-untyped-def]
    db, unit = branch
    member = live_members(db)[0]
    with db.reads() as s:
        events = sorted(s.scalars(select(MemberEventRow.id).where(
            MemberEventRow.member_id == member.id)))
    assert events
    win = make_window(db, refresh=True)
    win.nav.setCurrentRow(4)
    screen = win.sync_screen
    screen.sync_button.click()
    assert "dữ liệu khớp" in screen.check_label.text()
    # The member's row removed behind the sync's back: its events lose their parent (the
    # pull then sets them aside); the repair brings the member back and the events with it.
    run_sql(db, "DELETE FROM members WHERE id = :id", id=member.id)
    screen.sync_button.click()
    line = screen.check_label.text()
    assert screen.check_label.isVisibleTo(win)
    assert "đã lệch" in line and "đảng viên" in line and "đã tải lại" in line, line
    with db.reads() as s:
        assert s.get(MemberRow, member.id) is not None
        assert sorted(s.scalars(select(MemberEventRow.id).where(
            MemberEventRow.member_id == member.id))) == events
        if convergence.QUARANTINE is not None:
            assert s.scalars(select(convergence.QUARANTINE)).first() is None
    assert_agree(db, server, unit)


def test_r5_sotay_sync_says_what_was_repaired(branch, server: Server, capsys) -> None:
    from sotay_desktop.cli import main as sotay

    db, _unit = branch
    member = live_members(db)[0]
    run_sql(db, "UPDATE members SET phone = 'sửa tay' WHERE id = :id", id=member.id)
    data_dir = str(db.path.parent)
    db.close()
    assert sotay(["sync", "--data-dir", data_dir, "--no-files"]) == 0
    out = capsys.readouterr().out
    assert "đã lệch với máy chủ ở phần đảng viên" in out and "sửa 1 dòng" in out, out
    assert sotay(["sync", "--data-dir", data_dir, "--no-files", "--json"]) == 0
    assert '"status": "match"' in capsys.readouterr().out


def test_r5_bad_check_and_repair_requests_are_refused_plainly(server: Server) -> None:
    [unit] = server.tree()
    token = requests.post(server.url + "/api/v1/enroll",
                          json={"code": server.code(unit)}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    good = {"protocol": 1, "schema_version": SCHEMA, "cursor": 0,
            "digest": {"members": {"count": 0, "hash": "0" * 64}}}
    for body in ({**good, "cursor": 2**63}, {**good, "cursor": -1},
                 {**good, "digest": {"members": {"count": 0, "hash": "xyz"}}},
                 {**good, "digest": {f"e{i}": {"count": 0, "hash": "0" * 64}
                                     for i in range(65)}},
                 {**good, "extra": 1}, {"protocol": 1}):
        r = requests.post(server.url + "/api/v1/sync/check", json=body, headers=auth)
        assert r.status_code == 422 and r.json()["code"] == "sync_bad_payload", (body, r.text)
    r = requests.post(server.url + "/api/v1/sync/check", json={**good, "protocol": 99},
                      headers=auth)
    assert r.status_code == 409 and r.json()["code"] == "sync_upgrade_required"
    # An entity this server does not know is not compared; the units above are.
    r = requests.post(server.url + "/api/v1/sync/check", headers=auth, json={
        **good, "cursor": 10**6, "digest": {"no_such": {"count": 5, "hash": "1" * 64},
                                             "org_units": {"count": 0, "hash": "0" * 64}}})
    assert r.status_code == 200 and r.json()["status"] == "differ"
    assert r.json()["entities"] == ["org_units"] and r.json()["digest"]["org_units"]["count"] == 3
    r = requests.post(server.url + "/api/v1/sync/repair", headers=auth, json={
        "protocol": 1, "schema_version": SCHEMA, "entity": "no_such"})
    assert r.status_code == 200 and r.json()["changes"] == []
    r = requests.post(server.url + "/api/v1/sync/repair", headers=auth, json={
        "protocol": 1, "schema_version": SCHEMA, "entity": "org_units", "page_bytes": 4096})
    assert r.status_code == 200 and len(r.json()["changes"]) >= 1
    assert [a for a, _ in convergence_log(server, unit)] == [server_convergence.DIVERGED]
