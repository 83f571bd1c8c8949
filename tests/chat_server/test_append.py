"""The group-commit append (storage layer): one batch, many rooms, every outcome per message."""

from __future__ import annotations

import asyncio

from chat_server.storage import care, transcripts
from chat_server.storage.transcripts import AppendResult, NewMessage
from clinical.records import Role
from tests.conftest import People


def msg(room: int, cid: str, sender: int, text: str = "hello", corrects: int | None = None,
        role: str = "patient") -> NewMessage:
    return NewMessage(room, cid, sender, role, text, corrects)


async def append(pool, batch: list[NewMessage]) -> list[AppendResult]:  # type: ignore[no-untyped-def]
    async with pool.acquire() as conn:
        return await transcripts.append(conn, batch)


async def append_counting_the_loop(pool, batch: list[NewMessage]) -> tuple[list[AppendResult], int]:  # type: ignore[no-untyped-def]
    """Append, and say how often the message-by-message loop (migration 0002) ran: the
    set-based statement (0006) hands it only corrections and in-batch repeats."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL track_functions = 'pl'")
        got = await transcripts.append(conn, batch)
        loops = await conn.fetchval(
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = 'append_messages_each'")
    return got, int(loops)


async def test_a_mixed_batch_gets_one_verdict_per_message_in_input_order(people: People, pool) -> None:  # type: ignore[no-untyped-def]
    p1, p2, p3 = [await people.user(Role.PATIENT) for _ in range(3)]
    t1, t2, t3 = [await people.user(Role.THERAPIST) for _ in range(3)]
    live1 = await people.appointment(p1, t1, live=True)
    live2 = await people.appointment(p2, t2, live=True)
    booked = await people.appointment(p3, t3)
    [earlier] = await append(pool, [msg(live1.id, "old", p1.id)])
    assert (earlier.status, earlier.seq) == ("ok", 1)

    batch = [
        msg(live2.id, "b1", p2.id),              # rooms interleaved: order kept per room
        msg(live1.id, "a1", p1.id),
        msg(live2.id, "b2", p2.id),
        msg(live1.id, "old", p1.id),             # already stored
        msg(live1.id, "a1", p1.id),              # twice in one batch
        msg(booked.id, "c1", p3.id),             # not started
        msg(999_999_999, "x1", p1.id),           # no such session
        msg(live1.id, "fix", p1.id, corrects=1),
        msg(live1.id, "bad", p1.id, corrects=99),
        msg(live1.id, "theirs", t1.id, corrects=1, role="therapist"),
        msg(live2.id, "b3", p2.id),
    ]
    results, loops = await append_counting_the_loop(pool, batch)
    assert loops == 1
    got = [(r.status, r.seq) for r in results]
    assert got == [
        ("ok", 1), ("ok", 2), ("ok", 2), ("duplicate", 1), ("duplicate", 2), ("not_started", None),
        ("session_ended", None), ("ok", 3), ("unknown_message", None), ("forbidden", None), ("ok", 3),
    ]
    rows = await pool.fetch("SELECT appointment_id, seq, client_id FROM messages WHERE appointment_id = ANY($1)"
                            " ORDER BY appointment_id, seq", [live1.id, live2.id, booked.id])
    assert [(r["appointment_id"], r["seq"], r["client_id"]) for r in rows] == [
        (live1.id, 1, "old"), (live1.id, 2, "a1"), (live1.id, 3, "fix"),
        (live2.id, 1, "b1"), (live2.id, 2, "b2"), (live2.id, 3, "b3"),
    ]
    counters = dict(await pool.fetch("SELECT id, last_seq FROM appointments WHERE id = ANY($1)",
                                     [live1.id, live2.id, booked.id]))
    assert counters == {live1.id: 3, live2.id: 3, booked.id: 0}


async def test_a_batch_without_corrections_or_repeats_takes_the_set_based_path_with_the_same_verdicts(
    people: People, pool,  # type: ignore[no-untyped-def]
) -> None:
    p1, p2, p3, p4 = [await people.user(Role.PATIENT) for _ in range(4)]
    t1, t2, t3, t4 = [await people.user(Role.THERAPIST) for _ in range(4)]
    live1 = await people.appointment(p1, t1, live=True)
    live2 = await people.appointment(p2, t2, live=True)
    booked = await people.appointment(p3, t3)
    ended = await people.appointment(p4, t4, live=True)
    [earlier] = await append(pool, [msg(live1.id, "old", p1.id, text="first words")])
    assert await care.end_session(pool, ended.id, t4.id) is not None

    batch = [
        msg(live2.id, "b1", p2.id),
        msg(live1.id, "a1", t1.id, role="therapist"),
        msg(live2.id, "b2", t2.id, role="therapist"),
        msg(live1.id, "old", p1.id, text="resent after a reconnect"),
        msg(booked.id, "c1", p3.id),
        msg(ended.id, "e1", p4.id),
        msg(999_999_999, "x1", p1.id),
        msg(live1.id, "a2", p1.id),
        msg(live2.id, "b3", p2.id),
    ]
    results, loops = await append_counting_the_loop(pool, batch)
    assert loops == 0
    assert [(r.status, r.seq) for r in results] == [
        ("ok", 1), ("ok", 2), ("ok", 2), ("duplicate", 1), ("not_started", None), ("session_ended", None),
        ("session_ended", None), ("ok", 3), ("ok", 3),
    ]
    assert results[3].at == earlier.at
    assert all(r.at is not None for r in results if r.status == "ok")
    assert all(r.at is None for r in results if r.status not in ("ok", "duplicate"))
    rows = await pool.fetch("SELECT appointment_id, seq, client_id, sender_id, sender_role, body, created_at"
                            " FROM messages WHERE appointment_id = ANY($1) ORDER BY appointment_id, seq",
                            [live1.id, live2.id, booked.id, ended.id])
    assert [(r["appointment_id"], r["seq"], r["client_id"], r["sender_id"], r["sender_role"], r["body"])
            for r in rows] == [
        (live1.id, 1, "old", p1.id, "patient", "first words"),
        (live1.id, 2, "a1", t1.id, "therapist", "hello"),
        (live1.id, 3, "a2", p1.id, "patient", "hello"),
        (live2.id, 1, "b1", p2.id, "patient", "hello"),
        (live2.id, 2, "b2", t2.id, "therapist", "hello"),
        (live2.id, 3, "b3", p2.id, "patient", "hello"),
    ]
    stored_at = {(r["appointment_id"], r["seq"]): r["created_at"] for r in rows}
    assert results[0].at == stored_at[(live2.id, 1)] and results[7].at == stored_at[(live1.id, 3)]
    counters = dict(await pool.fetch("SELECT id, last_seq FROM appointments WHERE id = ANY($1)",
                                     [live1.id, live2.id, booked.id, ended.id]))
    assert counters == {live1.id: 3, live2.id: 3, booked.id: 0, ended.id: 0}
    assert await append_counting_the_loop(pool, []) == ([], 0)


async def test_a_duplicate_reports_the_original_time(people: People, pool) -> None:  # type: ignore[no-untyped-def]
    p, t = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    appt = await people.appointment(p, t, live=True)
    [first] = await append(pool, [msg(appt.id, "once", p.id)])
    [again] = await append(pool, [msg(appt.id, "once", p.id, text="changed on resend")])
    assert (again.status, again.seq, again.at) == ("duplicate", first.seq, first.at)
    assert await pool.fetchval("SELECT body FROM messages WHERE appointment_id = $1", appt.id) == "hello"


async def test_a_full_batch_over_many_rooms_numbers_each_room_in_its_own_order(people: People, pool) -> None:  # type: ignore[no-untyped-def]
    """A batch the size of the writer's cap (256), as when it catches up on a backlog: every
    room's messages get 1..n in the order sent, resends among them keep their seqs."""
    rooms = []
    for _ in range(32):
        p, t = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
        rooms.append((await people.appointment(p, t, live=True), p))
    for appt, p in rooms[:8]:  # stored before, resent inside the big batch
        await append(pool, [msg(appt.id, f"{appt.id}-0", p.id)])
    batch = [msg(appt.id, f"{appt.id}-{k}", p.id) for k in range(8) for appt, p in rooms]
    assert len(batch) == 256
    results, loops = await append_counting_the_loop(pool, batch)
    assert loops == 0
    resent = {appt.id for appt, _ in rooms[:8]}
    expected = [("duplicate", 1) if k == 0 and appt.id in resent else ("ok", k + 1)
                for k in range(8) for appt, _ in rooms]
    assert [(r.status, r.seq) for r in results] == expected
    rows = await pool.fetch("SELECT appointment_id, seq, client_id FROM messages WHERE appointment_id = ANY($1)"
                            " ORDER BY appointment_id, seq", [appt.id for appt, _ in rooms])
    assert [(r["appointment_id"], r["seq"], r["client_id"]) for r in rows] == [
        (appt.id, k + 1, f"{appt.id}-{k}") for appt, _ in sorted(rooms, key=lambda x: x[0].id) for k in range(8)]
    counters = dict(await pool.fetch("SELECT id, last_seq FROM appointments WHERE id = ANY($1)",
                                     [appt.id for appt, _ in rooms]))
    assert counters == {appt.id: 8 for appt, _ in rooms}


async def test_an_ended_session_takes_nothing(people: People, pool) -> None:  # type: ignore[no-untyped-def]
    p, t = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    appt = await people.appointment(p, t, live=True)
    assert await care.end_session(pool, appt.id, t.id) is not None
    [r] = await append(pool, [msg(appt.id, "late", p.id)])
    assert (r.status, r.seq) == ("session_ended", None)
    assert await pool.fetchval("SELECT count(*) FROM messages WHERE appointment_id = $1", appt.id) == 0


async def test_concurrent_writers_to_one_room_never_share_or_skip_a_seq(people: People, pool) -> None:  # type: ignore[no-untyped-def]
    """Two processes' writers append to the same rooms at once (therapist and patient on
    different web processes): seqs stay dense and unique, nobody deadlocks."""
    pairs = [(await people.user(Role.PATIENT), await people.user(Role.THERAPIST)) for _ in range(3)]
    rooms = [(await people.appointment(p, t, live=True)).id for p, t in pairs]

    async def writer(tag: str, reverse: bool) -> None:
        for n in range(30):
            order = rooms[::-1] if reverse else rooms  # opposite orders would deadlock without the sorted lock
            await append(pool, [msg(r, f"{tag}-{n}-{r}", pairs[0][0].id) for r in order])

    await asyncio.gather(writer("a", False), writer("b", True))
    for r in rooms:
        seqs = [row["seq"] for row in await pool.fetch("SELECT seq FROM messages WHERE appointment_id = $1 ORDER BY seq", r)]
        assert seqs == list(range(1, 61))
        assert await pool.fetchval("SELECT last_seq FROM appointments WHERE id = $1", r) == 60


async def test_a_dropped_writer_connection_is_retried_in_place(people: People, pool, services) -> None:  # type: ignore[no-untyped-def]
    """The writer's PostgreSQL connection is killed between batches: the next batch is
    retried on a new connection, keeps its place ahead of later messages, and nobody is
    told to resend."""
    from chat_server.writer import GroupWriter

    p, t = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    appt = await people.appointment(p, t, live=True)
    committed: list[str] = []
    writer = GroupWriter(services.database_url, lambda ms, rs: committed.extend(m.client_id for m in ms), linger=0)
    writer.start()
    try:
        assert (await writer.submit(msg(appt.id, "w-1", p.id))).status == "ok"
        backend = writer.shards[0].conn.get_server_pid()  # type: ignore[union-attr]
        assert await pool.fetchval("SELECT pg_terminate_backend($1)", backend)
        futs = [writer.submit(msg(appt.id, f"w-{i}", p.id)) for i in range(2, 6)]
        results = await asyncio.gather(*futs)
        assert [(r.status, r.seq) for r in results] == [("ok", i) for i in range(2, 6)]
        assert writer.shards[0].conn.get_server_pid() != backend  # type: ignore[union-attr]
    finally:
        await writer.stop(5)
    assert committed == [f"w-{i}" for i in range(1, 6)]


async def test_a_room_whose_commit_is_stuck_does_not_hold_up_other_rooms(people: People, pool, services) -> None:  # type: ignore[no-untyped-def]
    """With two batches in flight, a room whose commit waits (here on a row lock held by
    someone else, as a slow disk flush would) delays only itself: another room's message
    is stored meanwhile, and the stuck room's next message waits its turn, in order."""
    from chat_server.writer import GroupWriter

    p1, p2 = await people.user(Role.PATIENT), await people.user(Role.PATIENT)
    t1, t2 = await people.user(Role.THERAPIST), await people.user(Role.THERAPIST)
    stuck = await people.appointment(p1, t1, live=True)
    other = await people.appointment(p2, t2, live=True)
    writer = GroupWriter(services.database_url, lambda ms, rs: None, linger=0, depth=2)
    writer.start()
    try:
        async with pool.acquire() as blocker, blocker.transaction():
            await blocker.execute("SELECT 1 FROM appointments WHERE id = $1 FOR UPDATE", stuck.id)
            first = writer.submit(msg(stuck.id, "s-1", p1.id))
            await asyncio.sleep(0.2)  # its batch is now in flight, waiting for the lock
            second = writer.submit(msg(stuck.id, "s-2", p1.id))
            assert (await asyncio.wait_for(writer.submit(msg(other.id, "o-1", p2.id)), 5)).status == "ok"
            assert not first.done() and not second.done()
            assert [m.client_id for m, _ in writer.shards[0].pending] == ["s-2"]  # not sent alongside s-1
        assert [(r.status, r.seq) for r in await asyncio.gather(first, second)] == [("ok", 1), ("ok", 2)]
    finally:
        await writer.stop(5)


def test_retry_after_follows_the_backlog_and_its_drain_rate() -> None:
    from chat_server.writer import RETRY_MAX_S, RETRY_MIN_S, retry_after_s

    assert retry_after_s(4000, 2000.0, None) == 2.0  # the queue ahead takes 2 s to store
    assert retry_after_s(4000, 4000.0, None) == 1.0  # a faster server asks for a shorter wait
    assert retry_after_s(10, 2000.0, None) == RETRY_MIN_S  # never "now": that is a busy loop
    assert retry_after_s(4000, 0.0, None) == RETRY_MAX_S  # nothing stored lately: the floor rate, capped
    assert retry_after_s(100, 0.0, None) == 2.0  # a cold start assumes 50 msg/s
    assert retry_after_s(4000, 2000.0, 0.8) == 0.8  # the database is failing: the writer's own back-off
    assert retry_after_s(0, 0.0, 60.0) == RETRY_MAX_S


async def test_while_the_database_is_unreachable_retry_after_backs_off_with_the_writer(unused_tcp_port) -> None:  # type: ignore[no-untyped-def]
    """Nothing listens at the writer's address: every batch fails (StoreFailed, nothing
    acknowledged), and the wait a refused sender is told grows with the writer's own back-off,
    so clients do not hammer a database that is down."""
    from chat_server.writer import RETRY_MIN_S, GroupWriter, StoreFailed

    writer = GroupWriter(f"postgresql://nobody@127.0.0.1:{unused_tcp_port}/none", lambda ms, rs: None, linger=0)
    writer.start()
    try:
        waits = []
        for n in range(3):
            fut = writer.submit(msg(1, f"down-{n}", 1))
            try:
                await asyncio.wait_for(fut, 10)
            except StoreFailed:
                pass
            else:
                raise AssertionError("stored with no database")
            waits.append(writer.retry_after(1))
        assert waits[0] >= RETRY_MIN_S and waits[0] < waits[1] < waits[2], waits
    finally:
        await writer.stop(1)


async def test_a_full_queue_is_refused_with_a_wait_that_fits_its_backlog(people: People, pool, services) -> None:  # type: ignore[no-untyped-def]
    """A room's commit is stuck on a lock and the queue fills: the next message is refused
    (Overloaded) and told to wait longer when more is queued ahead of it."""
    from chat_server.writer import RETRY_MIN_S, GroupWriter, Overloaded

    p, t = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    appt = await people.appointment(p, t, live=True)
    writer = GroupWriter(services.database_url, lambda ms, rs: None, linger=0, max_pending=400)
    writer.start()
    try:
        async with pool.acquire() as blocker, blocker.transaction():
            await blocker.execute("SELECT 1 FROM appointments WHERE id = $1 FOR UPDATE", appt.id)
            futs = [writer.submit(msg(appt.id, "first", p.id))]
            await asyncio.sleep(0.2)  # in flight, waiting for the lock
            futs += [writer.submit(msg(appt.id, f"q-{i}", p.id)) for i in range(40)]
            few = writer.retry_after(appt.id)
            futs += [writer.submit(msg(appt.id, f"r-{i}", p.id)) for i in range(360)]
            try:
                writer.submit(msg(appt.id, "one-too-many", p.id))
            except Overloaded:
                pass
            else:
                raise AssertionError("a full queue took another message")
            many = writer.retry_after(appt.id)
        assert RETRY_MIN_S <= few < many, (few, many)
        assert all(r.status == "ok" for r in await asyncio.gather(*futs))
    finally:
        await writer.stop(5)
