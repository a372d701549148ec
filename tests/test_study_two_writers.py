"""Two processes on one data folder (issue 21): one takes a session's attendance (cards
scanned, members ticked and unticked, as at the hall's door) while the other reads the
plan's view and enters answer sheets. No "database is locked", no traceback; every member
counted once however many times their card went through the scanner."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sotay_desktop.db.engine import open_database
from sotay_desktop.db.study_tables import StudyAttendanceRow
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY

pytestmark = pytest.mark.slow   # a child process writing against this one
ROOT = Path(__file__).parents[1]

_WRITER = textwrap.dedent("""
    import datetime as dt, sys, traceback
    from sotay_core.domain.study_plan import member_code
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.usecases import study
    from sotay_desktop.usecases.workspace import Workspace
    folder, session_id, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    members = sys.argv[4].split(",")
    db = open_database(folder)
    ws = Workspace(db, today=lambda: dt.date.fromisoformat(sys.argv[5]))
    unit = ws.branch_id()
    done = 0
    for i in range(rounds):
        member = members[i % len(members)]
        try:
            study.scan(ws, session_id, member_code(unit, member))
            study.scan(ws, session_id, member_code(unit, member))    # the same card again
            if i % 3 == 0:
                study.unmark(ws, session_id, member)
                study.mark_present(ws, session_id, member)
            done += 1
        except Exception:
            traceback.print_exc()
    db.close()
    print("ok", done)
""")


def test_attendance_in_one_process_while_another_reads_and_writes(demo_dir: Path) -> None:
    db = open_database(demo_dir)
    try:
        ws = Workspace(db, today=lambda: TODAY)
        plan = next(p for p in study.plans(ws) if not p.overdue and p.sessions == 1)
        view = study.view(ws, plan.id)
        makeup = [m.member_id for m in view.makeup]
        assert len(makeup) >= 4
        session_id, _ = study.record_session(ws, plan.id, held_on=TODAY, kind="makeup")
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(demo_dir), session_id, "60",
             ",".join(makeup), TODAY.isoformat()],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        reads = writes = 0
        others = [m.member_id for m in view.members if m.studied][:6]
        while proc.poll() is None and reads < 400:
            found = study.view(ws, plan.id)          # a read, and its audit row written after
            assert found.figures.studied <= found.figures.targeted
            reads += 1
            study.enter_answers(ws, plan.id, others[reads % len(others)],
                                "ABCABCAB"[: len(found.plan.quiz or ())] or "A")
            writes += 1
        out, err = proc.communicate(timeout=240)
    finally:
        db.close()
    assert proc.returncode == 0 and out.startswith("ok 60"), err[-3000:]
    assert "locked" not in err and "Traceback" not in err, err[-3000:]
    assert reads > 0 and writes > 0
    db = open_database(demo_dir)
    try:
        with db.reads() as s:
            twice = s.execute(select(StudyAttendanceRow.member_id).where(
                StudyAttendanceRow.session_id == session_id)
                .group_by(StudyAttendanceRow.member_id).having(func.count() > 1)).all()
        assert twice == []
        ws = Workspace(db, today=lambda: TODAY)
        assert study.view(ws, plan.id).makeup == ()      # all present, each once
    finally:
        db.close()
