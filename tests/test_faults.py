"""Faults on the PC are named truly: a full disk is "the disk is full" (never "the data file is
damaged"), a missing or full USB stick is said so and leaves nothing behind, a damaged
encrypted file gets its report, and bad inputs (a missing file, a garbage manifest, a
tampered profile.json, a non-empty folder) get a plain message and leave nothing behind.

The full-disk tests fill a real 8 MB tmpfs in a private mount namespace (``small_disk``);
where that is impossible they are skipped, and the ``_at_the_edge`` tests raise ENOSPC/EIO
from the file-copy call instead (the edge of the process), which runs everywhere.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from sotay_desktop.cli import main
from sotay_desktop.db import faults
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.faults import StorageError
from sotay_desktop.security import profile
from sotay_desktop.security.key_wrap import KdfParams, ProfileError
from sotay_desktop.services import backup as backup_service
from sotay_desktop.services.backup import check_backup, make_backup, restore_backup
from tests import small_disk

FAST = KdfParams(memory_kib=8 * 1024, time_cost=1)
PASSWORD = "Mật khẩu chi bộ 2026"
FULL_VI = "Ổ đĩa đã đầy"

needs_small_disk = pytest.mark.skipif(not small_disk.available(),
                                      reason="no user namespaces: cannot mount a small tmpfs")


def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def _said_plainly(err: str) -> None:
    assert "không mong đợi" not in err and "Traceback" not in err and "Errno" not in err


# --- a full disk ------------------------------------------------------------------


def test_sqlite_full_is_named_disk_full_not_damage(demo_db) -> None:  # type: ignore[no-untyped-def]
    """SQLite's own SQLITE_FULL, produced for real (max_page_count), through SQLAlchemy."""
    with pytest.raises(OperationalError) as info:
        with demo_db.engine.begin() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
            conn.execute(text("CREATE TABLE filler (x BLOB)"))
            conn.execute(text("INSERT INTO filler VALUES (zeroblob(1000000))"))
    assert isinstance(info.value.orig, sqlite3.OperationalError)
    fault = faults.storage_fault(info.value, demo_db.data_dir)
    assert fault is not None and fault.code == "disk_full"
    assert fault.message("vi").startswith(FULL_VI) and "hỏng" not in fault.message("vi")
    assert fault.message("en").startswith("The disk is full")
    assert faults.classify(OSError(errno.ENOSPC, "No space left on device")) == "disk_full"
    assert faults.classify(ValueError("database or disk is full")) is None  # not ours to name


@needs_small_disk
def test_a_full_disk_says_so_everywhere_and_loses_nothing(tmp_path: Path) -> None:
    mnt = tmp_path / "disk"
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(300_000))
    result = small_disk.run({mnt: "8m"}, small_disk.PRELUDE + f'''
d = "{mnt}/branch"
said = {{"demo": sotay("demo", "--data-dir", d, "--members", "30", "--json")}}
mid = json.loads(sotay("members", "list", "--data-dir", d, "--json")["out"])[0]["id"]
filler = fill("{mnt}")
said["new"] = sotay("demo", "--data-dir", "{mnt}/other", "--members", "5")
said["add"] = sotay("members", "add", "--data-dir", d,
                    stdin='{{"full_name": "Nguyễn Văn Thử", "date_of_birth": "1970-01-01"}}')
said["show"] = sotay("members", "show", mid, "--data-dir", d)
said["export"] = sotay("members", "export", "--data-dir", d, "-o", "{mnt}/ds.xlsx")
said["check"] = sotay("db", "check", "--data-dir", d)
from sotay_desktop.services.files import store_file
src = Path("{tmp_path}/scan.pdf")
try:
    store_file(Path(d) / "files", src)
    said["store"] = "stored"
except Exception as exc:
    said["store"] = type(exc).__name__ + ": " + getattr(exc, "code", "") + " " + str(exc)
left = sorted(p.name for p in Path(d, "files").rglob(".incoming-*"))
os.truncate(filler, filler.stat().st_size - 80 * 1024)  # room to open, not to migrate
from sotay_desktop.db.engine import open_database
try:
    open_database(Path("{mnt}/third"))
    said["migrate"] = "opened"
except Exception as exc:
    said["migrate"] = type(exc).__name__ + ": " + getattr(exc, "code", "")
filler.unlink()
said["after"] = sotay("members", "list", "--data-dir", d, "--json")
said["after_check"] = sotay("db", "check", "--data-dir", d, "--json")
print(json.dumps({{"said": said, "left": left}}))
''')
    said = result["said"]
    assert said["demo"]["code"] == 0
    for step in ("new", "add", "show", "export", "check"):
        assert said[step]["code"] == 1, step
        assert FULL_VI in said[step]["err"], (step, said[step]["err"])
        assert "hỏng" not in said[step]["err"], step
        _said_plainly(said[step]["err"])
    assert "disk_full" in said["store"] and FULL_VI not in said["store"]  # English by default
    assert said["migrate"] == "StorageError: disk_full"  # a DomainError: the window says it
    assert result["left"] == []       # no half-stored file
    assert said["after"]["code"] == 0  # space again: everything is there, nothing half-written
    assert len(json.loads(said["after"]["out"])) == 30
    assert json.loads(said["after_check"]["out"])["ok"]


@needs_small_disk
def test_a_backup_to_a_full_stick_says_so_and_leaves_no_partial_folder(tmp_path: Path) -> None:
    data, usb = tmp_path / "data", tmp_path / "usb"
    result = small_disk.run({usb: "300k"}, small_disk.PRELUDE + f'''
import shutil
d = "{data}"
said = {{"demo": sotay("demo", "--data-dir", d, "--members", "60")}}
said["checked"] = sotay("backup", "--data-dir", d, "-o", "{usb}")  # refused before writing
listing = {{"checked": os.listdir("{usb}")}}
real = shutil.disk_usage
shutil.disk_usage = lambda p: real(p)._replace(free=10**12)  # the space check is wrong
said["midway"] = sotay("backup", "--data-dir", d, "-o", "{usb}")  # ENOSPC while writing
listing["midway"] = os.listdir("{usb}")
print(json.dumps({{"said": said, "listing": listing}}))
''')
    said, listing = result["said"], result["listing"]
    assert said["demo"]["code"] == 0
    for step in ("checked", "midway"):
        assert said[step]["code"] == 1
        assert FULL_VI in said[step]["err"] and str(usb) in said[step]["err"]
        _said_plainly(said[step]["err"])
        assert listing[step] == []  # no SoTay-backup-….partial left on the stick


def test_a_stick_that_fills_or_is_pulled_out_midway_at_the_edge(
        demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The same without a mount namespace: the copy of the stored files fails as the OS
    would make it fail (ENOSPC, then EIO for a stick pulled out)."""
    usb = tmp_path / "usb"
    usb.mkdir()
    (demo_db.files_dir / "ab").mkdir(parents=True, exist_ok=True)
    (demo_db.files_dir / "ab" / ("ab" + "0" * 62)).write_bytes(b"scan")
    for err_no, code in ((errno.ENOSPC, "disk_full"), (errno.EIO, "disk_io"),
                         (errno.ENODEV, "disk_gone")):
        def failing(src: object, dst: object, *, _e: int = err_no, **_: object) -> None:
            raise OSError(_e, os.strerror(_e), str(dst))
        monkeypatch.setattr(shutil, "copy2", failing)
        with pytest.raises(StorageError) as info:
            make_backup(demo_db, usb)
        assert info.value.code == code and str(usb) in info.value.message("vi")
        assert list(usb.iterdir()) == []
    def pulled_out(src: object, dst: object, **_: object) -> None:
        shutil.rmtree(usb)  # the mount point vanishes with the stick
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(dst))
    monkeypatch.setattr(shutil, "copy2", pulled_out)
    code, _, err = run("backup", "--data-dir", str(demo_db.data_dir), "-o", str(usb))
    assert code == 1 and "USB đã bị rút ra" in err
    _said_plainly(err)
    monkeypatch.undo()
    usb.mkdir()
    made = make_backup(demo_db, usb)
    assert [p.name for p in usb.iterdir()] == [made.name]


def test_backup_to_a_folder_that_does_not_exist_is_refused(demo_dir: Path,
                                                           tmp_path: Path) -> None:
    missing = tmp_path / "E:" / "SoTay"  # the stick is not plugged in
    code, _, err = run("backup", "--data-dir", str(demo_dir), "-o", str(missing))
    assert code == 1 and "Không thấy thư mục" in err and str(missing) in err
    assert not missing.exists() and not missing.parent.exists()  # nothing made in its place


# --- a damaged encrypted file -----------------------------------------------------------


@pytest.fixture
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(profile, "DEFAULT_PARAMS", FAST)
    monkeypatch.setenv("SOTAY_PASSWORD", PASSWORD)
    folder = tmp_path / "enc"
    code, _, err = run("demo", "--data-dir", str(folder), "--members", "40")
    assert code == 0, err
    return folder


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_db_check_on_a_damaged_encrypted_file_gives_its_report(
        encrypted: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("db", "check", "--data-dir", str(encrypted), "--json")
    assert code == 0 and json.loads(out)["ok"]
    _flip(encrypted / "sotay.db", 4096 * 20 + 700)  # inside page 21
    code, out, err = run("db", "check", "--data-dir", str(encrypted), "--json")
    report = json.loads(out)
    assert code == 1 and report["opened"] and not report["ok"]
    assert any("trang 21" in p for p in report["problems"])
    _said_plainly(err)
    code, out, err = run("db", "check", "--data-dir", str(encrypted))
    assert code == 1 and "CÓ LỖI" in out and "trang 21" in out
    _flip(encrypted / "sotay.db", 300)  # page 1: cannot even be opened
    code, out, err = run("db", "check", "--data-dir", str(encrypted), "--json")
    report = json.loads(out)
    assert code == 1 and not report["opened"] and "khóa không đúng" in report["problems"][0]
    _said_plainly(err)
    assert "ERROR CORE" not in capfd.readouterr().err  # SQLCipher's own log, in English


# --- bad inputs: a plain message, nothing left behind ----------------------------------


def test_a_missing_import_file_is_said_plainly(demo_dir: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in demo_dir.iterdir())
    code, _, err = run("members", "import", str(tmp_path / "danh-sach.xlsx"), "--data-dir",
                       str(demo_dir))
    assert code == 1 and "Không thấy tệp" in err and "danh-sach.xlsx" in err
    _said_plainly(err)
    assert sorted(p.name for p in demo_dir.iterdir()) == before


@pytest.mark.parametrize("manifest", [
    b"\x00\xff garbage", b"[]", b'{"version": 1, "files": []}',
    b'{"version": 1, "files": {"sotay.db": 5}}',
    b'{"version": 1, "files": {"../../outside": "' + b"0" * 64 + b'"}}',
    b'{"version": 1, "files": {"/etc/passwd": "' + b"0" * 64 + b'"}}',
    b'{"version": 2, "files": {}}',
])
def test_a_garbage_manifest_is_refused_and_nothing_is_restored(
        demo_db, tmp_path: Path, manifest: bytes) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "usb").mkdir()
    made = make_backup(demo_db, tmp_path / "usb")
    (made / "manifest.json").write_bytes(manifest)
    target = tmp_path / "restored"
    with pytest.raises(StorageError) as info:
        restore_backup(made, target)
    assert info.value.code == "backup_bad" and str(made) in info.value.message("vi")
    assert not target.exists() and not (tmp_path / "restored.restoring").exists()
    code, _, err = run("restore", str(made), "--data-dir", str(target))
    assert code == 1 and "bị hỏng hoặc bị sửa" in err
    _said_plainly(err)
    assert not target.exists()


def test_a_missing_backup_and_a_stray_file_beside_a_backup(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("restore", str(tmp_path / "nothing"), "--data-dir",
                       str(tmp_path / "r"))
    assert code == 1 and "Không thấy bản sao lưu" in err and not (tmp_path / "r").exists()
    (tmp_path / "usb").mkdir()
    made = make_backup(demo_db, tmp_path / "usb")
    (made / "sotay.db-wal").write_bytes(b"planted")  # not in the manifest: not copied
    restored = restore_backup(made, tmp_path / "r")
    restored.close()
    assert not (tmp_path / "r" / "sotay.db-wal").exists() or \
        (tmp_path / "r" / "sotay.db-wal").read_bytes() != b"planted"


def test_a_restore_into_a_non_empty_folder_is_refused_untouched(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "usb").mkdir()
    made = make_backup(demo_db, tmp_path / "usb")
    target = tmp_path / "Documents"
    target.mkdir()
    (target / "thu.docx").write_bytes(b"a letter")
    code, _, err = run("restore", str(made), "--data-dir", str(target))
    assert code == 1 and "đã có dữ liệu" in err
    assert [p.name for p in target.iterdir()] == ["thu.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents", "demo", "usb"]


def test_a_failed_restore_removes_its_staging_folder(tmp_path: Path) -> None:
    new = profile.create_profile(tmp_path / "p", branch_name="Chi bộ", user="bi-thu",
                                 password=PASSWORD, params=FAST)
    open_database(tmp_path / "p", key=new.key).close()
    (tmp_path / "usb").mkdir()
    db = open_database(tmp_path / "p", key=new.key)
    made = make_backup(db, tmp_path / "usb", key=new.key)
    db.close()
    with pytest.raises(StorageError) as info:
        restore_backup(made, tmp_path / "r", key=bytes(32))
    assert info.value.code == "db_wrong_key"
    assert not (tmp_path / "r").exists() and not (tmp_path / "r.restoring").exists()
    check_backup(made)  # the backup itself is untouched


@pytest.mark.parametrize("change", [
    {"memory_kib": 2 ** 40}, {"memory_kib": 4 * 1024 * 1024}, {"time_cost": 10 ** 6},
    {"parallelism": 0}, {"parallelism": 4096}, {"memory_kib": "65536"}, {"time_cost": 2.5},
])
def test_tampered_argon2_settings_are_refused_before_deriving(
        encrypted: Path, change: dict[str, object]) -> None:
    path = encrypted / "profile.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in (*data["users"].values(), data["recovery"]):
        entry["kdf"].update(change)
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    files_before = sorted(p.name for p in encrypted.iterdir())
    started = time.perf_counter()
    with pytest.raises(ProfileError) as info:
        profile.unlock(encrypted, PASSWORD)
    assert time.perf_counter() - started < 1.0   # refused, not derived
    assert info.value.code in ("profile_cost", "profile_damaged")
    code, _, err = run("members", "list", "--data-dir", str(encrypted))
    assert code == 1 and "hồ sơ bảo mật" in err
    _said_plainly(err)
    assert path.read_bytes() == before
    # nothing made beside the folder's own files (the demo's audit rows leave the chain's
    # end mark, audit-head.json, since the study demo records its plans' creation)
    assert sorted(p.name for p in encrypted.iterdir()) == files_before
    assert {"files", "profile.json", "sotay.db"} <= set(files_before)


def test_a_huge_profile_json_is_refused(encrypted: Path) -> None:
    (encrypted / "profile.json").write_bytes(b" " * (2 * 1024 * 1024) + b"{}")
    with pytest.raises(ProfileError) as info:
        profile.unlock(encrypted, PASSWORD)
    assert info.value.code == "profile_damaged"


def test_backup_manifest_names_are_portable(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (demo_db.files_dir / "cd").mkdir(parents=True, exist_ok=True)
    (demo_db.files_dir / "cd" / ("cd" + "1" * 62)).write_bytes(b"x")
    (tmp_path / "usb").mkdir()
    made = make_backup(demo_db, tmp_path / "usb")
    names = json.loads((made / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert "files/cd/cd" + "1" * 62 in names and all("\\" not in n for n in names)
    assert backup_service.MANIFEST not in names


def test_the_window_names_a_full_disk_and_a_pulled_stick_too() -> None:
    """What the window shows for a failed background task (``error_text``)."""
    from sotay_desktop.ui.widgets import error_text

    full = OSError(errno.ENOSPC, "No space left on device", "/media/usb/SoTay/x.pdf")
    assert error_text(full).startswith(FULL_VI) and "/media/usb/SoTay/x.pdf" in error_text(full)
    sqlite_full = sqlite3.OperationalError("database or disk is full")
    assert error_text(sqlite_full).startswith(f"{FULL_VI} (ổ chứa dữ liệu)")
    gone = OSError(errno.ENODEV, "No such device", "/media/usb/SoTay")
    assert "USB đã bị rút ra" in error_text(gone)
    assert "Errno" not in error_text(full) + error_text(gone)
