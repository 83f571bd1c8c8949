"""Users, roles, tokens and failed-login bookkeeping."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from clinical.records import Role, TherapistProfile, User


class Conflict(Exception):
    """A uniqueness or consistency rule held by the database refused the change."""


def _user(row: asyncpg.Record) -> User:
    return User(row["id"], row["email"], row["display_name"], Role(row["role"]), row["active"])


async def create_user(
    pool: asyncpg.Pool,
    *,
    email: str,
    display_name: str,
    role: Role,
    password_hash: str,
    therapist: TherapistProfile | None = None,
    clinical_lead: bool = False,
) -> User:
    try:
        async with pool.acquire() as c, c.transaction():
            row = await c.fetchrow(
                "INSERT INTO users (email, display_name, role, password_hash)"
                " VALUES ($1, $2, $3, $4) RETURNING *",
                email, display_name, role.value, password_hash,
            )
            uid = row["id"]
            if role is Role.THERAPIST:
                assert therapist is not None
                await c.execute(
                    "INSERT INTO therapists (user_id, employment, validation_state, caseload_cap, work_country)"
                    " VALUES ($1, $2, $3, $4, $5)",
                    uid, therapist.employment.value, therapist.validation.value,
                    therapist.caseload_cap, therapist.work_country,
                )
            elif role is Role.PATIENT:
                await c.execute("INSERT INTO patients (user_id) VALUES ($1)", uid)
            elif role is Role.SUPERVISOR:
                await c.execute(
                    "INSERT INTO supervisors (user_id, is_clinical_lead) VALUES ($1, $2)", uid, clinical_lead
                )
    except asyncpg.UniqueViolationError:
        raise Conflict(f"an account with e-mail {email} already exists") from None
    except asyncpg.CheckViolationError as e:
        raise Conflict(f"the account breaks a rule: {e.constraint_name}") from None
    return _user(row)


async def user_by_email(pool: asyncpg.Pool, email: str) -> tuple[User, str] | None:
    row = await pool.fetchrow("SELECT * FROM users WHERE lower(email) = lower($1)", email)
    return None if row is None else (_user(row), row["password_hash"])


async def user_by_id(pool: asyncpg.Pool, user_id: int) -> User | None:
    row = await pool.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
    return None if row is None else _user(row)


async def list_users(pool: asyncpg.Pool, role: Role | None = None) -> list[User]:
    rows = await pool.fetch(
        "SELECT * FROM users WHERE $1::text IS NULL OR role = $1 ORDER BY id", role.value if role else None
    )
    return [_user(r) for r in rows]


async def record_login(pool: asyncpg.Pool, user_id: int, email: str) -> None:
    async with pool.acquire() as c, c.transaction():
        await c.execute("UPDATE users SET last_login_at = now() WHERE id = $1", user_id)
        await c.execute("DELETE FROM login_failures WHERE email = lower($1)", email)


async def record_login_failure(pool: asyncpg.Pool, email: str, now: datetime, window_s: float) -> int:
    """Count a failure; failures older than the window are forgotten. Returns the count."""
    return int(
        await pool.fetchval(
            "INSERT INTO login_failures AS f (email, failures, last_failed_at) VALUES (lower($1), 1, $2)"
            " ON CONFLICT (email) DO UPDATE SET"
            "  failures = CASE WHEN f.last_failed_at < $2 - make_interval(secs => $3) THEN 1"
            "                  ELSE f.failures + 1 END,"
            "  last_failed_at = $2"
            " RETURNING failures",
            email, now, window_s,
        )
    )


async def login_failures(pool: asyncpg.Pool, email: str) -> tuple[int, datetime] | None:
    row = await pool.fetchrow(
        "SELECT failures, last_failed_at FROM login_failures WHERE email = lower($1)", email
    )
    return None if row is None else (row["failures"], row["last_failed_at"])


async def store_token(
    pool: asyncpg.Pool, token_hash: bytes, user_id: int, kind: str, expires_at: datetime, user_agent: str
) -> None:
    await pool.execute(
        "INSERT INTO auth_tokens (token_hash, user_id, kind, expires_at, user_agent)"
        " VALUES ($1, $2, $3, $4, $5)",
        token_hash, user_id, kind, expires_at, user_agent[:300],
    )


async def user_for_token(pool: asyncpg.Pool, token_hash: bytes, now: datetime) -> User | None:
    row = await pool.fetchrow(
        "SELECT u.* FROM auth_tokens t JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active",
        token_hash, now,
    )
    return None if row is None else _user(row)


async def revoke_token(pool: asyncpg.Pool, token_hash: bytes) -> bool:
    status = await pool.execute(
        "UPDATE auth_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL", token_hash
    )
    return bool(status.endswith(" 1"))


async def revoke_user_tokens(pool: asyncpg.Pool, user_id: int) -> int:
    status = await pool.execute(
        "UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", user_id
    )
    return int(status.split()[-1])
