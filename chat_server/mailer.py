"""Sending queued mail over real SMTP (aiosmtplib), with retries and backoff."""

from __future__ import annotations

import logging
from email.message import EmailMessage

import aiosmtplib
import asyncpg

from chat_server.config import Config

log = logging.getLogger(__name__)


async def queue_mail(conn: asyncpg.Pool | asyncpg.Connection, recipient: str, subject: str, body: str) -> int:
    return int(await conn.fetchval(
        "INSERT INTO mail_outbox (recipient, subject, body) VALUES ($1, $2, $3) RETURNING id", recipient, subject, body
    ))


async def send_due_mail(cfg: Config, pool: asyncpg.Pool, limit: int = 50) -> int:
    """Send what is due; failures are retried with exponential backoff (capped at 10 minutes)."""
    rows = await pool.fetch(
        "SELECT id, recipient, subject, body, attempts FROM mail_outbox"
        " WHERE sent_at IS NULL AND next_try_at <= now() ORDER BY id LIMIT $1", limit,
    )
    sent = 0
    for r in rows:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = cfg.mail_from, r["recipient"], r["subject"]
        msg.set_content(r["body"])
        try:
            await aiosmtplib.send(msg, hostname=cfg.smtp_host, port=cfg.smtp_port, timeout=10)
        except (aiosmtplib.SMTPException, OSError) as e:
            delay = min(600.0, 2.0 ** min(r["attempts"], 10))
            await pool.execute(
                "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,"
                " next_try_at = now() + make_interval(secs => $3) WHERE id = $1",
                r["id"], repr(e)[:500], delay,
            )
            log.warning("mail not sent; will retry", extra={"mail_id": r["id"], "retry_in_s": delay, "error": repr(e)})
            continue
        await pool.execute("UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1", r["id"])
        sent += 1
    return sent
