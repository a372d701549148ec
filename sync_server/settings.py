"""Server settings from the environment (SOTAY_SERVER_*), validated at start."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("sotay.server")

# The folder older versions kept files in, relative to the working directory.
LEGACY_FILES_DIR = "sotay-server-files"


def default_data_dir() -> Path:
    """The server's own data folder: systemd's ``StateDirectory=`` when the unit sets one
    (``$STATE_DIRECTORY``, e.g. /var/lib/sotay-server), else the server user's data folder
    (platformdirs: ``~/.local/share/sotay-server`` on Linux). Never the working directory."""
    state = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
    if state:
        return Path(state)
    from platformdirs import user_data_path

    return user_data_path("sotay-server", appauthor=False)


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOTAY_SERVER_", extra="ignore")

    # SQLite file by default; PostgreSQL for real deployments, e.g.
    # postgresql+psycopg://sotay@127.0.0.1/sotay
    db: str = "sqlite:///sotay-server.db"
    # PostgreSQL connections per process: at most pool + overflow (docs/install.md, "Capacity
    # on paper": nodes × workers × that must stay under max_connections, or use PgBouncer).
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_max_overflow: int = Field(default=20, ge=0, le=200)
    # Behind PgBouncer in transaction mode: no prepared statements, no startup options.
    db_pgbouncer: bool = False
    host: str = "127.0.0.1"
    # The addresses of the balancers or proxies whose X-Forwarded-For is believed (comma
    # separated, or "*"): behind one, every request comes from its address, and the limits
    # counted per client address (enrolment codes, staff logins) would count all PCs as one.
    forwarded_allow_ips: str = "127.0.0.1"
    port: int = 8765
    # Where uploaded and published files are kept (by SHA-256). Empty: ``<data dir>/files``
    # (see ``default_data_dir``), an absolute path whatever folder the server starts in.
    files_dir: str = ""
    # Where the files' bytes live (docs/install.md, "Several nodes"): ``folder`` (files_dir,
    # the embedded default, one node) or ``s3`` (an S3-compatible object store every node
    # shares; needs the [s3] extra).
    storage: Literal["folder", "s3"] = "folder"
    s3_endpoint: str = ""        # e.g. http://minio.lan:9000; empty: AWS's own
    s3_bucket: str = "sotay-files"
    s3_prefix: str = ""
    s3_region: str = "us-east-1"
    s3_access_key: str = ""      # empty: boto3's usual sources (environment, files, role)
    s3_secret_key: str = ""
    # Where unfinished uploads' parts are kept: ``database`` (every node sees them), or
    # ``folder`` (files_dir/partial, one node); ``auto``: the database with s3.
    uploads: Literal["auto", "folder", "database"] = "auto"
    # This node's own scratch folder (a document being published); empty: files_dir/incoming.
    work_dir: str = ""
    # Unfinished uploads not touched for this many hours are removed (at start and by
    # ``sotay-server cleanup``).
    partial_max_age_hours: float = Field(default=48.0, gt=0)
    # Each device's quotas: bytes of unfinished uploads, and bytes of files its uploads
    # brought in. Past them an upload answers 507 sync_quota_exceeded.
    device_partial_bytes: int = Field(default=512 * 2**20, ge=0)
    device_stored_bytes: int = Field(default=4 * 2**30, ge=0)
    # Enrolment attempts per client address per minute (guessing codes).
    enroll_per_minute: int = 10
    # Bring the schema up to date at start (off: run ``sotay-server migrate`` yourself).
    auto_migrate: bool = True
    # The largest document the province pages accept for publishing.
    publish_max_bytes: int = 100 * 2**20
    # Send the staff login cookie over HTTPS only (set true behind the TLS proxy).
    cookie_secure: bool = False

    @model_validator(mode="after")
    def _resolve_files_dir(self) -> ServerSettings:
        if not self.files_dir:
            legacy = Path(LEGACY_FILES_DIR)
            if legacy.is_dir() and any(len(p.name) == 2 and p.is_dir()
                                       for p in legacy.iterdir()):  # stored files in it
                # An install from before the default moved: keep serving its files (moving
                # them is the admin's step, docs/install.md), and say so at every start.
                log.warning("files kept in %s (the old default, relative to the working "
                            "folder); set SOTAY_SERVER_FILES_DIR to an absolute path",
                            legacy.resolve())
                self.files_dir = str(legacy.resolve())
            else:
                self.files_dir = str(default_data_dir() / "files")
        return self
