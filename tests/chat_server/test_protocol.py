"""Tests for chat_server/protocol.py: parsing, validation, encoding, fuzzing."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat_server import protocol as p
from chat_server.protocol import Codec, ErrorCode, ProtocolError

CODECS = [Codec.JSON, Codec.MSGPACK]
FUZZ = settings(
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CLIENT_FRAME_TYPES = (p.Hello, p.Send, p.Typing, p.Read, p.Start, p.End, p.Ping, p.FlagRisk)


def raw(obj: object, codec: Codec) -> str | bytes:
    """Encode anything, bypassing the module (so tests can build bad frames)."""
    if codec is Codec.MSGPACK:
        packed = msgpack.packb(obj, use_bin_type=True)
        assert isinstance(packed, bytes)
        return packed
    return json.dumps(obj)


def rejects(obj: object, codec: Codec = Codec.JSON, **kw: Any) -> ProtocolError:
    with pytest.raises(ProtocolError) as info:
        p.decode(raw(obj, codec), codec, **kw)
    return info.value


# ---------------------------------------------------------------- constants


def test_close_codes_are_valid() -> None:
    for code in p.CloseCode:
        assert 1000 <= code <= 4999
        # 1004-1006 and 1015 are reserved and must never be sent in a close frame.
        assert code not in (1004, 1005, 1006, 1015)
    assert len({int(c) for c in p.CloseCode}) == len(p.CloseCode)


def test_error_codes_are_unique_stable_strings() -> None:
    values = [c.value for c in ErrorCode]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z_]+", v) for v in values)
    assert ErrorCode.WRONG_BINARY_MODE.value == "wrong_frame_kind"


def test_codec_for_subprotocol() -> None:
    assert p.codec_for_subprotocol(p.SUBPROTOCOL_MSGPACK) is Codec.MSGPACK
    assert p.codec_for_subprotocol(p.SUBPROTOCOL_JSON) is Codec.JSON
    assert p.codec_for_subprotocol(None) is Codec.JSON
    assert p.codec_for_subprotocol("something.else") is Codec.JSON


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_js_module_mirrors_python() -> None:
    js = Path(__file__).resolve().parents[2] / "static" / "js" / "protocol.js"
    script = (
        f"import * as p from {json.dumps(js.as_uri())};"
        "console.log(JSON.stringify({VERSION: p.VERSION, json: p.SUBPROTOCOL_JSON,"
        " msgpack: p.SUBPROTOCOL_MSGPACK, close: p.CloseCode, error: p.ErrorCode,"
        " risk: p.RISK_CATEGORIES, limits: p.DEFAULT_LIMITS,"
        " frames: [p.hello(7, 3), p.send(p.newClientId(), 'hi'), p.typing(), p.read(2),"
        " p.start(), p.end(), p.ping(1.5), p.flagRisk('self_harm', 'n', 4)]}))"
    )
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    got = json.loads(out.stdout)
    assert got["VERSION"] == p.VERSION
    assert got["json"] == p.SUBPROTOCOL_JSON
    assert got["msgpack"] == p.SUBPROTOCOL_MSGPACK
    assert got["close"] == {c.name: c.value for c in p.CloseCode}
    assert got["error"] == {c.name: c.value for c in ErrorCode}
    assert set(got["risk"]) == p.RISK_CATEGORIES
    for key, value in got["limits"].items():
        if key == "max_note_chars":
            assert value == p.MAX_NOTE_CHARS
        else:
            assert getattr(p.DEFAULT_LIMITS, key) == value
    for frame in got["frames"]:
        p.decode(json.dumps(frame), Codec.JSON)  # every builder makes a valid frame


# ------------------------------------------------------------ client frames

VALID: list[tuple[dict[str, object], p.ClientFrame]] = [
    ({"type": "hello", "v": 1, "room": 7}, p.Hello(room=7, last_seq=0)),
    ({"type": "hello", "v": 1, "room": 7, "last_seq": 12}, p.Hello(room=7, last_seq=12)),
    ({"type": "send", "client_id": "c-1", "text": "hi"}, p.Send("c-1", "hi")),
    (
        {"type": "send", "client_id": "A.b_c:d-9", "text": "  fixed\n", "corrects": 3},
        p.Send("A.b_c:d-9", "  fixed\n", 3),
    ),
    ({"type": "send", "client_id": "x", "text": "é 😀", "corrects": None}, p.Send("x", "é 😀")),
    ({"type": "typing"}, p.Typing()),
    ({"type": "read", "seq": 0}, p.Read(0)),
    ({"type": "read", "seq": 41}, p.Read(41)),
    ({"type": "start"}, p.Start()),
    ({"type": "end"}, p.End()),
    ({"type": "ping"}, p.Ping()),
    ({"type": "ping", "t": None}, p.Ping()),
    ({"type": "ping", "t": 1712345678901}, p.Ping(1712345678901)),
    ({"type": "ping", "t": 12.5}, p.Ping(12.5)),
    ({"type": "flag_risk", "category": "self_harm"}, p.FlagRisk("self_harm")),
    (
        {"type": "flag_risk", "category": "domestic_abuse", "note": "n", "seq": 9},
        p.FlagRisk("domestic_abuse", "n", 9),
    ),
]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(("obj", "expected"), VALID)
def test_client_frames_parse(obj: dict[str, object], expected: object, codec: Codec) -> None:
    assert p.decode(raw(obj, codec), codec) == expected


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(("obj", "expected"), VALID)
def test_client_frames_round_trip(obj: object, expected: p.ClientFrame, codec: Codec) -> None:
    assert p.decode(p.encode_client(expected, codec), codec) == expected


def test_every_client_frame_type_is_covered() -> None:
    assert {type(f) for _, f in VALID} == set(CLIENT_FRAME_TYPES)


@pytest.mark.parametrize("codec", CODECS)
def test_unknown_fields_are_ignored(codec: Codec) -> None:
    obj = {"type": "read", "seq": 3, "future": {"x": [1, 2]}, "client_id": 5}
    assert p.decode(raw(obj, codec), codec) == p.Read(3)


def test_text_is_kept_verbatim() -> None:
    text = "  line one\n\tline two  "
    frame = p.decode(raw({"type": "send", "client_id": "a", "text": text}, Codec.JSON), Codec.JSON)
    assert isinstance(frame, p.Send)
    assert frame.text == text


def test_custom_limits() -> None:
    limits = p.Limits(max_text_chars=5, max_client_id_chars=3)
    ok = raw({"type": "send", "client_id": "abc", "text": "12345"}, Codec.JSON)
    assert p.decode(ok, Codec.JSON, limits) == p.Send("abc", "12345")
    long_id = {"type": "send", "client_id": "abcd", "text": "1"}
    assert rejects(long_id, limits=limits).code is ErrorCode.INVALID_FIELD
    long_text = {"type": "send", "client_id": "abc", "text": "123456"}
    assert rejects(long_text, limits=limits).code is ErrorCode.TOO_LARGE


# --------------------------------------------------------------- validation

INVALID: list[tuple[dict[str, object], ErrorCode, str]] = [
    # (frame, code, field named in the message)
    ({"v": 1, "room": 1}, ErrorCode.INVALID_FIELD, "type"),
    ({"type": 5}, ErrorCode.INVALID_FIELD, "type"),
    ({"type": None}, ErrorCode.INVALID_FIELD, "type"),
    ({"type": "shout"}, ErrorCode.UNKNOWN_TYPE, "shout"),
    ({"type": "Hello", "v": 1, "room": 1}, ErrorCode.UNKNOWN_TYPE, "Hello"),
    ({"type": "hello", "room": 1}, ErrorCode.INVALID_FIELD, "v"),
    ({"type": "hello", "v": 2, "room": 1}, ErrorCode.UNSUPPORTED_VERSION, "1"),
    ({"type": "hello", "v": 0, "room": 1}, ErrorCode.UNSUPPORTED_VERSION, "1"),
    ({"type": "hello", "v": True, "room": 1}, ErrorCode.INVALID_FIELD, "v"),
    ({"type": "hello", "v": 1.0, "room": 1}, ErrorCode.INVALID_FIELD, "v"),
    ({"type": "hello", "v": "1", "room": 1}, ErrorCode.INVALID_FIELD, "v"),
    ({"type": "hello", "v": 1}, ErrorCode.INVALID_FIELD, "room"),
    ({"type": "hello", "v": 1, "room": 0}, ErrorCode.INVALID_FIELD, "room"),
    ({"type": "hello", "v": 1, "room": -4}, ErrorCode.INVALID_FIELD, "room"),
    ({"type": "hello", "v": 1, "room": True}, ErrorCode.INVALID_FIELD, "room"),
    ({"type": "hello", "v": 1, "room": 2.0}, ErrorCode.INVALID_FIELD, "room"),
    ({"type": "hello", "v": 1, "room": "2"}, ErrorCode.INVALID_FIELD, "room"),
    ({"type": "hello", "v": 1, "room": 2**63}, ErrorCode.INVALID_FIELD, "room"),
    ({"type": "hello", "v": 1, "room": 1, "last_seq": -1}, ErrorCode.INVALID_FIELD, "last_seq"),
    ({"type": "hello", "v": 1, "room": 1, "last_seq": None}, ErrorCode.INVALID_FIELD, "last_seq"),
    ({"type": "hello", "v": 1, "room": 1, "last_seq": False}, ErrorCode.INVALID_FIELD, "last_seq"),
    ({"type": "send", "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": "", "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": "a b", "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": "a/b", "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": "é", "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": "a\n", "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": "a" * 65, "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": 12, "text": "hi"}, ErrorCode.INVALID_FIELD, "client_id"),
    ({"type": "send", "client_id": "a"}, ErrorCode.INVALID_FIELD, "text"),
    ({"type": "send", "client_id": "a", "text": ""}, ErrorCode.INVALID_FIELD, "text"),
    ({"type": "send", "client_id": "a", "text": " \n\t\u3000"}, ErrorCode.INVALID_FIELD, "text"),
    ({"type": "send", "client_id": "a", "text": 5}, ErrorCode.INVALID_FIELD, "text"),
    ({"type": "send", "client_id": "a", "text": ["hi"]}, ErrorCode.INVALID_FIELD, "text"),
    ({"type": "send", "client_id": "a", "text": "a\x00b"}, ErrorCode.INVALID_FIELD, "text"),
    ({"type": "send", "client_id": "a", "text": "x" * 4001}, ErrorCode.TOO_LARGE, "text"),
    (
        {"type": "send", "client_id": "a", "text": "hi", "corrects": 0},
        ErrorCode.INVALID_FIELD,
        "corrects",
    ),
    (
        {"type": "send", "client_id": "a", "text": "hi", "corrects": -1},
        ErrorCode.INVALID_FIELD,
        "corrects",
    ),
    (
        {"type": "send", "client_id": "a", "text": "hi", "corrects": True},
        ErrorCode.INVALID_FIELD,
        "corrects",
    ),
    (
        {"type": "send", "client_id": "a", "text": "hi", "corrects": "3"},
        ErrorCode.INVALID_FIELD,
        "corrects",
    ),
    ({"type": "read"}, ErrorCode.INVALID_FIELD, "seq"),
    ({"type": "read", "seq": -1}, ErrorCode.INVALID_FIELD, "seq"),
    ({"type": "read", "seq": None}, ErrorCode.INVALID_FIELD, "seq"),
    ({"type": "read", "seq": True}, ErrorCode.INVALID_FIELD, "seq"),
    ({"type": "read", "seq": 1.5}, ErrorCode.INVALID_FIELD, "seq"),
    ({"type": "ping", "t": "now"}, ErrorCode.INVALID_FIELD, "t"),
    ({"type": "ping", "t": True}, ErrorCode.INVALID_FIELD, "t"),
    ({"type": "ping", "t": 2**60}, ErrorCode.INVALID_FIELD, "t"),
    ({"type": "ping", "t": [1]}, ErrorCode.INVALID_FIELD, "t"),
    ({"type": "flag_risk"}, ErrorCode.INVALID_FIELD, "category"),
    ({"type": "flag_risk", "category": "sad"}, ErrorCode.INVALID_FIELD, "category"),
    ({"type": "flag_risk", "category": 1}, ErrorCode.INVALID_FIELD, "category"),
    ({"type": "flag_risk", "category": "self_harm", "note": 5}, ErrorCode.INVALID_FIELD, "note"),
    (
        {"type": "flag_risk", "category": "self_harm", "note": "n" * 2001},
        ErrorCode.TOO_LARGE,
        "note",
    ),
    ({"type": "flag_risk", "category": "self_harm", "seq": 0}, ErrorCode.INVALID_FIELD, "seq"),
    ({"type": "flag_risk", "category": "self_harm", "seq": False}, ErrorCode.INVALID_FIELD, "seq"),
]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(("obj", "code", "named"), INVALID)
def test_validation(obj: dict[str, object], code: ErrorCode, named: str, codec: Codec) -> None:
    if codec is Codec.MSGPACK and any(type(v) is int and v >= 2**64 for v in obj.values()):
        pytest.skip("not representable in msgpack")
    err = rejects(obj, codec)
    assert err.code is code
    assert named in err.message


@pytest.mark.parametrize(
    ("data", "codec", "code"),
    [
        ("", Codec.JSON, ErrorCode.BAD_FRAME),
        ("{", Codec.JSON, ErrorCode.BAD_FRAME),
        ("not json", Codec.JSON, ErrorCode.BAD_FRAME),
        ("[1, 2]", Codec.JSON, ErrorCode.BAD_FRAME),
        ('"hello"', Codec.JSON, ErrorCode.BAD_FRAME),
        ("null", Codec.JSON, ErrorCode.BAD_FRAME),
        ('{"type": "ping"} {}', Codec.JSON, ErrorCode.BAD_FRAME),
        ('{"type": "ping", "t": NaN}', Codec.JSON, ErrorCode.BAD_FRAME),
        ('{"type": "ping", "t": -Infinity}', Codec.JSON, ErrorCode.BAD_FRAME),
        ('{"type": "ping", "t": 1e999}', Codec.JSON, ErrorCode.INVALID_FIELD),
        ("[" * 10_000 + "]" * 10_000, Codec.JSON, ErrorCode.TOO_LARGE),
        ("[" * 16_000, Codec.JSON, ErrorCode.BAD_FRAME),
        ('{"a":' * 2500 + "1" + "}" * 2500, Codec.JSON, ErrorCode.BAD_FRAME),
        ('{"type": "read", "seq": ' + "9" * 5000 + "}", Codec.JSON, ErrorCode.BAD_FRAME),
        ('{"type": "read", "seq": ' + "9" * 20 + "}", Codec.JSON, ErrorCode.INVALID_FIELD),
        (b"", Codec.MSGPACK, ErrorCode.BAD_FRAME),
        (b"\xc1", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # never-used byte
        (b"\x81\xa4type", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # truncated
        (b"\x80\x80", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # trailing data
        (b"\x92\x01\x02", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # array
        (b"\x91" * 15_000 + b"\xc0", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # deep nesting
        (b"\xdd\xff\xff\xff\xff", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # 4G-element array
        (b"\xdb\xff\xff\xff\xff", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # 4GB string
        (b"\x81\xa4type\xa2\xff\xfe", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # invalid UTF-8
        (b"\x81\x01\xa4ping", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # int map key
        (b"\x81\xa4type\xc4\x04ping", Codec.MSGPACK, ErrorCode.INVALID_FIELD),  # bin type
        (b"\x82\xa4type\xa4ping\xa1t\xd4\x05\x00", Codec.MSGPACK, ErrorCode.BAD_FRAME),  # ext
        (
            b"\x82\xa4type\xa4ping\xa1t\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00",
            Codec.MSGPACK,
            ErrorCode.INVALID_FIELD,
        ),  # NaN
    ],
)
def test_malformed_frames(data: str | bytes, codec: Codec, code: ErrorCode) -> None:
    with pytest.raises(ProtocolError) as info:
        p.decode(data, codec)
    assert info.value.code is code


def test_msgpack_timestamp_ext_is_just_an_invalid_value() -> None:
    obj = {"type": "read", "seq": msgpack.Timestamp(1, 0)}
    assert rejects(obj, Codec.MSGPACK).code is ErrorCode.INVALID_FIELD


def test_lone_surrogates_are_rejected() -> None:
    # JSON can smuggle a lone surrogate in as an escape; it could never be
    # stored or re-encoded as UTF-8, so it must not get past decode().
    frame = '{"type": "send", "client_id": "a", "text": "x\\ud800"}'
    with pytest.raises(ProtocolError) as info:
        p.decode(frame, Codec.JSON)
    assert info.value.code is ErrorCode.INVALID_FIELD
    with pytest.raises(ProtocolError):
        p.decode('{"type": "\\udfff"}', Codec.JSON)
    with pytest.raises(ProtocolError):
        p.decode('{"type": "typing"}\ud800', Codec.JSON)


@pytest.mark.parametrize(
    ("data", "codec"),
    [('{"type": "typing"}', Codec.MSGPACK), (b'{"type": "typing"}', Codec.JSON)],
)
def test_wrong_frame_kind(data: str | bytes, codec: Codec) -> None:
    with pytest.raises(ProtocolError) as info:
        p.decode(data, codec)
    assert info.value.code is ErrorCode.WRONG_BINARY_MODE


@pytest.mark.parametrize("codec", CODECS)
def test_oversized_frames_are_not_parsed(codec: Codec) -> None:
    limits = p.Limits(max_frame_bytes=100)
    frame = raw({"type": "send", "client_id": "a", "text": "x" * 200}, codec)
    with pytest.raises(ProtocolError) as info:
        p.decode(frame, codec, limits)
    assert info.value.code is ErrorCode.TOO_LARGE
    assert info.value.ref is None  # refused before parsing
    # Garbage of the same size is refused the same way, so nothing was parsed.
    junk: str | bytes = "{" * 101 if codec is Codec.JSON else b"\xc1" * 101
    with pytest.raises(ProtocolError) as info:
        p.decode(junk, codec, limits)
    assert info.value.code is ErrorCode.TOO_LARGE


def test_frame_size_counts_utf8_bytes() -> None:
    limits = p.Limits(max_frame_bytes=100)
    frame = json.dumps({"type": "send", "client_id": "a", "text": "é" * 40}, ensure_ascii=False)
    assert len(frame) < 100 < len(frame.encode())
    with pytest.raises(ProtocolError) as info:
        p.decode(frame, Codec.JSON, limits)
    assert info.value.code is ErrorCode.TOO_LARGE


def test_exact_size_limit_is_allowed() -> None:
    frame = '{"type":"typing"}'
    assert p.decode(frame, Codec.JSON, p.Limits(max_frame_bytes=len(frame))) == p.Typing()


@pytest.mark.parametrize("codec", CODECS)
def test_error_ref_is_client_id(codec: Codec) -> None:
    err = rejects({"type": "send", "client_id": "c-9", "text": "  "}, codec)
    assert err.ref == "c-9"
    err = rejects({"type": "send", "client_id": "c-9", "text": "x" * 5000}, codec)
    assert (err.code, err.ref) == (ErrorCode.TOO_LARGE, "c-9")
    err = rejects({"type": "bogus", "client_id": "c-10"}, codec)
    assert (err.code, err.ref) == (ErrorCode.UNKNOWN_TYPE, "c-10")
    assert rejects({"type": "send", "client_id": 7, "text": "hi"}, codec).ref is None
    assert rejects({"type": "send", "client_id": "z" * 65, "text": "hi"}, codec).ref is None


def test_error_messages_never_echo_raw_input() -> None:
    err = rejects({"type": "\u202eevil" + "x" * 500})
    assert err.code is ErrorCode.UNKNOWN_TYPE
    assert err.message.isascii()
    assert len(err.message) < 100


# ------------------------------------------------------------ server frames

MEMBERS: list[p.Member | dict[str, object]] = [
    p.Member(1, p.Role.PATIENT, "Pat"),
    {"user": 2, "role": "therapist", "name": "Dr T"},
]

SERVER_FRAMES: list[p.ServerFrame] = [
    p.Welcome(
        v=p.VERSION,
        room=7,
        you=1,
        role=p.Role.PATIENT,
        state=p.SessionState.LIVE,
        booked_start_ms=1_700_000_000_000,
        booked_end_ms=1_700_003_000_000,
        started_at_ms=1_700_000_060_000,
        ended_at_ms=None,
        last_seq=42,
        members=MEMBERS,
        read={1: 40, 2: 42},
        heartbeat_s=20.0,
        limits=p.DEFAULT_LIMITS.client_view(),
    ),
    p.Message(43, "c-1", 1, "patient", "héllo 😀\n", None, 1_700_000_100_000),
    p.Message(44, "c-2", 1, "patient", "hello", 43, 1_700_000_100_500),
    p.Ack("c-1", 43, 1_700_000_100_000),
    p.Ack("c-1", 43, 1_700_000_100_000, duplicate=True),
    p.Replayed(42),
    p.TypingSignal(2, p.Role.THERAPIST),
    p.Presence(2, "therapist", "Dr T", "joined", MEMBERS),
    p.Presence(2, "therapist", "Dr T", "left", MEMBERS[:1]),
    p.ReadReceipt(2, 43),
    p.SessionEvent("started", "live", 1_700_000_060_000, None, 1_700_003_000_000),
    p.SessionEvent("ended", p.SessionState.COMPLETED, 1, 2, 3),
    p.RiskNotice(
        "patient",
        p.RiskCategory.SELF_HARM,
        "high",
        "If you are in danger now, call 999.",
        [
            p.CrisisContact("Samaritans", "116 123", "24/7"),
            {"name": "NHS", "contact": "111", "note": ""},
        ],
    ),
    p.Error(ErrorCode.RATE_LIMITED, "slow down", "c-3", 0.25),
    p.Error("internal", "oops"),
    p.Pong(12.5),
    p.Pong(None),
    p.Pong(1_700_000_000_000),
]


def test_every_server_frame_type_is_covered() -> None:
    assert {type(f) for f in SERVER_FRAMES} == set(p.ServerFrame.__args__)


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("frame", SERVER_FRAMES, ids=lambda f: type(f).__name__)
def test_server_frames_round_trip(frame: p.ServerFrame, codec: Codec) -> None:
    data = p.encode(frame, codec)
    assert isinstance(data, str if codec is Codec.JSON else bytes)
    obj = p.decode_server(data, codec)
    assert obj == frame.to_obj()
    assert obj["type"] == frame.TYPE
    # Enum members went out as plain strings.
    assert json.loads(json.dumps(obj)) == obj
    for value in obj.values():
        assert type(value) in (int, float, str, bool, list, dict, type(None))


def test_welcome_wire_shape() -> None:
    obj = p.decode_server(p.encode(SERVER_FRAMES[0], Codec.JSON), Codec.JSON)
    assert obj["read"] == {"1": 40, "2": 42}
    assert obj["members"] == [
        {"user": 1, "role": "patient", "name": "Pat"},
        {"user": 2, "role": "therapist", "name": "Dr T"},
    ]
    assert obj["role"] == "patient"
    assert type(obj["role"]) is str
    limits = obj["limits"]
    assert isinstance(limits, dict)
    assert limits["max_text_chars"] == 4000
    assert limits["messages_per_second"] == 5.0


def test_json_encoding_is_compact_and_utf8() -> None:
    data = p.encode(p.Message(1, "c", 1, "patient", "é", None, 5), Codec.JSON)
    assert isinstance(data, str)
    assert " " not in data
    assert "é" in data


def test_encode_obj_once_for_fan_out() -> None:
    frame = p.Message(1, "c", 1, "patient", "hi", None, 5)
    for codec in CODECS:
        assert p.encode_obj(frame.to_obj(), codec) == p.encode(frame, codec)


def test_error_frame_from_protocol_error() -> None:
    err = ProtocolError(ErrorCode.RATE_LIMITED, "slow down", "c-1")
    assert p.error_frame(err, 1.5) == p.Error(ErrorCode.RATE_LIMITED, "slow down", "c-1", 1.5)
    assert p.error_frame(err).to_obj() == {
        "type": "error",
        "code": "rate_limited",
        "message": "slow down",
        "ref": "c-1",
        "retry_after": None,
    }


def test_encode_client_accepts_dicts() -> None:
    for codec in CODECS:
        data = p.encode_client({"type": "read", "seq": 4}, codec)
        assert p.decode(data, codec) == p.Read(4)


@pytest.mark.parametrize(
    ("data", "codec"),
    [("[]", Codec.JSON), ("nope", Codec.JSON), (b"\xc1", Codec.MSGPACK), (b"\x90", Codec.MSGPACK)],
)
def test_decode_server_rejects_non_objects(data: str | bytes, codec: Codec) -> None:
    with pytest.raises(ProtocolError):
        p.decode_server(data, codec)


def test_decode_server_is_lenient() -> None:
    assert p.decode_server('{"type": "future", "x": 1}', Codec.JSON) == {"type": "future", "x": 1}


# -------------------------------------------------------------- TokenBucket


def test_token_bucket_burst_then_rate() -> None:
    bucket = p.TokenBucket(rate=5.0, burst=3)
    assert [bucket.take(100.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.retry_after(100.0) == pytest.approx(0.2)
    assert not bucket.take(100.1)
    assert bucket.retry_after(100.1) == pytest.approx(0.1)
    assert bucket.take(100.2)
    assert not bucket.take(100.2)


def test_token_bucket_refills_to_burst_only() -> None:
    bucket = p.TokenBucket(rate=1.0, burst=2)
    assert bucket.take(0.0)
    assert bucket.take(0.0)
    assert bucket.retry_after(0.0) == pytest.approx(1.0)
    # A long idle period refills to burst, not beyond.
    assert [bucket.take(1000.0) for _ in range(3)] == [True, True, False]


def test_token_bucket_ignores_time_going_backwards() -> None:
    bucket = p.TokenBucket(rate=1.0, burst=1)
    assert bucket.take(10.0)
    assert not bucket.take(5.0)
    assert bucket.retry_after(5.0) == pytest.approx(1.0)
    assert not bucket.take(10.5)
    assert bucket.take(11.0)


def test_token_bucket_retry_after_zero_when_available() -> None:
    bucket = p.TokenBucket(rate=2.0, burst=1)
    assert bucket.retry_after(0.0) == 0.0
    bucket.take(0.0)
    assert bucket.retry_after(0.5) == 0.0
    assert bucket.take(0.5)


def test_token_bucket_sustained_rate() -> None:
    bucket = p.TokenBucket(rate=5.0, burst=20)
    taken = sum(bucket.take(i * 0.01) for i in range(1000))  # 10 s at 100 tries/s
    assert 20 + 49 <= taken <= 20 + 51


@pytest.mark.parametrize(("rate", "burst"), [(0.0, 1), (-1.0, 5), (1.0, 0), (math.nan, 1)])
def test_token_bucket_rejects_bad_parameters(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="TokenBucket"):
        p.TokenBucket(rate, burst)


def test_token_bucket_has_slots() -> None:
    bucket = p.TokenBucket(1.0, 1)
    with pytest.raises(AttributeError):
        bucket.extra = 1  # type: ignore[attr-defined]


# ----------------------------------------------------------------- fuzzing


def check_decode(data: str | bytes, codec: Codec) -> None:
    """decode() returns a valid frame or raises ProtocolError, nothing else."""
    try:
        frame = p.decode(data, codec)
    except ProtocolError as err:
        error = err
    else:
        assert isinstance(frame, CLIENT_FRAME_TYPES)
        # A frame that parsed re-encodes to itself.
        assert p.decode(p.encode_client(frame, codec), codec) == frame
        return
    assert isinstance(error.code, ErrorCode)
    assert error.ref is None or isinstance(error.ref, str)
    # Whatever went wrong, the error frame can be sent in both codecs.
    for out in CODECS:
        p.encode(p.error_frame(error, 1.0), out)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["hello", "send", "typing", "read", "start", "end", "ping", "flag_risk"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
msgpack_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats()
    | st.text(max_size=20)
    | st.binary(max_size=20)
)
msgpack_values = st.recursive(
    msgpack_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "type",
    "v",
    "room",
    "last_seq",
    "client_id",
    "text",
    "corrects",
    "seq",
    "t",
    "category",
    "note",
]
valid_objs = st.sampled_from([obj for obj, _ in VALID])


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(CODECS))
def test_fuzz_arbitrary_bytes(data: bytes, codec: Codec) -> None:
    check_decode(data, codec)
    check_decode(data.decode("utf-8", "surrogateescape"), Codec.JSON)


@FUZZ
@given(st.text(max_size=300))
def test_fuzz_arbitrary_text(data: str) -> None:
    check_decode(data, Codec.JSON)
    check_decode(data, Codec.MSGPACK)


@FUZZ
@given(json_values)
def test_fuzz_json_values(value: object) -> None:
    check_decode(json.dumps(value), Codec.JSON)


@FUZZ
@given(msgpack_values)
def test_fuzz_msgpack_values(value: object) -> None:
    check_decode(raw(value, Codec.MSGPACK), Codec.MSGPACK)


@FUZZ
@given(
    valid_objs,
    st.lists(
        st.tuples(st.sampled_from(FIELDS), st.one_of(scalars, json_values), st.booleans()),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(CODECS),
)
def test_fuzz_mutated_fields(
    obj: dict[str, object], edits: list[tuple[str, object, bool]], codec: Codec
) -> None:
    mutated = dict(obj)
    for field, value, delete in edits:
        if delete:
            mutated.pop(field, None)
        else:
            mutated[field] = value
    if codec is Codec.JSON:
        data: str | bytes = json.dumps(mutated)
    else:
        try:
            data = raw(mutated, codec)
        except (OverflowError, TypeError, ValueError):
            return  # value msgpack cannot represent (e.g. an int over 64 bits)
    check_decode(data, codec)


@FUZZ
@given(valid_objs, st.sampled_from(CODECS), st.data())
def test_fuzz_truncated_frames(obj: dict[str, object], codec: Codec, data: st.DataObject) -> None:
    encoded = raw(obj, codec)
    cut = data.draw(st.integers(min_value=0, max_value=len(encoded) - 1))
    check_decode(encoded[:cut], codec)


@FUZZ
@given(
    valid_objs,
    st.sampled_from(CODECS),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=4),
)
def test_fuzz_byte_mutations(
    obj: dict[str, object], codec: Codec, flips: list[tuple[int, int]]
) -> None:
    packed = raw(obj, codec)
    encoded = bytearray(packed.encode() if isinstance(packed, str) else packed)
    for index, byte in flips:
        encoded[index % len(encoded)] = byte
    if codec is Codec.MSGPACK:
        check_decode(bytes(encoded), codec)
    else:
        check_decode(encoded.decode("utf-8", "surrogateescape"), codec)
