"""The server behind PgBouncer in transaction mode (issue 22, "Capacity on paper": N nodes ×
workers × pool connections exceed PostgreSQL's max_connections; PgBouncer lets them share a
few). PgBouncer from Debian, started by the test; in transaction mode it keeps neither
prepared statements nor startup options between transactions.

Without ``SOTAY_SERVER_DB_PGBOUNCER`` the server cannot even connect through it (its startup
option is refused); with it, enrolment, pushes and pulls run again and again (past psycopg's
fifth run of a statement, when it would prepare it) and the province page answers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sotay_core.protocol import PROTOCOL_VERSION, SCHEMA_VERSIONS
from sync_server import admin
from sync_server.app import create_app
from sync_server.db import make_engine
from sync_server.settings import ServerSettings
from tests.s3_support import free_port
from tests.sync_support import pg_reachable, reset_pg

pytestmark = [pytest.mark.server, pytest.mark.postgres]
DB = "test_pgbouncer"


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} must be available in CI")
    pytest.skip(f"{what} not available")


@pytest.fixture
def bouncer() -> Iterator[str]:
    exe = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(exe).exists():
        _missing("pgbouncer (Debian package pgbouncer)")
    if not pg_reachable():
        _missing("PostgreSQL")
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc",
                    f"CREATE DATABASE {DB}"], capture_output=True, check=False)
    reset_pg(f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB}")
    port = free_port()
    # PgBouncer runs as postgres when the tests run as root: a folder it can reach (pytest's
    # own are private to root).
    tmp_path = Path(tempfile.mkdtemp(prefix="sotay-pgbouncer-"))
    tmp_path.chmod(0o777)
    (tmp_path / "users.txt").write_text('"postgres" ""\n')
    config = tmp_path / "pgbouncer.ini"
    config.write_text(f"""[databases]
{DB} = host=127.0.0.1 port=5432 dbname={DB}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {tmp_path / 'users.txt'}
pool_mode = transaction
default_pool_size = 4
logfile = {tmp_path / 'pgbouncer.log'}
""")
    for path in tmp_path.iterdir():
        path.chmod(0o644)
    command = [exe, str(config)]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres"]   # it refuses to run as root
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                _missing("a running pgbouncer")
            time.sleep(0.1)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DB}"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_without_the_setting_the_startup_option_is_refused(bouncer: str) -> None:
    engine = make_engine(bouncer)
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()


def test_the_server_works_through_pgbouncer(bouncer: str, tmp_path: Path) -> None:
    settings = ServerSettings(db=bouncer, db_pgbouncer=True, db_pool_size=2,
                              db_max_overflow=0, files_dir=str(tmp_path / "files"))
    app = create_app(settings)
    with TestClient(app) as client:
        with Session(app.state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
            b = admin.add_unit(s, name="Chi bộ", level="branch", parent_id=c.id)
            code = admin.enroll_device(s, unit_id=b.id).code
            branch = b.id
        token = client.post("/api/v1/enroll", json={"code": code}).json()["token"]
        cursor = 0
        for n in range(1, 13):
            body = {"protocol": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSIONS[-1],
                    "cursors": {branch: cursor}, "mutations": [{
                        "id": n, "entity": "members", "row_id": new_id(), "op": "create",
                        "base_version": 0, "schema_version": SCHEMA_VERSIONS[-1],
                        "fields": {"unit_id": branch, "full_name": f"Đảng viên {n}",
                                   "gender": "male", "date_of_birth": "1950-05-01",
                                   "ethnicity": "Kinh"}}]}
            r = client.post("/api/v1/sync", json=body,
                            headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.text
            answer = r.json()
            assert answer["results"][0]["status"] == "applied"
            cursor = answer["cursors"][branch]
        assert cursor >= 12
        assert client.get("/healthz").json()["database"] == "ok"
