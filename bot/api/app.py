"""The FastAPI gateway: the one door to the assistant (see ../shared/api-contract.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from anyio import to_thread
from fastapi import FastAPI

from bot.api import metrics
from bot.api.errors import install_error_handlers
from bot.api.routes import booking, chat, engine, health, line, nlu, web
from bot.api.widget_cors import WidgetCors
from bot.core.config import get_settings
from bot.core.db import migrate
from bot.escalation import urgency
from bot.faq.select import learn_current
from bot.notify import mail
from bot.seed import seed_database
from bot.services.assistant import Assistant
from bot.services.rasa_client import RasaClient
from bot.services.turn_locks import open_turn_locks
from bot.staff.routes import router as staff_router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    await to_thread.run_sync(migrate)
    await to_thread.run_sync(seed_database)
    await to_thread.run_sync(urgency.warm_up)
    await to_thread.run_sync(learn_current)
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http,
        open_turn_locks(settings) as turns,
        mail.sending(),
    ):
        app.state.rasa = RasaClient(settings, http)
        app.state.turns = turns
        app.state.assistant = Assistant(app.state.rasa, turns)
        yield


def create_app() -> FastAPI:
    """Build the gateway with its routes, error handlers and metrics."""
    docs = get_settings().api_docs
    app = FastAPI(
        title="chizai-bot gateway",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    install_error_handlers(app)
    app.add_middleware(WidgetCors, origins=get_settings().widget_origin_list)
    app.add_middleware(metrics.RequestMetrics)
    for module in (health, nlu, chat, engine, web, line, booking, metrics):
        app.include_router(module.router)
    app.include_router(staff_router)
    return app
