"""Sign-in and sign-out, and the dashboard's stylesheet and script."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from bot.core.config import get_settings
from bot.core.db import with_retries
from bot.staff import csrf
from bot.staff.auth import SESSION_COOKIE, end_session, sign_in
from bot.staff.web import HERE, LOGIN_PATH, CurrentStaff, StaffRoute, redirect, render, safe_next

router = APIRouter(route_class=StaffRoute)

STATIC = {"staff.css": "text/css; charset=utf-8", "staff.js": "text/javascript; charset=utf-8"}
INVALID = "メールアドレスまたはパスワードが正しくありません。"
LOCKED = (
    "ログインの失敗が続いたため、しばらくログインできません。15分ほど待ってから、もう一度お試しください。"
)


def _secure(request: Request) -> bool:
    """Cookies are ``Secure`` over HTTPS, and always in production (behind its TLS proxy)."""
    return request.url.scheme == "https" or get_settings().env == "production"


def _login_form(request: Request, next_path: str, error: str = "", email: str = "", status: int = 200):
    """The sign-in page with a fresh pre-session (its cookie lives only on this path) and its token."""
    pre_session = csrf.new_token()
    token = csrf.login_token(pre_session)
    context = {"next": next_path, "error": error, "email": email, "login_token": token}
    response = render(request, "login.html", context, status=status)
    response.set_cookie(
        csrf.LOGIN_COOKIE,
        pre_session,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=LOGIN_PATH,
    )
    return response


@router.get(LOGIN_PATH)
def login_page(request: Request, next: str = "") -> Response:
    if request.state.signed_in is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_form(request, safe_next(next))


@router.post(LOGIN_PATH)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    ip = request.client.host if request.client else "unknown"
    token, locked = sign_in(email, password, ip)
    if token is None:
        minutes = get_settings().login_window_minutes
        message, status = (LOCKED.format(minutes=minutes), 429) if locked else (INVALID, 401)
        return _login_form(request, safe_next(next), message, email, status)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(get_settings().staff_session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/staff",
    )
    response.delete_cookie(csrf.LOGIN_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/staff/logout")
def logout(request: Request, _staff: CurrentStaff) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    with_retries(lambda session: end_session(session, token))
    response = redirect(LOGIN_PATH, "signed_out")
    response.delete_cookie(
        SESSION_COOKIE, path="/staff", httponly=True, samesite="lax", secure=_secure(request)
    )
    return response


@router.get("/staff/static/{name}")
def static(name: str) -> FileResponse:
    if name not in STATIC:
        raise HTTPException(404)
    headers = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
    return FileResponse(HERE / "static" / name, media_type=STATIC[name], headers=headers)
