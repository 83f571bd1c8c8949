"""Per-process state of live rooms: connections with bounded queues, and room hubs
that deliver each room's messages in sequence order exactly once per connection."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from chat_server import metrics
from chat_server.protocol import Ack, CloseCode, Codec, Limits, Message, TokenBucket, encode_obj
from clinical.records import Appointment, User
from clinical.sessions import RoomRole

if TYPE_CHECKING:
    from chat_server.protocol import ServerFrame

log = logging.getLogger(__name__)

# Queued in Conn.out to make the writer send a WebSocket PING (compared by identity).
PING = b"ping"


class Conn:
    """One WebSocket: a bounded outgoing queue drained by its own writer task, so a slow
    reader never holds up anyone else. The task exists only while there is something to
    write: an idle socket costs no task, coroutine or future."""

    __slots__ = (
        "closing", "codec", "conn_id", "frame_bucket", "heard", "inflight", "last_seq", "last_typing", "live",
        "max_queue", "msg_bucket", "out", "ping_after", "pinged_at", "presence_id", "presence_key", "role", "room",
        "user", "violations", "writer", "ws",
    )

    def __init__(self, ws: web.WebSocketResponse, user: User, codec: Codec, limits: Limits,
                 max_queue: int, conn_id: str) -> None:
        self.ws, self.user, self.codec, self.conn_id = ws, user, codec, conn_id
        # A plain list: a deque would cost ~0.8 KB more per connection (a 64-slot block).
        self.out: list[str | bytes] = []
        self.max_queue = max_queue
        self.writer: asyncio.Task[None] | None = None
        self.closing = False
        self.room: Room | None = None
        self.role: RoomRole | None = None
        self.last_seq = 0
        self.live = False  # False while replaying: the hub leaves it alone
        # client_ids this connection sent that are not yet in its stream: when one comes
        # through the hub it is acked in its place instead of being sent back to its author.
        self.inflight: set[str] | None = None  # made on the first send (observers never send)
        self.msg_bucket = TokenBucket(limits.messages_per_second, limits.message_burst)
        self.frame_bucket = TokenBucket(limits.frames_per_second, limits.frame_burst)
        self.violations = 0
        self.heard = asyncio.get_running_loop().time()  # when the peer last sent anything (pongs too)
        # Quiet this long (half a heartbeat to one, drawn per connection) earns a PING: sockets
        # that connected together (a restart, a reconnect storm) are not all pinged in one sweep.
        self.ping_after = limits.heartbeat_seconds * (0.5 + 0.5 * random.random())
        self.pinged_at = -1e9
        self.last_typing = -1e9
        self.presence_id: int | None = None
        self.presence_key: str | None = None

    def send(self, frame: ServerFrame) -> None:
        self.enqueue(encode_obj(frame.to_obj(), self.codec))

    def enqueue(self, data: str | bytes) -> None:
        if self.closing:
            return
        if len(self.out) >= self.max_queue:
            metrics.SLOW_CLOSES.inc()
            self.close(CloseCode.RESUME, "you fell behind; reconnect and resume from your last seq", drain=False)
            return
        self.out.append(data)
        if self.writer is None:
            self.writer = asyncio.get_running_loop().create_task(self._write())

    def deliver(self, msg: Message, frames: dict[Codec, str | bytes], make: Callable[[Codec], str | bytes]) -> None:
        """Deliver `msg` if it is the next one this connection needs."""
        if not self.live or msg.seq != self.last_seq + 1:
            return
        self.last_seq = msg.seq
        if self.inflight and msg.client_id in self.inflight and msg.sender == self.user.id:
            self.inflight.discard(msg.client_id)
            self.enqueue(encode_obj(Ack(msg.client_id, msg.seq, msg.at_ms, False).to_obj(), self.codec))
            return
        data = frames.get(self.codec)
        if data is None:
            data = frames[self.codec] = make(self.codec)
        self.enqueue(data)

    def ping(self, now: float) -> None:
        """A WebSocket PING (the peer's PONG, like any frame, counts as hearing from it)."""
        self.pinged_at = now
        if not self.closing and not any(data is PING for data in self.out):
            self.enqueue(PING)

    def enqueue_message(self, msg: Message) -> None:
        self.last_seq = msg.seq
        self.enqueue(encode_obj(msg.to_obj(), self.codec))

    def close(self, code: int, reason: str, drain: bool = True) -> None:
        """Close with a code the client can act on; frames already queued (an error
        saying why) go out first, unless the connection is being dropped for lag."""
        if self.closing:
            return
        self.closing = True
        self.live = False
        if not drain:
            self.out.clear()
        asyncio.get_running_loop().create_task(self._close(code, reason))

    async def _close(self, code: int, reason: str) -> None:
        await self.flush(2.0)
        try:
            await self.ws.close(code=code, message=reason.encode()[:120])
        except Exception:  # the peer may already be gone
            pass

    async def _write(self) -> None:
        ws = self.ws
        out = self.out
        try:
            while out:
                data = out[0]
                if isinstance(data, str):
                    await ws.send_str(data)
                elif data is PING:
                    await ws.ping()
                else:
                    await ws.send_bytes(data)
                if out and out[0] is data:  # close(drain=False) may have emptied it meanwhile
                    del out[0]
        except (ConnectionError, RuntimeError):
            out.clear()  # closed under us: the reader loop notices and cleans up
        finally:
            self.writer = None  # no await since the last check: nothing was queued meanwhile

    async def flush(self, within: float) -> None:
        """Wait (briefly) until queued frames have been written."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while self.out and not self.ws.closed and loop.time() < deadline:  # noqa: ASYNC110 (bounded poll)
            await asyncio.sleep(0.01)


class Room:
    """One room's hub in this process: the seq it has delivered up to, its local
    connections, and messages that arrived ahead of a gap."""

    __slots__ = ("appt", "conns", "filling", "id", "last_seq", "notice", "pending")

    def __init__(self, appt: Appointment, last_seq: int) -> None:
        self.id = appt.id
        self.appt = appt
        self.last_seq = last_seq
        self.conns: list[Conn] = []  # a handful at most; a list of one is ~130 bytes smaller than a set
        self.pending: dict[int, Message] = {}
        self.filling = False
        self.notice: float | None = None  # when its five-minute notice is due (POSIX time)

    def offer(self, msg: Message) -> bool:
        """Take a message from any source; returns True if a gap is now waiting to be filled."""
        if msg.seq <= self.last_seq:
            return False
        if msg.seq != self.last_seq + 1:
            self.pending[msg.seq] = msg
            return True
        self._deliver(msg)
        while self.pending:
            nxt = self.pending.pop(self.last_seq + 1, None)
            if nxt is None:
                for seq in [s for s in self.pending if s <= self.last_seq]:
                    del self.pending[seq]
                return bool(self.pending)
            self._deliver(nxt)
        return False

    def _deliver(self, msg: Message) -> None:
        self.last_seq = msg.seq
        frames: dict[Codec, str | bytes] = {}
        obj = msg.to_obj()

        def make(codec: Codec) -> str | bytes:
            return encode_obj(obj, codec)

        for conn in self.conns:
            conn.deliver(msg, frames, make)

    def broadcast(self, frame: ServerFrame, skip: Conn | None = None) -> None:
        frames: dict[Codec, str | bytes] = {}
        obj = frame.to_obj()
        for conn in self.conns:
            if conn is skip or conn.closing or not conn.live:
                continue
            data = frames.get(conn.codec)
            if data is None:
                data = frames[conn.codec] = encode_obj(obj, conn.codec)
            conn.enqueue(data)
