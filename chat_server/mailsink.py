"""A local SMTP sink (aiosmtpd) for development: received mail is kept in PostgreSQL."""

from __future__ import annotations

import logging
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

import asyncpg
from aiosmtpd.controller import Controller

log = logging.getLogger(__name__)


class StoreHandler:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content, policy=default_policy)
        body = msg.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        conn = await asyncpg.connect(self.dsn)
        try:
            await conn.execute(
                "INSERT INTO mail_received (mail_from, rcpt_to, subject, body) VALUES ($1, $2, $3, $4)",
                envelope.mail_from, list(envelope.rcpt_tos), str(msg.get("Subject", "")), text,
            )
        finally:
            await conn.close()
        return "250 Message accepted for delivery"


def start_sink(dsn: str, host: str, port: int) -> Controller:
    controller = Controller(StoreHandler(dsn), hostname=host, port=port)
    controller.start()
    return controller
