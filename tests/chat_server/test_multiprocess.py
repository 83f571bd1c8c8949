"""Live sessions across two real `cbt web` processes sharing PostgreSQL and Redis:
order, exactly-once delivery, resume on the other process, dedupe, signals, graceful
shutdown and slow consumers. No timing is asserted; every wait is bounded."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import aiohttp
import asyncpg
import pytest

from chat_server import embedded
from chat_server.protocol import CloseCode, Codec
from clinical.records import Appointment, Role
from tests.chat_server.procs import (
    Peer,
    WebProc,
    eventually,
    room_rows,
    running_webs,
    verify_room,
)
from tests.chat_server.wsclient import WsClient
from tests.conftest import People, http_login


@pytest.fixture
async def webs(services: embedded.Embedded, pool: asyncpg.Pool, tmp_path: Path) -> AsyncIterator[list[WebProc]]:
    async with running_webs(services.database_url, services.redis_url, tmp_path) as procs:
        yield procs


async def live_room(people: People, s: aiohttp.ClientSession, base: str, n: int = 0) -> tuple[Appointment, str, str]:
    patient = await people.user(Role.PATIENT, f"Pat {n}")
    therapist = await people.user(Role.THERAPIST, f"Asha {n}")
    appt = await people.appointment(patient, therapist, live=True)
    return appt, await http_login(s, base, patient), await http_login(s, base, therapist)


async def peers_on(stack: AsyncExitStack, *peers: Peer) -> None:
    for p in peers:
        stack.push_async_callback(p.close)
    await asyncio.gather(*(p.connect() for p in peers))


async def test_patient_and_therapist_on_different_processes_in_order_exactly_once(
    webs: list[WebProc], people: People, pool: asyncpg.Pool
) -> None:
    a, b = webs
    async with aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        appt, tp, tt = await live_room(people, s, a.url)
        p = Peer(s, tp, appt.id, "pat", [a.url, b.url])
        t = Peer(s, tt, appt.id, "ther", [b.url, a.url])
        await peers_on(stack, p, t)
        assert (p.url, t.url) == (a.url, b.url)
        await asyncio.gather(p.send_many(50), t.send_many(50))
        await asyncio.gather(p.wait_acked(), t.wait_acked())
        await asyncio.gather(p.wait_seq(100), t.wait_seq(100))
        rows = await room_rows(pool, appt.id)
        assert len(rows) == 100
        # Interleaved, not one sender after the other.
        senders = [r["sender_id"] for r in rows]
        assert senders[:50] != [senders[0]] * 50
        await verify_room(pool, appt.id, [p, t])
        # Each side saw the other's 50 in the order they were sent.
        assert [m["client_id"] for m in t.delivered if m["role"] == "patient"] == p.order
        assert [m["client_id"] for m in p.delivered if m["role"] == "therapist"] == t.order
        assert all(len(acks) == 1 and not acks[0]["duplicate"] for acks in [*p.acks.values(), *t.acks.values()])
        assert p.closes == [] and t.closes == []


async def test_many_rooms_at_once_across_processes(webs: list[WebProc], people: People, pool: asyncpg.Pool) -> None:
    a, b = webs
    rooms = 20
    async with aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        made = await asyncio.gather(*(live_room(people, s, (a, b)[i % 2].url, i) for i in range(rooms)))
        pairs = []
        for i, (appt, tp, tt) in enumerate(made):
            first, second = (a, b) if i % 2 else (b, a)  # half the rooms the other way round
            codec = Codec.MSGPACK if i % 4 < 2 else Codec.JSON  # both encodings on both processes
            pairs.append((appt, Peer(s, tp, appt.id, f"p{i}", [first.url, second.url], codec=codec),
                          Peer(s, tt, appt.id, f"t{i}", [second.url, first.url])))
        everyone = [peer for _, p, t in pairs for peer in (p, t)]
        await peers_on(stack, *everyone)
        await asyncio.gather(*(peer.send_many(10) for peer in everyone))
        await asyncio.gather(*(peer.wait_acked() for peer in everyone))
        await asyncio.gather(*(peer.wait_seq(20) for peer in everyone))
        for appt, p, t in pairs:
            await verify_room(pool, appt.id, [p, t])
        assert sum(len(p.delivered) for p in everyone) == rooms * 20 * 2


async def test_resume_on_the_other_process_while_the_other_side_keeps_sending(
    webs: list[WebProc], people: People, pool: asyncpg.Pool
) -> None:
    a, b = webs
    async with aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        appt, tp, tt = await live_room(people, s, a.url)
        p = Peer(s, tp, appt.id, "pat", [a.url, b.url], auto_reconnect=False)
        t = Peer(s, tt, appt.id, "ther", [b.url, a.url])
        # The therapist's second device, on A: a full burst to fire while the patient resumes.
        t2 = Peer(s, tt, appt.id, "ther2", [a.url, b.url])
        await peers_on(stack, p, t, t2)
        await asyncio.gather(p.send_many(10), t.send_many(10))
        await asyncio.gather(p.wait_acked(), t.wait_acked())

        await p.disconnect()  # mid-conversation, with the therapist still typing away
        keep_sending = asyncio.create_task(t.send_many(40))
        stack.callback(keep_sending.cancel)
        await eventually(lambda: len(t.acks) >= 25, 20, "therapist messages while the patient is away")
        # Resume on the other process, with last_seq, while both therapist connections send.
        await asyncio.gather(p.connect(b.url), t2.send_many(15))
        await p.send_many(10)
        await keep_sending
        await asyncio.gather(p.wait_acked(), t.wait_acked(), t2.wait_acked())
        total = len(p.order) + len(t.order) + len(t2.order)
        await asyncio.gather(p.wait_seq(total), t.wait_seq(total), t2.wait_seq(total))

        assert [url for url, _ in p.closes] == [a.url]
        assert p.url == b.url
        # The second join resumed from where the patient had got to, and replayed what it missed.
        assert p.welcomes[1]["last_seq"] >= 25
        replayed = [f for f in p.frames if f["type"] == "replayed"]
        assert len(replayed) == 2 and replayed[1]["last_seq"] >= p.welcomes[1]["last_seq"]
        await verify_room(pool, appt.id, [p, t, t2])


async def test_duplicate_send_across_processes_is_stored_and_delivered_once(
    webs: list[WebProc], people: People, pool: asyncpg.Pool
) -> None:
    a, b = webs
    async with aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        appt, tp, tt = await live_room(people, s, a.url)
        t = Peer(s, tt, appt.id, "ther", [b.url])
        await peers_on(stack, t)
        first = await WsClient.connect(s, f"{a.url}/ws", tp)
        await first.join(appt.id)
        await first.say("I think I'm a burden to everyone", "dup-x")
        await first.close()  # gone before reading the ack
        await eventually(lambda: bool(t.delivered), 10, "the message on the other process")
        stored = await pool.fetchrow("SELECT seq, created_at FROM messages WHERE client_id = 'dup-x'")
        assert stored is not None

        again = await WsClient.connect(s, f"{b.url}/ws", tp)
        stack.push_async_callback(again.close)
        await again.send({"type": "hello", "v": 1, "room": appt.id, "last_seq": 0})
        await again.expect("replayed")
        await again.say("I think I'm a burden to everyone", "dup-x")
        ack = await again.expect("ack", client_id="dup-x")
        assert ack["duplicate"] is True
        assert ack["seq"] == stored["seq"] == 1
        assert ack["at_ms"] == int(stored["created_at"].timestamp() * 1000)
        # Something after it, so "delivered once" has something to be measured against.
        await t.send_new("thank you for telling me")
        await t.wait_acked()
        await again.expect("msg", seq=2)
        await t.wait_seq(2)
        assert [m["seq"] for m in again.messages()] == [1, 2]  # replayed once, never live again
        assert [m["client_id"] for m in t.delivered] == ["dup-x", "ther-1"]
        assert await pool.fetchval("SELECT count(*) FROM messages WHERE appointment_id = $1", appt.id) == 2


async def test_presence_typing_and_read_receipts_cross_processes(
    webs: list[WebProc], people: People, pool: asyncpg.Pool
) -> None:
    a, b = webs
    async with aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        appt, tp, tt = await live_room(people, s, a.url)
        t = Peer(s, tt, appt.id, "ther", [b.url], auto_reconnect=False)
        p = Peer(s, tp, appt.id, "pat", [a.url], auto_reconnect=False)
        await peers_on(stack, t)
        await peers_on(stack, p)
        # Presence: the therapist on B hears the patient join on A, and the patient sees both.
        joined = await t.wait_frame("presence", state="joined", user=appt.patient_id)
        assert joined["name"] == "Pat 0" and joined["role"] == "patient"
        assert {m["role"] for m in joined["members"]} == {"patient", "therapist"}
        assert {m["role"] for m in p.welcomes[0]["members"]} == {"patient", "therapist"}
        # Typing, both ways, never echoed to the typist.
        await p.send_frame({"type": "typing"})
        assert (await t.wait_frame("typing"))["user"] == appt.patient_id
        await t.send_frame({"type": "typing"})
        assert (await p.wait_frame("typing"))["user"] == appt.therapist_id
        # Read receipts.
        await t.send_new("How has the week been?")
        await p.wait_seq(1)
        await p.send_frame({"type": "read", "seq": 1})
        receipt = await t.wait_frame("read", user=appt.patient_id)
        assert receipt["seq"] == 1
        await t.send_frame({"type": "read", "seq": 1})
        assert (await p.wait_frame("read", user=appt.therapist_id))["seq"] == 1
        # Leaving: the other process hears it.
        await p.disconnect()
        left = await t.wait_frame("presence", state="left", user=appt.patient_id)
        assert {m["role"] for m in left["members"]} == {"therapist"}
        assert not [f for f in p.frames if f["type"] == "typing" and f["user"] == appt.patient_id]
        assert not [f for f in t.frames if f["type"] == "typing" and f["user"] == appt.therapist_id]
        # A later joiner on the other process sees the stored read positions in its welcome.
        p2 = Peer(s, tp, appt.id, "pat2", [b.url], auto_reconnect=False)
        await peers_on(stack, p2)
        assert p2.welcomes[0]["read"] == {str(appt.patient_id): 1, str(appt.therapist_id): 1}


async def test_sigterm_sends_going_away_and_clients_resume_on_the_other_process(
    webs: list[WebProc], people: People, pool: asyncpg.Pool
) -> None:
    a, b = webs
    async with aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        rooms = []
        for i in range(3):
            appt, tp, tt = await live_room(people, s, a.url, i)
            p = Peer(s, tp, appt.id, f"p{i}", [a.url, b.url])
            t = Peer(s, tt, appt.id, f"t{i}", [b.url, a.url] if i else [a.url, b.url])
            rooms.append((appt, p, t))
        everyone = [x for _, p, t in rooms for x in (p, t)]
        await peers_on(stack, *everyone)
        on_a = [x for x in everyone if x.url == a.url]

        async def shut_down_a() -> None:
            await eventually(lambda: all(len(x.acks) >= 10 for x in everyone), 20, "ten acks each")
            a.terminate()
            assert await a.wait_exit() == 0

        await asyncio.gather(shut_down_a(), *(x.send_many(30) for x in everyone))
        await asyncio.gather(*(x.wait_acked(30) for x in everyone))
        for _, p, t in rooms:
            await asyncio.gather(p.wait_seq(60), t.wait_seq(60))
        for x in on_a:
            assert x.closes[0] == (a.url, CloseCode.GOING_AWAY), x.closes
            assert x.url == b.url
        for x in everyone:
            if x not in on_a:
                assert x.closes == []
        for appt, p, t in rooms:
            await verify_room(pool, appt.id, [p, t])


def _small_rcvbuf_socket(addr_info: tuple) -> socket.socket:  # type: ignore[type-arg]
    family, kind, proto, _, _ = addr_info
    sock = socket.socket(family=family, type=kind, proto=proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    return sock


async def test_a_slow_consumer_is_dropped_with_resume_and_catches_up(
    webs: list[WebProc], people: People, pool: asyncpg.Pool
) -> None:
    a, b = webs
    big = "x" * 3990
    supervisor = await people.user(Role.SUPERVISOR, "Sally")
    async with aiohttp.ClientSession() as s, AsyncExitStack() as stack:
        slow_session = await stack.enter_async_context(
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(socket_factory=_small_rcvbuf_socket))
        )
        appt, tp, tt = await live_room(people, s, a.url)
        ts = await http_login(s, a.url, supervisor)
        fast = Peer(s, ts, appt.id, "observer", [b.url], auto_reconnect=False)
        await peers_on(stack, fast)
        # The therapist on B joins and then stops reading.
        slow = await WsClient.connect(slow_session, f"{b.url}/ws", tt)
        stack.push_async_callback(slow.close)
        await slow.join(appt.id)

        async def keep_talking() -> None:
            # Its uploads still flow (a phone on a bad downlink): the server hears from it, so the
            # WebSocket heartbeat does not end it first; the pongs join its queue like anything else.
            while not slow.ws.closed:
                await asyncio.sleep(2)
                try:
                    await slow.send({"type": "ping", "t": 1})
                except ConnectionError:
                    return

        talking = asyncio.create_task(keep_talking())
        stack.callback(talking.cancel)
        # Bursts of large messages from the patient on A, one fresh connection per burst so the
        # per-connection rate limit does not make this take minutes; until B has dropped the reader.
        sent = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 25
        while not await b.metric(s, "cbt_ws_slow_consumer_closes_total"):
            assert loop.time() < deadline, "the slow reader was never dropped"
            burst = Peer(s, tp, appt.id, f"burst{sent}", [a.url], auto_reconnect=False, burst=20, rate=5)
            burst.last_seq = sent  # skip the replay: we only write
            stack.push_async_callback(burst.close)
            await burst.connect()
            for i in range(20):
                await burst.send_new(f"{sent + i} {big}")
            await burst.wait_acked()
            await burst.close()
            sent += 20
            # Meanwhile the fast reader in the same room on the same process keeps up.
            await fast.wait_seq(sent)
        assert not fast.anomalies and fast.last_seq == sent
        talking.cancel()
        # Now the slow one reads: what it had buffered, in order, then a RESUME close.
        while True:
            frame = await slow.recv(10)
            if frame["type"] == "_closed":
                break
        assert frame["code"] == CloseCode.RESUME
        got = [m["seq"] for m in slow.messages()]
        assert got == list(range(1, len(got) + 1)) and len(got) < sent
        # Reconnect with the last seq shown: everything else arrives, once.
        resumed = Peer(s, tt, appt.id, "ther", [b.url], auto_reconnect=False)
        resumed.last_seq = got[-1] if got else 0
        await peers_on(stack, resumed)
        await resumed.wait_seq(sent)
        assert [m["seq"] for m in resumed.delivered] == list(range(resumed.delivered[0]["seq"], sent + 1))
        assert resumed.delivered[0]["seq"] == (got[-1] if got else 0) + 1
        assert not resumed.anomalies
        rows = await room_rows(pool, appt.id)
        assert [r["seq"] for r in rows] == list(range(1, sent + 1))
