"""Group commit: messages from every connection are stored in batches, one transaction each.

Rooms are sharded over queues (one by default), so one room's messages always go through
one queue and are numbered in the order they arrived. Each queue commits up to `depth`
batches at once (2 by default, CBT_COMMIT_PIPELINE), each on its own connection, never
two holding the same room: a message need not wait for another room's disk flush.

Each transaction costs PostgreSQL about as much CPU as eight extra messages in it, and
every commit is also a Redis publish and a wake-up of other processes. So a shard starts
at most one commit per `linger` (4 ms by default): a message waits at most that long for
company, and a batch already half full goes at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence

import asyncpg

from chat_server import metrics
from chat_server.storage import db, transcripts
from chat_server.storage.transcripts import AppendResult, NewMessage

log = logging.getLogger(__name__)

Committed = Callable[[Sequence[NewMessage], Sequence[AppendResult]], None]


COMMIT_ATTEMPTS = 3
RETRY_MIN_S, RETRY_MAX_S = 0.1, 5.0
RATE_WINDOW_S = 2.0  # how far back the drain rate looks
RATE_FLOOR = 50.0  # msg/s assumed when too little was stored lately to tell (a cold start)


def retry_after_s(backlog: int, rate: float, outage_backoff: float | None) -> float:
    """How long a refused sender should wait: while the database is failing, the writer's
    back-off (the shard passes twice its pause: the pause, then its own attempts);
    otherwise the time the queue ahead takes to drain at the rate it has been draining, so
    a busier server asks for a longer wait rather than a fixed one that brings everyone
    back at once. Rounded to milliseconds."""
    wait = outage_backoff if outage_backoff is not None else backlog / max(rate, RATE_FLOOR)
    return round(min(RETRY_MAX_S, max(RETRY_MIN_S, wait)), 3)


class Overloaded(Exception):
    """Too many messages are waiting to be stored: the sender should retry shortly."""


class StoreFailed(Exception):
    """The database did not confirm the batch; the message was not acknowledged."""


class _Shard:
    """One queue of messages, committed in batches over up to `depth` connections at once.

    While one batch waits for its commit (PostgreSQL's disk flush takes ~4 ms here), the
    next can start on another connection, but only with rooms that have no batch in
    flight: a room's messages are numbered under its row lock, so two batches holding the
    same room could take that lock out of order. Messages of busy rooms wait in place."""

    def __init__(self, dsn: str, index: int, max_batch: int, linger: float, on_commit: Committed,
                 depth: int = 1) -> None:
        self.dsn, self.index, self.max_batch, self.on_commit = dsn, index, max_batch, on_commit
        self.linger = linger
        self.depth = max(1, depth)
        self.last_start = 0.0
        self.backoff = 0.05
        self.failing = False  # the last batch failed every attempt; cleared by the next commit
        self.stored = 0  # messages committed so far, and (time, stored) after each commit:
        self.stored_log: deque[tuple[float, int]] = deque()
        self.pending: list[tuple[NewMessage, asyncio.Future[AppendResult]]] = []
        self.wake = asyncio.Event()
        self.conns: list[asyncpg.Connection | None] = [None] * self.depth
        self.free = list(range(self.depth))  # connection slots with no batch in flight
        self.busy_rooms: set[int] = set()  # rooms with a batch in flight
        self.commits: set[asyncio.Task[None]] = set()
        self.task: asyncio.Task[None] | None = None
        self.closing = False

    @property
    def conn(self) -> asyncpg.Connection | None:
        """The first slot's connection (the one a lone batch uses)."""
        return self.conns[0]

    async def run(self) -> None:
        while True:
            self.wake.clear()
            if self.pending and self.free:
                # At most one commit per `linger` unless the batch is already half full.
                wait = self.last_start + self.linger - time.monotonic()
                if wait > 0 and len(self.pending) < self.max_batch // 2 and not self.closing:
                    await asyncio.sleep(wait)
                    continue
                batch = self._take()
                if batch:
                    self.last_start = time.monotonic()
                    slot = min(self.free)
                    self.free.remove(slot)
                    self.busy_rooms.update(m.room for m, _ in batch)
                    task = asyncio.get_running_loop().create_task(self._commit_in(slot, batch))
                    self.commits.add(task)
                    task.add_done_callback(self.commits.discard)
                    continue
            elif self.closing and not self.pending and len(self.free) == self.depth:
                return
            await self.wake.wait()  # a new message, or a batch done

    def _take(self) -> list[tuple[NewMessage, asyncio.Future[AppendResult]]]:
        """The next batch, in arrival order, of messages whose room has no batch in flight."""
        if not self.busy_rooms:
            batch = self.pending[: self.max_batch]
            del self.pending[: len(batch)]
            return batch
        batch, keep = [], []
        for item in self.pending:
            if len(batch) < self.max_batch and item[0].room not in self.busy_rooms:
                batch.append(item)
            else:
                keep.append(item)
        self.pending = keep
        return batch

    async def _commit_in(self, slot: int, batch: list[tuple[NewMessage, asyncio.Future[AppendResult]]]) -> None:
        try:
            await self._store(slot, batch)
        finally:
            for _, fut in batch:  # cancelled at shutdown mid-commit: resending is safe (deduplicated)
                if not fut.done():
                    fut.set_exception(StoreFailed("shutting down"))
            self.busy_rooms.difference_update(m.room for m, _ in batch)
            self.free.append(slot)
            self.wake.set()

    async def _store(self, slot: int, batch: list[tuple[NewMessage, asyncio.Future[AppendResult]]]) -> None:
        """Commit a batch, retrying a transient failure (a deadlock, a dropped connection) a
        few times: the retry keeps the batch's place ahead of everything queued after it
        (its rooms stay busy), and resends are deduplicated by client_id. If it still fails,
        everything queued fails with it, so no later message can be stored ahead of a failed one."""
        for attempt in range(1, COMMIT_ATTEMPTS + 1):
            conn = self.conns[slot]
            try:
                if conn is None or conn.is_closed():
                    conn = self.conns[slot] = await db.connect_one(self.dsn)
                await self._commit(conn, batch)
                self.backoff, self.failing = 0.05, False
                return
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError,
                    TimeoutError) as e:
                log.warning("group commit failed", extra={
                    "shard": self.index, "error": repr(e), "batch": len(batch), "attempt": attempt})
                if not isinstance(e, asyncpg.PostgresError) and conn is not None:
                    conn.terminate()  # the connection itself is in doubt
                    self.conns[slot] = None
                if attempt < COMMIT_ATTEMPTS and not self.closing:
                    await asyncio.sleep(0.05 * attempt)
                    continue
                failed = batch + self.pending
                self.pending = []
                self.failing = True
                for _, fut in failed:
                    if not fut.done():
                        fut.set_exception(StoreFailed(type(e).__name__))
                await asyncio.sleep(self.backoff)
                self.backoff = min(self.backoff * 2, 2.0)

    async def _commit(self, conn: asyncpg.Connection,
                      batch: list[tuple[NewMessage, asyncio.Future[AppendResult]]]) -> None:
        messages = [m for m, _ in batch]
        started = time.perf_counter()
        results = await transcripts.append(conn, messages)
        metrics.WRITE_SECONDS.observe(time.perf_counter() - started)
        metrics.WRITE_BATCH.observe(len(batch))
        for (_, fut), res in zip(batch, results, strict=True):
            metrics.MESSAGES.labels(res.status).inc()
            if not fut.done():
                fut.set_result(res)
        self.stored += len(batch)
        now = time.monotonic()
        self.stored_log.append((now, self.stored))
        self._forget_before(now - RATE_WINDOW_S)
        self.on_commit(messages, results)

    def _forget_before(self, t: float) -> None:
        while self.stored_log and self.stored_log[0][0] < t:
            self.stored_log.popleft()

    def retry_after(self, now: float) -> float:
        """retry_after_s for this queue: its backlog and its drain rate over the last
        RATE_WINDOW_S (time.monotonic())."""
        self._forget_before(now - RATE_WINDOW_S)
        log_ = self.stored_log
        rate = (self.stored - log_[0][1]) / max(now - log_[0][0], 0.25) if log_ else 0.0
        return retry_after_s(len(self.pending), rate, 2 * self.backoff if self.failing else None)


class GroupWriter:
    def __init__(self, dsn: str, on_commit: Committed, shards: int = 1, max_batch: int = 256,
                 max_pending: int = 4000, linger: float = 0.004, depth: int = 1) -> None:
        self.max_pending = max_pending
        self.shards = [_Shard(dsn, i, max_batch, linger, on_commit, depth) for i in range(max(1, shards))]

    def start(self) -> None:
        for s in self.shards:
            s.task = asyncio.create_task(s.run(), name=f"group-commit-{s.index}")

    def submit(self, msg: NewMessage) -> asyncio.Future[AppendResult]:
        shard = self.shards[msg.room % len(self.shards)]
        if shard.closing:
            raise StoreFailed("shutting down")
        if len(shard.pending) >= self.max_pending:
            raise Overloaded()  # the sender's connection holds its later messages (ws.Session.held)
        fut: asyncio.Future[AppendResult] = asyncio.get_running_loop().create_future()
        shard.pending.append((msg, fut))
        shard.wake.set()
        return fut

    def retry_after(self, room: int) -> float:
        """Seconds a sender refused with Overloaded or StoreFailed should wait (retry_after_s)."""
        return self.shards[room % len(self.shards)].retry_after(time.monotonic())

    @property
    def backlog(self) -> int:
        return sum(len(s.pending) for s in self.shards)

    async def stop(self, grace: float) -> None:
        """Store what is already queued (up to `grace` seconds), then close."""
        for s in self.shards:
            s.closing = True
            s.wake.set()
        tasks = [s.task for s in self.shards if s.task is not None]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=grace)
            for t in late:
                t.cancel()
        commits = [t for s in self.shards for t in s.commits]
        for t in commits:
            t.cancel()  # only if the grace ran out: run() returns once none is in flight
        await asyncio.gather(*commits, return_exceptions=True)
        for s in self.shards:
            for _, fut in s.pending:
                if not fut.done():
                    fut.set_exception(StoreFailed("shutting down"))
            for conn in s.conns:
                if conn is not None:
                    await conn.close()
