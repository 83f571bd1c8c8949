"""HTTP errors as JSON: a stable code and a message that says what to do."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def json_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


def describe_validation(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:5]:
        where = ".".join(str(p) for p in e["loc"]) or "body"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


H = TypeVar("H", bound=Handler)
_LONG_LIVED: set[Callable[..., object]] = set()


def long_lived(handler: H) -> H:
    """Mark a handler whose response outlives the request (a WebSocket): the error middleware
    hands it on untouched. It answers its own errors in its own protocol, and a middleware
    awaiting it would keep a coroutine frame (~330 B) alive beside every open socket."""
    _LONG_LIVED.add(handler)
    return handler


@web.middleware
def error_middleware(request: web.Request, handler: Handler) -> Awaitable[web.StreamResponse]:
    # Not a coroutine function, so that a long-lived handler's coroutine is returned as it is.
    if request.match_info.handler in _LONG_LIVED:
        return handler(request)
    return _json_errors(request, handler)


async def _json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as e:
        return json_error(e.status, e.code, e.message, e.headers)
    except ValidationError as e:
        return json_error(422, "invalid_field", describe_validation(e))
    except web.HTTPRequestEntityTooLarge:
        return json_error(413, "too_large", "the request body is too large")
    except web.HTTPException as e:
        if e.status < 400 or e.content_type == "application/json":
            raise
        codes = {404: "not_found", 405: "method_not_allowed"}
        messages = {
            404: f"nothing at {request.path}; see README for the API",
            405: f"{request.method} is not allowed on {request.path}; use {e.headers.get('Allow', '')}",
        }
        message = messages.get(e.status, e.reason)
        return json_error(e.status, codes.get(e.status, "http_error"), message, dict(e.headers) if e.status == 405 else None)
    except Exception:
        log.exception("unhandled error", extra={"path": request.path, "method": request.method})
        return json_error(500, "internal", "something went wrong on our side; it has been logged")


M = TypeVar("M", bound=BaseModel)


async def parse_body(request: web.Request, model: type[M]) -> M:
    """The body validated as `model` in JSON mode: strict types (no "5" for 5), but ISO
    strings for dates and enum values as strings, as JSON has no other way to say them."""
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as JSON with Content-Type: application/json")
    raw = await request.read()
    try:
        return model.model_validate_json(raw or b"null")
    except ValidationError as e:
        if any(err["type"] == "json_invalid" for err in e.errors()):
            raise ApiError(400, "bad_json", "the body is not valid JSON") from None
        if any(err["type"] == "model_type" and not err["loc"] for err in e.errors()):
            raise ApiError(422, "invalid_field", "the body must be a JSON object") from None
        raise
