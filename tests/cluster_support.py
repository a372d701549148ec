"""Two server nodes behind a real load balancer (issue 22): one PostgreSQL database, one S3
bucket (moto's standalone server), two ``sotay-server serve`` processes, each in its own empty
working folder, and HAProxy from Debian balancing them round-robin per request, with active
health checks on ``/healthz``.

HAProxy adds ``X-Node: n1|n2`` to every answer, so a test knows which node served each request;
its stats socket says which nodes it counts as up and how many requests each one got.

Without haproxy, moto or PostgreSQL the tests skip; in CI (``CI`` set) their absence fails them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sync_server.db import make_engine, upgrade
from tests.s3_support import S3, moto_server
from tests.sync_support import PG_URL, ROOT, Server, free_port, pg_reachable, reset_pg

HAPROXY_CFG = """\
global
    maxconn 2000
    stats socket {socket} mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout check 2s
    retries 2
    option redispatch 1
frontend sotay
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter {inter}ms fastinter {inter}ms downinter {inter}ms fall 2 rise 1
    http-response set-header X-Node %[srv_name]
{servers}
"""


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def cluster_db_url() -> str:
    """A private database beside the test one (``test_cluster``), created if missing."""
    if not pg_reachable():
        _skip_or_fail("PostgreSQL not reachable")
    url = make_url(PG_URL)
    name = f"{url.database or 'test'}_cluster"
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@dataclass
class Node:
    """One server process in its own empty folder (working directory, files, scratch, state)."""

    name: str
    port: int
    folder: Path
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.launch()
        self.wait()

    def launch(self) -> None:
        for sub in ("files", "work", "state"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        env = os.environ | self.env | {
            "SOTAY_SERVER_FILES_DIR": str(self.folder / "files"),
            "SOTAY_SERVER_WORK_DIR": str(self.folder / "work"),
            "STATE_DIRECTORY": str(self.folder / "state"),
            "PYTHONPATH": str(ROOT)}
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sync_server.cli", "serve", "--port", str(self.port)],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)

    def wait(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            if self.proc.poll() is not None:
                raise RuntimeError(self.log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        raise RuntimeError(f"node {self.name} did not start")

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    def kill(self) -> None:
        """``kill -9``: no shutdown, no cleanup, connections cut."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            self.proc = None

    def stored_files(self) -> list[Path]:
        """Every file the node left in its own folder (a stateless node leaves none)."""
        return [p for p in self.folder.rglob("*") if p.is_file()]


@dataclass
class Balancer:
    port: int
    socket_path: Path
    proc: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.socket_path))
            s.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self) -> dict[str, dict[str, str]]:
        """The backend's servers as HAProxy sees them: ``status`` (UP, DOWN…), ``stot``
        (requests sent), ``scur`` (in flight)."""
        lines = self.command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        out = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "nodes" and row.get("svname") not in ("BACKEND", None):
                out[row["svname"]] = row
        return out

    def wait_status(self, name: str, wanted: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.stats()[name]["status"].startswith(wanted):
                return
            time.sleep(0.05)
        raise AssertionError(f"{name} not {wanted}: {self.stats()[name]['status']}")


@dataclass
class Cluster:
    db_url: str
    s3: S3
    bucket: str
    nodes: list[Node]
    balancer: Balancer
    admin: Server = field(init=False)

    def __post_init__(self) -> None:
        # For the helpers that write straight to the database (units, enrolment codes).
        self.admin = Server(self.url, self.db_url, Path(os.devnull), self.balancer.port)

    @property
    def url(self) -> str:
        return self.balancer.url

    def node(self, name: str) -> Node:
        return next(n for n in self.nodes if n.name == name)

    def restart(self, name: str) -> None:
        """A killed node back, from an empty folder; waits until the balancer counts it."""
        node = self.node(name)
        node.kill()
        shutil.rmtree(node.folder, ignore_errors=True)
        node.start()
        self.balancer.wait_status(name, "UP")


def _haproxy(tmp: Path, nodes: list[Node], inter_ms: int) -> Balancer:
    port = free_port()
    sock = tmp / "haproxy.sock"
    servers = "\n".join(f"    server {n.name} 127.0.0.1:{n.port} check" for n in nodes)
    cfg = tmp / "haproxy.cfg"
    cfg.write_text(HAPROXY_CFG.format(socket=sock, port=port, inter=inter_ms, servers=servers))
    with (tmp / "haproxy.log").open("ab") as log:
        proc = subprocess.Popen(["haproxy", "-f", str(cfg), "-db"], stdout=log,
                                stderr=subprocess.STDOUT)
    balancer = Balancer(port, sock, proc)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((tmp / "haproxy.log").read_text(errors="replace")[-2000:])
        with contextlib.suppress(OSError):
            if all(s["status"].startswith("UP") for s in balancer.stats().values()):
                return balancer
        time.sleep(0.05)
    raise RuntimeError("haproxy did not see its nodes up")


@contextlib.contextmanager
def running_cluster(tmp: Path, count: int = 2, *, inter_ms: int = 300, fresh: bool = True,
                    extra_env: dict[str, str] | None = None) -> Iterator[Cluster]:
    """``count`` nodes behind HAProxy; the database emptied and migrated once (as a rolling
    upgrade does: ``sotay-server migrate``, then nodes with SOTAY_SERVER_AUTO_MIGRATE=false),
    or used as it is (``fresh`` false: filled and migrated by the caller)."""
    if shutil.which("haproxy") is None:
        _skip_or_fail("haproxy not installed (Debian package haproxy, make system-deps-test)")
    url = cluster_db_url()
    with moto_server() as s3:
        bucket = s3.new_bucket()
        if fresh:
            reset_pg(url)
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
        env = s3.environ(bucket) | {"SOTAY_SERVER_DB": url,
                                    "SOTAY_SERVER_AUTO_MIGRATE": "false",
                                    "SOTAY_SERVER_ENROLL_PER_MINUTE": "1000",
                                    **(extra_env or {})}
        nodes = [Node(f"n{i}", free_port(), tmp / f"node{i}", env, tmp / f"node{i}.log")
                 for i in range(1, count + 1)]
        balancer: Balancer | None = None
        try:
            for node in nodes:
                node.launch()
            for node in nodes:
                node.wait()
            balancer = _haproxy(tmp, nodes, inter_ms)
            yield Cluster(url, s3, bucket, nodes, balancer)
        finally:
            if balancer is not None:
                balancer.proc.terminate()
                balancer.proc.wait(10)
            for node in nodes:
                node.stop()
