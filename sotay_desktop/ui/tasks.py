"""Running work off the UI thread, with the one-writer contract made structural (Anki's
``QueryOp`` / ``CollectionOp``):

- ``query(fn, …)``: reads, on a small pool. ``fn`` runs as a *query*: any write transaction
  it starts raises ``WriteInQuery`` (``db/access.py``), and the use cases read through
  ``query_only`` connections, so a read that writes fails in every test, inline or not.
- ``op(fn, …)``: writes, on the single writer thread. ``fn`` returns the write's
  ``Changes`` (alone, or as the last item of a tuple, as the use cases do); after it
  succeeded the runner emits ``operation_did_execute(changes)``, the one signal every
  screen listens to to decide whether to refresh (Anki's ``operation_did_execute``).
  What a query must leave behind (the audit row of a view: ``access.after_read``) is
  handed to ``submit_op``, from any thread, and broadcast the same way.
- ``network(fn, …)``: the sync, on its own thread so a slow download never holds up a
  save; its short write transactions wait for the writer's (``BEGIN IMMEDIATE``).

Workers take plain arguments and return plain data; results come back to the UI thread by
signal. An unexpected failure is logged in full to the data folder's log file
(``errorlog.setup``) and reaches the person as a plain sentence (``error_text``). Work
nobody waits on reports its failure through ``background_failed`` (the status bar).

Tests set ``inline=True`` (Picard's FakeThreadPool) so work runs synchronously, under the
same contract; a separate set of tests runs the real pools and several processes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore

from sotay_core.domain.errors import DomainError
from sotay_desktop.db.access import mode as work_mode
from sotay_desktop.services.changes import Changes

log = logging.getLogger("sotay")

QUERY, OPERATION, NETWORK = "query", "operation", "network"


def changes_of(result: object) -> Changes:
    """What an operation's result says it touched: a ``Changes``, or a tuple ending in one
    (``(member_id, changes)``). Anything else touched nothing a screen shows."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple) and result and isinstance(result[-1], Changes):
        return result[-1]
    return Changes()


def _log_unexpected(exc: BaseException) -> None:
    if not isinstance(exc, DomainError):  # a bug or a fault, not bad input: keep the trace
        log.error("unexpected error in a background task", exc_info=exc)


class _Signals(QtCore.QObject):
    finished = QtCore.Signal(object)
    failed = QtCore.Signal(object)


class _Job(QtCore.QRunnable):
    def __init__(self, fn: Callable[[], Any], kind: str, signals: _Signals,
                 hand_over: Callable[[Callable[[], Any]], None]) -> None:
        super().__init__()
        self.fn = fn
        self.kind = kind
        self.signals = signals
        self.hand_over = hand_over

    def run(self) -> None:
        try:
            with work_mode(self.kind, self.hand_over):
                result = self.fn()
        except Exception as exc:  # delivered to the UI thread, never lost
            _log_unexpected(exc)
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class TaskRunner(QtCore.QObject):
    background_failed = QtCore.Signal(object)   # an exception from work nobody waits on
    # After every operation that succeeded, with its ``Changes``: each screen decides
    # whether what it shows was touched (Anki's ``operation_did_execute``).
    operation_did_execute = QtCore.Signal(object)
    _submitted = QtCore.Signal(object)          # an operation handed over from any thread

    def __init__(self, parent: QtCore.QObject | None = None, *, inline: bool = False) -> None:
        super().__init__(parent)
        self.inline = inline
        self.writes = QtCore.QThreadPool(self)
        self.writes.setMaxThreadCount(1)   # the single writer
        self.reads = QtCore.QThreadPool(self)
        self.reads.setMaxThreadCount(2)
        self.net = QtCore.QThreadPool(self)
        self.net.setMaxThreadCount(1)
        self._live: set[_Signals] = set()
        self._submitted.connect(self._run_submitted, QtCore.Qt.ConnectionType.QueuedConnection)

    # --- the three kinds of work

    def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
              on_error: Callable[[Exception], None] | None = None) -> None:
        """Read, return plain data; ``fn`` cannot write."""
        self._start(fn, QUERY, on_done, on_error)

    def op(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
           on_error: Callable[[Exception], None] | None = None) -> None:
        """Write through the single writer; operations run one at a time, in order."""
        self._start(fn, OPERATION, on_done, on_error)

    def network(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                on_error: Callable[[Exception], None] | None = None) -> None:
        """The sync: long network work whose own short writes wait for the writer's."""
        self._start(fn, NETWORK, on_done, on_error)

    def broadcast(self, changes: Changes) -> None:
        """Announce writes made outside ``op`` (the sync's, on the network thread)."""
        self.operation_did_execute.emit(changes)

    def submit_op(self, fn: Callable[[], Any]) -> None:
        """Queue an operation nobody waits on, from any thread (e.g. a query's audit row).

        A failure is reported through ``background_failed``, never as a dialog.
        """
        if self.inline:
            self.op(fn)
        else:
            self._submitted.emit(fn)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for all work; the writer last, as queries may still hand it work."""
        reads = self.reads.waitForDone(msecs) and self.net.waitForDone(msecs)
        QtCore.QCoreApplication.sendPostedEvents(self)   # operations handed over meanwhile
        return reads and self.writes.waitForDone(msecs)

    def settle(self, msecs: int = 30_000) -> bool:
        """Wait for all work and deliver its results, then the work those results started
        (a write's broadcast makes screens read again), until nothing is left running:
        nothing then reports to a window that is gone."""
        deadline = time.monotonic() + msecs / 1000
        while True:
            left = max(0, int((deadline - time.monotonic()) * 1000))
            if not self.wait(left):
                return False
            QtCore.QCoreApplication.processEvents()   # delivers results; may start new work
            if not self._live:
                return True
            if time.monotonic() > deadline:
                return False

    # --- plumbing

    def _run_submitted(self, fn: Callable[[], Any]) -> None:
        self.op(fn)

    def _failed_in_background(self, exc: Exception) -> None:
        self.background_failed.emit(exc)

    def _start(self, fn: Callable[[], Any], kind: str, on_done: Callable[[Any], None] | None,
               on_error: Callable[[Exception], None] | None) -> None:
        def done_cb(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            if kind == OPERATION:
                self.operation_did_execute.emit(changes_of(result))

        error_cb = on_error or self._failed_in_background
        if self.inline:
            try:
                with work_mode(kind, self.submit_op):
                    result = fn()
            except Exception as exc:
                _log_unexpected(exc)
                error_cb(exc)
            else:
                done_cb(result)
            return
        signals = _Signals()
        self._live.add(signals)  # keep a Python reference until the job reports back

        def done(result: Any) -> None:
            self._live.discard(signals)
            done_cb(result)

        def failed(exc: Exception) -> None:
            self._live.discard(signals)
            error_cb(exc)

        signals.finished.connect(done, QtCore.Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(failed, QtCore.Qt.ConnectionType.QueuedConnection)
        pool = {QUERY: self.reads, OPERATION: self.writes, NETWORK: self.net}[kind]
        pool.start(_Job(fn, kind, signals, self.submit_op))
