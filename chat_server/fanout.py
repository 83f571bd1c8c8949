"""Fan-out between web processes through Redis pub/sub: a fast path, never the record.

One channel per room; a process subscribes to the rooms it has members in. The listener
only decodes and hands events to a callback that never awaits a socket. When Redis
drops, the listener reconnects, resubscribes and asks the rooms to catch up from
PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

import msgpack
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

Event = dict[str, object]
OnEvent = Callable[[int, Event], None]
OnReconnect = Callable[[], None]


# One EVALSHA publishes a whole batch, in order. A pipeline of PUBLISHes cost redis-py
# a packed command and a parsed reply per event: the largest part of publishing.
PUBLISH_BATCH = "for i = 1, #ARGV, 2 do redis.call('PUBLISH', ARGV[i], ARGV[i + 1]) end return #ARGV / 2"


def channel(room: int) -> str:
    return f"cbt:room:{room}"


class Fanout:
    def __init__(self, redis: Redis, proc_id: str, on_event: OnEvent, on_reconnect: OnReconnect) -> None:
        self.redis, self.proc_id = redis, proc_id
        self.on_event, self.on_reconnect = on_event, on_reconnect
        self.rooms: set[int] = set()
        # Other channels this process listens to, with their handlers (e.g. alert changes).
        self.extra: dict[str, Callable[[dict[str, object]], None]] = {}
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._control = f"cbt:proc:{proc_id}"
        self._publish_batch = redis.register_script(PUBLISH_BATCH)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="redis-fanout")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self._pubsub is not None:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]

    async def subscribe(self, room: int) -> None:
        self.rooms.add(room)
        ps = self._pubsub
        if ps is not None and self._connected.is_set():
            try:
                await ps.subscribe(channel(room))
            except (RedisError, OSError) as e:
                log.warning("subscribe failed; will resubscribe on reconnect", extra={"room": room, "error": repr(e)})

    async def unsubscribe(self, room: int) -> None:
        self.rooms.discard(room)
        ps = self._pubsub
        if ps is not None and self._connected.is_set():
            try:
                await ps.unsubscribe(channel(room))
            except (RedisError, OSError):
                pass

    async def publish_many(self, events: Iterable[tuple[int, Event]]) -> None:
        """Publish a batch in one round trip. Failures are logged: PostgreSQL is the record."""
        args: list[str | bytes] = []
        for room, event in events:
            event["o"] = self.proc_id
            args += (channel(room), msgpack.packb(event, use_bin_type=True))
        n = len(args) // 2
        if not n:
            return
        try:
            await self._publish_batch(args=args)
        except (RedisError, OSError) as e:
            log.warning("publish failed; other processes will catch up from PostgreSQL", extra={"error": repr(e), "events": n})

    async def publish(self, room: int, event: Event) -> None:
        await self.publish_many([(room, event)])

    async def _listen(self) -> None:
        backoff = 0.1
        first = True
        while True:
            ps = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await ps.subscribe(self._control, *self.extra, *[channel(r) for r in self.rooms])
                self._pubsub = ps
                self._connected.set()
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
                self._connected.clear()
                log.warning("redis fan-out lost; reconnecting", extra={"error": repr(e), "retry_in": backoff})
                try:
                    await ps.aclose()  # type: ignore[no-untyped-call]
                except Exception:
                    pass
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def _dispatch(self, msg: dict[str, object]) -> None:
        if msg.get("type") != "message":
            return
        name = msg["channel"]
        name = name.decode() if isinstance(name, bytes) else str(name)
        if not name.startswith("cbt:room:"):
            handler = self.extra.get(name)
            if handler is not None:
                try:
                    data = msgpack.unpackb(msg["data"], raw=False)
                except (ValueError, msgpack.UnpackException):
                    return
                if isinstance(data, dict):
                    handler(data)
            return
        try:
            room = int(name[9:])
            data = msgpack.unpackb(msg["data"], raw=False)
        except (ValueError, msgpack.UnpackException):
            log.warning("undecodable fan-out event", extra={"channel": name})
            return
        # Our own events were already delivered locally.
        if isinstance(data, dict) and data.get("o") != self.proc_id:
            self.on_event(room, data)
