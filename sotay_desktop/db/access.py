"""Which side of the one-writer contract the current thread is on.

The window runs two kinds of work (``ui/tasks.py``): *queries*, which read and return data,
and *operations*, which write through the single writer. A query that opens a write
transaction is a bug that used to surface as "database is locked" on a secretary's screen;
here it fails at once, with the same error inline (tests) and in the real pools.

Standard library only: the task runner imports this before SQLAlchemy is loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_state = threading.local()


class WriteInQuery(RuntimeError):
    """A write was started inside a query: hand it to the writer instead."""


def _mode() -> str:
    return getattr(_state, "mode", "")


@contextmanager
def mode(name: str) -> Iterator[None]:
    """Run the block as a ``"query"`` or an ``"operation"``; blocks nest (innermost wins)."""
    before = _mode()
    _state.mode = name
    try:
        yield
    finally:
        _state.mode = before


def check_may_write() -> None:
    """Called as every write transaction begins."""
    if _mode() == "query":
        raise WriteInQuery("a query tried to write: run it as an operation (runner.op)")
