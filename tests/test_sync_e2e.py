"""End to end: a real server (uvicorn subprocess) and two desktop data folders.

Runs against SQLite always and against PostgreSQL when it is reachable (CI makes
it reachable). Convergence is compared by a digest of every synced row.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sotay_desktop.cli import main as sotay
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import ConflictRow, FileRow, MemberRow, OutboxRow
from sotay_desktop.services import conflicts, recording
from sotay_desktop.services.members import update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync.transport import SyncCancelled, SyncFailure
from sync_server import admin
from sync_server.cli import main as sotay_server
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, digest, server_fixture
from tests.templates import open_copy

server = server_fixture(scope="module", backends=BACKENDS)


def _demo(path: Path, members: int = 30) -> Database:
    return open_copy(path, members=members, documents=4, meetings=3, seed=7)


@pytest.fixture
def pair(server: Server, tmp_path: Path) -> Iterator[tuple[Database, Database, str]]:
    """PC-1 with a demo branch enrolled and synced; PC-2 enrolled empty and synced."""
    [branch] = server.tree()
    a = _demo(tmp_path / "pc1")
    sync_client.enroll(a, server.url, server.code(branch), label="PC-1")
    sync_client.run_sync(a)
    b = open_copy(tmp_path / "pc2")
    sync_client.enroll(b, server.url, server.code(branch), label="PC-2")
    sync_client.run_sync(b)
    yield a, b, branch
    a.close()
    b.close()


def _member(db: Database, index: int = 0) -> MemberRow:
    with db.reads() as s:
        row = s.scalars(select(MemberRow).order_by(MemberRow.sort_key)).all()[index]
        s.expunge(row)
        return row


def _edit(db: Database, member_id: str, **data: object) -> None:
    with db.sessions.begin() as s:
        update_member(s, member_id=member_id, data=data, today=TODAY)


def _pending(db: Database) -> int:
    """Changes waiting, not counting the audit rows that go up with them."""
    with db.reads() as s:
        return s.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.entity != "audit_log"))


def test_second_pc_receives_the_whole_branch_and_nothing_syncs_twice(pair) -> None:
    a, b, _ = pair
    assert digest(a) == digest(b)
    assert _pending(a) == 0
    report = sync_client.run_sync(a)
    assert (report.requests, report.pushed, report.pulled) == (1, 0, 0)
    with b.reads() as s:
        assert s.scalar(select(MemberRow.full_name).where(
            MemberRow.id == _member(a).id)) == _member(a).full_name


def test_edits_of_different_fields_merge_without_conflict(pair) -> None:
    a, b, _ = pair
    m = _member(a)
    _edit(a, m.id, residence="Thôn Đông, xã Hòa Bình")
    _edit(b, m.id, phone="0912 345 678")
    for db in (a, b, a):
        sync_client.run_sync(db)
    for db in (a, b):
        row = _member(db)
        assert (row.residence, row.phone) == ("Thôn Đông, xã Hòa Bình", "0912 345 678")
        with db.reads() as s:
            assert conflicts.count_open(s) == 0
    assert digest(a) == digest(b)


def test_same_field_conflict_is_kept_on_both_sides_and_resolved_by_a_person(pair) -> None:
    a, b, _ = pair
    m = _member(a, 1)
    _edit(a, m.id, residence="Xóm Trên")
    _edit(b, m.id, residence="Xóm Dưới")
    sync_client.run_sync(a)
    report = sync_client.run_sync(b)
    assert report.conflicts == 1
    sync_client.run_sync(a)
    # The first value to arrive stays current on both PCs; nothing was dropped.
    assert _member(a, 1).residence == _member(b, 1).residence == "Xóm Trên"
    for db, mine, theirs in ((a, "Xóm Trên", "Xóm Dưới"), (b, "Xóm Dưới", "Xóm Trên")):
        with db.reads() as s:
            [view] = conflicts.open_conflicts(s)
        assert m.full_name in view.text and "Xóm Trên" in view.text and "Xóm Dưới" in view.text
        assert (view.mine, view.theirs) == (mine, theirs)
    with b.sessions.begin() as s:
        conflicts.resolve(s, view.id, "mine")
    assert _member(b, 1).residence == "Xóm Dưới"  # shown at once on the PC that chose
    for db in (b, a):
        sync_client.run_sync(db)
    assert _member(a, 1).residence == "Xóm Dưới"
    for db in (a, b):
        with db.reads() as s:
            assert conflicts.count_open(s) == 0
            assert s.scalar(select(ConflictRow.resolution)) == "proposed"
    assert digest(a) == digest(b)


def test_province_edit_against_offline_branch_edit(pair, server: Server) -> None:
    a, b, branch = pair
    m = _member(a, 2)
    with server.session() as s:
        admin.province_edit(s, scope_id=branch, entity="members", row_id=m.id,
                            values={"card_number": "79.012345"}, actor="Ban Tổ chức Tỉnh ủy")
    _edit(a, m.id, card_number="79.099999")
    sync_client.run_sync(a)
    with a.sessions() as s:
        [view] = conflicts.open_conflicts(s)
    assert "Ban Tổ chức Tỉnh ủy" in view.text and "máy này" in view.text
    assert _member(a, 2).card_number == "79.012345"
    with a.sessions.begin() as s:
        conflicts.resolve(s, view.id, "theirs")
    sync_client.run_sync(a)
    sync_client.run_sync(b)
    assert _member(b, 2).card_number == "79.012345"
    assert digest(a) == digest(b)


def test_edit_against_delete_is_a_conflict_not_a_silent_loss(pair) -> None:
    a, b, _ = pair
    m = _member(a, 3)
    with a.sessions.begin() as s:
        row = s.get(MemberRow, m.id)
        recording.apply_update(s, entity="members", row=row, values={"deleted": True})
    _edit(b, m.id, notes="Đã chuyển sinh hoạt tạm thời")
    sync_client.run_sync(a)
    sync_client.run_sync(b)
    with b.reads() as s:
        [view] = conflicts.open_conflicts(s)
        assert "đã xóa" in view.text
    with b.sessions.begin() as s:
        conflicts.resolve(s, view.id, "mine")  # restore it, with the edit
    sync_client.run_sync(b)
    sync_client.run_sync(a)
    for db in (a, b):
        with db.reads() as s:
            row = s.get(MemberRow, m.id)
            assert not row.deleted and row.notes == "Đã chuyển sinh hoạt tạm thời"
    assert digest(a) == digest(b)


def test_published_document_arrives_and_its_file_resumes_at_the_byte(
        pair, server: Server, tmp_path: Path) -> None:
    _a, b, branch = pair
    payload = os.urandom(300_000)
    path = tmp_path / "Chỉ thị 05-CT-TU.pdf"
    path.write_bytes(payload)
    with server.session() as s:
        published = admin.publish(s, server.files_dir, path, to_unit=branch,
                                  title="Chỉ thị về sinh hoạt chi bộ")
    first = sync_client.run_sync(b, budget=100_000)
    assert first.files_down == 0 and 100_000 <= first.bytes_files < 100_000 + 65_536
    second = sync_client.run_sync(b)
    assert second.files_down == 1
    assert first.bytes_files + second.bytes_files == len(payload)  # nothing fetched twice
    stored = b.files_dir / published.sha256[:2] / published.sha256
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == published.sha256
    with b.reads() as s:
        assert s.get(FileRow, published.sha256).present
    # Read-only on the branch: an edit is refused and the PC gets the province's row back.
    from sotay_desktop.db.tables import DocumentRow
    with b.sessions.begin() as s:
        doc = s.get(DocumentRow, published.document_id)
        recording.apply_update(s, entity="documents", row=doc, values={"title": "Sửa bậy"})
    report = sync_client.run_sync(b)
    assert report.rejected == 1
    with b.reads() as s:
        assert s.get(DocumentRow, published.document_id).title == "Chỉ thị về sinh hoạt chi bộ"
        [notice] = conflicts.notices(s)
        assert "cấp trên" in notice.text


def test_branch_file_goes_up_in_parts_and_reaches_the_other_pc(pair, tmp_path: Path) -> None:
    from sotay_desktop.services.documents import add_document
    from tests.docfactory import make_pdf

    a, b, branch = pair
    pdf = make_pdf(tmp_path / "nghi-quyet.pdf", ["Nghị quyết chi bộ tháng 11"] * 400)
    with a.sessions.begin() as s:
        _added, _ = add_document(s, files_dir=a.files_dir, unit_id=branch, path=pdf,
                                metadata={"title": "Nghị quyết tháng 11", "origin": "own"},
                                today=TODAY)
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    transport = sync_client.transport_for(a)
    transport.part_bytes = 4096  # several parts even for a small file
    up = sync_client.run_sync(a, transport)
    assert up.files_up == 1 and up.bytes_files == pdf.stat().st_size
    assert sync_client.run_sync(a).files_up == 0  # sent once
    down = sync_client.run_sync(b)
    assert down.files_down == 1
    assert (b.files_dir / sha[:2] / sha).read_bytes() == pdf.read_bytes()
    assert digest(a) == digest(b)


def test_a_lost_answer_is_replayed_without_duplicates(pair) -> None:
    a, b, _ = pair
    m = _member(a, 4)
    _edit(a, m.id, phone="0987 000 111")
    transport = sync_client.transport_for(a)
    with a.sessions() as s:
        from sotay_desktop.services.sync import push
        request = push.build_request(s)
    first = transport.sync(request)   # the answer is "lost": not applied
    again = transport.sync(request)   # the PC retries the same request
    assert [r.model_dump() for r in first.results] == [r.model_dump() for r in again.results]
    sync_client.run_sync(a)
    sync_client.run_sync(b)
    assert _member(b, 4).phone == "0987 000 111"
    assert _pending(a) == 0
    assert digest(a) == digest(b)


def test_revoked_pc_is_refused_and_keeps_its_changes(pair, server: Server) -> None:
    a, _b, _ = pair
    with a.sessions() as s:
        from sotay_desktop.services.sync.account import account
        device_id = account(s).device_id
    assert sotay_server(["--db", server.db_url, "device", "revoke", device_id]) == 0
    _edit(a, _member(a).id, phone="0900 000 000")
    with pytest.raises(SyncFailure) as info:
        sync_client.run_sync(a)
    assert info.value.code == "sync_device_revoked"
    assert _pending(a) == 1


def test_outdated_client_is_told_to_update_and_keeps_its_outbox(pair) -> None:
    a, _b, _ = pair
    _edit(a, _member(a).id, phone="0900 111 222")
    transport = sync_client.transport_for(a)
    with a.sessions() as s:
        from sotay_desktop.services.sync import push
        request = push.build_request(s).model_copy(update={"schema_version": "9999"})
    with pytest.raises(SyncFailure) as info:
        transport.sync(request)
    assert info.value.code == "sync_upgrade_required"
    assert "cập nhật" in info.value.message("vi")
    assert _pending(a) == 1


def test_offline_bundle_round_trip_by_usb(pair, server: Server, tmp_path: Path) -> None:
    a, b, _ = pair
    m = _member(a, 5)
    _edit(a, m.id, residence="Xóm Bãi")
    out_file = tmp_path / "chi-bo.sotay"
    answer = tmp_path / "tra-loi.sotay"
    assert sotay(["bundle", "export", "--data-dir", str(a.data_dir), "-o", str(out_file)]) == 0
    assert sotay_server(["--db", server.db_url, "bundle", "import", str(out_file),
                         "-o", str(answer)]) == 0
    # imported twice at the province: still one change
    assert sotay_server(["--db", server.db_url, "bundle", "import", str(out_file),
                         "-o", str(answer)]) == 0
    for _ in range(2):  # and the answer twice on the PC
        assert sotay(["bundle", "import", "--data-dir", str(a.data_dir), str(answer)]) == 0
    assert _pending(a) == 0
    sync_client.run_sync(b)
    assert _member(b, 5).residence == "Xóm Bãi"
    assert digest(a) == digest(b)
    # a tampered bundle is refused with a clear message
    bad = tmp_path / "sua.sotay"
    bad.write_bytes(out_file.read_bytes()[:-20] + b"x" * 20)
    assert sotay_server(["--db", server.db_url, "bundle", "import", str(bad)]) == 1


def test_cli_enroll_sync_and_conflicts(server: Server, tmp_path: Path, capsys) -> None:
    [branch] = server.tree()
    d = str(tmp_path / "cli")
    assert sotay(["enroll", "--data-dir", d, "--server", server.url,
                  "--code", server.code(branch)]) == 0
    assert "Chi bộ thôn 1" in capsys.readouterr().out
    assert sotay(["sync", "--data-dir", d, "--json"]) == 0
    assert '"pulled": 3' in capsys.readouterr().out  # the branch and the two units above
    assert sotay(["conflicts", "list", "--data-dir", d]) == 0
    assert "Không có chỗ nào cần xem lại" in capsys.readouterr().out


def test_wrong_enrolment_code_is_refused_plainly(server: Server, tmp_path: Path,
                                                 capsys) -> None:
    d = str(tmp_path / "cli2")
    assert sotay(["enroll", "--data-dir", d, "--server", server.url,
                  "--code", "AAAA-BBBB-CCCC"]) == 1
    assert "mã đăng ký không đúng" in capsys.readouterr().err
    assert sotay(["sync", "--data-dir", d]) == 1
    assert "chưa đăng ký" in capsys.readouterr().err


def test_each_page_is_applied_with_its_cursor(pair, server: Server) -> None:
    a, b, branch = pair
    with a.sessions() as s:
        ids = [r.id for r in s.scalars(select(MemberRow))]
    with server.session() as s:
        for member_id in ids:
            admin.province_edit(s, scope_id=branch, entity="members", row_id=member_id,
                                values={"notes": "x" * 20_000}, actor="Tỉnh")
    report = sync_client.run_sync(b, page_bytes=65_536)
    assert report.requests >= 2 and report.pulled == len(ids)
    with b.reads() as s:
        assert {r.notes for r in s.scalars(select(MemberRow))} == {"x" * 20_000}
        assert s.scalar(select(OutboxRow.mutation_id)) is None
    sync_client.run_sync(a)
    assert digest(a) == digest(b)



def test_children_before_their_parents_wait_until_the_parents_arrive(
        pair, server: Server, tmp_path: Path) -> None:
    from sqlalchemy import text

    from sotay_desktop.db.tables import SyncParkedRow

    a, _b, branch = pair
    with a.sessions() as s:
        ids = [r.id for r in s.scalars(select(MemberRow))]
    with server.session() as s:  # members now come after their events in sequence order
        for member_id in ids:
            admin.province_edit(s, scope_id=branch, entity="members", row_id=member_id,
                                values={"notes": "Đã kiểm tra hồ sơ"}, actor="Tỉnh")
    c = open_copy(tmp_path / "pc3")
    sync_client.enroll(c, server.url, server.code(branch), label="PC-3")
    pages = iter(range(1000))
    with pytest.raises(SyncCancelled):  # stop after the first small page
        sync_client.run_sync(c, page_bytes=4096, cancel=lambda: next(pages) >= 0)
    with c.sessions() as s:
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []  # never dangling
        assert s.scalar(select(func.count()).select_from(SyncParkedRow)) > 0
    report = sync_client.run_sync(c, page_bytes=4096)
    assert report.requests > 5
    with c.sessions() as s:
        assert s.scalar(select(func.count()).select_from(SyncParkedRow)) == 0
    sync_client.run_sync(a)
    assert digest(a) == digest(c)
    c.close()


def test_a_pc_clock_hours_off_changes_nothing_but_is_reported(
        pair, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    a, b, _ = pair
    monkeypatch.setattr(sync_client, "pc_clock",
                        lambda: dt.datetime.now(dt.UTC) - dt.timedelta(hours=7))
    m = _member(a, 6)
    _edit(a, m.id, residence="Xóm Đồng")
    report = sync_client.run_sync(a)
    assert 6.9 * 3600 < report.clock_skew_s < 7.1 * 3600
    monkeypatch.undo()
    sync_client.run_sync(b)
    assert _member(b, 6).residence == "Xóm Đồng"
    assert sotay(["sync", "--data-dir", str(a.data_dir)]) == 0


def test_the_audit_log_reaches_the_server_and_the_other_pc(pair, server: Server) -> None:
    from sotay_desktop.db.tables import AuditRow
    from sync_server.models import Record

    a, b, branch = pair
    _edit(a, _member(a, 7).id, notes="Ghi chú mới")
    sync_client.run_sync(a)
    sync_client.run_sync(b)
    with server.session() as s:
        on_server = s.scalar(select(func.count()).select_from(Record).where(
            Record.scope_id == branch, Record.entity == "audit_log"))
    with b.reads() as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.action == "change")).all()
    assert on_server >= 1 and any(r.detail == "notes" for r in rows)
