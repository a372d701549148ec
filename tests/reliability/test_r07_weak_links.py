"""R7: weak links between a village PC and the province, through the in-repo fault proxy
(tests/fault_proxy.py; there is no tc netem on these machines).

Profiles (per direction, applied to every forwarded chunk of up to 16 KiB):
- 2g: 8,000 B/s (64 kbit/s) and 300 ms one way (600 ms RTT);
- 3g-poor: 32,000 B/s (256 kbit/s), 150 ms one way (300 ms RTT), 2 % loss — TCP repairs a
  lost segment by retransmitting it, so a loss is an extra round trip of delay on that chunk;
- stall: the link stops answering without closing, in the middle of a file.

Each sync must complete (or time out and then resume cleanly), lose and duplicate nothing,
and never wait without a bound; the Sync screen must show progress and a plain state.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import FileRow, MemberRow, Meta
from sotay_desktop.services.members import update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync.transport import SyncFailure, Transport
from sync_server import admin
from tests.conftest import TODAY
from tests.fault_proxy import FaultProxy, Faults, proxy_to
from tests.reliability.report import budget, record
from tests.sync_support import Server, digest, server_fixture
from tests.templates import open_copy

pytestmark = pytest.mark.slow  # weak links through a fault proxy: `make check` leaves it out

PROFILES = {
    "2g": Faults(latency_s=0.3, bandwidth=8_000),
    "3g-poor": Faults(latency_s=0.15, bandwidth=32_000, loss=0.02),
}
MEMBERS = budget(15, 120)
FILE_BYTES = budget(60_000, 400_000)


server = server_fixture(scope="module")


def _point(db: Database, url: str) -> None:
    with db.sessions.begin() as s:
        s.get(Meta, "sync_server_url").value = url


class Counted:
    def __init__(self, db: Database) -> None:
        self.transport = sync_client.transport_for(db)
        self.requests = 0
        self.transport.http.hooks["response"].append(self._count)

    def _count(self, *_args: Any, **_kwargs: Any) -> None:
        self.requests += 1


def _branch_pair(server: Server, tmp: Path) -> tuple[Database, Database, str]:
    [branch] = server.tree()
    a = open_copy(tmp / "pc1", members=MEMBERS, documents=2, meetings=2, seed=9)
    sync_client.enroll(a, server.url, server.code(branch), label="PC-1")
    sync_client.run_sync(a)
    b = open_copy(tmp / "pc2")
    sync_client.enroll(b, server.url, server.code(branch), label="PC-2")
    return a, b, branch


def _publish(server: Server, tmp: Path, branch: str, size: int) -> str:
    path = tmp / "cong-van.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes((i * 7) % 251 for i in range(size)))
    with server.session() as s:
        return admin.publish(s, server.files_dir, path, to_unit=branch, title="Công văn").sha256


@pytest.mark.timeout(900)
@pytest.mark.parametrize("profile", list(PROFILES))
def test_a_weak_link_syncs_everything_once(server: Server, tmp_path: Path,
                                           profile: str) -> None:
    a, b, branch = _branch_pair(server, tmp_path)
    sha = _publish(server, tmp_path, branch, FILE_BYTES)
    with proxy_to(server.port, seed=7) as proxy:
        proxy.faults = PROFILES[profile]
        _point(b, proxy.url)
        counted = Counted(b)
        stages: list[tuple[str, int, int]] = []
        start = time.perf_counter()
        first = sync_client.run_sync(b, counted.transport,
                                     progress=lambda st, d, t: stages.append((st, d, t)))
        first_s = time.perf_counter() - start
        down, up = proxy.counters.down, proxy.counters.up
        assert first.files_down == 1
        # edits on the weak side go up over the same link
        with b.sessions.begin() as s:
            for member_id in s.scalars(select(MemberRow.id).limit(5)):
                update_member(s, member_id=member_id, data={"notes": f"{profile} ghi chú"},
                              today=TODAY)
        proxy.counters.reset()
        start = time.perf_counter()
        second = sync_client.run_sync(b, counted.transport)
        second_s = time.perf_counter() - start
        assert second.pushed >= 5
    sync_client.run_sync(a)
    assert digest(a) == digest(b)
    with b.reads() as s:
        assert s.get(FileRow, sha).present
    # progress was reported as it went, not only at the end
    assert len(stages) >= 3 and {st for st, _, _ in stages} >= {"records", "download"}
    faults = PROFILES[profile]
    bound = 3 * (down + up) / (faults.bandwidth or 1e9) + 60
    assert first_s < bound
    record("R7", f"Weak link: {profile}",
           injected=f"{faults.bandwidth:,.0f} B/s each way, {faults.latency_s * 2000:.0f} ms "
                    f"RTT, {faults.loss:.0%} loss (as a retransmission delay)",
           trials=f"a second PC's first sync of a branch of {MEMBERS} members and a "
                  f"{FILE_BYTES:,}-byte published file, then 5 edits pushed",
           held="completed; digests of both PCs equal; file hash-checked; progress reported "
                f"{len(stages)} times",
           figures=[("first sync", f"{first_s:.1f} s, {counted.requests} requests, "
                                   f"{down:,} B down, {up:,} B up"),
                    ("push of 5 edits", f"{second_s:.1f} s")],
           seconds=first_s + second_s)
    a.close()
    b.close()


@pytest.mark.timeout(600)
def test_a_silent_stall_times_out_and_the_file_resumes_at_the_byte(server: Server,
                                                                   tmp_path: Path) -> None:
    a, b, branch = _branch_pair(server, tmp_path)
    size = budget(300_000, 1_500_000)
    sha = _publish(server, tmp_path, branch, size)
    with proxy_to(server.port, seed=3) as proxy:
        proxy.faults = Faults(latency_s=0.05, bandwidth=64_000)
        _point(b, proxy.url)
        transport = sync_client.transport_for(b)
        transport.timeout = (3.0, 3.0)
        sync_client.run_sync(b, transport, files=False)        # the records first
        proxy.counters.reset()

        def stall_midway(p: FaultProxy = proxy) -> None:
            while p.counters.down < size // 2:
                time.sleep(0.02)
            p.faults = Faults(stall=True)

        threading.Thread(target=stall_midway, daemon=True).start()
        start = time.perf_counter()
        with pytest.raises(SyncFailure) as failure:
            sync_client.run_sync(b, transport)
        waited = time.perf_counter() - start
        assert failure.value.code == "sync_timeout" and failure.value.retry
        got_before = proxy.counters.down
        proxy.faults = Faults(latency_s=0.05, bandwidth=64_000)
        proxy.counters.reset()
        report = sync_client.run_sync(b, transport)
        got_after = proxy.counters.down
    assert report.files_down == 1
    with b.reads() as s:
        assert s.get(FileRow, sha).present
    resent = got_before + got_after - size
    # Range resume: the second sync fetched the rest, not the whole file again (HTTP headers
    # and the no-change record sync are the only extra bytes, well under one 64 KiB chunk).
    assert got_after < size - size // 3 and resent < 65_536
    assert waited < 2 * size / 64_000 + 15                     # bounded, not forever
    sync_client.run_sync(a)
    assert digest(a) == digest(b)
    record("R7", "Silent stall in the middle of a file",
           injected="the link stops forwarding without closing after half the file",
           trials=f"one {size:,}-byte file at 64,000 B/s, read timeout 3 s",
           held="the sync failed with sync_timeout (retryable) in bounded time; the next one "
                "resumed the file at the byte; digests equal",
           figures=[("from the start of the sync to giving up (half the file at 64,000 B/s, "
                     "then the 3 s read timeout)", f"{waited:.1f} s"),
                    ("bytes over the file size, both attempts", f"{resent:,} B")],
           seconds=waited)
    a.close()
    b.close()


def test_every_request_has_a_finite_timeout() -> None:
    """No request can wait forever: connect and read timeouts on every call."""
    transport = Transport("http://127.0.0.1:9")
    connect, read = transport.timeout
    assert 0 < connect <= 30 and 0 < read <= 120


@pytest.mark.gui
@pytest.mark.timeout(600)
def test_the_sync_screen_shows_progress_then_a_clear_state_when_the_link_stalls(
        make_window, server: Server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, b, branch = _branch_pair(server, tmp_path)
    _publish(server, tmp_path, branch, 200_000)    # several 64 KiB chunks: the bar moves
    with proxy_to(server.port, seed=5) as proxy:
        proxy.faults = PROFILES["2g"]
        _point(b, proxy.url)
        win = make_window(b, refresh=True)
        win.nav.setCurrentRow(4)
        win.sync.auto = False
        screen = win.sync_screen
        values: list[tuple[int, int]] = []
        win.sync.progress.connect(lambda _st, d, t: values.append(
            (screen.progress.value(), screen.progress.maximum())))
        states: list[str] = []
        win.sync.state_changed.connect(lambda st, _msg: states.append(st))
        screen.sync_button.click()
        assert states[:1] == ["syncing"] and win.sync.state == "idle"
        assert "Đã đồng bộ" in screen.state_label.text()
        assert len(values) >= 3 and any(0 < v < m for v, m in values)  # it moved on the way
        # now the link goes silent
        win.workspace.transport.timeout = (2.0, 2.0)
        proxy.faults = Faults(stall=True)
        start = time.perf_counter()
        screen.sync_button.click()
        waited = time.perf_counter() - start
        assert win.sync.state == "offline"
        assert "Sẽ thử lại lúc" in screen.state_label.text()
        assert "Mất kết nối" in win.sync_label.text()
        assert waited < 30
    record("R7", "Sync screen on a 2g link, then a stall",
           injected="2g profile, then a silent stall",
           trials="one sync through the window's button, then another",
           held="progress bar moved during the sync and ended on 'Đã đồng bộ'; on the stall "
                "the screen said the connection was lost and when it will retry",
           figures=[("progress updates", str(len(values))), ("stall noticed after",
                                                              f"{waited:.1f} s")])
    b.close()
