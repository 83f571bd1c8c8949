"""Typed application state: one AppKey per resource (aiohttp web_advanced)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg
from aiohttp import web
from redis.asyncio import Redis

from chat_server.config import Config
from clinical.records import User

if TYPE_CHECKING:
    from chat_server.live import Live
    from chat_server.risk_live import RiskDesk

CONFIG = web.AppKey("config", Config)
POOL = web.AppKey("pool", asyncpg.Pool)
REDIS = web.AppKey("redis", Redis)
LIVE: web.AppKey[Live] = web.AppKey("live")
DESK: web.AppKey[RiskDesk] = web.AppKey("desk")

USER = web.RequestKey("user", User)
