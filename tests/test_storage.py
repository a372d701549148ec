from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from sotay_desktop.db.engine import integrity_problems, open_database
from sotay_desktop.db.faults import StorageError
from sotay_desktop.services.members import list_members


def test_pragmas_make_commits_durable(empty_dir: Path) -> None:
    db = open_database(empty_dir)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        db.close()


def test_foreign_keys_are_enforced(branch_db: tuple) -> None:
    db, _ = branch_db
    with pytest.raises(Exception, match="FOREIGN KEY"), db.sessions.begin() as session:
        session.execute(text(
            "INSERT INTO member_events (id, member_id, kind, date, decision, place, detail, seq,"
            " version, deleted, created_at, updated_at) VALUES ('e', 'no-such-member', "
            "'admitted', '2020-01-01', '', '', '', 0, 0, 0, '2020-01-01', '2020-01-01')"))


def test_corrupt_file_is_refused_with_its_path_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "sotay.db"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(StorageError) as info:
        open_database(tmp_path)
    assert info.value.code == "db_corrupt"
    assert str(path) in info.value.message("vi")
    assert path.read_bytes() == garbage


def test_truncated_database_is_refused(demo_dir: Path) -> None:
    path = demo_dir / "sotay.db"
    data = path.read_bytes()
    path.write_bytes(data[:16] + b"\x00" * 100)
    with pytest.raises(StorageError) as info:
        open_database(demo_dir)
    assert info.value.code == "db_corrupt"


def test_database_from_a_newer_version_is_refused_untouched(demo_dir: Path) -> None:
    path = demo_dir / "sotay.db"
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError) as info:
        open_database(demo_dir)
    assert info.value.code == "db_too_new"
    assert "9999" in info.value.message("vi")
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_named(tmp_path: Path) -> None:  # pragma: no cover - non-root
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(StorageError) as info:
        open_database(locked / "branch")
    assert info.value.code == "dir_not_writable"


def test_unwritable_folder_even_as_root(tmp_path: Path) -> None:
    # a path whose parent is a regular file cannot be created, whoever we are
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError) as info:
        open_database(blocker / "branch")
    assert info.value.code == "dir_not_writable"
    assert str(blocker / "branch") in info.value.message("vi")


def test_open_without_create_on_missing_branch(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        open_database(tmp_path / "nothing", create=False)
    assert info.value.code == "no_branch"


def test_integrity_check_is_clean_on_the_demo(demo_db) -> None:  # type: ignore[no-untyped-def]
    assert integrity_problems(demo_db) == []


def test_committed_data_survives_reopen(demo_dir: Path) -> None:
    db = open_database(demo_dir)
    with db.reads() as session:
        before = [m.id for m in list_members(session)]
    db.close()
    db = open_database(demo_dir)
    with db.reads() as session:
        assert [m.id for m in list_members(session)] == before
    db.close()
