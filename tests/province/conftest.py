"""Fixtures of the province page tests (issue 7): the server on SQLite and PostgreSQL, with
branch data pushed the way it arrives in life, by enrolled branch PCs through ``/api/v1/sync``.
"""

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
from tests.province.support import THIS_MONTH, TODAY, Branch, make_tree
from tests.sync_support import BACKENDS, database_url, migrated_server_db


@pytest.fixture(scope="package")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory
                    ) -> tuple[Path, dict[str, str], dict[str, str]]:
    """The SQLite server database migrated with the tree once for all the province page tests
    (two Argon2 hashes alone cost a quarter of a second); each SQLite test gets a copy."""
    path, (ids, codes) = migrated_server_db(tmp_path_factory.mktemp("pages-template"),
                                            make_tree)
    return path, ids, codes


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    tree: tuple[dict[str, str], dict[str, str]] | None = None
    if request.param == "sqlite":
        template, *copied = request.getfixturevalue("sqlite_template")
        shutil.copy(template, tmp_path / "server.db")
        tree = copied[0], copied[1]
    url = database_url(request.param, tmp_path)
    settings = ServerSettings(db=url, files_dir=str(tmp_path / "files"),
                              publish_max_bytes=200_000)
    app = create_app(settings)
    with TestClient(app) as client:
        if tree is None:
            with Session(app.state.engine) as s, s.begin():
                tree = make_tree(s)
        ids, codes = tree
        branches = {}
        for unit_id, code in codes.items():
            r = client.post("/api/v1/enroll", json={"code": code, "label": "PC"})
            assert r.status_code == 200, r.text
            branches[unit_id] = Branch(client, unit_id, r.json()["token"])
        one = branches[ids["b1"]]
        an = one.member("Nguyễn Văn An")
        # admitted after her birth: the server refuses a history that cannot have happened
        binh = one.member("Trần Thị Bình", gender="female", born="1990-03-03",
                          events=(("admitted", "2015-01-01"), ("made_official", "2016-01-02")))
        cuong = one.member("Hoàng Văn Cường", ethnicity="Tày",
                           events=(("admitted", TODAY.replace(day=1).isoformat()),))
        one.member("Phạm Văn Mất", events=(("admitted", "1970-01-01"),
                                            ("deceased", "2020-01-01")))
        meeting = one.meeting(THIS_MONTH, {an: "present", binh: "present",
                                           cuong: "absent_excused"})
        draft = one.resolution(meeting, "draft", "Nghị quyết tháng (dự thảo)")
        adopted = one.resolution(meeting, "adopted", "Nghị quyết về làm đường")
        three = branches[ids["b3"]]
        three.member("Lò Văn Sáu", ethnicity="Thái")
        yield {"client": client, "app": app, "ids": ids, "branches": branches,
               "draft": draft, "adopted": adopted, "meeting": meeting, "tmp": tmp_path,
               "settings": settings}
