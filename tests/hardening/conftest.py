"""Fixtures of the server hardening tests (issue 17, part 5): the server on SQLite and
PostgreSQL with a province, its staff user and an enrolled branch PC."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sync_server.app import create_app
from sync_server.settings import ServerSettings
from tests.hardening.support import fill
from tests.sync_support import BACKENDS, database_url, migrated_server_db


@pytest.fixture(scope="package")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    """The SQLite server database migrated and filled once for all the hardening tests (the
    password hash alone costs a tenth of a second); each SQLite test gets a copy."""
    path, (branch, codes) = migrated_server_db(tmp_path_factory.mktemp("hardening-template"),
                                               fill)
    return path, branch, codes


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    copy: tuple[str, list[str]] | None = None
    if request.param == "sqlite":
        template, branch, codes = request.getfixturevalue("sqlite_template")
        shutil.copy(template, tmp_path / "server.db")
        copy = branch, codes
    url = database_url(request.param, tmp_path)
    app = create_app(ServerSettings(db=url, files_dir=str(tmp_path / "files")))
    # A server error becomes an answer (500), as a real client would see it.
    with TestClient(app, raise_server_exceptions=False) as client:
        if copy is None:
            with Session(app.state.engine) as s, s.begin():
                copy = fill(s)
        branch, codes = copy
        token = client.post("/api/v1/enroll", json={"code": codes[0]}).json()["token"]
        yield {"client": client, "app": app, "branch": branch, "token": token,
               "codes": codes[1:], "tmp": tmp_path}
