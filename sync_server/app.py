"""``create_app(settings)``: the app factory. No engine is created at import time."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from sotay_desktop.protocol import (
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    ROUTE_HEALTH,
    ROUTE_INFO,
    ServerInfo,
)
from sync_server.settings import ServerSettings


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.db, pool_pre_ping=True)
        app.state.engine = engine
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(title="Sổ tay sync server", version=str(PROTOCOL_VERSION), lifespan=lifespan)

    @app.get(ROUTE_HEALTH)
    def health(request: Request) -> dict[str, str]:
        try:
            with request.app.state.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise HTTPException(503, "database unreachable") from exc
        return {"status": "ok"}

    @app.get(ROUTE_INFO, response_model=ServerInfo)
    def info(request: Request) -> ServerInfo:
        return ServerInfo(
            protocol_version=PROTOCOL_VERSION,
            min_protocol_version=MIN_PROTOCOL_VERSION,
            server_time=dt.datetime.now(dt.UTC).isoformat(),
            database=request.app.state.engine.dialect.name,
        )

    return app
