"""Faults under live traffic across two real `cbt web` processes: a process SIGKILLed, Redis
restarted, PostgreSQL restarted. Clients behave as docs/protocol.md asks (resume with
last_seq, resend unacked messages with the same client_id); afterwards every acked
message is stored once and every participant was given every message once, in order."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path

import aiohttp
import asyncpg
import pytest

from chat_server import embedded
from chat_server.storage import db
from clinical.records import Appointment, Role
from tests.chat_server.procs import (
    RETRY_CLOSES,
    Peer,
    PgProc,
    RedisProc,
    eventually,
    running_webs,
    verify_room,
)
from tests.conftest import People, http_login

pytestmark = pytest.mark.slow


async def live_room(people: People, s: aiohttp.ClientSession, base: str, n: int) -> tuple[Appointment, str, str]:
    patient = await people.user(Role.PATIENT, f"Pat {n}")
    therapist = await people.user(Role.THERAPIST, f"Asha {n}")
    appt = await people.appointment(patient, therapist, live=True)
    return appt, await http_login(s, base, patient), await http_login(s, base, therapist)


async def rooms_across(stack: AsyncExitStack, s: aiohttp.ClientSession, people: People, a: str, b: str,
                       n: int) -> list[tuple[Appointment, Peer, Peer]]:
    """`n` rooms, the two sides of each on different processes (half of them each way)."""
    made = await asyncio.gather(*(live_room(people, s, a, i) for i in range(n)))
    rooms = []
    for i, (appt, tp, tt) in enumerate(made):
        first, second = (a, b) if i % 2 == 0 else (b, a)
        p = Peer(s, tp, appt.id, f"p{i}", [first, second])
        t = Peer(s, tt, appt.id, f"t{i}", [second, first])
        stack.push_async_callback(p.close)
        stack.push_async_callback(t.close)
        rooms.append((appt, p, t))
    await asyncio.gather(*(x.connect() for _, p, t in rooms for x in (p, t)))
    return rooms


def everyone(rooms: list[tuple[Appointment, Peer, Peer]]) -> list[Peer]:
    return [x for _, p, t in rooms for x in (p, t)]


async def all_delivered(rooms: list[tuple[Appointment, Peer, Peer]], timeout: float = 20) -> None:
    for _, p, t in rooms:
        total = len(p.order) + len(t.order)
        await asyncio.gather(p.wait_seq(total, timeout), t.wait_seq(total, timeout))


async def test_sigkill_a_web_process_mid_conversation(
    services: embedded.Embedded, pool: asyncpg.Pool, people: People, tmp_path: Path
) -> None:
    async with running_webs(services.database_url, services.redis_url, tmp_path) as (a, b), \
            aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        rooms = await rooms_across(stack, s, people, a.url, b.url, 4)
        peers = everyone(rooms)
        on_a = [x for x in peers if x.url == a.url]
        unacked_at_kill: dict[str, set[str]] = {}

        async def kill_a() -> None:
            await eventually(lambda: all(len(x.acks) >= 8 for x in peers), 20, "eight acks each")
            for x in on_a:
                await x.send_new()
            # No await between the last write and the kill: at least that send is in flight.
            a.kill()
            for x in peers:
                x.phase = "after kill"
                unacked_at_kill[x.name] = set(x.pending)

        # Open loop: the senders on A keep going through the kill and the reconnect.
        await asyncio.gather(kill_a(), *(x.send_many(30) for x in peers))
        await asyncio.gather(*(x.wait_acked(30) for x in peers))
        await all_delivered(rooms)

        for x in on_a:
            assert x.closes and x.closes[0][0] == a.url and x.closes[0][1] not in (1000, 1001), x.closes
            assert x.url == b.url
        for x in peers:
            if x not in on_a:
                assert x.closes == [], x.closes  # B's clients never noticed
        assert any(unacked_at_kill[x.name] for x in on_a), "the kill caught nothing in flight"
        for x in peers:
            for cid in unacked_at_kill[x.name]:
                # Stored by A before it died (acked now as a duplicate), or stored once on resend.
                assert x.acks[cid], f"{cid} never acked"
        for appt, p, t in rooms:
            await verify_room(pool, appt.id, [p, t])


async def test_redis_restart_while_sessions_exchange_messages(
    services: embedded.Embedded, pool: asyncpg.Pool, people: People, tmp_path: Path
) -> None:
    redis = RedisProc()
    redis.start()
    try:
        async with running_webs(services.database_url, redis.url, tmp_path) as (a, b), \
                aiohttp.ClientSession() as s, AsyncExitStack() as stack:
            rooms = await rooms_across(stack, s, people, a.url, b.url, 3)
            peers = everyone(rooms)
            await asyncio.gather(*(x.send_many(8) for x in peers))
            await asyncio.gather(*(x.wait_acked() for x in peers))
            await all_delivered(rooms)

            redis.stop()
            for x in peers:
                x.phase = "redis down"
            # PostgreSQL is the record: sends are still acknowledged with Redis gone.
            await asyncio.gather(*(x.send_many(8) for x in peers))
            await asyncio.gather(*(x.wait_acked() for x in peers))

            redis.start()
            for x in peers:
                x.phase = "redis back"
            await asyncio.gather(*(x.send_many(8) for x in peers))
            await asyncio.gather(*(x.wait_acked() for x in peers))
            await all_delivered(rooms, 30)

            for x in peers:
                assert x.closes == [], x.closes
                assert len([f for f in x.frames if f["type"] == "ack" and f["_phase"] == "redis down"]) == 8
            for appt, p, t in rooms:
                await verify_room(pool, appt.id, [p, t])
    finally:
        redis.cleanup()


async def test_postgres_restart_while_sending(services: embedded.Embedded, tmp_path: Path) -> None:
    pg = PgProc(tmp_path / "pg")
    await asyncio.to_thread(pg.start)
    try:
        async with running_webs(pg.url, services.redis_url, tmp_path) as (a, b), \
                aiohttp.ClientSession() as s, AsyncExitStack() as stack:
            own = await db.connect(pg.url, min_size=1, max_size=2)
            stack.push_async_callback(own.close)
            rooms = await rooms_across(stack, s, People(own), a.url, b.url, 2)
            peers = everyone(rooms)
            await asyncio.gather(*(x.send_many(6) for x in peers))
            await asyncio.gather(*(x.wait_acked() for x in peers))
            await all_delivered(rooms)

            await asyncio.to_thread(pg.stop)
            for x in peers:
                x.phase = "postgres down"
            outage = {x.name: [await x.send_new() for _ in range(4)] for x in peers}
            # Frames that need the database but are not messages: a read receipt ...
            reader = peers[0]
            await reader.send_frame({"type": "read", "seq": reader.last_seq})
            # ... and a client that drops and reconnects while the database is away.
            rejoiner = peers[-1]
            await rejoiner.disconnect()
            rejoiner.reconnect_soon()

            def refused() -> bool:
                # Each message sent in the outage is answered with `overloaded` (or its connection closed).
                for x in peers:
                    down = [f for f in x.errors if f["_phase"] == "postgres down"]
                    turned_away = {f["ref"] for f in down if f["code"] == "overloaded" and f["retry_after"] > 0}
                    closed = len(x.closes) > 0
                    if not closed and not set(outage[x.name]) <= turned_away:
                        return False
                down = [f for f in reader.errors if f["_phase"] == "postgres down"]
                read_refused = any(f["code"] == "overloaded" and f["ref"] is None for f in down)
                return (read_refused or len(reader.closes) > 0) and len(rejoiner.connect_failures) >= 2

            await eventually(refused, 20, "overloaded errors for the frames sent during the outage")
            for x in peers:
                assert not [f for f in x.frames if f["type"] == "ack" and f["_phase"] == "postgres down"]
                for x_ in x.errors:
                    if x_["_phase"] == "postgres down":
                        assert x_["code"] == "overloaded", x_

            for x in peers:
                x.phase = "postgres back"
            await asyncio.to_thread(pg.start)
            await own.expire_connections()
            # The clients keep resending the same client_ids until they are acked.
            await asyncio.gather(*(x.wait_acked(30) for x in peers))
            # Whatever closed during the outage asked the client to come back, and it did.
            for x in peers:
                for url, code in x.closes:
                    assert code in RETRY_CLOSES, f"{x.name}: closed with {code} at {url}"
            await eventually(lambda: rejoiner.joined, 20, "the client that reconnected during the outage")
            await asyncio.gather(*(x.send_many(6) for x in peers))
            await asyncio.gather(*(x.wait_acked() for x in peers))
            await all_delivered(rooms, 30)
            for appt, p, t in rooms:
                # Retries after `overloaded` may be stored in another order than sent; seq order is the truth.
                await verify_room(own, appt.id, [p, t], send_order=False)
    finally:
        await asyncio.to_thread(pg.stop)
