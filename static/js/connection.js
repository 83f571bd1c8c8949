// One live-session WebSocket that survives network drops: resume from the last seq,
// dedupe by seq, resend unacked messages with the same client_id. No DOM in here.
import * as P from "./protocol.js";

const BACKOFF_MS = [200, 500, 1000, 2000, 5000];
const SLOW_RECONNECT_MS = 2000; // only then tell the person we are reconnecting
const TOO_EARLY_RETRY_MS = 30000;
const RESEND_CODES = new Set([P.ErrorCode.RATE_LIMITED, P.ErrorCode.OVERLOADED, P.ErrorCode.INTERNAL]);
// Close codes after which we stop and explain (everything else 1xxx is retried).
const FATAL_CLOSES = new Set([
  P.CloseCode.NORMAL, P.CloseCode.PROTOCOL_ERROR, P.CloseCode.POLICY_VIOLATION, P.CloseCode.MESSAGE_TOO_BIG,
  P.CloseCode.UNAUTHORIZED, P.CloseCode.FORBIDDEN, P.CloseCode.UNKNOWN_ROOM, P.CloseCode.ABUSE,
  P.CloseCode.SESSION_ENDED, P.CloseCode.REPLACED,
]);

export class SessionConnection {
  // handlers: {welcome, replayed, message, ack, sendFailed, error, frame, status, fatal}
  constructor(room, handlers) {
    this.room = room;
    this.on = handlers;
    this.lastSeq = 0; // highest contiguous seq received
    this.seenAhead = new Set(); // seqs received beyond a gap
    this.pending = new Map(); // client_id -> {frame, failed, timer}
    this.ws = null;
    this.ready = false; // welcome + replay done: live frames may be sent
    this.attempt = 0;
    this.stopped = false;
    this.lastTypingSent = 0;
    this.limits = { ...P.DEFAULT_LIMITS };
    this.heartbeatMs = 20000;
    window.addEventListener("online", () => this.reconnectNow());
    window.addEventListener("offline", () => this.forceReconnect());
  }

  connect() {
    clearTimeout(this.retryTimer);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws`, [P.SUBPROTOCOL_JSON]);
    this.ws = ws;
    this.ready = false;
    ws.onopen = () => ws === this.ws && this.raw(P.hello(this.room, this.lastSeq));
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      this.lastHeard = Date.now();
      let frame;
      try {
        frame = P.decode(ev.data);
      } catch {
        return; // not ours to crash on; the server never sends this
      }
      this.handle(frame);
    };
    ws.onclose = (ev) => ws === this.ws && this.closed(ev.code);
  }

  raw(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(P.encode(frame));
      return true;
    }
    return false;
  }

  handle(f) {
    switch (f.type) {
      case "welcome":
        this.attempt = 0;
        this.you = f.you;
        this.limits = { ...P.DEFAULT_LIMITS, ...(f.limits || {}) };
        this.heartbeatMs = (f.heartbeat_s || 20) * 1000;
        this.lastHeard = Date.now();
        this.startHeartbeat();
        this.setStatus("connected");
        this.on.welcome(f);
        break;
      case "msg":
        if (!this.markSeen(f.seq)) return;
        this.settle(f.client_id);
        this.on.message(f);
        break;
      case "ack":
        this.settle(f.client_id);
        this.markSeen(f.seq);
        this.on.ack(f);
        break;
      case "replayed":
        this.ready = true;
        for (const [, p] of this.pending) if (!p.failed && !p.timer) this.raw(p.frame);
        this.on.replayed(f);
        break;
      case "error":
        this.error(f);
        break;
      case "pong":
        break;
      default:
        this.on.frame(f);
    }
  }

  // Record a seq; false if it was already seen. lastSeq only moves over contiguous seqs.
  markSeen(seq) {
    if (seq <= this.lastSeq || this.seenAhead.has(seq)) return false;
    this.seenAhead.add(seq);
    while (this.seenAhead.has(this.lastSeq + 1)) {
      this.seenAhead.delete(this.lastSeq + 1);
      this.lastSeq += 1;
    }
    return true;
  }

  settle(clientId) {
    const p = clientId && this.pending.get(clientId);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(clientId);
    }
  }

  error(f) {
    const p = f.ref && this.pending.get(f.ref);
    if (p) {
      if (RESEND_CODES.has(f.code)) {
        const wait = Math.max(0.2, Number(f.retry_after) || 1) * 1000;
        clearTimeout(p.timer);
        p.timer = setTimeout(() => {
          p.timer = null;
          if (this.ready) this.raw(p.frame);
        }, wait);
      } else {
        p.failed = true;
        this.on.sendFailed(f.ref, f.code);
      }
      return;
    }
    if (!this.ready && f.code === P.ErrorCode.TOO_EARLY) {
      this.on.error(f);
      this.retryTimer = setTimeout(() => this.forceReconnect(), TOO_EARLY_RETRY_MS);
      return;
    }
    if (!this.ready && f.code === P.ErrorCode.OVERLOADED) {
      this.forceReconnect();
      return;
    }
    this.on.error(f);
  }

  // Post a message; returns its client_id. Kept until acked and resent verbatim.
  send(text, corrects = null) {
    const id = P.newClientId();
    const frame = P.send(id, text, corrects);
    this.pending.set(id, { frame, failed: false, timer: null });
    if (this.ready) this.raw(frame);
    return id;
  }

  retry(clientId) {
    const p = this.pending.get(clientId);
    if (!p) return;
    p.failed = false;
    if (this.ready) this.raw(p.frame);
  }

  typing() {
    const now = Date.now();
    if (!this.ready || now - this.lastTypingSent < (this.limits.typing_min_interval || 2) * 1000) return;
    this.lastTypingSent = now;
    this.raw(P.typing());
  }

  read(seq) {
    if (this.ready) this.raw(P.read(seq));
  }

  control(frame) {
    return this.ready && this.raw(frame);
  }

  startHeartbeat() {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastHeard > this.heartbeatMs * 2) this.forceReconnect();
      else this.raw(P.ping(Date.now()));
    }, this.heartbeatMs);
  }

  closed(code) {
    this.ws = null;
    this.ready = false;
    clearInterval(this.heartbeat);
    if (this.stopped) return;
    if (FATAL_CLOSES.has(code) || (code >= 4000 && code !== P.CloseCode.RESUME)) {
      this.stop();
      this.on.fatal(code);
      return;
    }
    let delay;
    if (code === P.CloseCode.RESUME) delay = 0;
    else if (code === P.CloseCode.TRY_AGAIN_LATER) delay = BACKOFF_MS[Math.min(this.attempt + 3, 4)];
    else delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    delay = Math.round(delay * (0.85 + Math.random() * 0.3));
    if (!this.slowTimer) this.slowTimer = setTimeout(() => this.setStatus("reconnecting"), SLOW_RECONNECT_MS);
    if (this.attempt % 4 === 0) this.checkStillLoggedIn();
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  // A refused upgrade (HTTP 401) looks like a dropped connection in browsers: ask once in a while.
  async checkStillLoggedIn() {
    try {
      const r = await fetch("/api/me", { credentials: "same-origin" });
      if (r.status === 401 && !this.stopped) {
        this.stop();
        this.on.fatal(P.CloseCode.UNAUTHORIZED);
      }
    } catch {
      // offline: keep trying
    }
  }

  setStatus(status) {
    if (status === "connected") {
      clearTimeout(this.slowTimer);
      this.slowTimer = null;
    }
    if (status !== this.status) {
      this.status = status;
      this.on.status(status);
    }
  }

  // Drop the socket as if the network had gone, and resume on a new one.
  forceReconnect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const ws = this.ws;
    if (ws) {
      this.ws = null;
      try {
        ws.close();
      } catch {
        // already closing
      }
    }
    this.closed(1006);
  }

  reconnectNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.slowTimer);
    clearInterval(this.heartbeat);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }

  // Take the room back after 4011 (opened elsewhere).
  restart() {
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }
}
