"""Shared objects of the running app, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.core.config import Settings, get_settings
from bot.services.assistant import Assistant
from bot.services.rasa_client import RasaClient


def get_rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


SettingsDep = Annotated[Settings, Depends(get_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]
