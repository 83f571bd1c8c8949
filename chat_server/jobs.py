"""One pass of the worker's jobs. Each job reads its due work from PostgreSQL, so a
restarted worker carries on where the last one stopped."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

import asyncpg
from redis.asyncio import Redis

from chat_server import alerting
from chat_server.config import Config
from chat_server.mailer import queue_mail, send_due_mail
from chat_server.screening import Screener
from chat_server.storage import inbox as inbox_store
from chat_server.storage import risk as risk_store
from clinical.escalation import (
    AlertState,
    AlertStatus,
    EscalationPlan,
    after_sent,
    due_notifications,
    next_wake,
)
from clinical.risk import Screening, Source, screen_text

log = logging.getLogger(__name__)


async def tick(cfg: Config, pool: asyncpg.Pool, redis: Redis) -> None:
    await escalate(cfg, pool, redis)
    await send_due_mail(cfg, pool)


async def escalate(cfg: Config, pool: asyncpg.Pool, redis: Redis) -> int:
    """Send every notification that is due, following each alert's frozen plan."""
    now = alerting.clock(cfg)
    sent_total = 0
    for row in await risk_store.due_alerts(pool, now):
        plan = EscalationPlan.from_json(row["plan"])
        state = AlertState(row["opened_at"], row["deliver_at"], row["notified_count"], AlertStatus(row["status"]))
        due = due_notifications(plan, state, now)
        after = after_sent(state, due) if due else state
        wake = next_wake(plan, after)
        targets = [int(n.target) for n in due if n.target.isdigit()]
        async with pool.acquire() as conn, conn.transaction():
            contacts = await risk_store.user_contacts(conn, targets)
            await risk_store.record_notifications(
                conn, row["id"], [(n.index, n.target, n.level, n.due_at) for n in due], after.notified_count, wake,
            )
            for n in due:
                email = contacts.get(int(n.target), (None, ""))[0] if n.target.isdigit() else cfg.duty_team_email
                if email is None:
                    log.error("alert target has no e-mail", extra={"alert_id": row["id"], "target": n.target})
                    continue
                await queue_mail(conn, email, *alert_mail(cfg, row, n.level))
        sent_total += len(due)
        if due:
            log.info("alert notifications sent", extra={"alert_id": row["id"], "targets": [n.target for n in due]})
            await alerting.announce(redis, row["id"])
    return sent_total


def alert_mail(cfg: Config, row: asyncpg.Record, level: int) -> tuple[str, str]:
    """Subject and body. No patient details by e-mail: the dashboard has them, behind a login."""
    label = alerting.category_label(row["category"])
    prefix = "ESCALATED: " if level > 0 else ""
    subject = f"{prefix}{row['severity'].upper()} risk alert #{row['id']}: {label}"
    body = (
        f"A {row['severity']} risk alert ({label}) needs a clinician today.\n"
        f"{'Nobody has acknowledged it yet, so it has been escalated to you.' if level > 0 else ''}\n\n"
        f"Open the supervisor dashboard to see it and acknowledge it:\n"
        f"{cfg.public_url}/static/supervisor.html#alert-{row['id']}\n"
    )
    return subject, body


MODEL_CHUNK = 8  # messages per encoder call: alerts go out after each chunk, not after the pass
RULES_BATCH = 2000


async def screen_pending(cfg: Config, pool: asyncpg.Pool, redis: Redis, screener: Screener,
                         batch: int = 200) -> int:
    """Screen patient messages stored since the last pass; returns how many the encoder's
    pass read (the loop in the screener goes again at once while that is > 0).

    Runs in the screener process, so chat never waits on it; the per-session marks in
    PostgreSQL mean a crash of any process loses no screening. Two marks: the rules
    (~0.3 ms a message) keep up with any load and raise what they catch at once; the
    encoder (~10 ms a message) reads what the rules let through in chunks, and between
    chunks the rules catch up with whatever arrived meanwhile. So at peak, when the
    encoder falls behind, a rule hit still becomes an alert within about a chunk's time."""
    share = cfg.screener_share()
    await rules_pass(cfg, pool, redis, share)
    rows = await risk_store.unscreened(pool, batch, share)
    texts = [r["body"] for r in rows]
    rules = [screen_text(t, Source.SESSION) for t in texts]  # their hits are raised by the rules' pass
    await encoder_pass(
        screener, texts, rules, Source.SESSION,
        flag=lambda i, result: _raise(cfg, pool, redis, rows[i], result),
        between=lambda: rules_pass(cfg, pool, redis, share),
    )
    await risk_store.mark_screened(pool, {r["appointment_id"]: r["seq"] for r in rows})
    if len(rows) < batch:
        await risk_store.skip_unscreenable(pool, share)
    return len(rows) + await screen_inbox(cfg, pool, redis, screener, share, batch)


async def encoder_pass(
    screener: Screener, texts: Sequence[str], rules: Sequence[Screening], source: Source, *,
    flag: Callable[[int, Screening], Awaitable[None]], between: Callable[[], Awaitable[object]] | None = None,
) -> None:
    """The whole screener over the texts the rules let through (``rules``: their verdicts),
    in chunks of MODEL_CHUNK: ``flag(index, result)`` for each hit as its chunk is done,
    then ``between()`` before the next chunk."""
    rest = [i for i, r in enumerate(rules) if not r.is_risk]
    for k in range(0, len(rest), MODEL_CHUNK):
        chunk = rest[k : k + MODEL_CHUNK]
        # The encoder is CPU work in NumPy: off the event loop, so the pass can be stopped.
        results = await asyncio.to_thread(
            screener.screen_many, [texts[i] for i in chunk], source, [rules[i] for i in chunk])
        for i, result in zip(chunk, results, strict=True):
            if result.is_risk:
                await flag(i, result)
        if between is not None:
            await between()


async def rules_pass(cfg: Config, pool: asyncpg.Pool, redis: Redis, share: tuple[int, int]) -> int:
    """The rules over every patient message past the rules' mark; alerts for their hits."""
    rows = await risk_store.unscreened(pool, RULES_BATCH, share, by="rules")
    for r in rows:
        result = screen_text(r["body"], Source.SESSION)
        if result.is_risk:
            await _raise(cfg, pool, redis, r, result)
    await risk_store.mark_screened(pool, {r["appointment_id"]: r["seq"] for r in rows}, by="rules")
    if len(rows) < RULES_BATCH:
        await risk_store.skip_unscreenable(pool, share, by="rules")
    return len(rows)


async def _raise(cfg: Config, pool: asyncpg.Pool, redis: Redis, row: asyncpg.Record, result: Screening) -> None:
    """Open the alerts of one flagged message (once: alerts are unique per message and
    category) and show the room that risk was flagged."""
    opened = await alerting.open_from_screening(
        cfg, pool, result, patient_id=row["patient_id"], appointment_id=row["appointment_id"],
        seq=row["seq"], source=Source.SESSION, text=row["body"],
    )
    if opened:
        top = result.findings[0]
        await alerting.announce_in_room(redis, row["appointment_id"], top.category.value, top.severity.value)
    for o in opened:
        await alerting.announce(redis, o.alert_id)


async def screen_inbox(cfg: Config, pool: asyncpg.Pool, redis: Redis, screener: Screener,
                       share: tuple[int, int], batch: int = 200) -> int:
    """Screen patient messages sent between sessions and open their alerts, as for session
    messages: the rules first (their hits become alerts at once), then the encoder over
    what the rules let through, in chunks. The queue is in PostgreSQL (a row per message,
    added when it is stored, marked here), so no message is skipped across restarts; a
    pass that fails part-way is repeated, and alerts are unique per message and category."""
    rows = await inbox_store.unscreened(pool, batch, share)
    texts = [r["body"] for r in rows]
    rules = [screen_text(t, Source.MESSAGE) for t in texts]
    for r, result in zip(rows, rules, strict=True):
        if result.is_risk:
            await _raise_inbox(cfg, pool, redis, r, result)
    await encoder_pass(screener, texts, rules, Source.MESSAGE,
                       flag=lambda i, result: _raise_inbox(cfg, pool, redis, rows[i], result))
    await inbox_store.mark_screened(pool, [r["id"] for r in rows])
    return len(rows)


async def _raise_inbox(cfg: Config, pool: asyncpg.Pool, redis: Redis, row: asyncpg.Record, result: Screening) -> None:
    """Open the alerts of one flagged message between sessions and tell the dashboards."""
    opened = await alerting.open_from_screening(
        cfg, pool, result, patient_id=row["patient_id"], appointment_id=None, seq=None,
        source=Source.MESSAGE, text=row["body"], inbox_message_id=row["id"],
    )
    for o in opened:
        await alerting.announce(redis, o.alert_id)
