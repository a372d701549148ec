"""The Đảng phí screen's writes (the real thread pools) while ``sotay dues pay`` and
``cancel`` run in another process on the same data folder, both on one member's months:
no "database is locked", each month paid once or refused in words, nothing lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import func, select

from sotay_core.domain.errors import DomainError
from sotay_desktop.db.month_tables import DuesPaymentRow
from sotay_desktop.ui.tasks import TaskRunner
from sotay_desktop.usecases import dues
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY

ROOT = Path(__file__).parents[1]

_CLI = textwrap.dedent("""
    import io, sys
    from sotay_desktop.cli import main
    folder, member, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    codes = []
    for i in range(rounds):
        month = f"2027-{i % 12 + 1:02d}"
        err = io.StringIO()
        codes.append(main(["dues", "pay", member, month, "--data-dir", folder],
                          out=io.StringIO(), err=err))
        if "locked" in err.getvalue() or "Traceback" in err.getvalue():
            print(err.getvalue(), file=sys.stderr)
        main(["dues", "cancel", member, month, "--data-dir", folder],
             out=io.StringIO(), err=err)
    print("ok", codes.count(0))
""")


def test_the_screen_and_the_cli_pay_one_member_at_once(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    store = Workspace(demo_db, today=lambda: TODAY)
    book = dues.book(store, 2026)
    payers = [line.member_id for line in book.lines
              if line.cells[-1].member and line.cells[-1].due > 0][:3]
    shared, own = payers[0], payers[1:]
    proc = subprocess.Popen([sys.executable, "-c", _CLI, str(demo_db.data_dir), shared, "24"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    runner = TaskRunner()
    done: list[object] = []
    refused: list[DomainError] = []
    failures: list[Exception] = []

    def failed(exc: Exception) -> None:
        (refused if isinstance(exc, DomainError) else failures).append(exc)

    jobs = 0
    while proc.poll() is None and jobs < 400:
        for member_id in (shared, *own):
            month = f"2027-{jobs % 12 + 1:02d}"
            runner.op(lambda m=member_id, mo=month: dues.record_payment(
                store, member_id=m, month=mo), done.append, failed)
            runner.op(lambda m=member_id, mo=month: dues.cancel_payment(
                store, member_id=m, month=mo), done.append, failed)
            runner.query(lambda: dues.book(store, 2027), done.append, failed)
            jobs += 3
        qtbot.waitUntil(lambda n=jobs: len(done) + len(refused) + len(failures) == n,
                        timeout=60_000)
    out, err = proc.communicate(timeout=240)
    assert runner.wait(60_000)
    assert proc.returncode == 0 and out.startswith("ok"), err[-3000:]
    assert "locked" not in err and "Traceback" not in err, err[-3000:]
    assert failures == [], failures
    # refusals are in words: the month already paid (by the other), or nothing to cancel
    assert all("locked" not in str(exc) for exc in refused)
    # at the end no member-month holds two live payments
    with demo_db.reads() as session:
        twice = session.execute(
            select(DuesPaymentRow.member_id, DuesPaymentRow.month)
            .where(DuesPaymentRow.deleted.is_(False))
            .group_by(DuesPaymentRow.member_id, DuesPaymentRow.month)
            .having(func.count() > 1)).all()
    assert twice == []
