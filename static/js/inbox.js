// Messages between sessions (patient and therapist pages): threads, reading, writing.
// The API is described in README "Messages between sessions".
import { api, ApiError } from "./api.js";
import { el, clear, showError } from "./dom.js";
import { formatDateTime } from "./time.js";

const POLL_MS = 10000;
const MAX_CHARS = 4000;
const CATEGORIES = [
  ["suicidal_ideation", "Suicidal thoughts"],
  ["suicide_plan_or_intent", "Suicide plan or intent"],
  ["self_harm", "Self-harm"],
  ["harm_to_others", "Harm to others"],
  ["safeguarding_child", "Safeguarding a child"],
  ["safeguarding_adult", "Safeguarding an adult"],
  ["domestic_abuse", "Domestic abuse"],
];
const ROUTED = {
  duty_team: "the clinical duty team (office hours)",
  on_call: "the on-call supervisor",
  out_of_hours: "the next clinician on duty (nobody is on call now: give the patient crisis contacts)",
};

function newClientId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

// What a thread's reply clock says, for therapists: null when nothing is waiting.
function replyBadge(t) {
  if (!t.reply || !t.reply.awaiting) return null;
  const due = formatDateTime(t.reply.due_at);
  return t.reply.overdue
    ? el("span", { class: "badge urgent", text: `Reply overdue (was due ${due})` })
    : el("span", { class: "badge high", text: `Awaiting reply (due ${due})` });
}

export class Inbox {
  constructor(box, role, me) {
    this.box = box;
    this.role = role;
    this.me = me;
    this.threads = [];
    this.open = null; // {id, lastId, returnFocus}
    this.pending = null; // {cid, text}: a send whose answer never came; resent with the same id
    this.list = el("ul", { class: "alert-list", "aria-label": "Conversations" });
    this.view = el("div", { hidden: true });
    this.error = el("div", { class: "error", role: "alert", hidden: true });
    clear(box).append(
      el("h2", { id: "inbox-title", text: "Messages" }),
      el("p", { class: "muted small", text: this.role === "therapist"
        ? "Messages from your patients between sessions. Please reply within 48 hours."
        : "Write to your therapist between sessions. They reply within 48 hours. "
          + "If you are in danger now, call 999; Samaritans are on 116 123, day or night." }),
      this.error, this.list, this.view);
  }

  async start() {
    await this.refresh();
    if (this.role === "patient") {
      const current = this.threads.find((t) => t.can_write) || this.threads[0];
      if (current) await this.openThread(current.id, null);
    }
    setInterval(() => this.poll(), POLL_MS);
  }

  async poll() {
    await this.refresh();
    if (this.open) await this.fetchNew();
  }

  async refresh() {
    try {
      this.threads = (await api("/api/inbox/threads")).threads;
      showError(this.error, null);
    } catch (err) {
      showError(this.error, `Could not load your messages: ${err.message}`);
      return;
    }
    this.renderList();
  }

  renderList() {
    clear(this.list);
    if (!this.threads.length) {
      this.list.append(el("li", { class: "muted", text: this.role === "therapist"
        ? "No conversations yet." : "You can write to your therapist once your care has started." }));
      return;
    }
    for (const t of this.threads) {
      const other = this.role === "therapist" ? t.patient.name : t.therapist.name;
      const bits = [
        el("strong", { text: other }),
        t.unread ? el("span", { class: "badge", text: `${t.unread} unread` }) : null,
        replyBadge(t),
        t.open ? null : el("span", { class: "badge", text: "Care ended (read only)" }),
      ];
      const preview = t.last_text
        ? `${t.last_sender_role === this.role ? "You" : other}: ${t.last_text} · ${formatDateTime(t.last_at)}`
        : "No messages yet.";
      this.list.append(el("li", { class: "session-item", dataset: { thread: t.id } },
        el("div", {}, el("div", { class: "actions", style: "margin-top:0" }, bits),
          el("div", { class: "muted small", text: preview })),
        el("button", { type: "button", class: "secondary", text: "Open",
          "aria-label": `Open conversation with ${other}`,
          onclick: (e) => this.openThread(t.id, e.currentTarget) })));
    }
  }

  async openThread(id, opener) {
    const t = this.threads.find((x) => x.id === id);
    const other = t ? (this.role === "therapist" ? t.patient.name : t.therapist.name) : "";
    this.open = { id, lastId: 0, returnFocus: opener };
    this.messages = el("ol", { class: "messages", style: "max-height:24rem",
      "aria-label": `Messages with ${other}`, "aria-live": "polite" });
    this.notice = el("div");
    const heading = el("h3", { tabindex: "-1", text: `Conversation with ${other}` });
    clear(this.view).append(heading, this.notice, this.messages);
    if (t && t.can_write) this.view.append(this.composer());
    else this.view.append(el("p", { class: "muted", text: "This conversation is read only." }));
    if (t && this.role === "therapist") this.view.append(this.riskForm(t));
    this.view.append(el("div", { class: "actions" }, el("button", { type: "button", class: "secondary",
      text: "Close conversation", onclick: () => this.closeThread() })));
    this.view.hidden = false;
    if (opener) heading.focus();
    try {
      const page = await api(`/api/inbox/threads/${id}?limit=50`);
      this.show(page);
    } catch (err) {
      showError(this.error, `Could not open the conversation: ${err.message}`);
    }
  }

  closeThread() {
    const back = this.open && this.open.returnFocus;
    this.open = null;
    this.view.hidden = true;
    if (back) back.focus();
  }

  composer() {
    const id = "inbox-text";
    const text = el("textarea", { id, rows: "3", maxlength: String(MAX_CHARS) });
    const error = el("div", { class: "form-error", role: "alert", hidden: true });
    const form = el("form", { class: "inbox-form" },
      el("label", { for: id, text: "Your message" }), text, error,
      el("div", { class: "actions" }, el("button", { type: "submit", text: "Send message" })));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = text.value;
      if (!body.trim()) {
        showError(error, "Write something first.");
        text.focus();
        return;
      }
      // Resending the same text after a lost answer reuses its id: it is never stored twice.
      const cid = this.pending && this.pending.text === body ? this.pending.cid : newClientId();
      this.pending = { cid, text: body };
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        await api(`/api/inbox/threads/${this.open.id}/messages`, { method: "POST", body: { client_id: cid, text: body } });
        this.pending = null;
        text.value = "";
        showError(error, null);
        await this.fetchNew();
        await this.refresh();
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 0)) this.pending = null;
        showError(error, `Not sent: ${err.message}`);
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  // A therapist raises risk by hand from the conversation (POST /api/risk): it opens an
  // alert routed by the clock, like a screened message's.
  riskForm(t) {
    const category = el("select", { id: "inbox-risk-category", required: true },
      CATEGORIES.map(([value, label]) => el("option", { value, text: label })));
    const severity = el("select", { id: "inbox-risk-severity" },
      ["urgent", "high", "moderate"].map((v) => el("option", { value: v, text: v, selected: v === "high" })));
    const note = el("textarea", { id: "inbox-risk-note", rows: "3", maxlength: String(MAX_CHARS) });
    const status = el("div", { role: "status" });
    const error = el("div", { class: "form-error", role: "alert", hidden: true });
    const form = el("form", {},
      el("label", { for: "inbox-risk-category", text: "Category" }), category,
      el("label", { for: "inbox-risk-severity", text: "Severity" }), severity,
      el("label", { for: "inbox-risk-note", text: "What you saw, for the clinician" }), note, error,
      el("div", { class: "actions" }, el("button", { type: "submit", class: "danger", text: "Raise risk" })), status);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!note.value.trim()) {
        showError(error, "Say what you saw, so the clinician knows why.");
        note.focus();
        return;
      }
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const r = await api("/api/risk", { method: "POST", body: {
          patient_id: t.patient.id, category: category.value, severity: severity.value, note: note.value } });
        showError(error, null);
        note.value = "";
        status.textContent = `Risk raised (alert ${r.id}), sent to ${ROUTED[r.route_kind] || r.route_kind}.`;
      } catch (err) {
        showError(error, `Not raised: ${err.message}. If the patient is in danger now, call 999.`);
      } finally {
        button.disabled = false;
      }
    });
    return el("details", { class: "inbox-risk" },
      el("summary", { text: `Raise risk for ${t.patient.name} by hand` }), form);
  }

  async fetchNew() {
    if (!this.open) return;
    try {
      const page = await api(`/api/inbox/threads/${this.open.id}?after=${this.open.lastId}&limit=200`);
      this.show(page);
    } catch (err) {
      showError(this.error, `Could not load new messages: ${err.message}`);
    }
  }

  show(page) {
    const notice = page.risk_notice;
    clear(this.notice);
    if (notice && notice.audience === "patient") {
      this.notice.append(el("div", { class: "support-panel", role: "alert" },
        el("p", { style: "margin:0", text: notice.message }),
        el("ul", {}, notice.crisis_contacts.map((c) =>
          el("li", {}, el("strong", { text: `${c.name}: ${c.contact}` }), c.note ? ` — ${c.note}` : null)))));
    } else if (notice) {
      this.notice.append(el("div", { class: "banner risk", role: "alert", text: notice.message }));
    }
    const fresh = page.messages.filter((m) => m.id > this.open.lastId);
    for (const m of fresh) {
      const mine = m.sender_id === this.me.id;
      this.messages.append(el("li", { class: `message${mine ? " mine" : ""}`, dataset: { id: m.id } },
        el("div", { class: "meta" }, el("span", { class: "sender", text: mine ? "You" : m.sender_name }),
          el("time", { datetime: m.at, text: formatDateTime(m.at) })),
        el("p", { class: "text", text: m.text })));
      this.open.lastId = m.id;
    }
    if (fresh.length) {
      this.messages.scrollTop = this.messages.scrollHeight;
      if (this.role !== "supervisor") this.markRead();
    }
  }

  async markRead() {
    try {
      await api(`/api/inbox/threads/${this.open.id}/read`, { method: "POST", body: { up_to: this.open.lastId } });
      await this.refresh();
    } catch {
      // The unread count stays until the next poll: nothing the reader must act on.
    }
  }
}
