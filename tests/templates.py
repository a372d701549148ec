"""Data folders migrated (and filled with a demo branch) once per test session, copied for
each use (Anki's ``shared.py``).

A migration costs about a tenth of a second and a demo as much again; a copy costs a
millisecond. ``copy_of(target)`` gives a migrated empty folder, ``copy_of(target, members=…,
documents=…, meetings=…, seed=…)`` a folder holding the demo branch those arguments build
(``as_of`` defaults to the tests' TODAY). A demo is deterministic for its arguments, so a copy
holds the same rows a rebuild would; what differs is what a rebuild draws afresh each time
(the PC's audit id, timestamps), which no test compares across tests.

Tests that test the migrations or the demo themselves open a new folder instead. Two copies
of the same demo in one test would share the PC's audit id: build the second one otherwise.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the desktop is imported on use: the server's own venv has none of it
    from sotay_desktop.db.engine import Database

# The tests' today, as the demo templates are built for it (conftest re-exports it).
TODAY = dt.date(2026, 11, 22)

_root: Path | None = None
_built: dict[tuple[tuple[str, object], ...], Path] = {}


def set_root(folder: Path) -> None:
    """Where the templates are built (conftest points it at the session's temporary folder)."""
    global _root
    _root = folder


def template(**demo: object) -> Path:
    """The template folder for ``demo`` (empty when no arguments), built on first use."""
    global _root
    key = tuple(sorted(demo.items()))
    if key not in _built:
        if _root is None:
            _root = Path(tempfile.mkdtemp(prefix="sotay-templates-"))
        from sotay_desktop.db.engine import open_database

        folder = _root / f"template-{len(_built)}"
        db = open_database(folder)
        if demo:
            from sotay_desktop.services.demo import create_demo

            with db.sessions.begin() as session:
                create_demo(session, **{"as_of": TODAY, **demo})  # type: ignore[arg-type]
        db.close()
        _built[key] = folder
    return _built[key]


def copy_of(target: Path, **demo: object) -> Path:
    """A copy of the template for ``demo`` at ``target`` (which must not exist yet)."""
    shutil.copytree(template(**demo), target)
    return target


def open_copy(target: Path, **demo: object) -> Database:
    """``open_database`` on a copy of the template for ``demo`` at ``target``."""
    from sotay_desktop.db.engine import open_database

    return open_database(copy_of(target, **demo))


def enrolled_pair(server_url: str, code: Callable[[], str], folder: Path,
                  **demo: object) -> tuple[Database, Database]:
    """Two PCs of one branch, both enrolled and synced: the first a copy of the demo
    template ``demo``, the second empty, so it holds what it pulled. The caller closes them."""
    from sotay_desktop.services.sync import client as sync_client

    first = open_copy(folder / "pc1", **demo)
    sync_client.enroll(first, server_url, code(), label="PC-1")
    sync_client.run_sync(first)
    second = open_copy(folder / "pc2")
    sync_client.enroll(second, server_url, code(), label="PC-2")
    sync_client.run_sync(second)
    return first, second
