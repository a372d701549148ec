"""The server app on SQLite always, and on PostgreSQL when it is reachable (always in CI)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from sotay_core.protocol import PROTOCOL_VERSION, ServerInfo  # noqa: E402
from sync_server.app import create_app  # noqa: E402
from sync_server.settings import ServerSettings  # noqa: E402

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server

PG_URL = os.environ.get("SOTAY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=2
                        ).close()
    except Exception:
        return False
    return True


def _backends() -> list[object]:
    need_pg = os.environ.get("CI") == "true" or os.environ.get("SOTAY_REQUIRE_PG") == "1"
    pg = pytest.param("postgresql", marks=[pytest.mark.postgres] + (
        [] if need_pg or _pg_reachable() else
        [pytest.mark.skip(reason="PostgreSQL not reachable on 127.0.0.1:5432")]))
    return ["sqlite", pg]


@pytest.fixture(params=_backends())
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'server.db'}" if request.param == "sqlite" else PG_URL
    settings = ServerSettings(db=url, files_dir=str(tmp_path / "files"))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_health_and_info(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "storage": "ok"}
    info = ServerInfo.model_validate(client.get("/api/v1/info").json())
    assert info.protocol_version == PROTOCOL_VERSION
    assert info.database in ("sqlite", "postgresql")


def test_unreachable_database_is_a_503_not_a_crash(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"
    settings = ServerSettings(db=url, files_dir=str(tmp_path / "files"))
    with TestClient(create_app(settings)) as test_client:
        response = test_client.get("/healthz")
    assert response.status_code == 503
