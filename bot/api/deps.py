"""Shared objects of the running app, as FastAPI dependencies.

They are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a worker thread,
a hand-off per request that a millisecond-scale route like ``/api/nlu/parse`` can feel.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.core.config import Settings, get_settings
from bot.services.assistant import Assistant
from bot.services.rasa_client import RasaClient
from bot.services.turn_locks import TurnLocks


async def settings() -> Settings:
    return get_settings()


async def get_rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


async def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


async def get_turns(request: Request) -> TurnLocks:
    return request.app.state.turns


SettingsDep = Annotated[Settings, Depends(settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]
TurnsDep = Annotated[TurnLocks, Depends(get_turns)]
