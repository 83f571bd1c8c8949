// Supervisor desk: live risk alerts, transcript context, rota, case management, observe sessions.
import { api, requireUser } from "./api.js";
import { $, el, clear, humanise } from "./dom.js";
import { AlertFeed, Beeper, TitleFlasher, compareAlerts } from "./alerts.js";
import { fetchPage, transcriptItem, TranscriptView } from "./transcript.js";
import { renderSessions, isOpen, isPast } from "./sessions.js";
import { formatDateTime } from "./time.js";

const beeper = new Beeper();
const flasher = new TitleFlasher();
const items = new Map(); // alert id -> {li, body}
let me;
let feed;

// ---------- alerts ----------
function alertBody(a) {
  const when = formatDateTime(a.opened_at);
  const body = el("div", {},
    el("div", { class: "actions", style: "margin-top:0" },
      el("span", { class: `badge ${a.severity}`, text: a.severity }),
      el("strong", { text: humanise(a.category) }),
      el("span", { class: "badge", text: a.status }),
      el("span", { class: "muted small", text: `Opened ${when}` })),
    el("p", { style: "margin:.4rem 0" },
      "Patient: ", el("strong", { text: a.patient_name || "unknown" }),
      " · Therapist: ", el("strong", { text: a.therapist_name || "unknown" }),
      a.source ? ` · Source: ${a.source === "message" ? "message between sessions" : humanise(a.source)}` : null,
      a.route_kind ? ` · Route: ${humanise(a.route_kind)}` : null),
  );
  if (a.triggers && a.triggers.length) {
    body.append(el("div", { class: "small muted", text: "Trigger words:" }),
      el("ul", { class: "triggers" }, a.triggers.map((t) => el("li", { text: t }))));
  }
  if (a.excerpt) body.append(el("blockquote", { class: "excerpt", text: a.excerpt }));
  if (a.acknowledged_by_name) {
    body.append(el("p", { class: "small muted",
      text: `Acknowledged by ${a.acknowledged_by_name}${a.acknowledged_at ? ` at ${formatDateTime(a.acknowledged_at)}` : ""}` }));
  }
  if (a.timeline && a.timeline.length) {
    body.append(el("details", {}, el("summary", { text: `Timeline (${a.timeline.length})` }),
      el("ol", { class: "timeline" }, a.timeline.map((t) =>
        el("li", { text: `${formatDateTime(t.at)} · ${t.actor_name || "system"} · ${humanise(t.action)}${t.note ? `: ${t.note}` : ""}` })))));
  }
  const buttons = el("div", { class: "actions" });
  if (a.status === "open") {
    buttons.append(el("button", { type: "button", text: "Acknowledge",
      "aria-label": `Acknowledge alert for ${a.patient_name}`, onclick: () => act(a.id, "acknowledge") }));
  }
  if (a.appointment_id) {
    buttons.append(el("button", { type: "button", class: "secondary", text: "Open transcript context",
      onclick: (e) => openContext(a, e.currentTarget) }));
  }
  if (a.inbox_thread_id) {
    buttons.append(el("button", { type: "button", class: "secondary", text: "Open message thread",
      onclick: (e) => openThread(a, e.currentTarget) }));
  }
  body.append(buttons);
  return body;
}

function alertForm(a) {
  const id = `note-${a.id}`;
  const error = el("div", { class: "form-error", role: "alert", hidden: true });
  const note = el("textarea", { id, rows: "2", maxlength: "2000" });
  const form = el("form", { class: "alert-form" },
    el("label", { for: id, text: "Note" }), note, error,
    el("div", { class: "actions" },
      el("button", { type: "submit", class: "secondary", value: "note", text: "Add note" }),
      el("button", { type: "submit", value: "resolve", class: "resolve-btn", text: "Resolve with note" })));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = note.value.trim();
    const resolve = e.submitter && e.submitter.value === "resolve";
    if (!text) {
      error.textContent = resolve ? "Write a note saying how this was resolved." : "Write a note first.";
      error.hidden = false;
      note.focus();
      return;
    }
    error.hidden = true;
    if (await act(a.id, resolve ? "resolve" : "notes", { note: text }, error)) note.value = "";
  });
  return form;
}

async function act(id, action, body = undefined, errorBox = null) {
  try {
    const res = await api(`/api/alerts/${id}/${action}`, { method: "POST", body });
    if (res && res.alert) feed.update(res.alert);
    else if (res && res.id) feed.update(res);
    else await feed.poll();
    return true;
  } catch (err) {
    const box = errorBox || $("#alerts-status");
    box.textContent = `Could not ${action === "notes" ? "add the note" : action}: ${err.message}`;
    box.hidden = false;
    return false;
  }
}

function renderAlerts(alerts) {
  const showAll = $("#show-all").checked;
  const list = $("#alerts");
  const sorted = [...alerts.values()].filter((a) => showAll || a.status !== "resolved").sort(compareAlerts);
  for (const [id, item] of items) {
    if (!alerts.has(id)) {
      item.li.remove();
      items.delete(id);
    }
  }
  for (const a of sorted) {
    let item = items.get(a.id);
    if (!item) {
      const li = el("li", { class: "alert-item", id: `alert-${a.id}` });
      item = { li, body: null, form: alertForm(a) };
      items.set(a.id, item);
    }
    const body = alertBody(a);
    if (item.body) item.body.replaceWith(body);
    else item.li.prepend(body);
    item.body = body;
    if (!item.form.isConnected) item.li.append(item.form);
    item.form.querySelector(".resolve-btn").hidden = a.status === "resolved";
    item.li.className = `alert-item ${a.severity} ${a.status}`;
    list.append(item.li); // re-appending keeps sort order without rebuilding forms
  }
  for (const [id, item] of items) if (!sorted.some((a) => a.id === id)) item.li.remove();
  $("#alerts-empty").hidden = sorted.length > 0;
}

function onNewAlert(a) {
  beeper.beep();
  flasher.flash();
  $("#new-alert-announce").textContent =
    `New ${a.severity} risk alert: ${humanise(a.category)} for ${a.patient_name}.`;
}

function wireSound() {
  const btn = $("#sound-toggle");
  btn.addEventListener("click", () => {
    if (beeper.on) {
      beeper.disable();
      btn.setAttribute("aria-pressed", "false");
      btn.textContent = "Enable sound";
    } else if (beeper.enable()) {
      btn.setAttribute("aria-pressed", "true");
      btn.textContent = "Sound on";
      beeper.beep();
    }
  });
}

// ---------- transcript context around the flagged message ----------
async function openContext(a, opener) {
  const box = $("#context");
  clear(box).hidden = false;
  const heading = el("h2", { id: "context-title", tabindex: "-1",
    text: `Transcript context: ${a.patient_name} with ${a.therapist_name}` });
  const close = el("button", { type: "button", class: "secondary", text: "Close context",
    onclick: () => { box.hidden = true; opener.focus(); } });
  box.append(heading, el("div", { class: "actions" }, close,
    el("a", { class: "button secondary", href: `/static/session.html?room=${a.appointment_id}`, text: "Observe session" })));
  heading.focus();
  try {
    const seq = Number(a.seq) || 0;
    const page = await fetchPage(a.appointment_id, Math.max(0, seq - 10), 20);
    const list = el("ol", { class: "transcript", "aria-label": "Messages around the alert" },
      page.messages.map((m) => transcriptItem(m, seq || null)));
    box.append(page.messages.length ? list : el("p", { class: "muted", text: "No messages in this session." }));
    const hit = box.querySelector(".highlight");
    if (hit) hit.scrollIntoView({ block: "center" });
  } catch (err) {
    box.append(el("p", { class: "error", text: `Could not load the transcript: ${err.message}` }));
  }
}

// ---------- the thread of a message between sessions ----------
async function openThread(a, opener) {
  const box = $("#context");
  clear(box).hidden = false;
  const heading = el("h2", { id: "context-title", tabindex: "-1",
    text: `Messages between sessions: ${a.patient_name} with ${a.therapist_name}` });
  box.append(heading, el("div", { class: "actions" }, el("button", { type: "button", class: "secondary",
    text: "Close thread", onclick: () => { box.hidden = true; opener.focus(); } })));
  heading.focus();
  try {
    const page = await api(`/api/inbox/threads/${a.inbox_thread_id}?before=${Number(a.inbox_message_id) + 11}&limit=20`);
    box.append(el("ol", { class: "transcript", "aria-label": "Messages around the alert" },
      page.messages.map((m) => el("li", { class: m.id === a.inbox_message_id ? "highlight" : "" },
        el("strong", { text: `${m.sender_name} (${m.sender_role})` }), ` · ${formatDateTime(m.at)}: `,
        el("span", { text: m.text })))));
  } catch (err) {
    box.append(el("p", { class: "error", text: `Could not load the messages: ${err.message}` }));
  }
}

// ---------- rota ----------
const person = (p) => (p && p.name) || "nobody";

async function loadRota() {
  const box = $("#rota");
  try {
    const r = await api("/api/rota");
    clear(box);
    box.append(el("p", {}, "Route now: ", el("strong", { text: humanise(r.route && r.route.kind) || "unknown" })));
    if (r.now) {
      box.append(el("p", {}, "On call now: ", el("strong", { text: person(r.now.primary) }),
        " (backup ", person(r.now.backup), ")"));
    } else {
      box.append(el("p", { class: "notice", text: "Nobody clinical is on call right now. Alerts wait for the next clinician; patients are shown crisis contacts." }));
    }
    if (r.next) {
      box.append(el("p", { class: "muted", text: `Next: ${person(r.next.primary)} (backup ${person(r.next.backup)}) from ${formatDateTime(r.next.at)}` }));
    }
    if (r.weeks && r.weeks.length) {
      box.append(el("table", {}, el("caption", { class: "visually-hidden", text: "Weekly rota" }),
        el("thead", {}, el("tr", {}, el("th", { text: "Week from" }), el("th", { text: "Primary" }), el("th", { text: "Backup" }))),
        el("tbody", {}, r.weeks.map((w) => el("tr", {},
          el("td", { text: formatDateTime(w.week_start) }), el("td", { text: person(w.primary) }), el("td", { text: person(w.backup) }))))));
    }
    if (r.overrides && r.overrides.length) {
      box.append(el("h3", { text: "Overrides", style: "margin-top:1rem" }),
        el("ul", {}, r.overrides.map((o) => el("li", {
          text: `${formatDateTime(o.start)} – ${formatDateTime(o.end)}: ${person(o.supervisor)} as ${o.role}${o.reason ? ` (${o.reason})` : ""}` }))));
    }
  } catch (err) {
    box.replaceChildren(el("p", { class: "muted", text: `The rota is not available: ${err.message}` }));
  }
}

// ---------- case management ----------
async function loadCasework() {
  const box = $("#casework");
  try {
    const { requests } = await api("/api/casework");
    clear(box);
    if (!requests.length) {
      box.append(el("p", { class: "muted", text: "No case-management requests." }));
      return;
    }
    const ul = el("ul", { class: "session-list" });
    for (const r of requests) ul.append(caseItem(r));
    box.append(ul);
  } catch (err) {
    box.replaceChildren(el("p", { class: "muted", text: `Case management is not available: ${err.message}` }));
  }
}

function caseItem(r) {
  const li = el("li", { class: "session-item", style: "display:block" },
    el("div", {}, el("strong", { text: humanise(r.kind) }), " for ", el("strong", { text: r.patient_name }), " ",
      el("span", { class: "badge", text: r.status })),
    el("div", { class: "muted small",
      text: `Opened by ${r.opened_by_name} on ${formatDateTime(r.opened_at)}${r.assignee_name ? ` · assigned to ${r.assignee_name}` : ""}` }),
    r.details ? el("p", { text: r.details, style: "white-space:pre-wrap;margin:.4rem 0" }) : null,
    r.outcome ? el("p", { class: "small", text: `Outcome: ${r.outcome}` }) : null);
  const error = el("div", { class: "form-error", role: "alert", hidden: true });
  const fail = (err) => { error.textContent = err.message; error.hidden = false; };
  if (r.status === "open") {
    li.append(el("div", { class: "actions" }, el("button", { type: "button", class: "secondary", text: "Assign to me",
      onclick: async () => {
        try {
          await api(`/api/casework/${r.id}/assign`, { method: "POST", body: { assignee_id: me.id } });
          loadCasework();
        } catch (err) { fail(err); }
      } })));
  }
  if (r.status !== "closed") {
    const id = `outcome-${r.id}`;
    const outcome = el("input", { id, type: "text", maxlength: "2000" });
    const form = el("form", {}, el("label", { for: id, text: "Outcome" }), outcome,
      el("div", { class: "actions" }, el("button", { type: "submit", class: "secondary", text: "Close request" })));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!outcome.value.trim()) return fail(new Error("Write the outcome before closing."));
      try {
        await api(`/api/casework/${r.id}/close`, { method: "POST", body: { outcome: outcome.value.trim() } });
        loadCasework();
      } catch (err) { fail(err); }
    });
    li.append(form);
  }
  li.append(error);
  return li;
}

// ---------- sessions to observe ----------
async function loadSessions() {
  const transcript = new TranscriptView($("#transcript"));
  try {
    const { sessions } = await api("/api/sessions");
    renderSessions($("#sessions"), sessions, {
      viewerRole: "supervisor",
      actions: (s, now) => [
        isOpen(s, now) ? el("a", { class: "button", href: `/static/session.html?room=${s.id}`, text: "Observe",
          "aria-label": `Observe ${s.patient_name} with ${s.therapist_name}` }) : null,
        isPast(s, now) || s.last_seq > 0 ? el("button", { type: "button", class: "secondary", text: "Read transcript",
          onclick: (e) => { transcript.returnFocus = e.currentTarget; transcript.open(s); } }) : null,
      ],
    });
  } catch (err) {
    $("#sessions").replaceChildren(el("p", { class: "error", text: `Could not load sessions: ${err.message}` }));
  }
}

me = await requireUser(["supervisor", "admin"]);
wireSound();
feed = new AlertFeed({
  onChange: renderAlerts,
  onNew: onNewAlert,
  onStatus: (text) => { $("#alerts-status").textContent = text; },
});
$("#show-all").addEventListener("change", () => renderAlerts(feed.alerts));
feed.start();
loadRota();
loadCasework();
loadSessions();
setInterval(loadRota, 60000);
setInterval(loadCasework, 60000);
setInterval(loadSessions, 60000);
