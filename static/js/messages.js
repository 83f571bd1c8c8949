// The live session's message list: ordered by seq, pending messages last, corrections linked.
import { el } from "./dom.js";
import { formatTime } from "./time.js";

export class MessageList {
  // nameOf(userId, role) -> display name; onCorrect(seq, text); onRetry(clientId)
  constructor(list, { me, nameOf, onCorrect, onRetry }) {
    this.list = list;
    this.me = me;
    this.nameOf = nameOf;
    this.onCorrect = onCorrect;
    this.onRetry = onRetry;
    this.bySeq = new Map();
    this.byClient = new Map();
    this.pendingMeta = new Map(); // client_id -> {text, corrects}
    this.canCorrect = false;
  }

  nearBottom() {
    const l = this.list;
    return l.scrollHeight - l.scrollTop - l.clientHeight < 80;
  }

  scrollIfFollowing(wasNear) {
    if (wasNear) this.list.scrollTop = this.list.scrollHeight;
  }

  build(m, mine) {
    const li = el("li", { class: `message${mine ? " mine" : ""}` });
    const meta = el("div", { class: "meta" },
      el("span", { class: "sender", text: mine ? `${this.nameOf(m.sender, m.role)} (you)` : this.nameOf(m.sender, m.role) }),
      el("time", { class: "time" }),
      el("span", { class: "seq" }));
    li.append(meta);
    if (m.corrects) {
      meta.append(el("a", { class: "correction-of", href: `#msg-${m.corrects}`, text: `correction of #${m.corrects}` }));
    }
    li.append(el("p", { class: "text", text: m.text }), el("div", { class: "state", "aria-live": "off" }));
    return li;
  }

  place(li, seq) {
    // Before the first message with a higher seq, or the first pending one.
    for (const child of this.list.children) {
      const s = Number(child.dataset.seq || Infinity);
      if (s > seq) {
        this.list.insertBefore(li, child);
        return;
      }
    }
    this.list.append(li);
  }

  stamp(li, m) {
    li.id = `msg-${m.seq}`;
    li.dataset.seq = m.seq;
    li.classList.remove("pending", "failed");
    const time = li.querySelector("time");
    time.textContent = formatTime(m.at_ms);
    time.dateTime = new Date(m.at_ms).toISOString();
    li.querySelector(".seq").textContent = `#${m.seq}`;
    li.querySelector(".state").textContent = "";
    this.bySeq.set(m.seq, li);
    if (li.classList.contains("mine")) this.addCorrectButton(li, m.seq);
    if (m.corrects) this.markCorrected(m.corrects, m.seq);
  }

  addCorrectButton(li, seq) {
    if (li.querySelector(".correct-btn")) return;
    const btn = el("button", { type: "button", class: "link correct-btn small", text: "Correct",
      "aria-label": `Correct message #${seq}`, hidden: !this.canCorrect,
      onclick: () => this.onCorrect(seq, li.querySelector(".text").textContent) });
    li.append(btn);
  }

  markCorrected(original, by) {
    const li = this.bySeq.get(original);
    if (!li) return;
    let note = li.querySelector(".corrected-note");
    if (!note) {
      note = el("div", { class: "corrected-note" });
      li.insertBefore(note, li.querySelector(".state"));
    }
    note.replaceChildren("Corrected in ", el("a", { href: `#msg-${by}`, text: `#${by}` }));
  }

  // A stored message (live, replayed or just acked). Returns false if it was already shown.
  add(m) {
    if (this.bySeq.has(m.seq)) return false;
    const wasNear = this.nearBottom();
    let li = m.client_id ? this.byClient.get(m.client_id) : null;
    if (li) {
      this.byClient.delete(m.client_id);
      this.pendingMeta.delete(m.client_id);
    }
    else li = this.build(m, m.sender === this.me);
    li.remove();
    this.stamp(li, m);
    this.place(li, m.seq);
    this.scrollIfFollowing(wasNear || m.sender === this.me);
    return true;
  }

  addPending(clientId, text, corrects, myRole) {
    const li = this.build({ sender: this.me, role: myRole, text, corrects }, true);
    li.classList.add("pending");
    li.dataset.clientId = clientId;
    li.querySelector(".state").textContent = "sending…";
    this.byClient.set(clientId, li);
    this.pendingMeta.set(clientId, { text, corrects });
    this.list.append(li);
    this.list.scrollTop = this.list.scrollHeight;
  }

  acked(ack) {
    const meta = this.pendingMeta.get(ack.client_id);
    if (!meta || !this.byClient.has(ack.client_id)) return;
    const { text, corrects } = meta;
    this.add({ seq: ack.seq, client_id: ack.client_id, sender: this.me, text, corrects, at_ms: ack.at_ms });
  }

  failed(clientId, reason) {
    const li = this.byClient.get(clientId);
    if (!li) return;
    li.classList.remove("pending");
    li.classList.add("failed");
    const state = li.querySelector(".state");
    state.replaceChildren(`Not sent: ${reason} `,
      el("button", { type: "button", class: "link", text: "Try again", onclick: () => {
        li.classList.remove("failed");
        li.classList.add("pending");
        state.textContent = "sending…";
        this.onRetry(clientId);
      } }));
  }

  setCorrectable(on) {
    this.canCorrect = on;
    for (const b of this.list.querySelectorAll(".correct-btn")) b.hidden = !on;
  }

  // "Seen" under my latest message the other participant has read.
  showSeen(seq) {
    for (const s of this.list.querySelectorAll(".seen")) s.remove();
    let best = null;
    for (const [s, li] of this.bySeq) if (s <= seq && li.classList.contains("mine") && (!best || s > best[0])) best = [s, li];
    if (best) best[1].querySelector(".state").append(el("span", { class: "seen", text: "Seen" }));
  }

  maxSeq() {
    let max = 0;
    for (const s of this.bySeq.keys()) max = Math.max(max, s);
    return max;
  }
}
