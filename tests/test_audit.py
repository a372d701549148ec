"""The audit log: one row per change in the same transaction, views, exports and prints, a
hash chain that finds a changed or removed row, and the log reaches the server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from sotay_desktop.cli import main as sotay
from sotay_desktop.db.tables import AuditRow, MemberRow, OutboxRow
from sotay_desktop.services import audit
from sotay_desktop.services.members import update_member
from sotay_desktop.usecases import meetings, papers, roster
from sotay_desktop.usecases import members as uc_members
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY


def _rows(db) -> list[AuditRow]:  # type: ignore[no-untyped-def]
    with db.reads() as s:
        return list(s.scalars(select(AuditRow).order_by(AuditRow.seq)))


def test_a_change_and_its_audit_row_commit_or_vanish_together(demo_db) -> None:
    with demo_db.reads() as s:
        member_id = s.scalars(select(MemberRow.id)).first()
    with demo_db.sessions.begin() as s:
        s.info["actor"] = "bi-thu"
        update_member(s, member_id=member_id, data={"phone": "0912 111 222"}, today=TODAY)
    [row] = _rows(demo_db)
    assert (row.actor, row.action, row.entity, row.row_id, row.detail) == (
        "bi-thu", "change", "members", member_id, "phone")
    assert "0912" not in row.detail  # names of fields, never values
    try:
        with demo_db.sessions.begin() as s:
            update_member(s, member_id=member_id, data={"phone": "0912 333 444"}, today=TODAY)
            raise RuntimeError("power cut before commit")
    except RuntimeError:
        pass
    assert len(_rows(demo_db)) == 1
    with demo_db.reads() as s:  # the audit row itself goes up with the next sync
        assert s.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.entity == "audit_log")) == 1


def test_views_exports_and_prints_are_recorded(demo_db, tmp_path: Path) -> None:
    store = Workspace(demo_db, today=lambda: TODAY)
    member = uc_members.roster(store)[0]
    uc_members.member(store, member.id)
    roster.export_roster(store, tmp_path / "ds.xlsx")
    meeting = meetings.meetings(store)[0]
    papers.packet(store, meeting.id, tmp_path / "packet.pdf", members="all")
    assert [(r.action, r.entity) for r in _rows(demo_db)] == [
        ("view", "members"), ("export", "members"), ("print", "meetings")]
    assert sotay(["audit", "export", "--data-dir", str(demo_db.data_dir), "-o",
                  str(tmp_path / "log.csv")]) == 0
    text_ = (tmp_path / "log.csv").read_text(encoding="utf-8-sig")
    assert text_.count("\n") == 4 and "print" in text_


def test_the_chain_finds_a_changed_and_a_removed_row(demo_db, capsys) -> None:
    store = Workspace(demo_db, today=lambda: TODAY)
    for m in uc_members.roster(store)[:5]:
        uc_members.member(store, m.id)
    d = str(demo_db.data_dir)
    with demo_db.reads() as s:
        assert audit.verify(s) == []
    assert sotay(["audit", "verify", "--data-dir", d]) == 0
    with demo_db.engine.begin() as c:
        c.execute(text("UPDATE audit_log SET actor = 'người khác' WHERE seq = 2"))
    with demo_db.reads() as s:
        assert [(p.seq, p.what) for p in audit.verify(s)] == [(2, "changed")]
    with demo_db.engine.begin() as c:
        c.execute(text("UPDATE audit_log SET actor = (SELECT actor FROM audit_log WHERE seq=1)"
                       " WHERE seq = 2"))
        c.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    with demo_db.reads() as s:
        assert [(p.seq, p.what) for p in audit.verify(s)] == [(5, "missing before")]
    assert sotay(["audit", "verify", "--data-dir", d]) == 1
    assert "dòng 5" in capsys.readouterr().out
