"""The session wire protocol: the one place a frame's shape is defined.

Pure: no I/O, no clock, no aiohttp. The WebSocket loop hands each received
frame to :func:`decode` and sends what :func:`encode` returns; everything else
(the browser client in ``static/js/protocol.js``, the load generator, tests and
``docs/protocol.md``) follows this module.

:func:`decode` never raises anything but :class:`ProtocolError`, whatever the
peer sends, so the server can turn every bad frame into an ``error`` frame with
a stable :class:`ErrorCode` and keep the connection.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, IntEnum, StrEnum
from typing import ClassVar, Self

import msgpack

__all__ = [
    "DEFAULT_LIMITS",
    "RISK_CATEGORIES",
    "SUBPROTOCOLS",
    "SUBPROTOCOL_JSON",
    "SUBPROTOCOL_MSGPACK",
    "VERSION",
    "Ack",
    "ClientFrame",
    "CloseCode",
    "Codec",
    "CrisisContact",
    "End",
    "Error",
    "ErrorCode",
    "FlagRisk",
    "Hello",
    "Limits",
    "Member",
    "Message",
    "Ping",
    "Pong",
    "Presence",
    "ProtocolError",
    "Read",
    "ReadReceipt",
    "Replayed",
    "RiskCategory",
    "RiskNotice",
    "Role",
    "Send",
    "ServerFrame",
    "SessionEvent",
    "SessionState",
    "Start",
    "TokenBucket",
    "Typing",
    "TypingSignal",
    "Welcome",
    "codec_for_subprotocol",
    "decode",
    "decode_server",
    "encode",
    "encode_client",
    "encode_obj",
    "error_frame",
]

VERSION = 1

SUBPROTOCOL_JSON = "cbt.v1.json"
SUBPROTOCOL_MSGPACK = "cbt.v1.msgpack"
#: In order of server preference; pass to ``WebSocketResponse(protocols=...)``.
SUBPROTOCOLS: tuple[str, ...] = (SUBPROTOCOL_MSGPACK, SUBPROTOCOL_JSON)

#: Largest integer a frame may carry. Ids and seqs are PostgreSQL ``bigint``.
MAX_INT = 2**63 - 1
#: Ping timestamps are echoed to JavaScript, so keep them exactly representable.
MAX_SAFE_JS_INT = 2**53 - 1
MAX_NOTE_CHARS = 2000


class Codec(StrEnum):
    """How frames are serialised on one connection (chosen by subprotocol)."""

    JSON = "json"  # text frames
    MSGPACK = "msgpack"  # binary frames


def codec_for_subprotocol(name: str | None) -> Codec:
    """Codec for the negotiated subprotocol; none or unknown means JSON."""
    if name == SUBPROTOCOL_MSGPACK:
        return Codec.MSGPACK
    return Codec.JSON


class CloseCode(IntEnum):
    """WebSocket close codes the server uses (RFC 6455 range and 4000-4999)."""

    NORMAL = 1000
    GOING_AWAY = 1001  # server shutting down: reconnect and resume elsewhere
    PROTOCOL_ERROR = 1002
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    TRY_AGAIN_LATER = 1013
    RESUME = 4000  # you fell behind (slow consumer): reconnect, resume from last seq
    UNAUTHORIZED = 4001
    FORBIDDEN = 4003
    UNKNOWN_ROOM = 4004
    ABUSE = 4008  # too many protocol violations on this connection
    SESSION_ENDED = 4010
    REPLACED = 4011  # same user opened the room elsewhere (another tab)


class ErrorCode(StrEnum):
    """Stable codes carried by ``error`` frames. Never renumber or reuse."""

    BAD_FRAME = "bad_frame"  # not JSON / msgpack, or not an object
    UNKNOWN_TYPE = "unknown_type"
    INVALID_FIELD = "invalid_field"  # missing, wrong type or out of range
    TOO_LARGE = "too_large"  # frame over max_frame_bytes, text or note too long
    RATE_LIMITED = "rate_limited"
    NOT_JOINED = "not_joined"
    ALREADY_JOINED = "already_joined"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    UNKNOWN_ROOM = "unknown_room"
    TOO_EARLY = "too_early"
    SESSION_ENDED = "session_ended"
    NOT_STARTED = "not_started"
    READ_ONLY = "read_only"  # observers cannot send
    WRONG_BINARY_MODE = "wrong_frame_kind"  # text frame on msgpack or vice versa
    UNSUPPORTED_VERSION = "unsupported_version"
    OVERLOADED = "overloaded"  # retry later
    UNKNOWN_MESSAGE = "unknown_message"  # a correction pointing at no such seq
    INTERNAL = "internal"


class Role(StrEnum):
    PATIENT = "patient"
    THERAPIST = "therapist"
    OBSERVER = "observer"


class SessionState(StrEnum):
    """The appointment's status, as the server stores it."""

    BOOKED = "booked"  # not started yet: the patient waits in the waiting room
    LIVE = "live"
    COMPLETED = "completed"  # ended by the therapist: read-only
    DNA = "dna"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"


class RiskCategory(StrEnum):
    SUICIDAL_IDEATION = "suicidal_ideation"
    SUICIDE_PLAN_OR_INTENT = "suicide_plan_or_intent"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    SAFEGUARDING_CHILD = "safeguarding_child"
    SAFEGUARDING_ADULT = "safeguarding_adult"
    DOMESTIC_ABUSE = "domestic_abuse"


RISK_CATEGORIES: frozenset[str] = frozenset(c.value for c in RiskCategory)


class ProtocolError(Exception):
    """A frame the server will not act on; becomes an ``error`` frame.

    ``ref`` is the frame's ``client_id`` when it had a usable one, so the
    client can tell which pending message failed.
    """

    def __init__(self, code: ErrorCode, message: str, ref: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref

    def __repr__(self) -> str:
        return f"ProtocolError({self.code.value!r}, {self.message!r}, ref={self.ref!r})"


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-connection limits. The defaults are the production values."""

    max_frame_bytes: int = 16384
    max_text_chars: int = 4000
    max_client_id_chars: int = 64
    messages_per_second: float = 5.0
    message_burst: int = 20
    frames_per_second: float = 30.0
    frame_burst: int = 60
    max_violations: int = 20  # protocol errors on one connection before ABUSE close
    typing_min_interval: float = 2.0  # seconds between forwarded typing signals
    heartbeat_seconds: float = 20.0

    def client_view(self) -> dict[str, object]:
        """The subset sent to clients in ``welcome.limits``."""
        return {
            "max_text_chars": self.max_text_chars,
            "messages_per_second": self.messages_per_second,
            "message_burst": self.message_burst,
            "max_frame_bytes": self.max_frame_bytes,
            "typing_min_interval": self.typing_min_interval,
        }


DEFAULT_LIMITS = Limits()


class TokenBucket:
    """Token-bucket rate limiter; the caller passes monotonic seconds in.

    Starts full (``burst`` tokens) and refills at ``rate`` tokens per second.
    """

    __slots__ = ("_last", "_tokens", "burst", "rate")

    def __init__(self, rate: float, burst: int | float) -> None:
        if not rate > 0 or not burst >= 1:
            raise ValueError("TokenBucket needs rate > 0 and burst >= 1")
        self.rate = float(rate)
        self.burst = float(burst)
        self._tokens = self.burst
        self._last: float | None = None

    def _level(self, now: float) -> float:
        if self._last is None or now <= self._last:
            return self._tokens
        return min(self.burst, self._tokens + (now - self._last) * self.rate)

    def take(self, now: float) -> bool:
        """Spend one token if available; False means rate limited."""
        tokens = self._level(now)
        if self._last is None or now > self._last:
            self._last = now
        if tokens >= 1.0:
            self._tokens = tokens - 1.0
            return True
        self._tokens = tokens
        return False

    def retry_after(self, now: float) -> float:
        """Seconds from ``now`` until :meth:`take` would succeed (0 if it would now)."""
        missing = 1.0 - self._level(now)
        return missing / self.rate if missing > 0 else 0.0


# --------------------------------------------------------------------------
# Field validation. Messages never echo peer input except through ascii(),
# so an error frame can always be encoded.

_MISSING: object = object()
_CLIENT_ID_RE = re.compile(r"[A-Za-z0-9_.:\-]+")


def _invalid(name: str, expected: str) -> ProtocolError:
    return ProtocolError(ErrorCode.INVALID_FIELD, f"field {name!r} must be {expected}")


def _get(obj: Mapping[str, object], name: str, expected: str) -> object:
    value = obj.get(name, _MISSING)
    if value is _MISSING:
        raise ProtocolError(ErrorCode.INVALID_FIELD, f"field {name!r} is required ({expected})")
    return value


def _int(obj: Mapping[str, object], name: str, minimum: int, default: object = _MISSING) -> int:
    expected = f"an integer >= {minimum}"
    value = obj.get(name, default)
    if value is _MISSING:
        raise ProtocolError(ErrorCode.INVALID_FIELD, f"field {name!r} is required ({expected})")
    if type(value) is not int or not minimum <= value <= MAX_INT:
        raise _invalid(name, expected)
    return value


def _opt_int(obj: Mapping[str, object], name: str, minimum: int) -> int | None:
    value = obj.get(name)
    if value is None:
        return None
    if type(value) is not int or not minimum <= value <= MAX_INT:
        raise _invalid(name, f"null or an integer >= {minimum}")
    return value


def _utf8_ok(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _str(value: object, name: str, expected: str) -> str:
    if type(value) is not str or not _utf8_ok(value) or "\x00" in value:
        raise _invalid(name, expected)
    return value


def _client_id(value: object, limits: Limits) -> str:
    expected = f"a string of 1-{limits.max_client_id_chars} characters from [A-Za-z0-9_.:-]"
    if (
        type(value) is not str
        or not 1 <= len(value) <= limits.max_client_id_chars
        or _CLIENT_ID_RE.fullmatch(value) is None
    ):
        raise _invalid("client_id", expected)
    return value


# --------------------------------------------------------------------------
# Client -> server frames


@dataclass(frozen=True, slots=True)
class Hello:
    """Join a room (appointment) and replay everything after ``last_seq``."""

    TYPE: ClassVar[str] = "hello"
    room: int
    last_seq: int = 0
    v: int = VERSION

    @classmethod
    def parse(cls, obj: dict[str, object], limits: Limits = DEFAULT_LIMITS) -> Self:
        v = _get(obj, "v", f"the integer {VERSION}")
        if type(v) is not int:
            raise _invalid("v", f"the integer {VERSION}")
        if v != VERSION:
            raise ProtocolError(
                ErrorCode.UNSUPPORTED_VERSION, f"protocol version {VERSION} is supported"
            )
        return cls(room=_int(obj, "room", 1), last_seq=_int(obj, "last_seq", 0, 0), v=v)

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "v": self.v, "room": self.room, "last_seq": self.last_seq}


@dataclass(frozen=True, slots=True)
class Send:
    """Post a message. ``client_id`` makes resending after a reconnect idempotent."""

    TYPE: ClassVar[str] = "send"
    client_id: str
    text: str
    corrects: int | None = None

    @classmethod
    def parse(cls, obj: dict[str, object], limits: Limits = DEFAULT_LIMITS) -> Self:
        client_id = _client_id(_get(obj, "client_id", "a string"), limits)
        expected = f"a string of at most {limits.max_text_chars} characters, not all whitespace"
        text = _str(_get(obj, "text", expected), "text", expected)
        if len(text) > limits.max_text_chars:
            raise ProtocolError(ErrorCode.TOO_LARGE, f"field 'text' must be {expected}", client_id)
        if not text.strip():
            raise _invalid("text", expected)
        return cls(client_id=client_id, text=text, corrects=_opt_int(obj, "corrects", 1))

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "client_id": self.client_id,
            "text": self.text,
            "corrects": self.corrects,
        }


@dataclass(frozen=True, slots=True)
class _Bare:
    """A frame with no fields."""

    TYPE: ClassVar[str] = ""

    @classmethod
    def parse(cls, obj: dict[str, object], limits: Limits = DEFAULT_LIMITS) -> Self:
        return cls()

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE}


@dataclass(frozen=True, slots=True)
class Typing(_Bare):
    """The sender is typing. Throttled server-side, never an error."""

    TYPE: ClassVar[str] = "typing"


@dataclass(frozen=True, slots=True)
class Start(_Bare):
    """Therapist starts the session."""

    TYPE: ClassVar[str] = "start"


@dataclass(frozen=True, slots=True)
class End(_Bare):
    """Therapist ends the session."""

    TYPE: ClassVar[str] = "end"


@dataclass(frozen=True, slots=True)
class Read:
    """The sender has read everything up to and including ``seq``."""

    TYPE: ClassVar[str] = "read"
    seq: int

    @classmethod
    def parse(cls, obj: dict[str, object], limits: Limits = DEFAULT_LIMITS) -> Self:
        return cls(seq=_int(obj, "seq", 0))

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "seq": self.seq}


@dataclass(frozen=True, slots=True)
class Ping:
    """Application-level ping; ``t`` is echoed in the pong."""

    TYPE: ClassVar[str] = "ping"
    t: float | int | None = None

    @classmethod
    def parse(cls, obj: dict[str, object], limits: Limits = DEFAULT_LIMITS) -> Self:
        t = obj.get("t")
        if t is None:
            return cls()
        if type(t) is int:
            if not -MAX_SAFE_JS_INT <= t <= MAX_SAFE_JS_INT:
                raise _invalid("t", "null, a finite number or an integer within ±(2**53 - 1)")
            return cls(t=t)
        if type(t) is float and math.isfinite(t):
            return cls(t=t)
        raise _invalid("t", "null, a finite number or an integer within ±(2**53 - 1)")

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "t": self.t}


@dataclass(frozen=True, slots=True)
class FlagRisk:
    """A participant flags risk; the server escalates and sends ``risk`` notices."""

    TYPE: ClassVar[str] = "flag_risk"
    category: str
    note: str = ""
    seq: int | None = None

    @classmethod
    def parse(cls, obj: dict[str, object], limits: Limits = DEFAULT_LIMITS) -> Self:
        categories = ", ".join(c.value for c in RiskCategory)
        category = _get(obj, "category", f"one of {categories}")
        if type(category) is not str or category not in RISK_CATEGORIES:
            raise _invalid("category", f"one of {categories}")
        expected = f"a string of at most {MAX_NOTE_CHARS} characters"
        note = _str(obj.get("note", ""), "note", expected)
        if len(note) > MAX_NOTE_CHARS:
            raise ProtocolError(ErrorCode.TOO_LARGE, f"field 'note' must be {expected}")
        return cls(category=category, note=note, seq=_opt_int(obj, "seq", 1))

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "category": self.category, "note": self.note, "seq": self.seq}


ClientFrame = Hello | Send | Typing | Read | Start | End | Ping | FlagRisk

_PARSERS: Mapping[str, Callable[[dict[str, object], Limits], ClientFrame]] = {
    Hello.TYPE: Hello.parse,
    Send.TYPE: Send.parse,
    Typing.TYPE: Typing.parse,
    Read.TYPE: Read.parse,
    Start.TYPE: Start.parse,
    End.TYPE: End.parse,
    Ping.TYPE: Ping.parse,
    FlagRisk.TYPE: FlagRisk.parse,
}


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed")


def _reject_ext(code: int, data: bytes) -> object:
    raise ValueError("msgpack extension types are not allowed")


def _unpack(data: bytes) -> object:
    # unpackb caps every declared str/bin/array/map length at len(data), which
    # the size check has already bounded, and msgpack caps nesting depth itself.
    return msgpack.unpackb(
        data,
        raw=False,
        strict_map_key=True,
        use_list=True,
        ext_hook=_reject_ext,
    )


def _parse_payload(data: str | bytes, codec: Codec) -> object:
    try:
        if codec is Codec.MSGPACK:
            assert isinstance(data, bytes)
            return _unpack(data)
        assert isinstance(data, str)
        return json.loads(data, parse_constant=_reject_constant)
    except (ValueError, TypeError, RecursionError, OverflowError, msgpack.UnpackException):
        # Malformed input, deep nesting, NaN/Infinity, over-long int literals,
        # invalid UTF-8 and msgpack extension types all end up here.
        raise ProtocolError(
            ErrorCode.BAD_FRAME, f"frame is not a valid {codec.value} object"
        ) from None


def _frame_size(data: str | bytes, limit: int) -> int:
    if isinstance(data, bytes | bytearray):
        return len(data)
    if len(data) > limit:  # every character is at least one byte
        return len(data)
    return len(data.encode("utf-8", "surrogatepass"))


def decode(data: str | bytes, codec: Codec, limits: Limits = DEFAULT_LIMITS) -> ClientFrame:
    """Parse and validate one client frame. Raises only :class:`ProtocolError`.

    Unknown fields are ignored so that newer clients can add optional fields.
    """
    if not isinstance(data, str | bytes | bytearray):
        raise ProtocolError(ErrorCode.BAD_FRAME, "frame must be text or binary")
    if _frame_size(data, limits.max_frame_bytes) > limits.max_frame_bytes:
        raise ProtocolError(
            ErrorCode.TOO_LARGE, f"frame is larger than {limits.max_frame_bytes} bytes"
        )
    if isinstance(data, bytearray):
        data = bytes(data)
    if codec is Codec.MSGPACK and isinstance(data, str):
        raise ProtocolError(
            ErrorCode.WRONG_BINARY_MODE, "this connection uses msgpack: send binary frames"
        )
    if codec is not Codec.MSGPACK and isinstance(data, bytes):
        raise ProtocolError(
            ErrorCode.WRONG_BINARY_MODE, "this connection uses JSON: send text frames"
        )
    obj = _parse_payload(data, codec)
    if not isinstance(obj, dict):
        raise ProtocolError(ErrorCode.BAD_FRAME, "frame must be an object")
    raw_id = obj.get("client_id")
    ref = (
        raw_id
        if type(raw_id) is str and len(raw_id) <= limits.max_client_id_chars and _utf8_ok(raw_id)
        else None
    )
    try:
        kind = obj.get("type", _MISSING)
        if kind is _MISSING:
            raise ProtocolError(ErrorCode.INVALID_FIELD, "field 'type' is required (a string)")
        if type(kind) is not str:
            raise _invalid("type", "a string")
        parser = _PARSERS.get(kind)
        if parser is None:
            raise ProtocolError(ErrorCode.UNKNOWN_TYPE, f"unknown frame type {kind[:40]!a}")
        return parser(obj, limits)
    except ProtocolError as err:
        if err.ref is None:
            err.ref = ref
        raise


# --------------------------------------------------------------------------
# Server -> client frames. Times are epoch milliseconds (ints named *_ms).


def _plain(value: str) -> str:
    """A str-Enum member as its value, so both codecs emit a plain string."""
    return str(value.value) if isinstance(value, Enum) else value


@dataclass(frozen=True, slots=True)
class Member:
    user: int
    role: str
    name: str

    def to_obj(self) -> dict[str, object]:
        return {"user": self.user, "role": _plain(self.role), "name": self.name}


@dataclass(frozen=True, slots=True)
class CrisisContact:
    name: str
    contact: str
    note: str = ""

    def to_obj(self) -> dict[str, object]:
        return {"name": self.name, "contact": self.contact, "note": self.note}


def _objs(items: Sequence[Member | CrisisContact | Mapping[str, object]]) -> list[object]:
    return [dict(i) if isinstance(i, Mapping) else i.to_obj() for i in items]


@dataclass(frozen=True, slots=True)
class Welcome:
    """Reply to ``hello``: who is here, session state, and where the room is."""

    TYPE: ClassVar[str] = "welcome"
    v: int
    room: int
    you: int
    role: str
    state: str
    booked_start_ms: int
    booked_end_ms: int
    started_at_ms: int | None
    ended_at_ms: int | None
    last_seq: int
    members: Sequence[Member | Mapping[str, object]]
    read: Mapping[str, int] | Mapping[int, int]
    heartbeat_s: float
    limits: Mapping[str, object]

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "v": self.v,
            "room": self.room,
            "you": self.you,
            "role": _plain(self.role),
            "state": _plain(self.state),
            "booked_start_ms": self.booked_start_ms,
            "booked_end_ms": self.booked_end_ms,
            "started_at_ms": self.started_at_ms,
            "ended_at_ms": self.ended_at_ms,
            "last_seq": self.last_seq,
            "members": _objs(self.members),
            "read": {str(k): v for k, v in self.read.items()},
            "heartbeat_s": self.heartbeat_s,
            "limits": dict(self.limits),
        }


@dataclass(frozen=True, slots=True)
class Message:
    """A stored chat message (live or replayed)."""

    TYPE: ClassVar[str] = "msg"
    seq: int
    client_id: str
    sender: int
    role: str
    text: str
    corrects: int | None
    at_ms: int

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "seq": self.seq,
            "client_id": self.client_id,
            "sender": self.sender,
            "role": _plain(self.role),
            "text": self.text,
            "corrects": self.corrects,
            "at_ms": self.at_ms,
        }


@dataclass(frozen=True, slots=True)
class Ack:
    """The sender's ``send`` is stored as ``seq``; ``duplicate`` if it was a resend."""

    TYPE: ClassVar[str] = "ack"
    client_id: str
    seq: int
    at_ms: int
    duplicate: bool = False

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "client_id": self.client_id,
            "seq": self.seq,
            "at_ms": self.at_ms,
            "duplicate": self.duplicate,
        }


@dataclass(frozen=True, slots=True)
class Replayed:
    """Sent once after the resume replay, before any live frame."""

    TYPE: ClassVar[str] = "replayed"
    last_seq: int

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "last_seq": self.last_seq}


@dataclass(frozen=True, slots=True)
class TypingSignal:
    TYPE: ClassVar[str] = "typing"
    user: int
    role: str

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "user": self.user, "role": _plain(self.role)}


@dataclass(frozen=True, slots=True)
class Presence:
    """Someone joined or left; ``members`` is the full list afterwards."""

    TYPE: ClassVar[str] = "presence"
    user: int
    role: str
    name: str
    state: str  # "joined" | "left"
    members: Sequence[Member | Mapping[str, object]]

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "user": self.user,
            "role": _plain(self.role),
            "name": self.name,
            "state": self.state,
            "members": _objs(self.members),
        }


@dataclass(frozen=True, slots=True)
class ReadReceipt:
    TYPE: ClassVar[str] = "read"
    user: int
    seq: int

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "user": self.user, "seq": self.seq}


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """The session started, ended, or has five minutes left."""

    TYPE: ClassVar[str] = "session"
    event: str  # "started" | "ended" | "five_minutes"
    state: str
    started_at_ms: int | None
    ended_at_ms: int | None
    booked_end_ms: int

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "event": self.event,
            "state": _plain(self.state),
            "started_at_ms": self.started_at_ms,
            "ended_at_ms": self.ended_at_ms,
            "booked_end_ms": self.booked_end_ms,
        }


@dataclass(frozen=True, slots=True)
class RiskNotice:
    """Risk guidance for one audience, with crisis contacts to show."""

    TYPE: ClassVar[str] = "risk"
    audience: str  # "patient" | "therapist"
    category: str
    severity: str
    message: str
    crisis_contacts: Sequence[CrisisContact | Mapping[str, object]]

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "audience": _plain(self.audience),
            "category": _plain(self.category),
            "severity": _plain(self.severity),
            "message": self.message,
            "crisis_contacts": _objs(self.crisis_contacts),
        }


@dataclass(frozen=True, slots=True)
class Error:
    TYPE: ClassVar[str] = "error"
    code: ErrorCode | str
    message: str
    ref: str | None = None
    retry_after: float | None = None

    def to_obj(self) -> dict[str, object]:
        return {
            "type": self.TYPE,
            "code": _plain(self.code),
            "message": self.message,
            "ref": self.ref,
            "retry_after": self.retry_after,
        }


@dataclass(frozen=True, slots=True)
class Pong:
    TYPE: ClassVar[str] = "pong"
    t: float | int | None = None

    def to_obj(self) -> dict[str, object]:
        return {"type": self.TYPE, "t": self.t}


ServerFrame = (
    Welcome
    | Message
    | Ack
    | Replayed
    | TypingSignal
    | Presence
    | ReadReceipt
    | SessionEvent
    | RiskNotice
    | Error
    | Pong
)


def error_frame(err: ProtocolError, retry_after: float | None = None) -> Error:
    return Error(code=err.code, message=err.message, ref=err.ref, retry_after=retry_after)


def encode_obj(obj: Mapping[str, object], codec: Codec) -> str | bytes:
    """Serialise a frame dict: a text payload for JSON, bytes for msgpack.

    Lets the server encode a fan-out frame once per codec, not once per socket.
    """
    if codec is Codec.MSGPACK:
        packed = msgpack.packb(obj, use_bin_type=True)
        assert isinstance(packed, bytes)
        return packed
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode(frame: ServerFrame, codec: Codec) -> str | bytes:
    return encode_obj(frame.to_obj(), codec)


def encode_client(frame: ClientFrame | Mapping[str, object], codec: Codec) -> str | bytes:
    """Client side: serialise a client frame (or a raw dict, for tests)."""
    obj = frame if isinstance(frame, Mapping) else frame.to_obj()
    return encode_obj(obj, codec)


def decode_server(data: str | bytes, codec: Codec) -> dict[str, object]:
    """Client side: parse a server frame into a plain dict, without validation."""
    try:
        if codec is Codec.MSGPACK:
            obj = msgpack.unpackb(
                data.encode("utf-8") if isinstance(data, str) else data, raw=False
            )
        else:
            obj = json.loads(data)
    except (ValueError, TypeError, RecursionError, OverflowError, msgpack.UnpackException):
        raise ProtocolError(
            ErrorCode.BAD_FRAME, f"frame is not a valid {codec.value} object"
        ) from None
    if not isinstance(obj, dict):
        raise ProtocolError(ErrorCode.BAD_FRAME, "frame must be an object")
    return obj
