"""A mutation taken back before it was sent leaves a hole in this PC's outbox ids; the
province applies them strictly in order and stops at a gap. The PC numbers its waiting
mutations again from the province's last id, so its sync never stops for good."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from sotay_desktop.db.engine import open_database
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import branch as uc_branch
from sotay_desktop.usecases import members, undo
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import open_copy

server = server_fixture(scope="module", backends=BACKENDS)


def _add(ws: Workspace, name: str) -> str:
    member_id, _ = members.add_member(ws, {"full_name": name, "date_of_birth": "01/01/1970",
                                           "admitted_on": "01/01/2000"})
    return member_id


def _ids(ws: Workspace) -> list[int]:
    with ws.db.reads() as s:
        return list(s.scalars(select(OutboxRow.mutation_id).order_by(OutboxRow.mutation_id)))


def test_a_member_added_removed_before_sending_does_not_stop_the_sync(
        server: Server, demo_dir: Path, tmp_path: Path) -> None:
    [branch] = server.tree()
    a = open_database(demo_dir)
    b = open_copy(tmp_path / "pc2")
    try:
        sync_client.enroll(a, server.url, server.code(branch), label="PC-1")
        sync_client.run_sync(a)
        sa = Workspace(a, today=lambda: TODAY)
        mistaken = _add(sa, "Đinh Văn Nhầm")
        kept = _add(sa, "Lê Thị Ở Lại")
        undo.remove_member(sa, mistaken)       # never sent: taken back from the outbox
        ids = _ids(sa)
        assert ids != list(range(ids[0], ids[0] + len(ids)))   # a hole, as the bug had
        report = sync_client.run_sync(a)
        assert report.pushed >= 1 and uc_branch.pending_changes(sa) == 0
        with a.reads() as s:
            assert s.scalar(select(func.count()).select_from(OutboxRow)) == 0
        later = _add(sa, "Phạm Văn Sau")        # the next edit after the heal goes up too
        sync_client.run_sync(a)
        assert uc_branch.pending_changes(sa) == 0
        sync_client.enroll(b, server.url, server.code(branch), label="PC-2")
        sync_client.run_sync(b)
        sb = Workspace(b, today=lambda: TODAY)
        on_b = {m.id for m in members.roster(sb)}
        assert kept in on_b and later in on_b and mistaken not in on_b
    finally:
        a.close()
        b.close()
