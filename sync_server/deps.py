"""The routes' dependencies, in FastAPI's ``Annotated`` style (as the full-stack template's
``api/deps.py``): the settings, what this app keeps between requests, the database, and the
two kinds of caller, a branch PC (``DeviceDep``: its bearer token) and a staff member of the
province pages (``StaffDep``: the session cookie).

A caller is checked inside the route's own transaction, opened by the dependency's
``begin()``: the device or the staff session is read in the same transaction as the work it
authorises, and each route keeps its order of refusals (a body too large, a malformed form or
an old protocol is refused before the credential is looked at).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, cast
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from sync_server import admin, files, staff
from sync_server.api import refused
from sync_server.limits import AuditBudget, RateLimiter
from sync_server.models import Device
from sync_server.pages import COOKIE, PREFIX, PageError, Redirect, StaffContext
from sync_server.settings import ServerSettings
from sync_server.storage import FileStore, make_store


@dataclass
class Runtime:
    """What one app keeps between requests (``app.state.runtime``): its settings, the file
    store, the quotas and the rate limit's rule. Nothing a request writes is kept here, so
    any node can answer any request (issue 22): uploads' parts, sessions, form tokens and
    failure counts are in the database, the files in the store. The one exception is a
    courtesy: how often this process writes a lost file or a refusal to the admin log."""

    settings: ServerSettings
    store: FileStore
    quota: files.Quota
    enroll_limit: RateLimiter
    # sha256 -> when its loss was last logged (once an hour per file and process)
    missing_logged: dict[str, float] = field(default_factory=dict)
    # refused requests written to the admin log per client and minute (this process)
    audit_budget: AuditBudget = field(default_factory=AuditBudget)

    @property
    def files_dir(self) -> Path:
        return Path(self.settings.files_dir)

    @classmethod
    def of(cls, settings: ServerSettings) -> Runtime:
        return cls(settings=settings, store=make_store(settings),
                   quota=files.Quota(partial_bytes=settings.device_partial_bytes,
                                     stored_bytes=settings.device_stored_bytes),
                   enroll_limit=RateLimiter("enroll", settings.enroll_per_minute))


def get_runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings(runtime: RuntimeDep) -> ServerSettings:
    return runtime.settings


SettingsDep = Annotated[ServerSettings, Depends(get_settings)]


def get_engine(request: Request) -> Engine:
    return cast(Engine, request.app.state.engine)


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_sessions(request: Request) -> sessionmaker[Session]:
    """The app's session factory (made at start, by the lifespan)."""
    return cast("sessionmaker[Session]", request.app.state.sessions)


SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]


class DeviceAccess:
    """The branch PC calling: its bearer token, checked in the route's transaction."""

    def __init__(self, request: Request, sessions: SessionsDep) -> None:
        self.request = request
        self.sessions = sessions

    @contextmanager
    def begin(self) -> Iterator[tuple[Session, Device]]:
        """One transaction, and the device of the request in it (refused with 401 or 403,
        written to the admin log)."""
        with self.sessions.begin() as session:
            yield session, self.device(session)

    def device(self, session: Session) -> Device:
        request = self.request
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer ") or len(header) > 200:
            raise refused(request, 401, "sync_unauthorized")
        device = admin.device_for_token(session, header[7:].strip())
        if device is None:
            raise refused(request, 401, "sync_unauthorized")
        if device.revoked_at is not None:
            raise refused(request, 403, "sync_device_revoked", device.id)
        return device


def get_device_access(request: Request, sessions: SessionsDep) -> DeviceAccess:
    return DeviceAccess(request, sessions)


DeviceDep = Annotated[DeviceAccess, Depends(get_device_access)]


class StaffAccess:
    """The staff member on a province page: the session cookie, checked in the page's
    transaction. Without a live session a GET goes to the login page (and back after it);
    anything else is refused with a page (nothing is written)."""

    def __init__(self, request: Request, sessions: SessionsDep) -> None:
        self.request = request
        self.sessions = sessions

    @contextmanager
    def begin(self) -> Iterator[StaffContext]:
        with self.sessions.begin() as db:
            yield self.logged_in(db)

    def logged_in(self, db: Session) -> StaffContext:
        request = self.request
        found = staff.session_for(db, request.cookies.get(COOKIE, ""))
        if found is not None:
            return StaffContext(db, *found)
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise Redirect(f"{PREFIX}/login?next={quote(target, safe='')}")
        raise PageError(401, "pages.errors.login_needed", back=f"{PREFIX}/login")


def get_staff_access(request: Request, sessions: SessionsDep) -> StaffAccess:
    return StaffAccess(request, sessions)


StaffDep = Annotated[StaffAccess, Depends(get_staff_access)]
