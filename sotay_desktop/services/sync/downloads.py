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
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from queue import SimpleQueue
from typing import Protocol, TypeVar

from sotay_desktop.services.sync.report import Cancelled, Progress
from sotay_desktop.services.sync.transport import (
    SKIP_FILE_CODES,
    SyncCancelled,
    SyncFailure,
    Transport,
)

WORKERS = 2   # two in flight keep the link busy; more only split the same bandwidth


class Wanted(Protocol):
    sha256: str
    size: int


W = TypeVar("W", bound=Wanted)


def plan(files: Sequence[W], partial_dir: Path, room: int) -> list[tuple[W, int]]:
    """The files that fit in ``room`` bytes, each with the budget left when its turn comes
    (as if fetched one after the other: what a ``.part`` already holds is not fetched again)."""
    planned: list[tuple[W, int]] = []
    for f in files:
        if room <= 0:
            break
        planned.append((f, room))
        partial = partial_dir / f"{f.sha256}.part"
        have = partial.stat().st_size if partial.exists() else 0
        room -= max(0, f.size - have)
    return planned


def download_all(transport: Transport, files: Sequence[W], partial_dir: Path,
                 store: Callable[[W, int, SyncFailure | None], None],
                 progress: Progress | None, cancel: Cancelled | None, room: int) -> None:
    """Fetch ``files`` (in this order, ``WORKERS`` at a time) within ``room`` bytes; ``store``
    gets each one with the bytes moved, or the failure that skips it (``SKIP_FILE_CODES``).
    Any other failure is raised once the downloads in flight have stopped."""
    planned = plan(files, partial_dir, room)
    if not planned:
        return
    total = sum(f.size for f, _ in planned)
    done: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()
    workers = min(WORKERS, len(planned))
    idle: SimpleQueue[Transport] = SimpleQueue()
    idle.put(transport)
    for _ in range(workers - 1):
        idle.put(transport.twin())

    def stopped() -> bool:
        return stop.is_set() or bool(cancel and cancel())

    def told(sha256: str) -> Progress | None:
        if progress is None:
            return None
        shown = progress

        def tell(stage: str, now: int, _size: int) -> None:   # one bar for all the files
            with lock:
                done[sha256] = now
                moved = sum(done.values())
            shown(stage, moved, total)
        return tell

    def fetch(f: W, allowance: int) -> int:
        if stopped():
            raise SyncCancelled()
        t = idle.get()
        try:
            return t.download(f.sha256, partial_dir / f"{f.sha256}.part", f.size,
                              told(f.sha256), stopped, allowance)
        finally:
            idle.put(t)

    failure: BaseException | None = None
    with ThreadPoolExecutor(workers, thread_name_prefix="sotay-download") as pool:
        futures: dict[Future[int], W] = {
            pool.submit(fetch, f, allowance): f for f, allowance in planned}
        for future in as_completed(futures):
            f = futures[future]
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
                stop.set()
                if failure is None or (isinstance(failure, SyncCancelled)
                                       and not isinstance(exc, SyncCancelled)):
                    failure = exc   # the first real failure, not the stops it caused
    if failure is not None:
        raise failure
