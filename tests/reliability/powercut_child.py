"""The workload of the power-cut test, run with powercut.c preloaded (see powercut.py).

    python -m tests.reliability.powercut_child FOLDER LOG PLAN SYNCHRONOUS KEYHEX

Each step is one real app transaction (a member edit, or a comment on the draft resolution,
each with its outbox and audit rows). When the commit has returned the step is acknowledged
by appending an 'A' record to the same log. SYNCHRONOUS other than FULL overrides the app's
setting on every connection (the control runs that must fail).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

from sotay_desktop.db.engine import open_database
from sotay_desktop.services.meeting_records import add_comment
from sotay_desktop.services.members import update_member
from tests.reliability.powercut import Plan, ack_record


def main(argv: list[str]) -> int:
    folder, log, plan_file, synchronous, key_hex = argv
    # "FULL-ACK-EARLY": the bug the test must catch, the app saying "saved" before the commit.
    ack_early = synchronous.endswith("-ACK-EARLY")
    synchronous = synchronous.removesuffix("-ACK-EARLY")
    plan = Plan.from_json(Path(plan_file).read_text(encoding="utf-8"))
    db = open_database(Path(folder), key=bytes.fromhex(key_hex) if key_hex else None)
    if synchronous != "FULL":
        @event.listens_for(db.engine, "connect")
        def _weaker(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA synchronous = {synchronous}")

        db.engine.dispose()   # connections from now on get the weaker setting
    acks = os.open(log, os.O_WRONLY | os.O_APPEND)
    today = dt.date(2026, 11, 22)
    for number, (kind, target) in enumerate(plan.steps, start=1):
        if ack_early:
            os.write(acks, ack_record(number))
        with db.sessions.begin() as s:
            if kind == "member":
                update_member(s, member_id=target, data={"notes": f"edit-{number}"},
                              today=today)
            else:
                add_comment(s, resolution_id=target, body=f"edit-{number}",
                            author_text="Đảng ủy xã")
        if not ack_early:
            os.write(acks, ack_record(number))    # the app has said "saved"
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
