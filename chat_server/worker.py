"""Background processes, both driven from PostgreSQL so that a restart loses nothing:

* the worker (`cbt worker`): escalation timers and outgoing mail — light, punctual work;
* the screener (`cbt screener`): risk screening of stored patient messages — CPU work
  (a sentence encoder), run at idle CPU priority so live chat always comes first.
"""

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


async def _open(cfg: Config) -> tuple[asyncpg.Pool, Redis, asyncio.Event]:
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
    return pool, redis, stop


async def run_worker(cfg: Config) -> None:
    pool, redis, stop = await _open(cfg)
    log.info("worker started")
    try:
        await _every(cfg.worker_tick_seconds, stop, lambda: tick(cfg, pool, redis))
    finally:
        await pool.close()
        await redis.aclose()
        log.info("worker stopped")


def lower_priority() -> None:
    """Run only when nothing else wants the CPU (SCHED_IDLE), or at least be nice."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(19)


async def run_screener(cfg: Config) -> None:
    lower_priority()
    pool, redis, stop = await _open(cfg)
    screener = await asyncio.to_thread(Screener)
    log.info("screener started", extra={"shard": cfg.screener_shard})
    try:
        await _screening(cfg, pool, redis, screener, stop)
    finally:
        await pool.close()
        await redis.aclose()
        log.info("screener stopped")


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
    # One pass at a time, in this (idle-priority) process: no thread needed.
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
