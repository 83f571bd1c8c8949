// UK wall time (Europe/London, with its clock changes) for display and for entering times.

export const ZONE = "Europe/London";

const dateTimeFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE, weekday: "short", day: "numeric", month: "short", year: "numeric",
  hour: "2-digit", minute: "2-digit",
});
const timeFmt = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
const partsFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit",
});

const toDate = (t) => (t instanceof Date ? t : new Date(t));

export const formatDateTime = (t) => dateTimeFmt.format(toDate(t));
export const formatTime = (t) => timeFmt.format(toDate(t));

// London's wall-clock fields at an instant.
function londonParts(ms) {
  const out = {};
  for (const p of partsFmt.formatToParts(new Date(ms))) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

// Minutes London is ahead of UTC at an instant (0 in winter, 60 in summer).
export function londonOffsetMinutes(ms) {
  const p = londonParts(ms);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

// "2026-03-29T10:00" typed as UK time -> "2026-03-29T10:00:00+01:00".
// Throws for a time that does not exist (the hour skipped when clocks go forward).
// An ambiguous time (the repeated hour in October) is read as the first one, in BST.
export function londonLocalToIso(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local || "");
  if (!m) throw new Error("Enter a date and time.");
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v || 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Try the summer offset first so the repeated autumn hour resolves to BST, then winter.
  for (const offset of [60, 0]) {
    const instant = wall - offset * 60000;
    if (londonOffsetMinutes(instant) === offset) {
      const sign = offset ? "+01:00" : "+00:00";
      const pad = (n) => String(n).padStart(2, "0");
      return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}`;
    }
  }
  throw new Error("That time does not exist in the UK: the clocks go forward an hour then.");
}

// "12:34" style countdown for a number of milliseconds.
export function formatCountdown(msLeft) {
  const total = Math.max(0, Math.round(msLeft / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
