"""Helpers of the R5 convergence tests (test_r05_convergence.py): rows read and changed
behind the sync's back on the PC, the server's copy and digest, its admin log, and two links
that interfere with the repair."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import requests
from sqlalchemy import select

from sotay_core.protocol.digest import ROUTE_REPAIR, digest
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import MemberRow, OutboxRow
from sotay_desktop.services.members import update_member
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.services.sync import convergence
from sotay_desktop.services.sync.rows import TABLES
from sotay_desktop.services.sync.transport import SyncFailure, Transport
from sync_server import convergence as server_convergence
from sync_server.models import AdminLog, Record
from tests.conftest import TODAY
from tests.sync_support import Server


def live_members(db: Database) -> list[MemberRow]:
    with db.reads() as s:
        rows = list(s.scalars(select(MemberRow).where(MemberRow.deleted.is_(False))
                              .order_by(MemberRow.sort_key)))
        for r in rows:
            s.expunge(r)
        return rows


def run_sql(db: Database, statement: str, **params: Any) -> None:
    """A change behind the sync's back: straight into the SQLite file, no outbox."""
    conn = sqlite3.connect(db.path)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def copy_row(db: Database, table: str, row_id: str, new_id: str, **values: Any) -> None:
    """A row inserted behind the sync's back: a copy of another with some values changed."""
    conn = sqlite3.connect(db.path)
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        row = dict(zip(columns, conn.execute(f"SELECT * FROM {table} WHERE id = ?",
                                             (row_id,)).fetchone(), strict=True))
        row |= values | {"id": new_id}
        conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES "
                     f"({', '.join('?' for _ in row)})", list(row.values()))
        conn.commit()
    finally:
        conn.close()


def server_record(server: Server, unit: str, entity: str, row_id: str) -> dict[str, Any]:
    with server.session() as s:
        rec = s.get(Record, (unit, entity, row_id))
        assert rec is not None
        return {"version": rec.version, "deleted": rec.deleted, "data": json.loads(rec.data)}


def server_digest(server: Server, unit: str) -> dict[str, Any]:
    with server.session() as s:
        rows = [(e, i, v, bool(d), json.loads(data)) for e, i, v, d, data in s.execute(
            select(Record.entity, Record.id, Record.version, Record.deleted, Record.data)
            .where(Record.scope_id == unit))]
    return digest(rows, TABLES)


def pc_digest(db: Database) -> dict[str, Any]:
    with db.reads() as s:
        return convergence.local_digest(s)


def convergence_log(server: Server, unit: str) -> list[tuple[str, dict[str, Any]]]:
    with server.session() as s:
        rows = s.execute(select(AdminLog.action, AdminLog.detail).where(
            AdminLog.action.in_((server_convergence.DIVERGED, server_convergence.CONVERGED)))
            .order_by(AdminLog.id)).all()
    return [(a, json.loads(d)) for a, d in rows if json.loads(d).get("unit") == unit]


def flagged(server: Server, unit: str) -> bool:
    with server.session() as s:
        return unit in server_convergence.open_divergences(s)


def assert_agree(db: Database, server: Server, unit: str) -> None:
    assert pc_digest(db) == server_digest(server, unit)
    with db.reads() as s:
        assert s.scalar(select(OutboxRow.mutation_id).limit(1)) is None


def sync_now(db: Database) -> Any:
    return sync_client.run_sync(db, files=False)


class EditDuringRepair(Transport):
    """A secretary who edits a member while the repair is running: the edit is made right
    before the repair's first page is applied."""

    def __init__(self, base: Transport, db: Database, member_id: str,
                 residence: str) -> None:
        super().__init__(base.base, http=base.http)
        self.db, self.member_id, self.residence = db, member_id, residence
        self.done = False

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if path == ROUTE_REPAIR and not self.done:
            self.done = True
            with self.db.sessions.begin() as s:
                update_member(s, member_id=self.member_id,
                              data={"residence": self.residence}, today=TODAY)
        response = super()._call(method, path, **kwargs)
        return response


class NoRepair(Transport):
    """A link that fails on every repair request (the difference stays)."""

    def __init__(self, base: Transport) -> None:
        super().__init__(base.base, http=base.http)

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if path == ROUTE_REPAIR:
            raise SyncFailure("sync_offline")
        return super()._call(method, path, **kwargs)
