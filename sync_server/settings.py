"""Server settings from the environment (SOTAY_SERVER_*), validated at start."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOTAY_SERVER_", extra="ignore")

    # SQLite file by default; PostgreSQL for real deployments, e.g.
    # postgresql+psycopg://sotay@127.0.0.1/sotay
    db: str = "sqlite:///sotay-server.db"
    host: str = "127.0.0.1"
    port: int = 8765
    # Where uploaded and published files are kept (by SHA-256).
    files_dir: str = "sotay-server-files"
    # Enrolment attempts per client address per minute (guessing codes).
    enroll_per_minute: int = 10
    # Bring the schema up to date at start (off: run ``sotay-server migrate`` yourself).
    auto_migrate: bool = True
    # The largest document the province pages accept for publishing.
    publish_max_bytes: int = 100 * 2**20
    # Send the staff login cookie over HTTPS only (set true behind the TLS proxy).
    cookie_secure: bool = False
