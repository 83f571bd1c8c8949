"""Create load-test accounts and live sessions straight through the storage layer.

    python -m loadtests.setup_data --pairs 200 [--supervisors 5] [--out loadtests/accounts.json]

Needs DATABASE_URL (the same one the web processes use). Every pair is a therapist and
a patient with an open episode and an assessment booked a minute ago and already
started (live), so both can join and send at once. Tokens are bearer tokens stored
like the ones /api/login issues. The JSON written has one entry per pair:
{"room", "episode", "therapist": {"id", "token"}, "patient": {"id", "token"}} plus
"supervisors"; "episode" is also the pair's thread for messages between sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from chat_server import auth
from chat_server.storage import accounts, care, db
from clinical.records import AppointmentKind, Employment, Role, TherapistProfile, Validation

# One argon2 hash for every load-test account: hashing is deliberately slow.
PASSWORD = "load-test-password"
TOKEN_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class Pair:
    room: int
    episode: int
    therapist_id: int
    therapist_token: str
    patient_id: int
    patient_token: str

    def to_json(self) -> dict[str, object]:
        return {
            "room": self.room,
            "episode": self.episode,
            "therapist": {"id": self.therapist_id, "token": self.therapist_token},
            "patient": {"id": self.patient_id, "token": self.patient_token},
        }


async def _token(pool: asyncpg.Pool, user_id: int) -> str:
    token = auth.new_token()
    await accounts.store_token(
        pool, auth.token_hash(token), user_id, "bearer", datetime.now(UTC) + TOKEN_TTL, "loadtest"
    )
    return token


async def _pair(pool: asyncpg.Pool, tag: str, i: int, password_hash: str) -> Pair:
    therapist = await accounts.create_user(
        pool, email=f"lt-{tag}-t{i}@load.cbt", display_name=f"Therapist {i}", role=Role.THERAPIST,
        password_hash=password_hash,
        therapist=TherapistProfile(0, Employment.SELF_EMPLOYED, Validation.VALIDATED, 20),
    )
    patient = await accounts.create_user(
        pool, email=f"lt-{tag}-p{i}@load.cbt", display_name=f"Patient {i}", role=Role.PATIENT,
        password_hash=password_hash,
    )
    episode = await care.create_episode(pool, patient.id, therapist.id)
    appt = await care.create_appointment(
        pool, episode.id, AppointmentKind.ASSESSMENT, datetime.now(UTC) - timedelta(minutes=1), 60
    )
    started = await care.start_session(pool, appt.id, therapist.id)
    assert started is not None
    return Pair(appt.id, episode.id, therapist.id, await _token(pool, therapist.id), patient.id, await _token(pool, patient.id))


async def create(dsn: str, pairs: int, supervisors: int = 0, concurrency: int = 16,
                 progress: bool = True) -> tuple[list[Pair], list[dict[str, object]]]:
    """Create `pairs` live sessions (and some supervisors); returns them with tokens."""
    conn = await db.connect_one(dsn)
    try:
        await db.migrate(conn)
    finally:
        await conn.close()
    tag = secrets.token_hex(4)
    password_hash = auth.hash_password(PASSWORD)
    pool = await db.connect(dsn, min_size=2, max_size=concurrency)
    out: list[Pair | None] = [None] * pairs
    t0 = time.monotonic()
    try:
        nxt = iter(range(pairs))

        async def work() -> None:
            for i in nxt:
                out[i] = await _pair(pool, tag, i, password_hash)
                if progress and (i + 1) % 1000 == 0:
                    print(f"  setup: {i + 1}/{pairs} sessions ({time.monotonic() - t0:.1f}s)", flush=True)

        await asyncio.gather(*(work() for _ in range(concurrency)))
        sups: list[dict[str, object]] = []
        for j in range(supervisors):
            u = await accounts.create_user(
                pool, email=f"lt-{tag}-s{j}@load.cbt", display_name=f"Supervisor {j}", role=Role.SUPERVISOR,
                password_hash=password_hash,
            )
            sups.append({"id": u.id, "token": await _token(pool, u.id)})
    finally:
        await pool.close()
    return [p for p in out if p is not None], sups


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=100)
    ap.add_argument("--supervisors", type=int, default=5)
    ap.add_argument("--out", default="loadtests/accounts.json")
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = ap.parse_args()
    if not args.database_url:
        sys.exit("set DATABASE_URL (or --database-url); `cbt services` prints one")
    pairs, sups = asyncio.run(create(args.database_url, args.pairs, args.supervisors))
    with open(args.out, "w") as f:
        json.dump({"pairs": [p.to_json() for p in pairs], "supervisors": sups}, f)
    print(f"wrote {len(pairs)} live sessions and {len(sups)} supervisors to {args.out}")


if __name__ == "__main__":
    main()
