"""Files fetched two at a time (issue 22): the budget is shared out as if they came one
after the other, a file cut by the budget resumes at the byte, nothing is fetched twice, and
a cut link stops both downloads, each resumed at the byte by the next sync."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sotay_desktop.db.tables import FileRow
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync.downloads import Wanted, plan
from sotay_desktop.services.sync.transport import SyncFailure
from sync_server import admin
from tests.fault_proxy import proxy_to
from tests.sync_support import Server, server_fixture
from tests.templates import open_copy

server = server_fixture(scope="module")


def test_the_budget_is_shared_out_in_order_and_counts_what_a_part_holds(tmp_path: Path
                                                                         ) -> None:
    files = [Wanted(c * 64, 100) for c in "abcd"]
    (tmp_path / f"{'b' * 64}.part").write_bytes(b"x" * 60)   # 40 left of the second
    planned = plan(files, tmp_path, 180)
    assert [(f.sha256[0], room) for f, room in planned] == [("a", 180), ("b", 80), ("c", 40)]
    assert plan(files, tmp_path, 0) == []


def _publish(server: Server, branch: str, tmp_path: Path, count: int, size: int = 100_000
             ) -> list[bytes]:
    payloads = [os.urandom(size) for _ in range(count)]
    with server.session() as s:
        for i, payload in enumerate(payloads):
            path = tmp_path / f"cong-van-{i}.pdf"
            path.write_bytes(payload)
            admin.publish(s, server.files_dir, path, to_unit=branch, title=f"Công văn {i}")
    return payloads


def test_files_two_at_a_time_resume_at_the_byte_and_arrive_whole(
        server: Server, tmp_path: Path) -> None:
    [branch] = server.tree()
    payloads = _publish(server, branch, tmp_path, 3)
    pc = open_copy(tmp_path / "pc")
    sync_client.enroll(pc, server.url, server.code(branch), label="PC")
    first = sync_client.run_sync(pc, budget=150_000)
    assert first.files_down == 1 and 150_000 <= first.bytes_files < 150_000 + 65_536
    second = sync_client.run_sync(pc)
    assert second.files_down == 2 and second.files_waiting == 0
    assert first.bytes_files + second.bytes_files == 300_000   # nothing fetched twice
    for payload in payloads:
        sha = hashlib.sha256(payload).hexdigest()
        assert (pc.files_dir / sha[:2] / sha).read_bytes() == payload
        with pc.reads() as s:
            row = s.get(FileRow, sha)
            assert row is not None and row.present
    assert not list((pc.files_dir / "partial").iterdir())
    pc.close()


def test_a_cut_link_stops_both_downloads_and_the_next_sync_resumes_them(
        server: Server, tmp_path: Path) -> None:
    [branch] = server.tree()
    payloads = _publish(server, branch, tmp_path, 3, 200_000)
    with proxy_to(server.port) as proxy:
        pc = open_copy(tmp_path / "pc")
        sync_client.enroll(pc, proxy.url, server.code(branch), label="PC")
        sync_client.run_sync(pc, files=False)
        proxy.faults.cut_after = 150_000   # each connection: within any file
        with pytest.raises(SyncFailure) as failed:
            sync_client.run_sync(pc)
        assert failed.value.code in ("sync_offline", "sync_timeout")
        parts = list((pc.files_dir / "partial").glob("*.part"))
        kept = sum(p.stat().st_size for p in parts)
        with pc.reads() as s:
            stored = sum(f.size for f in s.query(FileRow).filter(FileRow.present.is_(True)))
        assert kept > 0   # whole blocks came before the cut
        proxy.faults.cut_after = None
        report = sync_client.run_sync(pc)
    assert report.files_waiting == 0
    assert report.bytes_files == 600_000 - stored - kept   # resumed at the byte
    for payload in payloads:
        sha = hashlib.sha256(payload).hexdigest()
        assert (pc.files_dir / sha[:2] / sha).read_bytes() == payload
    pc.close()
