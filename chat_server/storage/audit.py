"""The audit log: who read or changed which piece of health data."""

from __future__ import annotations

from typing import Any

import asyncpg


async def record(
    conn: asyncpg.Pool | asyncpg.Connection,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: object,
    detail: dict[str, Any] | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail) VALUES ($1, $2, $3, $4, $5)",
        actor_id, action, subject_type, str(subject_id), detail or {},
    )
