"""The web application factory and its paired resource lifecycles."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from redis.asyncio import Redis

from chat_server import api, keys, metrics
from chat_server.config import Config
from chat_server.errors import ApiError, error_middleware, json_error
from chat_server.storage import db

log = logging.getLogger(__name__)
CLOSE_TIMEOUT_S = 10.0  # no resource may hold up a shutdown for longer than this
STATIC = Path(__file__).resolve().parent.parent / "static"


async def _pool_ctx(app: web.Application) -> AsyncIterator[None]:
    cfg = app[keys.CONFIG]
    conn = await db.connect_one(cfg.database_url)
    try:
        await db.migrate(conn)
    finally:
        await conn.close()
    pool = await db.connect(cfg.database_url, max_size=cfg.db_pool_max)
    app[keys.POOL] = pool
    yield
    try:
        await asyncio.wait_for(pool.close(), CLOSE_TIMEOUT_S)
    except TimeoutError:
        log.warning("PostgreSQL pool did not close in time; terminating its connections")
        pool.terminate()


async def _redis_ctx(app: web.Application) -> AsyncIterator[None]:
    redis = Redis.from_url(app[keys.CONFIG].redis_url, health_check_interval=10)
    app[keys.REDIS] = redis
    yield
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(redis.aclose(), CLOSE_TIMEOUT_S)


async def _live_ctx(app: web.Application) -> AsyncIterator[None]:
    from chat_server.live import Live
    from chat_server.risk_live import RiskDesk

    live = Live(app[keys.CONFIG], app[keys.POOL], app[keys.REDIS])
    desk = RiskDesk(app[keys.CONFIG], app[keys.POOL], app[keys.REDIS], live)
    desk.start()  # before the fan-out subscribes, so it hears alert changes
    await live.start()
    app[keys.LIVE] = live
    app[keys.DESK] = desk
    yield
    for step in (desk.stop(), live.stop()):
        try:
            await asyncio.wait_for(step, CLOSE_TIMEOUT_S)
        except TimeoutError:
            log.warning("live sessions did not stop in time")


async def _count(request: web.Request, response: web.StreamResponse) -> None:
    """Count each response as its headers go out (a signal, not a middleware: a middleware's
    frame would stay alive for as long as every WebSocket is open)."""
    route = request.match_info.route.resource.canonical if request.match_info.route.resource else "?"
    metrics.HTTP_REQUESTS.labels(request.method, route, str(response.status)).inc()


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def readyz(request: web.Request) -> web.Response:
    problems = {}
    try:
        await request.app[keys.POOL].fetchval("SELECT 1", timeout=2)
    except Exception as e:
        problems["postgresql"] = type(e).__name__
    try:
        await request.app[keys.REDIS].ping()
    except Exception as e:
        problems["redis"] = type(e).__name__
    if problems:
        return web.json_response({"ok": False, "unreachable": problems}, status=503)
    return web.json_response({"ok": True})


def metrics_refusal(remote: str | None, authorization: str, token: str) -> ApiError | None:
    """Who may read /metrics. The figures carry no personal data, but request counts and
    timings are an operator's, not the public's: with ``CBT_METRICS_TOKEN`` set, a scraper
    sends it as a bearer token; without it, only this machine may read them."""
    if token:
        if hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
            return None
        return ApiError(401, "metrics_token_required",
                        "send the metrics token (CBT_METRICS_TOKEN) as 'Authorization: Bearer <token>'")
    if not remote:  # a unix socket: this machine
        return None
    try:
        if ipaddress.ip_address(remote).is_loopback:
            return None
    except ValueError:
        pass
    return ApiError(403, "metrics_local_only",
                    "metrics are served to this machine only; set CBT_METRICS_TOKEN to let a scraper "
                    "elsewhere read them with that bearer token")


async def metrics_view(request: web.Request) -> web.Response:
    refusal = metrics_refusal(request.remote, request.headers.get("Authorization", ""),
                              request.app[keys.CONFIG].metrics_token)
    if refusal is not None:
        raise refusal
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def index(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/static/login.html")


async def _live_shutdown(app: web.Application) -> None:
    live = app.get(keys.LIVE)
    if live is not None:
        await live.shutdown()


def create_app(config: Config) -> web.Application:
    app = web.Application(middlewares=[error_middleware], client_max_size=config.max_body_bytes)
    app.on_response_prepare.append(_count)
    app[keys.CONFIG] = config
    app.cleanup_ctx.append(_pool_ctx)
    app.cleanup_ctx.append(_redis_ctx)
    app.cleanup_ctx.append(_live_ctx)
    app.on_shutdown.append(_live_shutdown)
    app.router.add_routes(api.routes)
    from chat_server import inbox_http, live_http, risk_http

    app.router.add_routes(live_http.routes)
    app.router.add_routes(risk_http.routes)
    app.router.add_routes(inbox_http.routes)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_view)
    app.router.add_get("/", index)
    app.router.add_static("/static", STATIC, append_version=False)
    app.router.add_route("*", "/api/{tail:.*}", _no_such_endpoint)
    return app


async def _no_such_endpoint(request: web.Request) -> web.Response:
    allowed: set[str] = set()
    for resource in request.app.router.resources():
        if resource is request.match_info.route.resource:
            continue
        match, methods = await resource.resolve(request)
        if match is None and methods:
            allowed |= methods
    if allowed:
        allow = ", ".join(sorted(allowed))
        return json_error(405, "method_not_allowed", f"{request.method} is not allowed on {request.path}; use {allow}",
                          {"Allow": allow})
    return json_error(404, "not_found", f"no endpoint {request.method} {request.path}; see README for the API")
