"""A branch PC enrols with a one-time code and receives its device token."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sotay_core.protocol import ROUTE_ENROLL, EnrollRequest, EnrollResponse
from sync_server import admin
from sync_server.api import ApiError, check_protocol, errors, now_iso
from sync_server.deps import RuntimeDep, SessionsDep

router = APIRouter()


@router.post(ROUTE_ENROLL, response_model=EnrollResponse,
             responses=errors(400, 409, 413, 422, 429))
def enroll(body: EnrollRequest, request: Request, sessions: SessionsDep, runtime: RuntimeDep
           ) -> EnrollResponse:
    client = request.client.host if request.client else "?"
    with sessions.begin() as session:
        blocked = runtime.enroll_limit.blocked(session, client)
    if blocked:
        raise ApiError(429, "sync_too_many_attempts")
    check_protocol(body.protocol, None)
    failure: admin.AdminError | None = None
    with sessions.begin() as session:
        try:
            with session.begin_nested():
                cred = admin.redeem_code(session, body.code, label=body.label,
                                         mutation_floor=body.mutation_floor)
        except admin.AdminError as exc:
            runtime.enroll_limit.failed(session, client)
            failure = exc
    if failure is not None:
        raise ApiError(400, failure.code)
    return EnrollResponse(device_id=cred.device.id, token=cred.token,
                          unit_id=cred.unit.id, unit_name=cred.unit.name,
                          server_time=now_iso())
