"""Files by SHA-256: a branch PC downloads what its scope may read (resumable, with Range),
and uploads its own in parts (resumable) before committing them."""

from __future__ import annotations

import itertools
import logging
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from sotay_core.protocol import (
    MAX_FILE_BYTES,
    ROUTE_FILES,
    ROUTE_UPLOADS,
    UPLOAD_PART_BYTES,
    ErrorBody,
)
from sync_server import admin, files
from sync_server.api import ApiError, errors, read_body, usable_range
from sync_server.deps import DeviceAccess, DeviceDep, Runtime, RuntimeDep
from sync_server.models import Device, FileDownload, StoredFile

log = logging.getLogger("sotay.server")
router = APIRouter()


def _file_device(access: DeviceAccess, runtime: Runtime, sha256: str
                 ) -> tuple[Device, StoredFile]:
    """The device and the stored file, if the device's scope holds a grant for it (published
    to it, or uploaded by one of its devices). A record that names the hash grants nothing,
    and another branch's files are not even said to exist."""
    files.check_sha(sha256)
    store = runtime.store
    with access.begin() as (session, device):
        stored = files.granted(session, device.unit_id, sha256)
        if stored is None:
            raise ApiError(404, "sync_file_not_found")
        try:
            present = files.blob_ok(store, stored)
        except files.FileError as exc:   # the store cannot be reached: try again later
            raise ApiError(exc.status, exc.code) from None
        if present:
            return device, stored
        # Granted, but the bytes are gone (or cut): the admin log says so (committed
        # with this transaction; once an hour per file and process, not at every PC's
        # every sync); the PC skips this file and goes on with the others.
        log.error("stored file %s is missing or damaged in %s", sha256, store.where)
        now = time.monotonic()
        if now - runtime.missing_logged.get(sha256, -3600.0) >= 3600:
            runtime.missing_logged[sha256] = now
            admin.log_action(session, f"device:{device.id}", "file_missing",
                             sha256=sha256, unit=device.unit_id)
    raise ApiError(404, "sync_file_missing")


def _span(range_header: str, size: int) -> tuple[int, int]:
    """The bytes [start, stop) of one well-formed range (``api.usable_range`` kept it)."""
    first, _, last = range_header.replace(" ", "").removeprefix("bytes=").partition("-")
    if not first:                       # the last N bytes
        return max(0, size - int(last)), size
    stop = size if not last else min(size, int(last) + 1)
    return int(first), stop


def _streamed(runtime: Runtime, stored: StoredFile, range_header: str, if_range: str | None
              ) -> Response:
    """A file from a store without a local path (S3): the bytes streamed from it, with one
    range honoured as a 206 (several ranges: the whole file, which RFC 9110 allows), unless
    an If-Range names another version than this ETag (RFC 9110 13.1.5: the whole file)."""
    etag = f'"{stored.sha256}"'
    headers = {"Accept-Ranges": "bytes", "X-Content-SHA256": stored.sha256, "ETag": etag}
    start, stop, status = 0, stored.size, 200
    if range_header and "," not in range_header and if_range in (None, etag):
        start, stop = _span(range_header, stored.size)
        status = 206
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{stored.size}"
    headers["Content-Length"] = str(stop - start)
    blocks = runtime.store.blobs.read(stored.sha256, start, stop)
    try:
        # The store is asked before the answer starts: a store that fails here answers
        # 503 with its code, not a 200 cut after its headers.
        first = next(blocks, b"")
    except files.FileError as exc:
        raise ApiError(exc.status, exc.code) from None
    return StreamingResponse(itertools.chain((first,), blocks), status_code=status,
                             media_type=stored.mime, headers=headers)


@router.get(ROUTE_FILES + "/{sha256}", responses=errors(400, 401, 403, 404, 416, 422, 503))
def get_file(sha256: str, request: Request, access: DeviceDep, runtime: RuntimeDep
             ) -> Response:
    device, stored = _file_device(access, runtime, sha256)
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
        with access.sessions.begin() as session:
            if session.get(FileDownload, (sha256, device.id)) is None:
                try:
                    with session.begin_nested():
                        session.add(FileDownload(sha256=sha256, device_id=device.id))
                except IntegrityError:   # the same download running on another node
                    pass
    local = runtime.store.blobs.local_path(sha256)
    if local is None:
        return _streamed(runtime, stored, range_header, request.headers.get("if-range"))
    return FileResponse(local, media_type=stored.mime, headers={"X-Content-SHA256": sha256})


@router.head(ROUTE_FILES + "/{sha256}", responses=errors(400, 401, 403, 404, 422, 503))
def head_file(sha256: str, access: DeviceDep, runtime: RuntimeDep) -> Response:
    _device, stored = _file_device(access, runtime, sha256)
    return Response(headers={"Content-Length": str(stored.size), "Accept-Ranges": "bytes"},
                    media_type=stored.mime)


@router.head(ROUTE_UPLOADS + "/{sha256}", responses=errors(400, 401, 403, 422, 503))
def upload_state(sha256: str, access: DeviceDep, runtime: RuntimeDep) -> Response:
    """Where this device's own upload of the file stands, and whether its scope already
    has the file: about another scope's files it says nothing (X-Stored 0, as for a file
    that does not exist), so the device sends the bytes, which prove it has them."""
    store = runtime.store
    with access.begin() as (session, device):
        try:
            offset = store.uploads.offset(session, device.id, files.check_sha(sha256))
            known = files.granted(session, device.unit_id, sha256)
            stored = known is not None and files.blob_ok(store, known)
        except files.FileError as exc:
            raise ApiError(exc.status, exc.code) from None
    return Response(headers={"Upload-Offset": str(offset), "X-Stored": "1" if stored else "0"})


@router.put(ROUTE_UPLOADS + "/{sha256}", status_code=204,
            responses=errors(400, 401, 403, 409, 413, 422, 503, 507))
async def upload_part(sha256: str, request: Request, access: DeviceDep, runtime: RuntimeDep,
                      offset: Annotated[int, Query(ge=0, le=MAX_FILE_BYTES)]) -> Response:
    data = await read_body(request, limit=UPLOAD_PART_BYTES * 4)
    store = runtime.store

    def _write() -> int:
        have: int | None = None
        with access.begin() as (session, device):
            try:
                files.check_sha(sha256)
                files.check_quota(session, store, device.id, adding=len(data),
                                  file_size=offset + len(data), quota=runtime.quota)
                return store.uploads.append(session, device.id, sha256, offset, data,
                                            MAX_FILE_BYTES)
            except files.FileError as exc:
                fault = exc
                if exc.code == "sync_upload_offset":
                    try:
                        have = store.uploads.offset(session, device.id, sha256)
                    except files.FileError as again:
                        fault = again
        raise ApiError(fault.status, fault.code, offset=have)

    new_offset = await run_in_threadpool(_write)
    return Response(status_code=204, headers={"Upload-Offset": str(new_offset)})


@router.post(ROUTE_UPLOADS + "/{sha256}/commit",
             responses=errors(400, 401, 403, 404, 422, 503, 507))
def upload_commit(sha256: str, access: DeviceDep, runtime: RuntimeDep,
                  mime: str = "application/octet-stream") -> dict[str, Any]:
    store = runtime.store
    mismatch: files.FileError | None = None
    with access.begin() as (session, device):
        try:
            files.check_sha(sha256)
            if not store.uploads.started(session, device.id, sha256):
                # A commit sent again after a lost answer: done, if the scope holds the
                # file. A commit without the bytes grants nothing: a file of another scope
                # answers as one that does not exist.
                known = files.granted(session, device.unit_id, sha256)
                if known is None or not files.blob_ok(store, known):
                    raise ApiError(404, "sync_upload_missing")
                return {"sha256": known.sha256, "size": known.size}
            stored = files.commit_upload(session, store, device.id, sha256, mime)
        except files.FileError as exc:
            if exc.code != "sync_hash_mismatch":
                raise ApiError(exc.status, exc.code) from None
            mismatch = exc   # the parts' removal is committed: the PC sends them anew
        else:
            # The whole bytes came from this device (checked against the hash): that proves
            # possession, so its scope may read the file, even one stored before (dedup).
            files.grant(session, device.unit_id, sha256, how="uploaded", via=device.id)
            return {"sha256": stored.sha256, "size": stored.size}
    raise ApiError(mismatch.status, mismatch.code)
