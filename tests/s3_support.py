"""A real S3 endpoint for the tests: moto's standalone server, started as its own process on
loopback (``python -m moto.server``), speaking the S3 protocol over HTTP as MinIO or Ceph
would. Each test gets a bucket of its own.

Without moto (a machine set up without the dev extra) the tests skip; in CI (``CI`` set) its
absence fails them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

KEY = "testing"


@dataclass(frozen=True)
class S3:
    endpoint: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=KEY, aws_secret_access_key=KEY)

    def new_bucket(self) -> str:
        name = f"sotay-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def settings(self, bucket: str) -> dict[str, str]:
        """The server settings that put its files in ``bucket`` (and uploads' parts in the
        database, the default with s3)."""
        return {"storage": "s3", "s3_endpoint": self.endpoint, "s3_bucket": bucket,
                "s3_access_key": KEY, "s3_secret_key": KEY}

    def environ(self, bucket: str) -> dict[str, str]:
        return {f"SOTAY_SERVER_{k.upper()}": v for k, v in self.settings(bucket).items()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("moto's server stopped at start")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError("moto's server did not start")


@contextlib.contextmanager
def moto_server() -> Iterator[S3]:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("boto3 and moto[server] must be installed in CI (the dev extra)")
        pytest.skip("boto3 or moto[server] not installed")
    port = free_port()
    env = os.environ | {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": KEY,
                        "AWS_DEFAULT_REGION": "us-east-1"}
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                "-p", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait(port, process)
        yield S3(f"http://127.0.0.1:{port}", process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def two_nodes(s3: S3, db_url: str, tmp: Path, *, branches: int = 2, **settings: Any
              ) -> Iterator[dict[str, Any]]:
    """Two app instances as two nodes (their own folders, one database and one fresh bucket),
    a commune with ``branches`` branches, one PC enrolled in each: ``nodes`` (two test
    clients), ``apps``, ``tokens`` and ``units`` (one per branch), ``bucket``."""
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from sync_server import admin
    from sync_server.app import create_app
    from sync_server.settings import ServerSettings

    bucket = s3.new_bucket()
    apps = [create_app(ServerSettings(db=db_url, files_dir=str(tmp / f"node{i}"),
                                      **(settings | s3.settings(bucket))))
            for i in (1, 2)]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        with Session(apps[0].state.engine) as s, s.begin():
            p = admin.add_unit(s, name="Tỉnh", level="province", parent_id=None)
            c = admin.add_unit(s, name="Xã", level="commune", parent_id=p.id)
            made = [admin.add_unit(s, name=f"Chi bộ {chr(65 + n)}", level="branch",
                                   parent_id=c.id) for n in range(branches)]
            codes = [admin.enroll_device(s, unit_id=u.id).code for u in made]
            units = tuple(u.id for u in made)
        tokens = [one.post("/api/v1/enroll", json={"code": code}).json()["token"]
                  for code in codes]
        yield {"nodes": (one, two), "apps": apps, "tokens": tokens, "bucket": bucket,
               "units": units}
