"""R15: the audit log is append-only and hash-chained, so a changed, removed, inserted or
reordered entry is found and its place named; rows cut from the end are found against the
end mark kept outside the database and against the anchor (the last row the server
confirmed); the server refuses to delete or rewrite a synced audit row, and keeps its own
copy.

Every kind of tampering is tried at every position of a real chain (written by real views
and edits); each must be detected. The same checks on an unchained log would pass, so they
are able to fail (shown by ``test_an_unchained_log_would_not_notice``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import AuditRow
from sotay_desktop.services import audit
from sotay_desktop.services.members import update_member
from sotay_desktop.usecases import members as uc_members
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY
from tests.reliability.report import budget, record

pytestmark = pytest.mark.slow  # tamper evidence, every position: `make check` leaves it out

ROWS = budget(30, 120)
FIELDS = ("at", "actor", "action", "entity", "row_id", "detail")


@pytest.fixture
def chain(demo_db: Database) -> Iterator[Database]:
    store = Workspace(demo_db, today=lambda: TODAY)
    members = uc_members.roster(store)
    i = 0
    while True:
        with demo_db.reads() as s:
            if len(s.scalars(select(AuditRow.id)).all()) >= ROWS:
                break
        member = members[i % len(members)]
        if i % 3:
            uc_members.member(store, member.id)                      # a view
        else:
            with demo_db.sessions.begin() as s:          # an edit
                update_member(s, member_id=member.id, data={"notes": f"ghi chú {i}"},
                              today=TODAY)
        i += 1
    yield demo_db


def _problems_after(db: Database, *statements: tuple[str, dict[str, object]]
                    ) -> list[tuple[int, str]]:
    """Tamper inside a transaction, verify, roll back (the next trial starts clean)."""
    with db.engine.connect() as conn:
        outer = conn.begin()
        for sql, params in statements:
            conn.execute(text(sql), params)
        with Session(bind=conn) as s:
            found = [(p.seq, p.what) for p in audit.verify(s)]
        outer.rollback()
    return found


def _rows(db: Database) -> list[AuditRow]:
    with db.reads() as s:
        rows = s.scalars(select(AuditRow).order_by(AuditRow.seq)).all()
        for r in rows:
            s.expunge(r)
        return list(rows)


def test_every_tampering_at_every_position_is_found(chain: Database) -> None:
    start = time.perf_counter()
    with chain.sessions.begin() as s:          # as after a sync: the server has every row
        s.execute(text("DELETE FROM outbox WHERE entity = 'audit_log'"))
        audit.set_anchor(s)
    rows = _rows(chain)
    assert audit_problems(chain) == []
    n = len(rows)
    missed: list[str] = []
    tried = 0
    for row in rows:
        seq = row.seq
        trials: list[tuple[str, list[tuple[str, dict[str, object]]], int]] = []
        for name in FIELDS:
            trials.append((f"change {name}", [(
                f"UPDATE audit_log SET {name} = {name} || 'x' WHERE seq = :s", {"s": seq})], seq))
        trials.append(("delete", [("DELETE FROM audit_log WHERE seq = :s", {"s": seq})],
                       seq + 1))
        if seq < n:
            # An inserted row with a valid hash of its own, the later rows renumbered: the
            # attacker's best insertion. The row after it no longer links.
            forged = {k: getattr(row, k) for k in ("pc", "at", "actor", "action", "entity",
                                                    "row_id", "detail")}
            forged |= {"seq": seq + 1, "prev_hash": row.hash, "detail": "giả mạo"}
            forged["hash"] = audit._digest(forged)
            trials.append(("insert", [
                ("UPDATE audit_log SET seq = seq + 1000000 WHERE seq > :s", {"s": seq}),
                ("UPDATE audit_log SET seq = seq - 999999 WHERE seq > 1000000", {}),
                ("INSERT INTO audit_log (id, pc, seq, at, actor, action, entity, row_id, "
                 "detail, prev_hash, hash, created_at, updated_at, deleted, version) "
                 "SELECT 'forged', :pc, :seq, :at, :actor, :action, :entity, :row_id, "
                 ":detail, :prev_hash, :hash, created_at, updated_at, 0, 0 "
                 "FROM audit_log WHERE seq = :src", forged | {"src": seq})], seq + 2))
            trials.append(("swap with the next", [
                ("UPDATE audit_log SET seq = -1 WHERE seq = :s", {"s": seq}),
                ("UPDATE audit_log SET seq = :s WHERE seq = :t", {"s": seq, "t": seq + 1}),
                ("UPDATE audit_log SET seq = :t WHERE seq = -1", {"t": seq + 1})], seq))
        for what, statements, where in trials:
            tried += 1
            found = _problems_after(chain, *statements)
            if not found or (where <= n and found[0][0] > where):
                missed.append(f"{what} at {seq}: {found}")
    record("R15", "Audit chain: tampering at every position",
           injected="each field changed, a row deleted, a forged row inserted (own hash "
                    "valid, later rows renumbered), two rows swapped",
           trials=f"{tried} tamperings over a chain of {n} rows (views and edits)",
           held="all detected at the right place" if not missed else f"MISSED {missed[:3]}",
           figures=[("detected", f"{tried - len(missed)}/{tried}")],
           seconds=time.perf_counter() - start)
    assert not missed, missed[:5]


def audit_problems(db: Database) -> list[tuple[int, str]]:
    with db.reads() as s:
        return [(p.seq, p.what) for p in audit.verify(s)]


def test_rows_cut_from_the_end_are_found_against_the_anchor(chain: Database) -> None:
    rows = _rows(chain)
    last = rows[-1]
    cut = "DELETE FROM audit_log WHERE seq > :s"
    # before any sync: found against the end mark kept outside the database (audit_head)
    assert _problems_after(chain, (cut, {"s": last.seq - 3})) == [(last.seq, "cut at the end")]
    with chain.sessions.begin() as s:
        audit.set_anchor(s)   # as after a sync: the server has every row now
    # (the outbox still holds them in this test; the anchor takes confirmed rows only)
    with chain.sessions.begin() as s:
        s.execute(text("DELETE FROM outbox WHERE entity = 'audit_log'"))
        audit.set_anchor(s)
    found = _problems_after(chain, (cut, {"s": last.seq - 3}))
    assert found == [(last.seq, "cut at the end"), (last.seq, "missing at the end")]
    assert audit_problems(chain) == []


def test_an_unchained_log_would_not_notice(chain: Database) -> None:
    """The mutation: verify with the hashes ignored finds nothing; the chain is what works."""
    rows = _rows(chain)
    middle = rows[len(rows) // 2].seq
    with chain.engine.connect() as conn:
        outer = conn.begin()
        conn.execute(text("UPDATE audit_log SET actor = 'người khác' WHERE seq = :s"),
                     {"s": middle})
        conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": middle + 1})
        actors = conn.execute(text("SELECT actor FROM audit_log ORDER BY seq")).scalars().all()
        with Session(bind=conn) as s:
            chained = audit.verify(s)
        outer.rollback()
    assert "người khác" in actors             # a plain list shows nothing wrong
    assert {(p.seq, p.what) for p in chained} == {(middle, "changed"),
                                                  (middle + 2, "missing before")}


def test_the_server_refuses_to_delete_or_rewrite_a_synced_audit_row(tmp_path: Path) -> None:
    import json

    from fastapi.testclient import TestClient

    from sotay_core.domain.ids import new_id
    from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS
    from sync_server import admin
    from sync_server.app import create_app
    from sync_server.models import Record
    from sync_server.settings import ServerSettings

    head = SCHEMA_VERSIONS[-1]
    app = create_app(ServerSettings(db=f"sqlite:///{tmp_path / 's.db'}",
                                    files_dir=str(tmp_path / "f")))
    with TestClient(app) as client:
        with Session(app.state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            b = admin.add_unit(s, name="Chi bộ", level="branch", parent_id=p.id)
            code = admin.enroll_device(s, unit_id=b.id).code
            branch = b.id
        token = client.post("/api/v1/enroll", json={"code": code}).json()["token"]
        row_id = new_id()
        fields = {"pc": "pc", "seq": 1, "at": "2026-11-22T00:00:00+00:00", "actor": "bí thư",
                  "action": "change", "entity": "members", "row_id": new_id(),
                  "detail": "notes", "prev_hash": "0" * 64, "hash": "a" * 64}

        def push(mid: int, op: str, data: dict[str, object], base: int = 0) -> str:
            body = {"protocol": PROTOCOL_VERSION, "schema_version": head, "cursors": {},
                    "mutations": [{"id": mid, "entity": "audit_log", "row_id": row_id,
                                   "op": op, "base_version": base, "schema_version": head,
                                   "fields": data}]}
            r = client.post("/api/v1/sync", content=json.dumps(body),
                            headers={"Authorization": f"Bearer {token}",
                                     "Content-Type": "application/json"})
            return str(r.json()["results"][0]["status"])

        assert push(1, "add", fields) == "applied"
        assert push(2, "update", {"deleted": [False, True]}, base=1) == "rejected"
        assert push(3, "update", {"actor": ["bí thư", "người khác"]}, base=1) == "rejected"
        assert push(4, "add", fields | {"actor": "người khác"}) == "rejected"
        assert push(5, "add", fields) == "duplicate"
        with Session(app.state.engine) as s:
            rec = s.get(Record, (branch, "audit_log", row_id))
            assert rec is not None and not rec.deleted
            assert json.loads(rec.data)["actor"] == "bí thư"
