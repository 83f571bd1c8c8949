"""Lean protocol clients for load generation (docs/protocol.md, msgpack subprotocol).

* `Book` -- what was sent, acked and delivered, with one clock (time.monotonic), so
  delivery latency = receiver's time of receipt - sender's time of send.
* `Peer` -- one participant on an aiohttp client WebSocket (asyncio / uvloop), used by
  `loadtests.bench`. Frames are pre-encoded: a `send` is a fixed prefix + client_id + a
  fixed suffix, so the generator spends its CPU on sockets, not on msgpack.
* `SyncPeer` -- the same over `websockets.sync.client`, for locust (gevent patches the
  blocking socket calls, so one greenlet per participant is enough).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import msgpack

SUBPROTOCOL = "cbt.v1.msgpack"
SESSION_COOKIE = "cbt_session"  # chat_server.auth.COOKIE: a browser's socket carries its login cookie
# What Chromium sends on a WebSocket handshake besides Host, Upgrade, Connection and the
# Sec-WebSocket-* fields (the client adds those, and the deflate offer when asked).
BROWSER_HEADERS = {
    "Pragma": "no-cache",
    "Cache-Control": "no-cache",
    "User-Agent": ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/131.0.0.0 Safari/537.36"),
    "Origin": "https://cbt.example.org",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Accept-Language": "en-GB,en-US;q=0.9,en;q=0.8",
}
now = time.monotonic
_pack = msgpack.packb


def send_template(text: str) -> tuple[bytes, bytes]:
    """(prefix, suffix) such that prefix + packb(client_id) + suffix is a `send` frame."""
    prefix = b"\x83" + _pack("type") + _pack("send") + _pack("client_id")
    suffix = _pack("text") + _pack(text)
    return prefix, suffix


def hello_frame(room: int, last_seq: int = 0) -> bytes:
    return bytes(_pack({"type": "hello", "v": 1, "room": room, "last_seq": last_seq}))


class Book:
    """Bookkeeping for one measurement phase. Keys are client_ids."""

    def __init__(self) -> None:
        self.sent: dict[str, tuple[int, int, float, float]] = {}  # cid -> (room_idx, k, t_sched, t_sent)
        self.acked: dict[str, float] = {}
        self.ack_seq: dict[str, int] = {}
        self.delivered: dict[str, float] = {}
        self.dups = 0            # a msg frame for a client_id already delivered to that peer
        self.out_of_order = 0    # delivered k lower than one already delivered in the room
        self.seq_gaps = 0        # a live msg whose seq skipped one (a message missing in between)
        self.ack_dup = 0         # acks with duplicate: true (resends of stored messages)
        self.errors: Counter[str] = Counter()
        self.resent = 0
        self.unknown = 0         # deliveries of client_ids this phase never sent
        self.last_k: dict[int, int] = {}
        # risk probes: room -> when the disclosure was sent / when its sender saw the risk notice
        self.risk_sent: dict[int, float] = {}
        self.risk_seen: dict[int, float] = {}

    def on_ack(self, obj: dict[str, Any], t: float) -> None:
        cid = obj["client_id"]
        if obj.get("duplicate"):
            self.ack_dup += 1
        if cid not in self.acked:
            self.acked[cid] = t
            self.ack_seq[cid] = obj["seq"]

    def on_deliver(self, cid: str, t: float) -> None:
        if cid in self.delivered:
            self.dups += 1
            return
        info = self.sent.get(cid)
        if info is None:
            self.unknown += 1
            return
        self.delivered[cid] = t
        room, k = info[0], info[1]
        if k < self.last_k.get(room, -1):
            self.out_of_order += 1
        else:
            self.last_k[room] = k


class Peer:
    """One participant: an aiohttp WebSocket joined to a room, with a reader task."""

    __slots__ = ("ack_waiters", "closing", "frames", "idx", "last_seq", "on_error", "reader", "retry", "retry_at",
                 "role", "room", "user", "ws")

    book: Book | None = None  # the current phase's book, shared by every peer

    def __init__(self, idx: int, room: int, user: int, role: str) -> None:
        self.idx, self.room, self.user, self.role = idx, room, user, role
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.last_seq = 0
        self.closing = False
        self.retry: list[str] = []  # refused client_ids (and any sent after them), resent in order
        self.retry_at: asyncio.TimerHandle | None = None
        self.frames: dict[str, bytes] = {}  # in-flight sends, for resending after overload
        self.ack_waiters: dict[str, asyncio.Future[None]] = {}  # a resent message's ack, awaited
        self.on_error: Callable[[Peer, dict[str, Any]], None] | None = None

    async def connect(self, session: Any, url: str, token: str, within: float = 60.0) -> dict[str, Any]:
        """Open, hello, wait for welcome + replayed; then start reading live frames."""
        import aiohttp

        # Ask for what a browser asks for (permessage-deflate, its usual headers), so the
        # server's memory per socket is measured for the handshake real clients make.
        self.ws = await session.ws_connect(
            url, protocols=(SUBPROTOCOL,), headers={**BROWSER_HEADERS, "Cookie": f"{SESSION_COOKIE}={token}"},
            autoping=True, heartbeat=None, compress=15, max_msg_size=0, timeout=aiohttp.ClientWSTimeout(ws_close=5),
        )
        if self.ws.protocol != SUBPROTOCOL:
            raise RuntimeError(f"server chose subprotocol {self.ws.protocol!r}")
        await self.ws.send_bytes(hello_frame(self.room))
        welcome: dict[str, Any] = {}
        deadline = now() + within
        while True:
            m = await self.ws.receive(timeout=max(0.1, deadline - now()))
            if m.type != aiohttp.WSMsgType.BINARY:
                raise RuntimeError(f"join failed: {m.type} {m.data!r} {m.extra!r}")
            obj = msgpack.unpackb(m.data)
            t = obj.get("type")
            if t == "welcome":
                welcome = obj
            elif t == "msg":
                self.last_seq = obj["seq"]
            elif t == "replayed":
                self.last_seq = obj["last_seq"]
                break
            elif t == "error":
                raise RuntimeError(f"join refused: {obj}")
        self.reader = asyncio.get_running_loop().create_task(self._read())
        return welcome

    async def _read(self) -> None:
        import aiohttp

        ws = self.ws
        unpack = msgpack.unpackb
        binary = aiohttp.WSMsgType.BINARY
        user = self.user
        while True:
            m = await ws.receive()
            if m.type is not binary:
                if m.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR,
                              aiohttp.WSMsgType.CLOSING):
                    book = Peer.book
                    if book is not None and not self.closing:  # the server closed us: count why
                        book.errors[f"closed:{m.data if m.type is aiohttp.WSMsgType.CLOSE else m.type.name}"] += 1
                    return
                continue
            t = now()
            obj = unpack(m.data)
            typ = obj["type"]
            book = Peer.book
            if typ == "msg":
                seq = obj["seq"]
                if seq <= self.last_seq:
                    if book is not None and obj["sender"] != user:
                        book.dups += 1
                    continue
                if seq != self.last_seq + 1 and book is not None:
                    book.seq_gaps += 1
                self.last_seq = seq
                if obj["sender"] != user and book is not None:
                    book.on_deliver(obj["client_id"], t)
            elif typ == "ack":
                self.frames.pop(obj["client_id"], None)
                if self.ack_waiters:
                    waiter = self.ack_waiters.get(obj["client_id"])
                    if waiter is not None and not waiter.done():
                        waiter.set_result(None)
                seq = obj["seq"]
                if seq > self.last_seq and not obj.get("duplicate"):  # in the stream in place of our msg
                    if seq != self.last_seq + 1 and book is not None:
                        book.seq_gaps += 1
                    self.last_seq = seq
                if book is not None:
                    book.on_ack(obj, t)
            elif typ == "risk":
                if book is not None and obj.get("audience") == "patient":
                    book.risk_seen.setdefault(self.room, t)
            elif typ == "error":
                if book is not None:
                    book.errors[str(obj.get("code"))] += 1
                if self.on_error is not None:
                    self.on_error(self, obj)
                waiter = self.ack_waiters.get(obj.get("ref")) if self.ack_waiters else None
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)  # refused again: the resend loop stops and waits

    async def send(self, cid: str, frame: bytes) -> None:
        self.frames[cid] = frame
        await self.ws.send_bytes(frame)

    async def close(self) -> None:
        self.closing = True
        if self.reader is not None:
            self.reader.cancel()
        if self.ws is not None and not self.ws.closed:
            try:
                await asyncio.wait_for(self.ws.close(), 2)
            except Exception:
                pass


class SyncPeer:
    """A blocking participant for locust (gevent): websockets.sync.client + msgpack."""

    def __init__(self, url: str, token: str, room: int, user: int) -> None:
        from websockets.sync.client import connect

        self.room, self.user = room, user
        self.ws = connect(url, subprotocols=[SUBPROTOCOL],  # type: ignore[list-item]
                          additional_headers={**BROWSER_HEADERS, "Cookie": f"{SESSION_COOKIE}={token}"},
                          open_timeout=30, close_timeout=2, max_size=2**20)  # offers deflate, as browsers do
        self.last_seq = 0
        self.welcome: dict[str, Any] = {}

    def join(self, timeout: float = 30.0) -> dict[str, Any]:
        self.ws.send(hello_frame(self.room))
        deadline = now() + timeout
        while True:
            obj = self.recv(max(0.1, deadline - now()))
            if obj is None:
                raise TimeoutError("no replayed frame")
            if obj["type"] == "welcome":
                self.welcome = obj
            elif obj["type"] == "msg":
                self.last_seq = obj["seq"]
            elif obj["type"] == "replayed":
                self.last_seq = obj["last_seq"]
                return self.welcome
            elif obj["type"] == "error":
                raise RuntimeError(f"join refused: {obj}")

    def recv(self, timeout: float | None = None) -> dict[str, Any] | None:
        try:
            data = self.ws.recv(timeout=timeout)
        except TimeoutError:
            return None
        obj = msgpack.unpackb(data if isinstance(data, bytes) else data.encode())
        assert isinstance(obj, dict)
        return obj

    def send(self, obj: dict[str, Any]) -> None:
        self.ws.send(_pack(obj))

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass
