"""What the JSON routes share: the refusal (``ApiError``, answered as an ``ErrorBody`` with a
stable code the desktop translates), the body read with a size cap (compressed and
decompressed, so a zip bomb costs nothing but the refusal), the protocol check, and the
answer gzipped when the client accepts it."""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sotay_core.protocol import (
    MAX_BODY_BYTES,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    SCHEMA_VERSIONS,
    ErrorBody,
    GzipRefused,
    GzipTooLarge,
    gunzip,
)
from sync_server import admin, files

log = logging.getLogger("sotay.server")


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(code)
        self.status = status
        self.body = ErrorBody(code=code, detail=detail, params=params)
        self.audit: dict[str, str] | None = None


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses: every refusal is an ErrorBody."""
    return {code: {"model": ErrorBody} for code in codes}


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def refused(request: Request, status: int, code: str, device: str = "") -> ApiError:
    """An authorisation failure; the error handler writes it to the admin log once the
    request's own transaction is over (SQLite has one writer)."""
    error = ApiError(status, code)
    client = request.client.host if request.client else "?"
    error.audit = {"actor": f"ip:{client}", "path": request.url.path,
                   "method": request.method, "code": code, "device": device}
    return error


def check_protocol(protocol: int, schema_version: str | None) -> None:
    if not MIN_PROTOCOL_VERSION <= protocol <= PROTOCOL_VERSION or (
        schema_version is not None and schema_version not in SCHEMA_VERSIONS
    ):
        raise ApiError(409, "sync_upgrade_required", protocol=PROTOCOL_VERSION,
                       min_protocol=MIN_PROTOCOL_VERSION, schema_versions=SCHEMA_VERSIONS)


async def read_body(request: Request, *, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes (counted as it arrives)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "sync_too_large", limit=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "sync_too_large", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(raw: bytes, encoding: str | None) -> bytes:
    if not encoding or encoding == "identity":
        if len(raw) > MAX_BODY_BYTES:
            raise ApiError(413, "sync_too_large", limit=MAX_BODY_BYTES)
        return raw
    if encoding != "gzip":
        raise ApiError(415, "sync_bad_encoding", encoding=encoding)
    try:
        return gunzip(raw, MAX_BODY_BYTES)
    except GzipTooLarge:
        raise ApiError(413, "sync_too_large", limit=MAX_BODY_BYTES) from None
    except GzipRefused as exc:  # corrupt, cut before its trailer, or junk after it
        raise ApiError(400, "sync_bad_payload", detail=str(exc)) from None


_RANGE = re.compile(r"bytes=([0-9]{1,19})?-([0-9]{1,19})?")  # ASCII digits only


def usable_range(header: str, size: int) -> str | None:
    """The Range header to honour as it is, ``None`` to ignore it (send the whole file, as
    RFC 9110 asks of a Range a server does not understand: other units, several ranges,
    numbers past 19 digits, an end before the start, junk), or ``"unsatisfiable"`` (416)
    for a well-formed range that starts at or past the end of the file."""
    found = _RANGE.fullmatch(header.replace(" ", ""))
    if found is None or (found[1] is None and found[2] is None):
        return None
    start, end = found[1], found[2]
    if start is not None and end is not None and int(end) < int(start):
        return None
    if start is not None:
        return "unsatisfiable" if int(start) >= size else header
    return "unsatisfiable" if size == 0 or int(end or 0) == 0 else header


def json_response(model: BaseModel, request: Request, status: int = 200) -> Response:
    payload = model.model_dump_json().encode()
    headers: dict[str, str] = {}
    if len(payload) > 256 and "gzip" in request.headers.get("accept-encoding", ""):
        payload = gzip.compress(payload, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return Response(payload, status_code=status, media_type="application/json", headers=headers)


def _write_audit(sessions: sessionmaker[Session], audit: dict[str, str]) -> None:
    try:
        with sessions.begin() as session:
            admin.log_action(session, audit.pop("actor"), "auth_refused", **audit)
    except SQLAlchemyError:
        log.exception("could not audit a refused request")


def install_handlers(app: FastAPI) -> None:
    """The JSON routes' refusals, as ErrorBody."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        host = request.client.host if request.client else "?"
        if exc.audit and request.app.state.runtime.audit_budget.allow(host):
            await run_in_threadpool(_write_audit, request.app.state.sessions, dict(exc.audit))
        return JSONResponse(exc.body.model_dump(), status_code=exc.status)

    @app.exception_handler(files.FileError)
    async def _file_error(_request: Request, exc: files.FileError) -> JSONResponse:
        return JSONResponse(ErrorBody(code=exc.code).model_dump(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        body = ErrorBody(code="sync_bad_payload", detail=str(exc.errors()[:3])[:500])
        return JSONResponse(body.model_dump(), status_code=422)
