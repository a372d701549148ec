"""One branch's open data folder: the database (opened on first use), the day, the key."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when first used: start-up paints before SQLAlchemy loads
    from sotay_desktop.db.engine import Database
    from sotay_desktop.services.sync.transport import Transport


class Workspace:
    """What every use case works on.

    ``db`` is an open Database, or a function that opens it on first use (in a worker), so
    the window can paint before SQLAlchemy is imported. ``today`` is the clock of the rules
    (tests fix it). ``key`` is an encrypted profile's key: backups are encrypted with it.
    """

    def __init__(self, db: Database | Callable[[], Database], *,
                 today: Callable[[], dt.date] = dt.date.today,
                 data_dir: Path | None = None, key: bytes | None = None) -> None:
        self._open: Callable[[], Database] | None = None
        self._db: Database | None = None
        if callable(db):
            self._open = db
        else:
            self._db = db
            data_dir = data_dir or db.data_dir
        if data_dir is None:
            raise ValueError("data_dir is needed with a lazily opened database")
        self.data_dir = data_dir
        self.today = today
        self.key = key
        self.transport: Transport | None = None   # kept between syncs (keep-alive)
        self._lock = threading.Lock()

    @property
    def db(self) -> Database:
        with self._lock:
            if self._db is None:
                from sotay_desktop.db.access import mode

                assert self._open is not None
                # Opening may upgrade the schema: a write, whichever query asks first.
                with mode("operation"):
                    self._db = self._open()
            return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()

    def branch_id(self) -> str:
        """The branch this folder keeps; refused in words when there is none yet."""
        from sotay_desktop.services.branch import branch_info

        with self.db.reads() as session:
            info = branch_info(session)
        if info is None:
            raise LookupError("no branch in this data folder")
        return info.branch.id
