"""Episodes of care and appointments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from chat_server.storage.accounts import Conflict
from clinical.records import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Episode,
    EpisodeStatus,
    Role,
)


def _episode(r: asyncpg.Record) -> Episode:
    return Episode(r["id"], r["patient_id"], r["therapist_id"], EpisodeStatus(r["status"]), r["opened_at"], r["closed_at"])


def _appointment(r: asyncpg.Record) -> Appointment:
    return Appointment(
        r["id"], r["episode_id"], r["patient_id"], r["therapist_id"], AppointmentKind(r["kind"]),
        r["booked_start"], r["length_minutes"], AppointmentStatus(r["status"]),
        r["started_at"], r["ended_at"], r["last_seq"],
    )


async def create_episode(pool: asyncpg.Pool, patient_id: int, therapist_id: int) -> Episode:
    try:
        row = await pool.fetchrow(
            "INSERT INTO episodes (patient_id, therapist_id) VALUES ($1, $2) RETURNING *", patient_id, therapist_id
        )
    except asyncpg.ForeignKeyViolationError:
        raise Conflict("patient_id must be a patient and therapist_id a therapist") from None
    except asyncpg.UniqueViolationError:
        raise Conflict("this patient already has an open episode of care") from None
    return _episode(row)


async def episode(pool: asyncpg.Pool, episode_id: int) -> Episode | None:
    row = await pool.fetchrow("SELECT * FROM episodes WHERE id = $1", episode_id)
    return None if row is None else _episode(row)


async def create_appointment(
    pool: asyncpg.Pool, episode_id: int, kind: AppointmentKind, start: datetime, length_minutes: int
) -> Appointment:
    async with pool.acquire() as c, c.transaction():
        ep = await c.fetchrow("SELECT * FROM episodes WHERE id = $1 FOR UPDATE", episode_id)
        if ep is None:
            raise LookupError(f"episode {episode_id} does not exist")
        if ep["closed_at"] is not None:
            raise Conflict(f"episode {episode_id} is closed ({ep['status']})")
        first = await c.fetchval(
            "SELECT NOT EXISTS (SELECT 1 FROM appointments WHERE episode_id = $1"
            " AND status NOT IN ('cancelled', 'late_cancelled'))", episode_id,
        )
        if first and kind is not AppointmentKind.ASSESSMENT:
            raise Conflict("the first appointment of an episode is always an assessment")
        try:
            row = await c.fetchrow(
                "INSERT INTO appointments (episode_id, therapist_id, patient_id, kind, booked_start,"
                " length_minutes, booked_end) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::integer,"
                " $5::timestamptz + $6::integer * interval '1 minute') RETURNING *",
                episode_id, ep["therapist_id"], ep["patient_id"], kind.value, start, length_minutes,
            )
        except asyncpg.ExclusionViolationError as e:
            who = "therapist" if "therapist" in (e.constraint_name or "") else "patient"
            raise Conflict(f"the {who} already has an appointment at that time") from None
        except asyncpg.CheckViolationError:
            raise Conflict(f"a {kind.value} cannot last {length_minutes} minutes") from None
    return _appointment(row)


async def appointment(pool: asyncpg.Pool | asyncpg.Connection, appointment_id: int) -> Appointment | None:
    row = await pool.fetchrow("SELECT * FROM appointments WHERE id = $1", appointment_id)
    return None if row is None else _appointment(row)


async def appointments_for(
    pool: asyncpg.Pool, user_id: int, role: Role, since: datetime | None = None, limit: int = 100
) -> list[dict[str, object]]:
    """A user's sessions, newest first, with the other party's name.

    Supervisors see every session (they supervise the whole service)."""
    rows = await pool.fetch(
        "SELECT a.*, p.display_name AS patient_name, t.display_name AS therapist_name"
        " FROM appointments a JOIN users p ON p.id = a.patient_id JOIN users t ON t.id = a.therapist_id"
        " WHERE ($2 = 'supervisor' OR $2 = 'admin' OR ($2 = 'patient' AND a.patient_id = $1)"
        "        OR ($2 = 'therapist' AND a.therapist_id = $1))"
        "   AND ($3::timestamptz IS NULL OR a.booked_start >= $3)"
        " ORDER BY a.booked_start DESC LIMIT $4",
        user_id, role.value, since, limit,
    )
    return [dict(r) for r in rows]


async def start_session(pool: asyncpg.Pool, appointment_id: int, actor_id: int) -> Appointment | None:
    """Mark the session live; returns None when it was not in a state to start."""
    async with pool.acquire() as c, c.transaction():
        row = await c.fetchrow(
            "UPDATE appointments SET status = 'live', started_at = clock_timestamp()"
            " WHERE id = $1 AND status = 'booked' RETURNING *", appointment_id,
        )
        if row is not None:
            await c.execute(
                "INSERT INTO session_events (appointment_id, kind, actor_id) VALUES ($1, 'started', $2)",
                appointment_id, actor_id,
            )
    return None if row is None else _appointment(row)


async def end_session(pool: asyncpg.Pool, appointment_id: int, actor_id: int) -> Appointment | None:
    async with pool.acquire() as c, c.transaction():
        row = await c.fetchrow(
            "UPDATE appointments SET status = 'completed', ended_at = clock_timestamp()"
            " WHERE id = $1 AND status = 'live' RETURNING *", appointment_id,
        )
        if row is not None:
            await c.execute(
                "INSERT INTO session_events (appointment_id, kind, actor_id) VALUES ($1, 'ended', $2)",
                appointment_id, actor_id,
            )
            await c.execute(
                "UPDATE room_presence SET left_at = clock_timestamp() WHERE appointment_id = $1 AND left_at IS NULL",
                appointment_id,
            )
    return None if row is None else _appointment(row)


async def session_event(pool: asyncpg.Pool, appointment_id: int, kind: str, actor_id: int | None, detail: dict[str, object] | None = None) -> None:
    await pool.execute(
        "INSERT INTO session_events (appointment_id, kind, actor_id, detail) VALUES ($1, $2, $3, $4)",
        appointment_id, kind, actor_id, detail or {},
    )


async def presence_joined(pool: asyncpg.Pool, appointment_id: int, user_id: int, role: str) -> int:
    return int(
        await pool.fetchval(
            "INSERT INTO room_presence (appointment_id, user_id, role) VALUES ($1, $2, $3) RETURNING id",
            appointment_id, user_id, role,
        )
    )


async def presence_left(pool: asyncpg.Pool, left: Sequence[tuple[int, datetime]]) -> None:
    """Close presence intervals, many in one statement: (presence id, when they left)."""
    await pool.execute(
        "UPDATE room_presence p SET left_at = u.at"
        " FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, at) WHERE p.id = u.id AND p.left_at IS NULL",
        [i for i, _ in left], [at for _, at in left],
    )


async def time_in_room(pool: asyncpg.Pool, appointment_id: int) -> dict[int, float]:
    """Seconds each participant spent in the room (open intervals end at the session end)."""
    rows = await pool.fetch(
        "SELECT p.user_id, sum(extract(epoch FROM coalesce(p.left_at, a.ended_at, now()) - p.joined_at)) AS s"
        " FROM room_presence p JOIN appointments a ON a.id = p.appointment_id"
        " WHERE p.appointment_id = $1 GROUP BY p.user_id", appointment_id,
    )
    return {r["user_id"]: float(r["s"]) for r in rows}
