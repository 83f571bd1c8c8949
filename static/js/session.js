// The live session page for patient, therapist and observing supervisor.
import { api, requireUser, goToLogin, HOME } from "./api.js";
import { $, el, humanise, showError } from "./dom.js";
import * as P from "./protocol.js";
import { SessionConnection } from "./connection.js";
import { MessageList } from "./messages.js";
import { fetchPage } from "./transcript.js";
import { formatCountdown, formatDateTime } from "./time.js";

const FIVE_MIN_MS = 5 * 60 * 1000;
const TYPING_SHOW_MS = 4000;
const FATAL_TEXT = {
  [P.CloseCode.FORBIDDEN]: "You are not a participant of this session.",
  [P.CloseCode.UNKNOWN_ROOM]: "There is no such session. Check the link and try again.",
  [P.CloseCode.ABUSE]: "The connection was closed after too many rejected messages. Reload the page to try again.",
  [P.CloseCode.PROTOCOL_ERROR]: "This page is out of date. Please reload it.",
  [P.CloseCode.NORMAL]: "The connection was closed. Reload the page to rejoin.",
};
const SEND_FAIL_TEXT = {
  session_ended: "the session has ended",
  not_started: "the session has not started yet",
  too_large: "the message is too long",
  forbidden: "not allowed",
  unknown_message: "that message cannot be corrected",
  read_only: "observers cannot send messages",
};

const room = Number(new URLSearchParams(location.search).get("room"));
const ui = {
  title: $("#title"), badge: $("#state-badge"), countdown: $("#countdown"), presence: $("#presence"),
  conn: $("#conn-status"), fatal: $("#fatal"), observer: $("#observer-banner"), riskBanner: $("#risk-banner"),
  support: $("#support-panel"), notices: $("#notices"), waiting: $("#waiting"), messages: $("#messages"),
  typing: $("#typing"), ended: $("#ended-note"), observerNote: $("#observer-note"), composer: $("#composer"),
  compose: $("#compose"), charCount: $("#char-count"), composeError: $("#compose-error"),
  correcting: $("#correcting"), correctingText: $("#correcting-text"),
  start: $("#start-btn"), end: $("#end-btn"), risk: $("#risk-btn"),
};

const state = {
  me: null, role: null, state: null, bookedEnd: 0, bookedStart: 0, members: [], names: new Map(),
  roleNames: {}, read: {}, typingTimers: new Map(), fiveMinuteShown: false, correcting: null, ended: false,
};
let conn;
let list;

// ---------- names, presence, notices ----------
function nameOf(userId, role) {
  return state.names.get(userId) || state.roleNames[role] || (role === "therapist" ? "Therapist" : role === "patient" ? "Patient" : "Supervisor");
}

function notice(text, { sticky = false } = {}) {
  const n = el("div", { class: "notice", text });
  ui.notices.append(n);
  if (!sticky) setTimeout(() => n.remove(), 8000);
  return n;
}

function setMembers(members) {
  state.members = members;
  for (const m of members) state.names.set(m.user, m.name);
  const others = members.filter((m) => m.user !== state.me && m.role !== "observer");
  ui.presence.textContent = others.length ? `${others.map((m) => m.name).join(", ")} ${others.length > 1 ? "are" : "is"} here` : "";
  ui.observer.hidden = !members.some((m) => m.role === "observer");
  if (state.role === "therapist" && state.state === "booked") {
    const patient = members.find((m) => m.role === "patient");
    $("#waiting-detail").textContent = patient ? `${patient.name} is here and waiting.` : "Your patient has not joined yet.";
  }
}

// ---------- session state ----------
function isLive() {
  return state.state === "live";
}

function isWaiting() {
  return state.state === "booked" || state.state === "scheduled";
}

function applyState(s) {
  state.state = s;
  state.ended = !isLive() && !isWaiting();
  ui.badge.textContent = state.ended ? "ended" : isLive() ? "live" : "waiting to start";
  ui.badge.className = `badge ${isLive() ? "live" : ""}`;
  ui.waiting.hidden = !isWaiting();
  if (isWaiting()) {
    const title = $("#waiting-title");
    if (state.role === "patient") title.textContent = "Your therapist will start the session shortly.";
    else if (state.role === "therapist") title.textContent = "Start the session when you are ready.";
    else title.textContent = "The session has not started yet.";
    if (state.role !== "patient") setMembers(state.members);
  }
  const participant = state.role === "patient" || state.role === "therapist";
  ui.composer.hidden = !participant || state.ended || isWaiting();
  setComposerEnabled(participant && isLive());
  ui.observerNote.hidden = state.role !== "observer";
  ui.ended.hidden = !state.ended;
  ui.start.hidden = !(state.role === "therapist" && isWaiting());
  ui.end.hidden = !(state.role === "therapist" && isLive());
  ui.risk.hidden = !(state.role === "therapist" && !state.ended);
  list.setCorrectable(participant && isLive());
  if (state.ended) {
    ui.typing.textContent = "";
    cancelCorrection();
  }
}

function setComposerEnabled(on) {
  ui.compose.disabled = !on;
  $("#send-btn").disabled = !on;
}

function tick() {
  if (!state.bookedEnd) return;
  const left = state.bookedEnd - Date.now();
  if (state.ended) {
    ui.countdown.textContent = "";
  } else if (isWaiting() && Date.now() < state.bookedStart) {
    ui.countdown.textContent = `Starts in ${formatCountdown(state.bookedStart - Date.now())}`;
  } else {
    ui.countdown.textContent = left > 0 ? `${formatCountdown(left)} left` : "Booked time is over";
  }
  if (isLive() && left > 0 && left <= FIVE_MIN_MS) fiveMinutes();
}

function fiveMinutes() {
  if (state.fiveMinuteShown) return;
  state.fiveMinuteShown = true;
  notice("Five minutes left in this session.", { sticky: true });
}

// ---------- frames ----------
function onWelcome(w) {
  state.me = w.you;
  state.role = w.role;
  state.bookedStart = w.booked_start_ms;
  state.bookedEnd = w.booked_end_ms;
  state.read = { ...w.read };
  if (!list) list = makeList();
  ui.title.textContent = titleFor();
  showError(ui.fatal, null);
  setMembers(w.members);
  applyState(w.state);
  tick();
}

function titleFor() {
  const other = state.role === "patient" ? state.roleNames.therapist : state.roleNames.patient;
  if (state.role === "observer") return `Observing: ${state.roleNames.patient || "patient"} with ${state.roleNames.therapist || "therapist"}`;
  return other ? `Session with ${other}` : "Your session";
}

function onMessage(m) {
  const wasOther = m.sender !== state.me;
  list.add(m);
  if (wasOther) {
    clearTyping(m.sender);
    scheduleRead();
  }
}

function onFrame(f) {
  switch (f.type) {
    case "typing":
      showTyping(f.user, f.role);
      break;
    case "presence": {
      const wasHere = state.members.some((m) => m.user === f.user);
      setMembers(f.members);
      if (f.user !== state.me && f.role !== "observer") {
        if (f.state === "joined" && !wasHere) notice(`${f.name} is here`);
        if (f.state === "left" && !f.members.some((m) => m.user === f.user)) {
          notice(`${f.name} left`);
          clearTyping(f.user);
        }
      }
      break;
    }
    case "read":
      state.read[String(f.user)] = Math.max(f.seq, state.read[String(f.user)] || 0);
      updateSeen();
      break;
    case "session":
      if (f.booked_end_ms) state.bookedEnd = f.booked_end_ms;
      if (f.event === "five_minutes") fiveMinutes();
      if (f.event === "started") notice("The session has started.");
      if (f.event === "ended") notice("The session has ended.", { sticky: true });
      if (f.state) applyState(f.state);
      tick();
      break;
    case "risk":
      showRisk(f);
      break;
    default:
      break; // unknown frame types are ignored (protocol rule)
  }
}

function onError(f) {
  if (f.code === P.ErrorCode.TOO_EARLY) {
    ui.waiting.hidden = false;
    $("#waiting-title").textContent = "This session's room is not open yet.";
    $("#waiting-detail").textContent = "You can join from 15 minutes before the start. This page will keep trying.";
  } else if (f.code === P.ErrorCode.READ_ONLY || f.code === P.ErrorCode.FORBIDDEN || f.code === P.ErrorCode.NOT_STARTED) {
    notice(humanise(f.code) + ": " + f.message);
  }
}

function onFatal(code) {
  if (code === P.CloseCode.UNAUTHORIZED) {
    goToLogin();
    return;
  }
  ui.conn.textContent = "";
  if (code === P.CloseCode.SESSION_ENDED) {
    if (!list) list = makeList();
    applyState("completed");
    loadTranscript();
    return;
  }
  if (code === P.CloseCode.REPLACED) {
    ui.fatal.replaceChildren("This session is open in another tab or device. ",
      el("button", { type: "button", class: "secondary", text: "Use it here instead",
        onclick: () => { showError(ui.fatal, null); conn.restart(); } }));
    ui.fatal.hidden = false;
    setComposerEnabled(false);
    return;
  }
  showError(ui.fatal, FATAL_TEXT[code] || `The connection was closed (code ${code}). Reload the page to try again.`);
  setComposerEnabled(false);
}

// An ended session we could not join: show its transcript read-only.
async function loadTranscript() {
  let after = 0;
  try {
    while (after !== null) {
      const page = await fetchPage(room, after, 500);
      for (const m of page.messages) {
        state.names.set(m.sender, m.sender_name);
        list.add({ seq: m.seq, sender: m.sender, role: m.role, text: m.text, corrects: m.corrects, at_ms: Date.parse(m.at) });
      }
      after = page.next_after;
    }
  } catch (err) {
    notice(`Could not load the transcript: ${err.message}`, { sticky: true });
  }
}

// ---------- typing and read receipts ----------
function showTyping(user, role) {
  clearTimeout(state.typingTimers.get(user));
  state.typingTimers.set(user, setTimeout(() => clearTyping(user), TYPING_SHOW_MS));
  renderTyping();
  void role;
}

function clearTyping(user) {
  clearTimeout(state.typingTimers.get(user));
  if (state.typingTimers.delete(user)) renderTyping();
}

function renderTyping() {
  const names = [...state.typingTimers.keys()].map((u) => nameOf(u, null));
  ui.typing.textContent = names.length ? `${names.join(" and ")} ${names.length > 1 ? "are" : "is"} typing…` : "";
}

let readTimer = null;
let readSent = 0;
function scheduleRead() {
  if (state.role === "observer" || document.visibilityState !== "visible") return;
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    const seq = conn.lastSeq;
    if (seq > readSent) {
      readSent = seq;
      conn.read(seq);
    }
  }, 400);
}
document.addEventListener("visibilitychange", scheduleRead);

function updateSeen() {
  let seen = 0;
  for (const [user, seq] of Object.entries(state.read)) {
    const member = state.members.find((m) => m.user === Number(user));
    if (Number(user) !== state.me && (!member || member.role !== "observer")) seen = Math.max(seen, seq);
  }
  if (list) list.showSeen(seen);
}

// ---------- risk ----------
function contactHref(c) {
  const number = String(c.contact).replace(/[^\d+]/g, "");
  if (!number) return null;
  const text = /\b(text|sms|shout)\b/i.test(`${c.name} ${c.contact} ${c.note}`);
  return text ? `sms:${number}` : `tel:${number}`;
}

function showRisk(f) {
  if (f.audience === "patient") {
    const contacts = el("ul", {}, (f.crisis_contacts || []).map((c) => {
      const href = contactHref(c);
      return el("li", {}, el("strong", { text: c.name }), ": ",
        href ? el("a", { href, text: c.contact }) : c.contact,
        c.note ? el("span", { class: "muted", text: ` (${c.note})` }) : null);
    }));
    ui.support.replaceChildren(
      el("h2", { id: "support-title", text: "Support is available right now" }),
      el("p", { text: f.message || "If you are in immediate danger, call 999 or go to A&E." }),
      contacts);
    ui.support.hidden = false;
    ui.support.setAttribute("role", "alert");
  } else {
    ui.riskBanner.replaceChildren(
      el("strong", { text: `Risk: ${humanise(f.category)}` }), " ",
      el("span", { class: `badge ${f.severity}`, text: f.severity }),
      f.message ? el("div", { text: f.message }) : null);
    ui.riskBanner.hidden = false;
  }
}

function wireRiskDialog() {
  const dialog = $("#risk-dialog");
  const form = $("#risk-form");
  const select = $("#risk-category");
  for (const c of P.RISK_CATEGORIES) select.append(el("option", { value: c, text: humanise(c) }));
  ui.risk.addEventListener("click", () => {
    form.reset();
    dialog.showModal();
  });
  $("#risk-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => ui.risk.focus());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const seq = Number(form.seq.value) || null;
    const note = form.note.value.slice(0, P.DEFAULT_LIMITS.max_note_chars);
    if (conn.control(P.flagRisk(form.category.value, note, seq))) {
      notice("Risk concern raised. The clinical team has been alerted.");
      dialog.close();
    } else {
      notice("Not connected: try again in a moment.");
    }
  });
}

// ---------- composer ----------
function maxChars() {
  return (conn && conn.limits.max_text_chars) || P.DEFAULT_LIMITS.max_text_chars;
}

function updateCount() {
  const n = [...ui.compose.value].length;
  const max = maxChars();
  ui.charCount.textContent = n > max * 0.8 ? `${n} / ${max} characters` : "";
}

function submitMessage() {
  const text = ui.compose.value;
  showError(ui.composeError, null);
  if (!text.trim() || !isLive()) return;
  if ([...text].length > maxChars()) {
    showError(ui.composeError, `Your message is too long: at most ${maxChars()} characters.`);
    return;
  }
  if (text.includes("\0")) {
    showError(ui.composeError, "Your message contains a character that cannot be sent.");
    return;
  }
  const corrects = state.correcting;
  const id = conn.send(text, corrects);
  list.addPending(id, text, corrects, state.role);
  ui.compose.value = "";
  cancelCorrection();
  updateCount();
  ui.compose.focus();
}

function startCorrection(seq, text) {
  state.correcting = seq;
  ui.correctingText.textContent = `Correcting message #${seq}`;
  ui.correcting.hidden = false;
  ui.compose.value = text;
  ui.compose.focus();
  updateCount();
}

function cancelCorrection() {
  state.correcting = null;
  ui.correcting.hidden = true;
}

function wireComposer() {
  ui.composer.addEventListener("submit", (e) => {
    e.preventDefault();
    submitMessage();
  });
  ui.compose.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitMessage();
    } else if (e.key === "Escape" && state.correcting) {
      cancelCorrection();
    }
  });
  ui.compose.addEventListener("input", () => {
    updateCount();
    if (ui.compose.value.trim()) conn.typing();
  });
  $("#correct-cancel").addEventListener("click", () => {
    cancelCorrection();
    ui.compose.focus();
  });
}

function wireTherapistControls() {
  ui.start.addEventListener("click", () => {
    if (!conn.control(P.start())) notice("Not connected: try again in a moment.");
  });
  const dialog = $("#end-dialog");
  ui.end.addEventListener("click", () => dialog.showModal());
  $("#end-cancel").addEventListener("click", () => dialog.close());
  $("#end-confirm").addEventListener("click", () => {
    conn.control(P.end());
    dialog.close();
  });
}

function makeList() {
  return new MessageList(ui.messages, {
    me: state.me,
    nameOf,
    onCorrect: startCorrection,
    onRetry: (id) => conn.retry(id),
  });
}

// ---------- start ----------
async function main() {
  const user = await requireUser(["patient", "therapist", "supervisor"]);
  $("#home-link").href = HOME[user.role];
  if (!Number.isInteger(room) || room <= 0) {
    showError(ui.fatal, "This link has no session in it. Go back to your sessions and choose one.");
    return;
  }
  try {
    const s = (await api("/api/sessions")).sessions.find((x) => x.id === room);
    if (s) {
      state.roleNames = { patient: s.patient_name, therapist: s.therapist_name };
      state.names.set(s.patient_id, s.patient_name);
      state.names.set(s.therapist_id, s.therapist_name);
      ui.title.textContent = `Session on ${formatDateTime(s.booked_start)}`;
    }
  } catch {
    // Names are a nicety; the session still works without them.
  }
  state.me = user.id;
  list = makeList();
  wireComposer();
  wireTherapistControls();
  wireRiskDialog();
  conn = new SessionConnection(room, {
    welcome: onWelcome,
    replayed: () => { updateSeen(); scheduleRead(); },
    message: onMessage,
    ack: (a) => { list.acked(a); updateSeen(); },
    sendFailed: (id, code) => list.failed(id, SEND_FAIL_TEXT[code] || humanise(code)),
    error: onError,
    frame: onFrame,
    status: (s) => { ui.conn.textContent = s === "reconnecting" ? "Reconnecting…" : ""; },
    fatal: onFatal,
  });
  window.__cbt = {
    forceReconnect: () => conn.forceReconnect(),
    lastSeq: () => conn.lastSeq,
    connection: conn,
  };
  conn.connect();
  setInterval(tick, 1000);
}

main();
