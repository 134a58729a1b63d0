"""CORS for the widget's routes, so that the one-line embed works on the center's own website.

The widget is served by the gateway but runs on the site's pages, another origin: its calls to
``/api/chat`` and ``/api/chat/history`` are cross-origin (JSON bodies, so preflighted). Only
those routes answer such requests; the staff dashboard, the internal API and the other routes
stay same-origin. The widget sends no cookies (``credentials: "omit"``), so a site allowed to
call them gains nothing a plain HTTP client does not have.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

WIDGET_API = "/api/chat"


def _is_widget_api(path: str) -> bool:
    return path == WIDGET_API or path.startswith(WIDGET_API + "/")


class WidgetCors:
    """ASGI middleware: Starlette's ``CORSMiddleware`` on the widget's routes, nothing elsewhere."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_widget_api(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
