"""The fan-out batch format: own batches skipped undecoded, others' events kept per room, junk ignored."""

from __future__ import annotations

import msgpack
from redis.asyncio import Redis

from chat_server.fanout import FANOUT_CHANNEL, Fanout, payload


def listener(proc_id: str) -> tuple[Fanout, list[tuple[int, dict[str, object]]]]:
    got: list[tuple[int, dict[str, object]]] = []
    fan = Fanout(Redis(), proc_id, lambda room, event: got.append((room, event)), lambda: None)
    fan.rooms = {1, 2}
    return fan, got


def delivered(fan: Fanout, data: object, channel: str = FANOUT_CHANNEL) -> None:
    fan._dispatch({"type": "message", "channel": channel.encode(), "data": data})


def test_events_of_our_rooms_from_other_processes_arrive_in_order() -> None:
    fan, got = listener("me")
    delivered(fan, payload("other", [(1, {"k": "m", "seq": 1}), (3, {"k": "m"}), (2, {"k": "t"}), (1, {"k": "m", "seq": 2})]))
    assert got == [(1, {"k": "m", "seq": 1}), (2, {"k": "t"}), (1, {"k": "m", "seq": 2})]


def test_our_own_batches_are_skipped() -> None:
    fan, got = listener("me")
    delivered(fan, payload("me", [(1, {"k": "m"})]))
    assert got == []
    delivered(fan, payload("mex", [(1, {"k": "m"})]))  # a prefix match is not us
    assert got == [(1, {"k": "m"})]


def test_malformed_batches_are_dropped_without_harm() -> None:
    fan, got = listener("me")
    for junk in (b"", b"other", b"other\n", b"other\n\xc1", b"other\n" + msgpack.packb({"a": 1}),
                 b"other\n" + msgpack.packb([1, [2], "x", [1, "not a dict"]]), "text", None):
        delivered(fan, junk)
    assert got == []
    delivered(fan, payload("other", [(2, {"k": "t"})]))  # still listening
    assert got == [(2, {"k": "t"})]


def test_other_channels_go_to_their_handlers() -> None:
    fan, _ = listener("me")
    seen: list[dict[str, object]] = []
    fan.extra["cbt:alerts"] = seen.append
    delivered(fan, msgpack.packb({"alert": 7}), "cbt:alerts")
    delivered(fan, b"\xc1", "cbt:alerts")
    delivered(fan, msgpack.packb({"alert": 8}), "cbt:unknown")
    assert seen == [{"alert": 7}]
