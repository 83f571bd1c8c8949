"""The worker process: timers and outgoing mail, driven from PostgreSQL so a restart loses nothing."""

from __future__ import annotations

import asyncio
import logging
import signal

from redis.asyncio import Redis

from chat_server.config import Config
from chat_server.storage import db

log = logging.getLogger(__name__)



async def run_worker(cfg: Config) -> None:
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
    from chat_server.jobs import tick

    log.info("worker started")
    try:
        while not stop.is_set():
            try:
                await tick(cfg, pool, redis)
            except Exception:
                log.exception("worker tick failed; retrying")
            try:
                await asyncio.wait_for(stop.wait(), cfg.worker_tick_seconds)
            except TimeoutError:
                pass
    finally:
        await pool.close()
        await redis.aclose()
        log.info("worker stopped")
