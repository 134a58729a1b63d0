"""The staff dashboard's routes under ``/staff/``; ``router`` is what the gateway includes.

Its lifespan runs the daily retention purge while the gateway runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from bot.privacy.retention import scheduled_purge
from bot.staff.routes import (
    accounts,
    analytics,
    answers,
    bookings,
    catalogue,
    escalations,
    events,
    export,
    home,
    live,
    login,
    second_factor,
)
from bot.staff.web import StaffRoute


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    async with scheduled_purge():
        yield


MODULES = (
    login,
    second_factor,
    escalations,
    live,
    bookings,
    catalogue,
    answers,
    events,
    analytics,
    accounts,
    export,
    home,
)  # home's catch-all last
router = APIRouter(route_class=StaffRoute, include_in_schema=False, lifespan=lifespan)
for module in MODULES:
    router.include_router(module.router)
