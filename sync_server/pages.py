"""The province's web pages (``/province/…``): what every page shares. The pages themselves are
routers by area (``sync_server/routers/province_*.py``); they are server-rendered Jinja2
templates, plain HTML and CSS with no script, so an old browser in a commune office works.

Every page needs a staff login (``deps.StaffDep``) and shows the account's own subtree only: a
unit outside it answers the same 404 page as a unit that does not exist. Every form carries a
one-time token bound to the session. Refusals are pages with a plain message (in the page's
language, through ``sotay_core.i18n``) and a way back, never a stack trace; the server stays up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from sotay_core import i18n
from sotay_core.i18n import LANGUAGES, t
from sync_server import staff
from sync_server.models import StaffSession, StaffUser, Unit

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
    """Raised from the request's body stream past the page's limit (see ``limits.BodyLimit``)."""


class Redirect(Exception):
    """Go to ``location`` instead (a page asked for without a login goes to the login)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


NOT_IN_AREA = "pages.errors.not_in_area"
FORM_MESSAGES = {
    "form_forged": "pages.errors.form_forged",
    "form_stale": "pages.errors.form_stale",
    "form_repeated": "pages.errors.form_repeated",
}


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters["dmy"] = _dmy
    env.filters["when"] = _when
    env.filters["pct"] = lambda x: "—" if x is None else f"{100 * x:.0f} %"
    env.filters["q"] = lambda s: quote(str(s), safe="")
    env.filters["money"] = lambda n: f"{int(n or 0):,}".replace(",", ".") + " đ"
    env.globals["t"] = _text
    env.globals["label"] = _label
    env.globals["grade"] = _grade
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


@pass_context
def _grade(context: Context, code: str) -> str:
    """The words of a review grade (``review.Grade``'s value: ``review.grade.*``, issue 20);
    a code without words shows as it is."""
    key = f"review.grade.{code}"
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


TEMPLATES = _templates()


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """The page ``name`` in the request's language, with the headers every page carries."""
    ctx.setdefault("user", None)
    ctx |= {"lang": lang_of(request), "here": request.url.path + (
        f"?{request.url.query}" if request.url.query else "")}
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'")
    response.headers["Referrer-Policy"] = "same-origin"
    return response


class StaffContext:
    """The logged-in staff member of one request, inside one transaction."""

    def __init__(self, db: Session, row: StaffSession, user: StaffUser) -> None:
        self.db = db
        self.row = row
        self.user = user
        unit = db.get(Unit, user.unit_id)
        assert unit is not None
        self.unit = unit

    @property
    def actor(self) -> str:
        return f"staff:{self.user.username}"

    def unit_in_area(self, unit_id: str, level: str | None = None) -> Unit:
        unit = self.db.get(Unit, id_of(unit_id))
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


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "vi")
    return lang if lang in LANGUAGES else "vi"


def id_of(value: str) -> str:
    """An id from a URL or form: too long is no id at all (never cut to fit)."""
    return value if len(value) <= 36 else "-"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def safe_next(target: str) -> str:
    """Only a path of these pages (never another site) after login."""
    if target.startswith(PREFIX + "/") and "//" not in target and "\\" not in target:
        return target[:500]
    return ""


def vn_today() -> dt.date:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).date()


async def read_form(request: Request, files: int = 0, fields: int = 20,
                    part_size: int = 64 * 1024) -> FormData:
    """The submitted form, with bounds on its parts; malformed data is a 400 page. ``fields``:
    a form with a field per member (the review's decision) asks for more; ``part_size``: a
    form with a long text (a study plan's quiz) for a larger field (the body's own limit,
    ``limits.BodyLimit``, still holds)."""
    try:
        return await request.form(max_files=files, max_fields=fields,
                                  max_part_size=part_size)
    except BodyTooLarge:
        raise
    except (MultiPartException, StarletteHTTPException, ValueError, KeyError,
            UnicodeDecodeError) as exc:
        detail = getattr(exc, "detail", None) or str(exc)
        raise PageError(400, "pages.errors.unreadable_form",
                        detail=str(detail)[:120]) from None


def download(data: bytes, name: str, mime: str) -> Response:
    return Response(data, media_type=mime, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def install_handlers(app: FastAPI) -> None:
    """The pages' refusals, as pages."""

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> Response:
        return render(request, "error.html", exc.status, message=exc.text(lang_of(request)),
                      back=exc.back or f"{PREFIX}/", code=exc.status)

    @app.exception_handler(Redirect)
    async def _redirect(_request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, _exc: BodyTooLarge) -> Response:
        message = t("pages.errors.too_large", lang=lang_of(request))
        return render(request, "error.html", 413, code=413, back=f"{PREFIX}/", message=message)
