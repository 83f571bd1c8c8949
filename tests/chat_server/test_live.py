"""Live sessions in one process: join rules, durable send, dedupe, resume, signals, lifecycle."""

from __future__ import annotations

import asyncio
import gc
import inspect
import time
from datetime import UTC, datetime, timedelta

import pytest

from chat_server import errors, keys
from chat_server.protocol import CloseCode, Codec
from chat_server.storage import care
from clinical.records import Role
from tests.chat_server.wsclient import WsClient
from tests.conftest import People, login


async def ws(client, token: str, codec: Codec = Codec.JSON) -> WsClient:
    return await WsClient.connect(client.session, str(client.make_url("/ws")), token, codec)


async def pair(client, people: People, live: bool = True):
    patient = await people.user(Role.PATIENT, "Pat")
    therapist = await people.user(Role.THERAPIST, "Asha")
    appt = await people.appointment(patient, therapist, live=live)
    tp, tt = await login(client, patient), await login(client, therapist)
    client.session.cookie_jar.clear()
    return appt, await ws(client, tp), await ws(client, tt)


@pytest.mark.parametrize("codec", [Codec.JSON, Codec.MSGPACK])
async def test_message_is_stored_before_ack_and_delivered(client, people: People, pool, codec: Codec) -> None:
    patient = await people.user(Role.PATIENT, "Pat")
    therapist = await people.user(Role.THERAPIST, "Asha")
    appt = await people.appointment(patient, therapist, live=True)
    p = await ws(client, await login(client, patient), codec)
    t = await ws(client, await login(client, therapist), codec)
    welcome = await p.join(appt.id)
    assert welcome["role"] == "patient"
    assert welcome["state"] == "live"
    await t.join(appt.id)
    cid = await p.say("hello, I did my thought record")
    ack = await p.expect("ack", client_id=cid)
    assert ack["seq"] == 1
    assert ack["duplicate"] is False
    row = await pool.fetchrow("SELECT * FROM messages WHERE appointment_id = $1 AND seq = 1", appt.id)
    assert row["body"] == "hello, I did my thought record"
    assert row["sender_id"] == patient.id
    got = await t.expect("msg", seq=1)
    assert got["text"] == "hello, I did my thought record"
    assert got["role"] == "patient"


async def test_the_sender_gets_the_ack_in_its_messages_place_not_the_message(client, people: People, pool) -> None:
    """Each connection's stream is every seq once, in order: other people's messages as
    `msg`, its own as the `ack` (the text is not sent back to its author)."""
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    await t.say("how was the week?", "t-1")
    await p.expect("msg", seq=1)
    await p.say("hard", "p-2")
    await p.say("but I did the diary", "p-3")
    await t.say("well done", "t-4")
    await p.expect("msg", seq=4)
    await t.expect("msg", seq=3)
    await t.expect("ack", seq=4)
    stream = [(f["type"], f["seq"], f["client_id"]) for f in p.frames if f["type"] in ("msg", "ack")]
    assert stream == [("msg", 1, "t-1"), ("ack", 2, "p-2"), ("ack", 3, "p-3"), ("msg", 4, "t-4")]
    assert [(f["type"], f["seq"]) for f in t.frames if f["type"] in ("msg", "ack")] == [
        ("ack", 1), ("msg", 2), ("msg", 3), ("ack", 4)]
    # A resend after a lost ack: no second ack in the stream, a duplicate ack instead.
    await p.say("hard", "p-2")
    again = await p.expect("ack", client_id="p-2", duplicate=True)
    assert again["seq"] == 2


async def test_duplicate_send_is_stored_once_and_acked_with_the_original_seq(client, people: People, pool) -> None:
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    await p.say("first", "cid-1")
    first = await p.expect("ack", client_id="cid-1")
    await p.say("first", "cid-1")
    again = await p.expect("ack", client_id="cid-1")
    assert again["seq"] == first["seq"]
    assert again["duplicate"] is True
    await p.say("second", "cid-2")
    await t.expect("msg", seq=2)
    assert [m["seq"] for m in t.messages()] == [1, 2]
    assert await pool.fetchval("SELECT count(*) FROM messages") == 2


async def test_order_is_kept_for_a_burst(client, people: People, pool) -> None:
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    for i in range(15):
        await p.say(f"m{i}", f"c{i}")
    await t.expect("msg", seq=15)
    assert [m["text"] for m in t.messages()] == [f"m{i}" for i in range(15)]
    rows = await pool.fetch("SELECT client_id FROM messages ORDER BY seq")
    assert [r["client_id"] for r in rows] == [f"c{i}" for i in range(15)]


async def test_resume_sends_exactly_what_was_missed(client, people: People) -> None:
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    for i in range(3):
        await t.say(f"before {i}")
    await p.expect("msg", seq=3)
    await p.close()
    for i in range(4):
        await t.say(f"while away {i}")
    await t.expect("ack", seq=7)
    token = await login(client, await _user(client, appt.patient_id))
    client.session.cookie_jar.clear()
    p2 = await ws(client, token)
    await p2.send({"type": "hello", "v": 1, "room": appt.id, "last_seq": 3})
    await p2.expect("welcome")
    await p2.expect("replayed", last_seq=7)
    assert [m["seq"] for m in p2.messages()] == [4, 5, 6, 7]
    await t.say("live again")
    await p2.expect("msg", seq=8)
    assert [m["seq"] for m in p2.messages()] == [4, 5, 6, 7, 8]


async def _user(client, user_id: int):
    from chat_server.keys import POOL
    from chat_server.storage import accounts

    return await accounts.user_by_id(client.app[POOL], user_id)


async def test_strangers_and_other_patients_cannot_join(client, people: People) -> None:
    appt, _, _ = await pair(client, people)
    other = await people.user(Role.PATIENT, "Someone else")
    other_therapist = await people.user(Role.THERAPIST, "Other therapist")
    for user in (other, other_therapist):
        c = await ws(client, await login(client, user))
        client.session.cookie_jar.clear()
        await c.send({"type": "hello", "v": 1, "room": appt.id})
        err = await c.expect("error")
        assert err["code"] == "forbidden"
        closed = await c.expect("_closed")
        assert closed["code"] == CloseCode.FORBIDDEN


async def test_unknown_room_and_too_early(client, people: People) -> None:
    patient = await people.user(Role.PATIENT)
    therapist = await people.user(Role.THERAPIST)
    later = await people.appointment(patient, therapist, start=datetime.now(UTC) + timedelta(hours=2))
    c = await ws(client, await login(client, patient))
    await c.send({"type": "hello", "v": 1, "room": later.id})
    err = await c.expect("error")
    assert err["code"] == "too_early"
    assert "opens at" in err["message"]
    await c.send({"type": "hello", "v": 1, "room": 999999})
    assert (await c.expect("error"))["code"] == "unknown_room"
    assert (await c.expect("_closed"))["code"] == CloseCode.UNKNOWN_ROOM


async def test_unauthenticated_socket_is_closed_with_4001(client) -> None:
    c = await WsClient.connect(client.session, str(client.make_url("/ws")), "bogus")
    assert (await c.expect("error"))["code"] == "unauthorized"
    assert (await c.expect("_closed"))["code"] == CloseCode.UNAUTHORIZED


async def test_five_minutes_before_the_booked_end_both_are_told(client, people: People) -> None:
    patient = await people.user(Role.PATIENT, "Pat")
    therapist = await people.user(Role.THERAPIST, "Asha")
    # A 60-minute assessment that ends 5 minutes and 6 seconds from now (time to log in and join).
    appt = await people.appointment(patient, therapist, start=datetime.now(UTC) - timedelta(minutes=55, seconds=-6), live=True)
    p = await ws(client, await login(client, patient))
    t = await ws(client, await login(client, therapist))
    await p.join(appt.id)
    await t.join(appt.id)
    for c in (p, t):
        notice = await c.expect("session", timeout=15, event="five_minutes")
        assert notice["state"] == "live"
        assert notice["booked_end_ms"] == int(appt.booked_end.timestamp() * 1000)
        # Not before its time: five minutes before the booked end.
        assert datetime.now(UTC) >= appt.booked_end - timedelta(minutes=5)
    for c in (p, t):  # once
        with pytest.raises(TimeoutError):
            await c.expect("session", timeout=1.5, event="five_minutes")


async def test_presence_is_kept_alive_for_every_member_in_chunks(client, people: People, monkeypatch) -> None:
    """Presence in Redis expires unless refreshed (a SIGKILLed process leaves no "left");
    the refresh covers every local member however many pipelines it takes."""
    from chat_server import live as live_mod

    monkeypatch.setattr(live_mod, "PRESENCE_CHUNK", 1)  # three members: three pipelines
    patient, therapist = await people.user(Role.PATIENT, "Pat"), await people.user(Role.THERAPIST, "Asha")
    supervisor = await people.user(Role.SUPERVISOR, "Sam")
    appt = await people.appointment(patient, therapist, live=True)
    sockets = [await ws(client, await login(client, user)) for user in (patient, therapist, supervisor)]
    for c in sockets:
        await c.join(appt.id)
    live, redis = client.app[keys.LIVE], client.app[keys.REDIS]
    key = f"cbt:presence:{appt.id}"
    members = await redis.zrange(key, 0, -1)
    assert len(members) == 3
    await redis.zadd(key, {m: 1.0 for m in members})  # as if about to expire
    await live.refresh_presence(spread=0.06)  # spaced out, as the loop does it: still every member
    scores = [score for _, score in await redis.zrange(key, 0, -1, withscores=True)]
    assert len(scores) == 3 and min(scores) > time.time() + live_mod.PRESENCE_TTL - 5


@pytest.mark.parametrize("path", ["/ws", "/ws/alerts"])
async def test_compression_a_browser_asks_for_is_declined(client, people: People, path: str) -> None:
    """Browsers always offer permessage-deflate; a zlib stream per socket would cost ~100 KB."""
    token = await login(client, await people.user(Role.SUPERVISOR, "Sam"))
    ws = await client.session.ws_connect(client.make_url(path), compress=15, headers={"Authorization": f"Bearer {token}"})
    try:
        assert ws.compress == 0  # the 101 response carried no Sec-WebSocket-Extensions
    finally:
        await ws.close()


@pytest.mark.parametrize("path", ["/ws", "/ws/alerts"])
async def test_an_open_socket_holds_no_error_middleware_frame(client, people: People, path: str) -> None:
    """The JSON error middleware hands WebSockets on untouched: awaiting one, its frame
    (~330 B) would live beside every open socket. HTTP requests still get JSON errors."""
    token = await login(client, await people.user(Role.SUPERVISOR, "Sam"))
    ws = await client.session.ws_connect(client.make_url(path), headers={"Authorization": f"Bearer {token}"})
    try:
        await ws.ping()
        alive = [o for o in gc.get_objects()
                 if inspect.iscoroutine(o) and o.cr_code is errors._json_errors.__code__ and o.cr_frame is not None]
        assert alive == []
    finally:
        await ws.close()
    resp = await client.get("/api/nope", headers={"Authorization": f"Bearer {token}"})
    assert resp.status == 404 and (await resp.json())["error"]["code"] == "not_found"
    client.app[keys.LIVE].accepting = False  # as while a process shuts down
    try:
        resp = await client.get("/ws")
        assert resp.status == 503 and resp.headers["Retry-After"] == "1"  # the middleware used to drop it
        assert "retry on another process" in await resp.text()
    finally:
        client.app[keys.LIVE].accepting = True


async def test_waiting_room_then_start_then_end_is_read_only(client, people: People, pool) -> None:
    appt, p, t = await pair(client, people, live=False)
    assert (await p.join(appt.id))["state"] == "booked"
    await t.join(appt.id)
    await p.say("am I early?", "early-1")
    assert (await p.expect("error", ref="early-1"))["code"] == "not_started"
    await p.send({"type": "start"})
    assert (await p.expect("error"))["code"] == "forbidden"
    await t.send({"type": "start"})
    started = await p.expect("session", event="started")
    assert started["state"] == "live"
    await p.say("now we can talk", "ok-1")
    await p.expect("ack", client_id="ok-1")
    await t.send({"type": "end"})
    await p.expect("session", event="ended")
    await p.say("one more", "late-1")
    assert (await p.expect("error", ref="late-1"))["code"] == "session_ended"
    row = await pool.fetchrow("SELECT status, started_at, ended_at FROM appointments WHERE id = $1", appt.id)
    assert row["status"] == "completed"
    assert row["started_at"] < row["ended_at"]
    times = await pool.fetch("SELECT user_id, joined_at, left_at FROM room_presence WHERE appointment_id = $1", appt.id)
    assert len(times) == 2
    assert all(r["left_at"] is not None for r in times)  # closed when the session ended
    spent = await care.time_in_room(pool, appt.id)  # what billing and DNA will read
    assert set(spent) == {appt.patient_id, appt.therapist_id}
    assert all(seconds > 0 for seconds in spent.values())


async def test_supervisor_observes_read_only_and_is_visible(client, people: People, pool) -> None:
    appt, p, t = await pair(client, people)
    sup = await people.user(Role.SUPERVISOR, "Sally")
    await p.join(appt.id)
    await t.join(appt.id)
    s = await ws(client, await login(client, sup))
    welcome = await s.join(appt.id)
    assert welcome["role"] == "observer"
    presence = await p.expect("presence", user=sup.id)
    assert presence["role"] == "observer"
    assert {m["role"] for m in presence["members"]} == {"patient", "therapist", "observer"}
    await s.say("hi", "obs-1")
    assert (await s.expect("error", ref="obs-1"))["code"] == "read_only"
    kinds = await pool.fetch("SELECT kind FROM session_events WHERE appointment_id = $1", appt.id)
    assert "observer_joined" in {r["kind"] for r in kinds}
    assert await pool.fetchval("SELECT count(*) FROM audit_log WHERE action = 'observe'") == 1


async def test_typing_presence_and_read_receipts(client, people: People, pool) -> None:
    appt, p, t = await pair(client, people)
    await t.join(appt.id)
    await p.join(appt.id)
    joined = await t.expect("presence", state="joined")
    assert joined["name"] == "Pat"
    await p.send({"type": "typing"})
    assert (await t.expect("typing"))["role"] == "patient"
    await p.send({"type": "typing"})  # throttled: at most one per 2 s
    await t.say("how was your week?")
    await p.expect("msg", seq=1)
    await p.send({"type": "read", "seq": 1})
    receipt = await t.expect("read")
    assert receipt["seq"] == 1
    assert len([f for f in t.frames if f["type"] == "typing"]) == 1
    assert await pool.fetchval("SELECT last_read_seq FROM room_reads WHERE appointment_id = $1", appt.id) == 1
    await p.close()
    left = await t.expect("presence", state="left")
    assert [m["role"] for m in left["members"]] == ["therapist"]


async def test_correction_points_at_the_original_and_both_stay(client, people: People, pool) -> None:
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    await p.say("I slept 4 hours", "a")
    await p.expect("ack", client_id="a")
    await p.say("I slept 6 hours", "b", corrects=1)
    fix = await t.expect("msg", seq=2)
    assert fix["corrects"] == 1
    await p.say("wrong", "c", corrects=99)
    assert (await p.expect("error", ref="c"))["code"] == "unknown_message"
    await t.say("mine", "d")
    await t.expect("ack", client_id="d")
    await p.say("not yours", "e", corrects=3)
    assert (await p.expect("error", ref="e"))["code"] == "forbidden"
    assert await pool.fetchval("SELECT count(*) FROM messages WHERE appointment_id = $1", appt.id) == 3
    with pytest.raises(Exception, match="immutable"):
        await pool.execute("UPDATE messages SET body = 'edited'")
    with pytest.raises(Exception, match="immutable"):
        await pool.execute("DELETE FROM messages")


BAD_FRAMES = [
    ("{not json", "bad_frame"),
    ("[1, 2]", "bad_frame"),
    ('{"type": "dance"}', "unknown_type"),
    ('{"type": "send", "client_id": 5, "text": "x"}', "invalid_field"),
    ('{"type": "send", "client_id": "ok", "text": true}', "invalid_field"),
    ('{"type": "send", "client_id": "ok"}', "invalid_field"),
    ('{"type": "hello", "v": 99, "room": 1}', "unsupported_version"),
    ('{"type": "read", "seq": -1}', "invalid_field"),
]


@pytest.mark.parametrize(("raw", "code"), BAD_FRAMES)
async def test_malformed_frames_get_their_error_and_the_connection_lives(client, people: People, raw: str, code: str) -> None:
    appt, p, _ = await pair(client, people)
    await p.join(appt.id)
    await p.raw(raw)
    assert (await p.expect("error"))["code"] == code
    await p.send({"type": "ping", "t": 7})
    assert (await p.expect("pong"))["t"] == 7


async def test_oversized_and_too_frequent_messages(client, people: People) -> None:
    appt, p, _ = await pair(client, people)
    await p.join(appt.id)
    await p.say("x" * 5000, "big")
    assert (await p.expect("error"))["code"] == "too_large"
    await p.raw("y" * 20000)
    assert (await p.expect("error"))["code"] == "too_large"
    for i in range(30):
        await p.say(f"spam {i}", f"s{i}")
    limited = await p.expect("error", code="rate_limited")
    assert limited["retry_after"] > 0
    assert limited["ref"].startswith("s")


async def test_sends_already_on_the_wire_behind_a_refused_one_are_refused_but_not_held_against_the_client(
    client, people: People, pool,
) -> None:
    """Past the knee a steady sender has several messages in flight when the first refusal
    reaches it. Each is refused in turn (nothing may overtake the refused message), but
    they are not violations: 25 of them used to close a well-behaved client with 4008.
    Resending the refused message itself too early still is."""
    appt, p, _ = await pair(client, people)
    await p.join(appt.id)
    for i in range(45):  # the burst is 20: s20 is refused and s21..s44 are behind it
        await p.say(f"line {i}", f"s{i}")
    refused = [await p.expect("error", code="rate_limited") for _ in range(25)]
    assert [e["ref"] for e in refused] == [f"s{i}" for i in range(20, 45)]
    assert all("resend s20 first" in e["message"] for e in refused[1:])
    await p.send({"type": "ping", "t": 1})
    assert (await p.expect("pong"))["t"] == 1  # still open

    await asyncio.sleep(refused[0]["retry_after"] + 0.05)
    await p.say("line 20", "s20")
    await p.expect("ack", client_id="s20")
    stored = [r["client_id"] for r in await pool.fetch(
        "SELECT client_id FROM messages WHERE appointment_id = $1 ORDER BY seq", appt.id)]
    assert stored == [f"s{i}" for i in range(21)]

    for _ in range(25):  # now one refused message resent again and again, too soon
        await p.say("x", "s21")
        await p.say("x", "s21")
    closed = await p.expect("_closed", timeout=5)
    assert closed["code"] == CloseCode.ABUSE


async def test_a_send_over_the_frame_budget_is_named_and_nothing_overtakes_it(client, people: People, pool) -> None:
    """The frame budget (all frames) is checked before a frame is read. A `send` it refused
    used to get an error without a ref: the client could not tell which message was lost,
    and the next one was stored in its place."""
    appt, p, _ = await pair(client, people)
    await p.join(appt.id)
    for i in range(70):  # the whole frame budget (60) and more, on pings
        await p.send({"type": "ping", "t": i})
    await p.say("first", "f1")
    await p.say("second", "f2")
    refused = await p.expect("error", code="rate_limited", ref="f1")
    assert refused["retry_after"] > 0
    behind = await p.expect("error", code="rate_limited")
    assert behind["ref"] == "f2"
    await asyncio.sleep(max(refused["retry_after"], behind["retry_after"] or 0) + 0.1)
    await p.say("second", "f2")  # out of order: still refused, f1 first
    assert (await p.expect("error", code="rate_limited"))["message"].startswith("resend f1 first")
    await p.say("first", "f1")
    await p.expect("ack", client_id="f1")
    await asyncio.sleep(0.3)
    await p.say("second", "f2")
    await p.expect("ack", client_id="f2")
    stored = [r["client_id"] for r in await pool.fetch(
        "SELECT client_id FROM messages WHERE appointment_id = $1 ORDER BY seq", appt.id)]
    assert stored == ["f1", "f2"]


async def test_abuse_is_closed_with_a_reason(client, people: People) -> None:
    appt, p, _ = await pair(client, people)
    await p.join(appt.id)
    for _ in range(25):
        await p.raw("garbage")
    closed = await p.expect("_closed", timeout=5)
    assert closed["code"] == CloseCode.ABUSE
    assert closed["extra"]


async def test_frames_before_hello_are_refused(client, people: People) -> None:
    _, p, _ = await pair(client, people)
    await p.say("hi")
    assert (await p.expect("error"))["code"] == "not_joined"


async def test_a_socket_that_never_says_hello_is_closed(client, people: People, monkeypatch) -> None:
    from chat_server import ws as ws_module

    monkeypatch.setattr(ws_module, "HELLO_TIMEOUT_S", 0.3)
    _, p, _ = await pair(client, people)
    closed = await p.expect("_closed", timeout=5)
    assert closed["code"] == CloseCode.POLICY_VIOLATION
    assert "hello" in closed["extra"]


async def test_quiet_sockets_are_pinged_and_silent_ones_closed(client, people: People) -> None:
    """The heartbeat sweep (driven with explicit times, not by waiting): a socket quiet for
    a heartbeat gets a WebSocket PING, and the PONG counts as hearing from it; one silent
    for two heartbeats is closed with 1001 so its client reconnects and resumes."""
    from chat_server.keys import LIVE

    live = client.app[LIVE]
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    conns = {c.user.role.value: c for c in live.conns}
    loop = asyncio.get_running_loop()
    before = conns["patient"].heard

    live.sweep_heartbeats(loop.time() + 21, every=20)  # everyone quiet for a heartbeat: pinged
    for _ in range(50):  # the test client answers PINGs while it reads
        if conns["patient"].heard > before:
            break
        try:
            await asyncio.wait_for(p.ws.receive(), 0.1)
        except TimeoutError:
            pass
    assert conns["patient"].heard > before

    conns["therapist"].heard = loop.time() - 41  # silent for two heartbeats
    live.sweep_heartbeats(loop.time(), every=20)
    closed = await t.expect("_closed", timeout=15)
    assert closed["code"] == CloseCode.GOING_AWAY
    assert not p.ws.closed


async def test_quiet_sockets_are_pinged_at_spread_times_and_not_every_sweep(client, people: People) -> None:
    """Sockets that connected together are not all pinged in one sweep: each waits its own
    `ping_after`, drawn between half a heartbeat and one, and a socket that has not answered
    is pinged again only REPING_S later, however often the sweep runs."""
    from chat_server import live as live_mod
    from chat_server.keys import LIVE

    live = client.app[LIVE]
    sockets = []
    for _ in range(3):
        appt, p, t = await pair(client, people)
        await p.join(appt.id)
        await t.join(appt.id)
        sockets += [p, t]
    conns = list(live.conns)
    assert len(conns) == 6
    assert all(10.0 <= c.ping_after <= 20.0 for c in conns)
    assert len({c.ping_after for c in conns}) == 6  # one threshold each, not one for all

    # The sweep's rule, with known thresholds (the drawn ones are random).
    for c, after in zip(conns, (10.0, 12.0, 14.0, 16.0, 18.0, 19.9), strict=True):
        c.ping_after = after
    now = asyncio.get_running_loop().time() + 100
    for c in conns:
        c.heard = now - 15  # quiet for three quarters of a heartbeat
    live.sweep_heartbeats(now, every=20)  # past their own threshold: the first three
    assert [c.pinged_at == now for c in conns] == [True, True, True, False, False, False]
    live.sweep_heartbeats(now + 1.5, every=20)  # quiet 16.5 s: the fourth; no second ping yet
    assert [c.pinged_at for c in conns][:4] == [now, now, now, now + 1.5]
    assert conns[4].pinged_at < now and conns[5].pinged_at < now
    later = now + live_mod.REPING_S + 0.5  # quiet 20.5 s, nobody has answered
    live.sweep_heartbeats(later, every=20)
    assert [c.pinged_at for c in conns] == [later, later, later, now + 1.5, later, later]


async def test_leaving_closes_the_time_in_room_at_the_moment_of_leaving(client, people: People, pool) -> None:
    """Leaving times are written in batches, a little later, but carry the moment each one left."""
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    before = datetime.now(UTC)
    await p.ws.close()
    await t.expect("presence", state="left")
    after = datetime.now(UTC)
    for _ in range(50):
        row = await pool.fetchrow(
            "SELECT left_at FROM room_presence WHERE appointment_id = $1 AND user_id = $2", appt.id, appt.patient_id)
        if row["left_at"] is not None:
            break
        await asyncio.sleep(0.1)
    assert row["left_at"] is not None
    assert before <= row["left_at"] <= after
    assert await pool.fetchval(
        "SELECT left_at FROM room_presence WHERE appointment_id = $1 AND user_id = $2", appt.id, appt.therapist_id
    ) is None  # still here
