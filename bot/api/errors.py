"""Errors in the contract's shape: ``{"error": {"code", "message"}}`` with a Japanese message."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

logger = logging.getLogger(__name__)

_MESSAGES = {
    404: "お探しのページは見つかりませんでした。",
    405: "この方法ではご利用いただけません。",
    422: "送信内容を読み取れませんでした。お手数ですが、もう一度お試しください。",
    500: "申し訳ありません。一時的な問題が発生しました。少し時間をおいて、もう一度お試しください。",
}
INCOMPLETE_BODY = "送信内容を最後まで受け取れませんでした。お手数ですが、もう一度お送りください。"


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Every error, expected or not, leaves as the contract's error shape."""

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, error: HTTPException) -> JSONResponse:
        message = _MESSAGES.get(error.status_code, _MESSAGES[500])
        return error_response(error.status_code, f"http_{error.status_code}", message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, _error: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _MESSAGES[422])

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, _error: ClientDisconnect) -> JSONResponse:
        # The client hung up before its body arrived: nobody reads this answer, nothing broke.
        logger.info("client disconnected before sending its whole body to %s", request.url.path)
        return error_response(400, "client_disconnected", INCOMPLETE_BODY)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, _error: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s", request.url.path)
        return error_response(500, "internal_error", _MESSAGES[500])
