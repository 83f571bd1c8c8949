"""Fan-out between web processes through Redis pub/sub: a fast path, never the record.

Everything a process has to tell the others after a group commit (messages, typing,
presence, receipts, session events) goes out as ONE pub/sub message on the channel
`cbt:fanout`: the sender's id, a newline, and a msgpack list of (room, event) pairs. Per-event costs in redis-py (packing a
command, parsing a reply, parsing each delivered message in Python) were the largest
part of the server's CPU with a channel per room; a batch pays them once. Every process
decodes every batch (msgpack, in C) and keeps the events of rooms it has members in.
That is O(total traffic) per process — cheap up to tens of web processes; beyond that,
shard the channel by room id.

The listener only decodes and hands events to a callback that never awaits a socket.
When Redis drops, the listener reconnects and asks the rooms to catch up from PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable

import msgpack
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

FANOUT_CHANNEL = "cbt:fanout"
Event = dict[str, object]
OnEvent = Callable[[int, Event], None]
OnReconnect = Callable[[], None]


def payload(origin: str, events: Iterable[tuple[int, Event]]) -> bytes:
    """One fan-out message: who sent it (a plain prefix, so a process can skip its own
    batches without decoding them), a newline, then its (room, event) pairs in order."""
    packed = msgpack.packb([[room, event] for room, event in events], use_bin_type=True)
    assert isinstance(packed, bytes) and "\n" not in origin
    return origin.encode() + b"\n" + packed


class Fanout:
    def __init__(self, redis: Redis, proc_id: str, on_event: OnEvent, on_reconnect: OnReconnect) -> None:
        self.redis, self.proc_id = redis, proc_id
        self._origin = proc_id.encode()
        self.on_event, self.on_reconnect = on_event, on_reconnect
        self.rooms: set[int] = set()
        # Other channels this process listens to, with their handlers (e.g. alert changes).
        self.extra: dict[str, Callable[[dict[str, object]], None]] = {}
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="redis-fanout")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._pubsub is not None:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]

    async def subscribe(self, room: int) -> None:
        """Start keeping this room's events (there is one channel for all rooms)."""
        self.rooms.add(room)

    async def unsubscribe(self, room: int) -> None:
        self.rooms.discard(room)

    async def publish_many(self, events: list[tuple[int, Event]]) -> None:
        """Publish a batch in one command. Failures are logged: PostgreSQL is the record."""
        if not events:
            return
        try:
            await self.redis.publish(FANOUT_CHANNEL, payload(self.proc_id, events))
        except (RedisError, OSError) as e:
            log.warning("publish failed; other processes will catch up from PostgreSQL",
                        extra={"error": repr(e), "events": len(events)})

    async def publish(self, room: int, event: Event) -> None:
        await self.publish_many([(room, event)])

    async def _listen(self) -> None:
        backoff = 0.1
        first = True
        while True:
            ps = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await ps.subscribe(FANOUT_CHANNEL, *self.extra)
                self._pubsub = ps
                if not first:
                    log.info("redis fan-out reconnected", extra={"rooms": len(self.rooms)})
                    self.on_reconnect()
                first = False
                backoff = 0.1
                async for msg in ps.listen():
                    self._dispatch(msg)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as e:
                log.warning("redis fan-out lost; reconnecting", extra={"error": repr(e), "retry_in": backoff})
                with contextlib.suppress(Exception):
                    await ps.aclose()  # type: ignore[no-untyped-call]
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def _dispatch(self, msg: dict[str, object]) -> None:
        if msg.get("type") != "message":
            return
        name = msg["channel"]
        name = name.decode() if isinstance(name, bytes) else str(name)
        data = msg["data"]
        if name == FANOUT_CHANNEL:
            if not isinstance(data, bytes):
                return
            origin, sep, body = data.partition(b"\n")
            if origin == self._origin:
                return  # our own events were delivered locally
            try:
                events = msgpack.unpackb(body, raw=False) if sep else None
            except (ValueError, TypeError, msgpack.UnpackException):
                events = None
            if not isinstance(events, list):
                log.warning("malformed fan-out batch")
                return
            rooms = self.rooms
            for item in events:
                try:
                    room, event = item
                except (TypeError, ValueError):
                    continue
                if room in rooms and isinstance(event, dict):
                    self.on_event(room, event)
            return
        handler = self.extra.get(name)
        if handler is None:
            return
        try:
            decoded = msgpack.unpackb(data, raw=False)
        except (ValueError, TypeError, msgpack.UnpackException):
            log.warning("undecodable fan-out message", extra={"channel": name})
            return
        if isinstance(decoded, dict):
            handler(decoded)
