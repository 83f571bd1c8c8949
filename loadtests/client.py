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
import random
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
_randbits = random.getrandbits


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
            if self._join_frame(msgpack.unpackb(m.data), welcome):
                break
        self.reader = asyncio.get_running_loop().create_task(self._read())
        return welcome

    def _join_frame(self, obj: dict[str, Any], welcome: dict[str, Any]) -> bool:
        """A frame while joining: the welcome is kept (in `welcome`), replayed messages move
        last_seq; True once `replayed` ends the replay. A refusal raises."""
        t = obj.get("type")
        if t == "welcome":
            welcome.update(obj)
        elif t == "msg":
            self.last_seq = obj["seq"]
        elif t == "replayed":
            self.last_seq = obj["last_seq"]
            return True
        elif t in ("error", "closed"):
            raise RuntimeError(f"join refused: {obj}")
        return False

    async def _read(self) -> None:
        import aiohttp

        ws = self.ws
        unpack = msgpack.unpackb
        binary = aiohttp.WSMsgType.BINARY
        while True:
            m = await ws.receive()
            if m.type is not binary:
                if m.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR,
                              aiohttp.WSMsgType.CLOSING):
                    self._closed_by_server(m.data if m.type is aiohttp.WSMsgType.CLOSE else m.type.name)
                    return
                continue
            t = now()
            self._handle(unpack(m.data), t)

    def _closed_by_server(self, why: object) -> None:
        book = Peer.book
        if book is not None and not self.closing:  # the server closed us: count why
            book.errors[f"closed:{why}"] += 1

    def _handle(self, obj: dict[str, Any], t: float) -> None:
        """One live frame from the server, received at t."""
        typ = obj["type"]
        book = Peer.book
        if typ == "msg":
            seq = obj["seq"]
            if seq <= self.last_seq:
                if book is not None and obj["sender"] != self.user:
                    book.dups += 1
                return
            if seq != self.last_seq + 1 and book is not None:
                book.seq_gaps += 1
            self.last_seq = seq
            if obj["sender"] != self.user and book is not None:
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


WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class RawPeer(Peer):
    """A Peer that frames its WebSocket by hand (RFC 6455, client side) on a plain asyncio
    protocol: a frame from the server is handled in `data_received`, with no reader task,
    queue or future per frame. The handshake is the browser's, as `Peer` makes it (headers,
    login cookie, compression offer, which the server declines: checked). Used by the bench
    so that the load generator, which shares the two cores, costs as little as it can."""

    __slots__ = ("joining", "proto")

    def __init__(self, idx: int, room: int, user: int, role: str) -> None:
        super().__init__(idx, room, user, role)
        self.proto: _RawFrames | None = None
        self.joining: asyncio.Queue[dict[str, Any]] | None = None

    async def connect(self, session: Any, url: str, token: str, within: float = 60.0) -> dict[str, Any]:
        import base64
        import hashlib
        import os
        from urllib.parse import urlsplit

        u = urlsplit(url)
        loop = asyncio.get_running_loop()
        self.joining = asyncio.Queue()
        proto = self.proto = _RawFrames(self, loop)
        await loop.create_connection(lambda: proto, u.hostname, u.port)
        key = base64.b64encode(os.urandom(16))
        headers = {
            "Host": u.netloc, "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key.decode(),
            "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": SUBPROTOCOL,
            "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
            **BROWSER_HEADERS, "Cookie": f"{SESSION_COOKIE}={token}",
        }
        assert proto.transport is not None
        proto.transport.write(
            (f"GET {u.path or '/'} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode())
        head = await asyncio.wait_for(proto.handshake, within)
        lines = head.decode("latin-1").split("\r\n")
        got = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest()).decode()
        if not lines[0].startswith("HTTP/1.1 101") or got.get("sec-websocket-accept") != accept:
            raise RuntimeError(f"handshake refused: {lines[0]!r}")
        if got.get("sec-websocket-protocol") != SUBPROTOCOL or "sec-websocket-extensions" in got:
            raise RuntimeError(f"unexpected handshake answer: {got}")
        proto.send(0x2, hello_frame(self.room))
        welcome: dict[str, Any] = {}
        deadline = now() + within
        while True:
            obj = await asyncio.wait_for(self.joining.get(), max(0.1, deadline - now()))
            if self._join_frame(obj, welcome):
                break
        self.joining = None  # from here on frames are handled as they arrive
        return welcome

    def _frame(self, payload: bytes, t: float) -> None:
        obj = msgpack.unpackb(payload)
        if self.joining is not None:
            self.joining.put_nowait(obj)
        else:
            self._handle(obj, t)

    async def send(self, cid: str, frame: bytes) -> None:
        self.frames[cid] = frame
        if self.proto is None or self.proto.lost:
            raise ConnectionResetError("the socket is closed")
        self.proto.send(0x2, frame)

    async def close(self) -> None:
        self.closing = True
        if self.proto is not None and not self.proto.lost:
            self.proto.send(0x8, (1000).to_bytes(2, "big"))
            self.proto.lost = True
            assert self.proto.transport is not None
            self.proto.transport.close()


class _RawFrames(asyncio.Protocol):
    """The bytes of one RawPeer's socket: the handshake's answer, then server frames (never
    masked, never fragmented by our server; both are checked)."""

    def __init__(self, peer: RawPeer, loop: asyncio.AbstractEventLoop) -> None:
        self.peer = peer
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.handshake: asyncio.Future[bytes] = loop.create_future()
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not an asyncio.Transport subclass

    def connection_lost(self, exc: Exception | None) -> None:
        said = self.lost  # a close frame (or our own close) has already said why
        self.lost = True
        if not self.handshake.done():
            self.handshake.set_exception(ConnectionResetError("closed during the handshake"))
        elif said:
            return
        elif self.peer.joining is not None:
            self.peer.joining.put_nowait({"type": "closed"})
        else:
            self.peer._closed_by_server("CLOSED")

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if not self.handshake.done():
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            self.handshake.set_result(bytes(buf[:end]))
            del buf[: end + 4]
        t = now()
        pos, n = 0, len(buf)
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            size, head = b1 & 0x7F, 2
            if size == 126:
                if n - pos < 4:
                    break
                size, head = int.from_bytes(buf[pos + 2: pos + 4], "big"), 4
            elif size == 127:
                if n - pos < 10:
                    break
                size, head = int.from_bytes(buf[pos + 2: pos + 10], "big"), 10
            if n - pos < head + size:
                break
            if b1 & 0x80 or not b0 & 0x80:
                raise RuntimeError("a masked or fragmented frame from the server")
            payload = bytes(buf[pos + head: pos + head + size])
            pos += head + size
            opcode = b0 & 0x0F
            if opcode == 0x2:
                self.peer._frame(payload, t)
            elif opcode == 0x9:  # the server's heartbeat ping
                self.send(0xA, payload)
            elif opcode == 0x8:
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
                if self.peer.joining is not None:
                    self.peer.joining.put_nowait({"type": "closed", "code": code})
                else:
                    self.peer._closed_by_server(code)
                self.lost = True
                assert self.transport is not None
                self.transport.close()
                break
        del buf[:pos]

    def send(self, opcode: int, payload: bytes) -> None:
        """One masked frame (RFC 6455 5.3: every client frame is masked, with a fresh key)."""
        size = len(payload)
        if size < 126:
            head = bytes((0x80 | opcode, 0x80 | size))
        elif size < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
        key = _randbits(32)
        mask = key.to_bytes(4, "big")
        keys = int.from_bytes(mask * (size // 4 + 1), "big") >> (8 * (4 - size % 4))
        masked = (int.from_bytes(payload, "big") ^ keys).to_bytes(size, "big") if size else b""
        assert self.transport is not None
        self.transport.write(head + mask + masked)


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
