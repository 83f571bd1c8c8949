// Sign in, then go to the page for the user's role (or back where they came from).
import { api, ApiError, HOME } from "./api.js";
import { showError } from "./dom.js";

const form = document.getElementById("login-form");
const errorBox = document.getElementById("login-error");
const submit = document.getElementById("login-submit");

function safeNext(role) {
  const next = new URLSearchParams(location.search).get("next");
  // Only same-site paths, never a full URL; and only a session page or the role's own page.
  if (next && next.startsWith("/static/") && !next.startsWith("//")) {
    if (next.startsWith("/static/session.html") || next.startsWith(HOME[role])) return next;
  }
  return HOME[role] || "/static/login.html";
}

function messageFor(err) {
  if (!(err instanceof ApiError)) return "Something went wrong. Please try again.";
  if (err.code === "bad_credentials") return "That e-mail address and password do not match. Check them and try again.";
  if (err.code === "too_many_attempts") {
    const secs = err.retryAfter || Number((/(\d+)\s*s\b/.exec(err.message) || [])[1]) || null;
    return secs
      ? `Too many attempts. For your security, please wait ${secs} second${secs === 1 ? "" : "s"} and try again.`
      : "Too many attempts. Please wait a few minutes and try again.";
  }
  if (err.code === "invalid_field") return "Enter a valid e-mail address and your password.";
  return err.message;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showError(errorBox, null);
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!email || !password) {
    showError(errorBox, "Enter your e-mail address and password.");
    (email ? form.password : form.email).focus();
    return;
  }
  submit.disabled = true;
  try {
    const { user } = await api("/api/login", { method: "POST", body: { email, password } });
    location.href = safeNext(user.role);
  } catch (err) {
    showError(errorBox, messageFor(err));
    form.password.select();
    form.password.focus();
  } finally {
    submit.disabled = false;
  }
});
