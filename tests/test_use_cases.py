"""The CLI and the window call the same use cases (``sotay_desktop.usecases``): the same
audit rows, in the same order, and a refusal leaves neither a file nor an audit row."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.cli import main
from sotay_desktop.db.engine import open_database
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import audit_log, meetings, members, papers, roster
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _trail(folder: Path) -> list[tuple[str, str, str, str]]:
    db = open_database(folder)
    try:
        store = Workspace(db, today=lambda: TODAY)
        return [(e.action, e.entity, e.row_id, e.detail)
                for e in reversed(audit_log.audit_entries(store, limit=50))]
    finally:
        db.close()


def _meeting_without_resolution(store: Workspace) -> str:
    """A new meeting with its chair and recorder (so only the resolution is missing)."""
    people = [m.id for m in members.roster(store)[:2]]
    meeting_id, _ = meetings.create_meeting(store, day="2026-12-05", chair_id=people[0],
                                            recorder_id=people[1])
    return str(meeting_id)


def _meeting_with_resolution(store: Workspace) -> str:
    return next(m.id for m in meetings.meetings(store) if m.resolution_number)


def test_cli_and_window_leave_the_same_audit_trail(qtbot, demo_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window_copy = tmp_path / "window"
    import shutil

    shutil.copytree(demo_dir, window_copy)
    db = open_database(demo_dir)
    store = Workspace(db, today=lambda: TODAY)
    member_id = members.roster(store)[0].id
    meeting_id = _meeting_with_resolution(store)
    db.close()
    before_cli = len(_trail(demo_dir))
    folder = str(demo_dir)
    assert _cli("members", "show", member_id, "--data-dir", folder)[0] == 0
    assert _cli("members", "export", "-o", str(tmp_path / "a.xlsx"), "--data-dir", folder)[0] == 0
    assert _cli("meeting", "export", meeting_id, "--what", "minutes", "--format", "pdf",
                "-o", str(tmp_path / "m.pdf"), "--data-dir", folder)[0] == 0
    cli_rows = _trail(demo_dir)[before_cli:]

    wdb = open_database(window_copy)
    wstore = Workspace(wdb, today=lambda: TODAY)
    before_window = len(_trail(window_copy))
    runner = TaskRunner()
    done: list[object] = []
    errors: list[Exception] = []
    runner.query(lambda: members.member(wstore, member_id), done.append, errors.append)
    runner.query(lambda: roster.export_roster(wstore, tmp_path / "b.xlsx"), done.append,
                 errors.append)
    runner.query(lambda: papers.save_meeting_paper(wstore, meeting_id, "minutes", "pdf",
                                                   tmp_path / "n.pdf"),
                 done.append, errors.append)
    qtbot.waitUntil(lambda: len(done) + len(errors) == 3, timeout=30_000)
    qtbot.wait(50)
    assert runner.wait(30_000)
    wdb.close()
    window_rows = _trail(window_copy)[before_window:]
    assert errors == []
    expected = [("view", "members", member_id, ""),
                ("export", "members", "", "roster Mẫu 7-HSĐV"),
                ("export", "meetings", meeting_id, "minutes.pdf")]
    assert sorted(cli_rows) == sorted(window_rows) == sorted(expected)
    assert cli_rows == expected          # the CLI runs them in the order asked


def test_exporting_a_resolution_that_does_not_exist_leaves_nothing(demo_dir: Path,
                                                                    tmp_path: Path) -> None:
    db = open_database(demo_dir)
    meeting_id = _meeting_without_resolution(Workspace(db, today=lambda: TODAY))
    db.close()
    before = _trail(demo_dir)
    target = tmp_path / "nq.pdf"
    code, _out, err = _cli("meeting", "export", meeting_id, "--what", "resolution",
                          "--format", "pdf", "-o", str(target), "--data-dir", str(demo_dir))
    assert code != 0 and "chưa có nghị quyết" in err
    assert "Traceback" not in err and "SELECT" not in err
    assert not target.exists()
    assert _trail(demo_dir) == before


def test_the_window_refuses_the_same_way(qtbot, demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Workspace(demo_db, today=lambda: TODAY)
    meeting_id = _meeting_without_resolution(store)
    runner = TaskRunner(inline=True)
    errors: list[Exception] = []
    before = audit_log.audit_entries(store, limit=5)
    target = tmp_path / "x.pdf"
    runner.query(lambda: papers.save_meeting_paper(store, meeting_id, "resolution", "pdf", target),
                 lambda _r: None, errors.append)
    from sotay_desktop.ui.widgets import error_text

    assert errors and error_text(errors[0]) == "Cuộc họp này chưa có nghị quyết."
    assert not (tmp_path / "x.pdf").exists()
    assert audit_log.audit_entries(store, limit=5) == before


def test_an_unexpected_error_in_the_cli_is_a_sentence_and_a_log_entry(
        demo_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(ws, member_id):  # type: ignore[no-untyped-def]
        raise RuntimeError("SELECT * FROM members WHERE full_name = 'Nguyễn Văn Bí Mật'")

    monkeypatch.setattr(members, "member", broken)
    code, _out, err = _cli("members", "show", "x", "--data-dir", str(demo_dir))
    assert code != 0 and "ngoài dự kiến" in err
    assert "SELECT" not in err and "Bí Mật" not in err and "RuntimeError" not in err
    log = demo_dir / "logs" / "sotay.log"
    from sotay_desktop import errorlog

    for handler in errorlog.log.handlers:
        handler.flush()
    assert str(log) in err and "RuntimeError" in log.read_text(encoding="utf-8")


def test_cli_output_in_english_carries_no_vietnamese_words(demo_dir: Path, tmp_path: Path) -> None:
    """`--lang en`: the command's own words are English (names and titles stay as stored)."""
    import re

    folder = str(demo_dir)
    db = open_database(demo_dir)
    store = Workspace(db, today=lambda: TODAY)
    member = members.roster(store)[0]
    db.close()
    names: set[str] = set()   # what is stored (names, places, titles) stays as stored

    def strings(value: object) -> None:
        if isinstance(value, str):
            names.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    import json

    for argv in (["members", "list"], ["members", "show", member.id], ["meeting", "list"]):
        strings(json.loads(_cli(*argv, "--json", "--data-dir", folder)[1]))
    source = tmp_path / "ds.csv"
    source.write_text("Họ và tên,Ngày sinh\nHoang Van Anh,31/02/1970\n", encoding="utf-8")
    outputs = []
    for argv in (["members", "list"], ["members", "show", member.id], ["meeting", "list"],
                 ["members", "update", member.id, "--file", "-"],
                 ["members", "import", str(source), "--dry-run"], ["db", "check"],
                 ["conflicts", "list"]):
        import sys

        old = sys.stdin
        sys.stdin = io.StringIO('{"phone": "0912 345 678"}')
        try:
            code, out, err = _cli("--lang", "en", *argv, "--data-dir", folder)
        finally:
            sys.stdin = old
            i18n.set_language("vi")   # main() sets it for the process
        assert code == 0, (argv, err)
        outputs.append(out)
    text = "\n".join(outputs)
    for name in sorted(names, key=len, reverse=True):   # stored names and titles stay
        text = text.replace(name, "")
    words = re.findall(r"\w*[À-ỹđĐ]\w*", text)
    assert words == [], words[:20]


def test_minutes_wait_for_the_roll_call(demo_db) -> None:  # type: ignore[no-untyped-def]
    """Found by a tester: a new meeting's minutes printed "Tổng số … 50 đồng chí, có mặt 0"
    (only the pre-marked exempted and away members counted) before anyone was marked."""
    store = Workspace(demo_db, today=lambda: TODAY)
    for held in meetings.meetings(store):   # held meetings print, whoever joined the branch since
        assert papers.meeting_paper(store, held.id, "minutes", "pdf").startswith(b"%PDF")
    meeting_id = _meeting_without_resolution(store)
    with pytest.raises(DomainError) as refused:
        papers.meeting_paper(store, meeting_id, "minutes", "pdf")
    assert refused.value.code == "minutes_roll_call_open" and refused.value.params["count"] > 0
    assert papers.meeting_paper(store, meeting_id, "attendance", "pdf")   # the sheet to sign: yes
    meetings.mark_rest_present(store, meeting_id=meeting_id)
    assert papers.meeting_paper(store, meeting_id, "minutes", "pdf").startswith(b"%PDF")


def test_the_packet_is_audited_as_a_print_by_both(qtbot, demo_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The large-type packet: one "print" row, after the file is written, from either side."""
    import shutil

    window_copy = tmp_path / "window"
    shutil.copytree(demo_dir, window_copy)
    db = open_database(demo_dir)
    meeting_id = _meeting_with_resolution(Workspace(db, today=lambda: TODAY))
    db.close()
    before = len(_trail(demo_dir))
    assert _cli("packet", meeting_id, "-o", str(tmp_path / "a.pdf"),
                "--data-dir", str(demo_dir))[0] == 0
    cli_rows = _trail(demo_dir)[before:]

    wdb = open_database(window_copy)
    ws = Workspace(wdb, today=lambda: TODAY)
    before = len(_trail(window_copy))
    runner = TaskRunner(inline=True)
    made: list[object] = []
    runner.query(lambda: papers.packet(ws, meeting_id, tmp_path / "b.pdf"), made.append)
    wdb.close()
    assert made and (tmp_path / "b.pdf").exists()
    assert cli_rows == _trail(window_copy)[before:] == [("print", "meetings", meeting_id,
                                                         "packet")]


def test_viewing_a_member_who_does_not_exist_leaves_no_trace(demo_dir: Path) -> None:
    before = _trail(demo_dir)
    code, _out, err = _cli("members", "show", "no-such-id", "--data-dir", str(demo_dir))
    assert code != 0 and err
    db = open_database(demo_dir)
    ws = Workspace(db, today=lambda: TODAY)
    runner = TaskRunner(inline=True)
    errors: list[Exception] = []
    runner.query(lambda: members.member(ws, "no-such-id"), lambda _r: None, errors.append)
    db.close()
    assert errors
    assert _trail(demo_dir) == before
