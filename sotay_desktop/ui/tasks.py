"""Running work off the UI thread: one single-worker pool for database writes (one writer,
like Anki) and one pool for everything else. Workers take plain arguments and return
plain data; results come back to the UI thread by signal.

Tests set ``inline=True`` (Picard's FakeThreadPool) so work runs synchronously.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore

from sotay_desktop.domain.errors import DomainError


class _Signals(QtCore.QObject):
    finished = QtCore.Signal(object)
    failed = QtCore.Signal(object)


class _Job(QtCore.QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the UI thread, never lost
            if not isinstance(exc, DomainError):   # a bug, not bad input: keep the trace
                traceback.print_exc(file=sys.stderr)
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class TaskRunner(QtCore.QObject):
    def __init__(self, parent: QtCore.QObject | None = None, *, inline: bool = False) -> None:
        super().__init__(parent)
        self.inline = inline
        self.writes = QtCore.QThreadPool(self)
        self.writes.setMaxThreadCount(1)
        self.reads = QtCore.QThreadPool(self)
        self.reads.setMaxThreadCount(2)
        self._live: set[_Signals] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        *,
        write: bool = False,
    ) -> None:
        if self.inline:
            try:
                result = fn()
            except Exception as exc:
                on_error(exc)
            else:
                on_done(result)
            return
        signals = _Signals()
        self._live.add(signals)  # keep a Python reference until the job reports back

        def done(result: Any) -> None:
            self._live.discard(signals)
            on_done(result)

        def failed(exc: Exception) -> None:
            self._live.discard(signals)
            on_error(exc)

        signals.finished.connect(done, QtCore.Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(failed, QtCore.Qt.ConnectionType.QueuedConnection)
        (self.writes if write else self.reads).start(_Job(fn, signals))

    def wait(self, msecs: int = 30_000) -> bool:
        return self.writes.waitForDone(msecs) and self.reads.waitForDone(msecs)
