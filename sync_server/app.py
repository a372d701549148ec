"""``create_app(settings)``: the app factory. No engine is created at import time.

The factory builds what the app keeps between requests (``deps.Runtime``), adds the body-size
middleware and the error handlers, and includes the routers (``sync_server/routers``): the JSON
API of the branch PCs, whose every refusal is an ``ErrorBody`` with a stable code the desktop
translates, and the province pages.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from sotay_core.protocol import MAX_WIRE_BYTES, PROTOCOL_VERSION, SyncRequest
from sync_server import api, files, pages, routers
from sync_server.db import make_engine, upgrade
from sync_server.deps import Runtime
from sync_server.limits import BodyLimit
from sync_server.settings import ServerSettings
from sync_server.storage_folder import cleanup_work

log = logging.getLogger("sotay.server")


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()
    runtime = Runtime.of(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.db, pool_size=settings.db_pool_size,
                             max_overflow=settings.db_max_overflow,
                             pgbouncer=settings.db_pgbouncer)
        if settings.auto_migrate:
            try:
                upgrade(engine)
            except SQLAlchemyError:
                # Stay up and say so: /healthz answers 503 until the database is reachable.
                log.exception("database unreachable at start; schema not checked")
        app.state.engine = engine
        app.state.sessions = sessionmaker(engine, expire_on_commit=False)
        store = runtime.store
        age = settings.partial_max_age_hours * 3600
        try:
            if settings.storage == "folder":
                runtime.files_dir.mkdir(parents=True, exist_ok=True)
            if not store.shared:
                # One node on its own folder: its start is the natural time to tidy it.
                with app.state.sessions.begin() as session:
                    removed, freed = files.cleanup(session, store, age)
            else:
                # Shared storage: only this node's own scratch folder. The shared parts and
                # the store's leftovers are the job of ``sotay-server cleanup`` (a timer,
                # docs/install.md), not of every node's start: no network call to the store
                # before the node answers, no nodes deleting the same rows at once.
                removed, freed = cleanup_work(store.work_dir, age)
            if removed:
                log.info("removed %d unfinished uploads (%d bytes)", removed, freed)
        except (OSError, SQLAlchemyError, files.FileError):
            # Stay up: the sync of records needs no files; uploads answer 503 meanwhile,
            # and /healthz says what is wrong.
            log.exception("file storage %s not usable at start", store.where)
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(title="Sổ tay sync server", version=str(PROTOCOL_VERSION), lifespan=lifespan)
    app.state.runtime = runtime
    # The largest legitimate body is a sync request (2 MB on the wire); routes cap lower.
    app.add_middleware(BodyLimit, limit=MAX_WIRE_BYTES,
                       streamed={pages.PUBLISH_PATH: settings.publish_max_bytes + 2**16},
                       html_prefix=pages.PREFIX)
    for router in routers.PAGES:
        app.include_router(router)
    pages.install_handlers(app)

    async def _root(_request: Request) -> Response:
        """The site's address typed into a browser: the province pages (which ask to log in)."""
        return RedirectResponse(f"{pages.PREFIX}/", status_code=303)

    # A plain route (not in the API schema, no credential: it reads nothing).
    app.add_route("/", _root, methods=["GET", "HEAD"], include_in_schema=False)
    api.install_handlers(app)
    for router in routers.API:
        app.include_router(router)

    def openapi() -> dict[str, Any]:
        """The generated schema plus the sync request (read by hand, so not generated)."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            request = SyncRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(request.pop("$defs", {}))
            components["SyncRequest"] = request
            # Our handler answers validation errors with ErrorBody, not FastAPI's default.
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    if "422" in operation.get("responses", {}):
                        operation["responses"]["422"] = {
                            "description": "Refused input", "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
            for unused in ("HTTPValidationError", "ValidationError"):
                components.pop(unused, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
