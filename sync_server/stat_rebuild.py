"""Rebuilding one area's statistics rows from the records (``db.upgrade`` past the migration
that made them, on a database whose other statistics are already kept): the review's
(``review_facts``) and the study plans' (``study_facts``) share it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync_server.models import Record

Key = tuple[str, str]   # (scope_id, row id)


def rebuild(session: Session, classes: Iterable[Any], entities: Iterable[str],
            refresh: Callable[[Session, dict[str, set[Key]]], None]) -> int:
    """Empty ``classes`` and refresh them from every record of ``entities``; returns the
    records read."""
    for cls in classes:
        session.execute(delete(cls))
    count = 0
    touched: dict[str, set[Key]] = defaultdict(set)
    for scope, entity, row_id in session.execute(
            select(Record.scope_id, Record.entity, Record.id).where(
                Record.entity.in_(list(entities)))):
        touched[entity].add((scope, row_id))
        count += 1
    refresh(session, touched)
    session.flush()
    return count
