"""Migrations from an empty file and from every earlier revision, up to head.

Each revision is applied to an empty file, then the file is upgraded to head
and its schema compared with the tables in ``db/tables.py``: any drift
between a migration and the model fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from sotay_desktop.db import schema_version
from sotay_desktop.db.engine import make_engine, open_database, run_migrations
from sotay_desktop.db.tables import Base


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option(
        "script_location",
        str(Path(__file__).parents[1] / "sotay_desktop" / "db" / "migrations"),
    )
    return ScriptDirectory.from_config(config)


def _revisions() -> list[str]:
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


def test_known_revisions_match_the_scripts() -> None:
    assert tuple(_revisions()) == schema_version.REVISIONS
    assert _script().get_current_head() == schema_version.HEAD


def _schema_diff(path: Path) -> list[object]:
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            from sotay_desktop.db.migrations_filter import include_name

            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_empty_file_migrates_to_the_model(tmp_path: Path) -> None:
    open_database(tmp_path).close()
    assert _schema_diff(tmp_path / "sotay.db") == []


@pytest.mark.parametrize("start", _revisions())
def test_every_revision_upgrades_to_head(tmp_path: Path, start: str) -> None:
    path = tmp_path / "sotay.db"
    engine = make_engine(path)
    run_migrations(engine, start)
    engine.dispose()
    db = open_database(tmp_path)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == schema_version.HEAD
    db.close()
    assert _schema_diff(path) == []
    if start != schema_version.HEAD:
        assert (tmp_path / "backups").is_dir()


def test_second_open_does_not_migrate_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    open_database(tmp_path).close()
    import sotay_desktop.db.engine as engine_module

    def fail(*_a: object, **_k: object) -> None:
        raise AssertionError("migrations ran on an up-to-date file")

    monkeypatch.setattr(engine_module, "run_migrations", fail)
    open_database(tmp_path).close()


def test_0005_adds_the_quarantine_and_keeps_the_branch(tmp_path: Path) -> None:
    """A folder at 0004 with records opens at head: its rows are kept, the quarantine of
    pulled rows (issue 17) is there and empty, and takes a row set aside."""
    path = tmp_path / "sotay.db"
    engine = make_engine(path)
    run_migrations(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO org_units (id, level, name, symbol, is_grassroots, has_chi_uy, "
            "former_names, version, deleted, created_at, updated_at) VALUES ('u1', 'branch', "
            "'Chi bộ', 'CB', 0, 0, '', 3, 0, '2026-01-01', '2026-01-01')"))
    engine.dispose()
    db = open_database(tmp_path)
    with db.sessions.begin() as s:
        from sotay_desktop.db.tables import OrgUnitRow, SyncQuarantineRow

        assert s.get(OrgUnitRow, "u1").name == "Chi bộ"  # type: ignore[union-attr]
        assert s.query(SyncQuarantineRow).count() == 0
        s.add(SyncQuarantineRow(entity="members", row_id="m1", version=7,
                                reason="invalid_value:gender", change="{}"))
    with db.reads() as s:
        row = s.query(SyncQuarantineRow).one()
        assert (row.reason, row.reported) == ("invalid_value:gender", False)
    db.close()
