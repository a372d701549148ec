"""Unexpected errors: the detail to a log file in the data folder, a plain sentence to people.

A person never sees SQL, parameters, a traceback or member data: ``describe`` turns any
exception into one translated sentence, and ``setup`` sends the technical detail to
``<data folder>/logs/sotay.log`` (rotated, so an old PC's disk does not fill). SQLAlchemy's
engines are created with ``hide_parameters``, so even the log holds no member data from SQL.

Standard library only, but for ``db.faults`` (itself standard library) when describing.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from sotay_core import i18n
from sotay_core.domain.errors import DomainError

LOG_FILE = Path("logs") / "sotay.log"
_MAX_BYTES = 1_000_000
_KEEP = 3

log = logging.getLogger("sotay")
_handler: logging.Handler | None = None
_path: Path | None = None


def setup(data_dir: Path) -> Path | None:
    """Log to the data folder of the branch in use; None if that folder cannot hold a log."""
    global _handler, _path
    path = Path(data_dir) / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_KEEP, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if _handler is not None:
        log.removeHandler(_handler)
        _handler.close()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _handler, _path = handler, path
    return path


def log_path() -> str:
    return str(_path) if _path is not None else str(LOG_FILE)


def is_busy(exc: BaseException) -> bool:
    """SQLite gave up waiting for another writer (after the busy timeout)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "OperationalError" in type(exc).__name__ and (
        "database is locked" in text or "database is busy" in text)


def describe(exc: BaseException) -> str:
    """One sentence for a person, in the UI language; never SQL, parameters or a trace."""
    from sotay_desktop.db.faults import storage_fault

    if isinstance(exc, DomainError):
        return exc.message()
    fault = storage_fault(exc)  # a full disk or a pulled USB stick, in plain words
    if fault is not None:
        return fault.message()
    if is_busy(exc):
        return i18n.t("db_busy")
    return i18n.t("unexpected_error", log=log_path())
