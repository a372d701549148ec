"""The province's web pages (``/province/…``): server-rendered Jinja2 templates, plain HTML
and CSS with no script, so an old browser in a commune office works.

Every page needs a staff login (``sync_server.staff``) and shows the account's own subtree
only: a unit outside it answers the same 404 page as a unit that does not exist. Every form
carries a one-time token bound to the session. Refusals are pages with a plain Vietnamese
message and a way back, never a stack trace; the server stays up.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from sotay_core import i18n
from sotay_core.i18n import LANGUAGES, t
from sync_server import admin, files, queries, reports, staff
from sync_server.models import StaffSession, StaffUser, Unit

log = logging.getLogger("sotay.pages")
HERE = Path(__file__).parent
PREFIX = "/province"
COOKIE = "sotay_staff"
LANG_COOKIE = "sotay_lang"
PUBLISH_PATH = f"{PREFIX}/publish"
DOC_TYPES = ("NQ", "CT", "KL", "QĐi", "HD", "TB", "KH", "BC", "CV", "QĐ", "CTr")


class PageError(Exception):
    """A refusal shown as a page. ``message`` is a key of the pages' catalogues
    (``pages_errors.toml``) filled with ``params``; or ``code`` is an error code of the app
    (shown capitalised, with a full stop)."""

    def __init__(self, status: int, message: str, back: str = "", code: str = "",
                 **params: Any) -> None:
        super().__init__(message or code)
        self.status = status
        self.message = message
        self.back = back
        self.code = code
        self.params = params

    def text(self, lang: str) -> str:
        if self.code:
            return _cap(t(self.code, lang=lang, **self.params))
        return t(self.message, lang=lang, **self.params)


class BodyTooLarge(Exception):
    """Raised from the request's body stream past the page's limit (see ``app.BodyLimit``)."""


NOT_IN_AREA = "pages.errors.not_in_area"
FORM_MESSAGES = {
    "form_forged": "pages.errors.form_forged",
    "form_stale": "pages.errors.form_stale",
    "form_repeated": "pages.errors.form_repeated",
}


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters["dmy"] = lambda d: _dmy(d)
    env.filters["when"] = _when
    env.filters["pct"] = lambda x: "—" if x is None else f"{100 * x:.0f} %"
    env.filters["q"] = lambda s: quote(str(s), safe="")
    env.globals["t"] = _text
    env.globals["label"] = _label
    return templates


@pass_context
def _text(context: Context, key: str, **params: Any) -> str:
    """``t("pages.…", name=value)`` in a template: the shared ``i18n.t`` in the page's language."""
    return t(key, lang=context["lang"], **params)


@pass_context
def _label(context: Context, group: str, code: str) -> str:
    """The words for a code of the data (``pages_labels.toml``: a level, a member's status, a
    meeting's kind, a resolution's stage, a gender, empty meaning not recorded); a code
    without words shows as it is."""
    key = f"pages.{group}.{code or 'unrecorded'}"
    return t(key, lang=context["lang"]) if i18n.has_message(key) else code


def _dmy(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return ""


@pass_context
def _when(context: Context, value: dt.datetime | None) -> str:
    """A UTC time from the database, shown in Vietnam's time (UTC+7, no summer time)."""
    if value is None:
        return t("pages.time.never", lang=context["lang"])
    return (value + dt.timedelta(hours=7)).strftime("%H:%M %d/%m/%Y")


def _month(text: str | None, today: dt.date) -> tuple[int, int]:
    if text:
        try:
            y, m = (int(p) for p in text.split("-", 1))
            if 2000 <= y <= 2100 and 1 <= m <= 12:
                return y, m
        except ValueError:
            pass
        raise PageError(400, "pages.errors.bad_month", value=text[:20])
    return today.year, today.month


def _vn_today() -> dt.date:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).date()


Render = Callable[..., HTMLResponse]


def router(settings: Any) -> tuple[APIRouter, Render]:
    """The pages, as a router the app includes, and the function that renders a page."""
    templates = _templates()
    files_dir = Path(settings.files_dir)
    r = APIRouter(prefix=PREFIX, include_in_schema=False)

    def sessions(request: Request) -> sessionmaker[Session]:
        return request.app.state.sessions  # type: ignore[no-any-return]

    def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("user", None)
        lang = lang_of(request)
        ctx |= {"lang": lang, "here": request.url.path + (
            f"?{request.url.query}" if request.url.query else "")}
        response = templates.TemplateResponse(request, name, ctx, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'")
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    class Ctx:
        """The logged-in staff member of one request, inside one transaction."""

        def __init__(self, db: Session, row: StaffSession, user: StaffUser) -> None:
            self.db = db
            self.row = row
            self.user = user
            unit = db.get(Unit, user.unit_id)
            assert unit is not None
            self.unit = unit

        def unit_in_area(self, unit_id: str, level: str | None = None) -> Unit:
            unit = self.db.get(Unit, _id(unit_id))
            if unit is None or not staff.in_area(self.unit, unit) or (
                level is not None and unit.level != level
            ):
                raise PageError(404, NOT_IN_AREA, back=f"{PREFIX}/")
            return unit

        def page(self, request: Request, name: str, status: int = 200, **ctx: Any
                 ) -> HTMLResponse:
            return render(request, name, status, user=self.user, home=self.unit,
                          form_token=staff.form_token(self.row), **ctx)

        def spend(self, token: str, back: str) -> None:
            try:
                staff.spend_form_token(self.db, self.row, token)
            except staff.FormRefused as exc:
                raise PageError(409 if exc.code == "form_repeated" else 403,
                                FORM_MESSAGES[exc.code], back=back) from None

    def logged_in(request: Request, db: Session) -> Ctx | None:
        found = staff.session_for(db, request.cookies.get(COOKIE, ""))
        return Ctx(db, *found) if found else None

    def need_login(request: Request, db: Session) -> Ctx:
        ctx = logged_in(request, db)
        if ctx is None:
            if request.method == "GET":
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                raise _Redirect(f"{PREFIX}/login?next={quote(target, safe='')}")
            raise PageError(401, "pages.errors.login_needed", back=f"{PREFIX}/login")
        return ctx

    # --- login -------------------------------------------------------------------------

    @r.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "") -> Response:
        return render(request, "login.html", next=_safe_next(next), error="")

    @r.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        form = await _form(request)
        username = str(form.get("username") or "").strip()[:64]
        password = str(form.get("password") or "")[:1000]
        target = _safe_next(str(form.get("next") or ""))
        client = request.client.host if request.client else "?"
        def check() -> str | None:
            with sessions(request).begin() as db:
                if staff.login_blocked(db, username, client):
                    return "blocked"
            with sessions(request).begin() as db:
                user = staff.check_password(db, username, password)
                if user is None:
                    staff.login_failed(db, username, client)
                    admin.log_action(db, f"ip:{client}", "staff_login_failed",
                                     username=username)
                    return None
                admin.log_action(db, f"staff:{user.username}", "staff_login", ip=client)
                return staff.open_session(db, user).token

        token = await run_in_threadpool(check)
        if token == "blocked":
            return render(request, "login.html", 429, next=target, username=username,
                          error="pages.errors.login_blocked")
        if token is None:
            return render(request, "login.html", 401, next=target, username=username,
                          error="pages.errors.login_wrong")
        response = RedirectResponse(target or f"{PREFIX}/", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                            secure=settings.cookie_secure, path=PREFIX)
        return response

    @r.post("/logout")
    async def logout(request: Request) -> Response:
        await _form(request)
        with sessions(request).begin() as db:
            staff.close_session(db, request.cookies.get(COOKIE, ""))
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    # --- the tree ----------------------------------------------------------------------

    @r.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        with sessions(request).begin() as db:
            ctx = need_login(request, db)
            return RedirectResponse(f"{PREFIX}/units/{ctx.unit.id}", status_code=303)

    @r.get("/units/{unit_id}", response_class=HTMLResponse)
    def unit_page(request: Request, unit_id: str, month: str | None = None) -> Response:
        with sessions(request).begin() as db:
            ctx = need_login(request, db)
            unit = ctx.unit_in_area(unit_id)
            if unit.level == "branch":
                return RedirectResponse(f"{PREFIX}/branches/{unit.id}", status_code=303)
            today = _vn_today()
            year, mon = _month(month, today)
            data = queries.tree(db, unit, year, mon)
            prev_m = (year - 1, 12) if mon == 1 else (year, mon - 1)
            next_m = (year + 1, 1) if mon == 12 else (year, mon + 1)
            return ctx.page(request, "tree.html", tree=data, unit=unit,
                            crumbs=queries.ancestors_within(db, ctx.unit, unit),
                            month=f"{year}-{mon:02d}", month_label=f"{mon:02d}/{year}",
                            prev_month=f"{prev_m[0]}-{prev_m[1]:02d}",
                            next_month=f"{next_m[0]}-{next_m[1]:02d}"
                            if next_m <= (today.year, today.month) else "")

    # --- one branch --------------------------------------------------------------------

    @r.get("/branches/{unit_id}", response_class=HTMLResponse)
    def branch_page(request: Request, unit_id: str) -> Response:
        with sessions(request).begin() as db:
            ctx = need_login(request, db)
            branch = ctx.unit_in_area(unit_id, "branch")
            admin.log_action(db, f"staff:{ctx.user.username}", "staff_view", branch=branch.id)
            numbers = queries.party_numbers(db, branch, _vn_today())
            return ctx.page(request, "branch.html", branch=branch, numbers=numbers,
                            crumbs=queries.ancestors_within(db, ctx.unit, branch),
                            meetings=queries.branch_meetings(db, branch))

    @r.get("/branches/{unit_id}/meetings/{meeting_id}", response_class=HTMLResponse)
    def meeting_page(request: Request, unit_id: str, meeting_id: str) -> Response:
        with sessions(request).begin() as db:
            ctx = need_login(request, db)
            branch = ctx.unit_in_area(unit_id, "branch")
            meeting = queries.meeting_view(db, branch, _id(meeting_id))
            if meeting is None:
                raise PageError(404, "pages.errors.no_meeting",
                                back=f"{PREFIX}/branches/{branch.id}")
            admin.log_action(db, f"staff:{ctx.user.username}", "staff_view",
                             branch=branch.id, meeting=meeting.id)
            return ctx.page(request, "meeting.html", branch=branch, meeting=meeting,
                            crumbs=queries.ancestors_within(db, ctx.unit, branch),
                            saved=request.query_params.get("saved") == "1")

    @r.post("/branches/{unit_id}/resolutions/{resolution_id}/comments")
    async def comment(request: Request, unit_id: str, resolution_id: str) -> Response:
        form = await _form(request)
        def write() -> str:
            with sessions(request).begin() as db:
                ctx = need_login(request, db)
                branch = ctx.unit_in_area(unit_id, "branch")
                res = queries.record(db, branch.id, "resolutions", _id(resolution_id))
                back = (f"{PREFIX}/branches/{branch.id}/meetings/{res.get('meeting_id')}"
                        if res else f"{PREFIX}/branches/{branch.id}")
                ctx.spend(str(form.get("form_token") or ""), back)
                author = f"{ctx.user.display_name} ({ctx.unit.name})"
                try:
                    admin.add_comment(db, branch_id=branch.id, resolution_id=_id(resolution_id),
                                      body=str(form.get("body") or ""), author=author,
                                      actor=f"staff:{ctx.user.username}")
                except admin.AdminError as exc:
                    raise PageError(400, "", back=back, code=exc.code, **exc.params) from None
                return back

        back = await run_in_threadpool(write)
        return RedirectResponse(f"{back}?saved=1", status_code=303)

    # --- publishing --------------------------------------------------------------------

    def publish_targets(db: Session, unit: Unit) -> list[Unit]:
        """The units a document can be addressed to from a form: the account's own unit and
        every unit between it and the branches (a single branch is chosen from its page)."""
        return list(db.scalars(select(Unit).where(
            Unit.path.startswith(unit.path, autoescape=True), Unit.level != "branch")
            .order_by(Unit.path)))

    @r.get("/publish", response_class=HTMLResponse)
    def publish_form(request: Request, to: str = "") -> Response:
        with sessions(request).begin() as db:
            ctx = need_login(request, db)
            chosen = ctx.unit_in_area(to) if to else ctx.unit
            return ctx.page(request, "publish.html", targets=publish_targets(db, ctx.unit),
                            chosen=chosen, doc_types=DOC_TYPES, values={},
                            limit_mb=settings.publish_max_bytes // 2**20,
                            publications=queries.publications(db, ctx.unit))

    @r.post(PUBLISH_PATH.removeprefix(PREFIX))
    async def publish(request: Request) -> Response:
        try:
            form = await _form(request, files=1)
        except BodyTooLarge:
            raise PageError(413, "pages.errors.file_too_large",
                            back=PUBLISH_PATH, mb=settings.publish_max_bytes // 2**20) from None
        upload = form.get("file")
        def write() -> str:
            with sessions(request).begin() as db:
                ctx = need_login(request, db)
                ctx.spend(str(form.get("form_token") or ""), PUBLISH_PATH)
                target = ctx.unit_in_area(str(form.get("to") or ""))
                if not isinstance(upload, UploadFile) or not upload.filename:
                    raise PageError(400, "pages.errors.no_file", back=PUBLISH_PATH)
                issued = _form_date(str(form.get("issued_on") or ""))
                incoming = files_dir / "incoming" / secrets.token_hex(8)
                try:
                    incoming.mkdir(parents=True)
                    path = incoming / "upload"
                    with path.open("wb") as out:
                        shutil.copyfileobj(upload.file, out, 1 << 20)
                    if path.stat().st_size == 0:
                        raise PageError(400, "pages.errors.empty_file", back=PUBLISH_PATH)
                    done = admin.publish(
                        db, files_dir, path, to_unit=target.id,
                        title=str(form.get("title") or "")[:500],
                        number=str(form.get("number") or "")[:60],
                        doc_type=str(form.get("doc_type") or "")[:20], issued_on=issued,
                        summary=str(form.get("summary") or "")[:2000],
                        file_name=Path(upload.filename).name[:200],
                        issuer_id=ctx.unit.id, actor=f"staff:{ctx.user.username}")
                except admin.AdminError as exc:
                    raise PageError(400, "", back=PUBLISH_PATH, code=exc.code,
                                    **exc.params) from None
                except (OSError, files.FileError) as exc:
                    # A full or read-only files folder: said plainly; nothing was published.
                    fault = exc if isinstance(exc, files.FileError) else files.storage_error(exc)
                    log.error("publishing failed on the files folder: %s", exc)
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

    @r.get("/publications/{document_id}", response_class=HTMLResponse)
    def publication(request: Request, document_id: str) -> Response:
        with sessions(request).begin() as db:
            ctx = need_login(request, db)
            targets = queries.publication_targets(db, ctx.unit, _id(document_id))
            if not targets:
                raise PageError(404, "pages.errors.no_document",
                                back=PUBLISH_PATH)
            data = queries.record(db, targets[0].id, "documents", _id(document_id)) or {}
            got = queries.downloaded_by(db, ctx.unit, _id(document_id),
                                        str(data.get("file_sha256") or ""))
            return ctx.page(request, "publication.html", doc=data, targets=targets, got=got,
                            sent=request.query_params.get("sent") == "1")

    # --- reports -----------------------------------------------------------------------

    @r.get("/reports", response_class=HTMLResponse)
    def report(request: Request, unit: str = "", format: str = "html") -> Response:
        with sessions(request).begin() as db:
            ctx = need_login(request, db)
            target = ctx.unit_in_area(unit) if unit else ctx.unit
            today = _vn_today()
            numbers = queries.party_numbers(db, target, today)
            months = queries.months(db, target, today)
            stem = f"dang-so-{today:%Y-%m-%d}"
            if format == "xlsx":
                admin.log_action(db, f"staff:{ctx.user.username}", "report", unit=target.id,
                                 format="xlsx")
                return _download(reports.xlsx(numbers, months), f"{stem}.xlsx",
                                 "application/vnd.openxmlformats-officedocument"
                                 ".spreadsheetml.sheet")
            if format == "pdf":
                admin.log_action(db, f"staff:{ctx.user.username}", "report", unit=target.id,
                                 format="pdf")
                try:
                    data = reports.pdf(numbers, months)
                except reports.NoFont:
                    raise PageError(503, "pages.errors.no_pdf_font", back=f"{PREFIX}/reports") from None
                return _download(data, f"{stem}.pdf", "application/pdf")
            if format != "html":
                raise PageError(400, "pages.errors.bad_report_format",
                                back=f"{PREFIX}/reports")
            title = t("pages.reports.title", lang=lang_of(request), unit=target.name,
                      date=f"{today:%d/%m/%Y}")
            return ctx.page(request, "reports.html", unit=target, numbers=numbers,
                            months=months, title=title,
                            crumbs=queries.ancestors_within(db, ctx.unit, target))

    @r.get("/lang/{code}")
    def choose_language(code: str, next: str = "") -> Response:
        response = RedirectResponse(_safe_next(next) or f"{PREFIX}/", status_code=303)
        if code in LANGUAGES:
            response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax",
                                path=PREFIX, secure=settings.cookie_secure)
        return response

    @r.get("/static/style.css")
    def style() -> Response:
        return Response((HERE / "templates" / "style.css").read_bytes(), media_type="text/css",
                        headers={"Cache-Control": "max-age=3600"})

    return r, render


class _Redirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "vi")
    return lang if lang in LANGUAGES else "vi"


def _id(value: str) -> str:
    """An id from a URL or form: too long is no id at all (never cut to fit)."""
    return value if len(value) <= 36 else "-"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _safe_next(target: str) -> str:
    """Only a path of these pages (never another site) after login."""
    if target.startswith(PREFIX + "/") and "//" not in target and "\\" not in target:
        return target[:500]
    return ""


def _form_date(text: str) -> dt.date | None:
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
    raise PageError(400, "pages.errors.bad_issue_date",
                    back=PUBLISH_PATH, value=text[:20])


async def _form(request: Request, files: int = 0) -> Any:
    """The submitted form, with bounds on its parts; malformed data is a 400 page."""
    try:
        return await request.form(max_files=files, max_fields=20, max_part_size=64 * 1024)
    except BodyTooLarge:
        raise
    except (MultiPartException, StarletteHTTPException, ValueError, KeyError,
            UnicodeDecodeError) as exc:
        detail = getattr(exc, "detail", None) or str(exc)
        raise PageError(400, "pages.errors.unreadable_form",
                        detail=str(detail)[:120]) from None


def _download(data: bytes, name: str, mime: str) -> Response:
    return Response(data, media_type=mime, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def install(app: Any, settings: Any) -> None:
    """Add the pages and their error pages to ``app``."""
    pages, render = router(settings)
    app.include_router(pages)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> Response:
        return render(request, "error.html", exc.status, message=exc.text(lang_of(request)),
                      back=exc.back or f"{PREFIX}/", code=exc.status)

    @app.exception_handler(_Redirect)
    async def _redirect(_request: Request, exc: _Redirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, _exc: BodyTooLarge) -> Response:
        message = t("pages.errors.too_large", lang=lang_of(request))
        return render(request, "error.html", 413, code=413, back=f"{PREFIX}/", message=message)
