"""Is the server up and its database reachable; what protocol it speaks."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
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
from sync_server.deps import EngineDep, RuntimeDep
from sync_server.storage import FileError

router = APIRouter()


@router.get(ROUTE_HEALTH, responses=errors(503))
def health(engine: EngineDep, runtime: RuntimeDep) -> Response:
    """What a load balancer asks each node, and what it answers about the database and the
    file storage. Without the database a node can do nothing: 503, and the balancer sends
    it no more requests. Without the storage it still syncs every record (files wait for a
    later sync, with their own codes): 200 with ``status: degraded``, since the storage is
    shared and taking every node out would stop the records too."""
    report = {"status": "ok", "database": "ok", "storage": "ok"}
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        report["database"] = "unreachable"
    try:
        runtime.store.blobs.ready()
    except FileError as exc:
        report["storage"] = exc.code.removeprefix("sync_storage_")
    healthy = report["database"] == "ok"
    if not healthy:
        report["status"] = "unavailable"
    elif report["storage"] != "ok":
        report["status"] = "degraded"
    return JSONResponse(report, status_code=200 if healthy else 503,
                        headers={"Cache-Control": "no-store"})


@router.get(ROUTE_INFO, response_model=ServerInfo)
def info(engine: EngineDep) -> ServerInfo:
    return ServerInfo(
        protocol_version=PROTOCOL_VERSION,
        min_protocol_version=MIN_PROTOCOL_VERSION,
        server_time=now_iso(),
        database=engine.dialect.name,
    )
