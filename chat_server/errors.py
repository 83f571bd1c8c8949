"""HTTP errors as JSON: a stable code and a message that says what to do."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from pydantic import ValidationError

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


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
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
        return json_error(e.status, codes.get(e.status, "http_error"), e.reason, dict(e.headers) if e.status == 405 else None)
    except Exception:
        log.exception("unhandled error", extra={"path": request.path, "method": request.method})
        return json_error(500, "internal", "something went wrong on our side; it has been logged")


async def read_json(request: web.Request) -> object:
    """The request body as JSON, or a 4xx that says what was wrong with it."""
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as JSON with Content-Type: application/json")
    raw = await request.read()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise ApiError(400, "bad_json", f"the body is not valid JSON: {e}") from None
