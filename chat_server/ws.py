"""The WebSocket endpoint: one reader loop per connection, turning frames into actions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from aiohttp import WSMsgType, web

from chat_server import auth, handshake, keys, metrics
from chat_server.errors import long_lived
from chat_server.live import DB_UNAVAILABLE, Live, ms
from chat_server.protocol import (
    DEFAULT_LIMITS,
    SUBPROTOCOL_JSON,
    SUBPROTOCOL_MSGPACK,
    VERSION,
    Ack,
    ClientFrame,
    CloseCode,
    End,
    Error,
    ErrorCode,
    FlagRisk,
    Hello,
    Ping,
    Pong,
    ProtocolError,
    Read,
    Replayed,
    Send,
    Start,
    Typing,
    Welcome,
    codec_for_subprotocol,
    decode,
    encode,
)
from chat_server.rooms import Conn
from chat_server.storage import audit, care, transcripts
from chat_server.storage.transcripts import AppendResult, NewMessage
from chat_server.writer import RETRY_MIN_S, Overloaded, StoreFailed
from clinical.records import AppointmentStatus
from clinical.sessions import Refusal, RoomRole, decide_join

log = logging.getLogger(__name__)
LIMITS = DEFAULT_LIMITS
HELLO_TIMEOUT_S = 30.0

REFUSAL_CLOSE = {
    Refusal.FORBIDDEN: (ErrorCode.FORBIDDEN, CloseCode.FORBIDDEN),
    Refusal.SESSION_ENDED: (ErrorCode.SESSION_ENDED, CloseCode.SESSION_ENDED),
}
STORE_ERRORS = {
    "session_ended": (ErrorCode.SESSION_ENDED, "the session has ended; the transcript is read-only"),
    "not_started": (ErrorCode.NOT_STARTED, "the therapist has not started the session yet"),
    "unknown_message": (ErrorCode.UNKNOWN_MESSAGE, "corrects: no such message in this session"),
    "forbidden": (ErrorCode.FORBIDDEN, "corrects: you can only correct your own messages"),
}


class Reject(Exception):
    """Refuse a frame with an error; optionally close the connection afterwards."""

    def __init__(self, code: ErrorCode, message: str, close: CloseCode | None = None,
                 retry_after: float | None = None, ref: str | None = None, violation: bool = True) -> None:
        super().__init__(message)
        self.code, self.message, self.close, self.retry_after, self.ref = code, message, close, retry_after, ref
        self.violation = violation  # counts towards closing the connection for abuse


@long_lived
async def ws_handler(request: web.Request) -> web.StreamResponse:
    live = request.app[keys.LIVE]
    if not live.accepting:
        raise web.HTTPServiceUnavailable(text="server restarting; retry on another process", headers={"Retry-After": "1"})
    user = await auth.authenticate_socket(request)
    # No per-socket heartbeat timers: Live._heartbeat pings quiet sockets and drops silent
    # ones in one sweep (aiohttp's re-arms two timers per socket on every frame received).
    # No permessage-deflate, though every browser asks for it: a zlib stream per socket
    # costs ~100 KB (121 KB per socket measured, against ~20 KB without), and chat frames
    # are a few hundred bytes.
    ws = web.WebSocketResponse(
        protocols=(SUBPROTOCOL_JSON, SUBPROTOCOL_MSGPACK),
        max_msg_size=LIMITS.max_frame_bytes * 4,
        autoping=False,
        compress=False,
    )
    await ws.prepare(request)
    handshake.shed(request)
    codec = codec_for_subprotocol(ws.ws_protocol)
    if user is None:
        data = encode(Error(ErrorCode.UNAUTHORIZED, "log in first; your token is missing, expired or revoked"), codec)
        await (ws.send_str(data) if isinstance(data, str) else ws.send_bytes(data))
        await ws.close(code=CloseCode.UNAUTHORIZED, message=b"unauthorized")
        return ws
    conn = Conn(ws, user, codec, LIMITS, request.app[keys.CONFIG].ws_queue_frames, live.next_conn_id())
    live.conns.add(conn)
    metrics.WS_OPEN.inc()
    session = Session(live, conn, request)
    session.hello_timer = asyncio.get_running_loop().call_later(HELLO_TIMEOUT_S, _close_if_not_joined, conn)
    loop = asyncio.get_running_loop()
    try:
        async for msg in ws:
            conn.heard = loop.time()
            if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                await session.on_frame(msg.data)
            elif msg.type == WSMsgType.PING:
                await ws.pong(msg.data)
            elif msg.type == WSMsgType.ERROR:
                break
    finally:
        if session.hello_timer is not None:
            session.hello_timer.cancel()
        # aiohttp cancels the handler once the peer has gone: finish the bookkeeping regardless.
        cleanup = asyncio.ensure_future(session.closed())
        live.background(cleanup)
        live.conns.discard(conn)
        metrics.WS_OPEN.dec()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(cleanup), 10.0)
    return ws


def _close_if_not_joined(conn: Conn) -> None:
    """A socket that never joins a session is closed: it holds resources for nothing."""
    if conn.room is None:
        conn.close(CloseCode.POLICY_VIOLATION, f"send hello within {HELLO_TIMEOUT_S:.0f} s of connecting")


class Session:
    """What one connection is doing in its room."""

    __slots__ = ("conn", "desk", "held", "hello_timer", "live", "loop", "pool")

    def __init__(self, live: Live, conn: Conn, request: web.Request) -> None:
        self.live, self.conn, self.desk = live, conn, request.app[keys.DESK]
        self.pool = live.pool
        self.loop = asyncio.get_running_loop()
        # After a refused send, later sends are refused until the refused one is resent, so
        # a transcript is always in the order its author typed it: (client_id, not before).
        self.held: tuple[str, float, ErrorCode] | None = None
        self.hello_timer: asyncio.TimerHandle | None = None  # closes a socket that never joins

    async def on_frame(self, data: str | bytes) -> None:
        conn = self.conn
        if conn.closing:
            return  # closing: the reason is already on its way
        now = self.loop.time()
        try:
            if not conn.frame_bucket.take(now):
                self.too_many_frames(data, now)
            try:
                frame = decode(data, conn.codec, LIMITS)
            except ProtocolError as e:
                raise Reject(e.code, e.message, ref=e.ref) from None
            try:
                await self.dispatch(frame, now)
            except DB_UNAVAILABLE as e:
                # Not the client's fault and not a bug: say "retry", and close a half-done join with
                # 1013 so the client reconnects later (escaping here would close with 1002: "give up").
                log.warning("database unavailable; frame refused", extra={"error": repr(e), "frame": frame.TYPE})
                raise Reject(ErrorCode.OVERLOADED, "the server cannot store or read that now; retry shortly",
                             None if conn.live else CloseCode.TRY_AGAIN_LATER, retry_after=1.0,
                             violation=False) from None
            except Reject:
                raise
            except Exception:
                # A bug of ours: log it, and close with 1011 so the client reconnects and resumes.
                log.exception("frame handler failed", extra={"frame": frame.TYPE})
                raise Reject(ErrorCode.INTERNAL, "something went wrong on our side; reconnect and resume",
                             CloseCode.INTERNAL_ERROR) from None
        except Reject as r:
            self.error(r.code, r.message, r.ref, r.retry_after)
            if r.close is not None:
                conn.close(r.close, r.message)
                return
            if r.violation:
                conn.violations += 1
                if conn.violations > LIMITS.max_violations:
                    conn.close(CloseCode.ABUSE, "too many rejected frames")

    def too_many_frames(self, data: str | bytes, now: float) -> None:
        """Refuse a frame over the frame budget. A `send` is named (ref) and, like one over the
        message budget, holds the connection, so no later message can be stored ahead of it:
        refused without a name it would be lost to the client and overtaken."""
        wait = round(self.conn.frame_bucket.retry_after(now), 3)
        ref = None
        try:
            frame = decode(data, self.conn.codec, LIMITS)
        except ProtocolError:
            frame = None
        if isinstance(frame, Send):
            ref = frame.client_id
            if self.held is None:
                self.held = (ref, now + wait, ErrorCode.RATE_LIMITED)
        raise Reject(ErrorCode.RATE_LIMITED, "too many frames; slow down", retry_after=wait, ref=ref)

    def error(self, code: ErrorCode, message: str, ref: str | None = None, retry_after: float | None = None) -> None:
        metrics.FRAME_ERRORS.labels(code.value).inc()
        self.conn.send(Error(code, message, ref, retry_after))

    async def dispatch(self, frame: ClientFrame, now: float) -> None:
        conn = self.conn
        if isinstance(frame, Ping):
            conn.send(Pong(frame.t))
            return
        if isinstance(frame, Hello):
            await self.hello(frame)
            return
        if conn.room is None or conn.role is None:
            raise Reject(ErrorCode.NOT_JOINED, "send hello first to join a session")
        if isinstance(frame, Send):
            self.send(frame, now)
        elif isinstance(frame, Typing):
            if conn.role is not RoomRole.OBSERVER and now - conn.last_typing >= LIMITS.typing_min_interval:
                conn.last_typing = now
                self.live.typing(conn)
        elif isinstance(frame, Read):
            seq = min(frame.seq, conn.room.last_seq, conn.last_seq)
            stored = await transcripts.mark_read(self.pool, conn.room.id, conn.user.id, seq)
            self.live.read(conn, stored)
        elif isinstance(frame, Start):
            await self.lifecycle(start=True)
        elif isinstance(frame, End):
            await self.lifecycle(start=False)
        elif isinstance(frame, FlagRisk):
            await self.flag_risk(frame)

    async def hello(self, hello: Hello) -> None:
        conn = self.conn
        if conn.room is not None:
            raise Reject(ErrorCode.ALREADY_JOINED, f"already in session {conn.room.id}; open a new connection for another")
        appt = await care.appointment(self.pool, hello.room)
        if appt is None:
            raise Reject(ErrorCode.UNKNOWN_ROOM, f"there is no session {hello.room}", CloseCode.UNKNOWN_ROOM)
        decision = decide_join(appt, conn.user.id, conn.user.role, datetime.now(UTC))
        if decision.role is None:
            assert decision.refusal is not None
            if decision.refusal is Refusal.TOO_EARLY:
                raise Reject(ErrorCode.TOO_EARLY, decision.reason, violation=False)
            code, close = REFUSAL_CLOSE[decision.refusal]
            raise Reject(code, decision.reason, close)
        if hello.last_seq > appt.last_seq:
            raise Reject(ErrorCode.INVALID_FIELD, f"last_seq {hello.last_seq} is ahead of the session (at {appt.last_seq})")
        room = await self.live.open_room(appt)
        conn.room, conn.role, conn.last_seq = room, decision.role, hello.last_seq
        room.conns.append(conn)
        if self.hello_timer is not None:
            self.hello_timer.cancel()
            self.hello_timer = None
        conn.presence_id = await care.presence_joined(self.pool, room.id, conn.user.id, decision.role.value)
        if decision.role is RoomRole.OBSERVER:
            await care.session_event(self.pool, room.id, "observer_joined", conn.user.id)
            await audit.record(self.pool, conn.user.id, "observe", "appointment", room.id)
        members = await self.live.presence(conn, "joined")
        reads = await transcripts.read_markers(self.pool, room.id)
        a = room.appt
        conn.send(Welcome(
            VERSION, room.id, conn.user.id, decision.role.value, a.status.value,
            ms(a.booked_start) or 0, ms(a.booked_end) or 0, ms(a.started_at), ms(a.ended_at),
            max(room.last_seq, appt.last_seq), members, reads, LIMITS.heartbeat_seconds, LIMITS.client_view(),
        ))
        await self.live.replay(conn, room)
        conn.send(Replayed(conn.last_seq))

    def send(self, frame: Send, now: float) -> None:
        conn = self.conn
        assert conn.room is not None and conn.role is not None
        if conn.role is RoomRole.OBSERVER:
            raise Reject(ErrorCode.READ_ONLY, "observers cannot send messages", ref=frame.client_id)
        status = conn.room.appt.status
        if status is AppointmentStatus.BOOKED:
            raise Reject(ErrorCode.NOT_STARTED, "the therapist has not started the session yet", ref=frame.client_id)
        if status is not AppointmentStatus.LIVE:
            raise Reject(ErrorCode.SESSION_ENDED, "the session has ended; the transcript is read-only", ref=frame.client_id)
        client_id = frame.client_id
        if self.held is not None:
            first, not_before, why = self.held
            if client_id != first or now < not_before:
                # Resending the refused message before retry_after is what abuse looks like.
                # Other messages are not: they were typically on the wire before the refusal
                # reached the client (past the knee a steady sender has several in flight),
                # and counting them closed well-behaved clients with 4008.
                raise Reject(why, f"resend {first} first, then the messages after it, in order",
                             retry_after=round(max(0.0, not_before - now), 3), ref=client_id,
                             violation=client_id == first and now < not_before)
            self.held = None
        if not conn.msg_bucket.take(now):
            wait = round(conn.msg_bucket.retry_after(now), 3)
            self.held = (client_id, now + wait, ErrorCode.RATE_LIMITED)
            raise Reject(ErrorCode.RATE_LIMITED, "too many messages; wait and resend with the same client_id",
                         retry_after=wait, ref=client_id, violation=False)
        try:
            fut = self.live.submit(NewMessage(conn.room.id, client_id, conn.user.id, conn.role.value,
                                              frame.text, frame.corrects))
        except (Overloaded, StoreFailed):
            wait = self.live.retry_after(conn.room.id)
            self.held = (client_id, now + wait, ErrorCode.OVERLOADED)
            raise Reject(ErrorCode.OVERLOADED, "the server is busy; resend with the same client_id after retry_after",
                         retry_after=wait, ref=client_id, violation=False) from None
        if conn.inflight is None:
            conn.inflight = set()
        conn.inflight.add(client_id)
        fut.add_done_callback(lambda f: self.stored(client_id, f))

    def stored(self, client_id: str, fut: asyncio.Future[AppendResult]) -> None:
        """The writer's verdict. A stored message is acked by the room's hub in its place in
        this connection's stream (Conn.deliver), possibly after a gap is filled; errors and
        duplicates are answered here."""
        conn = self.conn
        res = None if fut.cancelled() or fut.exception() is not None else fut.result()
        if res is not None and res.status == "ok":
            return
        if conn.inflight is not None:
            conn.inflight.discard(client_id)  # it will not come through the hub
        if res is None:
            wait = self.live.retry_after(conn.room.id) if conn.room is not None else RETRY_MIN_S
            if self.held is None:
                self.held = (client_id, self.loop.time() + wait, ErrorCode.OVERLOADED)
            self.error(ErrorCode.OVERLOADED, "not stored; resend with the same client_id after retry_after",
                       client_id, wait)
            return
        if res.status == "duplicate":
            assert res.seq is not None and res.at is not None
            conn.send(Ack(client_id, res.seq, int(res.at.timestamp() * 1000), True))
        else:
            code, message = STORE_ERRORS.get(res.status, (ErrorCode.INTERNAL, "could not store the message"))
            self.error(code, message, client_id)

    async def lifecycle(self, start: bool) -> None:
        conn = self.conn
        room = conn.room
        assert room is not None
        if conn.role is not RoomRole.THERAPIST:
            raise Reject(ErrorCode.FORBIDDEN, f"only the therapist {'starts' if start else 'ends'} the session")
        if start:
            appt = await care.start_session(self.pool, room.id, conn.user.id)
            if appt is None:
                current = await care.appointment(self.pool, room.id)
                if current is not None and current.status is AppointmentStatus.LIVE:
                    return  # already started: nothing to do
                raise Reject(ErrorCode.SESSION_ENDED, "this session has ended and cannot start again")
            self.live.session_changed(room, appt, "started")
        else:
            appt = await care.end_session(self.pool, room.id, conn.user.id)
            if appt is None:
                raise Reject(ErrorCode.NOT_STARTED, "only a live session can end")
            self.live.session_changed(room, appt, "ended")

    async def flag_risk(self, frame: FlagRisk) -> None:
        conn = self.conn
        assert conn.room is not None
        if conn.role is not RoomRole.THERAPIST:
            raise Reject(ErrorCode.FORBIDDEN, "only the therapist can raise risk from the session")
        await care.session_event(self.pool, conn.room.id, "risk_flagged", conn.user.id,
                                 {"category": frame.category, "note": frame.note, "seq": frame.seq})
        await self.desk.raise_manual(conn, frame)

    async def closed(self) -> None:
        conn = self.conn
        if conn.room is not None:
            try:
                if conn.presence_id is not None:
                    self.live.left(conn.presence_id)
                if conn.role is RoomRole.OBSERVER:
                    await care.session_event(self.pool, conn.room.id, "observer_left", conn.user.id)
                if self.live.accepting:
                    await self.live.presence(conn, "left")
            except Exception:
                log.warning("could not record leaving", exc_info=True)
            await self.live.leave(conn)
        conn.closing = True
        if conn.writer is not None:
            conn.writer.cancel()
