"""Is the server up and its database reachable; what protocol it speaks."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from sotay_core.protocol import (
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    ROUTE_HEALTH,
    ROUTE_INFO,
    ServerInfo,
)
from sync_server.api import errors, now_iso
from sync_server.deps import EngineDep

router = APIRouter()


@router.get(ROUTE_HEALTH, responses=errors(503))
def health(engine: EngineDep) -> dict[str, str]:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise HTTPException(503, "database unreachable") from exc
    return {"status": "ok"}


@router.get(ROUTE_INFO, response_model=ServerInfo)
def info(engine: EngineDep) -> ServerInfo:
    return ServerInfo(
        protocol_version=PROTOCOL_VERSION,
        min_protocol_version=MIN_PROTOCOL_VERSION,
        server_time=now_iso(),
        database=engine.dialect.name,
    )
