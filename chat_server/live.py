"""Live sessions in one web process: group commit, local hubs, Redis fan-out, presence.

Order of a message's life: a connection submits it to the group writer; once the
batch is committed the sender gets its ack, the local hub delivers it, and it is
published to Redis for the other processes. Any process that sees a gap in a room's
sequence fetches the missing messages from PostgreSQL, so Redis is never the record.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import asyncpg
from redis.asyncio import Redis
from redis.exceptions import RedisError

from chat_server import metrics
from chat_server.config import Config
from chat_server.fanout import Event, Fanout
from chat_server.protocol import (
    DEFAULT_LIMITS,
    CloseCode,
    Member,
    Message,
    Presence,
    ReadReceipt,
    SessionEvent,
    TypingSignal,
)
from chat_server.rooms import Conn, Room
from chat_server.storage import care, transcripts
from chat_server.storage.transcripts import AppendResult, NewMessage
from chat_server.writer import GroupWriter
from clinical.records import Appointment, AppointmentStatus
from clinical.sessions import five_minute_notice_at

log = logging.getLogger(__name__)

PRESENCE_TTL = 30.0
PRESENCE_CHUNK = 100  # presence refreshes per Redis pipeline
GAP_WAIT = 0.05  # how long a gap may wait for Redis before we ask PostgreSQL
RESYNC_EVERY = 2.0
LEFT_LINGER = 0.05  # leaving times are written in batches at most this late (a reconnect storm is thousands)
LAG_PROBE_S = 0.25
NOTICE_TICK_S = 1.0  # five-minute notices go out at most this late
HEARTBEAT_SWEEP_S = 1.0  # quiet sockets are pinged at most this late
REPING_S = 5.0  # a socket that has not answered a PING gets another this much later

AfterCommit = Callable[[Room | None, Message, str], None]

# PostgreSQL unreachable (down, restarting, out of connections): worth a retry, not a bug.
DB_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError, TimeoutError, asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError, asyncpg.exceptions.InsufficientResourcesError,
)


def ms(dt: datetime | None) -> int | None:
    return None if dt is None else int(dt.timestamp() * 1000)


def message_from(m: NewMessage | transcripts.StoredMessage, seq: int, at: datetime) -> Message:
    return Message(seq, m.client_id, m.sender, m.role, m.text, m.corrects, int(at.timestamp() * 1000))


def session_frame(appt: Appointment, event: str) -> SessionEvent:
    return SessionEvent(
        event, appt.status.value, ms(appt.started_at), ms(appt.ended_at), int(appt.booked_end.timestamp() * 1000)
    )


class Live:
    def __init__(self, config: Config, pool: asyncpg.Pool, redis: Redis) -> None:
        self.config, self.pool, self.redis = config, pool, redis
        self.proc_id = uuid.uuid4().hex[:12]
        self.rooms: dict[int, Room] = {}
        self._opening: dict[int, asyncio.Future[Room]] = {}
        self.conns: set[Conn] = set()
        self.accepting = True
        self.writer = GroupWriter(config.database_url, self._committed, shards=config.writer_shards,
                                  linger=config.commit_linger_ms / 1000, depth=config.commit_pipeline)
        self.fanout = Fanout(redis, self.proc_id, self._remote, self._resync_all)
        self.after_commit: list[AfterCommit] = []
        # Shows a risk notice in a local room; the risk desk sets it at start-up.
        self.risk_notice: Callable[[int, str, str], None] = lambda room, category, severity: None
        self._outbox: list[tuple[int, Event]] = []
        self._outbox_wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._fill_tasks: set[asyncio.Task[None]] = set()
        self._conn_counter = 0
        self._left: list[tuple[int, datetime]] = []  # presence ids and leaving times not yet written
        self._left_wake = asyncio.Event()
        # (when, room id) of five-minute notices, due by the wall clock: one heap and one task
        # instead of a timer per room (a TimerHandle costs ~0.5 KB; an entry here ~80 bytes).
        self._notices: list[tuple[float, int]] = []

    # -- lifecycle -----------------------------------------------------------

    async def start(self) -> None:
        self.writer.start()
        await self.fanout.start()
        self._tasks = [
            asyncio.create_task(self._publisher(), name="fanout-publisher"),
            asyncio.create_task(self._resync_loop(), name="room-resync"),
            asyncio.create_task(self._presence_loop(), name="presence-refresh"),
            asyncio.create_task(self._heartbeat(), name="ws-heartbeat"),
            asyncio.create_task(self._record_leaving(), name="presence-left"),
            asyncio.create_task(self._notice_loop(), name="five-minute-notices"),
            asyncio.create_task(self._watch_loop_lag(), name="loop-lag"),
        ]

    async def shutdown(self) -> None:
        """Stop taking work, store what was sent, tell every client to reconnect elsewhere."""
        self.accepting = False
        await self.writer.stop(self.config.shutdown_grace_seconds)
        await asyncio.gather(*(c.flush(1.0) for c in list(self.conns)))
        for conn in list(self.conns):
            conn.close(CloseCode.GOING_AWAY, "server restarting; reconnect and resume")
        await self._drain_outbox()

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self._write_left(), 5.0)
        except Exception:
            log.warning("leaving times not written", extra={"count": len(self._left)}, exc_info=True)
        for t in [*self._tasks, *self._fill_tasks]:
            t.cancel()
        await asyncio.gather(*self._tasks, *self._fill_tasks, return_exceptions=True)
        await self.fanout.stop()

    def background(self, task: asyncio.Future[None]) -> None:
        """Keep a reference to a fire-and-forget task until it is done."""
        self._fill_tasks.add(task)  # type: ignore[arg-type]
        task.add_done_callback(self._fill_tasks.discard)

    def next_conn_id(self) -> str:
        self._conn_counter += 1
        return f"{self.proc_id}.{self._conn_counter}"

    # -- rooms ---------------------------------------------------------------

    async def open_room(self, appt: Appointment) -> Room:
        """The local hub for a room, created (and subscribed) on first use."""
        room = self.rooms.get(appt.id)
        if room is not None:
            return room
        opening = self._opening.get(appt.id)
        if opening is not None:
            return await asyncio.shield(opening)
        fut: asyncio.Future[Room] = asyncio.get_running_loop().create_future()
        self._opening[appt.id] = fut
        try:
            # Subscribe first, then read the counter: nothing committed after the read is missed.
            await self.fanout.subscribe(appt.id)
            fresh = await care.appointment(self.pool, appt.id)
            room = Room(fresh or appt, (fresh or appt).last_seq)
            self.rooms[appt.id] = room
            self._schedule_notice(room)
            fut.set_result(room)
            return room
        except BaseException as e:
            fut.set_exception(e)
            fut.exception()  # mark retrieved
            raise
        finally:
            del self._opening[appt.id]

    async def leave(self, conn: Conn) -> None:
        room = conn.room
        if room is None:
            return
        if conn in room.conns:
            room.conns.remove(conn)
        conn.room = None
        if not room.conns and self.rooms.get(room.id) is room:
            del self.rooms[room.id]
            room.notice = None
            await self.fanout.unsubscribe(room.id)

    def _schedule_notice(self, room: Room) -> None:
        at = None
        if room.appt.status in (AppointmentStatus.BOOKED, AppointmentStatus.LIVE):
            at = five_minute_notice_at(room.appt).timestamp()
            if at <= time.time():
                at = None
        if at is not None and at != room.notice:
            heapq.heappush(self._notices, (at, room.id))
        room.notice = at

    async def _watch_loop_lag(self) -> None:
        """Export how long the loop was busy when a timer fell due (every session here waited as long)."""
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + LAG_PROBE_S
            await asyncio.sleep(LAG_PROBE_S)
            metrics.LOOP_LAG.observe(max(0.0, loop.time() - due))

    async def _notice_loop(self) -> None:
        while True:
            await asyncio.sleep(NOTICE_TICK_S)
            self.due_notices(time.time())

    def due_notices(self, now: float) -> None:
        """Send the five-minute notices due by `now` (entries for rooms since closed or
        rescheduled are dropped: only the room's current `notice` counts)."""
        while self._notices and self._notices[0][0] <= now:
            at, room_id = heapq.heappop(self._notices)
            room = self.rooms.get(room_id)
            if room is None or room.notice != at:
                continue
            room.notice = None
            if room.appt.status is AppointmentStatus.LIVE:
                room.broadcast(session_frame(room.appt, "five_minutes"))

    async def replay(self, conn: Conn, room: Room) -> None:
        """Send everything after conn.last_seq, then switch the connection to live delivery.

        The switch happens with no await between the last check and `live = True`, so a
        message the hub delivers meanwhile is either replayed here or delivered live."""
        while not conn.closing:
            batch = await transcripts.after(self.pool, room.id, conn.last_seq, 500)
            for m in batch:
                if m.seq == conn.last_seq + 1:
                    conn.enqueue_message(message_from(m, m.seq, m.at))
            if len(batch) < 500 and conn.last_seq >= room.last_seq:
                conn.live = True
                return
            if not batch and conn.last_seq < room.last_seq:
                await asyncio.sleep(0.01)  # hub is ahead of what we could read: read again

    # -- messages ------------------------------------------------------------

    def submit(self, msg: NewMessage) -> asyncio.Future[AppendResult]:
        return self.writer.submit(msg)

    def retry_after(self, room: int) -> float:
        return self.writer.retry_after(room)

    def _committed(self, messages: Sequence[NewMessage], results: Sequence[AppendResult]) -> None:
        for m, r in zip(messages, results, strict=True):
            if r.status != "ok":
                continue
            assert r.seq is not None and r.at is not None
            frame = message_from(m, r.seq, r.at)
            room = self.rooms.get(m.room)
            if room is not None and room.offer(frame):
                self._fill(room)
            self._outbox.append((m.room, {"k": "m", **frame.to_obj()}))
            for hook in self.after_commit:
                try:
                    hook(room, frame, m.role)
                except Exception:
                    log.exception("after-commit hook failed", extra={"room": m.room, "seq": r.seq})
        self._outbox_wake.set()

    def publish(self, room: int, event: Event) -> None:
        self._outbox.append((room, event))
        self._outbox_wake.set()

    async def _publisher(self) -> None:
        while True:
            await self._outbox_wake.wait()
            self._outbox_wake.clear()
            await self._drain_outbox()

    async def _drain_outbox(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            await self.fanout.publish_many(batch)

    def _remote(self, room_id: int, event: Event) -> None:
        """An event from another process. Never awaits: hands frames to queues."""
        room = self.rooms.get(room_id)
        if room is None:
            return
        kind = event.get("k")
        if kind == "m":
            try:
                msg = Message(
                    int(event["seq"]), str(event["client_id"]), int(event["sender"]),  # type: ignore[call-overload]
                    str(event["role"]), str(event["text"]),
                    None if event.get("corrects") is None else int(event["corrects"]),  # type: ignore[call-overload]
                    int(event["at_ms"]),  # type: ignore[call-overload]
                )
            except (KeyError, TypeError, ValueError):
                log.warning("malformed fan-out message", extra={"room": room_id})
                return
            if room.offer(msg):
                self._fill(room)
        elif kind == "t":
            room.broadcast(TypingSignal(int(event["u"]), str(event["r"])))  # type: ignore[call-overload]
        elif kind == "r":
            room.broadcast(ReadReceipt(int(event["u"]), int(event["s"])))  # type: ignore[call-overload]
        elif kind == "p":
            members = [Member(int(u), str(r), str(n)) for u, r, n in event["m"]]  # type: ignore[attr-defined]
            room.broadcast(Presence(int(event["u"]), str(event["r"]), str(event["n"]), str(event["st"]), members))  # type: ignore[call-overload]
        elif kind == "s":
            self._fill(room, refresh=True, event=str(event["e"]))
        elif kind == "k":
            self.risk_notice(room_id, str(event["c"]), str(event["s"]))

    # -- gaps and catching up -------------------------------------------------

    def _fill(self, room: Room, refresh: bool = False, event: str | None = None) -> None:
        if room.filling and not refresh:
            return
        room.filling = True
        task = asyncio.get_running_loop().create_task(self._fill_gap(room, refresh, event))
        self._fill_tasks.add(task)
        task.add_done_callback(self._fill_tasks.discard)

    async def _fill_gap(self, room: Room, refresh: bool, event: str | None) -> None:
        try:
            if refresh:
                appt = await care.appointment(self.pool, room.id)
                if appt is not None:
                    room.appt = appt
                    self._schedule_notice(room)
                    if event:
                        room.broadcast(session_frame(appt, event))
            else:
                await asyncio.sleep(GAP_WAIT)
            while room.pending or refresh:
                refresh = False
                batch = await transcripts.after(self.pool, room.id, room.last_seq, 500)
                if batch:
                    metrics.GAP_FETCHES.inc()
                for m in batch:
                    room.offer(message_from(m, m.seq, m.at))
                if len(batch) < 500:
                    if room.pending:
                        await asyncio.sleep(GAP_WAIT)  # a seq was reserved but not yet visible
                        continue
                    break
        except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError) as e:
            log.warning("gap fill failed; will retry", extra={"room": room.id, "error": repr(e)})
        finally:
            room.filling = False

    def _resync_all(self) -> None:
        for room in list(self.rooms.values()):
            self._fill(room, refresh=True)

    async def _resync_loop(self) -> None:
        """Safety net for lost pub/sub: compare every local room with PostgreSQL."""
        while True:
            await asyncio.sleep(RESYNC_EVERY)
            if not self.rooms:
                continue
            try:
                rows = await self.pool.fetch(
                    "SELECT id, last_seq, status FROM appointments WHERE id = ANY($1::bigint[])", list(self.rooms)
                )
            except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError):
                continue
            for r in rows:
                room = self.rooms.get(r["id"])
                if room is None:
                    continue
                if r["last_seq"] > room.last_seq or r["status"] != room.appt.status.value:
                    self._fill(room, refresh=r["status"] != room.appt.status.value)

    # -- presence ------------------------------------------------------------

    async def presence(self, conn: Conn, state: str) -> list[Member]:
        """Record a join or leave in Redis and tell the room; returns who is here now."""
        room = conn.room
        assert room is not None and conn.role is not None
        key = f"cbt:presence:{room.id}"
        if conn.presence_key is None:
            conn.presence_key = json.dumps([conn.conn_id, conn.user.id, conn.role.value, conn.user.display_name])
        members: list[Member] = []
        try:
            now = time.time()
            pipe = self.redis.pipeline(transaction=False)
            if state == "joined":
                pipe.zadd(key, {conn.presence_key: now + PRESENCE_TTL})
            else:
                pipe.zrem(key, conn.presence_key)
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zrangebyscore(key, now, "+inf")
            pipe.expire(key, int(PRESENCE_TTL * 4))
            res = await pipe.execute()
            members = unique_members(res[2])
        except (RedisError, OSError) as e:
            log.warning("presence unavailable", extra={"error": repr(e)})
            members = unique_members([c.presence_key for c in room.conns if c.presence_key])
        frame = Presence(conn.user.id, conn.role.value, conn.user.display_name, state, members)
        room.broadcast(frame, skip=conn)
        self.publish(room.id, {
            "k": "p", "u": conn.user.id, "r": conn.role.value, "n": conn.user.display_name, "st": state,
            "m": [[m.user, m.role, m.name] for m in members],
        })
        return members

    def left(self, presence_id: int) -> None:
        """Record, soon and in a batch, that a participant left (billing and DNA read it)."""
        self._left.append((presence_id, datetime.now(UTC)))
        self._left_wake.set()

    async def _record_leaving(self) -> None:
        while True:
            await self._left_wake.wait()
            self._left_wake.clear()
            await asyncio.sleep(LEFT_LINGER)
            try:
                await self._write_left()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as e:
                log.warning("could not record leaving; retrying", extra={"error": repr(e), "count": len(self._left)})
                await asyncio.sleep(1.0)
                self._left_wake.set()

    async def _write_left(self) -> None:
        while self._left:
            batch = self._left[:1000]
            await care.presence_left(self.pool, batch)
            del self._left[: len(batch)]

    async def _heartbeat(self) -> None:
        every = DEFAULT_LIMITS.heartbeat_seconds
        while True:
            await asyncio.sleep(HEARTBEAT_SWEEP_S)
            self.sweep_heartbeats(asyncio.get_running_loop().time(), every)

    def sweep_heartbeats(self, now: float, every: float) -> None:
        """One sweep for every socket (no timers per socket): PING those quiet for their
        `ping_after` (half a heartbeat to one; again every REPING_S while the peer stays
        silent), close those silent for two heartbeats (gone without a FIN: a closed laptop
        lid, a dead mobile link). Any frame from the peer, a PONG included, counts.

        Sweeping every second over spread thresholds pings a few hundred sockets at a time;
        5,000 sockets that connected together, pinged in one sweep (and answering at once),
        put the messages in flight 50–100 ms behind in the bench (docs/performance.md,
        change 37)."""
        for conn in list(self.conns):
            quiet = now - conn.heard
            if quiet > 2 * every:
                conn.close(CloseCode.GOING_AWAY, "no answer to pings; reconnect and resume", drain=False)
            elif quiet > conn.ping_after and now - conn.pinged_at >= REPING_S:
                conn.ping(now)

    async def _presence_loop(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_TTL / 3)
            try:
                await self.refresh_presence(spread=PRESENCE_TTL / 6)
            except (RedisError, OSError):
                pass

    async def refresh_presence(self, spread: float = 0.0) -> None:
        """Extend every local member's presence, in pipelines of PRESENCE_CHUNK spaced evenly
        over `spread` seconds: redis-py packs and parses a pipeline without yielding, ~30 µs a
        command, so one pipeline for 5,000 sockets would stall every session in this process
        for ~150 ms every 10 s, and 50 pipelines back to back put a burst of a few tens of
        milliseconds into every session's latency (docs/performance.md, change 37)."""
        conns = [c for c in self.conns if c.room is not None and c.presence_key is not None and not c.closing]
        starts = range(0, len(conns), PRESENCE_CHUNK)
        pause = spread / len(starts) if starts else 0.0
        for i in starts:
            expiry = time.time() + PRESENCE_TTL
            pipe = self.redis.pipeline(transaction=False)
            for conn in conns[i:i + PRESENCE_CHUNK]:
                if conn.room is not None and conn.presence_key is not None:
                    pipe.zadd(f"cbt:presence:{conn.room.id}", {conn.presence_key: expiry})
            await pipe.execute()
            if pause:
                await asyncio.sleep(pause)

    def typing(self, conn: Conn) -> None:
        room = conn.room
        assert room is not None and conn.role is not None
        room.broadcast(TypingSignal(conn.user.id, conn.role.value), skip=conn)
        self.publish(room.id, {"k": "t", "u": conn.user.id, "r": conn.role.value})

    def read(self, conn: Conn, seq: int) -> None:
        room = conn.room
        assert room is not None
        room.broadcast(ReadReceipt(conn.user.id, seq), skip=conn)
        self.publish(room.id, {"k": "r", "u": conn.user.id, "s": seq})

    def session_changed(self, room: Room, appt: Appointment, event: str) -> None:
        room.appt = appt
        self._schedule_notice(room)
        room.broadcast(session_frame(appt, event))
        self.publish(room.id, {"k": "s", "e": event})


def unique_members(raw: Sequence[bytes | str]) -> list[Member]:
    seen: dict[tuple[int, str], Member] = {}
    for item in raw:
        try:
            _, user, role, name = json.loads(item)
        except (ValueError, TypeError):
            continue
        seen.setdefault((int(user), str(role)), Member(int(user), str(role), str(name)))
    return sorted(seen.values(), key=lambda m: (m.role, m.user))
