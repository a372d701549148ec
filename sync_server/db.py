"""The server's engine and its migrations.

SQLite (the default, a pilot province or a test) gets WAL, a busy timeout and
``BEGIN IMMEDIATE`` so two syncs never interleave their writes; PostgreSQL
locks the scope's counter row (``SELECT … FOR UPDATE`` in ``records.next_seq``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20,
                pgbouncer: bool = False) -> Engine:
    """The engine for ``url``. PostgreSQL: ``pool_size`` + ``max_overflow`` connections at
    most per process (N nodes × W workers × that must stay under ``max_connections``, or go
    through PgBouncer); ``pgbouncer``: behind PgBouncer in transaction mode, which keeps no
    prepared statement nor startup option between transactions, so none is used (each
    statement is planned with its values, which is what the option below asks for)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No pre-ping (it costs a query per request); connections are recycled instead, and a
    # dropped connection fails one request, which the client retries.
    # Custom plans always: psycopg prepares a statement run five times, and PostgreSQL's
    # generic plan for ``path LIKE $1 || '%'`` cannot use the subtree indexes (a commune's
    # 12-month chart went from 4 ms to 80 ms after the fifth view); planning anew costs
    # a fraction of a millisecond.
    connect_args: dict[str, Any] = (
        {"prepare_threshold": None} if pgbouncer
        else {"options": "-c plan_cache_mode=force_custom_plan"})
    return create_engine(url, pool_recycle=600, pool_size=pool_size, max_overflow=max_overflow,
                         connect_args=connect_args)


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the schema to ``target`` (Alembic, run through the API)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        before = set(MigrationContext.configure(conn).get_current_heads())
        config.attributes["connection"] = conn
        command.upgrade(config, target)
        after = set(MigrationContext.configure(conn).get_current_heads())
        if before == {"s0001"} and after != before:
            # The statistics tables came with s0002: compute them for the records stored
            # before, with the models of this version, in the same transaction.
            from sqlalchemy.orm import Session

            from sync_server import facts

            with Session(bind=conn) as session:
                facts.rebuild_all(session)
        elif before & {"s0002", "s0003", "s0004", "s0005", "s0006"} and after != before:
            # The month's statistics came with s0004, the review's with s0005, the study's
            # with s0006 and s0007: computed for the records already here.
            from sqlalchemy.orm import Session

            from sync_server import month_facts, review_facts, study_facts

            with Session(bind=conn) as session:
                if before & {"s0002", "s0003"}:
                    month_facts.rebuild(session)
                if before & {"s0002", "s0003", "s0004"}:
                    review_facts.rebuild(session)
                if inspect(conn).has_table("stat_study_units"):
                    study_facts.rebuild(session)
        if (before & {"s0002", "s0003", "s0004", "s0005", "s0006", "s0007", "s0008"}
                and inspect(conn).has_table("stat_units")):
            # The communes' roll-ups came with s0009: from the branches' rows above.
            from sqlalchemy.orm import Session

            from sync_server import rollup

            with Session(bind=conn) as session:
                rollup.rebuild(session)


def is_current(engine: Engine) -> bool:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return set(MigrationContext.configure(conn).get_current_heads()) == heads
