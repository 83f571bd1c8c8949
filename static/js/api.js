// Same-origin JSON API with cookie auth. Every page calls requireUser() first.

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
  }
  let data = null;
  const text = await resp.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!resp.ok) {
    const err = (data && data.error) || {};
    const retry = Number(resp.headers.get("Retry-After")) || null;
    throw new ApiError(resp.status, err.code || "http_error", err.message || `Request failed (${resp.status})`, retry);
  }
  return data;
}

export const HOME = Object.freeze({
  patient: "/static/patient.html",
  therapist: "/static/therapist.html",
  supervisor: "/static/supervisor.html",
  admin: "/static/admin.html",
});

export function goToLogin() {
  const next = location.pathname + location.search;
  location.href = `/static/login.html?next=${encodeURIComponent(next)}`;
}

// The signed-in user, or a redirect: to login on 401, to the user's own page on a wrong role.
export async function requireUser(roles = null) {
  let user;
  try {
    user = await api("/api/me");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      goToLogin();
      return new Promise(() => {}); // never resolves: the page is going away
    }
    throw e;
  }
  if (roles && !roles.includes(user.role)) {
    location.href = HOME[user.role] || "/static/login.html";
    return new Promise(() => {});
  }
  const name = document.getElementById("user-name");
  if (name) name.textContent = user.display_name;
  const logout = document.getElementById("logout");
  if (logout) logout.addEventListener("click", () => logOut());
  return user;
}

export async function logOut() {
  try {
    await api("/api/logout", { method: "POST" });
  } catch {
    // Already logged out or offline: the login page is right either way.
  }
  location.href = "/static/login.html";
}
