"""One writer, no "database is locked" ever reaching a person (issue 16, part 1).

These tests run the real thread pools and several processes on one data folder: the
inline runner of the other GUI tests hides exactly the races tested here.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6 import QtWidgets
from sqlalchemy import func, select

from sotay_desktop.db.access import WriteInQuery, after_read, mode
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.layout import DB_NAME
from sotay_desktop.db.tables import AuditRow
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import branch, members
from sotay_desktop.usecases import documents as uc_documents
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY

ROOT = Path(__file__).parents[1]


def _audit_count(db, action: str = "view") -> int:  # type: ignore[no-untyped-def]
    with db.reads() as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)
                                  .where(AuditRow.action == action)) or 0)


def _member_ids(store: Workspace, n: int) -> list[str]:
    return [m.id for m in members.roster(store)[:n]]


# --- the contract --------------------------------------------------------------------


def test_read_connections_cannot_write(demo_db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    with demo_db.reads() as session, pytest.raises(OperationalError, match="readonly"):
        session.execute(text("DELETE FROM members"))


@pytest.mark.parametrize("inline", [True, False])
def test_a_query_that_writes_fails_inline_and_in_the_pool(qtbot, demo_db, inline: bool) -> None:  # type: ignore[no-untyped-def]
    store = Workspace(demo_db, today=lambda: TODAY)
    runner = TaskRunner(inline=inline)
    member_id = _member_ids(store, 1)[0]
    errors: list[Exception] = []
    done: list[object] = []
    # a write through the writer's sessions, started inside a query
    runner.query(lambda: members.update_member(store, member_id, {"residence": "Xóm 9"}),
                 done.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors or done), timeout=10_000)
    assert not done and isinstance(errors[0], WriteInQuery)
    # the same write as an operation goes through
    runner.op(lambda: members.update_member(store, member_id, {"residence": "Xóm 9"}),
              done.append, errors.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert members.member(store, member_id).member.residence == "Xóm 9"
    runner.wait()


def test_after_read_runs_now_outside_a_query_and_refuses_without_a_writer() -> None:
    ran: list[int] = []
    after_read(lambda: ran.append(1))
    assert ran == [1]
    with mode("query"), pytest.raises(WriteInQuery):
        after_read(lambda: ran.append(2))
    handed: list[object] = []
    with mode("query", handed.append):
        after_read(lambda: ran.append(3))
    assert ran == [1] and len(handed) == 1


# --- real pools ----------------------------------------------------------------------


def test_views_and_saves_at_once_on_the_real_pools(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    """Two reader threads viewing members (each view leaves an audit row), the writer
    saving, and another connection of this process writing, all at once: no error, every
    view's audit row kept, every save applied."""
    store = Workspace(demo_db, today=lambda: TODAY)
    runner = TaskRunner()
    ids = _member_ids(store, 20)
    before = _audit_count(demo_db)
    failures: list[Exception] = []
    finished: list[object] = []
    other = open_database(demo_db.data_dir)   # as a CLI would, on the same folder

    def cli_writer() -> None:
        other_store = Workspace(other, today=lambda: TODAY)
        for i in range(15):
            members.update_member(other_store, ids[i % 5], {"residence": f"Thôn {i}"})

    thread = threading.Thread(target=cli_writer)
    thread.start()
    for round_ in range(3):
        for i, member_id in enumerate(ids):
            runner.query(lambda m=member_id: members.member(store, m), finished.append,
                         failures.append)
            if i % 4 == 0:
                runner.op(lambda m=ids[10 + i % 10], r=round_, i=i:
                          members.update_member(store, m, {"phone": f"09{r}{i:07d}"}),
                          finished.append, failures.append)
    qtbot.waitUntil(lambda: len(finished) + len(failures) == 3 * (20 + 5), timeout=60_000)
    thread.join(60)
    assert runner.wait(60_000)
    qtbot.wait(50)   # the writer's hand-overs report back
    assert runner.wait(60_000)
    other.close()
    assert failures == []
    assert _audit_count(demo_db) - before == 3 * 20
    assert members.member(store, ids[4]).member.residence == "Thôn 14"


def test_typing_a_search_while_saving_shows_no_dialog(  # type: ignore[no-untyped-def]
        qtbot, make_window, demo_db, monkeypatch) -> None:
    """The report: typing "hoa" in the roster search while a save ran popped up an English
    "database is locked" dialog that took the focus and lost the rest of the word."""
    from tests.qt_helpers import type_vi

    dialogs: list[str] = []
    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind,
                            lambda *args, **kw: dialogs.append(str(args[2:3])))
    store = Workspace(demo_db, today=lambda: TODAY)
    runner = TaskRunner()
    win = make_window(store, runner)
    failed: list[str] = []
    win.load_failed.connect(failed.append)
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        win.refresh()
    win.nav.setCurrentRow(1)
    ids = _member_ids(store, 12)
    other = open_database(demo_db.data_dir)
    stop = threading.Event()

    def cli_writer() -> None:   # a second process's writes, as far as SQLite can tell
        other_store = Workspace(other, today=lambda: TODAY)
        i = 0
        while not stop.is_set():
            members.update_member(other_store, ids[i % 4], {"residence": f"Xóm {i}"})
            i += 1

    thread = threading.Thread(target=cli_writer)
    thread.start()
    try:
        for round_ in range(3):
            for member_id in ids:
                win.roster.select_member(member_id)          # a view: an audit row
                runner.op(lambda m=member_id, r=round_:
                          members.update_member(store, m, {"phone": f"0912{r}00{len(m) % 10}"}))
            win.roster.search.setFocus()
            win.roster.search.clear()
            type_vi(win.roster.search, "hoa")
            qtbot.wait(20)
    finally:
        stop.set()
        thread.join(60)
    assert runner.wait(60_000)
    qtbot.wait(100)
    assert runner.wait(60_000)
    other.close()
    assert win.roster.search.text() == "hoa"
    assert dialogs == [] and failed == []


# --- several processes ---------------------------------------------------------------

_VIEWER = textwrap.dedent("""
    import sys, datetime as dt
    from pathlib import Path
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.usecases import branch, members
    from sotay_desktop.usecases.workspace import Workspace
    db = open_database(Path(sys.argv[1]), create=False)
    store = Workspace(db, today=lambda: dt.date(2026, 11, 22))
    ids = [m.id for m in members.roster(store)[:30]]
    for _ in range(int(sys.argv[2])):
        for member_id in ids:
            members.member(store, member_id)           # shows a member: reads, then its audit row
        branch.counts(store); branch.reminders(store)
    db.close()
    print("ok")
""")

_EDITOR = textwrap.dedent("""
    import sys, datetime as dt
    from pathlib import Path
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.usecases import branch, members
    from sotay_desktop.usecases.workspace import Workspace
    db = open_database(Path(sys.argv[1]), create=False)
    store = Workspace(db, today=lambda: dt.date(2026, 11, 22))
    ids = [m.id for m in members.roster(store)[:10]]
    for i in range(int(sys.argv[2])):
        members.update_member(store, ids[i % 10], {"residence": f"Xóm {i}"})
    db.close()
    print("ok")
""")


def _spawn(script: str, folder: Path, rounds: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, str(folder), str(rounds)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.slow  # four processes, one editing 60 times: `make check` leaves it out
def test_three_processes_show_members_while_a_fourth_edits(demo_dir: Path) -> None:
    db = open_database(demo_dir)
    before = _audit_count(db)
    db.close()
    procs = [_spawn(_VIEWER, demo_dir, 4) for _ in range(3)] + [_spawn(_EDITOR, demo_dir, 60)]
    outcomes = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0 and out.strip() == "ok", err[-2000:]
        assert "locked" not in err
    db = open_database(demo_dir)
    try:
        assert _audit_count(db) - before == 3 * 4 * 30      # no view lost its audit row
        store = Workspace(db, today=lambda: TODAY)
        edited = {m.id for m in members.roster(store)[:10]}
        residences = {members.member(store, m).member.residence for m in edited}
        assert "Xóm 59" in residences
    finally:
        db.close()


def test_the_old_deferred_transaction_is_what_failed(demo_dir: Path) -> None:
    """A control: a read that later writes in a deferred transaction, while another
    connection holds the write lock, fails at once whatever the busy timeout. This is why
    every write transaction begins IMMEDIATE and every read is query_only."""
    path = demo_dir / DB_NAME
    holder = sqlite3.connect(path, isolation_level=None, timeout=30)
    reader = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM members").fetchone()
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE members SET phone = '0912000001'")
        holder.execute("COMMIT")          # the reader's snapshot is now stale
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            reader.execute("UPDATE members SET phone = '0912000002'")
    finally:
        reader.close()
        holder.close()


def test_the_unsent_count_follows_writes_from_any_screen(qtbot, make_window, demo_db) -> None:  # type: ignore[no-untyped-def]
    """A write outside the roster (a bookmark in the documents library, a meeting's note)
    used to leave the status bar's count of unsent changes stale until a restart."""
    store = Workspace(demo_db, today=lambda: TODAY)
    runner = TaskRunner()
    win = make_window(store, runner)
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        win.refresh()
    before = branch.pending_changes(store)
    qtbot.waitUntil(lambda: f"· {before} thay đổi" in win.sync_label.text(), timeout=10_000)
    hit = uc_documents.search_documents(store, "")[0]
    runner.op(lambda: uc_documents.set_bookmark(store, hit.id, not hit.bookmarked))
    after = before + 1
    assert runner.wait(20_000)
    qtbot.waitUntil(lambda: branch.pending_changes(store) == after
                    and f"· {after} thay đổi" in win.sync_label.text(), timeout=10_000)
    assert runner.wait(20_000)


def test_background_failures_go_to_the_status_bar(make_window, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind,
                            lambda *args, **kw: dialogs.append(str(args[2:3])))
    store = Workspace(demo_db, today=lambda: TODAY)

    def broken(*_args: object, **_kw: object) -> object:
        raise RuntimeError("no such table: secret_members")

    win = make_window(store, refresh=True)
    from sotay_desktop.usecases import documents, meetings

    monkeypatch.setattr(documents, "search_documents", broken)
    monkeypatch.setattr(meetings, "meetings", broken)
    win.documents.search.setText("nghị quyết")         # searching as one types
    win.documents.run_search()
    assert "ngoài dự kiến" in win.statusBar().currentMessage()
    win.statusBar().clearMessage()
    win.meetings.load()
    assert "ngoài dự kiến" in win.statusBar().currentMessage()
    assert dialogs == []
    assert "secret" not in win.statusBar().currentMessage()


def test_settle_delivers_results_and_the_work_they_start(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Closing a window (locking the profile) settles its runner: a result that starts more
    work (a write's broadcast makes Home read again) is delivered while the window exists,
    not after it is gone. ``wait`` alone only waits for the threads."""
    runner = TaskRunner()
    seen: list[str] = []

    def first(result: str) -> None:
        seen.append(result)
        runner.query(lambda: "second", seen.append)

    runner.query(lambda: "first", first)
    assert runner.wait(10_000)
    assert seen == []                       # finished, but not yet delivered
    assert runner.settle(10_000)
    assert seen == ["first", "second"]
