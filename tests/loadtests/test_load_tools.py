"""The README's load commands run end to end (short forms): they start the whole platform,
drive it, check every message and print a JSON summary last. Timings are printed by the
tools, never asserted here."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_tool(*args: str, within: float) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=within)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return summary


@pytest.mark.timeout(300)
def test_the_benchmark_smoke_run_checks_every_message() -> None:
    out = run_tool("loadtests.bench", "--quick", within=280)
    assert out["never_incorrect"] is True
    fixed = out["fixed"]
    assert fixed["sent"] > 0 and fixed["acked"] == fixed["sent"] == fixed["in_db"]
    assert (fixed["lost"], fixed["dups"], fixed["out_of_order"], fixed["db_out_of_order"]) == (0, 0, 0, 0)
    assert fixed["risk_probes"] > 0 and fixed["risk_notices_missing"] == 0  # every disclosure became a notice
    assert out["memory"]["kb_per_connection"] > 0
    assert out["db_final"]["duplicate_client_ids"] == 0 and out["db_final"]["seq_gaps"] == 0
    assert isinstance(out["noisy_phases"], list) and isinstance(fixed["noisy"], bool)


def test_a_phase_is_flagged_noisy_when_the_machine_was_not_ours() -> None:
    """machine() readings are (busy, total, steal) jiffies over all cores."""
    from loadtests.bench import noise

    cores = os.cpu_count() or 1
    start = (0, 0, 0)
    quiet = noise(start, (500, 1000, 1), ours_pct=50.0 * cores)  # half busy, all of it ours
    assert quiet == {"steal_pct": 0.1, "others": 0.0, "noisy": False}
    assert noise(start, (500, 1000, 30), ours_pct=50.0 * cores)["noisy"]  # 3 % stolen by the hypervisor
    busy = noise(start, (600, 1000, 0), ours_pct=50.0 * cores)  # a tenth of the machine was someone else's
    assert busy["others"] == round(10.0 * cores, 1) and busy["noisy"]
    assert noise(start, (0, 1000, 25))["noisy"] and "others" not in noise(start, (0, 1000, 0))  # steal alone


def test_only_a_step_that_failed_on_a_noisy_machine_is_measured_again() -> None:
    """The rule both searches (ours and the baseline's) follow."""
    from loadtests.bench import measure_again

    assert measure_again({"sustained": False, "noisy": True})
    assert not measure_again({"sustained": False, "noisy": False})  # a plain failure stands
    assert not measure_again({"sustained": True, "noisy": True})  # a pass on a noisy machine stands too


@pytest.mark.timeout(300)
def test_the_locust_scenario_runs_without_failures() -> None:
    out = run_tool("loadtests.run_locust", "--users", "30", "--time", "20s", within=280)
    assert out["locust_exit_code"] == 0
    assert out["failures"] == []
    stats = out["stats_ms"]
    for name in ("WS join", "WS ack", "WS delivery", "GET /api/sessions/{id}/transcript",
                 "POST /api/inbox/threads/{id}/messages", "GET /api/inbox/threads/{id}"):
        assert stats[name]["requests"] > 0 and stats[name]["failures"] == 0, name


class _Wire(asyncio.Transport):
    """Stands in for a socket's transport: keeps what was written."""

    def __init__(self) -> None:
        super().__init__()
        self.out = bytearray()
        self.closed = False

    def write(self, data: bytes) -> None:
        self.out += data

    def close(self) -> None:
        self.closed = True


def _unframe(data: bytes) -> tuple[int, bytes, bool]:
    """(opcode, payload, was masked) of one client frame, unmasked the slow, obvious way."""
    opcode, masked, size, pos = data[0] & 0x0F, bool(data[1] & 0x80), data[1] & 0x7F, 2
    if size == 126:
        size, pos = int.from_bytes(data[2:4], "big"), 4
    elif size == 127:
        size, pos = int.from_bytes(data[2:10], "big"), 10
    key, body = data[pos:pos + 4], data[pos + 4:]
    assert len(body) == size and data[0] & 0x80  # whole frame, FIN set
    return opcode, bytes(b ^ key[i % 4] for i, b in enumerate(body)), masked


def test_the_raw_load_client_masks_every_frame_it_sends() -> None:
    """RFC 6455 5.2-5.3: length in 7, 16 or 64 bits; every client frame masked."""
    from loadtests.client import RawPeer, _RawFrames

    loop = asyncio.new_event_loop()
    try:
        frames = _RawFrames(RawPeer(0, 1, 1, "patient"), loop)
        for size in (0, 1, 2, 3, 4, 5, 125, 126, 127, 1000, 65535, 65536):
            wire = _Wire()
            frames.transport = wire
            payload = bytes((7 * i + size) % 256 for i in range(size))
            frames.send(0x2, payload)
            assert _unframe(bytes(wire.out)) == (0x2, payload, True), size
    finally:
        loop.close()


def test_the_raw_load_client_reads_frames_split_anywhere_and_answers_pings() -> None:
    import msgpack

    from loadtests.client import RawPeer, _RawFrames

    got: list[dict[str, Any]] = []

    class Collecting(RawPeer):
        def _handle(self, obj: dict[str, Any], t: float) -> None:
            got.append(obj)

    from loadtests.client import Book, Peer

    loop = asyncio.new_event_loop()
    Peer.book = book = Book()
    try:
        peer = Collecting(0, 1, 1, "patient")
        frames = _RawFrames(peer, loop)
        wire = _Wire()
        frames.connection_made(wire)
        small, big = msgpack.packb({"type": "ack", "n": 1}), msgpack.packb({"type": "msg", "text": "x" * 300})
        stream = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
                  + bytes((0x82, len(small))) + small
                  + bytes((0x89, 3)) + b"hb!"  # the server's heartbeat ping
                  + bytes((0x82, 126)) + len(big).to_bytes(2, "big") + big)
        for i in range(0, len(stream), 5):  # five bytes at a time: every header and body split
            frames.data_received(stream[i:i + 5])
        assert frames.handshake.result().startswith(b"HTTP/1.1 101")
        assert got == [{"type": "ack", "n": 1}, {"type": "msg", "text": "x" * 300}]
        assert _unframe(bytes(wire.out)) == (0xA, b"hb!", True)  # pong, echoing the ping
        frames.data_received(bytes((0x88, 2)) + (4000).to_bytes(2, "big"))
        assert wire.closed and frames.lost
        frames.connection_lost(None)  # the socket then closes: counted once, with the server's code
        assert book.errors == {"closed:4000": 1}
    finally:
        Peer.book = None
        loop.close()
