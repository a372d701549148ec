"""Encrypted profiles: SQLCipher on disk, the key wrapped per user and for a recovery code."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_desktop.cli import main as sotay
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.faults import StorageError
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.security import profile
from sotay_desktop.security.key_wrap import KdfParams, ProfileError
from sotay_desktop.services.demo import create_demo
from tests.conftest import TODAY

FAST = KdfParams(memory_kib=8 * 1024, time_cost=1)  # the real cost is measured in bench/
PASSWORD = "Mật khẩu chi bộ 2026"


def _encrypted(path: Path) -> tuple[bytes, str]:
    new = profile.create_profile(path, branch_name="Chi bộ thôn Thượng", user="bi-thu",
                                 password=PASSWORD, params=FAST)
    db = open_database(path, key=new.key)
    with db.sessions.begin() as s:
        create_demo(s, members=20, documents=2, meetings=2, as_of=TODAY, seed=9)
    with db.reads() as s:
        names = s.scalars(select(MemberRow.full_name)).all()
    db.close()
    return new.key, names[0]


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_no_member_name_in_plain_bytes_anywhere_in_the_folder(tmp_path: Path) -> None:
    _key, name = _encrypted(tmp_path / "p")
    blob = _all_bytes(tmp_path / "p")
    for text in (name, name.split()[-1], "Chi bộ mẫu", "đảng viên"):
        for form in ("NFC", "NFD"):
            assert unicodedata.normalize(form, text).encode() not in blob
    assert b"SQLite format 3" not in (tmp_path / "p" / "sotay.db").read_bytes()[:16]


def test_a_wrong_key_or_no_key_cannot_open_it(tmp_path: Path) -> None:
    key, _ = _encrypted(tmp_path / "p")
    with pytest.raises(StorageError) as info:
        open_database(tmp_path / "p")
    assert info.value.code == "profile_locked"
    with pytest.raises(StorageError) as info:
        open_database(tmp_path / "p", key=bytes(32))
    assert info.value.code == "db_wrong_key"
    # the file copied to another PC (without profile.json) is still only noise
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(tmp_path / "p" / "sotay.db", other / "sotay.db")
    with pytest.raises(StorageError) as info:
        open_database(other)
    assert info.value.code == "db_corrupt"
    assert open_database(tmp_path / "p", key=key).engine is not None


def test_password_nfc_nfd_change_and_recovery(tmp_path: Path) -> None:
    path = tmp_path / "p"
    new = profile.create_profile(path, branch_name="Chi bộ", user="bi-thu",
                                 password=PASSWORD, params=FAST)
    assert profile.unlock(path, unicodedata.normalize("NFD", PASSWORD)) == new.key
    with pytest.raises(ProfileError) as info:
        profile.unlock(path, "mat khau chi bo 2026")
    assert info.value.code == "profile_wrong_password"
    profile.change_password(path, "bi-thu", PASSWORD, "Mật khẩu mới của tôi", FAST)
    assert profile.unlock(path, "Mật khẩu mới của tôi") == new.key  # same key: data untouched
    with pytest.raises(ProfileError):
        profile.unlock(path, PASSWORD)
    assert profile.unlock_with_recovery(path, new.recovery_code.lower()) == new.key
    with pytest.raises(ProfileError) as info:
        profile.unlock_with_recovery(path, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    assert info.value.code == "profile_wrong_recovery"
    # a forgotten password: the recovery code sets a new one; a deputy gets their own
    key = profile.unlock_with_recovery(path, new.recovery_code)
    profile.set_password(path, key, "bi-thu", "Đặt lại sau khi quên", FAST)
    profile.set_password(path, key, "pho-bi-thu", "Mật khẩu phó bí thư", FAST, role="deputy")
    assert profile.unlock(path, "Mật khẩu phó bí thư") == new.key
    assert profile.profile_info(path) == {"branch": "Chi bộ", "users": ["bi-thu", "pho-bi-thu"]}
    with pytest.raises(ProfileError) as info:
        profile.set_password(path, key, "x", "ngắn", FAST)
    assert info.value.code == "password_too_short"


def test_a_damaged_profile_file_is_a_clear_error(tmp_path: Path) -> None:
    _encrypted(tmp_path / "p")
    (tmp_path / "p" / "profile.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        profile.unlock(tmp_path / "p", PASSWORD)
    assert info.value.code == "profile_damaged"


def test_cli_takes_the_password_from_a_file_or_the_environment_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(profile, "DEFAULT_PARAMS", FAST)
    d = str(tmp_path / "cli")
    secret = tmp_path / "mk.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    assert sotay(["demo", "--data-dir", d, "--members", "10", "--password-file", str(secret)]) == 0
    err = capsys.readouterr().err
    assert "MÃ KHÔI PHỤC" in err
    assert sotay(["members", "list", "--data-dir", d]) == 1
    assert "cần mật khẩu" in capsys.readouterr().err.lower()
    monkeypatch.setenv("SOTAY_PASSWORD", "sai mật khẩu rồi")
    assert sotay(["members", "list", "--data-dir", d]) == 1
    assert "Mật khẩu không đúng" in capsys.readouterr().err
    monkeypatch.setenv("SOTAY_PASSWORD", PASSWORD)
    assert sotay(["members", "list", "--data-dir", d, "--json"]) == 0
    assert capsys.readouterr().out.count('"full_name"') == 10
    with pytest.raises(SystemExit):
        sotay(["members", "list", "--data-dir", d, "--password", PASSWORD])


def test_an_existing_plain_folder_is_encrypted_keeping_every_row(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from sotay_desktop.services.documents import search_documents

    monkeypatch.setattr(profile, "DEFAULT_PARAMS", FAST)
    db = open_database(demo_dir)
    with db.reads() as s:
        names = sorted(s.scalars(select(MemberRow.full_name)))
        hits = len(search_documents(s, query="nghi quyet"))
    assert hits > 0
    db.close()
    monkeypatch.setenv("SOTAY_PASSWORD", PASSWORD)
    assert sotay(["profile", "create", "--data-dir", str(demo_dir)]) == 0
    code = capsys.readouterr().out.split(": ")[-1].strip()
    blob = b"".join(p.read_bytes() for p in demo_dir.glob("sotay.db*"))
    assert names[0].encode() not in blob
    key = profile.unlock(demo_dir, PASSWORD)
    db = open_database(demo_dir, key=key)
    with db.reads() as s:
        assert sorted(s.scalars(select(MemberRow.full_name))) == names
        assert len(search_documents(s, query="nghi quyet")) == hits  # the FTS index came too
    db.close()
    # forgotten password: the recovery code sets a new one
    (tmp_path / "code.txt").write_text(code, encoding="utf-8")
    (tmp_path / "new.txt").write_text("Mật khẩu mới sau khi quên", encoding="utf-8")
    monkeypatch.delenv("SOTAY_PASSWORD")
    assert sotay(["profile", "passwd", "--data-dir", str(demo_dir), "--recovery-file",
                  str(tmp_path / "code.txt"), "--new-password-file",
                  str(tmp_path / "new.txt")]) == 0
    assert profile.unlock(demo_dir, "Mật khẩu mới sau khi quên") == key


def test_a_deputy_is_added_with_the_secretarys_password_and_a_truncated_db_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(profile, "DEFAULT_PARAMS", FAST)
    key, _name = _encrypted(tmp_path / "p")
    d = str(tmp_path / "p")
    (tmp_path / "deputy.txt").write_text("Mật khẩu phó bí thư", encoding="utf-8")
    monkeypatch.setenv("SOTAY_PASSWORD", PASSWORD)
    args = ["profile", "adduser", "--data-dir", d, "--user", "pho-bi-thu",
            "--new-password-file", str(tmp_path / "deputy.txt")]
    assert sotay(args) == 0
    assert profile.unlock(tmp_path / "p", "Mật khẩu phó bí thư", "pho-bi-thu") == key
    assert sotay(args) == 1  # never overwrites an existing user
    assert "Đã có người dùng" in capsys.readouterr().err
    db_file = tmp_path / "p" / "sotay.db"
    db_file.write_bytes(db_file.read_bytes()[:3000])  # a truncated file
    with pytest.raises(StorageError) as info:
        open_database(tmp_path / "p", key=key)
    assert info.value.code == "db_wrong_key"
