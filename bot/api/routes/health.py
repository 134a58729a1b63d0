"""``GET /healthz``: whether the engine, the in-process action endpoint and the database are ready
(and the Redis of the turn locks, when the gateway shares them with other workers)."""

from __future__ import annotations

import asyncio

from anyio import to_thread
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.api.deps import RasaDep, TurnsDep
from bot.api.routes.engine import actions_ready
from bot.core.db import database_ok

router = APIRouter()


@router.get("/healthz")
async def healthz(rasa: RasaDep, turns: TurnsDep) -> JSONResponse:
    checks = {
        "rasa": rasa.engine_ok(),
        "actions": actions_ready(),
        "database": to_thread.run_sync(database_ok),
    }
    if turns.shared:
        checks["redis"] = turns.redis_ok()
    results = await asyncio.gather(*checks.values())
    components = {name: "ok" if ok else "down" for name, ok in zip(checks, results, strict=True)}
    healthy = all(value == "ok" for value in components.values())
    body = {"status": "ok" if healthy else "degraded", "components": components}
    return JSONResponse(body, status_code=200 if healthy else 503)
