"""Log in and out, tokens, expiry, revocation, throttling, and the role check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chat_server import auth
from chat_server.storage import accounts
from clinical.records import Role
from tests.conftest import PASSWORD, People, bearer, login


async def test_login_success_gives_token_and_httponly_cookie(client, people: People) -> None:
    user = await people.user(Role.PATIENT)
    resp = await client.post("/api/login", json={"email": user.email.upper(), "password": PASSWORD})
    assert resp.status == 200
    body = await resp.json()
    assert body["user"] == {"id": user.id, "email": user.email, "display_name": user.display_name, "role": "patient"}
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    me = await client.get("/api/me", headers=bearer(body["token"]))
    assert (await me.json())["id"] == user.id


async def test_cookie_authenticates_browser_requests(client, people: People) -> None:
    user = await people.user(Role.THERAPIST)
    await login(client, user)  # the test client keeps the cookie
    resp = await client.get("/api/me")
    assert resp.status == 200
    assert (await resp.json())["role"] == "therapist"


@pytest.mark.parametrize(("header", "value"), [
    ("cbt_session=abc", "abc"),
    ("theme=dark; cbt_session=abc-_1; _ga=GA1.1", "abc-_1"),
    ('cbt_session="abc"', "abc"),
    ("xcbt_session=no; cbt_session_old=no", None),
    ("cbt_session=", None),
    ("cbt_session", None),
    ("", None),
    ("a=1;;; cbt_session = abc ", "abc"),
])
def test_session_cookie_is_read_from_the_header(header: str, value: str | None) -> None:
    assert auth.cookie_value(header, auth.COOKIE) == value


async def test_a_browser_socket_authenticates_by_its_cookie_or_token_query(client, people: People) -> None:
    user = await people.user(Role.PATIENT)
    token = await login(client, user)
    client.session.cookie_jar.clear()
    for how in ({"headers": {"Cookie": f"theme=dark; {auth.COOKIE}={token}"}}, {"params": {"token": token}}):
        ws = await client.session.ws_connect(client.make_url("/ws"), **how)
        await ws.send_json({"type": "ping", "t": 1})
        assert (await ws.receive_json(timeout=5))["type"] == "pong", how  # not "log in first"
        await ws.close()
    ws = await client.session.ws_connect(client.make_url("/ws"), headers={"Cookie": f"{auth.COOKIE}=not-a-token"})
    assert (await ws.receive_json(timeout=5))["code"] == "unauthorized"
    await ws.close()


@pytest.mark.parametrize("password", ["wrong-password", "", PASSWORD + "x"])
async def test_login_failure_is_401_without_saying_which_part(client, people: People, password: str) -> None:
    user = await people.user(Role.PATIENT)
    resp = await client.post("/api/login", json={"email": user.email, "password": password or "x"})
    assert resp.status == 401
    assert (await resp.json())["error"]["code"] == "bad_credentials"


async def test_unknown_email_fails_like_a_wrong_password(client) -> None:
    resp = await client.post("/api/login", json={"email": "nobody@test.cbt", "password": "whatever"})
    assert resp.status == 401
    assert (await resp.json())["error"]["code"] == "bad_credentials"


async def test_repeated_failures_are_slowed_down_then_success_resets(client, people: People, pool) -> None:
    user = await people.user(Role.PATIENT)
    for _ in range(5):
        resp = await client.post("/api/login", json={"email": user.email, "password": "nope-nope"})
        assert resp.status == 401
    resp = await client.post("/api/login", json={"email": user.email, "password": PASSWORD})
    assert resp.status == 429
    assert int(resp.headers["Retry-After"]) >= 1
    assert "try again" in (await resp.json())["error"]["message"]
    # Once the wait has passed, the right password works and clears the count.
    await pool.execute("UPDATE login_failures SET last_failed_at = now() - interval '10 minutes'")
    resp = await client.post("/api/login", json={"email": user.email, "password": PASSWORD})
    assert resp.status == 200
    assert await accounts.login_failures(pool, user.email) is None


def test_login_delay_grows_and_is_capped() -> None:
    assert [auth.login_delay(n, 5) for n in range(5)] == [0.0] * 5
    assert auth.login_delay(5, 5) == 2.0
    assert auth.login_delay(6, 5) == 4.0
    assert auth.login_delay(50, 5) == auth.MAX_DELAY_S


async def test_expired_token_is_refused(client, people: People, pool) -> None:
    user = await people.user(Role.PATIENT)
    token = await login(client, user)
    client.session.cookie_jar.clear()
    assert (await client.get("/api/me", headers=bearer(token))).status == 200
    await pool.execute("UPDATE auth_tokens SET expires_at = $1", datetime.now(UTC) - timedelta(seconds=1))
    resp = await client.get("/api/me", headers=bearer(token))
    assert resp.status == 401
    assert (await resp.json())["error"]["code"] == "unauthorized"


async def test_logout_revokes_the_token(client, people: People) -> None:
    user = await people.user(Role.SUPERVISOR)
    token = await login(client, user)
    client.session.cookie_jar.clear()
    assert (await client.post("/api/logout", headers=bearer(token))).status == 200
    assert (await client.get("/api/me", headers=bearer(token))).status == 401


async def test_admin_revokes_all_tokens_of_a_user(client, people: People) -> None:
    admin = await people.user(Role.ADMIN)
    user = await people.user(Role.THERAPIST)
    t1, t2 = await login(client, user), await login(client, user)
    admin_token = await login(client, admin)
    client.session.cookie_jar.clear()
    resp = await client.post(f"/api/admin/users/{user.id}/revoke-tokens", headers=bearer(admin_token))
    assert (await resp.json())["revoked"] == 2
    for t in (t1, t2):
        assert (await client.get("/api/me", headers=bearer(t))).status == 401
    assert (await client.get("/api/me", headers=bearer(admin_token))).status == 200


async def test_tokens_are_stored_only_as_hashes(client, people: People, pool) -> None:
    user = await people.user(Role.PATIENT)
    token = await login(client, user)
    stored = await pool.fetchval("SELECT token_hash FROM auth_tokens")
    assert stored == auth.token_hash(token)
    assert token.encode() not in stored


async def test_no_token_is_401(client) -> None:
    resp = await client.get("/api/me")
    assert resp.status == 401
    resp = await client.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert resp.status == 401


ADMIN_ONLY = [
    ("POST", "/api/admin/users"),
    ("GET", "/api/admin/users"),
    ("POST", "/api/admin/episodes"),
    ("POST", "/api/admin/appointments"),
    ("POST", "/api/admin/users/1/revoke-tokens"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
@pytest.mark.parametrize("role", [Role.PATIENT, Role.THERAPIST, Role.SUPERVISOR])
async def test_admin_endpoints_refuse_other_roles(client, people: People, method: str, path: str, role: Role) -> None:
    token = await login(client, await people.user(role))
    client.session.cookie_jar.clear()
    resp = await client.request(method, path, headers=bearer(token), json={})
    assert resp.status == 403
    assert (await resp.json())["error"]["code"] == "forbidden"


def test_every_api_route_declares_its_roles() -> None:
    """A route without a role check cannot slip in: every /api handler is wrapped."""
    from chat_server import api, live_http

    public = {"/api/login"}
    for table in (api.routes, live_http.routes):
        for route in table:
            path = route.path  # type: ignore[attr-defined]
            if not path.startswith("/api") or path in public:
                continue
            assert hasattr(route.handler, "roles"), f"{path} has no role check"  # type: ignore[attr-defined]
