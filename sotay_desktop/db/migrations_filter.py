"""Which database objects the model (and so Alembic's comparisons) owns."""

from __future__ import annotations

FTS_PREFIX = "documents_fts"


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """FTS5 tables (and their shadow tables) are managed by hand, not by the model."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_PREFIX))
