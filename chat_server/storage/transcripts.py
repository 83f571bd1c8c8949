"""The transcript of a session: appended in batches, read in order, never edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg


@dataclass(frozen=True, slots=True)
class NewMessage:
    room: int
    client_id: str
    sender: int
    role: str
    text: str
    corrects: int | None


@dataclass(frozen=True, slots=True)
class AppendResult:
    status: str  # ok | duplicate | session_ended | not_started | unknown_message
    seq: int | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredMessage:
    room: int
    seq: int
    client_id: str
    sender: int
    role: str
    text: str
    corrects: int | None
    at: datetime


APPEND_SQL = "SELECT idx, status, seq, created_at FROM append_messages($1, $2, $3, $4, $5, $6)"


async def append(conn: asyncpg.Connection, batch: Sequence[NewMessage]) -> list[AppendResult]:
    """Store a batch in one transaction (group commit); one result per message, in batch order.

    The function locks the batch's room counters in id order (in one statement, or room by
    room for a batch with corrections or repeats: migration 0006), so messages go in sorted
    by room (stably: a room's own order is kept): every writer locks in one order."""
    order = sorted(range(len(batch)), key=lambda i: batch[i].room)
    ordered = [batch[i] for i in order]
    rows = await conn.fetch(
        APPEND_SQL,
        [m.room for m in ordered], [m.client_id for m in ordered], [m.sender for m in ordered],
        [m.role for m in ordered], [m.text for m in ordered], [m.corrects for m in ordered],
    )
    out: list[AppendResult] = [AppendResult("internal", None, None)] * len(batch)
    for r in rows:
        out[order[r["idx"] - 1]] = AppendResult(r["status"], r["seq"], r["created_at"])
    return out


def _stored(r: asyncpg.Record) -> StoredMessage:
    return StoredMessage(
        r["appointment_id"], r["seq"], r["client_id"], r["sender_id"], r["sender_role"], r["body"],
        r["corrects"], r["created_at"],
    )


async def after(pool: asyncpg.Pool, room: int, after_seq: int, limit: int = 500) -> list[StoredMessage]:
    rows = await pool.fetch(
        "SELECT * FROM messages WHERE appointment_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        room, after_seq, limit,
    )
    return [_stored(r) for r in rows]


async def transcript_page(
    pool: asyncpg.Pool, room: int, after_seq: int, limit: int
) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT m.*, u.display_name FROM messages m JOIN users u ON u.id = m.sender_id"
        " WHERE m.appointment_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3",
        room, after_seq, limit,
    )
    return [dict(r) for r in rows]


async def mark_read(pool: asyncpg.Pool, room: int, user_id: int, seq: int) -> int:
    """Raise the member's read marker (never lowers it); returns the stored value."""
    return int(
        await pool.fetchval(
            "INSERT INTO room_reads AS r (appointment_id, user_id, last_read_seq) VALUES ($1, $2, $3)"
            " ON CONFLICT (appointment_id, user_id) DO UPDATE"
            " SET last_read_seq = greatest(r.last_read_seq, excluded.last_read_seq), updated_at = now()"
            " RETURNING last_read_seq",
            room, user_id, seq,
        )
    )


async def read_markers(pool: asyncpg.Pool, room: int) -> dict[int, int]:
    rows = await pool.fetch("SELECT user_id, last_read_seq FROM room_reads WHERE appointment_id = $1", room)
    return {r["user_id"]: r["last_read_seq"] for r in rows}
