"""``sotay db check``: a report on a data file, also (above all) when the file is damaged.

A damaged SQLCipher page fails its HMAC and makes SQLite's own checks stop half-way with
an error (and leaves that connection unusable), so each check runs on its own connection
and an error becomes a line of the report, never an "unexpected error". For an encrypted
file SQLCipher's ``cipher_integrity_check`` names each page whose HMAC fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sotay_core import i18n
from sotay_core.domain.errors import DomainError
from sotay_desktop.db import schema_version
from sotay_desktop.db.connection import raw_connect
from sotay_desktop.db.engine import open_database
from sotay_desktop.db.faults import StorageError, storage_fault
from sotay_desktop.db.layout import DB_NAME
from sotay_desktop.services.outbox import pending_count

MAX_LINES = 20   # integrity_check can name every page of a big file
# Refusals that are not a verdict on the file: said as errors, not as a report.
NOT_A_VERDICT = ("no_branch", "profile_locked", "disk_full", "disk_gone", "disk_io",
                 "dir_not_writable", "db_too_new")
_HMAC_PAGE = re.compile(r"HMAC verification failed for page (\d+)")


@dataclass
class CheckReport:
    path: str
    opened: bool
    schema_version: str | None
    problems: list[str] = field(default_factory=list)
    pending_changes: int | None = None

    @property
    def ok(self) -> bool:
        return self.opened and not self.problems


def _lines(rows: list[Any]) -> list[str]:
    out: list[str] = []
    for row in rows:
        out += [line for line in str(row[0] if isinstance(row, tuple) else row).splitlines()
                if line and line != "ok"]
    return out


def _run(path: Path, key: bytes | None, query: str,
         fmt: Callable[[tuple[Any, ...]], str] | None = None) -> list[str]:
    connection = raw_connect(path, key)
    try:
        rows = connection.execute(query).fetchall()
    finally:
        connection.close()
    return [fmt(r) for r in rows] if fmt else _lines(rows)


def _page_line(text: str) -> str:
    found = _HMAC_PAGE.search(text)
    if found:
        return i18n.t("db_check_page", page=int(found.group(1)))
    return text


def _quiet_sqlcipher() -> None:
    """SQLCipher writes "ERROR CORE … hmac check failed" lines to stderr for each bad page
    (a process-wide setting); the report says the same in plain words, so silence them."""
    from sotay_desktop.db.connection import dbapi

    connection = dbapi(b"\0" * 32).connect(":memory:")
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
    finally:
        connection.close()


def check_folder(data_dir: Path, key: bytes | None = None) -> CheckReport:
    """Open (read the schema version), then run each check on its own connection."""
    data_dir = Path(data_dir)
    path = data_dir / DB_NAME
    if key is not None:
        _quiet_sqlcipher()
    report = CheckReport(str(path), opened=False, schema_version=None)
    try:
        db = open_database(data_dir, create=False, key=key)
    except DomainError as exc:
        if isinstance(exc, StorageError) and exc.code in NOT_A_VERDICT:
            raise
        report.problems.append(i18n.t("db_check_unopened", reason=exc.message()))
        return report
    report.opened = True
    report.schema_version = schema_version.HEAD
    checks: list[tuple[str, Callable[[tuple[Any, ...]], str] | None]] = []
    if key is not None:
        checks.append(("PRAGMA cipher_integrity_check", lambda r: _page_line(str(r[0]))))
    checks += [("PRAGMA integrity_check", None),
               ("PRAGMA foreign_key_check", lambda r: f"foreign key: {tuple(r)}")]
    try:
        for query, fmt in checks:
            try:
                report.problems += _run(path, key, query, fmt)
            except Exception as exc:  # a damaged page stops the check: that is the finding
                fault = storage_fault(exc, data_dir)
                if fault is not None:
                    raise fault from exc
                report.problems.append(i18n.t("db_check_stopped", check=query.split()[-1],
                                              detail=str(exc)))
            if len(report.problems) > MAX_LINES:
                more = len(report.problems) - MAX_LINES
                report.problems[MAX_LINES:] = [i18n.t("db_check_more", count=more)]
                break
        try:
            with db.reads() as session:
                report.pending_changes = pending_count(session)
        except Exception as exc:
            fault = storage_fault(exc, data_dir)
            if fault is not None:
                raise fault from exc
            report.problems.append(i18n.t("db_check_stopped", check="outbox", detail=str(exc)))
    finally:
        db.close()
    return report
