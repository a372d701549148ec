"""A real sync server on loopback (uvicorn in a subprocess) and helpers around it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import pytest
import requests
from sqlalchemy.orm import Session

from sync_server import admin
from sync_server.db import make_engine, upgrade

ROOT = Path(__file__).parents[1]
PG_URL = os.environ.get("SOTAY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def api_routes(app: Any) -> Iterator[Any]:
    """Every ``APIRoute`` of ``app``, whether FastAPI keeps included routers flat (before
    0.13x) or as included-router nodes (``iter_route_contexts``)."""
    from fastapi.routing import APIRoute

    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # an older FastAPI: the routes are copied into the app's list
        yield from (route for route in app.routes if isinstance(route, APIRoute))
        return
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context.original_route


def migrated_server_db(folder: Path, fill: Callable[[Session], T]) -> tuple[Path, T]:
    """A SQLite server database in ``folder``, migrated and filled once by ``fill`` (in one
    transaction), for fixtures that copy it per test."""
    path = folder / "server.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as s, s.begin():
        filled = fill(s)
    engine.dispose()
    return path, filled


def database_url(backend: str, tmp: Path, *, reset: bool = True) -> str:
    """The server database for a parametrised test: a SQLite file in ``tmp``, or the local
    PostgreSQL (emptied), which CI must have; elsewhere its absence skips the test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'server.db'}"
    if not pg_reachable():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL must be reachable in CI")
        pytest.skip("PostgreSQL not reachable")
    if reset:
        reset_pg(PG_URL)
    return PG_URL


def reset_pg(url: str) -> None:
    """An empty schema for one test run."""
    from sqlalchemy import text

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@dataclass
class Server:
    url: str
    db_url: str
    files_dir: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)   # settings of a test's own

    def start(self) -> None:
        env = os.environ | {"SOTAY_SERVER_DB": self.db_url,
                            "SOTAY_SERVER_FILES_DIR": str(self.files_dir),
                            "SOTAY_SERVER_ENROLL_PER_MINUTE": "1000"} | self.extra_env
        assert self.log_path is not None
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sync_server.cli", "serve", "--port", str(self.port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(self.log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self, *, kill: bool = False) -> None:
        if self.proc is None:
            return
        if kill:
            self.proc.kill()
        else:
            self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        engine = make_engine(self.db_url)
        try:
            with Session(engine) as s, s.begin():
                yield s
        finally:
            engine.dispose()

    def tree(self, branches: int = 1) -> list[str]:
        """A province → commune → N branches; returns the branch ids."""
        with self.session() as s:
            p = admin.add_unit(s, name="Tỉnh Thử Nghiệm", level="province", parent_id=None)
            c = admin.add_unit(s, name="Đảng ủy xã Hòa Bình", level="commune", parent_id=p.id)
            return [admin.add_unit(s, name=f"Chi bộ thôn {i + 1}", level="branch",
                                   parent_id=c.id).id for i in range(branches)]

    def code(self, unit_id: str, label: str = "") -> str:
        with self.session() as s:
            return admin.enroll_device(s, unit_id=unit_id, label=label).code


@contextlib.contextmanager
def running_server(tmp: Path, db_url: str | None = None) -> Iterator[Server]:
    port = free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{tmp / 'server.db'}"
    if url.startswith("postgresql"):
        reset_pg(url)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    server = Server(f"http://127.0.0.1:{port}", url, tmp / "files", port,
                    log_path=tmp / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def server_fixture(*, scope: Literal["function", "module"] = "function",
                   backends: Sequence[Any] | None = None) -> Any:
    """The ``server`` fixture of a test module, one line there::

        server = server_fixture(scope="module", backends=BACKENDS)

    A real server (uvicorn on loopback, its database migrated, its own files folder), made for
    each test or once for the module's tests; on SQLite alone (``backends`` None: the test ids
    carry no backend), or once per backend of ``backends`` (``BACKENDS``: SQLite and
    PostgreSQL, the latter emptied first)."""

    @pytest.fixture(scope=scope, params=None if backends is None else list(backends),
                    name="server")
    def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Server]:
        backend = getattr(request, "param", "sqlite")
        tmp = tmp_path_factory.mktemp(f"srv-{backend}")
        url = database_url(backend, tmp, reset=False)  # running_server empties it
        with running_server(tmp, url) as srv:
            yield srv

    return server


def digest(db: Any) -> str:
    """What a replica holds, independent of local bookkeeping (ids, fields, deleted)."""
    return hashlib.sha256(json.dumps(replica(db), ensure_ascii=False, default=str).encode()
                          ).hexdigest()


def replica_diff(a: Any, b: Any) -> list[str]:
    """Where two replicas differ, row by row (for a failing convergence assertion)."""
    one, two = replica(a), replica(b)
    out = []
    for entity in sorted(set(one) | set(two)):
        left = {row[0]: row for row in one.get(entity, [])}
        right = {row[0]: row for row in two.get(entity, [])}
        for row_id in sorted(set(left) | set(right)):
            if left.get(row_id) != right.get(row_id):
                out.append(f"{entity} {row_id}: {left.get(row_id)} != {right.get(row_id)}")
    return out


def replica(db: Any) -> dict[str, Any]:
    """What a replica holds, entity by entity (rows as lists, sorted by id)."""
    from sotay_core.protocol.entities import ENTITIES
    from sotay_desktop.services.sync.rows import TABLES

    out: dict[str, Any] = {}
    with db.reads() as session:
        for entity, cls in TABLES.items():
            spec = ENTITIES[entity]
            rows = session.query(cls).order_by(cls.id).all()
            out[entity] = [
                [r.id, bool(r.deleted), *[_plain(getattr(r, f)) for f in sorted(spec.fields)
                                          if f not in spec.wire_only]]
                for r in rows if not (entity == "org_units" and r.version == 0)]
    return out


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (uvicorn's workers)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB (from /proc)."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total
