"""``GET /healthz``: whether the engine, the action server and the database are ready."""

from __future__ import annotations

import asyncio

from anyio import to_thread
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.api.deps import RasaDep
from bot.core.db import database_ok

router = APIRouter()


@router.get("/healthz")
async def healthz(rasa: RasaDep) -> JSONResponse:
    engine, actions, database = await asyncio.gather(
        rasa.engine_ok(), rasa.actions_ok(), to_thread.run_sync(database_ok)
    )
    components = {
        name: "ok" if ok else "down"
        for name, ok in (("rasa", engine), ("actions", actions), ("database", database))
    }
    healthy = all(value == "ok" for value in components.values())
    body = {"status": "ok" if healthy else "degraded", "components": components}
    return JSONResponse(body, status_code=200 if healthy else 503)
