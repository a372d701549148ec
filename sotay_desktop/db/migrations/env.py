"""Alembic environment: always run with a connection passed in by ``run_migrations``."""

from __future__ import annotations

from alembic import context

from sotay_desktop.db.migrations_filter import include_name
from sotay_desktop.db.tables import Base

connection = context.config.attributes["connection"]


context.configure(
    connection=connection,
    include_name=include_name,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
context.run_migrations()
