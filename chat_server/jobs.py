"""One pass of the worker's jobs. Each job reads its due work from PostgreSQL."""

from __future__ import annotations

import asyncpg

from chat_server.config import Config
from chat_server.mailer import send_due_mail


async def tick(cfg: Config, pool: asyncpg.Pool) -> None:
    await send_due_mail(cfg, pool)
