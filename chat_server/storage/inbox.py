"""Messages between sessions: threads (one per episode of care), messages, read marks,
and the risk screener's queue of patient messages (migration 0007)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from chat_server.storage.accounts import Conflict
from clinical.inbox import Thread
from clinical.records import Role


@dataclass(frozen=True, slots=True)
class InboxMessage:
    id: int
    thread_id: int
    sender_id: int
    sender_name: str
    sender_role: Role
    client_id: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ThreadSummary:
    thread: Thread
    patient_name: str
    therapist_name: str
    last_at: datetime | None
    last_sender_role: Role | None
    last_text: str | None
    unread: int
    # the oldest patient message after the therapist's last one (clinical.inbox.first_unanswered;
    # tests/chat_server/test_inbox_http.py holds the two to agree)
    waiting_since: datetime | None


def _thread(r: asyncpg.Record) -> Thread:
    return Thread(r["id"], r["patient_id"], r["therapist_id"], r["closed_at"] is None)


def _summary(r: asyncpg.Record) -> ThreadSummary:
    return ThreadSummary(_thread(r), r["patient_name"], r["therapist_name"], r["last_at"],
                         Role(r["last_sender_role"]) if r["last_sender_role"] else None, r["last_text"],
                         int(r["unread"]), r["waiting_since"])


def _message(r: asyncpg.Record) -> InboxMessage:
    return InboxMessage(r["id"], r["episode_id"], r["sender_id"], r["sender_name"], Role(r["sender_role"]),
                        r["client_id"], r["body"], r["created_at"])


async def thread(pool: asyncpg.Pool, thread_id: int) -> Thread | None:
    row = await pool.fetchrow("SELECT id, patient_id, therapist_id, closed_at FROM episodes WHERE id = $1", thread_id)
    return None if row is None else _thread(row)


_SUMMARY = """
SELECT e.id, e.patient_id, e.therapist_id, e.closed_at, p.display_name AS patient_name,
       t.display_name AS therapist_name, last.created_at AS last_at, last.sender_role AS last_sender_role,
       left(last.body, 200) AS last_text,
       (SELECT count(*) FROM inbox_messages m WHERE m.episode_id = e.id AND m.sender_id <> $1
          AND m.id > coalesce(r.last_read_id, 0)) AS unread,
       (SELECT min(m.created_at) FROM inbox_messages m WHERE m.episode_id = e.id AND m.sender_role = 'patient'
          AND m.id > coalesce((SELECT max(x.id) FROM inbox_messages x
                               WHERE x.episode_id = e.id AND x.sender_role = 'therapist'), 0)) AS waiting_since
FROM episodes e
JOIN users p ON p.id = e.patient_id
JOIN users t ON t.id = e.therapist_id
LEFT JOIN inbox_reads r ON r.episode_id = e.id AND r.user_id = $1
LEFT JOIN LATERAL (SELECT m.created_at, m.sender_role, m.body FROM inbox_messages m
                   WHERE m.episode_id = e.id ORDER BY m.id DESC LIMIT 1) last ON true
"""


async def threads_for(pool: asyncpg.Pool, user_id: int, role: Role, limit: int = 200) -> list[ThreadSummary]:
    """A user's threads, latest message first: a patient's episodes, a therapist's caseload
    (past and present), or for a supervisor every thread that has messages."""
    rows = await pool.fetch(
        _SUMMARY + " WHERE ($2 = 'patient' AND e.patient_id = $1) OR ($2 = 'therapist' AND e.therapist_id = $1)"
        "   OR ($2 = 'supervisor' AND last.created_at IS NOT NULL)"
        " ORDER BY last.created_at DESC NULLS LAST, e.id DESC LIMIT $3",
        user_id, role.value, limit,
    )
    return [_summary(r) for r in rows]


async def thread_summary(pool: asyncpg.Pool, thread_id: int, viewer_id: int) -> ThreadSummary | None:
    row = await pool.fetchrow(_SUMMARY + " WHERE e.id = $2", viewer_id, thread_id)
    return None if row is None else _summary(row)


_MESSAGE = "SELECT m.*, u.display_name AS sender_name FROM inbox_messages m JOIN users u ON u.id = m.sender_id"


async def messages(pool: asyncpg.Pool, thread_id: int, *, before: int | None = None, after: int | None = None,
                   limit: int = 50) -> list[InboxMessage]:
    """Up to `limit` messages in thread order: the newest before `before` (or the newest of
    all), or the oldest after `after` (to fetch what is new)."""
    if after is not None:
        rows = await pool.fetch(_MESSAGE + " WHERE m.episode_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
                                thread_id, after, limit)
        return [_message(r) for r in rows]
    rows = await pool.fetch(
        _MESSAGE + " WHERE m.episode_id = $1 AND ($2::bigint IS NULL OR m.id < $2) ORDER BY m.id DESC LIMIT $3",
        thread_id, before, limit,
    )
    return [_message(r) for r in reversed(rows)]


async def store_message(pool: asyncpg.Pool, thread_id: int, sender_id: int, sender_role: Role, client_id: str,
                        text: str) -> tuple[InboxMessage, bool]:
    """Store a message; (message, True) if new, (the stored one, False) for a resend of the
    same client id. A patient's message is queued for the risk screener in the same
    transaction. Raises Conflict if the client id was used for another message."""
    async with pool.acquire() as c, c.transaction():
        try:
            new_id = await c.fetchval(
                "INSERT INTO inbox_messages (episode_id, sender_id, sender_role, client_id, body)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sender_id, client_id) DO NOTHING RETURNING id",
                thread_id, sender_id, sender_role.value, client_id, text,
            )
        except asyncpg.CheckViolationError as e:
            raise Conflict(f"the message cannot be stored: {e.args[0] if e.args else e}") from None
        if new_id is not None and sender_role is Role.PATIENT:
            await c.execute("INSERT INTO inbox_screening (message_id, episode_id) VALUES ($1, $2)", new_id, thread_id)
        row = await c.fetchrow(_MESSAGE + " WHERE m.sender_id = $1 AND m.client_id = $2", sender_id, client_id)
    stored = _message(row)
    if new_id is None and (stored.thread_id != thread_id or stored.text != text):
        raise Conflict(f"client_id {client_id!r} was already used for another message; use a new one")
    return stored, new_id is not None


async def mark_read(pool: asyncpg.Pool, thread_id: int, user_id: int, up_to: int | None) -> int:
    """Move the user's read mark forward (never back) to `up_to`, or to the newest message;
    returns how many messages from the other party are still unread."""
    return int(await pool.fetchval(
        "WITH upd AS ("
        " INSERT INTO inbox_reads AS r (episode_id, user_id, last_read_id)"
        " SELECT $1, $2, least(coalesce($3::bigint, max(id)), max(id)) FROM inbox_messages WHERE episode_id = $1"
        "   HAVING max(id) IS NOT NULL"
        " ON CONFLICT (episode_id, user_id) DO UPDATE"
        "   SET last_read_id = greatest(r.last_read_id, excluded.last_read_id), updated_at = now()"
        " RETURNING last_read_id)"
        " SELECT count(*) FROM inbox_messages m WHERE m.episode_id = $1 AND m.sender_id <> $2"
        "   AND m.id > coalesce((SELECT last_read_id FROM upd),"
        "                       (SELECT last_read_id FROM inbox_reads WHERE episode_id = $1 AND user_id = $2), 0)",
        thread_id, user_id, up_to,
    ))


# -- risk screening -------------------------------------------------------------

async def unscreened(pool: asyncpg.Pool, limit: int = 200, shard: tuple[int, int] = (0, 1)) -> list[asyncpg.Record]:
    """Patient messages waiting for the screener, oldest first; ``shard`` = (index, count):
    this screener's share, by thread."""
    return list(await pool.fetch(
        "SELECT m.id, m.episode_id, m.sender_id AS patient_id, m.body FROM inbox_screening s"
        " JOIN inbox_messages m ON m.id = s.message_id"
        " WHERE s.screened_at IS NULL AND s.episode_id % $2 = $1 ORDER BY s.message_id LIMIT $3",
        *shard, limit,
    ))


async def mark_screened(pool: asyncpg.Pool, message_ids: Sequence[int]) -> None:
    if message_ids:
        await pool.execute("UPDATE inbox_screening SET screened_at = now() WHERE message_id = ANY($1::bigint[])",
                           list(message_ids))


async def flagged_in_thread(pool: asyncpg.Pool, thread_id: int, since: datetime) -> list[asyncpg.Record]:
    """Risk alerts opened since `since` on this thread's messages, most severe first."""
    return list(await pool.fetch(
        "SELECT a.category, a.severity, a.inbox_message_id FROM risk_alerts a"
        " JOIN inbox_messages m ON m.id = a.inbox_message_id"
        " WHERE m.episode_id = $1 AND a.opened_at >= $2"
        " ORDER BY CASE a.severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, a.id",
        thread_id, since,
    ))
