"""``create_app(settings)``: the app factory. No engine is created at import time.

Every refusal is a JSON ``ErrorBody`` with a stable code the desktop translates.
The sync body is read with a size cap (compressed and decompressed), so a 2 GB
upload or a zip bomb costs the server nothing but the refusal.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import re
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sotay_core.protocol import (
    MAX_BODY_BYTES,
    MAX_FILE_BYTES,
    MAX_WIRE_BYTES,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    ROUTE_ENROLL,
    ROUTE_FILES,
    ROUTE_HEALTH,
    ROUTE_INFO,
    ROUTE_SYNC,
    ROUTE_UPLOADS,
    SCHEMA_VERSIONS,
    UPLOAD_PART_BYTES,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    GzipRefused,
    GzipTooLarge,
    ServerInfo,
    SyncRequest,
    SyncResponse,
    gunzip,
)
from sotay_core.protocol.digest import (
    ROUTE_CHECK,
    ROUTE_REPAIR,
    CheckRequest,
    CheckResponse,
    RepairRequest,
    RepairResponse,
)
from sync_server import admin, convergence, files, sync
from sync_server.db import make_engine, upgrade
from sync_server.models import Device, FileDownload, StoredFile
from sync_server.settings import ServerSettings

log = logging.getLogger("sotay.server")


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(code)
        self.status = status
        self.body = ErrorBody(code=code, detail=detail, params=params)
        self.audit: dict[str, str] | None = None


class RateLimiter:
    """At most ``limit`` failures per key in any 60 s (in memory: one process)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.events: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, key: str) -> bool:
        now = time.monotonic()
        q = self.events[key]
        while q and now - q[0] > 60:
            q.popleft()
        return len(q) >= self.limit

    def failed(self, key: str) -> None:
        self.events[key].append(time.monotonic())


class BodyLimit:
    """ASGI middleware: no request body past ``limit`` bytes on any route, whether it says its
    length or streams it in chunks. The body is read here (it is at most ``limit``) and handed
    on whole, so the refusal is always the usual ErrorBody with 413, never a parse error."""

    def __init__(self, app: Any, limit: int, streamed: dict[str, int] | None = None,
                 html_prefix: str = "/province") -> None:
        self.app = app
        self.limit = limit
        # Paths whose bodies may be larger (a published document): passed on as they arrive,
        # counted, and cut with ``pages.BodyTooLarge`` past their own limit.
        self.streamed = streamed or {}
        self.html_prefix = html_prefix

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        html = path.startswith(self.html_prefix)
        limit = self.streamed.get(path, self.limit)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, html, limit)
            return
        if path in self.streamed:
            await self.app(scope, _counted(receive, limit), send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)  # the client went away
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await self._refuse(send, html, self.limit)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], then=receive), send)

    async def _refuse(self, send: Any, html: bool, limit: int) -> None:
        if html:
            body = TOO_LARGE_PAGE.format(mb=max(1, limit // 2**20))
            kind = b"text/html; charset=utf-8"
        else:
            body = ErrorBody(code="sync_too_large", params={"limit": limit}).model_dump_json()
            kind = b"application/json"
        data = body.encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind),
                                (b"content-length", str(len(data)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": data})


TOO_LARGE_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Dữ liệu quá lớn</title></head><body><h1>Dữ liệu gửi lên quá lớn</h1>
<p>Giới hạn là {mb} MB. Không có gì được ghi.</p><p><a href="/province/">Về trang chính</a></p>
</body></html>"""


def _counted(receive: Any, limit: int) -> Any:
    size = 0

    async def counting() -> Any:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                from sync_server.pages import BodyTooLarge

                raise BodyTooLarge()
        return message

    return counting


def _replay(messages: list[Any], then: Any = None) -> Any:
    queue = list(messages)

    async def receive() -> Any:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()  # after the body: wait for a disconnect, as the app expects
        return {"type": "http.disconnect"}

    return receive


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses: every refusal is an ErrorBody."""
    return {code: {"model": ErrorBody} for code in codes}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


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


def json_response(model: Any, request: Request, status: int = 200) -> Response:
    payload = model.model_dump_json().encode()
    headers: dict[str, str] = {}
    if len(payload) > 256 and "gzip" in request.headers.get("accept-encoding", ""):
        payload = gzip.compress(payload, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return Response(payload, status_code=status, media_type="application/json", headers=headers)


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()
    files_dir = Path(settings.files_dir)
    quota = files.Quota(partial_bytes=settings.device_partial_bytes,
                        stored_bytes=settings.device_stored_bytes)
    missing_logged: dict[str, float] = {}   # sha256 -> when its loss was last logged
    enroll_limit = RateLimiter(settings.enroll_per_minute)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.db)
        if settings.auto_migrate:
            try:
                upgrade(engine)
            except SQLAlchemyError:
                # Stay up and say so: /healthz answers 503 until the database is reachable.
                log.exception("database unreachable at start; schema not checked")
        try:
            files_dir.mkdir(parents=True, exist_ok=True)
            removed, freed = files.cleanup_partials(files_dir,
                                                    settings.partial_max_age_hours * 3600)
            if removed:
                log.info("removed %d unfinished uploads (%d bytes)", removed, freed)
        except OSError:
            # Stay up: the sync of records needs no files; uploads answer 503 meanwhile.
            log.exception("files folder %s not usable at start", files_dir)
        app.state.engine = engine
        app.state.sessions = sessionmaker(engine, expire_on_commit=False)
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(title="Sổ tay sync server", version=str(PROTOCOL_VERSION), lifespan=lifespan)
    # The largest legitimate body is a sync request (2 MB on the wire); routes cap lower.
    from sync_server import pages

    app.add_middleware(BodyLimit, limit=MAX_WIRE_BYTES,
                       streamed={pages.PUBLISH_PATH: settings.publish_max_bytes + 2**16},
                       html_prefix=pages.PREFIX)
    pages.install(app, settings)

    async def _root(_request: Request) -> Response:
        """The site's address typed into a browser: the province pages (which ask to log in)."""
        return RedirectResponse(f"{pages.PREFIX}/", status_code=303)

    # A plain route (not in the API schema, no credential: it reads nothing).
    app.add_route("/", _root, methods=["GET", "HEAD"], include_in_schema=False)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        if exc.audit:
            from starlette.concurrency import run_in_threadpool

            await run_in_threadpool(write_audit, request, dict(exc.audit))
        return JSONResponse(exc.body.model_dump(), status_code=exc.status)

    @app.exception_handler(files.FileError)
    async def _file_error(_request: Request, exc: files.FileError) -> JSONResponse:
        return JSONResponse(ErrorBody(code=exc.code).model_dump(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        body = ErrorBody(code="sync_bad_payload", detail=str(exc.errors()[:3])[:500])
        return JSONResponse(body.model_dump(), status_code=422)

    def sessions(request: Request) -> sessionmaker[Session]:
        return request.app.state.sessions  # type: ignore[no-any-return]

    def refused(request: Request, status: int, code: str, device: str = "") -> ApiError:
        """An authorisation failure; the error handler writes it to the admin log once the
        request's own transaction is over (SQLite has one writer)."""
        error = ApiError(status, code)
        client = request.client.host if request.client else "?"
        error.audit = {"actor": f"ip:{client}", "path": request.url.path,
                       "method": request.method, "code": code, "device": device}
        return error

    def write_audit(request: Request, audit: dict[str, str]) -> None:
        try:
            with sessions(request).begin() as session:
                admin.log_action(session, audit.pop("actor"), "auth_refused", **audit)
        except SQLAlchemyError:
            log.exception("could not audit a refused request")

    def authenticate(session: Session, request: Request) -> Device:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer ") or len(header) > 200:
            raise refused(request, 401, "sync_unauthorized")
        device = admin.device_for_token(session, header[7:].strip())
        if device is None:
            raise refused(request, 401, "sync_unauthorized")
        if device.revoked_at is not None:
            raise refused(request, 403, "sync_device_revoked", device.id)
        return device

    @app.get(ROUTE_HEALTH, responses=errors(503))
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
            server_time=_now(),
            database=request.app.state.engine.dialect.name,
        )

    @app.post(ROUTE_ENROLL, response_model=EnrollResponse,
              responses=errors(400, 409, 413, 422, 429))
    def enroll(body: EnrollRequest, request: Request) -> EnrollResponse:
        client = request.client.host if request.client else "?"
        if enroll_limit.blocked(client):
            raise ApiError(429, "sync_too_many_attempts")
        _check_protocol(body.protocol, None)
        with sessions(request).begin() as session:
            try:
                cred = admin.redeem_code(session, body.code, label=body.label,
                                         mutation_floor=body.mutation_floor)
            except admin.AdminError as exc:
                enroll_limit.failed(client)
                raise ApiError(400, exc.code) from None
            return EnrollResponse(device_id=cred.device.id, token=cred.token,
                                  unit_id=cred.unit.id, unit_name=cred.unit.name,
                                  server_time=_now())

    def _check_protocol(protocol: int, schema_version: str | None) -> None:
        if not MIN_PROTOCOL_VERSION <= protocol <= PROTOCOL_VERSION or (
            schema_version is not None and schema_version not in SCHEMA_VERSIONS
        ):
            raise ApiError(409, "sync_upgrade_required", protocol=PROTOCOL_VERSION,
                           min_protocol=MIN_PROTOCOL_VERSION, schema_versions=SCHEMA_VERSIONS)

    @app.post(ROUTE_SYNC, response_model=SyncResponse,
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {
                      "$ref": "#/components/schemas/SyncRequest"}}}}},
              responses=errors(400, 401, 403, 409, 413, 415, 422))
    async def sync_route(request: Request) -> Response:
        raw = await read_body(request, limit=MAX_WIRE_BYTES)
        body = decode_body(raw, request.headers.get("content-encoding"))
        try:
            req = SyncRequest.model_validate_json(body)
        except ValidationError as exc:
            raise ApiError(422, "sync_bad_payload",
                           detail=str(exc.errors(include_url=False)[:3])[:500]) from None
        _check_protocol(req.protocol, req.schema_version)
        from starlette.concurrency import run_in_threadpool

        answer = await run_in_threadpool(_sync_in_db, request, req)
        return json_response(answer, request)

    def _sync_in_db(request: Request, req: SyncRequest) -> SyncResponse:
        with sessions(request).begin() as session:
            device = authenticate(session, request)
            return sync.handle(session, device, req)

    # The convergence check (R5) and the repair pull: sotay_core/protocol/digest.py.
    @app.post(ROUTE_CHECK, response_model=CheckResponse,
              responses=errors(400, 401, 403, 409, 413, 415, 422))
    async def check_route(body: CheckRequest, request: Request) -> Response:
        _check_protocol(body.protocol, body.schema_version)
        return await _device_work(request, lambda s, d: convergence.check(s, d, body))

    @app.post(ROUTE_REPAIR, response_model=RepairResponse,
              responses=errors(400, 401, 403, 409, 413, 415, 422))
    async def repair_route(body: RepairRequest, request: Request) -> Response:
        _check_protocol(body.protocol, body.schema_version)
        return await _device_work(request, lambda s, d: convergence.repair_page(s, d, body))

    async def _device_work(request: Request, fn: Callable[[Session, Device], Any]) -> Response:
        """``fn`` in a worker thread, in one transaction, for the device of the request."""
        from starlette.concurrency import run_in_threadpool

        def work() -> Any:
            with sessions(request).begin() as session:
                return fn(session, authenticate(session, request))

        return json_response(await run_in_threadpool(work), request)

    def _visible(session: Session, device: Device, sha256: str) -> StoredFile | None:
        """The stored file, if the device's scope holds a grant for it (published to it, or
        uploaded by one of its devices). A record that names the hash grants nothing, and
        another branch's files are not even said to exist."""
        return files.granted(session, device.unit_id, sha256)

    def _file_device(request: Request, sha256: str) -> tuple[Device, StoredFile]:
        files.check_sha(sha256)
        with sessions(request).begin() as session:
            device = authenticate(session, request)
            stored = _visible(session, device, sha256)
            if stored is None:
                raise ApiError(404, "sync_file_not_found")
            if files.blob_ok(files_dir, stored):
                return device, stored
            # Granted, but the bytes are gone (or cut): the admin log says so (committed
            # with this transaction; once an hour per file and process, not at every PC's
            # every sync); the PC skips this file and goes on with the others.
            log.error("stored file %s is missing or damaged in %s", sha256, files_dir)
            now = time.monotonic()
            if now - missing_logged.get(sha256, -3600.0) >= 3600:
                missing_logged[sha256] = now
                admin.log_action(session, f"device:{device.id}", "file_missing",
                                 sha256=sha256, unit=device.unit_id)
        raise ApiError(404, "sync_file_missing")

    @app.get(ROUTE_FILES + "/{sha256}", responses=errors(400, 401, 403, 404, 416, 422))
    def get_file(sha256: str, request: Request) -> Response:
        device, stored = _file_device(request, sha256)
        range_header = request.headers.get("range", "")
        if range_header:
            kept = usable_range(range_header, stored.size)
            if kept == "unsatisfiable":
                return JSONResponse(ErrorBody(code="sync_range_not_satisfiable").model_dump(),
                                    status_code=416,
                                    headers={"Content-Range": f"bytes */{stored.size}"})
            if kept is None:  # not understood: ignored, the whole file (RFC 9110, 14.2)
                request.scope["headers"] = [(k, v) for k, v in request.scope["headers"]
                                            if k.lower() != b"range"]
                range_header = ""
        if not range_header or range_header.endswith(f"-{stored.size - 1}") or (
            range_header.endswith("-")
        ):
            with sessions(request).begin() as session:
                if session.get(FileDownload, (sha256, device.id)) is None:
                    session.add(FileDownload(sha256=sha256, device_id=device.id))
        return FileResponse(files.blob_path(files_dir, sha256), media_type=stored.mime,
                            headers={"X-Content-SHA256": sha256})

    @app.head(ROUTE_FILES + "/{sha256}", responses=errors(400, 401, 403, 404, 422))
    def head_file(sha256: str, request: Request) -> Response:
        _device, stored = _file_device(request, sha256)
        return Response(headers={"Content-Length": str(stored.size), "Accept-Ranges": "bytes"},
                        media_type=stored.mime)

    @app.head(ROUTE_UPLOADS + "/{sha256}", responses=errors(400, 401, 403, 422, 503))
    def upload_state(sha256: str, request: Request) -> Response:
        """Where this device's own upload of the file stands, and whether its scope already
        has the file: about another scope's files it says nothing (X-Stored 0, as for a file
        that does not exist), so the device sends the bytes, which prove it has them."""
        with sessions(request).begin() as session:
            device = authenticate(session, request)
            try:
                with files.disk_writes():
                    offset = files.upload_offset(files_dir, device.id, sha256)
            except files.FileError as exc:
                raise ApiError(exc.status, exc.code) from None
            known = _visible(session, device, sha256)
            stored = known is not None and files.blob_ok(files_dir, known)
        return Response(headers={"Upload-Offset": str(offset), "X-Stored": "1" if stored else "0"})

    @app.put(ROUTE_UPLOADS + "/{sha256}", status_code=204,
             responses=errors(400, 401, 403, 409, 413, 422, 503, 507))
    async def upload_part(sha256: str, request: Request,
                          offset: Annotated[int, Query(ge=0, le=MAX_FILE_BYTES)]) -> Response:
        data = await read_body(request, limit=UPLOAD_PART_BYTES * 4)
        from starlette.concurrency import run_in_threadpool

        def _write() -> int:
            try:
                with sessions(request).begin() as session:
                    device = authenticate(session, request)
                    files.check_sha(sha256)
                    files.check_quota(session, files_dir, device.id, adding=len(data),
                                      file_size=offset + len(data), quota=quota)
                return files.write_part(files_dir, device.id, sha256, offset, data,
                                        MAX_FILE_BYTES)
            except files.FileError as exc:
                have = None
                if exc.code == "sync_upload_offset":
                    with files.disk_writes():
                        have = files.upload_offset(files_dir, device.id, sha256)
                raise ApiError(exc.status, exc.code, offset=have) from None

        new_offset = await run_in_threadpool(_write)
        return Response(status_code=204, headers={"Upload-Offset": str(new_offset)})

    @app.post(ROUTE_UPLOADS + "/{sha256}/commit",
              responses=errors(400, 401, 403, 404, 422, 503, 507))
    def upload_commit(sha256: str, request: Request, mime: str = "application/octet-stream"
                      ) -> dict[str, Any]:
        with sessions(request).begin() as session:
            device = authenticate(session, request)
            files.check_sha(sha256)
            if not files.partial_path(files_dir, device.id, sha256).exists():
                # A commit sent again after a lost answer: done, if the scope holds the file.
                # A commit without the bytes grants nothing: a file of another scope answers
                # as one that does not exist.
                known = _visible(session, device, sha256)
                if known is None or not files.blob_ok(files_dir, known):
                    raise ApiError(404, "sync_upload_missing")
                return {"sha256": known.sha256, "size": known.size}
            try:
                stored = files.commit_upload(session, files_dir, device.id, sha256, mime)
            except files.FileError as exc:
                raise ApiError(exc.status, exc.code) from None
            # The whole bytes came from this device (checked against the hash): that proves
            # possession, so its scope may read the file, even one stored before (dedup).
            files.grant(session, device.unit_id, sha256, how="uploaded", via=device.id)
            return {"sha256": stored.sha256, "size": stored.size}

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
