"""Risk alerts, their timelines and notifications, the on-call rota, case management."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg

from clinical.rota import Override, Rota, RotaWeek

ALERT_SELECT = """
SELECT a.*, im.episode_id AS inbox_thread_id, p.display_name AS patient_name, t.display_name AS therapist_name,
       ack.display_name AS acknowledged_by_name, rb.display_name AS raised_by_name
FROM risk_alerts a
JOIN users p ON p.id = a.patient_id
LEFT JOIN appointments ap ON ap.id = a.appointment_id
LEFT JOIN inbox_messages im ON im.id = a.inbox_message_id
LEFT JOIN episodes ie ON ie.id = im.episode_id
LEFT JOIN episodes e ON e.patient_id = a.patient_id AND e.closed_at IS NULL
LEFT JOIN users t ON t.id = coalesce(ap.therapist_id, ie.therapist_id, e.therapist_id)
LEFT JOIN users ack ON ack.id = a.acknowledged_by
LEFT JOIN users rb ON rb.id = a.raised_by
"""


async def load_rota(pool: asyncpg.Pool | asyncpg.Connection, around: datetime) -> Rota:
    """The rota for a few weeks either side of `around` (enough for routing and 'next')."""
    start = around.date() - timedelta(days=14)
    end = around.date() + timedelta(days=35)
    weeks = await pool.fetch(
        "SELECT week_start, primary_id, backup_id FROM rota_weeks WHERE week_start BETWEEN $1 AND $2 ORDER BY week_start",
        start, end,
    )
    overrides = await pool.fetch(
        "SELECT * FROM rota_overrides WHERE ends_at > $1 AND starts_at < $2 ORDER BY id",
        around - timedelta(days=14), around + timedelta(days=35),
    )
    return Rota.of(
        [RotaWeek(r["week_start"], str(r["primary_id"]), str(r["backup_id"])) for r in weeks],
        [Override(r["starts_at"], r["ends_at"], r["role"], str(r["supervisor_id"]), r["reason"]) for r in overrides],
    )


async def clinical_lead(pool: asyncpg.Pool | asyncpg.Connection) -> int | None:
    value = await pool.fetchval(
        "SELECT s.user_id FROM supervisors s JOIN users u ON u.id = s.user_id"
        " WHERE s.is_clinical_lead AND u.active ORDER BY s.user_id LIMIT 1"
    )
    return None if value is None else int(value)


async def open_alert(
    pool: asyncpg.Pool, *, patient_id: int, appointment_id: int | None, seq: int | None, source: str,
    category: str, severity: str, triggers: Sequence[str], excerpt: str, raised_by: int | None,
    route_kind: str, opened_at: datetime, deliver_at: datetime, plan_json: str, note: str | None = None,
    inbox_message_id: int | None = None,
) -> int | None:
    """Store a new alert and its 'opened' event in one transaction; None if it already exists
    (one per session message, or message between sessions, and category)."""
    async with pool.acquire() as c, c.transaction():
        alert_id = await c.fetchval(
            "INSERT INTO risk_alerts (patient_id, appointment_id, seq, source, category, severity, triggers,"
            " excerpt, raised_by, route_kind, opened_at, deliver_at, plan, next_wake_at, inbox_message_id)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::jsonb, $12, $14)"
            " ON CONFLICT DO NOTHING RETURNING id",
            patient_id, appointment_id, seq, source, category, severity, list(triggers), excerpt[:1000],
            raised_by, route_kind, opened_at, deliver_at, plan_json, inbox_message_id,
        )
        if alert_id is None:
            return None
        await c.execute(
            "INSERT INTO alert_events (alert_id, actor_id, action, note) VALUES ($1, $2, 'opened', $3)",
            alert_id, raised_by, note,
        )
    return int(alert_id)


async def alerts(pool: asyncpg.Pool, status: str | None = None, alert_id: int | None = None,
                 limit: int = 200) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        ALERT_SELECT + " WHERE ($1::text IS NULL OR a.status = $1 OR ($1 = 'active' AND a.status <> 'resolved'))"
        " AND ($2::bigint IS NULL OR a.id = $2)"
        " ORDER BY (a.status = 'resolved'), CASE a.severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END,"
        " a.opened_at DESC LIMIT $3",
        status, alert_id, limit,
    )
    out = [dict(r) for r in rows]
    if out:
        events = await pool.fetch(
            "SELECT e.alert_id, e.at, e.action, e.target, e.note, u.display_name AS actor_name"
            " FROM alert_events e LEFT JOIN users u ON u.id = e.actor_id"
            " WHERE e.alert_id = ANY($1::bigint[]) ORDER BY e.id", [r["id"] for r in out],
        )
        by_alert: dict[int, list[dict[str, Any]]] = {}
        for e in events:
            by_alert.setdefault(e["alert_id"], []).append(dict(e))
        for r in out:
            r["timeline"] = by_alert.get(r["id"], [])
    return out


async def alert_status(conn: asyncpg.Connection, alert_id: int) -> str | None:
    return await conn.fetchval("SELECT status FROM risk_alerts WHERE id = $1 FOR UPDATE", alert_id)  # type: ignore[no-any-return]


async def set_alert_status(conn: asyncpg.Connection, alert_id: int, status: str, actor_id: int, note: str | None) -> None:
    if status == "acknowledged":
        await conn.execute(
            "UPDATE risk_alerts SET status = $2, acknowledged_by = $3, acknowledged_at = clock_timestamp(),"
            " next_wake_at = NULL WHERE id = $1", alert_id, status, actor_id,
        )
    elif status == "resolved":
        await conn.execute(
            "UPDATE risk_alerts SET status = $2, resolved_by = $3, resolved_at = clock_timestamp(),"
            " next_wake_at = NULL WHERE id = $1", alert_id, status, actor_id,
        )
    action = {"acknowledged": "acknowledged", "resolved": "resolved"}.get(status, "note")
    await conn.execute(
        "INSERT INTO alert_events (alert_id, actor_id, action, note) VALUES ($1, $2, $3, $4)",
        alert_id, actor_id, action, note,
    )


async def due_alerts(pool: asyncpg.Pool, now: datetime, limit: int = 100) -> list[asyncpg.Record]:
    return list(await pool.fetch(
        "SELECT id, opened_at, deliver_at, plan::text AS plan, notified_count, status, category, severity,"
        " patient_id, appointment_id, excerpt FROM risk_alerts"
        " WHERE status = 'open' AND next_wake_at <= $1 ORDER BY next_wake_at LIMIT $2", now, limit,
    ))


async def record_notifications(
    conn: asyncpg.Connection, alert_id: int, sent: Sequence[tuple[int, str, int, datetime]],
    notified_count: int, next_wake: datetime | None,
) -> None:
    for idx, target, level, due_at in sent:
        await conn.execute(
            "INSERT INTO alert_notifications (alert_id, idx, target, level, due_at) VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT DO NOTHING", alert_id, idx, target, level, due_at,
        )
        await conn.execute(
            "INSERT INTO alert_events (alert_id, action, target, note) VALUES ($1, $2, $3, $4)",
            alert_id, "notified" if level == 0 else "escalated", target, f"level {level}",
        )
    await conn.execute(
        "UPDATE risk_alerts SET notified_count = $2, next_wake_at = $3 WHERE id = $1 AND status = 'open'",
        alert_id, notified_count, next_wake,
    )


async def user_contacts(pool: asyncpg.Pool | asyncpg.Connection, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    rows = await pool.fetch("SELECT id, email, display_name FROM users WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: (r["email"], r["display_name"]) for r in rows}


# The two screening marks (migration 0005): "rules" moves at the rules' pace, "model" at the encoder's.
MARKS = {"rules": "ruled_seq", "model": "screened_seq"}


async def mark_screened(pool: asyncpg.Pool, upto: dict[int, int], by: str = "model") -> None:
    """Move a screening mark (``by``: rules or model) up to the given seq per session."""
    col = MARKS[by]
    if upto:
        await pool.execute(
            f"INSERT INTO screening_marks AS s (appointment_id, {col})"
            " SELECT * FROM unnest($1::bigint[], $2::int[])"
            f" ON CONFLICT (appointment_id) DO UPDATE SET {col} = greatest(s.{col}, excluded.{col})",
            list(upto), list(upto.values()),
        )


def _pending(col: str) -> str:
    """Sessions whose patient messages may still need screening: live, or ended in the last
    day, with messages past the mark; $1/$2 pick this screener's share (id mod count)."""
    return (
        f"SELECT a.id, a.patient_id, coalesce(s.{col}, 0) AS mark FROM appointments a"
        " LEFT JOIN screening_marks s ON s.appointment_id = a.id"
        " WHERE (a.status = 'live' OR a.ended_at > now() - interval '1 day')"
        f"   AND a.last_seq > coalesce(s.{col}, 0) AND a.id % $2 = $1"
    )


async def unscreened(pool: asyncpg.Pool, limit: int = 200, shard: tuple[int, int] = (0, 1),
                     by: str = "model") -> list[asyncpg.Record]:
    """Patient messages past a screening mark, oldest first, from sessions that are live or
    ended in the last day. ``shard`` = (index, count): this screener's share."""
    return list(await pool.fetch(
        f"WITH p AS ({_pending(MARKS[by])})"
        " SELECT m.appointment_id, m.seq, m.body, p.patient_id FROM p"
        " JOIN messages m ON m.appointment_id = p.id AND m.seq > p.mark"
        " WHERE m.sender_role = 'patient' ORDER BY m.created_at LIMIT $3",
        *shard, limit,
    ))


async def skip_unscreenable(pool: asyncpg.Pool, shard: tuple[int, int] = (0, 1), by: str = "model") -> None:
    """Move a screening mark past therapist messages in rooms with no patient message
    pending. Reads the messages it skips in the statement's own snapshot, so a patient
    message committed meanwhile has a higher seq and stays pending."""
    col = MARKS[by]
    await pool.execute(
        f"WITH p AS ({_pending(col)})"
        f" INSERT INTO screening_marks AS s (appointment_id, {col})"
        " SELECT p.id, max(m.seq) FROM p JOIN messages m ON m.appointment_id = p.id AND m.seq > p.mark"
        " GROUP BY p.id HAVING bool_and(m.sender_role <> 'patient')"
        f" ON CONFLICT (appointment_id) DO UPDATE SET {col} = greatest(s.{col}, excluded.{col})",
        *shard,
    )


# -- rota ---------------------------------------------------------------------

async def set_week(pool: asyncpg.Pool, week_start: date, primary_id: int, backup_id: int) -> None:
    await pool.execute(
        "INSERT INTO rota_weeks (week_start, primary_id, backup_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (week_start) DO UPDATE SET primary_id = $2, backup_id = $3",
        week_start, primary_id, backup_id,
    )


async def add_override(pool: asyncpg.Pool, starts_at: datetime, ends_at: datetime, role: str,
                       supervisor_id: int, reason: str, created_by: int) -> int:
    return int(await pool.fetchval(
        "INSERT INTO rota_overrides (starts_at, ends_at, role, supervisor_id, reason, created_by)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        starts_at, ends_at, role, supervisor_id, reason, created_by,
    ))


async def supervisor_names(pool: asyncpg.Pool) -> dict[int, str]:
    rows = await pool.fetch("SELECT u.id, u.display_name FROM supervisors s JOIN users u ON u.id = s.user_id")
    return {r["id"]: r["display_name"] for r in rows}


# -- case management ------------------------------------------------------------

CASE_SELECT = """
SELECT c.*, p.display_name AS patient_name, o.display_name AS opened_by_name, a.display_name AS assignee_name
FROM case_requests c JOIN episodes e ON e.id = c.episode_id JOIN users p ON p.id = e.patient_id
JOIN users o ON o.id = c.opened_by LEFT JOIN users a ON a.id = c.assignee_id
"""


async def case_requests(pool: asyncpg.Pool, therapist_id: int | None = None, case_id: int | None = None) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        CASE_SELECT + " WHERE ($1::bigint IS NULL OR e.therapist_id = $1) AND ($2::bigint IS NULL OR c.id = $2)"
        " ORDER BY (c.status = 'closed'), c.opened_at DESC LIMIT 500", therapist_id, case_id,
    )
    return [dict(r) for r in rows]


async def insert_case(pool: asyncpg.Pool, episode_id: int, kind: str, details: str, opened_by: int) -> int:
    return int(await pool.fetchval(
        "INSERT INTO case_requests (episode_id, kind, details, opened_by) VALUES ($1, $2, $3, $4) RETURNING id",
        episode_id, kind, details, opened_by,
    ))


async def update_case(pool: asyncpg.Pool, case_id: int, status: str, assignee_id: int | None,
                      outcome: str | None, actor_id: int) -> None:
    if status == "assigned":
        await pool.execute(
            "UPDATE case_requests SET status = 'assigned', assignee_id = $2, assigned_at = now() WHERE id = $1",
            case_id, assignee_id,
        )
    else:
        await pool.execute(
            "UPDATE case_requests SET status = 'closed', outcome = $2, closed_by = $3, closed_at = now() WHERE id = $1",
            case_id, outcome, actor_id,
        )


async def received_mail(pool: asyncpg.Pool, limit: int = 200) -> list[dict[str, Any]]:
    rows = await pool.fetch("SELECT * FROM mail_received ORDER BY id DESC LIMIT $1", limit)
    return [dict(r) for r in rows]
