// The session list shared by the patient and therapist pages (and the supervisor's "Observe" list).
import { el, clear, humanise } from "./dom.js";
import { formatDateTime } from "./time.js";

export const JOIN_EARLY_MS = 15 * 60 * 1000;
const ENDED = new Set(["completed", "dna", "cancelled", "late_cancelled"]);

const startMs = (s) => Date.parse(s.booked_start);
const endMs = (s) => Date.parse(s.booked_end) || startMs(s) + s.length_minutes * 60000;

export function isOpen(s, now = Date.now()) {
  if (s.status === "live") return true;
  return s.status === "booked" && now >= startMs(s) - JOIN_EARLY_MS && now <= endMs(s);
}

export function isPast(s, now = Date.now()) {
  return ENDED.has(s.status) || (s.status !== "live" && now > endMs(s));
}

// Upcoming (and today's) first, soonest first; then past, most recent first.
export function sortSessions(sessions, now = Date.now()) {
  const upcoming = sessions.filter((s) => !isPast(s, now)).sort((a, b) => startMs(a) - startMs(b));
  const past = sessions.filter((s) => isPast(s, now)).sort((a, b) => startMs(b) - startMs(a));
  return { upcoming, past };
}

function describe(s, viewerRole) {
  const other = viewerRole === "patient" ? `with ${s.therapist_name}` :
    viewerRole === "therapist" ? `with ${s.patient_name}` : `${s.patient_name} with ${s.therapist_name}`;
  return `${humanise(s.kind)} ${other}`;
}

// actions(session) returns extra buttons/links for a row.
export function renderSessions(container, sessions, { viewerRole, actions = () => [], now = Date.now() }) {
  const { upcoming, past } = sortSessions(sessions, now);
  clear(container);
  const section = (title, list, empty) => {
    const ul = el("ul", { class: "session-list" });
    for (const s of list) {
      const status = s.status === "booked" && isPast(s, now) ? "not held" : humanise(s.status);
      ul.append(el("li", { class: "session-item", dataset: { session: s.id } },
        el("div", {},
          el("div", {}, el("strong", { text: formatDateTime(s.booked_start) }), " ",
            el("span", { class: `badge ${s.status}`, text: status })),
          el("div", { class: "muted", text: `${describe(s, viewerRole)} · ${s.length_minutes} minutes` })),
        el("div", { class: "actions", style: "margin-top:0" }, actions(s, now))));
    }
    return el("section", { "aria-label": title },
      el("h2", { text: title }),
      list.length ? ul : el("p", { class: "muted", text: empty }));
  };
  container.append(
    section("Upcoming and today", upcoming, "No upcoming sessions."),
    section("Past sessions", past, "No past sessions yet."),
  );
}

export const joinLink = (s) =>
  el("a", { class: "button", href: `/static/session.html?room=${s.id}`, text: "Join",
    "aria-label": `Join session on ${formatDateTime(s.booked_start)}` });
