// Administration: users, episodes, appointments (typed in UK time), and the local mail sink.
import { api, requireUser } from "./api.js";
import { $, append, el, clear, humanise, showError } from "./dom.js";
import { formatDateTime, londonLocalToIso } from "./time.js";

let users = [];

function formMessages(form) {
  return { error: form.querySelector(".form-error"), ok: form.querySelector(".success") };
}

// Submit handler that shows errors and successes inside the form.
function handle(form, build, after) {
  const { error, ok } = formMessages(form);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showError(error, null);
    showError(ok, null);
    let req;
    try {
      req = build(form);
    } catch (err) {
      showError(error, err.message);
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const res = await api(req.path, { method: "POST", body: req.body });
      showError(ok, after(res));
    } catch (err) {
      showError(error, err.message);
    } finally {
      button.disabled = false;
    }
  });
}

function buildUser(form) {
  const role = form.role.value;
  const body = { email: form.email.value.trim(), display_name: form.display_name.value.trim(), role,
    password: form.password.value };
  if (!body.email || !body.display_name) throw new Error("Enter an e-mail address and a display name.");
  if ([...body.password].length < 10) throw new Error("The password must be at least 10 characters.");
  if (role === "therapist") {
    body.therapist = { employment: form.employment.value };
    if (form.caseload_cap.value !== "") body.therapist.caseload_cap = Number(form.caseload_cap.value);
  }
  return { path: "/api/admin/users", body };
}

function buildEpisode(form) {
  const patient_id = Number(form.patient_id.value);
  const therapist_id = Number(form.therapist_id.value);
  if (!patient_id || !therapist_id) throw new Error("Choose a patient and a therapist.");
  return { path: "/api/admin/episodes", body: { patient_id, therapist_id } };
}

function buildAppointment(form) {
  const episode_id = Number(form.episode_id.value);
  if (!Number.isInteger(episode_id) || episode_id <= 0) throw new Error("Enter the episode number.");
  const kind = form.kind.value;
  const length = Number(form.length_minutes.value);
  if (kind === "assessment" && length !== 60) throw new Error("An assessment is always 60 minutes.");
  return { path: "/api/admin/appointments",
    body: { episode_id, kind, start: londonLocalToIso(form.start.value), length_minutes: length } };
}

function renderUsers() {
  const filter = $("#users-filter").value;
  const shown = users.filter((u) => !filter || u.role === filter);
  const box = clear($("#users"));
  if (!shown.length) {
    box.append(el("p", { class: "muted", text: "No users." }));
    return;
  }
  box.append(el("table", {},
    el("thead", {}, el("tr", {}, el("th", { text: "Id" }), el("th", { text: "Name" }),
      el("th", { text: "E-mail", class: "optional" }), el("th", { text: "Role" }))),
    el("tbody", {}, shown.map((u) => el("tr", {}, el("td", { text: u.id }), el("td", { text: u.display_name }),
      el("td", { text: u.email, class: "optional" }), el("td", { text: humanise(u.role) }))))));
}

function fillSelect(select, role) {
  const current = select.value;
  append(clear(select), el("option", { value: "", text: `Choose a ${role}` }),
    users.filter((u) => u.role === role).map((u) => el("option", { value: u.id, text: `${u.display_name} (${u.email})` })));
  select.value = current;
}

async function loadUsers() {
  try {
    users = (await api("/api/admin/users")).users;
    renderUsers();
    fillSelect($("#e-patient"), "patient");
    fillSelect($("#e-therapist"), "therapist");
  } catch (err) {
    $("#users").replaceChildren(el("p", { class: "error", text: `Could not load users: ${err.message}` }));
  }
}

async function loadMail() {
  const box = $("#mail");
  try {
    const { mail } = await api("/api/admin/mail");
    clear(box);
    if (!mail.length) {
      box.append(el("p", { class: "muted", text: "No mail received." }));
      return;
    }
    box.append(el("ul", { class: "session-list" }, mail.map((m) => el("li", { class: "session-item", style: "display:block" },
      el("div", {}, el("strong", { text: m.subject || "(no subject)" })),
      el("div", { class: "small muted", text: `${formatDateTime(m.received_at)} · from ${m.mail_from} · to ${[].concat(m.rcpt_to).join(", ")}` }),
      el("details", {}, el("summary", { text: "Show message" }),
        el("pre", { text: m.body, style: "white-space:pre-wrap;overflow-wrap:anywhere" }))))));
  } catch (err) {
    box.replaceChildren(el("p", { class: "muted", text: `The mail list is not available: ${err.message}` }));
  }
}

await requireUser(["admin"]);
const role = $("#u-role");
role.addEventListener("change", () => { $("#therapist-options").hidden = role.value !== "therapist"; });
handle($("#user-form"), buildUser, (u) => {
  $("#user-form").reset();
  $("#therapist-options").hidden = true;
  loadUsers();
  return `Created ${humanise(u.role)} ${u.display_name} (user ${u.id}).`;
});
handle($("#episode-form"), buildEpisode, (ep) => {
  $("#a-episode").value = ep.id;
  return `Episode ${ep.id} created. You can now book its first appointment (an assessment).`;
});
handle($("#appt-form"), buildAppointment, (a) =>
  `Appointment ${a.id} booked for ${formatDateTime(a.booked_start)} UK time (${a.length_minutes} minutes).`);
$("#a-kind").addEventListener("change", (e) => {
  if (e.target.value === "assessment") $("#a-length").value = "60";
});
$("#users-filter").addEventListener("change", renderUsers);
$("#mail-refresh").addEventListener("click", loadMail);
loadUsers();
loadMail();
