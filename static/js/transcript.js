// Read a finished session's transcript, page by page (next_after), with a download link.
import { api } from "./api.js";
import { el, clear } from "./dom.js";
import { formatDateTime, formatTime } from "./time.js";

export function transcriptItem(m, highlightSeq = null) {
  const li = el("li", { id: `t-${m.seq}`, class: m.seq === highlightSeq ? "highlight" : null });
  li.append(
    el("div", { class: "small muted" },
      el("strong", { class: "sender", text: m.sender_name || m.role }),
      ` · ${formatTime(m.at)} · #${m.seq}`,
      m.corrects ? ` · correction of #${m.corrects}` : null,
      m.seq === highlightSeq ? " · flagged message" : null),
    el("div", { class: "text", text: m.text, style: "white-space: pre-wrap; overflow-wrap: anywhere" }),
  );
  if (m.seq === highlightSeq) li.setAttribute("aria-current", "true");
  return li;
}

export async function fetchPage(sessionId, after, limit = 100) {
  return api(`/api/sessions/${encodeURIComponent(sessionId)}/transcript?after=${after}&limit=${limit}`);
}

// A transcript panel: heading, messages, "Load more", download link, close.
export class TranscriptView {
  constructor(container) {
    this.container = container;
    this.nextAfter = 0;
  }

  async open(session) {
    this.session = session;
    this.nextAfter = 0;
    const c = clear(this.container);
    c.hidden = false;
    const title = `Transcript: ${session.kind} on ${formatDateTime(session.booked_start)}`;
    this.heading = el("h2", { tabindex: "-1", text: title });
    this.list = el("ol", { class: "transcript", "aria-label": "Transcript messages" });
    this.status = el("p", { class: "muted", role: "status" });
    this.more = el("button", { type: "button", class: "secondary", hidden: true, text: "Load more messages",
      onclick: () => this.loadMore() });
    c.append(
      this.heading,
      el("div", { class: "actions" },
        el("a", { class: "button secondary", href: `/api/sessions/${session.id}/transcript.txt`,
          download: `session-${session.id}.txt`, text: "Download transcript (.txt)" }),
        el("button", { type: "button", class: "secondary", text: "Close transcript", onclick: () => this.close() })),
      this.list, this.status, this.more,
    );
    this.heading.focus();
    await this.loadMore();
  }

  async loadMore() {
    if (this.nextAfter === null) return;
    this.more.disabled = true;
    this.status.textContent = "Loading…";
    try {
      const page = await fetchPage(this.session.id, this.nextAfter);
      for (const m of page.messages) this.list.append(transcriptItem(m));
      this.nextAfter = page.next_after;
      const n = this.list.children.length;
      this.status.textContent = n ? `${n} message${n === 1 ? "" : "s"} shown.` : "No messages in this session.";
    } catch (err) {
      this.status.textContent = `Could not load the transcript: ${err.message}`;
    } finally {
      this.more.disabled = false;
      this.more.hidden = this.nextAfter === null;
    }
  }

  close() {
    clear(this.container).hidden = true;
    if (this.returnFocus) this.returnFocus.focus();
  }
}
