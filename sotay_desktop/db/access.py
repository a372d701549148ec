"""Which side of the one-writer contract the current thread is on.

The window runs two kinds of work (``ui/tasks.py``): *queries*, which read and return data,
and *operations*, which write through the single writer. A query that opens a write
transaction is a bug that used to surface as "database is locked" on a secretary's screen;
here it fails at once, with the same error inline (tests) and in the real pools.

Standard library only: the task runner imports this before SQLAlchemy is loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_state = threading.local()


class WriteInQuery(RuntimeError):
    """A write was started inside a query: hand it to the writer instead."""


def _mode() -> str:
    return getattr(_state, "mode", "")


Write = Callable[[], Any]


@contextmanager
def mode(name: str, hand_over: Callable[[Write], None] | None = None) -> Iterator[None]:
    """Run the block as a ``"query"`` or an ``"operation"``; blocks nest (innermost wins).

    ``hand_over`` takes the writes a query leaves behind (``after_read``) to the writer.
    """
    before = (_mode(), getattr(_state, "hand_over", None))
    _state.mode, _state.hand_over = name, hand_over
    try:
        yield
    finally:
        _state.mode, _state.hand_over = before


def after_read(write: Write) -> None:
    """A write a read leaves behind (the audit row of a view, an export, a print).

    Inside a query it goes to the writer (never in the query's own transaction); outside
    one (the CLI, a test calling a use case directly) it runs now, in its own transaction.
    """
    hand_over = getattr(_state, "hand_over", None)
    if _mode() != "query":
        write()
    elif hand_over is None:
        raise WriteInQuery("a query left a write behind but has no writer to hand it to")
    else:
        hand_over(write)


def check_may_write() -> None:
    """Called as every write transaction begins."""
    if _mode() == "query":
        raise WriteInQuery("a query tried to write: run it as an operation (runner.op)")
