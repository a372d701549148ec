"""Backups: consistent, encrypted like the profile, checked before a restore replaces nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_desktop.cli import main as sotay
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.faults import StorageError
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.security import profile
from sotay_desktop.security.key_wrap import KdfParams
from sotay_desktop.services.backup import check_backup, make_backup, restore_backup
from sotay_desktop.services.demo import create_demo
from tests.conftest import TODAY

FAST = KdfParams(memory_kib=8 * 1024, time_cost=1)


def _names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.reads() as s:
        return sorted(s.scalars(select(MemberRow.full_name)))


def test_plain_backup_and_restore_round_trip(demo_db, tmp_path: Path) -> None:
    before = _names(demo_db)
    (tmp_path / "usb").mkdir()  # a plugged-in stick: the folder exists
    backup = make_backup(demo_db, tmp_path / "usb")
    restored = restore_backup(backup, tmp_path / "restored")
    assert _names(restored) == before
    restored.close()
    with pytest.raises(StorageError) as info:  # never over existing data
        restore_backup(backup, demo_db.data_dir)
    assert info.value.code == "restore_not_empty"


def test_encrypted_backup_needs_the_key_and_holds_no_plain_name(tmp_path: Path) -> None:
    new = profile.create_profile(tmp_path / "p", branch_name="Chi bộ", user="bi-thu",
                                 password="Mật khẩu chi bộ", params=FAST)
    db = open_database(tmp_path / "p", key=new.key)
    with db.sessions.begin() as s:
        create_demo(s, members=15, documents=1, meetings=1, as_of=TODAY, seed=4)
    names = _names(db)
    (tmp_path / "usb").mkdir()
    backup = make_backup(db, tmp_path / "usb", key=new.key)
    db.close()
    blob = b"".join(p.read_bytes() for p in backup.rglob("*") if p.is_file())
    assert all(n.encode() not in blob for n in names)
    with pytest.raises(StorageError):
        restore_backup(backup, tmp_path / "wrong", key=bytes(32))
    assert not (tmp_path / "wrong").exists()
    key = profile.unlock(backup, "Mật khẩu chi bộ")  # the profile travels with the backup
    restored = restore_backup(backup, tmp_path / "restored", key=key)
    assert _names(restored) == names
    restored.close()


@pytest.mark.parametrize("damage", ["truncate", "flip", "drop"])
def test_a_tampered_or_truncated_backup_is_refused(demo_db, tmp_path: Path, damage: str) -> None:
    (tmp_path / "usb").mkdir()  # a plugged-in stick: the folder exists
    backup = make_backup(demo_db, tmp_path / "usb")
    target = backup / "sotay.db"
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        target.write_bytes(data[:5000] + bytes([data[5000] ^ 1]) + data[5001:])
    else:
        (backup / "manifest.json").unlink()
    with pytest.raises(StorageError) as info:
        check_backup(backup)
    assert info.value.code == "backup_bad"
    with pytest.raises(StorageError):
        restore_backup(backup, tmp_path / "restored")
    assert not (tmp_path / "restored" / "sotay.db").exists()


def test_cli_backup_and_restore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(profile, "DEFAULT_PARAMS", FAST)
    monkeypatch.setenv("SOTAY_PASSWORD", "Mật khẩu chi bộ 2026")
    d = str(tmp_path / "cli")
    assert sotay(["demo", "--data-dir", d, "--members", "8"]) == 0
    (tmp_path / "usb").mkdir()
    assert sotay(["backup", "--data-dir", d, "-o", str(tmp_path / "usb")]) == 0
    [backup] = list((tmp_path / "usb").iterdir())
    assert sotay(["restore", str(backup), "--data-dir", str(tmp_path / "back")]) == 0
    capsys.readouterr()
    assert sotay(["members", "list", "--data-dir", str(tmp_path / "back"), "--json"]) == 0
    assert capsys.readouterr().out.count('"full_name"') == 8
