// Browser mirror of chat_server/protocol.py (the source of truth; see
// docs/protocol.md). Plain ES module, no build step. The browser speaks the
// JSON subprotocol; tests/chat_server/test_protocol.py checks these constants
// against the Python module.

export const VERSION = 1;

export const SUBPROTOCOL_JSON = "cbt.v1.json";
export const SUBPROTOCOL_MSGPACK = "cbt.v1.msgpack";

export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001, // server shutting down: reconnect and resume
  PROTOCOL_ERROR: 1002,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
  RESUME: 4000, // fell behind: reconnect and resume from last seq
  UNAUTHORIZED: 4001,
  FORBIDDEN: 4003,
  UNKNOWN_ROOM: 4004,
  ABUSE: 4008,
  SESSION_ENDED: 4010,
  REPLACED: 4011, // the room was opened in another tab
});

export const ErrorCode = Object.freeze({
  BAD_FRAME: "bad_frame",
  UNKNOWN_TYPE: "unknown_type",
  INVALID_FIELD: "invalid_field",
  TOO_LARGE: "too_large",
  RATE_LIMITED: "rate_limited",
  NOT_JOINED: "not_joined",
  ALREADY_JOINED: "already_joined",
  UNAUTHORIZED: "unauthorized",
  FORBIDDEN: "forbidden",
  UNKNOWN_ROOM: "unknown_room",
  TOO_EARLY: "too_early",
  SESSION_ENDED: "session_ended",
  NOT_STARTED: "not_started",
  READ_ONLY: "read_only",
  WRONG_BINARY_MODE: "wrong_frame_kind",
  UNSUPPORTED_VERSION: "unsupported_version",
  OVERLOADED: "overloaded",
  UNKNOWN_MESSAGE: "unknown_message",
  INTERNAL: "internal",
});

export const RISK_CATEGORIES = Object.freeze([
  "suicidal_ideation",
  "suicide_plan_or_intent",
  "self_harm",
  "harm_to_others",
  "safeguarding_child",
  "safeguarding_adult",
  "domestic_abuse",
]);

// Defaults; the server's actual values arrive in welcome.limits.
export const DEFAULT_LIMITS = Object.freeze({
  max_frame_bytes: 16384,
  max_text_chars: 4000,
  max_client_id_chars: 64,
  max_note_chars: 2000,
  messages_per_second: 5.0,
  message_burst: 20,
  typing_min_interval: 2.0,
});

// Close codes after which reconnecting (and resuming from the last seq) is right.
export const RECONNECT_CLOSE_CODES = Object.freeze([
  CloseCode.GOING_AWAY,
  CloseCode.INTERNAL_ERROR,
  CloseCode.TRY_AGAIN_LATER,
  CloseCode.RESUME,
]);

// A fresh client_id for a send frame: random, kept until acked, and resent
// verbatim after a reconnect so the server can deduplicate.
export function newClientId() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === "function") {
    return globalThis.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const hello = (room, lastSeq = 0) => ({ type: "hello", v: VERSION, room, last_seq: lastSeq });
export const send = (clientId, text, corrects = null) => ({
  type: "send",
  client_id: clientId,
  text,
  corrects,
});
export const typing = () => ({ type: "typing" });
export const read = (seq) => ({ type: "read", seq });
export const start = () => ({ type: "start" });
export const end = () => ({ type: "end" });
export const ping = (t = null) => ({ type: "ping", t });
export const flagRisk = (category, note = "", seq = null) => ({
  type: "flag_risk",
  category,
  note,
  seq,
});

// JSON subprotocol helpers.
export const encode = (frame) => JSON.stringify(frame);
export function decode(data) {
  const obj = JSON.parse(data);
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw new Error("server frame is not an object");
  }
  return obj;
}
