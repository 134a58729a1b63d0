"""Account pages (admin only): staff accounts and the audit log of staff actions."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from bot.core.db import with_retries
from bot.staff import accounts as work
from bot.staff.models import ROLES
from bot.staff.passwords import MIN_LENGTH
from bot.staff.web import AdminStaff, StaffRoute, redirect, render, run_step

router = APIRouter(route_class=StaffRoute)
PAGE = "/staff/accounts"
AUDIT = "/staff/audit"


def _page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    context = {
        "accounts": with_retries(work.accounts),
        "roles": ROLES,
        "error": error,
        "min_length": MIN_LENGTH,
    }
    return render(request, "accounts.html", context, status=status)


@router.get(PAGE)
def accounts_page(request: Request, _admin: AdminStaff) -> HTMLResponse:
    return _page(request)


def _step(request: Request, step) -> Response:
    refusal = partial(_page, request, status=400)
    return run_step(step, work.AccountError, refusal, redirect(PAGE, "account_saved"))


@router.post(PAGE)
def create_account(
    request: Request,
    admin: AdminStaff,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "staff",
    password: Annotated[str, Form()] = "",
    callbacks: Annotated[str, Form()] = "",
) -> Response:
    actor = admin.staff.email
    return _step(request, lambda s: work.create(s, email, name, role, password, actor, callbacks == "on"))


@router.post(PAGE + "/{user_id}")
def update_account(
    request: Request,
    user_id: int,
    admin: AdminStaff,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "staff",
    active: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    callbacks: Annotated[str, Form()] = "",
) -> Response:
    actor = admin.staff.email
    return _step(
        request,
        lambda s: work.update(s, user_id, name, role, active == "on", password, actor, callbacks == "on"),
    )


@router.get(AUDIT)
def audit_page(request: Request, _admin: AdminStaff) -> HTMLResponse:
    return render(
        request, "audit.html", {"entries": with_retries(work.audit_log), "actions": work.AUDIT_ACTIONS}
    )
