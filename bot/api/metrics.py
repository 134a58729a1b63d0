"""Prometheus metrics: request counts and latencies per route (``GET /metrics``, from this machine
or with ``CHIZAI_METRICS_TOKEN``; anyone else gets 404)."""

from __future__ import annotations

import secrets
import time

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.core.config import get_settings
from bot.services.limits import LOOPBACK

REQUESTS = Counter("chizai_requests_total", "HTTP requests", ["route", "method", "status"])
LATENCY = Histogram(
    "chizai_request_seconds",
    "HTTP request latency",
    ["route"],
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

router = APIRouter()


def _may_read(request: Request) -> bool:
    """From this machine and not through a proxy, or with the metrics token."""
    client = request.client.host if request.client else ""
    if client in LOOPBACK and "x-forwarded-for" not in request.headers and "forwarded" not in request.headers:
        return True
    token = get_settings().metrics_token
    given = request.headers.get("authorization", "").removeprefix("Bearer ")
    return token is not None and secrets.compare_digest(given, token.get_secret_value())


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    if not _may_read(request):
        return Response(status_code=404)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class RequestMetrics:
    """ASGI middleware timing every request, labelled by its route template (not the raw path).

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware`` costs
    a task and a stream per request, a measurable share of a 10 ms ``/api/nlu/parse``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            LATENCY.labels(route).observe(time.perf_counter() - started)
            REQUESTS.labels(route, scope["method"], str(status)).inc()
