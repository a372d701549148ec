"""The review screen's writes (the real thread pools) while ``sotay review propose`` runs in
another process on the same data folder, both on one member's entry: no "database is
locked", no traceback, one entry per member, and the last proposal wins whole (issue 20)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import func, select

from sotay_core.domain.errors import DomainError
from sotay_desktop.db.year_tables import ReviewEntryRow
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY

ROOT = Path(__file__).parents[1]

_CLI = textwrap.dedent("""
    import io, sys
    from sotay_desktop.cli import main
    folder, member, year, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    codes = []
    for i in range(rounds):
        err = io.StringIO()
        codes.append(main(["review", "propose", year, "--member", member, "--points",
                           f"{60 + i % 10}.5", "--data-dir", folder],
                          out=io.StringIO(), err=err))
        if "locked" in err.getvalue() or "Traceback" in err.getvalue():
            print(err.getvalue(), file=sys.stderr)
    print("ok", codes.count(0))
""")


def test_the_screen_and_the_cli_propose_for_one_member_at_once(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    store = Workspace(demo_db, today=lambda: TODAY)
    year = TODAY.year
    review.open_campaign(store, year)
    members = [s.member_id for s in review.view(store, year).sheets if s.member_id][:3]
    shared, own = members[0], members[1:]
    proc = subprocess.Popen([sys.executable, "-c", _CLI, str(demo_db.data_dir), shared,
                             str(year), "20"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    runner = TaskRunner()
    done: list[object] = []
    refused: list[DomainError] = []
    failures: list[Exception] = []

    def failed(exc: Exception) -> None:
        (refused if isinstance(exc, DomainError) else failures).append(exc)

    jobs = 0
    while proc.poll() is None and jobs < 300:
        for member_id in (shared, *own):
            points = f"{50 + jobs % 9}.0"
            runner.op(lambda m=member_id, p=points: review.propose(
                store, year, None, m, points=p)[1], done.append, failed)
            runner.query(lambda: review.view(store, year), done.append, failed)
            jobs += 2
        qtbot.waitUntil(lambda n=jobs: len(done) + len(refused) + len(failures) == n,
                        timeout=60_000)
    out, err = proc.communicate(timeout=240)
    assert runner.wait(60_000)
    assert proc.returncode == 0 and out.startswith("ok"), err[-3000:]
    assert "locked" not in err and "Traceback" not in err, err[-3000:]
    assert failures == [] and refused == [], (failures, refused)
    with demo_db.reads() as session:
        twice = session.execute(
            select(ReviewEntryRow.campaign_id, ReviewEntryRow.member_id)
            .where(ReviewEntryRow.deleted.is_(False))
            .group_by(ReviewEntryRow.campaign_id, ReviewEntryRow.member_id)
            .having(func.count() > 1)).all()
    assert twice == []
    sheet = next(s for s in review.view(store, year).sheets if s.member_id == shared)
    # the last writer's proposal, whole: points and the grade they give agree
    assert sheet.points is not None and sheet.grade is not None
    assert sheet.grade.value == "fulfilled"
