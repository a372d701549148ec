"""The province pages for publishing a document down to the branches, and what became of it."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sync_server import admin, files, published, queries
from sync_server.deps import RuntimeDep, SettingsDep, StaffDep
from sync_server.models import Unit
from sync_server.pages import (
    DOC_TYPES,
    PREFIX,
    PUBLISH_PATH,
    BodyTooLarge,
    PageError,
    id_of,
    read_form,
)

log = logging.getLogger("sotay.pages")
router = APIRouter(prefix=PREFIX, include_in_schema=False)


def publish_targets(db: Session, unit: Unit) -> list[Unit]:
    """The units a document can be addressed to from a form: the account's own unit and
    every unit between it and the branches (a single branch is chosen from its page)."""
    return list(db.scalars(select(Unit).where(
        Unit.path.startswith(unit.path, autoescape=True), Unit.level != "branch")
        .order_by(Unit.path)))


def form_date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        if not dt.date(1930, 1, 1) <= day <= dt.date(2100, 12, 31):
            break
        return day
    raise PageError(400, "pages.errors.bad_issue_date", back=PUBLISH_PATH, value=text[:20])


@router.get("/publish", response_class=HTMLResponse)
def publish_form(request: Request, staff: StaffDep, settings: SettingsDep, to: str = ""
                 ) -> Response:
    with staff.begin() as ctx:
        chosen = ctx.unit_in_area(to) if to else ctx.unit
        return ctx.page(request, "publish.html", targets=publish_targets(ctx.db, ctx.unit),
                        chosen=chosen, doc_types=DOC_TYPES, values={},
                        limit_mb=settings.publish_max_bytes // 2**20,
                        publications=published.publications(ctx.db, ctx.unit))


@router.post(PUBLISH_PATH.removeprefix(PREFIX))
async def publish(request: Request, staff: StaffDep, settings: SettingsDep,
                  runtime: RuntimeDep) -> Response:
    try:
        form = await read_form(request, files=1)
    except BodyTooLarge:
        raise PageError(413, "pages.errors.file_too_large",
                        back=PUBLISH_PATH, mb=settings.publish_max_bytes // 2**20) from None
    upload = form.get("file")
    store = runtime.store

    def write() -> str:
        with staff.begin() as ctx:
            ctx.spend(str(form.get("form_token") or ""), PUBLISH_PATH)
            target = ctx.unit_in_area(str(form.get("to") or ""))
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise PageError(400, "pages.errors.no_file", back=PUBLISH_PATH)
            issued = form_date(str(form.get("issued_on") or ""))
            incoming = store.work_dir / secrets.token_hex(8)
            try:
                incoming.mkdir(parents=True)
                path = incoming / "upload"
                with path.open("wb") as out:
                    shutil.copyfileobj(upload.file, out, 1 << 20)
                if path.stat().st_size == 0:
                    raise PageError(400, "pages.errors.empty_file", back=PUBLISH_PATH)
                done = admin.publish(
                    ctx.db, store, path, to_unit=target.id,
                    title=str(form.get("title") or "")[:500],
                    number=str(form.get("number") or "")[:60],
                    doc_type=str(form.get("doc_type") or "")[:20], issued_on=issued,
                    summary=str(form.get("summary") or "")[:2000],
                    file_name=Path(upload.filename).name[:200],
                    issuer_id=ctx.unit.id, actor=ctx.actor)
            except admin.AdminError as exc:
                raise PageError(400, "", back=PUBLISH_PATH, code=exc.code,
                                **exc.params) from None
            except (OSError, files.FileError) as exc:
                # A full or read-only files folder: said plainly; nothing was published.
                fault = exc if isinstance(exc, files.FileError) else files.storage_error(exc)
                log.error("publishing failed on the file storage: %s", exc)
                raise PageError(fault.status, "", back=PUBLISH_PATH,
                                code=fault.code.replace("sync_", "server_", 1)) from None
            finally:
                shutil.rmtree(incoming, ignore_errors=True)
            return done.document_id

    try:
        document_id = await run_in_threadpool(write)
    finally:
        if isinstance(upload, UploadFile):
            await upload.close()
    return RedirectResponse(f"{PREFIX}/publications/{document_id}?sent=1", status_code=303)


@router.get("/publications/{document_id}", response_class=HTMLResponse)
def publication(request: Request, staff: StaffDep, document_id: str) -> Response:
    with staff.begin() as ctx:
        db = ctx.db
        targets = published.publication_targets(db, ctx.unit, id_of(document_id))
        if not targets:
            raise PageError(404, "pages.errors.no_document", back=PUBLISH_PATH)
        data = queries.record(db, targets[0].id, "documents", id_of(document_id)) or {}
        got = published.downloaded_by(db, ctx.unit, id_of(document_id),
                                    str(data.get("file_sha256") or ""))
        return ctx.page(request, "publication.html", doc=data, targets=targets, got=got,
                        sent=request.query_params.get("sent") == "1")
