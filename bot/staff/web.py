"""The dashboard's web plumbing: templates, the route class that guards every staff page
(sign-in, CSRF, roles, errors as Japanese pages, security headers) and small helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlencode

import jinja2
from anyio import to_thread
from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from bot.catalogue.freshness import is_stale
from bot.core.clock import now_tokyo
from bot.core.config import get_settings
from bot.core.db import with_retries
from bot.staff import csrf, timefmt
from bot.staff.auth import SESSION_COOKIE, Forbidden, SignedIn, load_session, require_admin
from bot.staff.models import ROLES
from bot.staff.summary import intent_name, trigger_label

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LOGIN_PATH = "/staff/login"
HOME_PATH = "/staff/"
SECOND_FACTOR_PATH = "/staff/second-factor"
PUBLIC_PATHS = frozenset({LOGIN_PATH, "/staff/static/{name}"})
# What a session awaiting its second factor may open (bot/staff/second_factor.py).
UNVERIFIED_PATHS = frozenset({SECOND_FACTOR_PATH, "/staff/logout", "/staff/static/{name}"})
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
SECURITY_HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

ERRORS = {
    400: "送信内容を読み取れませんでした。入力内容を確認して、もう一度お試しください。",
    403: "この操作を行う権限がありません。",
    404: "お探しのページまたはデータは見つかりませんでした。",
    405: "この方法ではご利用いただけません。",
    500: "一時的な問題が発生しました。少し時間をおいて、もう一度お試しください。",
    503: "データベースが混み合っています。少し時間をおいて、もう一度お試しください。",
}
CSRF_REFUSED = (
    "フォームの有効期限が切れたか、正しくない送信のため受け付けませんでした。"
    "ページを再読み込みしてから、もう一度お試しください。"
)

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every visitor text is escaped wherever it is shown
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def shown(value: Any) -> str:
    """A stored value as staff read it: ``—`` for nothing, はい/いいえ for flags."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value)


def stale(as_of: str | None) -> bool:
    """Whether a program's facts are older than two fiscal years (bot/catalogue/freshness.py)."""
    return is_stale(as_of, now_tokyo().date())


env.filters.update(
    jst=timefmt.jst,
    slot=timefmt.slot,
    day=timefmt.day,
    shown=shown,
    trigger=trigger_label,
    intent=intent_name,
    stale=stale,
)
env.globals.update(ROLES=ROLES)
templates = Jinja2Templates(env=env)


def safe_next(target: str | None) -> str:
    """A dashboard path to go back to after sign-in; anything else goes home."""
    if not target or not target.startswith("/staff/") or "//" in target or "\\" in target:
        return HOME_PATH
    return target


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(target, safe='')}", status_code=303)


def error_page(request: Request, status: int, message: str | None = None) -> HTMLResponse:
    signed_in = getattr(request.state, "signed_in", None)
    context = {"status": status, "message": message or ERRORS.get(status, ERRORS[500])}
    return render(request, "error.html", context, status=status, signed_in=signed_in)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
    signed_in: SignedIn | None = None,
) -> HTMLResponse:
    """A page, with who is signed in, the CSRF token for its forms, and a notice if any."""
    signed_in = signed_in or getattr(request.state, "signed_in", None)
    base = {
        "staff": signed_in.staff if signed_in else None,
        "csrf_token": signed_in.csrf_token if signed_in else "",
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "path": request.url.path,
    }
    return templates.TemplateResponse(request, template, {**base, **(context or {})}, status_code=status)


def redirect(path: str, done: str | None = None, **params: Any) -> RedirectResponse:
    """See other (after a POST), with a notice code the next page shows."""
    query = {k: v for k, v in {**params, "done": done}.items() if v not in (None, "")}
    return RedirectResponse(path + (f"?{urlencode(query)}" if query else ""), status_code=303)


def run_step(
    step: Callable[[Any], object],
    refused: type[Exception],
    show_refusal: Callable[[str], Response],
    then: RedirectResponse,
) -> Response:
    """Run one staff action in a transaction: 404 when its object no longer exists, the form page
    again with the reason when the action is ``refused``, otherwise on to ``then``."""
    try:
        with_retries(step)
    except LookupError as error:
        raise HTTPException(404) from error
    except refused as error:
        return show_refusal(str(error))
    return then


NOTICES = {
    "event_added": "予定を追加しました。",
    "event_removed": "予定を削除しました。",
    "assigned": "担当者を設定しました。",
    "note": "メモを追加しました。",
    "started": "対応中にしました。",
    "closed": "完了にしました。チャットボットはこの来訪者に再び応答します。",
    "booking_changed": "予約の日時を変更しました。",
    "booking_cancelled": "予約をキャンセルしました。",
    "saved": "保存しました。",
    "on_duty": "チャットの対応中にしました。対応時間の終わりに自動で外れます。",
    "off_duty": "チャットの対応中を外しました。",
    "replied": "来訪者に返信しました。",
    "handed_back": "会話をチャットボットに戻しました。",
    "push_failed": "LINE に届けられませんでした。返信は会話の記録に残っています。時間をおいて、もう一度お試しください。",
    "deleted": "削除しました。",
    "labelled": "意図を登録しました。",
    "signed_out": "ログアウトしました。",
    "account_saved": "アカウントを保存しました。",
}


T = TypeVar("T")


async def form_values(request: Request) -> dict[str, str]:
    """A submitted form's text fields (files left out)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def detached(session: Session, rows: list[T]) -> list[T]:
    """``rows`` read in ``session``, usable after it closes (for a page to show)."""
    for row in rows:
        session.expunge(row)
    return rows


def _session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


async def _check_csrf(request: Request, signed_in: SignedIn | None) -> None:
    form = await request.form()
    given = form.get(csrf.FIELD) or request.headers.get(csrf.HEADER)
    given = given if isinstance(given, str) else None
    if signed_in is not None:
        csrf.check(signed_in.csrf_token, given)
    else:  # the sign-in form: its token is bound to its pre-session cookie
        csrf.check_login(request.cookies.get(csrf.LOGIN_COOKIE), given)


class StaffRoute(APIRoute):
    """Every staff page goes through here: no page without sign-in, no POST without its token."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        public = self.path_format in PUBLIC_PATHS
        before_second_factor = self.path_format in UNVERIFIED_PATHS | PUBLIC_PATHS

        async def guarded(request: Request) -> Response:
            try:
                token = _session_token(request)
                signed_in = await to_thread.run_sync(with_retries, lambda s: load_session(s, token))
                request.state.signed_in = signed_in
                if signed_in is None and not public:
                    return _login_redirect(request)
                if signed_in is not None and not signed_in.verified and not before_second_factor:
                    return _second_factor_redirect(request)
                if request.method not in csrf.SAFE_METHODS:
                    await _check_csrf(request, signed_in)
                response = await handler(request)
            except csrf.CsrfRejected:
                logger.warning(
                    "staff: refused a %s to %s without its CSRF token", request.method, request.url.path
                )
                response = error_page(request, 403, CSRF_REFUSED)
            except Forbidden:
                response = error_page(request, 403)
            except HTTPException as error:
                response = error_page(request, error.status_code)
            except RequestValidationError:
                response = error_page(request, 400)
            except SQLAlchemyError:
                logger.exception("staff: database error on %s", request.url.path)
                response = error_page(request, 503)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            if get_settings().env == "production":  # served over HTTPS only, behind its proxy
                response.headers.setdefault("Strict-Transport-Security", HSTS)
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return guarded


def _second_factor_redirect(request: Request) -> Response:
    """To the code page, coming back here afterwards (for a page; a POST starts again at home)."""
    back = request.url.path if request.method in csrf.SAFE_METHODS else HOME_PATH
    return RedirectResponse(f"{SECOND_FACTOR_PATH}?{urlencode({'next': back})}", status_code=303)


def _signed_in(request: Request) -> SignedIn:
    signed_in = getattr(request.state, "signed_in", None)
    if signed_in is None:  # public routes never ask for it
        raise Forbidden
    return signed_in


def _admin(request: Request) -> SignedIn:
    signed_in = _signed_in(request)
    require_admin(signed_in.staff)
    return signed_in


CurrentStaff = Annotated[SignedIn, Depends(_signed_in)]
AdminStaff = Annotated[SignedIn, Depends(_admin)]
