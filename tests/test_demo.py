from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.lifecycle import check_history
from sotay_core.domain.rules import parse_document_number
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.tables import DocumentRow, MemberEventRow, MemberRow
from sotay_desktop.services.demo import create_demo
from sotay_desktop.services.members import get_member, list_members

AS_OF = dt.date(2026, 11, 22)


def _digest(data_dir: Path) -> str:
    db = open_database(data_dir)
    digest = hashlib.sha256()
    with db.reads() as session:
        for table in (MemberRow, MemberEventRow, DocumentRow):
            for row in session.scalars(select(table).order_by(table.id)):
                values = {c.name: getattr(row, c.name) for c in table.__table__.columns}
                digest.update(json.dumps(values, default=str, sort_keys=True).encode())
    db.close()
    return digest.hexdigest()


def _make(data_dir: Path, **kw: int) -> None:
    db = open_database(data_dir)
    with db.sessions.begin() as session:
        create_demo(session, as_of=AS_OF, **kw)
    db.close()


def test_demo_is_deterministic(tmp_path: Path) -> None:
    _make(tmp_path / "a", members=80)
    _make(tmp_path / "b", members=80)
    _make(tmp_path / "c", members=80, seed=7)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_demo_is_realistic_and_consistent(tmp_path: Path) -> None:
    _make(tmp_path / "d", members=300, documents=25, meetings=12)
    db = open_database(tmp_path / "d")
    with db.reads() as session:
        members = list_members(session)
        assert len(members) == 300
        counts = Counter(m.status for m in members)
        for status in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPTED,
                       MemberStatus.DECEASED, MemberStatus.TRANSFERRED_OUT):
            assert counts[status] > 0, status
        assert any(not m.full_name.isascii() for m in members)
        assert len({m.card_number for m in members}) == 300
        for summary in members:
            record = get_member(session, summary.id)
            # the stored status agrees with the history, which passes every rule
            state = check_history(record.events, date_of_birth=record.member.date_of_birth)
            assert state.status is summary.status
            assert all(e.date <= AS_OF for e in record.events)
            assert record.member.date_of_birth and record.member.date_of_birth < AS_OF
        docs = session.scalars(select(DocumentRow)).all()
        assert len(docs) == 25
        assert all(parse_document_number(d.number) for d in docs)
    db.close()
