"""Alembic environment of the server: run with a connection passed in by ``db.upgrade``."""

from __future__ import annotations

from alembic import context

from sync_server.models import Base

connection = context.config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
context.run_migrations()
