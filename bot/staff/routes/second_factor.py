"""The second factor's page: enrolment (a QR code and a first code) or a code at each sign-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.core.db import with_retries
from bot.staff import ratelimit, second_factor
from bot.staff.auth import SESSION_COOKIE, verify_session
from bot.staff.models import StaffUser
from bot.staff.web import SECOND_FACTOR_PATH, CurrentStaff, StaffRoute, render, safe_next

router = APIRouter(route_class=StaffRoute)
WRONG = "確認コードが正しくありません。アプリに表示されている6桁の数字を入力してください。"
LOCKED = "確認コードの誤りが続いたため、しばらく入力できません。15分ほど待ってから、もう一度お試しください。"


def _attempts_key(email: str) -> str:
    return f"second-factor:{email}"


def _page(
    request: Request, staff: CurrentStaff, next_path: str, error: str = "", status: int = 200
) -> HTMLResponse:
    def read(session) -> dict:
        user = session.get_one(StaffUser, staff.staff.id)
        if second_factor.enrolled(user):
            return {"enrolling": False}
        secret = second_factor.secret_to_enrol(user)
        return {"enrolling": True, "secret": secret, "qr": second_factor.qr_code(user, secret)}

    context = {**with_retries(read), "next": next_path, "error": error}
    return render(request, "second_factor.html", context, status=status)


@router.get(SECOND_FACTOR_PATH)
def code_page(request: Request, staff: CurrentStaff, next: str = "") -> Response:
    if staff.verified:
        return RedirectResponse(safe_next(next), status_code=303)
    return _page(request, staff, safe_next(next))


@router.post(SECOND_FACTOR_PATH)
def give_code(
    request: Request,
    staff: CurrentStaff,
    code: Annotated[str, Form(max_length=32)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    key, ip = _attempts_key(staff.staff.email), request.client.host if request.client else "unknown"
    attempt, locked = ratelimit.start(key, ip)
    if locked:
        return _page(request, staff, safe_next(next), LOCKED, status=429)
    token = request.cookies.get(SESSION_COOKIE)

    def verify(session) -> tuple[bool, list[str] | None]:
        user = session.get_one(StaffUser, staff.staff.id)
        if second_factor.enrolled(user):
            ok, codes = second_factor.check(user, code), None
        else:
            codes = second_factor.confirm(user, code)
            ok = codes is not None
        if ok:
            ratelimit.succeeded(session, attempt)
            verify_session(session, token)
        return ok, codes

    ok, recovery_codes = with_retries(verify)
    if not ok:
        return _page(request, staff, safe_next(next), WRONG, status=400)
    if recovery_codes:
        return render(request, "recovery_codes.html", {"codes": recovery_codes, "next": safe_next(next)})
    return RedirectResponse(safe_next(next), status_code=303)
