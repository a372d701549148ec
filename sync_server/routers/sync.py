"""The sync of records (push and pull in one request), and the convergence check (R5) with
its repair pull (``sotay_core/protocol/digest.py``)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sotay_core.protocol import MAX_WIRE_BYTES, ROUTE_SYNC, SyncRequest, SyncResponse
from sotay_core.protocol.digest import (
    ROUTE_CHECK,
    ROUTE_REPAIR,
    CheckRequest,
    CheckResponse,
    RepairRequest,
    RepairResponse,
)
from sync_server import convergence, sync
from sync_server.api import ApiError, check_protocol, decode_body, errors, json_response, read_body
from sync_server.deps import DeviceAccess, DeviceDep
from sync_server.models import Device

router = APIRouter()


# The body is read by hand (size caps, gzip), so its schema is added to the OpenAPI by
# ``app.openapi``.
@router.post(ROUTE_SYNC, response_model=SyncResponse,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {
                     "$ref": "#/components/schemas/SyncRequest"}}}}},
             responses=errors(400, 401, 403, 409, 413, 415, 422))
async def sync_route(request: Request, access: DeviceDep) -> Response:
    raw = await read_body(request, limit=MAX_WIRE_BYTES)
    body = decode_body(raw, request.headers.get("content-encoding"))
    try:
        req = SyncRequest.model_validate_json(body)
    except ValidationError as exc:
        raise ApiError(422, "sync_bad_payload",
                       detail=str(exc.errors(include_url=False)[:3])[:500]) from None
    check_protocol(req.protocol, req.schema_version)
    return await _device_work(request, access, lambda s, d: sync.handle(s, d, req))


@router.post(ROUTE_CHECK, response_model=CheckResponse,
             responses=errors(400, 401, 403, 409, 413, 415, 422))
async def check_route(body: CheckRequest, request: Request, access: DeviceDep) -> Response:
    check_protocol(body.protocol, body.schema_version)
    return await _device_work(request, access, lambda s, d: convergence.check(s, d, body))


@router.post(ROUTE_REPAIR, response_model=RepairResponse,
             responses=errors(400, 401, 403, 409, 413, 415, 422))
async def repair_route(body: RepairRequest, request: Request, access: DeviceDep) -> Response:
    check_protocol(body.protocol, body.schema_version)
    return await _device_work(request, access,
                              lambda s, d: convergence.repair_page(s, d, body))


async def _device_work(request: Request, access: DeviceAccess,
                       fn: Callable[[Session, Device], BaseModel]) -> Response:
    """``fn`` in a worker thread, in one transaction, for the device of the request."""

    def work() -> BaseModel:
        with access.begin() as (session, device):
            return fn(session, device)

    return json_response(await run_in_threadpool(work), request)
