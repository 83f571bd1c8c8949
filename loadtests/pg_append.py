"""What one message costs PostgreSQL on the append path, with nothing else running.

    python -m loadtests.pg_append                      # 200 rooms, batches of 4, 3,000 batches
    python -m loadtests.pg_append --batch 16 --batches 1000
    python -m loadtests.pg_append --database-url postgresql://...   # an existing server

Starts embedded PostgreSQL in a temp dir (unless --database-url), migrates, creates
`--rooms` live sessions, then appends `--batches` batches of `--batch` messages (rooms
drawn at random, half from each participant) through `storage.transcripts.append`,
one transaction per batch, as the writer does. Prints the CPU the PostgreSQL backend
spent (from /proc, so the server must be local) per transaction and per message, and
the wall time per batch. Used to decide schema changes on the hot path; see
docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid

from chat_server.storage import db, transcripts
from loadtests import setup_data
from loadtests.local_platform import make_tmp, remove_tmp

CLK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / CLK


async def measure(dsn: str, rooms: int, batch: int, batches: int, seed: int) -> dict[str, float]:
    pairs, _ = await setup_data.create(dsn, rooms, progress=False)
    conn = await db.connect_one(dsn)
    try:
        pid = await conn.fetchval("SELECT pg_backend_pid()")
        rng = random.Random(seed)
        text = "I noticed my thoughts racing again before the meeting, and I caught myself predicting."

        def one() -> transcripts.NewMessage:
            p = rng.choice(pairs)
            patient = rng.random() < 0.5
            return transcripts.NewMessage(
                p.room, uuid.uuid4().hex, p.patient_id if patient else p.therapist_id,
                "patient" if patient else "therapist", text, None)

        for _ in range(100):  # warm the plan cache and the buffers
            async with conn.transaction():
                await transcripts.append(conn, [one() for _ in range(batch)])
        cpu0, t0 = backend_cpu(pid), time.perf_counter()
        for _ in range(batches):
            async with conn.transaction():
                results = await transcripts.append(conn, [one() for _ in range(batch)])
            assert all(r.status == "ok" for r in results), results
        cpu, wall = backend_cpu(pid) - cpu0, time.perf_counter() - t0
    finally:
        await conn.close()
    return {
        "pg_cpu_ms_per_batch": 1000 * cpu / batches,
        "pg_cpu_ms_per_message": 1000 * cpu / (batches * batch),
        "wall_ms_per_batch": 1000 * wall / batches,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--batch", type=int, default=4, help="messages per transaction")
    ap.add_argument("--batches", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database-url", default="")
    args = ap.parse_args()
    tmp = None
    emb = None
    dsn = args.database_url
    if not dsn:
        from chat_server import embedded

        tmp = make_tmp("cbt-pg-append-")
        emb = embedded.start(tmp / "data", redis_url="unused")
        dsn = emb.database_url
    try:
        out = asyncio.run(measure(dsn, args.rooms, args.batch, args.batches, args.seed))
    finally:
        if emb is not None:
            emb.stop()
        if tmp is not None:
            remove_tmp(tmp)
    print(f"batch of {args.batch}, {args.batches} batches over {args.rooms} rooms: "
          f"PostgreSQL {out['pg_cpu_ms_per_batch']:.3f} ms CPU per transaction, "
          f"{out['pg_cpu_ms_per_message']:.3f} ms per message; {out['wall_ms_per_batch']:.3f} ms wall per batch")


if __name__ == "__main__":
    main()
