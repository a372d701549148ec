"""Files fetched two at a time (issue 22): on a 300 ms link one file after the other leaves
the link idle one round trip per file (20 files of 200 KB: 6 s of 136 s), so the next file's
request goes out on a second kept-alive connection while the first one is still arriving.

Each file is fetched as before (``Transport.download``: into its own ``.part``, resumed at
the byte with Range, within its share of the byte budget) and handed to ``store`` in the
calling thread as it completes (the hash check and the database write stay there). A
failure that stops the sync stops the other download at its next block; what it wrote stays
in its ``.part`` for the next sync.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue

from sotay_desktop.services.sync.report import Cancelled, Progress
from sotay_desktop.services.sync.transport import (
    SKIP_FILE_CODES,
    SyncCancelled,
    SyncFailure,
    Transport,
)

WORKERS = 2   # two in flight keep the link busy; more only split the same bandwidth
SHOW_EVERY = 0.25   # seconds between two progress reports while files arrive


@dataclass(frozen=True)
class Wanted:
    """A file to fetch (plain values: the workers touch no database row)."""

    sha256: str
    size: int


def plan(files: Sequence[Wanted], partial_dir: Path, room: int) -> list[tuple[Wanted, int]]:
    """The files that fit in ``room`` bytes, each with the budget left when its turn comes
    (as if fetched one after the other: what a ``.part`` already holds is not fetched again)."""
    planned: list[tuple[Wanted, int]] = []
    for f in files:
        if room <= 0:
            break
        planned.append((f, room))
        partial = partial_dir / f"{f.sha256}.part"
        have = partial.stat().st_size if partial.exists() else 0
        room -= max(0, f.size - have)
    return planned


class Downloads:
    """Files being fetched in the background (``WORKERS`` at a time, in order, within ``room``
    bytes); ``finish`` hands each one to ``store`` in the calling thread. ``busy``: the given
    transport is in use meanwhile (the convergence check), so every worker gets a twin."""

    def __init__(self, transport: Transport, files: Sequence[Wanted], partial_dir: Path,
                 progress: Progress | None, cancel: Cancelled | None, room: int, *,
                 busy: bool = False) -> None:
        self.planned = plan(files, partial_dir, room)
        self.partial_dir, self.progress, self.cancel = partial_dir, progress, cancel
        self.total = sum(f.size for f, _ in self.planned)
        self.done: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        workers = min(WORKERS, len(self.planned))
        self.idle: SimpleQueue[Transport] = SimpleQueue()
        for i in range(workers):
            self.idle.put(transport.twin() if busy or i else transport)
        self.pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="sotay-download")
        self.futures: dict[Future[int], Wanted] = {
            self.pool.submit(self._fetch, f, allowance): f for f, allowance in self.planned}

    def _stopped(self) -> bool:
        return self.stop.is_set() or bool(self.cancel and self.cancel())

    def _told(self, sha256: str) -> Progress:
        def tell(_stage: str, now: int, _size: int) -> None:   # shown by ``finish``
            with self.lock:
                self.done[sha256] = now
        return tell

    def _show(self) -> None:
        """One bar for all the files, told from the calling thread (as the records are)."""
        if self.progress is not None:
            with self.lock:
                moved = sum(self.done.values())
            self.progress("download", moved, self.total)

    def _fetch(self, f: Wanted, allowance: int) -> int:
        if self._stopped():
            raise SyncCancelled()
        t = self.idle.get()
        try:
            return t.download(f.sha256, self.partial_dir / f"{f.sha256}.part", f.size,
                              self._told(f.sha256), self._stopped, allowance)
        finally:
            self.idle.put(t)

    def abandon(self) -> None:
        """Stop (what was written stays in the ``.part`` files) and wait for the workers."""
        self.stop.set()
        self.pool.shutdown(wait=True)

    def _completed(self) -> Iterator[Future[int]]:
        waiting = set(self.futures)
        while waiting:
            ready, waiting = wait(waiting, timeout=SHOW_EVERY, return_when=FIRST_COMPLETED)
            self._show()
            yield from ready

    def finish(self, store: Callable[[Wanted, int, SyncFailure | None], None]) -> None:
        """``store`` gets each file with the bytes moved, or the failure that skips it
        (``SKIP_FILE_CODES``); any other failure is raised once the others have stopped."""
        failure: BaseException | None = None
        try:
            for future in self._completed():
                f = self.futures[future]
                try:
                    try:
                        moved = future.result()
                    except SyncFailure as exc:
                        if exc.code not in SKIP_FILE_CODES:
                            raise
                        store(f, 0, exc)
                        continue
                    store(f, moved, None)
                except BaseException as exc:   # raised below, once the others have stopped
                    self.stop.set()
                    if failure is None or (isinstance(failure, SyncCancelled)
                                           and not isinstance(exc, SyncCancelled)):
                        failure = exc   # the first real failure, not the stops it caused
        finally:
            self.pool.shutdown(wait=True)
        if failure is not None:
            raise failure


def download_all(transport: Transport, files: Sequence[Wanted], partial_dir: Path,
                 store: Callable[[Wanted, int, SyncFailure | None], None],
                 progress: Progress | None, cancel: Cancelled | None, room: int) -> None:
    """Fetch ``files`` and ``store`` them (see ``Downloads``)."""
    Downloads(transport, files, partial_dir, progress, cancel, room).finish(store)
