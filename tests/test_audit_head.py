"""The audit chain's end mark outside the database: a cut tail and a recomputed chain are
found before any sync, for a plain folder and (signed) for an encrypted profile; and the
CLI's audit rows name the profile's user, not the OS login."""

from __future__ import annotations

import getpass
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from sotay_desktop.cli import main
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.layout import AUDIT_HEAD_FILE as HEAD_FILE
from sotay_desktop.db.tables import AuditRow
from sotay_desktop.security import profile
from sotay_desktop.security.key_wrap import KdfParams
from sotay_desktop.services import audit
from sotay_desktop.services.backup import make_backup, restore_backup

FAST = KdfParams(memory_kib=8 * 1024, time_cost=1)
PASSWORD = "Mật khẩu chi bộ 2026"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def _view(folder: Path, times: int) -> None:
    code, out, err = run("members", "list", "--data-dir", str(folder), "--json")
    assert code == 0, err
    for member in json.loads(out)[:times]:
        assert run("members", "show", member["id"], "--data-dir", str(folder))[0] == 0


def _verify(folder: Path) -> tuple[int, str]:
    code, out, _ = run("audit", "verify", "--data-dir", str(folder))
    return code, out


def _problems(folder: Path, key: bytes | None = None) -> list[tuple[int, str]]:
    db = open_database(folder, create=False, key=key)
    try:
        with db.reads() as s:
            return [(p.seq, p.what) for p in audit.verify(s)]
    finally:
        db.close()


def _sql(folder: Path, *statements: str, key: bytes | None = None) -> None:
    db = open_database(folder, create=False, key=key)
    try:
        with db.engine.begin() as c:
            for statement in statements:
                c.execute(text(statement))
    finally:
        db.close()


def _rehash_from(folder: Path, seq: int, actor: str, key: bytes | None = None) -> None:
    """What a careful forger does: change a row, then recompute every hash after it, so the
    chain in the database is intact again."""
    db = open_database(folder, create=False, key=key)
    try:
        with db.engine.begin() as c:
            c.execute(text("UPDATE audit_log SET actor = :a WHERE seq = :s"),
                      {"a": actor, "s": seq})
        with db.sessions.begin() as s:
            rows = s.scalars(select(AuditRow).order_by(AuditRow.seq)).all()
            prev = audit.GENESIS if rows[0].seq == 1 else rows[0].prev_hash
            for row in rows:
                row.prev_hash = prev
                row.hash = audit._digest({k: getattr(row, k) for k in audit._FIELDS})
                prev = row.hash
        with db.reads() as s:
            assert [p for p in audit.verify(s) if p.what in ("changed", "missing before")] == []
    finally:
        db.close()


def test_a_cut_tail_is_found_before_any_sync(demo_dir: Path) -> None:
    _view(demo_dir, 6)
    assert (demo_dir / HEAD_FILE).exists()
    assert _verify(demo_dir) == (0, "Nhật ký nguyên vẹn.\n")
    _sql(demo_dir, "DELETE FROM audit_log WHERE seq > 4")  # the chain left is intact
    assert _problems(demo_dir) == [(6, "cut at the end")]
    code, out = _verify(demo_dir)
    assert code == 1 and "dòng 6" in out and "các dòng cuối bị xoá" in out
    _view(demo_dir, 3)  # new rows after the cut: the mark is kept as evidence
    assert (6, "cut at the end") not in _problems(demo_dir)
    assert _problems(demo_dir) == [(6, "rewritten")]  # seq 6 exists again, another row


def test_a_recomputed_chain_is_found(demo_dir: Path) -> None:
    _view(demo_dir, 5)
    _rehash_from(demo_dir, 2, "người khác")
    assert _problems(demo_dir) == [(5, "rewritten")]
    assert _verify(demo_dir)[0] == 1


def test_a_deleted_mark_is_found_but_an_old_folder_without_one_is_not_accused(
        demo_dir: Path) -> None:
    assert _problems(demo_dir) == []     # no audit row yet, no mark: nothing to say
    _view(demo_dir, 2)
    (demo_dir / HEAD_FILE).unlink()
    assert _problems(demo_dir) == [(2, "end mark missing")]
    _view(demo_dir, 1)                   # not re-created: the evidence stays
    assert not (demo_dir / HEAD_FILE).exists()


def test_a_restored_backup_gets_its_own_mark(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _view(demo_db.data_dir, 3)
    (tmp_path / "usb").mkdir()
    made = make_backup(demo_db, tmp_path / "usb")
    _view(demo_db.data_dir, 2)  # the original goes on; the backup stays at 3 rows
    restored = restore_backup(made, tmp_path / "restored")
    restored.close()
    assert _problems(tmp_path / "restored") == []
    assert json.loads((tmp_path / "restored" / HEAD_FILE).read_text())["seq"] == 3


@pytest.fixture
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, bytes]:
    monkeypatch.setattr(profile, "DEFAULT_PARAMS", FAST)
    monkeypatch.setenv("SOTAY_PASSWORD", PASSWORD)
    folder = tmp_path / "enc"
    assert run("demo", "--data-dir", str(folder), "--members", "20")[0] == 0
    return folder, profile.unlock(folder, PASSWORD)


def test_encrypted_profile_mark_is_signed(encrypted: tuple[Path, bytes]) -> None:
    folder, key = encrypted
    _view(folder, 4)
    head = json.loads((folder / HEAD_FILE).read_text())
    assert head["seq"] == 4 and len(head["mac"]) == 64
    assert _verify(folder)[0] == 0
    # a forger without the key cannot move the mark to fit a shorter chain
    forged = {**head, "seq": 3}
    (folder / HEAD_FILE).write_text(json.dumps(forged))
    assert _problems(folder, key) == [(3, "end mark forged")]
    forged.pop("mac")
    (folder / HEAD_FILE).write_text(json.dumps(forged))
    assert _problems(folder, key) == [(3, "end mark forged")]
    (folder / HEAD_FILE).write_text(json.dumps(head))
    assert _problems(folder, key) == []
    _sql(folder, "DELETE FROM audit_log WHERE seq = 4", key=key)
    assert _problems(folder, key) == [(4, "cut at the end")]


def test_encrypted_recomputed_chain_is_found(encrypted: tuple[Path, bytes]) -> None:
    folder, key = encrypted
    _view(folder, 3)
    _rehash_from(folder, 1, "người khác", key=key)
    assert _problems(folder, key) == [(3, "rewritten")]


def test_cli_audit_rows_name_the_profile_user_not_the_os_login(
        encrypted: tuple[Path, bytes], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder, _ = encrypted
    monkeypatch.setattr(getpass, "getuser", lambda: "admin-windows")
    (tmp_path / "deputy.txt").write_text("Mật khẩu của phó bí thư", encoding="utf-8")
    assert run("profile", "adduser", "--data-dir", str(folder), "--user", "pho-bi-thu",
               "--new-password-file", str(tmp_path / "deputy.txt"))[0] == 0
    _view(folder, 1)  # SOTAY_PASSWORD: the secretary's
    code, out, err = run("members", "list", "--data-dir", str(folder), "--json",
                         "--password-file", str(tmp_path / "deputy.txt"))
    assert code == 0, err
    assert run("members", "show", json.loads(out)[1]["id"], "--data-dir", str(folder),
               "--password-file", str(tmp_path / "deputy.txt"))[0] == 0
    code, out, _ = run("audit", "list", "--data-dir", str(folder), "--json")
    actors = [e["actor"] for e in json.loads(out)]
    assert sorted(actors) == ["bi-thu", "pho-bi-thu"]
