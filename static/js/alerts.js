// Live risk alerts for supervisors: /ws/alerts with reconnect, falling back to polling.
import { api, ApiError } from "./api.js";

const BACKOFF_MS = [500, 1000, 2000, 5000, 10000];
const SEVERITY_RANK = { urgent: 0, high: 1, moderate: 2 };
const STATUS_RANK = { open: 0, acknowledged: 1, resolved: 2 };

// Open first, then most severe, then newest.
export function compareAlerts(a, b) {
  return (STATUS_RANK[a.status] ?? 3) - (STATUS_RANK[b.status] ?? 3)
    || (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3)
    || Date.parse(b.opened_at) - Date.parse(a.opened_at);
}

export class AlertFeed {
  // onChange(alerts: Map), onNew(alert), onStatus(text)
  constructor({ onChange, onNew, onStatus }) {
    this.alerts = new Map();
    this.on = { onChange, onNew, onStatus };
    this.attempt = 0;
  }

  async start() {
    await this.poll();
    this.connect();
    setInterval(() => { if (!this.live) this.poll(); }, 30000);
  }

  async poll() {
    try {
      const data = await api("/api/alerts?status=all");
      this.replace(data.alerts || []);
      this.available = true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) location.href = "/static/login.html";
      this.on.onStatus(err instanceof ApiError && err.status === 404
        ? "The alerts service is not available yet." : `Could not load alerts: ${err.message}`);
    }
  }

  // A full list (first load, a poll, or the snapshot after a reconnect). Open alerts the page
  // had not seen are announced like live ones, except on the first load: an alert raised while
  // the socket was down must still beep.
  replace(list) {
    const before = this.alerts;
    this.alerts = new Map(list.map((a) => [a.id, a]));
    this.on.onChange(this.alerts);
    if (this.loaded) {
      for (const a of list) if (a.status === "open" && !before.has(a.id)) this.on.onNew(a);
    }
    this.loaded = true;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws/alerts`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.live = true;
      this.on.onStatus("Live");
    };
    ws.onmessage = (ev) => {
      let f;
      try {
        f = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (f.type === "snapshot") this.replace(f.alerts || []);
      else if ((f.type === "alert" || f.type === "alert_update") && f.alert) {
        const isNew = !this.alerts.has(f.alert.id);
        this.alerts.set(f.alert.id, f.alert);
        this.on.onChange(this.alerts);
        // An open alert this page has not seen is new whichever frame brings it: after a
        // reconnect, an update (an escalation step) can overtake the snapshot, since the server
        // joins the socket to the feed before it reads the list; the snapshot then finds it known.
        if (isNew && (f.type === "alert" || f.alert.status === "open")) this.on.onNew(f.alert);
      }
    };
    ws.onclose = (ev) => {
      this.live = false;
      if (ev.code === 4001) {
        location.href = "/static/login.html";
        return;
      }
      if (ev.code === 4003) {
        this.on.onStatus("Live alerts are for supervisors only.");
        return;
      }
      this.on.onStatus(this.attempt > 1 ? "Reconnecting…" : "");
      const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
      this.attempt += 1;
      setTimeout(() => this.connect(), delay);
    };
  }

  update(alert) {
    this.alerts.set(alert.id, alert);
    this.on.onChange(this.alerts);
  }
}

// A short two-tone beep made with WebAudio (no audio files).
export class Beeper {
  constructor() {
    this.ctx = null;
  }

  enable() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return false;
    this.ctx = this.ctx || new Ctx();
    this.ctx.resume();
    return true;
  }

  disable() {
    if (this.ctx) this.ctx.suspend();
  }

  get on() {
    return this.ctx !== null && this.ctx.state === "running";
  }

  beep() {
    if (!this.on) return;
    const t = this.ctx.currentTime;
    for (const [i, freq] of [[0, 880], [1, 660]]) {
      const osc = this.ctx.createOscillator();
      const gain = this.ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.2);
      gain.gain.exponentialRampToValueAtTime(0.25, t + i * 0.2 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.2 + 0.18);
      osc.connect(gain).connect(this.ctx.destination);
      osc.start(t + i * 0.2);
      osc.stop(t + i * 0.2 + 0.2);
    }
  }
}

// "(1) New risk alert" flashing in the tab title until the page is looked at.
export class TitleFlasher {
  constructor() {
    this.base = document.title;
    this.count = 0;
    this.timer = null;
    const stop = () => { if (document.visibilityState === "visible" && document.hasFocus()) this.stop(); };
    window.addEventListener("focus", stop);
    document.addEventListener("visibilitychange", stop);
    document.addEventListener("click", () => this.stop());
  }

  flash() {
    this.count += 1;
    const text = `(${this.count}) New risk alert`;
    document.title = text;
    clearInterval(this.timer);
    let on = true;
    this.timer = setInterval(() => {
      on = !on;
      document.title = on ? text : this.base;
    }, 1000);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.count = 0;
    document.title = this.base;
  }
}
