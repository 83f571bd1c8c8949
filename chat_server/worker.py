"""The worker process: risk screening, escalation timers and outgoing mail, all driven
from PostgreSQL so that a restart loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal

import asyncpg
from redis.asyncio import Redis
from redis.exceptions import RedisError

from chat_server import alerting
from chat_server.config import Config
from chat_server.jobs import screen_pending, tick
from chat_server.screening import Screener
from chat_server.storage import db

log = logging.getLogger(__name__)
SCREEN_POLL_S = 1.0


async def run_worker(cfg: Config) -> None:
    # Screening is CPU work: let the web processes (live chat) win when the machine is busy.
    with contextlib.suppress(OSError):
        os.nice(10)
    conn = await db.connect_one(cfg.database_url)
    try:
        await db.migrate(conn)
    finally:
        await conn.close()
    pool = await db.connect(cfg.database_url, min_size=1, max_size=4)
    redis = Redis.from_url(cfg.redis_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    screener = await asyncio.to_thread(Screener)
    log.info("worker started")
    tasks = [
        asyncio.create_task(_every(cfg.worker_tick_seconds, stop, lambda: tick(cfg, pool, redis)), name="timers"),
        asyncio.create_task(_screening(cfg, pool, redis, screener, stop), name="screening"),
    ]
    try:
        await stop.wait()
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await pool.close()
        await redis.aclose()
        log.info("worker stopped")


async def _every(seconds: float, stop: asyncio.Event, job) -> None:  # type: ignore[no-untyped-def]
    while not stop.is_set():
        try:
            await job()
        except Exception:
            log.exception("worker job failed; retrying")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


async def _screening(cfg: Config, pool: asyncpg.Pool, redis: Redis, screener: Screener, stop: asyncio.Event) -> None:
    """Screen as soon as a web process says patient messages are stored; poll as well."""
    wake = asyncio.Event()
    listener = asyncio.create_task(_listen(redis, wake))
    try:
        while not stop.is_set():
            try:
                while await screen_pending(cfg, pool, redis, screener) > 0:
                    pass  # more were waiting: go again before sleeping
            except Exception:
                log.exception("screening pass failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), SCREEN_POLL_S)
            wake.clear()
    finally:
        listener.cancel()


async def _listen(redis: Redis, wake: asyncio.Event) -> None:
    while True:
        try:
            pubsub = redis.pubsub(ignore_subscribe_messages=True)
            await pubsub.subscribe(alerting.SCREEN_CHANNEL)
            async for _ in pubsub.listen():
                wake.set()
        except asyncio.CancelledError:
            raise
        except (RedisError, OSError):
            await asyncio.sleep(1.0)  # polling covers the gap
