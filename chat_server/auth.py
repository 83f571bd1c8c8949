"""Passwords, tokens, login throttling and the role check on every endpoint."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from urllib.parse import parse_qs

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chat_server import keys
from chat_server.errors import ApiError
from chat_server.live import DB_UNAVAILABLE
from chat_server.storage import accounts
from clinical.records import Role, User

log = logging.getLogger(__name__)
COOKIE = "cbt_session"
FAILURE_WINDOW_S = 15 * 60
MAX_DELAY_S = 300.0

_hasher = PasswordHasher()
# A real hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def login_delay(failures: int, free: int) -> float:
    """Seconds to wait before the next attempt: 0 for the first `free`, then doubling."""
    if failures < free:
        return 0.0
    return min(MAX_DELAY_S, 2.0 ** (failures - free + 1))


async def verify_async(password_hash: str, password: str) -> bool:
    # argon2 takes tens of ms of CPU: keep it off the event loop.
    return await asyncio.to_thread(verify_password, password_hash, password)


def presented_token(request: web.Request) -> str | None:
    """A bearer token, else (on /ws) a `token` query parameter, else the session cookie.
    Read from the raw header and query string, not `request.cookies` / `request.query`:
    those are parsed once and cached on the request, which a WebSocket keeps while open."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    if request.path == "/ws" and request.query_string:
        query = parse_qs(request.query_string, keep_blank_values=True)
        if "token" in query:
            return query["token"][0] or None
    return cookie_value(request.headers.get("Cookie", ""), COOKIE)


def cookie_value(header: str, name: str) -> str | None:
    """The first value of cookie `name` in a Cookie header, or None (absent or empty)."""
    for part in header.split(";"):
        key, eq, value = part.partition("=")
        if eq and key.strip() == name:
            return value.strip().strip('"') or None
    return None


async def authenticate_socket(request: web.Request) -> User | None:
    """:func:`authenticate` for a WebSocket upgrade: if the database cannot be asked (it is
    restarting), refuse with 503 and Retry-After, which the client retries, rather than
    an error page and a traceback in the log."""
    try:
        return await authenticate(request)
    except DB_UNAVAILABLE as e:
        log.warning("database unavailable; socket refused", extra={"error": repr(e), "path": request.path})
        raise web.HTTPServiceUnavailable(text="cannot check your login right now; retry in a moment",
                                         headers={"Retry-After": "1"}) from None


async def authenticate(request: web.Request) -> User | None:
    token = presented_token(request)
    if token is None or len(token) > 200:
        return None
    return await accounts.user_for_token(request.app[keys.POOL], token_hash(token), datetime.now(UTC))


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def requires(*roles: Role) -> Callable[[Handler], Handler]:
    """Every endpoint says who may call it; nobody else gets past this."""
    allowed: frozenset[Role] = frozenset(roles)

    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        async def inner(request: web.Request) -> web.StreamResponse:
            user = await authenticate(request)
            if user is None:
                raise ApiError(401, "unauthorized", "log in first (POST /api/login), or your token has expired")
            if allowed and user.role not in allowed:
                names = ", ".join(sorted(r.value for r in allowed))
                raise ApiError(403, "forbidden", f"only {names} may do this")
            request[keys.USER] = user
            return await handler(request)

        inner.roles = allowed  # type: ignore[attr-defined]
        return inner

    return wrap


def expiry(now: datetime, hours: float) -> datetime:
    return now + timedelta(hours=hours)
