"""Catalogue pages: the programs, the editor with a preview of the bot's card, the audit trail."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from bot.catalogue.models import Program
from bot.core.db import with_retries
from bot.staff import catalogue as work
from bot.staff.web import CurrentStaff, StaffRoute, form_values, redirect, render

router = APIRouter(route_class=StaffRoute)
LIST = "/staff/catalogue"
NEW = "/staff/catalogue/new"
STALE = "ほかの職員がこの制度を保存しました。最新の内容を読み込み直してから、もう一度編集してください。"


@router.get(LIST)
def program_list(request: Request, _staff: CurrentStaff) -> HTMLResponse:
    return render(request, "catalogue.html", {"programs": with_retries(work.programs)})


def _editor(
    request: Request,
    program_id: str,
    values: dict[str, Any],
    *,
    is_new: bool,
    errors: dict[str, str] | None = None,
    show_preview: bool = False,
    status: int = 200,
) -> HTMLResponse:
    def read(session):
        return {
            "version": work.version(session, program_id) if not is_new else None,
            "changes": work.changes(session, program_id) if not is_new else [],
        }

    context = with_retries(read)
    card = work.preview(program_id or "new", values) if show_preview or not is_new else None
    return render(
        request,
        "program.html",
        {
            **context,
            "program_id": program_id,
            "values": values,
            "is_new": is_new,
            "errors": errors or {},
            "card": card,
            "previewing": show_preview,
            "fields": work.FIELDS,
            "flags": work.FLAGS,
        },
        status=status,
    )


@router.get(NEW)
def new_program(request: Request, _staff: CurrentStaff) -> HTMLResponse:
    values = {f.name: None for f in work.FIELDS} | {"third_party": False, "published": False}
    return _editor(request, "", values, is_new=True)


@router.get(LIST + "/{program_id}")
def edit_program(request: Request, program_id: str, _staff: CurrentStaff) -> HTMLResponse:
    def read(session):
        program = session.get(Program, program_id)
        if program is None:
            raise HTTPException(404)
        return work.snapshot(program)

    return _editor(request, program_id, with_retries(read), is_new=False)


@router.post(NEW)
async def create_program(request: Request, staff: CurrentStaff) -> Response:
    form = await form_values(request)
    program_id = form.get("program_id", "").strip()
    values, errors = work.validate(form)
    problem = await _run(lambda s: work.validate_new_id(s, program_id))
    if problem:
        errors["program_id"] = problem
    if errors or form.get("action") == "preview":
        return await _run_editor(
            request, program_id, values, is_new=True, errors=errors, show_preview=not errors
        )
    await _run(lambda s: work.save(s, program_id, values, staff.staff.email, None))
    return redirect(f"{LIST}/{program_id}", "saved")


@router.post(LIST + "/{program_id}")
async def save_program(request: Request, program_id: str, staff: CurrentStaff) -> Response:
    form = await form_values(request)
    values, errors = work.validate(form)
    if errors or form.get("action") == "preview":
        return await _run_editor(
            request, program_id, values, is_new=False, errors=errors, show_preview=not errors
        )
    try:
        seen = int(form.get("version", ""))
    except ValueError:
        seen = -1
    try:
        await _run(lambda s: work.save(s, program_id, values, staff.staff.email, seen))
    except LookupError as error:
        raise HTTPException(404) from error
    except work.StaleEdit:
        return await _run_editor(
            request, program_id, values, is_new=False, errors={"_form": STALE}, status=409
        )
    return redirect(f"{LIST}/{program_id}", "saved")


async def _run(step):
    return await to_thread.run_sync(with_retries, step)


async def _run_editor(request: Request, program_id: str, values: dict[str, Any], **options) -> HTMLResponse:
    return await to_thread.run_sync(lambda: _editor(request, program_id, values, **options))
