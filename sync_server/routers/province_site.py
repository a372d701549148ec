"""The province pages' way in: login, logout, the language, the style sheet."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sotay_core.i18n import LANGUAGES
from sync_server import admin, staff
from sync_server.deps import SessionsDep, SettingsDep
from sync_server.pages import (
    COOKIE,
    HERE,
    LANG_COOKIE,
    PREFIX,
    read_form,
    render,
    safe_next,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "") -> Response:
    return render(request, "login.html", next=safe_next(next), error="")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, sessions: SessionsDep, settings: SettingsDep) -> Response:
    form = await read_form(request)
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")[:1000]
    target = safe_next(str(form.get("next") or ""))
    client = request.client.host if request.client else "?"

    def check() -> str | None:
        with sessions.begin() as db:
            if staff.login_blocked(db, username, client):
                return "blocked"
        with sessions.begin() as db:
            user = staff.check_password(db, username, password)
            if user is None:
                staff.login_failed(db, username, client)
                admin.log_action(db, f"ip:{client}", "staff_login_failed", username=username)
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


@router.post("/logout")
async def logout(request: Request, sessions: SessionsDep) -> Response:
    await read_form(request)
    with sessions.begin() as db:
        staff.close_session(db, request.cookies.get(COOKIE, ""))
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


@router.get("/lang/{code}")
def choose_language(code: str, settings: SettingsDep, next: str = "") -> Response:
    response = RedirectResponse(safe_next(next) or f"{PREFIX}/", status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax",
                            path=PREFIX, secure=settings.cookie_secure)
    return response


@router.get("/static/style.css")
def style() -> Response:
    return Response((HERE / "templates" / "style.css").read_bytes(), media_type="text/css",
                    headers={"Cache-Control": "max-age=3600"})
