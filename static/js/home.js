// Patient and therapist home: sessions (join / read transcript), messages between sessions and,
// for therapists, case management.
import { api, requireUser } from "./api.js";
import { el, showError } from "./dom.js";
import { renderSessions, isOpen, isPast, joinLink } from "./sessions.js";
import { TranscriptView } from "./transcript.js";
import { formatDateTime } from "./time.js";
import { Inbox } from "./inbox.js";

const role = document.body.dataset.role;
const listBox = document.getElementById("sessions");
const pageError = document.getElementById("page-error");
const transcript = new TranscriptView(document.getElementById("transcript"));
let sessions = [];

function actions(s, now) {
  const out = [];
  if (isOpen(s, now)) out.push(joinLink(s));
  if (isPast(s, now) || s.last_seq > 0) {
    out.push(el("button", { type: "button", class: "secondary", text: "Read transcript",
      "aria-label": `Read transcript of session on ${formatDateTime(s.booked_start)}`,
      onclick: (e) => { transcript.returnFocus = e.currentTarget; transcript.open(s); } }));
  }
  if (role === "therapist") {
    out.push(el("button", { type: "button", class: "secondary", text: "Raise case-management request",
      onclick: (e) => openCasework(s, e.currentTarget) }));
  }
  return out;
}

function render() {
  renderSessions(listBox, sessions, { viewerRole: role, actions });
  listBox.setAttribute("aria-busy", "false");
}

async function load() {
  try {
    sessions = (await api("/api/sessions")).sessions;
    render();
  } catch (err) {
    showError(pageError, `Could not load your sessions: ${err.message}`);
  }
}

// --- therapist: case-management request for the session's episode ---
let caseworkReturn = null;
function openCasework(s, opener) {
  const dialog = document.getElementById("casework-dialog");
  const form = document.getElementById("casework-form");
  caseworkReturn = opener;
  form.reset();
  form.episode_id.value = s.episode_id;
  document.getElementById("casework-about").textContent =
    `For ${s.patient_name} (episode ${s.episode_id}).`;
  showError(document.getElementById("casework-error"), null);
  dialog.showModal();
}

function wireCasework() {
  const dialog = document.getElementById("casework-dialog");
  const form = document.getElementById("casework-form");
  const errorBox = document.getElementById("casework-error");
  document.getElementById("casework-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => caseworkReturn && caseworkReturn.focus());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const details = form.details.value.trim();
    if (!details) {
      showError(errorBox, "Describe what you need help with.");
      form.details.focus();
      return;
    }
    try {
      await api("/api/casework", { method: "POST",
        body: { episode_id: Number(form.episode_id.value), kind: form.kind.value, details } });
      dialog.close();
      document.getElementById("toast").textContent = "Case-management request sent.";
      showError(pageError, null);
    } catch (err) {
      showError(errorBox, `Could not send the request: ${err.message}`);
    }
  });
}

const me = await requireUser([role]);
if (role === "therapist") wireCasework();
await load();
await new Inbox(document.getElementById("inbox"), role, me).start();
// Keep "Join" buttons current as sessions open.
setInterval(render, 30000);
setInterval(load, 120000);
